"""langchain-tests' Embeddings suites for ``MixRouterEmbeddings``, unmodified: the unit suite, and the integration
suite against the loopback stub (tests/stub, OpenAI's embeddings shape, inferred for MixRouter)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from langchain_tests.integration_tests import EmbeddingsIntegrationTests
from langchain_tests.unit_tests import EmbeddingsUnitTests

from langchain_mixrouter import MixRouterEmbeddings
from tests.stub.server import serve

KEY = "test-key-embeddings-0123456789"
_stub: dict[str, str] = {}


@pytest.fixture(scope="module", autouse=True)
def _loopback_stub() -> Iterator[None]:
    server, url = serve()
    _stub["url"] = url
    yield
    server.shutdown()


class TestMixRouterEmbeddingsUnit(EmbeddingsUnitTests):
    @property
    def embeddings_class(self) -> type[MixRouterEmbeddings]:
        return MixRouterEmbeddings

    @property
    def embedding_model_params(self) -> dict:
        return {"model": "text-embedding-3-small"}

    @property
    def init_from_env_params(self) -> tuple[dict, dict, dict]:
        return (
            {"MIXROUTER_API_KEY": "env-key-0123456789", "MIXROUTER_BASE_URL": "https://gateway.example/v1"},
            {"model": "text-embedding-3-small"},
            {"api_key": "env-key-0123456789", "base_url": "https://gateway.example/v1"},
        )


class TestMixRouterEmbeddingsIntegration(EmbeddingsIntegrationTests):
    @property
    def embeddings_class(self) -> type[MixRouterEmbeddings]:
        return MixRouterEmbeddings

    @property
    def embedding_model_params(self) -> dict:
        return {"model": "text-embedding-3-small", "api_key": KEY, "base_url": _stub["url"], "max_retries": 0}


class TestMixRouterEmbeddingsBatchedIntegration(TestMixRouterEmbeddingsIntegration):
    """The same suite with one text per request, so every call is split into batches (and run concurrently
    when async)."""

    @property
    def embedding_model_params(self) -> dict:
        return {**super().embedding_model_params, "model": "text-embedding-3-large", "batch_size": 1}
