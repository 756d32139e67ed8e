"""Per-call settings never leak onto the wire: every setting through every entry point of both faces, exact body.

``mixrouter.request.make_request`` is the one place that turns framework-level settings into a request; the strict
stub rejects an unknown top-level field (OpenAI) or a leaked framework setting (every vendor), so a leak fails the
call as it would against the real vendor, and each case also asserts the exact body.
"""

from __future__ import annotations

from typing import Any

import pytest
from llama_index.core.base.llms.types import ChatMessage
from llama_index.core.tools import FunctionTool

from tests.seams import StubWire, get_time, get_weather

FRAME = {"model", "messages", "input", "stream", "stream_options"}  # checked separately

# (model, per-call settings, the rest of the body exactly, path)
CASES: list[tuple[str, dict[str, Any], dict[str, Any], str]] = [
    ("gpt-4o-mini", {"stream_usage": False}, {}, "/v1/chat/completions"),
    ("gpt-4o-mini", {"stream_usage": True}, {}, "/v1/chat/completions"),
    ("gpt-4o-mini", {"max_completion_tokens": 50}, {"max_tokens": 50}, "/v1/chat/completions"),
    (
        "o3",
        {"max_completion_tokens": 50, "reasoning_effort": "high"},
        {"max_completion_tokens": 50, "reasoning_effort": "high"},
        "/v1/chat/completions",
    ),
    (
        "qwen3-max",
        {"thinking": True, "thinking_budget": 500},
        {"enable_thinking": True, "thinking_budget": 500},
        "/v1/chat/completions",
    ),
    ("gpt-4o-mini", {"use_responses_api": True}, {}, "/v1/responses"),
    (
        "claude-sonnet-4-5-20250929",
        {"route": "messages", "max_completion_tokens": 300},
        {"max_tokens": 300},
        "/v1/messages",
    ),
    ("gpt-4o-mini", {"temperature": 0.2, "top_p": 0.5, "seed": 3}, {"temperature": 0.2, "top_p": 0.5, "seed": 3}, None),
]
IDS = [f"{m}-{'-'.join(s)}" for m, s, _, _ in CASES]


def _check(wire: StubWire, settings: dict[str, Any], rest: dict[str, Any], path: str | None, stream: bool) -> None:
    body = wire.last
    assert wire.last_path == (path or "/v1/chat/completions")
    assert {k: v for k, v in body.items() if k not in FRAME and k != "system"} == rest
    assert body["stream"] is stream
    usage_asked = stream and settings.get("stream_usage", True) and wire.last_path == "/v1/chat/completions"
    assert ("stream_options" in body) == bool(usage_asked)


@pytest.mark.parametrize(("model", "settings", "rest", "path"), CASES, ids=IDS)
@pytest.mark.parametrize("entry", ["invoke", "ainvoke", "stream", "astream", "batch", "bind"])
async def test_langchain_per_call_settings_become_exactly_this_body(model, settings, rest, path, entry):
    wire = StubWire()
    llm = wire.langchain(model)
    stream = entry in ("stream", "astream")
    if entry == "invoke":
        msg = llm.invoke("hi", **settings)
    elif entry == "ainvoke":
        msg = await llm.ainvoke("hi", **settings)
    elif entry == "stream":
        chunks = list(llm.stream("hi", **settings))
        msg = chunks[-1]
        if settings.get("stream_usage") is False:
            assert all(c.usage_metadata is None for c in chunks)  # the setting did what it says
    elif entry == "astream":
        msg = [c async for c in llm.astream("hi", **settings)][-1]
    elif entry == "batch":
        msg = llm.batch(["hi"], **settings)[0]
    else:
        msg = llm.bind(**settings).invoke("hi")
    assert msg is not None
    _check(wire, settings, rest, path, stream)


@pytest.mark.parametrize(("model", "settings", "rest", "path"), CASES, ids=IDS)
@pytest.mark.parametrize("entry", ["chat", "achat", "stream_chat", "astream_chat", "complete"])
async def test_llama_per_call_settings_become_exactly_this_body(model, settings, rest, path, entry):
    wire = StubWire()
    llm = wire.llama(model)
    msgs = [ChatMessage(role="user", content="hi")]
    stream = entry in ("stream_chat", "astream_chat")
    if entry == "chat":
        llm.chat(msgs, **settings)
    elif entry == "achat":
        await llm.achat(msgs, **settings)
    elif entry == "stream_chat":
        list(llm.stream_chat(msgs, **settings))
    elif entry == "astream_chat":
        [c async for c in await llm.astream_chat(msgs, **settings)]
    else:
        llm.complete("hi", **settings)
    _check(wire, settings, rest, path, stream)


def test_settings_on_the_model_take_the_same_path_as_per_call_ones():
    wire = StubWire()
    wire.langchain("gpt-4o-mini", use_responses_api=True, stream_usage=False).invoke("hi")
    assert wire.last_path == "/v1/responses" and "use_responses_api" not in wire.last
    wire.llama("o3", reasoning_effort="low", max_tokens=20).chat([ChatMessage(role="user", content="hi")])
    assert wire.last["reasoning_effort"] == "low" and wire.last["max_completion_tokens"] == 20


def test_model_kwargs_and_additional_kwargs_are_the_way_to_send_vendor_fields():
    wire = StubWire()
    with pytest.warns(UserWarning, match="enable_search"):  # LangChain's own "transferred to model_kwargs"
        llm = wire.langchain("qwen-plus", enable_search=True)
    llm.invoke("hi")
    assert wire.last["enable_search"] is True
    wire.llama("qwen-plus", additional_kwargs={"enable_search": True, "reasoning_effort": None}).chat(
        [ChatMessage(role="user", content="hi")]
    )
    assert wire.last["enable_search"] is True and "reasoning_effort" not in wire.last
    with pytest.warns(UserWarning, match="stream_usage"):  # LangChain: "should be specified explicitly"
        llm = wire.langchain("qwen-plus", model_kwargs={"stream_usage": False})
    assert len(list(llm.stream("hi"))) > 1
    assert "stream_usage" not in wire.last and "stream_options" not in wire.last  # read as the setting it is


@pytest.mark.parametrize("face", ["langchain", "llama"])
def test_an_unknown_per_call_setting_is_refused_by_name_before_anything_is_sent(face):
    wire = StubWire()
    with pytest.raises(ValueError, match=r"unknown setting 'enable_serch'.*extra_body"):
        if face == "langchain":
            wire.langchain("qwen-plus").invoke("hi", enable_serch=True)
        else:
            wire.llama("qwen-plus").chat([ChatMessage(role="user", content="hi")], enable_serch=True)
    assert wire.requests == []


@pytest.mark.parametrize(
    ("choice", "wire_choice"),
    [
        ("any", "required"),
        ("required", "required"),
        ("get_time", {"type": "function", "function": {"name": "get_time"}}),
        ({"type": "tool", "name": "get_time"}, {"type": "function", "function": {"name": "get_time"}}),
        ({"type": "function", "name": "get_time"}, {"type": "function", "function": {"name": "get_time"}}),
        ("auto", "auto"),
        ("none", "none"),
    ],
)
def test_every_tool_choice_spelling_strict_and_parallel_reach_the_wire_once(choice, wire_choice):
    wire = StubWire()
    bound = wire.langchain("gpt-4o-mini").bind_tools(
        [get_weather, get_time], tool_choice=choice, strict=True, parallel_tool_calls=False
    )
    bound.invoke("Weather in 'Paris'?")
    body = wire.last
    assert body["tool_choice"] == wire_choice and body["parallel_tool_calls"] is False
    assert all(t["function"]["strict"] is True for t in body["tools"])
    assert not {"strict", "tool_required"} & set(body)
    llm = wire.llama("gpt-4o-mini", strict=True)
    names = ("get_weather", "get_time")
    tools = [FunctionTool.from_defaults(fn=lambda city: "18C", name=n, description=n) for n in names]
    llm.chat_with_tools(tools, user_msg="Weather in 'Paris'?", tool_choice=choice)
    body = wire.last
    assert body["tool_choice"] == wire_choice and body["parallel_tool_calls"] is False
    assert all(t["function"]["strict"] is True for t in body["tools"]) and "strict" not in body


@pytest.mark.parametrize(
    ("model", "route", "field", "package_says", "vendor_says"),
    [
        (
            "claude-sonnet-4-5-20250929",
            "messages",
            "verbosity",
            "not supported by Claude",
            "Extra inputs are not permitted",
        ),
        ("gpt-5.2-pro", "responses", "top_k", "not a Responses API field", "Unknown parameter: 'top_k'"),
    ],
)
def test_fields_an_endpoint_cannot_carry_are_refused_by_name_and_the_stub_refuses_them_too(
    model, route, field, package_says, vendor_says
):
    from mixrouter import BadRequestError

    wire = StubWire()
    llm = wire.langchain(model, route=route)
    with pytest.raises(ValueError, match=package_says):
        llm.invoke("hi", **{field: "x"})
    assert wire.requests == []  # refused before sending
    with pytest.raises(BadRequestError, match=vendor_says):  # extra_body is sent as given: the vendor's 400
        llm.invoke("hi", extra_body={field: "x"})
