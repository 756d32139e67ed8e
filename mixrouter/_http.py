"""HTTP for MixRouter: auth headers, timeouts, the send loops, error mapping, JSON and SSE reading.

Split along httpx's lines: the pooled clients live in ``_pool`` (one sync client per setting for the process, one
async client per setting per event loop, released with the loop), the retry decision in ``_retry`` (sans-IO: what an
attempt got through in, a verdict out) and the SSE reader in ``sse``. What is left here is the request building
and the two send loops, which differ only in their I/O (``_Attempts`` holds everything they share).

Every error raised here names the request it came from (``POST /v1/messages: ...``, see ``errors.with_endpoint``)
and holds no copy of the API key (``_TransportBase.seal``). ``send(..., timeout=s)`` bounds one call, retries
included: each attempt's own timeouts (the wait for a pooled connection too) are cut to the time left, and a retry
that would not fit is not made (``DeadlineExceededError``).

The key is only sent to MixRouter's origin: the scheme, host and port of the base URL (httpx's own rule for
redirects). A request to any other origin (a CDN download) goes without ``Authorization``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import Any

import httpx
from pydantic import SecretStr

from . import __version__
from ._pool import check_max_connections, shared_async_client, shared_client
from ._retry import AttemptTrace, backoff_delay, judge_failure, should_retry_status
from .config import RetryPolicy, Timeouts, resolve_api_key, resolve_base_url
from .errors import (
    APIConnectionError,
    APITimeoutError,
    DeadlineExceededError,
    MixRouterError,
    ResponseDecodeError,
    StreamError,
    error_from_body,
    error_from_response,
    request_id_from_headers,
    scrub_secret,
    with_endpoint,
)
from .sse import ServerSentEvent, aiter_sse, iter_sse

__all__ = ["STREAM_DONE", "AsyncTransport", "Transport", "same_origin", "shared_async_client", "shared_client"]

USER_AGENT = f"mixrouter-python/{__version__}"
STREAM_DONE = object()  # yielded by stream_events when the server sent ``[DONE]``


def same_origin(url: str | httpx.URL, base_url: str | httpx.URL) -> bool:
    """Scheme, host and port equal (default ports filled in), as httpx decides whether a redirect keeps auth."""
    a, b = httpx.URL(url), httpx.URL(base_url)
    return (a.scheme, a.host, a.port or _DEFAULT_PORTS.get(a.scheme)) == (
        b.scheme,
        b.host,
        b.port or _DEFAULT_PORTS.get(b.scheme),
    )


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _dumps(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _response_endpoint(response: httpx.Response) -> tuple[str | None, str | None]:
    try:
        request = response.request
    except RuntimeError:  # a Response built by hand, never sent
        return None, None
    return request.method, request.url.path


def endpoint_of(request: httpx.Request, base_url: str | None = None) -> tuple[str, str]:
    """``("POST", "/v1/messages")`` for a request: the URL path only (never the query string); a host other than
    MixRouter's (a CDN download) is named too."""
    url = request.url
    if base_url is not None and not same_origin(url, base_url):
        host = f"{url.host}:{url.port}" if url.port else url.host
        return request.method, f"{url.scheme}://{host}{url.path}"
    return request.method, url.path


def parse_json_body(response: httpx.Response, content: bytes) -> Any:
    """Parse a 2xx body; an error object inside a 200 is raised, undecodable bytes give a readable error (naming
    the request, when the response came from one)."""
    if not content.strip():
        raise with_endpoint(
            ResponseDecodeError(
                f"MixRouter answered HTTP {response.status_code} with an empty body where JSON was expected.",
                status=response.status_code,
                request_id=request_id_from_headers(response.headers),
            ),
            *_response_endpoint(response),
        )
    try:
        data = json.loads(content)
    except ValueError:
        err = error_from_response(response.status_code, content, response.headers)
        decode = ResponseDecodeError(
            f"MixRouter's answer is not valid JSON (truncated or not JSON): {err.message}",
            status=response.status_code,
            request_id=err.request_id,
        )
        raise with_endpoint(decode, *_response_endpoint(response)) from None
    # An error object inside a 200 is an error, unless it belongs to a task (an id and a status) whose status says so:
    # a failed video task is a normal answer to a poll.
    is_task = (
        isinstance(data, dict) and isinstance(data.get("status"), str) and bool(data.get("id") or data.get("task_id"))
    )
    if isinstance(data, dict) and data.get("error") and not data.get("choices") and not is_task:
        method, path = _response_endpoint(response)
        raise error_from_body(
            data,
            status=response.status_code,
            request_id=request_id_from_headers(response.headers),
            method=method,
            path=path,
        )
    return data


def _is_plain_json(response: httpx.Response) -> bool:
    """Some errors (and gateways that ignore ``stream``) answer a streamed request with a plain JSON body."""
    ctype = response.headers.get("content-type", "")
    return "json" in ctype and "event-stream" not in ctype


def decode_event(event: ServerSentEvent) -> list[Any] | None:
    """The JSON objects in one SSE event; ``None`` for ``[DONE]``. Error events and error objects raise."""
    data = event.data
    if data == b"[DONE]" or data.strip() == b"[DONE]":
        return None
    try:
        objs = [json.loads(data)]
    except ValueError:
        objs = _split_joined_events(event)
    for obj in objs:
        if isinstance(obj, dict) and (event.event == "error" or obj.get("type") == "error" or obj.get("error")):
            raise _stream_error(obj)
    return objs


def _split_joined_events(event: ServerSentEvent) -> list[Any]:
    # Some gateways send "data: {...}\n" lines without the blank line between events; the spec then joins them.
    if event.lines > 1:
        try:
            return [json.loads(part) for part in event.data.split(b"\n") if part.strip() and part != b"[DONE]"]
        except ValueError:
            pass
    snippet = event.data[:120].decode("utf-8", "replace")
    raise ResponseDecodeError(f"A stream event is not valid JSON (truncated?): {snippet!r}")


def _stream_error(obj: dict[str, Any]) -> StreamError:
    base = error_from_body(obj, default="MixRouter sent an error event in the middle of the stream")
    return StreamError(
        base.message,
        status=base.status,
        code=base.code,
        error_type=base.error_type,
        request_id=base.request_id,
    )


_TIMEOUT_KEYS = {"ConnectTimeout": "connect", "ReadTimeout": "read", "WriteTimeout": "write", "PoolTimeout": "pool"}


def _cut_to(request: httpx.Request, configured: httpx.Timeout, exc: httpx.HTTPError) -> float | None:
    """When ``exc`` is a timeout that fired because the caller's time limit had cut it below the configured one,
    the seconds it was cut to; otherwise ``None``."""
    key = _TIMEOUT_KEYS.get(type(exc).__name__)
    if key is None:
        return None
    used = request.extensions.get("timeout", {}).get(key)
    limit = getattr(configured, key)
    if used is None or (limit is not None and used >= limit):
        return None
    return float(used)


def _map_transport_error(
    exc: httpx.HTTPError,
    *,
    phase: str,
    request: httpx.Request | None = None,
    configured: httpx.Timeout | None = None,
    what: str | None = None,
    started: bool = True,
    idle: float | None = None,
) -> MixRouterError:
    """The error for a transport failure. ``phase``: ``connect`` (no response yet; ``what`` is the retry verdict's
    account of it), ``read`` (reading a non-streamed answer's body) or ``stream`` (``started``: whether the stream
    had sent its first byte)."""
    name = type(exc).__name__
    method, path = (request.method, request.url.path) if request is not None else (None, None)
    used = request.extensions.get("timeout", {}) if request is not None else {}
    if isinstance(exc, httpx.TimeoutException):
        if phase == "stream" and started:
            text = f"the stream went silent for longer than the stream idle timeout ({_secs(idle)} s)"
            return APITimeoutError(f"{text} ({name}); raise the timeout or retry.", method=method, path=path)
        cut = _cut_to(request, configured, exc) if request is not None and configured is not None else None
        if cut is not None:
            return DeadlineExceededError(
                f"the call's time limit ran out before MixRouter answered ({name} after the {_secs(cut)} s left).",
                method=method,
                path=path,
            )
        if phase in ("stream", "read") and isinstance(exc, httpx.ReadTimeout):
            text = f"MixRouter sent nothing within the read timeout (no response within {_secs(used.get('read'))} s)"
        else:
            text = what or "a timeout expired"
        return APITimeoutError(f"{text} ({name}); raise the timeout or retry.", method=method, path=path)
    detail = str(exc) or name
    if phase == "stream":
        return APIConnectionError(
            f"the connection broke in the middle of the stream: {detail} ({name}).", method=method, path=path
        )
    if phase == "read":
        return APIConnectionError(
            f"the connection broke while the answer was being read: {detail} ({name}).", method=method, path=path
        )
    text = what or "the request failed before an answer arrived"
    return APIConnectionError(f"{text}: {detail} ({name}).", method=method, path=path)


def _secs(seconds: float | None) -> str:
    """Seconds for a message: ``0.3``, ``12.5``, ``1800``."""
    if seconds is None:
        return "no"
    return f"{seconds:.3g}" if abs(seconds) < 100 else f"{seconds:.0f}"


def _cap(timeout: httpx.Timeout, seconds: float) -> httpx.Timeout:
    """``timeout`` with every phase cut to at most ``seconds``."""

    def cut(value: float | None) -> float:
        return seconds if value is None else min(value, seconds)

    return httpx.Timeout(
        connect=cut(timeout.connect), read=cut(timeout.read), write=cut(timeout.write), pool=cut(timeout.pool)
    )


class _Budget:
    """The time one ``send`` may take, retries included (``None``: no limit beyond each request's own timeouts)."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.end = None if seconds is None else time.monotonic() + seconds

    def left(self) -> float | None:
        return None if self.end is None else self.end - time.monotonic()

    def fits(self, delay: float) -> bool:
        left = self.left()
        return left is None or delay < left

    def spent(self, method: str, path: str, why: str) -> DeadlineExceededError:
        return DeadlineExceededError(
            f"the call's time limit ({_secs(self.seconds)} s) ran out {why}.", method=method, path=path
        )


def _retry_note(err: MixRouterError) -> str:
    last = f"HTTP {err.status}: {err.message}" if err.status is not None else err.message
    return f"before a retry could be made (last answer: {last})"


def _forget_key(request: httpx.Request) -> None:
    """A finished attempt's request no longer needs the key; the exception chain keeps the request, so drop it."""
    if "authorization" in request.headers:
        request.headers["Authorization"] = "Bearer ***"


class _Attempts:
    """One ``send``: each attempt's request (timeouts cut to the time left, traced), and after a failure the
    decision to retry (and after how long) or raise. Written once; the sync and async loops only do the I/O."""

    __slots__ = ("attempt", "budget", "configured", "is_async", "kw", "method", "path", "stream", "trace", "transport")

    def __init__(
        self, transport: _TransportBase, method: str, path: str, stream: bool, timeout: float | None, kw: Any
    ) -> None:
        self.transport = transport
        self.method = method
        self.path = path
        self.stream = stream
        self.kw = kw
        self.budget = _Budget(timeout)
        self.configured = transport._stream_timeout if stream else transport._timeout
        self.attempt = 0
        self.trace = AttemptTrace()
        self.is_async = isinstance(transport, AsyncTransport)

    def request(self, client: httpx.Client | httpx.AsyncClient) -> httpx.Request:
        left = self.budget.left()
        if left is not None and left <= 0:
            path = httpx.URL(self.transport.url(self.path)).path
            raise self.budget.spent(self.method, path, "before the request could be sent")
        request = self.transport.build(client, self.method, self.path, stream=self.stream, cap=left, **self.kw)
        self.trace = AttemptTrace()
        request.extensions["trace"] = self.trace.atrace if self.is_async else self.trace
        return request

    def after_error(self, exc: httpx.HTTPError, request: httpx.Request) -> float:
        """Seconds to wait before the next attempt, or raises the error this failure means."""
        t = self.transport
        verdict = judge_failure(
            type(exc).__name__,
            self.trace,
            timeouts=request.extensions.get("timeout", {}),
            policy=t.retry,
            max_connections=t.max_connections_in_effect,
        )
        err = t.seal(
            _map_transport_error(exc, phase="connect", request=request, configured=self.configured, what=verdict.what)
        )
        _forget_key(request)
        if verdict.retry and self.attempt < t.retry.max_retries and not isinstance(err, DeadlineExceededError):
            delay = backoff_delay(t.retry, self.attempt)
            if not self.budget.fits(delay):
                raise t.seal(self.budget.spent(request.method, request.url.path, _retry_note(err))) from exc
            self.attempt += 1
            return delay
        raise err from exc

    def after_status(self, response: httpx.Response, content: bytes) -> float:
        """After an HTTP error answer: seconds to wait before the next attempt, or raises its error."""
        t = self.transport
        request = response.request
        err = t.seal(
            error_from_response(
                response.status_code, content, response.headers, method=request.method, path=request.url.path
            )
        )
        _forget_key(request)
        if should_retry_status(response.status_code) and self.attempt < t.retry.max_retries:
            delay = backoff_delay(t.retry, self.attempt, response.headers)
            if not self.budget.fits(delay):
                raise t.seal(self.budget.spent(request.method, request.url.path, _retry_note(err))) from err
            self.attempt += 1
            return delay
        raise err


_DRAIN_WAIT = 0.25  # seconds a stream's body may take to end after ``[DONE]`` before its connection is closed


class _FirstByteThenIdle:
    """A stream's first byte waits as long as a non-streamed answer would (the read timeout); after it, each read
    waits at most the idle timeout. httpcore reads the request's read timeout once per response, so the stream's
    network reads are wrapped for the life of this response (and unwrapped when it closes)."""

    __slots__ = ("idle", "started", "stream")

    def __init__(self, response: httpx.Response, idle: float, is_async: bool) -> None:
        self.started = False
        self.idle = idle
        self.stream = response.extensions.get("network_stream")
        first = response.request.extensions.get("timeout", {}).get("read")
        original = getattr(self.stream, "read", None)
        if original is None or not hasattr(self.stream, "__dict__"):
            # Not our pooled httpcore transport (a mock): the whole body gets the idle timeout.
            self.stream = None
            timeouts = dict(response.request.extensions.get("timeout", {}))
            timeouts["read"] = idle
            response.request.extensions["timeout"] = timeouts
            return

        if is_async:

            async def aread(max_bytes: int, timeout: float | None = None) -> bytes:
                return await original(max_bytes, self.idle if self.started else first)

            self.stream.read = aread
        else:

            def read(max_bytes: int, timeout: float | None = None) -> bytes:
                return original(max_bytes, self.idle if self.started else first)

            self.stream.read = read

    def drainable(self) -> bool:
        """After ``[DONE]``: whether the rest of the body (the chunked terminator) can be read within a short wait,
        which hands the connection back to the pool instead of closing it."""
        if self.stream is None:
            return False
        self.idle = min(self.idle, _DRAIN_WAIT)
        return True

    def close(self) -> None:
        if self.stream is not None:
            self.stream.__dict__.pop("read", None)
            self.stream = None


class _TransportBase:
    """Settings and request building shared by the sync and async transports."""

    def __init__(
        self,
        *,
        api_key: str | SecretStr | None = None,
        base_url: str | None = None,
        timeout: Timeouts | float | None = None,
        max_retries: int = 2,
        default_headers: Mapping[str, str] | None = None,
        retry_policy: RetryPolicy | None = None,
        proxy: str | None = None,
        max_connections: int | None = None,
    ) -> None:
        self.api_key = resolve_api_key(api_key)
        self.base_url = resolve_base_url(base_url)
        self.timeouts = Timeouts.coerce(timeout)
        self.retry = retry_policy or RetryPolicy(max_retries=max_retries)
        self.default_headers = dict(default_headers or {})
        self.proxy = proxy
        self.max_connections = check_max_connections(max_connections)
        t = self.timeouts
        # The wait for a pooled connection is the call's own timeout (unless set): see ``Timeouts``. A stream's
        # first byte waits ``read`` too; ``stream_idle`` applies once it has begun (``_FirstByteThenIdle``).
        self._timeout = httpx.Timeout(connect=t.connect, read=t.read, write=t.write, pool=t.pool_wait)
        self._stream_timeout = httpx.Timeout(connect=t.connect, read=t.read, write=t.write, pool=t.pool_wait)
        self._origin = httpx.URL(self.base_url)
        self._urls: dict[str, httpx.URL] = {}
        self._client: Any = None  # an injected httpx client (set by the subclasses)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, api_key=SecretStr('**********'))"

    @property
    def max_connections_in_effect(self) -> int | None:
        if self._client is not None:
            return None  # an injected client's own limits
        from ._pool import DEFAULT_MAX_CONNECTIONS

        return self.max_connections or DEFAULT_MAX_CONNECTIONS

    def seal(self, err: MixRouterError) -> MixRouterError:
        """``err`` with every copy of the key removed from its attributes (a server may echo it in its body)."""
        return scrub_secret(err, self.api_key.get_secret_value())

    def url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def headers(self, extra: Mapping[str, str] | None, *, stream: bool) -> dict[str, str]:
        headers = {
            "Authorization": f"Bearer {self.api_key.get_secret_value()}",
            "Content-Type": "application/json",
            "Accept": "text/event-stream" if stream else "application/json",
            "User-Agent": USER_AGENT,
        }
        if self.default_headers:
            headers.update(self.default_headers)
        if extra:
            headers.update(extra)
        return headers

    def headers_for(self, url: str | httpx.URL, extra: Mapping[str, str] | None = None, *, stream: bool = False):
        """The headers for a request to ``url``: without ``Authorization`` unless ``url`` is MixRouter's origin."""
        headers = self.headers(extra, stream=stream)
        if not same_origin(url, self._origin):
            headers.pop("Authorization", None)
        return headers

    def build(
        self,
        client: httpx.Client | httpx.AsyncClient,
        method: str,
        path: str,
        *,
        body: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        stream: bool = False,
        cap: float | None = None,
    ) -> httpx.Request:
        """The request; ``cap`` cuts each of its timeouts to at most that many seconds (the time a caller has left)."""
        # bytes go as they are (a multipart form, with its Content-Type in ``headers``: mixrouter.images' edits);
        # anything else as JSON
        content = bytes(body) if isinstance(body, (bytes, bytearray)) else _dumps(body) if body is not None else None
        timeout = self._stream_timeout if stream else self._timeout
        if cap is not None:
            timeout = _cap(timeout, cap)
        absolute = path.startswith(("http://", "https://"))
        if self._client is None and not params:
            # Our own pooled client has no defaults, cookies or auth of its own to merge, so the request is built
            # directly from a cached URL: this skips ``build_request``'s URL re-parse and header/cookie merge,
            # ~65 µs per call measured in bench/ (a user's injected client keeps the full merge below).
            url = self._urls.get(path)
            if url is None:
                url = httpx.URL(self.url(path))
                if len(self._urls) < 32 and not absolute:  # the chat/embeddings paths; not every video task id
                    self._urls[path] = url
            hdrs = self.headers_for(url, headers, stream=stream) if absolute else self.headers(headers, stream=stream)
            hdrs.setdefault("Accept-Encoding", "gzip, deflate")
            return httpx.Request(method, url, content=content, headers=hdrs, extensions={"timeout": timeout.as_dict()})
        url = self.url(path)
        return client.build_request(
            method,
            url,
            content=content,
            params=params,
            headers=self.headers_for(url, headers, stream=stream) if absolute else self.headers(headers, stream=stream),
            timeout=timeout,
        )


def _stream_failure(transport: _TransportBase, exc: httpx.HTTPError, response: httpx.Response, clock: Any):
    return transport.seal(
        _map_transport_error(
            exc,
            phase="stream",
            request=response.request,
            configured=transport._stream_timeout,
            started=clock.started,
            idle=clock.idle,
        )
    )


class Transport(_TransportBase):
    """Synchronous transport. ``http_client`` may be injected; otherwise a process-wide pooled client is used."""

    def __init__(self, *, http_client: httpx.Client | None = None, sleep: Callable[[float], None] = time.sleep, **kw):
        super().__init__(**kw)
        self._client = http_client
        self._sleep = sleep

    @property
    def client(self) -> httpx.Client:
        return self._client if self._client is not None else shared_client(self.proxy, True, self.max_connections)

    def close(self) -> None:
        """Close an injected client (the shared pool lives for the process)."""
        if self._client is not None:
            self._client.close()

    def send(
        self, method: str, path: str, *, stream: bool = False, timeout: float | None = None, **kw: Any
    ) -> httpx.Response:
        """Send with retries; returns an open 2xx response (the caller reads or closes it). ``timeout``: seconds the
        whole send may take, retries included (each attempt's timeouts are cut to the time left)."""
        client = self.client
        attempts = _Attempts(self, method, path, stream, timeout, kw)
        while True:
            request = attempts.request(client)
            try:
                response = client.send(request, stream=True)
            except httpx.HTTPError as exc:
                self._sleep(attempts.after_error(exc, request))
                continue
            if response.status_code < 400:
                return response
            try:
                content = response.read()
            except httpx.HTTPError:
                content = b""
            finally:
                response.close()
            self._sleep(attempts.after_status(response, content))

    def request_json(self, method: str, path: str, **kw: Any) -> Any:
        response = self.send(method, path, **kw)
        try:
            content = response.read()
        except httpx.HTTPError as exc:
            err = _map_transport_error(exc, phase="read", request=response.request, configured=self._timeout)
            raise self.seal(err) from exc
        finally:
            response.close()
        try:
            return parse_json_body(response, content)
        except MixRouterError as err:
            raise self.seal(err) from None

    def stream_events(self, method: str, path: str, **kw: Any) -> Iterator[Any]:
        """POST and yield each JSON object of the SSE stream until ``[DONE]``; the response is always closed."""
        response = self.send(method, path, stream=True, **kw)
        clock = _FirstByteThenIdle(response, self.timeouts.stream_idle, is_async=False)
        try:
            if _is_plain_json(response):
                yield parse_json_body(response, response.read())
                return
            try:
                chunks = _started(response.iter_bytes(), clock)
                for event in iter_sse(chunks):
                    objs = decode_event(event)
                    if objs is None:
                        if clock.drainable():
                            with contextlib.suppress(httpx.HTTPError):
                                for _ in chunks:  # the body's last bytes, so the connection can be reused
                                    pass
                        yield STREAM_DONE
                        return
                    yield from objs
            except httpx.HTTPError as exc:
                raise _stream_failure(self, exc, response, clock) from exc
        except MixRouterError as err:  # an error event or a garbled one: name the stream it came from
            with_endpoint(err, response.request.method, response.request.url.path)
            self.seal(err)
            raise
        finally:
            response.close()
            clock.close()
            _forget_key(response.request)


def _started(chunks: Iterator[bytes], clock: _FirstByteThenIdle) -> Iterator[bytes]:
    for chunk in chunks:
        clock.started = True
        yield chunk


async def _astarted(chunks: AsyncIterator[bytes], clock: _FirstByteThenIdle) -> AsyncIterator[bytes]:
    async for chunk in chunks:
        clock.started = True
        yield chunk


class AsyncTransport(_TransportBase):
    """Asynchronous transport; the pooled client is per event loop (see ``_pool``)."""

    def __init__(
        self,
        *,
        http_client: httpx.AsyncClient | None = None,
        sleep: Callable[[float], Any] | None = None,
        **kw,
    ):
        super().__init__(**kw)
        self._client = http_client
        self._sleep = sleep or asyncio.sleep

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is not None:
            return self._client
        return shared_async_client(self.proxy, True, self.max_connections)

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def send(
        self, method: str, path: str, *, stream: bool = False, timeout: float | None = None, **kw: Any
    ) -> httpx.Response:
        client = self.client
        attempts = _Attempts(self, method, path, stream, timeout, kw)
        while True:
            request = attempts.request(client)
            try:
                response = await client.send(request, stream=True)
            except httpx.HTTPError as exc:
                await self._sleep(attempts.after_error(exc, request))
                continue
            if response.status_code < 400:
                return response
            try:
                content = await response.aread()
            except httpx.HTTPError:
                content = b""
            finally:
                await response.aclose()
            await self._sleep(attempts.after_status(response, content))

    async def request_json(self, method: str, path: str, **kw: Any) -> Any:
        response = await self.send(method, path, **kw)
        try:
            content = await response.aread()
        except httpx.HTTPError as exc:
            err = _map_transport_error(exc, phase="read", request=response.request, configured=self._timeout)
            raise self.seal(err) from exc
        finally:
            await response.aclose()
        try:
            return parse_json_body(response, content)
        except MixRouterError as err:
            raise self.seal(err) from None

    async def stream_events(self, method: str, path: str, **kw: Any) -> AsyncIterator[Any]:
        response = await self.send(method, path, stream=True, **kw)
        clock = _FirstByteThenIdle(response, self.timeouts.stream_idle, is_async=True)
        try:
            if _is_plain_json(response):
                yield parse_json_body(response, await response.aread())
                return
            try:
                chunks = _astarted(response.aiter_bytes(), clock)
                async for event in aiter_sse(chunks):
                    objs = decode_event(event)
                    if objs is None:
                        if clock.drainable():
                            with contextlib.suppress(httpx.HTTPError):
                                async for _ in chunks:  # the body's last bytes, so the connection can be reused
                                    pass
                        yield STREAM_DONE
                        return
                    for obj in objs:
                        yield obj
            except httpx.HTTPError as exc:
                raise _stream_failure(self, exc, response, clock) from exc
        except MixRouterError as err:  # an error event or a garbled one: name the stream it came from
            with_endpoint(err, response.request.method, response.request.url.path)
            self.seal(err)
            raise
        finally:
            # Shielded so a cancelled consumer still releases the connection at once.
            await asyncio.shield(response.aclose())
            clock.close()
            _forget_key(response.request)
