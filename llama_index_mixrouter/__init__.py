"""LlamaIndex face of MixRouter (``MixRouterLLM``, ``MixRouterEmbedding``, ``MixRouterVideoToolSpec``).

Not built yet: this release ships the framework-free core (``mixrouter``). Nothing is exported here so that no
half-finished class can be mistaken for a working one.
"""

__all__: list[str] = []
