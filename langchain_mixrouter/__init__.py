"""LangChain face of MixRouter: ``ChatMixRouter``, ``MixRouterEmbeddings`` and the video tools
``MixRouterVideoTool`` / ``MixRouterVideoStatusTool``."""

from langchain_mixrouter.chat_models import ChatMixRouter
from langchain_mixrouter.embeddings import MixRouterEmbeddings
from langchain_mixrouter.video_tool import MixRouterVideoStatusTool, MixRouterVideoTool

__all__ = ["ChatMixRouter", "MixRouterEmbeddings", "MixRouterVideoStatusTool", "MixRouterVideoTool"]
