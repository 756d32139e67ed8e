"""LangChain face of MixRouter: ``ChatMixRouter``, ``MixRouterEmbeddings`` and the video tools
``MixRouterVideoTool`` / ``MixRouterVideoStatusTool``.

The classes load on first use (PEP 562), so ``import langchain_mixrouter`` costs almost nothing and a program that
uses only the embeddings never pays for the chat model's imports. ``from langchain_mixrouter import ChatMixRouter``
works as usual; bench/ reports both import figures.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from langchain_mixrouter.chat_models import ChatMixRouter
    from langchain_mixrouter.embeddings import MixRouterEmbeddings
    from langchain_mixrouter.image_tool import MixRouterImageTool
    from langchain_mixrouter.speech_tool import MixRouterSpeechTool
    from langchain_mixrouter.video_tool import MixRouterVideoStatusTool, MixRouterVideoTool

_WHERE = {
    "ChatMixRouter": "chat_models",
    "MixRouterEmbeddings": "embeddings",
    "MixRouterImageTool": "image_tool",
    "MixRouterSpeechTool": "speech_tool",
    "MixRouterVideoStatusTool": "video_tool",
    "MixRouterVideoTool": "video_tool",
}
__all__ = [
    "ChatMixRouter",
    "MixRouterEmbeddings",
    "MixRouterImageTool",
    "MixRouterSpeechTool",
    "MixRouterVideoStatusTool",
    "MixRouterVideoTool",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'langchain_mixrouter' has no attribute {name!r}")
    value = getattr(import_module(f"langchain_mixrouter.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
