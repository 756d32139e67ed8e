"""``MixRouterClient`` and ``AsyncMixRouterClient``: the framework-free way to call MixRouter.

>>> client = MixRouterClient()                      # key from MIXROUTER_API_KEY
>>> client.chat("gpt-4o-mini", [{"role": "user", "content": "Hi"}]).text
>>> with client.chat_stream("deepseek-chat", msgs, thinking=True) as stream:
...     for delta in stream:
...         print(delta.reasoning or delta.text, end="")
...     result = stream.result()
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx
from pydantic import SecretStr

from ._http import STREAM_DONE, AsyncTransport, Transport
from .chat import ChatDelta, ChatResult, StreamAssembler, deep_merge
from .config import RetryPolicy, Timeouts
from .errors import MixRouterError, ResponseDecodeError, with_endpoint
from .request import ChatRequest, make_request
from .routes import PROTOCOLS, Protocol
from .structured import JsonStreamCleaner, json_answer_text
from .usage import Usage, normalize_usage
from .video import AsyncVideoTasks, VideoTasks

if TYPE_CHECKING:
    from .images import AsyncImages, Images
    from .speech import AsyncAudio, Audio

__all__ = ["AsyncChatStream", "AsyncMixRouterClient", "ChatStream", "EmbeddingResult", "MixRouterClient"]

EMBEDDINGS_PATH = "embeddings"
DEFAULT_EMBED_BATCH = 256


@dataclass(slots=True)
class EmbeddingResult:
    vectors: list[list[float]]
    model: str | None = None
    usage: Usage | None = None
    raw: list[dict[str, Any]] = field(default_factory=list)


def _check_texts(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        raise TypeError("texts must be a list of strings; wrap a single text in a list.")
    out = list(texts)
    for i, t in enumerate(out):
        if not isinstance(t, str):
            raise TypeError(f"texts[{i}] is {type(t).__name__}, not str.")
        if not t:
            raise ValueError(f"texts[{i}] is empty; the embeddings endpoint rejects empty strings.")
    return out


def _embedding_body(model: str, batch: list[str], dimensions: int | None, extra: Mapping[str, Any] | None):
    body: dict[str, Any] = {"model": model, "input": batch, "encoding_format": "float"}
    if dimensions is not None:
        body["dimensions"] = dimensions
    if extra:
        body.update(extra)
    return body


def _parse_embeddings(data: Any, expected: int) -> tuple[list[list[float]], Usage | None, str | None]:
    items = data.get("data") if isinstance(data, dict) else None
    if not isinstance(items, list) or len(items) != expected:
        got = len(items) if isinstance(items, list) else 0
        raise ResponseDecodeError(f"embeddings answer has {got} vectors for {expected} inputs.")
    ordered = sorted(items, key=lambda d: d.get("index", 0))
    return [d["embedding"] for d in ordered], normalize_usage(data.get("usage")), data.get("model")


def _merge_usage(total: Usage | None, part: Usage | None) -> Usage | None:
    if part is None:
        return total
    if total is None:
        return Usage(part.input_tokens, part.output_tokens, part.total_tokens, raw={})
    total.input_tokens += part.input_tokens
    total.output_tokens += part.output_tokens
    total.total_tokens += part.total_tokens
    return total


# A chunk or answer whose nested values have the wrong types (a string where an object belongs, ...) surfaces as
# one of these from the parsers; the client turns it into a ResponseDecodeError that says which chunk.
_SHAPE_ERRORS = (AttributeError, TypeError, KeyError, IndexError)


def _shape_error(obj: Any, exc: Exception) -> ResponseDecodeError:
    snippet = json.dumps(obj, ensure_ascii=False, default=str)[:120]
    return ResponseDecodeError(f"MixRouter sent a chunk or answer of an unexpected shape ({exc}): {snippet}")


def _parse(protocol: Protocol, req: ChatRequest, data: Any, path: str) -> ChatResult:
    try:
        return protocol.parse(data, req.info)
    except _SHAPE_ERRORS as exc:
        raise with_endpoint(_shape_error(data, exc), "POST", path) from exc
    except MixRouterError as err:  # an answer with no choices, a failed Responses call: named with its endpoint
        raise with_endpoint(err, "POST", path) from None


def _finish(req: ChatRequest | None, result: ChatResult) -> ChatResult:
    """A JSON-format request's answer comes back as bare JSON text (fence or prose around it removed), labelled
    with the structured-output method the request used."""
    if req is not None:
        if req.wants_json and result.text:
            result.text = json_answer_text(result.text)
        result.structured_method = req.structured_method
    return result


def _cleaned(cleaner: JsonStreamCleaner | None, delta: ChatDelta) -> ChatDelta:
    """Streamed text of a JSON-format request: only its JSON value (the same text ``result()`` gives)."""
    if cleaner is not None:
        delta.text = cleaner.feed(delta.text) if delta.text else ""
        if delta.final:
            delta.text += cleaner.flush()
    return delta


class _StreamBase:
    """What the sync and async streams share: each event through the assembler (errors named with the endpoint
    they came from), the JSON cleaner for a JSON-format ``request``, and the assembled ``result()``."""

    def __init__(
        self,
        events: Any,
        assembler: Any = None,
        *,
        request: ChatRequest | None = None,
        endpoint: tuple[str | None, str | None] = (None, None),
    ) -> None:
        self._events = events
        self.assembler = assembler if assembler is not None else StreamAssembler()
        self._started = False
        self._request = request
        self._cleaner = JsonStreamCleaner() if request is not None and request.wants_json else None
        self._endpoint = endpoint

    def _start(self) -> None:
        if self._started:
            raise RuntimeError("a chat stream can be iterated only once; use .result() for the assembled answer.")
        self._started = True

    def _delta(self, obj: Any) -> ChatDelta | None:
        """One stream event in; ``None`` when it only carried bookkeeping."""
        try:
            delta = self.assembler.feed(obj)
        except _SHAPE_ERRORS as exc:
            raise with_endpoint(_shape_error(obj, exc), *self._endpoint) from exc
        except MixRouterError as err:
            raise with_endpoint(err, *self._endpoint) from None
        return _cleaned(self._cleaner, delta) if delta is not None else None

    def _final(self) -> ChatDelta:
        """The last delta, once the stream has ended (an early end is an ``IncompleteStreamError``)."""
        final = self.assembler.final_delta()
        try:
            self.assembler.check_complete()
        except MixRouterError as err:
            raise with_endpoint(err, *self._endpoint) from None
        if self._request is not None:
            final.structured_method = self._request.structured_method
        return _cleaned(self._cleaner, final)

    def result(self) -> ChatResult:
        return _finish(self._request, self.assembler.result())


class ChatStream(_StreamBase):
    """Iterate for ``ChatDelta``s (content pieces, then one ``final`` delta); ``result()`` assembles the answer.

    Closing (or leaving the ``with`` block) releases the connection at once, even mid-stream.
    """

    def __iter__(self) -> Iterator[ChatDelta]:
        self._start()
        try:
            for obj in self._events:
                if obj is STREAM_DONE:
                    self.assembler.done = True
                    break
                delta = self._delta(obj)
                if delta is not None:
                    yield delta
            yield self._final()
        finally:
            self.close()

    def collect(self) -> ChatResult:
        for _ in self:
            pass
        return self.result()

    def close(self) -> None:
        close = getattr(self._events, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> ChatStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncChatStream(_StreamBase):
    """Async twin of ``ChatStream``."""

    async def __aiter__(self) -> AsyncIterator[ChatDelta]:
        self._start()
        try:
            async for obj in self._events:
                if obj is STREAM_DONE:
                    self.assembler.done = True
                    break
                delta = self._delta(obj)
                if delta is not None:
                    yield delta
            yield self._final()
        finally:
            await self.aclose()

    async def collect(self) -> ChatResult:
        async for _ in self:
            pass
        return self.result()

    async def aclose(self) -> None:
        aclose = getattr(self._events, "aclose", None)
        if aclose is not None:
            await aclose()

    async def __aenter__(self) -> AsyncChatStream:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


class _ClientBase:
    """Settings shared by the sync and async clients; only the transport class differs."""

    _transport_cls: type[Transport] | type[AsyncTransport]

    def __init__(
        self,
        api_key: str | SecretStr | None = None,
        base_url: str | None = None,
        *,
        timeout: Timeouts | float | None = None,
        max_retries: int = 2,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | httpx.AsyncClient | None = None,
        proxy: str | None = None,
        retry_policy: RetryPolicy | None = None,
        extra_body: Mapping[str, Any] | None = None,
        max_connections: int | None = None,
    ) -> None:
        """``max_connections``: the most connections open to MixRouter at once from this process's shared pool
        for this setting (default 1,000, as openai-python; 100 of them kept alive). A call that finds them all busy
        waits for one within its own timeout. Ignored with an injected ``http_client`` (its own limits apply)."""
        self._extra_body = dict(extra_body or {})
        self._transport = self._transport_cls(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            http_client=http_client,
            proxy=proxy,
            retry_policy=retry_policy,
            max_connections=max_connections,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, api_key=SecretStr('**********'))"

    @property
    def base_url(self) -> str:
        return self._transport.base_url

    @property
    def api_key(self) -> SecretStr:
        return self._transport.api_key

    def _prepare(
        self, model: str, messages: Sequence[Mapping[str, Any]], stream: bool, kw: Mapping[str, Any]
    ) -> tuple[Protocol, ChatRequest, dict[str, Any], dict[str, str] | None]:
        """The one request for this call (``request.make_request``), its route's protocol, body and headers."""
        if self._extra_body:
            kw = {**kw, "extra_body": deep_merge(self._extra_body, kw.get("extra_body") or {})}
        req = make_request(model, messages, stream=stream, **kw)
        protocol = PROTOCOLS[req.route]
        body = protocol.build(req)
        headers = req.extra_headers
        if protocol.headers:
            headers = {**protocol.headers, **(headers or {})}
        return protocol, req, body, headers

    def _path(self, protocol: Protocol) -> str:
        """The URL path a protocol's calls go to (``/v1/messages``), for naming errors."""
        return httpx.URL(self._transport.url(protocol.path)).path

    @staticmethod
    def _streamed(protocol: Protocol, req: ChatRequest) -> dict[str, Any]:
        """The body of ``req`` sent as a stream (for models that only think while streaming)."""
        req.stream = True
        return protocol.build(req)

    @staticmethod
    def _needs_stream(req: ChatRequest) -> bool:
        """e.g. open-weight Qwen3 only thinks while streaming: such a call is streamed and assembled, invisibly."""
        return req.route == "chat" and req.info.thinking_needs_stream and req.thinking_on


class MixRouterClient(_ClientBase):
    """Synchronous MixRouter client. Cheap to create: the HTTP connection pool is shared process-wide.

    ``timeout``: seconds (a number) or a ``Timeouts``; finite by default (connect 10 s, read 600 s, stream idle
    120 s). ``max_retries``: retries after the first attempt for connect errors, 408, 409, 429 and 5xx.
    ``extra_body``: vendor fields sent with every chat call, deep-merged under each call's own ``extra_body``.
    """

    _transport_cls = Transport

    @property
    def transport(self) -> Transport:
        return self._transport  # type: ignore[return-value]

    @property
    def videos(self) -> VideoTasks:
        """Video generation tasks: ``submit``, ``get``, ``wait`` (with progress), ``download``."""
        return VideoTasks(self.transport)

    @property
    def images(self) -> Images:
        """Image generation and editing: ``generate``, ``edit`` (see ``mixrouter.images``)."""
        from .images import Images

        return Images(self.transport)

    @property
    def audio(self) -> Audio:
        """Speech: ``speech(model, text, voice=, format=)`` (see ``mixrouter.speech``)."""
        from .speech import Audio

        return Audio(self.transport)

    def chat(self, model: str, messages: Sequence[Mapping[str, Any]], **kw: Any) -> ChatResult:
        """One chat completion. Keyword arguments are the settings ``mixrouter.request.make_request`` reads (plus
        ``extra_headers``); ``route`` ("chat", "responses" or "messages") is automatic by default."""
        protocol, req, body, headers = self._prepare(model, messages, False, kw)
        if self._needs_stream(req):  # built once: the streamed body is the same request with stream on
            return self._open_stream(protocol, req, self._streamed(protocol, req), headers).collect()
        data = self.transport.request_json("POST", protocol.path, body=body, headers=headers)
        return _finish(req, _parse(protocol, req, data, self._path(protocol)))

    def chat_stream(self, model: str, messages: Sequence[Mapping[str, Any]], **kw: Any) -> ChatStream:
        """A streamed chat completion; the request is sent when iteration starts."""
        protocol, req, body, headers = self._prepare(model, messages, True, kw)
        return self._open_stream(protocol, req, body, headers)

    def _open_stream(self, protocol: Protocol, req: ChatRequest, body: Any, headers: Any) -> ChatStream:
        events = self.transport.stream_events("POST", protocol.path, body=body, headers=headers)
        return ChatStream(events, protocol.assembler(req.info), request=req, endpoint=("POST", self._path(protocol)))

    def embed(
        self,
        model: str,
        texts: Sequence[str],
        *,
        dimensions: int | None = None,
        batch_size: int = DEFAULT_EMBED_BATCH,
        extra_body: Mapping[str, Any] | None = None,
    ) -> EmbeddingResult:
        """Embed ``texts`` (in batches of ``batch_size``), vectors in input order."""
        items = _check_texts(texts)
        result = EmbeddingResult(vectors=[])
        for start in range(0, len(items), batch_size):
            batch = items[start : start + batch_size]
            data = self.transport.request_json(
                "POST", EMBEDDINGS_PATH, body=_embedding_body(model, batch, dimensions, extra_body)
            )
            vectors, usage, name = _parse_embeddings(data, len(batch))
            result.vectors.extend(vectors)
            result.usage = _merge_usage(result.usage, usage)
            result.model = result.model or name
            result.raw.append({k: v for k, v in data.items() if k != "data"})
        return result

    def request(self, method: str, path: str, *, body: Any = None, params: Mapping[str, Any] | None = None) -> Any:
        """Any other JSON endpoint (with the same auth, timeouts, retries and errors)."""
        return self.transport.request_json(method, path, body=body, params=params)

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> MixRouterClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncMixRouterClient(_ClientBase):
    """Asynchronous MixRouter client; safe to use from several event loops (one pooled client per loop)."""

    _transport_cls = AsyncTransport

    @property
    def transport(self) -> AsyncTransport:
        return self._transport  # type: ignore[return-value]

    @property
    def videos(self) -> AsyncVideoTasks:
        """Async video generation tasks; cancelling ``await videos.wait(...)`` stops polling at once."""
        return AsyncVideoTasks(self.transport)

    @property
    def images(self) -> AsyncImages:
        """Async image generation and editing (see ``mixrouter.images``)."""
        from .images import AsyncImages

        return AsyncImages(self.transport)

    @property
    def audio(self) -> AsyncAudio:
        """Async speech (see ``mixrouter.speech``)."""
        from .speech import AsyncAudio

        return AsyncAudio(self.transport)

    async def chat(self, model: str, messages: Sequence[Mapping[str, Any]], **kw: Any) -> ChatResult:
        protocol, req, body, headers = self._prepare(model, messages, False, kw)
        if self._needs_stream(req):
            return await self._open_stream(protocol, req, self._streamed(protocol, req), headers).collect()
        data = await self.transport.request_json("POST", protocol.path, body=body, headers=headers)
        return _finish(req, _parse(protocol, req, data, self._path(protocol)))

    def chat_stream(self, model: str, messages: Sequence[Mapping[str, Any]], **kw: Any) -> AsyncChatStream:
        protocol, req, body, headers = self._prepare(model, messages, True, kw)
        return self._open_stream(protocol, req, body, headers)

    def _open_stream(self, protocol: Protocol, req: ChatRequest, body: Any, headers: Any) -> AsyncChatStream:
        events = self.transport.stream_events("POST", protocol.path, body=body, headers=headers)
        return AsyncChatStream(
            events, protocol.assembler(req.info), request=req, endpoint=("POST", self._path(protocol))
        )

    async def embed(
        self,
        model: str,
        texts: Sequence[str],
        *,
        dimensions: int | None = None,
        batch_size: int = DEFAULT_EMBED_BATCH,
        extra_body: Mapping[str, Any] | None = None,
        concurrency: int = 4,
    ) -> EmbeddingResult:
        """Embed ``texts``; batches run ``concurrency`` at a time, results in input order."""
        items = _check_texts(texts)
        batches = [items[i : i + batch_size] for i in range(0, len(items), batch_size)]
        gate = asyncio.Semaphore(max(1, concurrency))

        async def one(batch: list[str]) -> Any:
            async with gate:
                return await self.transport.request_json(
                    "POST", EMBEDDINGS_PATH, body=_embedding_body(model, batch, dimensions, extra_body)
                )

        answers = await asyncio.gather(*(one(b) for b in batches))
        result = EmbeddingResult(vectors=[])
        for batch, data in zip(batches, answers, strict=True):
            vectors, usage, name = _parse_embeddings(data, len(batch))
            result.vectors.extend(vectors)
            result.usage = _merge_usage(result.usage, usage)
            result.model = result.model or name
            result.raw.append({k: v for k, v in data.items() if k != "data"})
        return result

    async def request(
        self, method: str, path: str, *, body: Any = None, params: Mapping[str, Any] | None = None
    ) -> Any:
        return await self.transport.request_json(method, path, body=body, params=params)

    async def aclose(self) -> None:
        await self.transport.aclose()

    async def __aenter__(self) -> AsyncMixRouterClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
