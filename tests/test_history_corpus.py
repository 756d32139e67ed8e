"""Real first turns: tool calls recorded from the real vendors' APIs (tests/data/realworld), read by our parsers,
put in a history through either face, and continued on each of the twelve target families through the strict stub.

Left out, each for a reason the stub cannot fake: a real vendor's signature sent back to that same vendor (Claude's
signed thinking to Claude, Gemini's thought signature to Gemini 3). The stub verifies its own HMACs, not Anthropic's
or Google's; those round trips are covered with stub-made histories in tests/test_history_matrix.py.
"""

from __future__ import annotations

import json
import warnings
from typing import Any

import pytest
from langchain_core.messages import HumanMessage, ToolMessage
from llama_index.core.base.llms.types import ChatMessage, MessageRole

from langchain_mixrouter._convert import to_ai_message
from llama_index_mixrouter._convert import to_chat_response
from tests.history_matrix import PRODUCERS
from tests.seams import StubWire
from tests.test_realworld_corpus import replay

FIRST_TURNS = [
    "openai_gpt4omini_tool_json.json",
    "openai_gpt4omini_tool_stream.sse",
    "deepseek_reasoner_tool_json.json",
    "gemini_openai_compat_tool_json.json",
    "groq_tool_json.json",
    "groq_gptoss_reasoning_tool_stream.sse",
    "cerebras_qwen3coder_tool_json.json",
    "crusoe_glm_reasoning_tool_json.json",
    "openrouter_mistral_tool_json.json",
    "msg_claude4_tool_thinking_json.json",
    "msg_claude_tool_json.json",
    "resp_gpt4o_tool_json.json",
    "resp_gpt5_thinking_tools_json.json",
    "resp_deepseek_tool_json.json",
]
_REAL_SIGNATURES = {"msg_claude4_tool_thinking_json.json": "claude", "gemini_openai_compat_tool_json.json": "gemini-3"}
CASES = [
    (name, target)
    for name in FIRST_TURNS
    for target in PRODUCERS
    if not (_REAL_SIGNATURES.get(name) and target.startswith(_REAL_SIGNATURES[name]))
]


def _tools(result: Any) -> list[dict[str, Any]]:
    """A definition for each tool the recorded turn called (vendors take a tool call only for a defined tool)."""
    names = dict.fromkeys(tc.name for tc in result.tool_calls)
    schema = {"type": "object", "properties": {}}
    return [{"type": "function", "function": {"name": n, "description": f"The {n} tool.", "parameters": schema}}
            for n in names]  # fmt: skip


def _check(wire: StubWire, text: str, name: str, target: str) -> None:
    """The strict stub took the request (a refusal raises), the results went on the wire, and an answer came."""
    assert "done: 42" in json.dumps(wire.last), (name, target)
    assert text, (name, target)  # the stand-in reads the result back; the documented pages answer get_weather
    assert "done: 42" in text or "get_weather" in json.dumps(wire.last["tools"]), (name, target, text)


def _first_turn(name: str) -> Any:
    result = replay(name).result
    assert result.tool_calls, f"{name} has no tool call"
    return result


@pytest.mark.parametrize(("name", "target"), CASES, ids=[f"{n.split('.')[0]}-to-{t}" for n, t in CASES])
def test_a_recorded_first_turn_continues_on_every_model_langchain(name: str, target: str) -> None:
    result = _first_turn(name)
    ai = to_ai_message(result, result.model or "recorded")
    history = [HumanMessage("Please use the tools."), ai]
    history += [ToolMessage(f"{tc.name} done: 42", tool_call_id=tc.id) for tc in result.tool_calls]
    wire = StubWire()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Claude's "thinking is off for this request", where it applies
        answer = wire.langchain(target, **PRODUCERS[target]).bind_tools(_tools(result)).invoke(history)
    _check(wire, answer.text, name, target)
    assert ai.additional_kwargs == to_ai_message(result, result.model or "recorded").additional_kwargs  # untouched


@pytest.mark.parametrize(("name", "target"), CASES, ids=[f"{n.split('.')[0]}-to-{t}" for n, t in CASES])
def test_a_recorded_first_turn_continues_on_every_model_llama_index(name: str, target: str) -> None:
    result = _first_turn(name)
    history = [ChatMessage(role=MessageRole.USER, content="Please use the tools."), to_chat_response(result).message]
    history += [
        ChatMessage(role=MessageRole.TOOL, content=f"{tc.name} done: 42", additional_kwargs={"tool_call_id": tc.id})
        for tc in result.tool_calls
    ]
    wire = StubWire()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        answer = wire.llama(target, **PRODUCERS[target]).chat(history, tools=_tools(result))
    _check(wire, answer.message.content or "", name, target)
