"""Bad input gets a clear error that names what was wrong, before any request is sent.

Each case runs against a transport that records requests; the assertion is on the error text *and* on the
transport having seen nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from llama_index.core.base.llms.types import ChatMessage, ImageBlock

from langchain_mixrouter import ChatMixRouter
from llama_index_mixrouter import MixRouterLLM
from mixrouter import MixRouterClient, Timeouts
from tests.scripted import Scripted, completion

USER = [{"role": "user", "content": "hi"}]
PNG = "data:image/png;base64,iVBORw0KGgo="


def _core(t: Scripted) -> MixRouterClient:
    return MixRouterClient(api_key="test-key-bad-input", http_client=httpx.Client(transport=t))


def _lc(t: Scripted, model: str = "gpt-4o-mini", **kw) -> ChatMixRouter:
    return ChatMixRouter(model=model, api_key="test-key-bad-input", **t.clients(), **kw)


def _li(t: Scripted, model: str = "gpt-4o-mini", **kw) -> MixRouterLLM:
    from tests.scripted import llama_clients

    return MixRouterLLM(model=model, api_key="test-key-bad-input", **llama_clients(t), **kw)


CASES: list[tuple[str, Callable[[Scripted], object], type[Exception], str]] = [
    ("empty messages", lambda t: _core(t).chat("gpt-4o-mini", []), ValueError, "messages is empty"),
    (
        "unknown role",
        lambda t: _core(t).chat("gpt-4o-mini", [{"role": "robot", "content": "x"}]),
        ValueError,
        "unknown role 'robot'",
    ),
    (
        "tool message without its call",
        lambda t: _lc(t).invoke([HumanMessage("hi"), ToolMessage("18C", tool_call_id="nope")]),
        ValueError,
        "answers tool call 'nope'",
    ),
    (
        "tool arguments that are not JSON",
        lambda t: _lc(t).invoke(
            [HumanMessage("hi"), AIMessage("", tool_calls=[{"name": "f", "args": {"when": {1, 2}}, "id": "c1"}])]
        ),
        TypeError,
        "tool call 'f'.*not JSON-serialisable",
    ),
    (
        "an image for a model that takes none",
        lambda t: _li(t, "deepseek-chat").chat([ChatMessage(role="user", blocks=[ImageBlock(url=PNG)])]),
        ValueError,
        "does not take image input",
    ),
    (
        "a video duration the model does not accept",
        lambda t: _core(t).videos.submit("doubao-seedance-1-0-pro-250528", "cat", duration=99),
        ValueError,
        "duration",
    ),
    ("a negative timeout", lambda t: Timeouts.coerce(-1), ValueError, "timeout"),
    ("negative max_retries", lambda t: MixRouterClient(api_key="k", max_retries=-1), ValueError, "max_retries"),
    (
        "a malformed base URL",
        lambda t: MixRouterClient(api_key="k", base_url="api.mixrouter.com/v1"),
        ValueError,
        r"base_url .* is not an http\(s\) URL",
    ),
    (
        "thinking on a model that cannot",
        lambda t: _lc(t, "gpt-4o", thinking=True).invoke("hi"),
        ValueError,
        "does not support thinking",
    ),
    (
        "max_tokens not positive",
        lambda t: _core(t).chat("gpt-4o-mini", USER, max_tokens=0),
        ValueError,
        "max_tokens must be a positive",
    ),
    (
        "stop on a Responses-only model",
        lambda t: _lc(t, "gpt-5.2-pro").invoke("hi", stop=["x"]),
        ValueError,
        "no stop sequences",
    ),
    ("an unknown route", lambda t: _lc(t, route="grpc").invoke("hi"), ValueError, "route"),
]


@pytest.mark.parametrize(("case", "call", "error", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named_before_any_request(case, call, error, message):
    t = Scripted(completion("ok"))
    with pytest.raises(error, match=message):
        call(t)
    assert t.requests == []


def test_a_missing_key_names_the_variable(monkeypatch):
    monkeypatch.delenv("MIXROUTER_API_KEY", raising=False)
    for make in (lambda: MixRouterClient(), lambda: ChatMixRouter(model="gpt-4o-mini"), lambda: MixRouterLLM()):
        with pytest.raises(Exception, match="MIXROUTER_API_KEY"):
            make()
