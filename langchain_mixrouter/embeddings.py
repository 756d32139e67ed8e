"""``MixRouterEmbeddings``: MixRouter's ``/embeddings`` (text-embedding-3-*, …) as LangChain ``Embeddings``."""

from __future__ import annotations

from typing import Any

from langchain_core.embeddings import Embeddings
from langchain_core.utils import from_env, secret_from_env
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SecretStr, model_validator

from mixrouter import AsyncMixRouterClient, MixRouterClient
from mixrouter.config import API_KEY_ENV, resolve_api_key

from ._errors import langchain_errors  # not from chat_models: embeddings alone never load the chat model


class MixRouterEmbeddings(BaseModel, Embeddings):
    """Embeddings through MixRouter, batched (``batch_size`` texts per request; async batches run concurrently)."""

    model: str = "text-embedding-3-small"
    api_key: SecretStr | None = Field(default_factory=secret_from_env(API_KEY_ENV, default=None))
    base_url: str | None = Field(default_factory=from_env("MIXROUTER_BASE_URL", default=None))
    dimensions: int | None = None
    batch_size: int = Field(default=256, gt=0)
    timeout: float | None = None
    max_retries: int = 2
    max_connections: int | None = Field(default=None, ge=1)
    """Most connections open at once from the shared pool (default 1,000; 100 kept alive)."""
    http_client: Any = Field(default=None, exclude=True)
    http_async_client: Any = Field(default=None, exclude=True)

    _client: MixRouterClient = PrivateAttr()
    _aclient: AsyncMixRouterClient = PrivateAttr()
    model_config = ConfigDict(arbitrary_types_allowed=True)

    @model_validator(mode="after")
    def _set_mixrouter_clients(self) -> MixRouterEmbeddings:
        self.api_key = resolve_api_key(self.api_key)
        common = dict(
            api_key=self.api_key,
            base_url=self.base_url,
            timeout=self.timeout,
            max_retries=self.max_retries,
            max_connections=self.max_connections,
        )
        self._client = MixRouterClient(http_client=self.http_client, **common)
        self._aclient = AsyncMixRouterClient(http_client=self.http_async_client, **common)
        return self

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        with langchain_errors():
            return self._client.embed(self.model, texts, dimensions=self.dimensions, batch_size=self.batch_size).vectors

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]

    async def aembed_documents(self, texts: list[str]) -> list[list[float]]:
        with langchain_errors():
            result = await self._aclient.embed(
                self.model, texts, dimensions=self.dimensions, batch_size=self.batch_size
            )
        return result.vectors

    async def aembed_query(self, text: str) -> list[float]:
        return (await self.aembed_documents([text]))[0]
