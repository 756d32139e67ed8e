"""First byte vs idle: a stream's first byte waits as long as a non-streamed answer would (the read timeout); the
stream idle timeout applies between events once it has begun. Both the sync and async readers, with the wait
before the first byte both before the response headers and after them (gateways send headers at once)."""

from __future__ import annotations

import asyncio
import json
import socket
import time

import pytest

from mixrouter import APITimeoutError, AsyncMixRouterClient, MixRouterClient, Timeouts
from tests.loopback import Loopback, chunk

MSGS = [{"role": "user", "content": "hi"}]


def _stream(*, before_headers: float = 0.0, before_first: float = 0.0, stall_after_first: float = 0.0):
    def send(sock: socket.socket, raw: bytes) -> None:
        sock.sendall(f"{len(raw):x}\r\n".encode() + raw + b"\r\n")

    def act(sock: socket.socket) -> None:
        time.sleep(before_headers)
        head = "HTTP/1.1 200 X\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\nConnection: close"
        sock.sendall(head.encode() + b"\r\n\r\n")
        time.sleep(before_first)
        send(sock, b"data: " + json.dumps(chunk("Hel")).encode() + b"\n\n")
        time.sleep(stall_after_first)
        send(sock, b"data: " + json.dumps(chunk("lo", finish="stop")).encode() + b"\n\n")
        send(sock, b"data: [DONE]\n\n")
        sock.sendall(b"0\r\n\r\n")

    return act


def _collect(mode: str, url: str, timeouts: Timeouts) -> str:
    if mode == "sync":
        client = MixRouterClient(api_key="test-key-first", base_url=url, timeout=timeouts, max_retries=0)
        return client.chat_stream("gpt-4o-mini", MSGS).collect().text

    async def run() -> str:
        client = AsyncMixRouterClient(api_key="test-key-first", base_url=url, timeout=timeouts, max_retries=0)
        return "".join([d.text async for d in client.chat_stream("gpt-4o-mini", MSGS)])

    return asyncio.run(run())


MODES = ["sync", "async"]
SLOW_FIRST = Timeouts(read=10.0, stream_idle=0.3)  # a silent think of 1 s before the first byte is fine


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("where", ["before the headers", "after the headers"])
def test_a_silent_wait_before_the_first_byte_gets_the_read_timeout_not_the_idle_one(mode, where):
    action = _stream(before_headers=1.0) if where == "before the headers" else _stream(before_first=1.0)
    with Loopback([action]) as srv:
        assert _collect(mode, srv.base_url, SLOW_FIRST) == "Hello"


@pytest.mark.parametrize("mode", MODES)
def test_once_begun_the_idle_timeout_cuts_a_stall(mode):
    with Loopback([_stream(stall_after_first=3.0)]) as srv, pytest.raises(APITimeoutError) as info:
        _collect(mode, srv.base_url, SLOW_FIRST)
    assert "stream idle timeout (0.3 s)" in str(info.value)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("where", ["before the headers", "after the headers"])
def test_a_first_byte_later_than_the_read_timeout_is_no_response_within_it(mode, where):
    action = _stream(before_headers=3.0) if where == "before the headers" else _stream(before_first=3.0)
    with Loopback([action]) as srv, pytest.raises(APITimeoutError) as info:
        _collect(mode, srv.base_url, Timeouts(read=0.3, stream_idle=10.0))
    assert "no response within 0.3 s" in str(info.value) and "idle" not in str(info.value)


def test_a_kept_alive_connection_is_handed_back_unwrapped():
    """The first-byte/idle wrapper lives only as long as its response: the next call on the same kept-alive
    connection reads with its own timeouts."""
    from tests.slow_server import SlowServer

    with SlowServer(tokens=3) as srv:
        client = MixRouterClient(api_key="test-key-first", base_url=srv.base_url, timeout=SLOW_FIRST)
        assert [client.chat_stream("gpt-4o-mini", MSGS).collect().text for _ in range(3)] == ["ttt"] * 3
        pool = client.transport.client._transport._pool
        streams = [c._connection._network_stream for c in pool.connections if c._connection is not None]
    assert srv.connections == 1 and streams and all("read" not in vars(s) for s in streams)
