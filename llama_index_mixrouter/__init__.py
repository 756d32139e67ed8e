"""LlamaIndex face of MixRouter (needs the ``llama-index`` extra): ``MixRouterLLM``, ``MixRouterEmbedding`` and the
video tools ``MixRouterVideoToolSpec`` / ``MixRouterVideoTool``.

The classes load on first use (PEP 562), so ``import llama_index_mixrouter`` costs almost nothing until a class is
touched; ``from llama_index_mixrouter import MixRouterLLM`` works as usual; bench/ reports both import figures.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .embeddings import MixRouterEmbedding
    from .image_tool import MediaProgressEvent, MixRouterImageTool, MixRouterImageToolSpec
    from .llm import MixRouterLLM
    from .speech_tool import MixRouterSpeechTool, MixRouterSpeechToolSpec
    from .video_tool import MixRouterVideoTool, MixRouterVideoToolSpec, VideoProgressEvent

_WHERE = {
    "MediaProgressEvent": "image_tool",
    "MixRouterEmbedding": "embeddings",
    "MixRouterImageTool": "image_tool",
    "MixRouterImageToolSpec": "image_tool",
    "MixRouterSpeechTool": "speech_tool",
    "MixRouterSpeechToolSpec": "speech_tool",
    "MixRouterLLM": "llm",
    "MixRouterVideoTool": "video_tool",
    "MixRouterVideoToolSpec": "video_tool",
    "VideoProgressEvent": "video_tool",
}
__all__ = [
    "MediaProgressEvent",
    "MixRouterEmbedding",
    "MixRouterImageTool",
    "MixRouterImageToolSpec",
    "MixRouterLLM",
    "MixRouterSpeechTool",
    "MixRouterSpeechToolSpec",
    "MixRouterVideoTool",
    "MixRouterVideoToolSpec",
    "VideoProgressEvent",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'llama_index_mixrouter' has no attribute {name!r}")
    value = getattr(import_module(f"llama_index_mixrouter.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
