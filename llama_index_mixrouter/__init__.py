"""LlamaIndex face of MixRouter: ``MixRouterLLM`` and ``MixRouterEmbedding`` (needs the ``llama-index`` extra)."""

from .embeddings import MixRouterEmbedding
from .llm import MixRouterLLM

__all__ = ["MixRouterEmbedding", "MixRouterLLM"]
