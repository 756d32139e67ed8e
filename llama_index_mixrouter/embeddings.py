"""``MixRouterEmbedding``: MixRouter's ``/embeddings`` (text-embedding-3-*, ...) as a LlamaIndex embedding model."""

from __future__ import annotations

from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding, Embedding
from llama_index.core.bridge.pydantic import Field, PrivateAttr, SecretStr

from mixrouter import AsyncMixRouterClient, MixRouterClient
from mixrouter.config import API_KEY_ENV, resolve_api_key


class MixRouterEmbedding(BaseEmbedding):
    """Embeddings through MixRouter. LlamaIndex batches ``embed_batch_size`` texts per request (default 100, at most
    2048); the key (``api_key`` or ``MIXROUTER_API_KEY``) is never serialised."""

    model_name: str = Field(default="text-embedding-3-small", alias="model")
    embed_batch_size: int = Field(default=100, gt=0, le=2048)
    api_key: SecretStr | None = Field(default=None, exclude=True, description=f"Defaults to ${API_KEY_ENV}.")
    api_base: str | None = None
    dimensions: int | None = Field(default=None, gt=0)
    timeout: float | None = Field(default=None, gt=0)
    max_retries: int = Field(default=2, ge=0)
    max_connections: int | None = Field(default=None, ge=1, description="Most connections open at once (1,000).")
    http_client: Any = Field(default=None, exclude=True)
    async_http_client: Any = Field(default=None, exclude=True)

    _client: MixRouterClient = PrivateAttr()
    _aclient: AsyncMixRouterClient = PrivateAttr()

    def __init__(self, **data: Any) -> None:
        super().__init__(**data)
        self.api_key = resolve_api_key(self.api_key)
        common: dict[str, Any] = dict(
            api_key=self.api_key,
            base_url=self.api_base,
            timeout=self.timeout,
            max_retries=self.max_retries,
            max_connections=self.max_connections,
        )
        self._client = MixRouterClient(http_client=self.http_client, **common)
        self._aclient = AsyncMixRouterClient(http_client=self.async_http_client, **common)

    @classmethod
    def class_name(cls) -> str:
        return "MixRouterEmbedding"

    def _embed(self, texts: list[str]) -> list[Embedding]:
        # LlamaIndex has already cut the batch; one request per call (batch_size covers the whole list).
        return self._client.embed(self.model_name, texts, dimensions=self.dimensions, batch_size=len(texts)).vectors

    async def _aembed(self, texts: list[str]) -> list[Embedding]:
        result = await self._aclient.embed(self.model_name, texts, dimensions=self.dimensions, batch_size=len(texts))
        return result.vectors

    def _get_query_embedding(self, query: str) -> Embedding:
        return self._embed([query])[0]

    async def _aget_query_embedding(self, query: str) -> Embedding:
        return (await self._aembed([query]))[0]

    def _get_text_embedding(self, text: str) -> Embedding:
        return self._embed([text])[0]

    async def _aget_text_embedding(self, text: str) -> Embedding:
        return (await self._aembed([text]))[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[Embedding]:
        return self._embed(texts)

    async def _aget_text_embeddings(self, texts: list[str]) -> list[Embedding]:
        return await self._aembed(texts)
