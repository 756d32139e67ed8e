"""LlamaIndex face of MixRouter (needs the ``llama-index`` extra): ``MixRouterLLM``, ``MixRouterEmbedding`` and the
video tools ``MixRouterVideoToolSpec`` / ``MixRouterVideoTool``."""

from .embeddings import MixRouterEmbedding
from .llm import MixRouterLLM
from .video_tool import MixRouterVideoTool, MixRouterVideoToolSpec, VideoProgressEvent

__all__ = ["MixRouterEmbedding", "MixRouterLLM", "MixRouterVideoTool", "MixRouterVideoToolSpec", "VideoProgressEvent"]
