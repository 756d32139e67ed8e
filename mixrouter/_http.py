"""HTTP for MixRouter: pooled httpx clients, auth headers, timeouts, retries, error mapping, JSON and SSE reading.

Pooling: one ``httpx.Client`` per transport setting (proxy, TLS verification) for the whole process, and one
``httpx.AsyncClient`` per setting *per event loop* (an AsyncClient's connections belong to the loop that opened
them; keying by loop is what keeps repeated ``asyncio.run`` from failing with "Event loop is closed"). The key and
the timeouts travel with each request, so every client object can be shared by any number of model instances.

Every error raised here names the request it came from (``POST /v1/messages: ...``, see ``errors.with_endpoint``).
``send(..., timeout=s)`` bounds one call, retries included: each attempt's own timeouts are cut to the time left,
and a retry that would not fit is not made (``DeadlineExceededError``).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import weakref
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import Any

import httpx
from pydantic import SecretStr

from . import __version__
from ._retry import backoff_delay, should_retry_status
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
    with_endpoint,
)
from .sse import ServerSentEvent, aiter_sse, iter_sse

USER_AGENT = f"mixrouter-python/{__version__}"
STREAM_DONE = object()  # yielded by stream_events when the server sent ``[DONE]``
# 100 idle connections kept (as the OpenAI SDK does): with only 40, a burst of 200 concurrent calls reopened 160
# connections every time and took 3x longer (bench/run.py, "200 concurrent ainvoke").
_LIMITS = httpx.Limits(max_connections=200, max_keepalive_connections=100, keepalive_expiry=30.0)

_sync_pool: dict[tuple[Any, ...], httpx.Client] = {}
_async_pool: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple[Any, ...], httpx.AsyncClient]] = (
    weakref.WeakKeyDictionary()
)
_pool_lock = threading.Lock()


def shared_client(proxy: str | None = None, verify: bool = True) -> httpx.Client:
    key = (proxy, verify)
    client = _sync_pool.get(key)
    if client is None or client.is_closed:
        with _pool_lock:
            client = _sync_pool.get(key)
            if client is None or client.is_closed:
                client = httpx.Client(limits=_LIMITS, proxy=proxy, verify=verify, follow_redirects=True)
                _sync_pool[key] = client
    return client


def shared_async_client(proxy: str | None = None, verify: bool = True) -> httpx.AsyncClient:
    loop = asyncio.get_running_loop()
    key = (proxy, verify)
    per_loop = _async_pool.get(loop)
    if per_loop is None:
        per_loop = _async_pool.setdefault(loop, {})
    client = per_loop.get(key)
    if client is None or client.is_closed:
        client = httpx.AsyncClient(limits=_LIMITS, proxy=proxy, verify=verify, follow_redirects=True)
        per_loop[key] = client
    return client


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
    if base_url is not None and url.host != httpx.URL(base_url).host:
        return request.method, f"{url.scheme}://{url.host}{url.path}"
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
) -> MixRouterError:
    name = type(exc).__name__
    method, path = (request.method, request.url.path) if request is not None else (None, None)
    if isinstance(exc, httpx.TimeoutException):
        cut = _cut_to(request, configured, exc) if request is not None and configured is not None else None
        if cut is not None:
            return DeadlineExceededError(
                f"the call's time limit ran out before MixRouter answered ({name} after the {_secs(cut)} s left).",
                method=method,
                path=path,
            )
        what = {
            "ConnectTimeout": "connecting to MixRouter timed out",
            "ReadTimeout": "MixRouter sent nothing within the read timeout",
            "WriteTimeout": "sending the request timed out",
            "PoolTimeout": "no free connection in the pool within the pool timeout",
        }.get(name, "a timeout expired")
        if phase == "stream":
            what = "the stream went silent for longer than the stream idle timeout"
        return APITimeoutError(f"{what} ({name}); raise the timeout or retry.", method=method, path=path)
    detail = str(exc) or name
    if phase == "stream":
        return APIConnectionError(
            f"the connection broke in the middle of the stream: {detail} ({name}).", method=method, path=path
        )
    return APIConnectionError(f"could not reach MixRouter: {detail} ({name}).", method=method, path=path)


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


def _out_of_time(err: MixRouterError) -> bool:
    return isinstance(err, DeadlineExceededError)


def _retry_note(err: MixRouterError) -> str:
    last = f"HTTP {err.status}: {err.message}" if err.status is not None else err.message
    return f"before a retry could be made (last answer: {last})"


def _retryable_transport_error(exc: httpx.HTTPError) -> bool:
    # Connection-level failures before any response: the request did not get an answer, so trying again is safe
    # enough (the OpenAI SDK does the same). A read timeout on a live request is not retried: the model may
    # still be working and a retry would pay twice.
    return isinstance(
        exc,
        (
            httpx.ConnectError,
            httpx.ConnectTimeout,
            httpx.PoolTimeout,
            httpx.RemoteProtocolError,
            httpx.ReadError,
        ),
    )


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
    ) -> None:
        self.api_key = resolve_api_key(api_key)
        self.base_url = resolve_base_url(base_url)
        self.timeouts = Timeouts.coerce(timeout)
        self.retry = retry_policy or RetryPolicy(max_retries=max_retries)
        self.default_headers = dict(default_headers or {})
        self.proxy = proxy
        t = self.timeouts
        self._timeout = httpx.Timeout(connect=t.connect, read=t.read, write=t.write, pool=t.pool)
        self._stream_timeout = httpx.Timeout(connect=t.connect, read=t.stream_idle, write=t.write, pool=t.pool)
        self._urls: dict[str, httpx.URL] = {}
        self._client: Any = None  # an injected httpx client (set by the subclasses)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, api_key=SecretStr('**********'))"

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
        # bytes go as they are (a multipart form, with its Content-Type in ``headers``); anything else as JSON
        content = bytes(body) if isinstance(body, (bytes, bytearray)) else _dumps(body) if body is not None else None
        timeout = self._stream_timeout if stream else self._timeout
        if cap is not None:
            timeout = _cap(timeout, cap)
        if self._client is None and not params:
            # Our own pooled client has no defaults, cookies or auth of its own to merge, so the request is built
            # directly from a cached URL: this skips ``build_request``'s URL re-parse and header/cookie merge,
            # ~65 µs per call measured in bench/ (a user's injected client keeps the full merge below).
            url = self._urls.get(path)
            if url is None:
                url = httpx.URL(self.url(path))
                if len(self._urls) < 32:  # the chat/embeddings paths; not every video task id
                    self._urls[path] = url
            hdrs = self.headers(headers, stream=stream)
            hdrs.setdefault("Accept-Encoding", "gzip, deflate")
            return httpx.Request(method, url, content=content, headers=hdrs, extensions={"timeout": timeout.as_dict()})
        return client.build_request(
            method,
            self.url(path),
            content=content,
            params=params,
            headers=self.headers(headers, stream=stream),
            timeout=timeout,
        )


class Transport(_TransportBase):
    """Synchronous transport. ``http_client`` may be injected; otherwise a process-wide pooled client is used."""

    def __init__(self, *, http_client: httpx.Client | None = None, sleep: Callable[[float], None] = time.sleep, **kw):
        super().__init__(**kw)
        self._client = http_client
        self._sleep = sleep

    @property
    def client(self) -> httpx.Client:
        return self._client if self._client is not None else shared_client(self.proxy)

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
        budget = _Budget(timeout)
        configured = self._stream_timeout if stream else self._timeout
        attempt = 0
        while True:
            left = budget.left()
            if left is not None and left <= 0:
                raise budget.spent(method, httpx.URL(self.url(path)).path, "before the request could be sent")
            request = self.build(client, method, path, stream=stream, cap=left, **kw)
            try:
                response = client.send(request, stream=True)
            except httpx.HTTPError as exc:
                err = _map_transport_error(exc, phase="connect", request=request, configured=configured)
                if _retryable_transport_error(exc) and attempt < self.retry.max_retries and not _out_of_time(err):
                    delay = backoff_delay(self.retry, attempt)
                    if not budget.fits(delay):
                        raise budget.spent(request.method, request.url.path, _retry_note(err)) from exc
                    self._sleep(delay)
                    attempt += 1
                    continue
                raise err from exc
            if response.status_code < 400:
                return response
            try:
                content = response.read()
            except httpx.HTTPError:
                content = b""
            finally:
                response.close()
            err = error_from_response(
                response.status_code, content, response.headers, method=request.method, path=request.url.path
            )
            if should_retry_status(response.status_code) and attempt < self.retry.max_retries:
                delay = backoff_delay(self.retry, attempt, response.headers)
                if not budget.fits(delay):
                    raise budget.spent(request.method, request.url.path, _retry_note(err)) from err
                self._sleep(delay)
                attempt += 1
                continue
            raise err

    def request_json(self, method: str, path: str, **kw: Any) -> Any:
        response = self.send(method, path, **kw)
        try:
            content = response.read()
        except httpx.HTTPError as exc:
            raise _map_transport_error(exc, phase="read", request=response.request, configured=self._timeout) from exc
        finally:
            response.close()
        return parse_json_body(response, content)

    def stream_events(self, method: str, path: str, **kw: Any) -> Iterator[Any]:
        """POST and yield each JSON object of the SSE stream until ``[DONE]``; the response is always closed."""
        response = self.send(method, path, stream=True, **kw)
        try:
            if _is_plain_json(response):
                yield parse_json_body(response, response.read())
                return
            try:
                for event in iter_sse(response.iter_bytes()):
                    objs = decode_event(event)
                    if objs is None:
                        yield STREAM_DONE
                        return
                    yield from objs
            except httpx.HTTPError as exc:
                raise _map_transport_error(
                    exc, phase="stream", request=response.request, configured=self._stream_timeout
                ) from exc
            except MixRouterError as err:  # an error event or a garbled one: name the stream it came from
                with_endpoint(err, response.request.method, response.request.url.path)
                raise
        finally:
            response.close()


class AsyncTransport(_TransportBase):
    """Asynchronous transport; the pooled client is per event loop (see module docstring)."""

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
        return self._client if self._client is not None else shared_async_client(self.proxy)

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def send(
        self, method: str, path: str, *, stream: bool = False, timeout: float | None = None, **kw: Any
    ) -> httpx.Response:
        client = self.client
        budget = _Budget(timeout)
        configured = self._stream_timeout if stream else self._timeout
        attempt = 0
        while True:
            left = budget.left()
            if left is not None and left <= 0:
                raise budget.spent(method, httpx.URL(self.url(path)).path, "before the request could be sent")
            request = self.build(client, method, path, stream=stream, cap=left, **kw)
            try:
                response = await client.send(request, stream=True)
            except httpx.HTTPError as exc:
                err = _map_transport_error(exc, phase="connect", request=request, configured=configured)
                if _retryable_transport_error(exc) and attempt < self.retry.max_retries and not _out_of_time(err):
                    delay = backoff_delay(self.retry, attempt)
                    if not budget.fits(delay):
                        raise budget.spent(request.method, request.url.path, _retry_note(err)) from exc
                    await self._sleep(delay)
                    attempt += 1
                    continue
                raise err from exc
            if response.status_code < 400:
                return response
            try:
                content = await response.aread()
            except httpx.HTTPError:
                content = b""
            finally:
                await response.aclose()
            err = error_from_response(
                response.status_code, content, response.headers, method=request.method, path=request.url.path
            )
            if should_retry_status(response.status_code) and attempt < self.retry.max_retries:
                delay = backoff_delay(self.retry, attempt, response.headers)
                if not budget.fits(delay):
                    raise budget.spent(request.method, request.url.path, _retry_note(err)) from err
                await self._sleep(delay)
                attempt += 1
                continue
            raise err

    async def request_json(self, method: str, path: str, **kw: Any) -> Any:
        response = await self.send(method, path, **kw)
        try:
            content = await response.aread()
        except httpx.HTTPError as exc:
            raise _map_transport_error(exc, phase="read", request=response.request, configured=self._timeout) from exc
        finally:
            await response.aclose()
        return parse_json_body(response, content)

    async def stream_events(self, method: str, path: str, **kw: Any) -> AsyncIterator[Any]:
        response = await self.send(method, path, stream=True, **kw)
        try:
            if _is_plain_json(response):
                yield parse_json_body(response, await response.aread())
                return
            try:
                async for event in aiter_sse(response.aiter_bytes()):
                    objs = decode_event(event)
                    if objs is None:
                        yield STREAM_DONE
                        return
                    for obj in objs:
                        yield obj
            except httpx.HTTPError as exc:
                raise _map_transport_error(
                    exc, phase="stream", request=response.request, configured=self._stream_timeout
                ) from exc
            except MixRouterError as err:  # an error event or a garbled one: name the stream it came from
                with_endpoint(err, response.request.method, response.request.url.path)
                raise
        finally:
            # Shielded so a cancelled consumer still releases the connection at once.
            await asyncio.shield(response.aclose())
