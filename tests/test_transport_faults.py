"""Fault cases against a loopback server the test starts: retries, timeouts, broken and erroring streams."""

from __future__ import annotations

import asyncio
import time
from email.utils import formatdate

import pytest

from mixrouter import (
    APIConnectionError,
    APITimeoutError,
    AsyncMixRouterClient,
    AuthenticationError,
    IncompleteStreamError,
    InternalServerError,
    MixRouterClient,
    ResponseDecodeError,
    RetryPolicy,
    StreamError,
    Timeouts,
)
from tests.loopback import COMPLETION, Loopback, chunk, delay, free_port, reply, reset, sse

MSGS = [{"role": "user", "content": "hi"}]
ERR_503 = {"error": {"message": "upstream overloaded", "code": "upstream_error"}}


def _client(srv: Loopback, **kw) -> tuple[MixRouterClient, list[float]]:
    client = MixRouterClient(api_key="test-key-abcdefgh", base_url=srv.base_url, **kw)
    slept: list[float] = []
    client.transport._sleep = slept.append
    return client, slept


def _aclient(srv: Loopback, **kw) -> tuple[AsyncMixRouterClient, list[float]]:
    client = AsyncMixRouterClient(api_key="test-key-abcdefgh", base_url=srv.base_url, **kw)
    slept: list[float] = []

    async def sleep(s: float) -> None:
        slept.append(s)

    client.transport._sleep = sleep
    return client, slept


def test_429_with_retry_after_seconds_then_success():
    with Loopback([reply(429, {"error": {"message": "slow"}}, {"retry-after": "2"}), reply(200, COMPLETION)]) as srv:
        client, slept = _client(srv)
        assert client.chat("gpt-4o-mini", MSGS).text == "fine"
    assert srv.attempts == 2 and slept == [2.0]


def test_429_with_retry_after_http_date():
    when = formatdate(time.time() + 3, usegmt=True)
    with Loopback([reply(429, {}, {"retry-after": when}), reply(200, COMPLETION)]) as srv:
        client, slept = _client(srv)
        client.chat("gpt-4o-mini", MSGS)
    assert srv.attempts == 2 and 1.0 <= slept[0] <= 3.0


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_twice_then_success_uses_exactly_three_attempts(status):
    with Loopback([reply(status, ERR_503), reply(status, ERR_503), reply(200, COMPLETION)]) as srv:
        client, slept = _client(srv, max_retries=2)
        assert client.chat("gpt-4o-mini", MSGS).text == "fine"
    assert srv.attempts == 3 and len(slept) == 2 and slept[1] > slept[0]  # exponential backoff grows


def test_503_more_than_max_retries_raises_after_max_retries_plus_one():
    with Loopback([reply(503, ERR_503)], repeat_last=True) as srv:
        client, _ = _client(srv, max_retries=3)
        with pytest.raises(InternalServerError, match="upstream overloaded"):
            client.chat("gpt-4o-mini", MSGS)
    assert srv.attempts == 4


def test_max_retries_zero_means_one_attempt():
    with Loopback([reply(500, ERR_503)], repeat_last=True) as srv:
        client, slept = _client(srv, max_retries=0)
        with pytest.raises(InternalServerError):
            client.chat("gpt-4o-mini", MSGS)
    assert srv.attempts == 1 and slept == []


def test_401_is_not_retried():
    with Loopback([reply(401, {"error": {"message": "无效的令牌", "type": "new_api_error"}})], repeat_last=True) as srv:
        client, _ = _client(srv, max_retries=5)
        with pytest.raises(AuthenticationError):
            client.chat("gpt-4o-mini", MSGS)
    assert srv.attempts == 1


def test_connect_refused_retries_then_connection_error():
    client = MixRouterClient(api_key="test-key-abcdefgh", base_url=f"http://127.0.0.1:{free_port()}/v1", max_retries=2)
    slept: list[float] = []
    client.transport._sleep = slept.append
    with pytest.raises(APIConnectionError, match="could not reach MixRouter"):
        client.chat("gpt-4o-mini", MSGS)
    assert len(slept) == 2


def test_a_request_sent_whole_then_dropped_is_not_retried_and_the_error_says_so():
    """The server read the whole POST, then reset the connection: it may have processed it, so it is not sent
    again (a chat call is not idempotent), and the error says what happened, not "could not reach"."""
    with Loopback([reset(), reply(200, COMPLETION)]) as srv:
        client, slept = _client(srv)
        with pytest.raises(APIConnectionError, match="dropped after the request was sent") as info:
            client.chat("gpt-4o-mini", MSGS)
    assert srv.attempts == 1 and slept == []
    assert "could not reach" not in str(info.value)


def test_retry_dropped_after_send_opts_in_to_openai_pythons_choice():
    with Loopback([reset(), reply(200, COMPLETION)]) as srv:
        client, _ = _client(srv, retry_policy=RetryPolicy(retry_dropped_after_send=True))
        assert client.chat("gpt-4o-mini", MSGS).text == "fine"
    assert srv.attempts == 2


def test_html_502_from_a_proxy_is_readable():
    page = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
    with Loopback([reply(502, page, {"content-type": "text/html"})]) as srv:
        client, _ = _client(srv, max_retries=0)
        with pytest.raises(InternalServerError) as info:
            client.chat("gpt-4o-mini", MSGS)
    assert "502 Bad Gateway" in str(info.value) and "HTML" in str(info.value)


def test_truncated_json_and_empty_200_are_typed_errors():
    with Loopback([reply(200, b'{"id": "x", "choi'), reply(200, b"")]) as srv:
        client, _ = _client(srv, max_retries=0)
        with pytest.raises(ResponseDecodeError, match="not valid JSON"):
            client.chat("gpt-4o-mini", MSGS)
        with pytest.raises(ResponseDecodeError, match="empty body"):
            client.chat("gpt-4o-mini", MSGS)


def test_error_object_in_a_200_raises():
    with Loopback([reply(200, {"error": {"message": "model_not_found", "code": "model_not_found"}})]) as srv:
        client, _ = _client(srv, max_retries=0)
        with pytest.raises(Exception, match="model_not_found"):
            client.chat("gpt-4o-mini", MSGS)


def test_stream_is_retried_before_its_first_byte():
    with Loopback([reply(503, ERR_503), sse([chunk("a"), chunk("b", finish="stop")])]) as srv:
        client, _ = _client(srv)
        assert client.chat_stream("gpt-4o-mini", MSGS).collect().text == "ab"
    assert srv.attempts == 2


def test_stream_reset_mid_way_is_never_retried():
    with Loopback([sse([chunk("partial ")], reset_after=1), sse([chunk("x", finish="stop")])]) as srv:
        client, _ = _client(srv)
        seen = []
        with pytest.raises(APIConnectionError, match="middle of the stream"):
            for delta in client.chat_stream("gpt-4o-mini", MSGS):
                seen.append(delta.text)
    assert seen == ["partial "] and srv.attempts == 1


def test_stalled_stream_is_cut_by_the_idle_timeout():
    # Behaviour, not wall time: uncut, the stream would have ended normally after the server's 3 s pause.
    with Loopback([sse([chunk("first")], pause_after=1, pause=3.0)]) as srv:
        client, _ = _client(srv, timeout=Timeouts(stream_idle=0.3))
        seen = []
        with pytest.raises(APITimeoutError, match=r"stream idle timeout \(0.3 s\)"):
            for delta in client.chat_stream("gpt-4o-mini", MSGS):
                seen.append(delta.text)
    assert seen == ["first"]


def test_slow_first_byte_beyond_read_timeout_is_a_timeout_not_a_hang():
    # Uncut, the call would have succeeded after the server's 2 s delay: the error is the proof.
    with Loopback([delay(2.0, reply(200, COMPLETION))]) as srv:
        client, _ = _client(srv, timeout=Timeouts(read=0.3), max_retries=0)
        with pytest.raises(APITimeoutError, match=r"no response within 0.3 s"):
            client.chat("gpt-4o-mini", MSGS)


def test_sse_error_event_mid_stream_raises_not_returned_as_text():
    events = [chunk("Hello"), b'data: {"error": {"message": "upstream died", "code": "upstream_error"}}\n\n']
    with Loopback([sse(events, done=False)]) as srv:
        client, _ = _client(srv)
        with pytest.raises(StreamError, match="upstream died"):
            list(client.chat_stream("gpt-4o-mini", MSGS))


def test_named_error_event_raises():
    events = [b'event: error\ndata: {"message": "quota gone", "code": "insufficient_user_quota"}\n\n']
    with Loopback([sse(events, done=False)]) as srv:
        client, _ = _client(srv)
        with pytest.raises(StreamError, match="quota gone"):
            list(client.chat_stream("gpt-4o-mini", MSGS))


def test_stream_ending_early_is_incomplete_not_complete():
    with Loopback([sse([chunk("half an ans")], done=False)]) as srv:
        client, _ = _client(srv)
        with pytest.raises(IncompleteStreamError):
            client.chat_stream("gpt-4o-mini", MSGS).collect()


def test_truncated_json_in_a_stream_is_a_typed_error():
    with Loopback([sse([b'data: {"id": "c", "choices": [{"del\n\n'], done=False)]) as srv:
        client, _ = _client(srv)
        with pytest.raises(ResponseDecodeError):
            list(client.chat_stream("gpt-4o-mini", MSGS))


# -- async ------------------------------------------------------------------------------------------------------


async def test_async_429_then_success_and_retry_after():
    with Loopback([reply(429, {}, {"retry-after-ms": "1500"}), reply(200, COMPLETION)]) as srv:
        client, slept = _aclient(srv)
        assert (await client.chat("gpt-4o-mini", MSGS)).text == "fine"
    assert srv.attempts == 2 and slept == [1.5]


async def test_async_503_exhausts_retries():
    with Loopback([reply(503, ERR_503)], repeat_last=True) as srv:
        client, _ = _aclient(srv, max_retries=2)
        with pytest.raises(InternalServerError):
            await client.chat("gpt-4o-mini", MSGS)
    assert srv.attempts == 3


async def test_async_stalled_stream_idle_timeout():
    with Loopback([sse([chunk("first")], pause_after=1, pause=3.0)]) as srv:
        client, _ = _aclient(srv, timeout=Timeouts(stream_idle=0.3))
        with pytest.raises(APITimeoutError, match=r"stream idle timeout \(0.3 s\)"):
            await client.chat_stream("gpt-4o-mini", MSGS).collect()


async def test_async_cancel_mid_stream_leaves_client_usable():
    with Loopback([sse([chunk("a")], pause_after=1, pause=2.0), reply(200, COMPLETION)]) as srv:
        client, _ = _aclient(srv)

        async def consume() -> None:
            async for _ in client.chat_stream("gpt-4o-mini", MSGS):
                pass

        task = asyncio.create_task(consume())
        await asyncio.sleep(0.3)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert (await client.chat("gpt-4o-mini", MSGS)).text == "fine"


def test_async_client_survives_repeated_asyncio_run():
    with Loopback([reply(200, COMPLETION)], repeat_last=True) as srv:
        client = AsyncMixRouterClient(api_key="test-key-abcdefgh", base_url=srv.base_url)
        for _ in range(3):
            assert asyncio.run(client.chat("gpt-4o-mini", MSGS)).text == "fine"
    assert srv.attempts == 3


def test_clients_share_one_pooled_http_client():
    a = MixRouterClient(api_key="key-one-123456")
    b = MixRouterClient(api_key="key-two-123456", base_url="http://127.0.0.1:1/v1")
    assert a.transport.client is b.transport.client


def test_async_pool_is_shared_within_a_loop_and_separate_across_loops():
    a = AsyncMixRouterClient(api_key="key-one-123456")
    b = AsyncMixRouterClient(api_key="key-two-123456")

    async def clients():
        return a.transport.client, b.transport.client

    first_a, first_b = asyncio.run(clients())
    second_a, _ = asyncio.run(clients())
    assert first_a is first_b  # one pooled client per loop, whoever asks
    assert second_a is not first_a  # a new loop gets its own: no "Event loop is closed"
