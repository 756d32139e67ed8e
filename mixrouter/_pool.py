"""The process-wide pools of httpx clients, and their release.

One ``httpx.Client`` per transport setting (proxy, TLS verification, ``max_connections``) for the whole process, and
one ``httpx.AsyncClient`` per setting *per event loop*: an AsyncClient's connections belong to the loop that opened
them, so a new loop (each ``asyncio.run``) gets its own.

Nothing outlives its loop. When a loop is shut down by ``asyncio.run`` (or anything else that calls
``loop.shutdown_asyncgens()``, as uvloop and anyio do), its clients are closed gracefully from inside the loop: a
small async generator registered with the loop does it in its ``finally``. A loop closed without that step is swept
the next time any async client is asked for: its entry is dropped and the sockets it still holds are closed. So 1,000
``asyncio.run(llm.ainvoke(...))`` calls leave at most one pool entry per *live* loop and no sockets behind
(``tests/test_transport_scale.py`` counts both).

Both pools are bounded: a setting is user input (a proxy URL), so at most ``MAX_SETTINGS`` distinct settings are
kept (least recently used dropped; a dropped client stays usable by whoever still holds it and is closed by
garbage collection).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import OrderedDict
from typing import Any

import httpx

__all__ = [
    "DEFAULT_MAX_CONNECTIONS",
    "DEFAULT_MAX_KEEPALIVE",
    "KEEPALIVE_EXPIRY",
    "async_pool_size",
    "limits",
    "shared_async_client",
    "shared_client",
]

# openai-python's defaults: 1,000 connections, 100 kept alive. With 200 (our old limit) 300 concurrent slow calls
# queued for a connection and a third of them hit the separate 60 s pool timeout.
DEFAULT_MAX_CONNECTIONS = 1000
DEFAULT_MAX_KEEPALIVE = 100
KEEPALIVE_EXPIRY = 30.0
MAX_SETTINGS = 16  # distinct (proxy, verify, max_connections) settings kept per pool (and per loop)

Key = tuple[Any, ...]


class _LoopClients:
    """One loop's clients, and the async generator that closes them when the loop shuts down."""

    __slots__ = ("clients", "closer")

    def __init__(self) -> None:
        self.clients: OrderedDict[Key, httpx.AsyncClient] = OrderedDict()
        self.closer: Any = None


_sync_pool: OrderedDict[Key, httpx.Client] = OrderedDict()
_async_pool: dict[asyncio.AbstractEventLoop, _LoopClients] = {}
_lock = threading.Lock()


_ssl_contexts: dict[bool, Any] = {}


def _verify(verify: bool) -> Any:
    """One SSL context per setting for the process: building one loads the CA bundle (~20 ms), which every
    ``asyncio.run`` would otherwise pay again for its loop's new client."""
    ctx = _ssl_contexts.get(verify)
    if ctx is None:
        ctx = _ssl_contexts[verify] = httpx.create_ssl_context(verify=verify)
    return ctx


def limits(max_connections: int | None) -> httpx.Limits:
    n = DEFAULT_MAX_CONNECTIONS if max_connections is None else max_connections
    return httpx.Limits(
        max_connections=n, max_keepalive_connections=min(DEFAULT_MAX_KEEPALIVE, n), keepalive_expiry=KEEPALIVE_EXPIRY
    )


def check_max_connections(value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(
            f"max_connections must be a whole number >= 1 (default {DEFAULT_MAX_CONNECTIONS}), got {value!r}."
        )
    return value


def _remember(pool: OrderedDict[Key, Any], key: Key, client: Any) -> None:
    pool[key] = client
    pool.move_to_end(key)
    while len(pool) > MAX_SETTINGS:
        pool.popitem(last=False)


def shared_client(proxy: str | None = None, verify: bool = True, max_connections: int | None = None) -> httpx.Client:
    key = (proxy, verify, max_connections)
    client = _sync_pool.get(key)
    if client is None or client.is_closed:
        with _lock:
            client = _sync_pool.get(key)
            if client is None or client.is_closed:
                client = httpx.Client(
                    limits=limits(max_connections), proxy=proxy, verify=_verify(verify), follow_redirects=True
                )
                _remember(_sync_pool, key, client)
    return client


async def _close_at_shutdown(loop: asyncio.AbstractEventLoop, entry: _LoopClients) -> Any:
    try:
        yield
    finally:
        with _lock:
            if _async_pool.get(loop) is entry:
                del _async_pool[loop]
        for client in list(entry.clients.values()):
            with contextlib.suppress(Exception):
                await client.aclose()
        entry.clients.clear()


def _register_closer(loop: asyncio.AbstractEventLoop, entry: _LoopClients) -> None:
    # Started by hand to its first ``yield``: the loop's first-iteration hook now tracks it (weakly, hence
    # ``entry.closer``), and ``shutdown_asyncgens`` will run its ``finally``.
    agen = _close_at_shutdown(loop, entry)
    step = agen.__anext__()
    with contextlib.suppress(StopIteration):
        step.send(None)
    entry.closer = agen


def _force_close(client: httpx.AsyncClient) -> None:
    """Close the sockets of a client whose loop is already closed (no ``await`` possible any more)."""
    pool = getattr(getattr(client, "_transport", None), "_pool", None)
    for conn in list(getattr(pool, "_connections", None) or []):
        stream = getattr(getattr(conn, "_connection", None), "_network_stream", None)
        if stream is None:
            continue
        with contextlib.suppress(Exception):
            sock = stream.get_extra_info("socket")
            sock = getattr(sock, "_sock", sock)  # asyncio hands out a TransportSocket wrapper
            sock.close()
    with contextlib.suppress(Exception):
        pool._connections.clear()


def _sweep_closed_loops() -> None:
    for loop in [loop for loop in _async_pool if loop.is_closed()]:
        entry = _async_pool.pop(loop, None)
        if entry is not None:
            for client in entry.clients.values():
                _force_close(client)
            entry.clients.clear()
            entry.closer = None


def shared_async_client(
    proxy: str | None = None, verify: bool = True, max_connections: int | None = None
) -> httpx.AsyncClient:
    loop = asyncio.get_running_loop()
    key = (proxy, verify, max_connections)
    entry = _async_pool.get(loop)
    if entry is not None:
        client = entry.clients.get(key)
        if client is not None and not client.is_closed:
            return client
    with _lock:
        _sweep_closed_loops()
        entry = _async_pool.get(loop)
        if entry is None:
            entry = _async_pool[loop] = _LoopClients()
            _register_closer(loop, entry)
        client = entry.clients.get(key)
        if client is None or client.is_closed:
            client = httpx.AsyncClient(
                limits=limits(max_connections), proxy=proxy, verify=_verify(verify), follow_redirects=True
            )
            _remember(entry.clients, key, client)
    return client


def async_pool_size() -> int:
    """How many async clients the pool holds, over all loops (for tests and diagnostics)."""
    return sum(len(entry.clients) for entry in list(_async_pool.values()))
