"""Retries that tell the truth: a request is sent again only where it cannot have been processed, and every error
says what happened. Loopback servers count the POSTs they received.

=============================================  =========  ============================================
what happened                                  retried    error says
=============================================  =========  ============================================
connection refused                             yes        could not reach MixRouter
request read whole, then connection closed     no         connection dropped after the request was sent
request read whole, then connection reset      no         connection dropped after the request was sent
kept-alive connection closed before a byte     yes        (the retry succeeds on a new connection)
no answer within the read timeout              no         no response within N s
408 / 409 / 429 / 5xx                          yes        the server's message (Retry-After honoured)
=============================================  =========  ============================================
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import socketserver
import threading

import pytest

from mixrouter import APIConnectionError, APITimeoutError, AsyncMixRouterClient, MixRouterClient, Timeouts
from mixrouter._retry import AttemptTrace, judge_failure
from mixrouter.config import RetryPolicy
from tests.loopback import COMPLETION, Loopback, delay, free_port, reply, reset

MSGS = [{"role": "user", "content": "hi"}]
KEY = "test-key-truth-123"
ANSWER = json.dumps(COMPLETION).encode()


def _read_request(sock: socket.socket, buffered: bytes) -> tuple[bytes, bytes] | None:
    """One whole request (head and body) from ``sock``; ``None`` when the client closed first."""
    data = buffered
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = next((int(h.split(b":")[1]) for h in head.split(b"\r\n") if h.lower().startswith(b"content-length:")), 0)
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        rest += chunk
    return head, rest[length:]


class Server:
    """A keep-alive server. ``plan(n_on_connection)`` says what to do with a connection's n-th request (from 1):
    ``"answer"``, ``"close"`` (read it whole, then close) or ``"reset"`` (read it whole, then RST)."""

    def __init__(self, plan) -> None:
        self.posts = 0
        self.connections = 0
        lock = threading.Lock()
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                sock: socket.socket = self.request
                with lock:
                    outer.connections += 1
                n, buffered = 0, b""
                while True:
                    got = _read_request(sock, buffered)
                    if got is None:
                        return
                    _, buffered = got
                    n += 1
                    with lock:
                        outer.posts += 1
                    action = plan(n)
                    if action == "reset":
                        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                        return
                    if action == "close":
                        return
                    head = f"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {len(ANSWER)}\r\n\r\n"
                    with contextlib.suppress(OSError):
                        sock.sendall(head.encode() + ANSWER)

        class TCP(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = TCP(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> Server:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def _sync(url: str, **kw) -> MixRouterClient:
    client = MixRouterClient(api_key=KEY, base_url=url, **kw)
    client.transport._sleep = lambda s: None
    return client


def _async(url: str, **kw) -> AsyncMixRouterClient:
    client = AsyncMixRouterClient(api_key=KEY, base_url=url, **kw)

    async def no_sleep(s: float) -> None:
        return None

    client.transport._sleep = no_sleep
    return client


@pytest.mark.parametrize("drop", ["close", "reset"])
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_request_read_whole_then_dropped_is_posted_once_and_the_error_says_so(drop, mode):
    with Server(lambda n: drop) as srv:
        if mode == "sync":
            with pytest.raises(APIConnectionError) as info:
                _sync(srv.base_url).chat("gpt-4o-mini", MSGS)
        else:
            with pytest.raises(APIConnectionError) as info:
                asyncio.run(_async(srv.base_url).chat("gpt-4o-mini", MSGS))
    assert srv.posts == 1  # not three: MixRouter may have processed it
    text = str(info.value)
    assert "connection dropped after the request was sent" in text and "not retried" in text
    assert "could not reach" not in text
    assert not isinstance(info.value, APITimeoutError)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_kept_alive_connection_that_dies_before_answering_is_retried_on_a_new_one(mode):
    """The server answers a connection's first request and closes it on reading the second: the classic race of
    reusing a connection the server is closing. The second call is retried on a fresh connection and succeeds."""
    with Server(lambda n: "answer" if n == 1 else "close") as srv:
        if mode == "sync":
            client = _sync(srv.base_url)
            texts = [client.chat("gpt-4o-mini", MSGS).text for _ in range(2)]
        else:
            client = _async(srv.base_url)

            async def two() -> list[str]:
                return [(await client.chat("gpt-4o-mini", MSGS)).text for _ in range(2)]

            texts = asyncio.run(two())
    assert texts == ["fine", "fine"]
    assert srv.posts == 3 and srv.connections == 2  # the second call's first try died on the reused connection


def test_connect_failures_are_retried_and_say_could_not_reach():
    client = _sync(f"http://127.0.0.1:{free_port()}/v1", max_retries=2)
    slept: list[float] = []
    client.transport._sleep = slept.append
    with pytest.raises(APIConnectionError, match="could not reach MixRouter"):
        client.chat("gpt-4o-mini", MSGS)
    assert len(slept) == 2


def test_no_response_within_the_read_timeout_is_not_retried_and_names_the_seconds():
    with Loopback([delay(2.0, reply(200, COMPLETION)), reply(200, COMPLETION)]) as srv:
        client = _sync(srv.base_url, timeout=Timeouts(read=0.3))
        with pytest.raises(APITimeoutError, match=r"no response within 0.3 s") as info:
            client.chat("gpt-4o-mini", MSGS)
    assert srv.attempts == 1 and "could not reach" not in str(info.value)


@pytest.mark.parametrize("status", [408, 409, 429, 500, 503])
def test_retryable_statuses_are_retried_honouring_retry_after(status):
    with Loopback(
        [reply(status, {"error": {"message": "busy"}}, {"retry-after": "1.5"}), reply(200, COMPLETION)]
    ) as srv:
        client = _sync(srv.base_url)
        slept: list[float] = []
        client.transport._sleep = slept.append
        assert client.chat("gpt-4o-mini", MSGS).text == "fine"
    assert srv.attempts == 2 and slept == [1.5]


def test_sent_then_dropped_with_the_opt_in_is_retried():
    with Loopback([reset(), reply(200, COMPLETION)]) as srv:
        client = _sync(srv.base_url, retry_policy=RetryPolicy(retry_dropped_after_send=True))
        assert client.chat("gpt-4o-mini", MSGS).text == "fine"
    assert srv.attempts == 2


def _trace(*events: str) -> AttemptTrace:
    trace = AttemptTrace()
    for name in events:
        trace.event(name)
    return trace


NEW = ("connection.connect_tcp.started", "connection.connect_tcp.complete")
SENT = ("http11.send_request_headers.complete", "http11.send_request_body.complete")


@pytest.mark.parametrize(
    ("kind", "events", "retry", "words"),
    [
        ("ConnectError", ("connection.connect_tcp.started", "connection.connect_tcp.failed"), True, "could not reach"),
        ("ConnectTimeout", ("connection.connect_tcp.started",), True, "could not reach"),
        ("WriteError", (*NEW, "http11.send_request_headers.complete"), True, "while the request was being sent"),
        ("RemoteProtocolError", (*NEW, *SENT), False, "dropped after the request was sent"),
        ("ReadError", (*NEW, *SENT), False, "dropped after the request was sent"),
        ("RemoteProtocolError", SENT, True, "kept-alive connection"),
        ("ReadTimeout", (*NEW, *SENT), False, "no response within 5 s"),
        ("PoolTimeout", (), False, "no free connection within 7 s"),
    ],
)
def test_the_retry_decision_table(kind, events, retry, words):
    verdict = judge_failure(
        kind, _trace(*events), timeouts={"connect": 1, "read": 5, "pool": 7, "write": 2}, policy=RetryPolicy()
    )
    assert verdict.retry is retry and words in verdict.what
