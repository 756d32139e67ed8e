"""Request bodies: what is sent, what is never sent, and bad input refused before any request."""

from __future__ import annotations

import pytest

from mixrouter.chat import build_chat_body, deep_merge

USER = [{"role": "user", "content": "hi"}]


def test_minimal_body_sends_only_what_is_set():
    body = build_chat_body("gpt-4o-mini", USER)
    assert body == {"model": "gpt-4o-mini", "messages": USER, "stream": False}


def test_stream_always_sent_with_usage_requested_never_the_typo():
    body = build_chat_body("gpt-4o-mini", USER, stream=True, extra_body={"steam": True})
    assert body["stream"] is True and "steam" not in body
    assert body["stream_options"] == {"include_usage": True}
    assert "stream_options" not in build_chat_body("gpt-4o-mini", USER, extra_body={"stream_options": {"x": 1}})


@pytest.mark.parametrize(
    ("model", "field"),
    [
        ("gpt-4o-mini", "max_tokens"),
        ("o3", "max_completion_tokens"),
        ("gpt-5", "max_completion_tokens"),
        ("deepseek-chat", "max_tokens"),
        ("doubao-seed-1-6-thinking-250715", "max_tokens"),
        ("qwen3-max", "max_tokens"),
    ],
)
def test_max_tokens_field_per_family_never_both(model, field):
    body = build_chat_body(model, USER, max_tokens=100)
    assert body[field] == 100
    assert {"max_tokens", "max_completion_tokens"} & set(body) == {field}
    body = build_chat_body(model, USER, extra_body={"max_completion_tokens": 50, "max_tokens": 50})
    assert {"max_tokens", "max_completion_tokens"} & set(body) == {field} and body[field] == 50


def test_conflicting_max_tokens_refused():
    with pytest.raises(ValueError, match="disagree"):
        build_chat_body("gpt-4o", USER, max_tokens=10, extra_body={"max_completion_tokens": 20})
    with pytest.raises(ValueError, match="max_tokens"):
        build_chat_body("gpt-4o", USER, max_tokens=-1)


def test_extra_body_deep_merges_per_call_over_per_instance():
    instance = {"metadata": {"a": 1, "b": 1}, "top_k": 5}
    call = {"metadata": {"b": 2}}
    merged = deep_merge(instance, call)
    assert merged == {"metadata": {"a": 1, "b": 2}, "top_k": 5}
    assert instance == {"metadata": {"a": 1, "b": 1}, "top_k": 5}  # not mutated
    body = build_chat_body("qwen3-max", USER, thinking=True, extra_body={"thinking_budget": 50, "enable_search": True})
    assert body["enable_thinking"] is True and body["thinking_budget"] == 50 and body["enable_search"] is True


def test_params_and_stop_pass_through():
    body = build_chat_body("gpt-4o", USER, top_p=0.1, seed=7, stop="END", temperature=0.2, n=None)
    assert body["top_p"] == 0.1 and body["seed"] == 7 and body["stop"] == ["END"] and "n" not in body


def test_tools_and_choice():
    tool = {"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}
    body = build_chat_body("gpt-4o", USER, tools=[tool], tool_choice="any", parallel_tool_calls=False)
    assert body["tool_choice"] == "required" and body["parallel_tool_calls"] is False
    with pytest.raises(ValueError, match="without any tools"):
        build_chat_body("gpt-4o", USER, tool_choice="required")


@pytest.mark.parametrize(
    ("messages", "match"),
    [
        ([], "messages is empty"),
        ([{"role": "wizard", "content": "x"}], "unknown role 'wizard'"),
        ([{"role": "tool", "content": "x"}], "without tool_call_id"),
        ([{"role": "user", "content": "x"}, {"role": "tool", "tool_call_id": "c9", "content": "x"}], "c9"),
        (["hello"], "must be a dict"),
    ],
)
def test_bad_messages_refused_before_any_request(messages, match):
    with pytest.raises((ValueError, TypeError), match=match):
        build_chat_body("gpt-4o", messages)


def test_n_above_one_is_refused_not_silently_truncated():
    with pytest.raises(ValueError, match="n=3"):
        build_chat_body("gpt-4o", USER, n=3)
    assert build_chat_body("gpt-4o", USER, n=1)["n"] == 1


def test_empty_model_refused():
    with pytest.raises(ValueError, match="model"):
        build_chat_body("", USER)
