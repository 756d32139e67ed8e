"""The fault matrix through both faces: every entry point (LangChain invoke/stream/ainvoke/astream, LlamaIndex
chat/stream_chat/achat/astream_chat) against a loopback server scripted to fail.

Expected everywhere: the right number of attempts (never a retry once a stream has yielded text), a typed error
(``mixrouter.MixRouterError``) with a readable message within the configured timeouts, no partial answer presented
as complete. The transport-level cases (Retry-After as a date, cancellation, event loops) are in
test_transport_faults.py; pool reuse after many failures is at the end of this file.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from llama_index.core.base.llms.types import ChatMessage

from langchain_mixrouter import ChatMixRouter
from llama_index_mixrouter import MixRouterLLM
from mixrouter import (
    APIConnectionError,
    APITimeoutError,
    IncompleteStreamError,
    MixRouterClient,
    MixRouterError,
    ResponseDecodeError,
    StreamError,
)
from tests.loopback import COMPLETION, Loopback, chunk, delay, reply, reset, sse

MSGS = [ChatMessage(role="user", content="hi")]
NOW = {"retry-after": "0"}  # retry at once: the backoff itself is timed in test_retry_timing.py


def _lc(url: str, kw: dict) -> ChatMixRouter:
    return ChatMixRouter(model="gpt-4o-mini", base_url=url, **kw)


def _li(url: str, kw: dict) -> MixRouterLLM:
    return MixRouterLLM(model="gpt-4o-mini", api_base=url, **kw)


async def _lc_astream(url: str, kw: dict) -> str:
    return "".join([c.text async for c in _lc(url, kw).astream("hi")])


async def _li_astream(url: str, kw: dict) -> str:
    return "".join([r.delta or "" async for r in await _li(url, kw).astream_chat(MSGS)])


INVOKES: dict[str, Callable[[str, dict], str]] = {
    "langchain invoke": lambda url, kw: _lc(url, kw).invoke("hi").text,
    "langchain ainvoke": lambda url, kw: asyncio.run(_lc(url, kw).ainvoke("hi")).text,
    "llamaindex chat": lambda url, kw: _li(url, kw).chat(MSGS).message.content,
    "llamaindex achat": lambda url, kw: asyncio.run(_li(url, kw).achat(MSGS)).message.content,
}
STREAMS: dict[str, Callable[[str, dict], str]] = {
    "langchain stream": lambda url, kw: "".join(c.text for c in _lc(url, kw).stream("hi")),
    "langchain astream": lambda url, kw: asyncio.run(_lc_astream(url, kw)),
    "llamaindex stream_chat": lambda url, kw: "".join(r.delta or "" for r in _li(url, kw).stream_chat(MSGS)),
    "llamaindex astream_chat": lambda url, kw: asyncio.run(_li_astream(url, kw)),
}
OK_STREAM = [chunk("Hel"), chunk("lo", finish="stop"), chunk(usage={"prompt_tokens": 1, "completion_tokens": 2})]
HUGE = "x" * 5_000_000

# (name, script, settings, expected answer or error class, error text, attempts)
INVOKE_FAULTS = [
    (
        "429 then success",
        [reply(429, {"error": {"message": "slow down"}}, NOW), reply(200, COMPLETION)],
        {},
        "fine",
        None,
        2,
    ),
    (
        "502, 503 then success",
        [reply(502, "bad", NOW), reply(503, {}, NOW), reply(200, COMPLETION)],
        {},
        "fine",
        None,
        3,
    ),
    (
        "reset after the whole request was sent: not sent again",
        [reset(), reply(200, COMPLETION)],
        {},
        APIConnectionError,
        "dropped after the request was sent",
        1,
    ),
    (
        "HTML error page from a proxy",
        [reply(502, "<html><title>502 Bad Gateway</title></html>", {"content-type": "text/html"})],
        {"max_retries": 0},
        MixRouterError,
        "502",
        1,
    ),
    ("empty 200", [reply(200, b"")], {}, ResponseDecodeError, "empty", 1),
    ("truncated JSON", [reply(200, b'{"id": "x", "choi')], {}, ResponseDecodeError, "not valid JSON", 1),
    (
        "an error object inside a 200",
        [reply(200, {"error": {"message": "quota exhausted"}})],
        {},
        MixRouterError,
        "quota exhausted",
        1,
    ),
    (
        "a huge answer",
        [
            reply(
                200,
                {
                    **COMPLETION,
                    "choices": [
                        {"index": 0, "message": {"role": "assistant", "content": HUGE}, "finish_reason": "stop"}
                    ],
                },
            )
        ],
        {},
        HUGE,
        None,
        1,
    ),
]
STREAM_FAULTS = [
    ("429 then success", [reply(429, {}, NOW), sse(OK_STREAM)], {}, "Hello", None, 2),
    ("503 then success", [reply(503, {}, NOW), sse(OK_STREAM)], {}, "Hello", None, 2),
    (
        "reset after the whole request was sent: not sent again",
        [reset(), sse(OK_STREAM)],
        {},
        APIConnectionError,
        "dropped after the request was sent",
        1,
    ),
    (
        "an error event after text",
        [sse([chunk("Hel"), {"error": {"message": "upstream died"}}]), sse(OK_STREAM)],
        {},
        StreamError,
        "upstream died",
        1,
    ),
    (
        "a reset after text is never retried",
        [sse([chunk("Hel"), chunk("lo")], reset_after=1), sse(OK_STREAM)],
        {},
        APIConnectionError,
        "middle of the stream",
        1,
    ),
    ("a stream that ends early", [sse([chunk("Hel")], done=False)], {}, IncompleteStreamError, "partial", 1),
    (
        "a stall after the first chunk",
        [sse(OK_STREAM, pause_after=1, pause=3.0)],
        {"stream_idle_timeout": 0.3},
        APITimeoutError,
        "stream idle",
        1,
    ),
    (
        "a huge stream",
        [sse([chunk("ab") for _ in range(20_000)] + [chunk("", finish="stop")])],
        {},
        "ab" * 20_000,
        None,
        1,
    ),
]


def _check(entry: Callable[[str, dict], str], script, settings, expected, message, attempts) -> None:
    # No wall-clock bound: each case's outcome is its behaviour. A stall is cut by the idle timeout (without the
    # cut, the stalled stream would have finished as "Hello"), every other case answers or fails typed.
    with Loopback(script) as srv:
        if isinstance(expected, str):
            assert entry(srv.base_url, settings) == expected
        else:
            with pytest.raises(expected, match=message):
                entry(srv.base_url, settings)
    assert srv.attempts == attempts


@pytest.mark.parametrize("entry", INVOKES)
@pytest.mark.parametrize(
    ("case", "script", "settings", "expected", "message", "attempts"), INVOKE_FAULTS, ids=[f[0] for f in INVOKE_FAULTS]
)
def test_invoke_faults(entry, case, script, settings, expected, message, attempts):
    _check(INVOKES[entry], script, settings, expected, message, attempts)


@pytest.mark.parametrize("entry", STREAMS)
@pytest.mark.parametrize(
    ("case", "script", "settings", "expected", "message", "attempts"), STREAM_FAULTS, ids=[f[0] for f in STREAM_FAULTS]
)
def test_stream_faults(entry, case, script, settings, expected, message, attempts):
    _check(STREAMS[entry], script, settings, expected, message, attempts)


def test_a_thousand_failed_calls_leave_the_pool_usable():
    """1,000 failures (each read and closed) do not exhaust the shared pool: the next call still gets through."""
    with Loopback([reply(500, {"error": {"message": "down"}}), reply(200, COMPLETION)], repeat_last=False) as srv:
        srv.actions = [reply(500, {"error": {"message": "down"}}) for _ in range(1000)] + [reply(200, COMPLETION)]
        client = MixRouterClient(api_key="test-key-pool", base_url=srv.base_url, max_retries=0)
        for _ in range(1000):
            with pytest.raises(MixRouterError):
                client.chat("gpt-4o-mini", [{"role": "user", "content": "hi"}])
        assert client.chat("gpt-4o-mini", [{"role": "user", "content": "hi"}]).text == "fine"
    assert srv.attempts == 1001
    pool = client.transport.client._transport._pool
    assert len(pool.connections) <= 100  # idle connections are capped, not one per failure


async def test_cancelling_face_calls_closes_them_at_once_and_the_model_stays_usable():
    """A cancelled ``astream`` / ``ainvoke`` / ``achat`` stops at once (the server is still sleeping) and the same
    model object answers the next call."""
    slow_stream = sse(OK_STREAM, pause_after=1, pause=60.0)
    slow_answer = delay(60.0, reply(200, COMPLETION))
    script = [slow_stream, sse(OK_STREAM), slow_answer, reply(200, COMPLETION), slow_answer, reply(200, COMPLETION)]
    with Loopback(script) as srv:
        lc, li = _lc(srv.base_url, {"max_retries": 0}), _li(srv.base_url, {"max_retries": 0})

        async def consume() -> None:
            async for _ in lc.astream("hi"):
                pass

        calls = [(consume, lambda: _lc_astream_text(lc)), (lambda: lc.ainvoke("hi"), lambda: lc.ainvoke("hi"))]
        calls.append((lambda: li.achat(MSGS), lambda: li.achat(MSGS)))
        for slow, again in calls:
            task = asyncio.ensure_future(slow())
            await asyncio.sleep(0.3)
            task.cancel()
            # Behaviour, not a tight wall-clock bound: the server holds its answer 60 s, so a task that finished as
            # cancelled within 30 s did not wait for it; and the same object still works.
            await asyncio.wait([task], timeout=30)
            assert task.done() and task.cancelled()
            assert await again()
    assert srv.attempts == 6


async def _lc_astream_text(llm: ChatMixRouter) -> str:
    return "".join([c.text async for c in llm.astream("hi")])
