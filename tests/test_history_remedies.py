"""What a switch of model does to the wire, pair by pair: artifacts kept for their vendor, converted or left out
elsewhere, the documented remedy where a target requires what the history cannot have, and the user's messages
never changed. And proof that the stub bites: without the core's history adapter, the same switches are refused.
"""

from __future__ import annotations

import copy
import warnings
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

import mixrouter.anthropic_messages
import mixrouter.chat
from mixrouter.errors import BadRequestError
from mixrouter.history import GEMINI_PLACEHOLDER_SIGNATURE
from tests.history_matrix import PRODUCERS, langchain_history, llama_history, lookup_order
from tests.seams import StubWire
from tests.stub import history_rules, native

_OPENAI_KEYS = {
    "system": {"role", "content", "name"},
    "user": {"role", "content", "name"},
    "assistant": {"role", "content", "name", "tool_calls"},
    "tool": {"role", "content", "tool_call_id"},
}


def _send(target: str, history: list[Any], **kw: Any) -> tuple[StubWire, AIMessage, list[str]]:
    wire = StubWire()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        answer = wire.langchain(target, **kw).bind_tools([lookup_order]).invoke(history)
    return wire, answer, [str(w.message) for w in caught]


def _mid_loop(producer: str) -> list[Any]:
    return langchain_history(StubWire(), producer, finished=False)


def _assistant(body: dict[str, Any]) -> dict[str, Any]:
    return next(m for m in body["messages"] if m.get("role") == "assistant")


def test_a_foreign_tool_turn_sent_to_claude_thinking_goes_without_thinking_and_says_why():
    wire, answer, said = _send("claude-sonnet-4-5", _mid_loop("gpt-4o-mini"), thinking=True)
    body = wire.last
    assert wire.last_path.endswith("/messages") and "thinking" not in body
    assert any("thinking is off for this request" in s and "another model" in s for s in said)
    assert "order 43 shipped" in answer.text


def test_claudes_own_tool_turn_keeps_thinking_and_its_signed_block_first():
    history = _mid_loop("claude-sonnet-4-5")
    wire, _, said = _send("claude-sonnet-4-5", history, thinking=True)
    body = wire.last
    assert body["thinking"]["type"] == "enabled" and not any("thinking is off" in s for s in said)
    first = body["messages"][1]["content"][0]
    assert first["type"] == "thinking" and first["signature"] == native.signature(first["thinking"])


def test_gemini_3_gets_googles_placeholder_for_a_call_another_model_made():
    wire, _, _ = _send("gemini-3-pro-preview", _mid_loop("deepseek-v4-pro"))
    call = _assistant(wire.last)["tool_calls"][0]
    assert call["extra_content"] == {"google": {"thought_signature": GEMINI_PLACEHOLDER_SIGNATURE}}
    assert "reasoning_content" not in _assistant(wire.last)  # DeepSeek's reasoning is not Gemini's to read


def test_gemini_3_gets_its_own_signature_back_and_nobody_else_sees_it():
    history = _mid_loop("gemini-3-pro-preview")
    own = history[1].additional_kwargs["tool_call_extras"]
    call_id = history[1].tool_calls[0]["id"]
    assert own[call_id]["extra_content"]["google"]["thought_signature"] == history_rules.gemini_signature(call_id)
    wire, _, _ = _send("gemini-3-pro-preview", history)
    assert _assistant(wire.last)["tool_calls"][0]["extra_content"] == own[call_id]["extra_content"]
    for target in ("gpt-4o-mini", "deepseek-v4-pro", "kimi-k2-thinking", "qwen3-max"):
        wire, _, _ = _send(target, history, **PRODUCERS[target])
        assert "extra_content" not in _assistant(wire.last)["tool_calls"][0], target


@pytest.mark.parametrize("target", ["deepseek-v4-pro", "kimi-k2-thinking", "deepseek-reasoner"])
def test_deepseek_and_kimi_get_reasoning_content_on_every_tool_turn_even_from_a_model_without_any(target):
    wire, _, _ = _send(target, _mid_loop("gpt-4o-mini"))
    assert _assistant(wire.last)["reasoning_content"] == ""  # their rule is that the field is there
    wire, _, _ = _send(target, _mid_loop("claude-sonnet-4-5"))
    claude_thought = _mid_loop("claude-sonnet-4-5")[1].additional_kwargs["reasoning_content"]
    assert _assistant(wire.last)["reasoning_content"] == claude_thought  # Claude's text, not its signed block
    assert "reasoning_details" not in _assistant(wire.last)


def test_openai_gets_only_the_keys_its_message_schema_has():
    for producer in ("gemini-3-pro-preview", "deepseek-v4-pro", "claude-sonnet-4-5", "gpt-5.2-pro", "minimax-m2"):
        wire, _, _ = _send("gpt-4o-mini", langchain_history(StubWire(), producer, finished=True))
        for msg in wire.last["messages"]:
            assert set(msg) <= _OPENAI_KEYS[msg["role"]], (producer, msg)
            for call in msg.get("tool_calls") or ():
                assert set(call) == {"id", "type", "function"}, producer


def test_the_responses_route_gets_only_openai_reasoning_items():
    wire, _, _ = _send("gpt-5.2-pro", _mid_loop("claude-sonnet-4-5"))
    kinds = [item.get("type", "message") for item in wire.last["input"]]
    assert "reasoning" not in kinds and "thinking" not in kinds
    own = _mid_loop("gpt-5.2-pro")
    wire, _, _ = _send("gpt-5.2-pro", own)
    items = wire.last["input"]
    reasoning = next(i for i in items if i.get("type") == "reasoning")
    assert reasoning == own[1].additional_kwargs["reasoning_details"][0]
    assert items.index(reasoning) < next(i for i, it in enumerate(items) if it.get("type") == "function_call")


def test_the_users_history_keeps_every_artifact_after_any_switch():
    history = langchain_history(StubWire(), "claude-sonnet-4-5", finished=True)
    before = copy.deepcopy([m.model_dump() for m in history])
    for target in ("gpt-4o-mini", "gemini-3-pro-preview", "deepseek-v4-pro", "gpt-5.2-pro"):
        _send(target, history)
    assert [m.model_dump() for m in history] == before
    assert history[1].additional_kwargs["reasoning_details"][0]["type"] == "thinking"  # still there for Claude


# -- the stub bites: without the core's adapter, the vendors refuse -----------------------------------------------
def _raw_history(messages: list[dict[str, Any]], info: Any, thinking_on: bool) -> list[dict[str, Any]]:
    return [dict(m) for m in messages]  # every artifact sent to every vendor, nothing filled in


@pytest.mark.parametrize(
    ("producer", "target", "kw", "vendor_says"),
    [
        ("gemini-3-pro-preview", "gpt-4o-mini", {}, "Unknown parameter: 'messages[1].tool_calls[0].extra_content'"),
        ("deepseek-v4-pro", "gpt-4o-mini", {}, "Unknown parameter: 'messages[1].reasoning_content'"),
        ("gpt-4o-mini", "deepseek-v4-pro", {}, "must be passed back"),
        ("gpt-4o-mini", "kimi-k2-thinking", {}, "reasoning_content is missing in assistant tool call message"),
        ("gpt-4o-mini", "gemini-3-pro-preview", {}, "missing a thought_signature"),
        ("minimax-m2", "gemini-3-pro-preview", {}, "missing a thought_signature"),
    ],
)
def test_without_the_history_adapter_the_strict_stub_refuses_the_switch(monkeypatch, producer, target, kw, vendor_says):
    history = _mid_loop(producer)
    monkeypatch.setattr(mixrouter.chat, "chat_history", _raw_history)
    with pytest.raises(BadRequestError) as err:
        _send(target, history, **kw)
    assert vendor_says in str(err.value)


def test_without_the_thinking_remedy_claude_refuses_a_foreign_tool_turn(monkeypatch):
    history = _mid_loop("gpt-4o-mini")
    monkeypatch.setattr(mixrouter.anthropic_messages, "claude_tool_turn_unsigned", lambda messages: False)
    with pytest.raises(BadRequestError) as err:
        _send("claude-sonnet-4-5", history, thinking=True)
    assert "must start with a thinking block" in str(err.value)


def test_a_llama_index_history_keeps_every_artifact_after_any_switch():
    history = llama_history(StubWire(), "claude-sonnet-4-5", finished=True)
    before = copy.deepcopy([m.model_dump() for m in history])
    for target in ("gpt-4o-mini", "gemini-3-pro-preview", "deepseek-v4-pro", "gpt-5.2-pro"):
        StubWire().llama(target).chat(history)
    assert [m.model_dump() for m in history] == before
    thinking = history[1].blocks[0]
    assert thinking.additional_information["reasoning_details"][0]["type"] == "thinking"  # still there for Claude


def test_claudes_thinking_in_openrouters_shape_goes_back_as_claudes_own_block():
    """A Claude turn recorded through an OpenRouter-style gateway: ``reasoning.text`` with an Anthropic format and
    a signature is Claude's signed block, so thinking stays on and the block goes back first."""
    thought = "I should look order 42 up."
    details = [{"type": "reasoning.text", "text": thought, "signature": native.signature(thought),
                "format": "anthropic-claude-v1", "index": 0}]  # fmt: skip
    call = {"name": "lookup_order", "args": {"order": 42}, "id": "toolu_1", "type": "tool_call"}
    history = [
        HumanMessage("Where is order 42?"),
        AIMessage("", tool_calls=[call], additional_kwargs={"reasoning_details": details}),
        ToolMessage("order 42 shipped", tool_call_id="toolu_1"),
    ]
    wire, _, said = _send("claude-sonnet-4-5", history, thinking=True)
    assert wire.last["thinking"]["type"] == "enabled" and not any("thinking is off" in s for s in said)
    assert wire.last["messages"][1]["content"][0] == {"type": "thinking", "thinking": thought,
                                                      "signature": native.signature(thought)}  # fmt: skip


def test_the_thinking_off_remedy_keeps_the_users_effort():
    wire, _, said = _send("claude-sonnet-4-6", _mid_loop("gpt-4o-mini"), effort="low")
    assert "thinking" not in wire.last and wire.last["output_config"]["effort"] == "low"
    assert any("thinking is off for this request" in s for s in said)


def test_minimaxs_own_reasoning_goes_back_to_it_on_tool_turns_and_nowhere_it_is_refused():
    history = _mid_loop("minimax-m2")
    thought = history[1].additional_kwargs["reasoning_content"]
    assert thought  # MiniMax-M2 always reasons (MixRouter's minimax-m2 page)
    wire, _, _ = _send("minimax-m2", history)
    assert _assistant(wire.last)["reasoning_content"] == thought
    wire, _, _ = _send("gpt-4o-mini", history)
    assert "reasoning_content" not in _assistant(wire.last)
