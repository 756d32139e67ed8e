"""A forced tool is honoured or refused, never swapped: vendor x thinking x entry point, both faces, strict stub.

The stub's model calls the first tool it is offered when the choice is ``auto``, like a real model might; so if a
refused named choice were sent as ``auto`` with every tool (the old behaviour), it would call ``get_weather``.
"""

from __future__ import annotations

import pytest
from llama_index.core.tools import FunctionTool

from tests.seams import StubWire, get_time, get_weather, system_text

TOOL_NAMED = {"type": "function", "function": {"name": "get_time"}}
# (model, settings, takes a forced choice in this thinking state, path)
CASES = [
    ("gpt-4o-mini", {}, True, "/v1/chat/completions"),
    ("o3", {}, True, "/v1/chat/completions"),
    ("deepseek-v4-pro", {"thinking": False}, True, "/v1/chat/completions"),
    ("deepseek-v4-pro", {"thinking": True}, False, "/v1/chat/completions"),
    ("deepseek-v4-pro", {}, False, "/v1/chat/completions"),  # V4 thinks unless told not to
    ("qwen3-max", {"thinking": True}, False, "/v1/chat/completions"),
    ("qwen3-max", {"thinking": False}, True, "/v1/chat/completions"),
    ("kimi-k2-thinking", {}, False, "/v1/chat/completions"),
    ("glm-4.6", {"thinking": True}, False, "/v1/chat/completions"),
    ("glm-4.6", {"thinking": False}, False, "/v1/chat/completions"),  # GLM: tool_choice "auto" only
    ("minimax-m2", {}, False, "/v1/chat/completions"),  # MiniMax: "none" or "auto" only
    ("claude-sonnet-4-5-20250929", {"thinking": True}, False, "/v1/messages"),
    ("claude-sonnet-4-5-20250929", {"thinking": False}, True, "/v1/chat/completions"),
    ("gemini-2.5-pro", {}, True, "/v1/chat/completions"),
    ("gpt-5.2-pro", {}, True, "/v1/responses"),
]
IDS = [f"{m}-{'-'.join(f'{k}={v}' for k, v in s.items()) or 'default'}" for m, s, _, _ in CASES]


def _names(path: str, body: dict) -> list[str]:
    return [t.get("name") or t["function"]["name"] for t in body["tools"]]


def _is_auto(choice: object) -> bool:
    return choice in (None, "auto") or (isinstance(choice, dict) and choice.get("type") == "auto")


def _assert_named_choice(wire: StubWire, forced_ok: bool, path: str) -> None:
    body = wire.last
    assert wire.last_path == path
    if forced_ok:
        assert _names(path, body) == ["get_weather", "get_time"]
        named = (TOOL_NAMED, {"type": "tool", "name": "get_time"}, {"type": "function", "name": "get_time"})
        choice = body["tool_choice"]
        assert {k: v for k, v in choice.items() if k != "disable_parallel_tool_use"} in named
    else:  # refused by the vendor: only the named tool goes, so no other can be called
        assert _names(path, body) == ["get_time"]
        assert _is_auto(body.get("tool_choice"))
        assert "calling the tool `get_time`" in system_text(body)


@pytest.mark.parametrize(("model", "settings", "forced_ok", "path"), CASES, ids=IDS)
@pytest.mark.parametrize("mode", ["invoke", "ainvoke", "stream", "astream"])
async def test_langchain_named_tool_choice_is_never_swapped(model, settings, forced_ok, path, mode):
    wire = StubWire()
    bound = wire.langchain(model, **settings).bind_tools([get_weather, get_time], tool_choice="get_time")
    with pytest.warns(UserWarning, match="refuses a forced tool_choice") if not forced_ok else _no_warning():
        if mode == "invoke":
            msg = bound.invoke("What time is it in 'Paris'?")
        elif mode == "ainvoke":
            msg = await bound.ainvoke("What time is it in 'Paris'?")
        elif mode == "stream":
            msg = None
            for chunk in bound.stream("What time is it in 'Paris'?"):
                msg = chunk if msg is None else msg + chunk
        else:
            msg = None
            async for chunk in bound.astream("What time is it in 'Paris'?"):
                msg = chunk if msg is None else msg + chunk
    assert [c["name"] for c in msg.tool_calls] == ["get_time"]
    _assert_named_choice(wire, forced_ok, path)


@pytest.mark.parametrize(("model", "settings", "forced_ok", "path"), CASES, ids=IDS)
def test_langchain_required_keeps_every_tool_and_works_as_far_as_the_vendor_allows(model, settings, forced_ok, path):
    wire = StubWire()
    bound = wire.langchain(model, **settings).bind_tools([get_weather, get_time], tool_choice="any")
    with pytest.warns(UserWarning, match="refuses a forced tool_choice") if not forced_ok else _no_warning():
        msg = bound.invoke("Weather in 'Paris'?")
    assert msg.tool_calls, "the model was asked to call a tool and did"
    body = wire.last
    assert _names(path, body) == ["get_weather", "get_time"]
    if forced_ok:
        assert body["tool_choice"] in ("required", {"type": "any"})
    else:
        assert _is_auto(body.get("tool_choice"))
        assert "calling one of the tools" in system_text(body)


def _llama_tools() -> list[FunctionTool]:
    def get_weather(city: str) -> str:
        """Current weather for a city."""
        return "18C"

    def get_time(city: str) -> str:
        """Local time in a city."""
        return "12:00"

    return [FunctionTool.from_defaults(fn=get_weather), FunctionTool.from_defaults(fn=get_time)]


@pytest.mark.parametrize(("model", "settings", "forced_ok", "path"), CASES, ids=IDS)
@pytest.mark.parametrize("mode", ["chat", "achat", "stream", "astream"])
async def test_llama_named_tool_choice_is_never_swapped(model, settings, forced_ok, path, mode):
    wire = StubWire()
    llm = wire.llama(model, **settings)
    tools, ask = _llama_tools(), "What time is it in 'Paris'?"
    with pytest.warns(UserWarning, match="refuses a forced tool_choice") if not forced_ok else _no_warning():
        if mode == "chat":
            response = llm.chat_with_tools(tools, user_msg=ask, tool_choice="get_time")
        elif mode == "achat":
            response = await llm.achat_with_tools(tools, user_msg=ask, tool_choice="get_time")
        elif mode == "stream":
            response = list(llm.stream_chat_with_tools(tools, user_msg=ask, tool_choice="get_time"))[-1]
        else:
            gen = await llm.astream_chat_with_tools(tools, user_msg=ask, tool_choice="get_time")
            response = [r async for r in gen][-1]
    calls = llm.get_tool_calls_from_response(response)
    assert [c.tool_name for c in calls] == ["get_time"]
    _assert_named_choice(wire, forced_ok, path)


class _no_warning:
    """A context that fails on a forced-tool warning (where the vendor takes the forced choice, none is due)."""

    def __enter__(self) -> None:
        import warnings

        self._catch = warnings.catch_warnings(record=True)
        self._seen = self._catch.__enter__()
        warnings.simplefilter("always")

    def __exit__(self, *exc: object) -> None:
        self._catch.__exit__(*exc)
        assert not [w for w in self._seen if "forced tool_choice" in str(w.message)]
