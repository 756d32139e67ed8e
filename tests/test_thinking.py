"""One thinking switch, mapped per family; reasoning read back from every dialect; echo rules."""

from __future__ import annotations

import pytest

from mixrouter.chat import build_chat_body
from mixrouter.history import chat_history
from mixrouter.models import get_model_info
from mixrouter.thinking import (
    ThinkTagSplitter,
    extract_reasoning,
    split_think_tags,
)

USER = [{"role": "user", "content": "hi"}]


def _flags(model: str, **kw) -> dict:
    body = build_chat_body(model, USER, **kw)
    return {k: v for k, v in body.items() if k not in ("model", "messages", "stream")}


@pytest.mark.parametrize(
    ("model", "on", "off"),
    [
        # documented on MixRouter's pages
        ("qwen3-max", {"enable_thinking": True}, {"enable_thinking": False}),
        ("qwen2.5-vl-72b-instruct", {"thinking": {"type": "enabled"}}, {"thinking": {"type": "disabled"}}),
        ("gemini-2.5-flash", {"thinking": {"type": "enabled"}}, {"thinking": {"type": "disabled"}}),
        ("deepseek-chat", {"thinking": {"type": "enabled"}}, {"thinking": {"type": "disabled"}}),
        ("deepseek-v4-pro", {"thinking": {"type": "enabled"}}, {"thinking": {"type": "disabled"}}),
        ("gpt-5", {"reasoning_effort": "medium"}, {"reasoning_effort": "minimal"}),
        ("gpt-5.1", {"reasoning_effort": "medium"}, {"reasoning_effort": "none"}),
        # inferred (vendor conventions)
        ("glm-4.6", {"thinking": {"type": "enabled"}}, {"thinking": {"type": "disabled"}}),
        (
            "claude-sonnet-4-5-20250929",
            {"thinking": {"type": "enabled", "budget_tokens": 1024}},
            {"thinking": {"type": "disabled"}},
        ),
    ],
)
def test_thinking_flag_on_the_wire_per_family(model, on, off):
    assert _flags(model, thinking=True) == on
    assert _flags(model, thinking=False) == off
    assert _flags(model) == {}  # unset: nothing vendor-specific is sent


def test_effort_and_budget():
    assert _flags("o3", effort="high") == {"reasoning_effort": "high"}
    assert _flags("o3", thinking=True) == {"reasoning_effort": "medium"}
    assert _flags("qwen3-max", thinking=True, budget=500) == {"enable_thinking": True, "thinking_budget": 500}
    assert _flags("claude-opus-4-5-20251101", budget=4096) == {"thinking": {"type": "enabled", "budget_tokens": 4096}}
    assert _flags("deepseek-chat", budget=256) == {"thinking": {"type": "enabled", "budget_tokens": 256}}


@pytest.mark.parametrize(
    ("model", "kw", "match"),
    [
        ("gpt-4o-mini", {"thinking": True}, "does not support thinking"),
        ("deepseek-reasoner", {"thinking": False}, "always reasons"),
        ("o3", {"thinking": False}, "always reasons"),
        ("gemini-2.5-pro", {"thinking": False}, "always reasons"),
        ("o3", {"effort": "extreme"}, "accepts reasoning effort"),
        ("o3", {"budget": 100}, "effort, not a token budget"),
        ("deepseek-chat", {"effort": "high"}, "no reasoning effort"),
        ("qwen3-max", {"budget": 0}, "positive whole number"),
        ("claude-sonnet-4-5-20250929", {"thinking": True, "temperature": 0.2}, "temperature 1"),
    ],
)
def test_impossible_thinking_requests_are_refused(model, kw, match):
    with pytest.raises(ValueError, match=match):
        build_chat_body(model, USER, **kw)


def test_always_thinking_models_need_no_flag():
    assert _flags("doubao-seed-1-6-thinking-250715", thinking=True) == {}
    assert _flags("minimax-m2", thinking=True) == {}


@pytest.mark.parametrize(
    ("message", "text"),
    [
        ({"reasoning_content": "rc"}, "rc"),
        ({"reasoning": "r"}, "r"),
        ({"reasoning": {"content": "rd"}}, "rd"),
        (
            {
                "reasoning_details": [
                    {"type": "reasoning.text", "text": "a", "signature": "s"},
                    {"type": "reasoning.summary", "summary": "b"},
                ]
            },
            "ab",
        ),
        ({"content": "x"}, ""),
    ],
)
def test_reasoning_read_from_every_field(message, text):
    assert extract_reasoning(message)[0] == text


def test_reasoning_details_kept_byte_for_byte():
    details = [{"type": "reasoning.text", "text": "t", "signature": "EqQBCkgIARABGAIiQL", "format": "anthropic-v1"}]
    assert extract_reasoning({"reasoning_details": details})[1] is details


THINK = "<think>step one, step two</think>\n\nThe answer is 42."


def test_leading_think_tag_split_at_every_boundary():
    expected = ("step one, step two", "The answer is 42.")
    assert split_think_tags(THINK) == expected
    for cut in range(len(THINK) + 1):
        s = ThinkTagSplitter()
        r1, t1 = s.feed(THINK[:cut])
        r2, t2 = s.feed(THINK[cut:])
        r3, t3 = s.flush()
        assert (r1 + r2 + r3, t1 + t2 + t3) == expected, cut
    s = ThinkTagSplitter()
    pieces = [s.feed(ch) for ch in THINK] + [s.flush()]
    assert ("".join(p[0] for p in pieces), "".join(p[1] for p in pieces)) == expected


def test_text_that_is_not_a_tag_passes_through():
    assert split_think_tags("<b>bold</b> text") == ("", "<b>bold</b> text")
    assert split_think_tags("no tags <think>inside</think>") == ("", "no tags <think>inside</think>")
    assert split_think_tags("<thin") == ("", "<thin")


def test_unclosed_tag_stays_reasoning():
    assert split_think_tags("<think>still thinking") == ("still thinking", "")


def test_echo_rule_keeps_reasoning_on_tool_turns_for_deepseek_v4():
    history = [
        {"role": "user", "content": "q"},
        {
            "role": "assistant",
            "content": None,
            "reasoning_content": "plan",
            "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}],
        },
        {"role": "tool", "tool_call_id": "c1", "content": "r"},
        {"role": "assistant", "content": "done", "reasoning_content": "wrap up"},
    ]
    kept = chat_history(history, get_model_info("deepseek-v4-pro"), thinking_on=True)
    assert kept[1]["reasoning_content"] == "plan"
    assert "reasoning_content" not in kept[3]  # plain answers are not echoed
    kimi = chat_history(history, get_model_info("kimi-k2-thinking"), thinking_on=True)
    assert kimi[1]["reasoning_content"] == "plan"
    reasoner = chat_history(history, get_model_info("deepseek-reasoner"), thinking_on=True)
    assert reasoner[1]["reasoning_content"] == "plan"  # the thinking mode requires it on tool-call turns
    assert "reasoning_content" not in reasoner[3]  # R1 refused it elsewhere; the thinking mode ignores it
    stripped = chat_history(history, get_model_info("qwen3-max"), thinking_on=True)
    assert all("reasoning_content" not in m for m in stripped)
    assert history[1]["reasoning_content"] == "plan"  # input not mutated
    openai = chat_history(history, get_model_info("gpt-4o"), thinking_on=False)
    assert all("reasoning_content" not in m for m in openai)


def test_a_tool_turn_with_only_artifacts_gives_deepseek_their_text():
    """A history written by another integration may carry Claude's block or a Responses item without the text
    beside it: the text DeepSeek needs on a tool-call turn is read from the artifact."""
    call = [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]
    claude = {"type": "thinking", "thinking": "plan A", "signature": "sig"}
    responses = {"type": "reasoning", "id": "rs_1", "summary": [{"type": "summary_text", "text": "plan B"}]}
    for item, text in ((claude, "plan A"), (responses, "plan B")):
        turn = {"role": "assistant", "content": None, "tool_calls": call, "reasoning_details": [item]}
        sent = chat_history([turn], get_model_info("deepseek-v4-pro"), thinking_on=True)[0]
        assert sent["reasoning_content"] == text and "reasoning_details" not in sent
