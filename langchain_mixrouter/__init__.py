"""LangChain face of MixRouter: ``ChatMixRouter`` (chat model) and ``MixRouterEmbeddings``.

The video tool (``MixRouterVideoTool``) is not built yet.
"""

from langchain_mixrouter.chat_models import ChatMixRouter
from langchain_mixrouter.embeddings import MixRouterEmbeddings

__all__ = ["ChatMixRouter", "MixRouterEmbeddings"]
