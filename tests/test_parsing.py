"""Tolerant parsing: documented response shapes, usage dialects, and the stream assembler's hard cases."""

from __future__ import annotations

import json

import pytest

from mixrouter.chat import StreamAssembler, parse_completion
from mixrouter.errors import IncompleteStreamError, ResponseDecodeError
from mixrouter.usage import normalize_usage
from tests.stub import documented as doc


@pytest.mark.parametrize("model", sorted(doc.CHAT))
def test_every_documented_completion_parses(model):
    result = parse_completion(doc.CHAT[model][1])
    assert result.text and result.finish_reason == "stop" and result.usage.total_tokens > 0


def test_content_as_parts_and_missing_finish_reason():
    data = {
        "choices": [
            {
                "message": {
                    "content": [
                        {"type": "text", "text": "a"},
                        {"type": "text", "text": "b"},
                        {"type": "image_url", "image_url": {"url": "u"}},
                    ]
                }
            }
        ]
    }
    result = parse_completion(data)
    assert result.text == "ab" and result.content_parts == [{"type": "image_url", "image_url": {"url": "u"}}]
    assert result.finish_reason is None and result.usage is None


def test_no_choices_is_an_error_not_an_empty_answer():
    with pytest.raises(ResponseDecodeError, match="no choices"):
        parse_completion({"id": "x", "choices": []})


def test_tool_calls_keep_vendor_extras_for_the_round_trip():
    tc = {
        "id": "c1",
        "type": "function",
        "function": {"name": "f", "arguments": {"x": 1}},
        "extra_content": {"google": {"thought_signature": "CiQB0e2Kb7"}},
    }
    result = parse_completion({"choices": [{"message": {"content": None, "tool_calls": [tc]}}]})
    call = result.tool_calls[0]
    assert call.arguments == '{"x": 1}' and result.finish_reason == "tool_calls"
    assert call.to_openai()["extra_content"] == {"google": {"thought_signature": "CiQB0e2Kb7"}}


# -- usage ------------------------------------------------------------------------------------------------------


def test_usage_openai_details():
    u = normalize_usage(
        {
            "prompt_tokens": 100,
            "completion_tokens": 50,
            "total_tokens": 150,
            "prompt_tokens_details": {"cached_tokens": 40, "audio_tokens": 3},
            "completion_tokens_details": {"reasoning_tokens": 20, "audio_tokens": 0},
        }
    )
    assert (
        u.input_tokens,
        u.output_tokens,
        u.total_tokens,
        u.cache_read,
        u.reasoning_tokens,
        u.audio_input,
    ) == (100, 50, 150, 40, 20, 3)


def test_usage_new_api_full_block_with_claude_cache_creation():
    raw = {"prompt_tokens": 21, "completion_tokens": 87, "total_tokens": 108, **doc.NEW_API_FULL_USAGE_ZERO}
    raw.update(claude_cache_creation_5_m_tokens=7, claude_cache_creation_1_h_tokens=3)
    u = normalize_usage(raw)
    assert (u.input_tokens, u.output_tokens, u.cache_creation) == (21, 87, 10)
    assert u.raw is raw


def test_usage_deepseek_cache_hits():
    u = normalize_usage(
        {
            "prompt_tokens": 10,
            "completion_tokens": 11,
            "total_tokens": 21,
            "prompt_cache_hit_tokens": 6,
            "prompt_cache_miss_tokens": 4,
        }
    )
    assert u.cache_read == 6


def test_usage_anthropic_native_counts_cache_in_input():
    u = normalize_usage(
        {
            "input_tokens": 10,
            "cache_creation_input_tokens": 5,
            "cache_read_input_tokens": 20,
            "output_tokens": 12,
        }
    )
    assert (u.input_tokens, u.cache_read, u.cache_creation, u.output_tokens, u.total_tokens) == (
        35,
        20,
        5,
        12,
        47,
    )


def test_usage_responses_style_and_garbage():
    u = normalize_usage(
        {
            "input_tokens": 9,
            "output_tokens": 4,
            "output_tokens_details": {"reasoning_tokens": 2},
            "input_tokens_details": {"cached_tokens": 1},
        }
    )
    assert (u.input_tokens, u.output_tokens, u.reasoning_tokens, u.cache_read, u.total_tokens) == (
        9,
        4,
        2,
        1,
        13,
    )
    assert normalize_usage(None) is None and normalize_usage("x") is None and normalize_usage({}) is None
    assert normalize_usage({"prompt_tokens": "7", "completion_tokens": None}).input_tokens == 7


# -- stream assembly ---------------------------------------------------------------------------------------------


def _c(delta: dict | None = None, finish: str | None = None, **top) -> dict:
    return {
        "id": "x",
        "model": "m",
        "choices": [{"index": 0, "delta": delta or {}, "finish_reason": finish}],
        **top,
    }


def _run(chunks: list[dict]) -> tuple[list, object]:
    asm = StreamAssembler()
    deltas = [d for d in (asm.feed(c) for c in chunks) if d is not None]
    deltas.append(asm.final_delta())
    return deltas, asm.result()


def _tc(index=None, id=None, name=None, args=None, **extra):
    out: dict = {"function": {}}
    if index is not None:
        out["index"] = index
    if id is not None:
        out["id"] = id
    if name is not None:
        out["function"]["name"] = name
    if args is not None:
        out["function"]["arguments"] = args
    out.update(extra)
    return out


def test_repeated_ids_are_replaced_never_appended():
    chunks = [
        _c({"tool_calls": [_tc(0, "call_1", "get_weather", "")]}),
        _c({"tool_calls": [_tc(0, "call_1", "get_weather", '{"city":')]}),
        _c({"tool_calls": [_tc(0, "call_1", None, '"Paris"}')]}),
        _c(finish="tool_calls"),
    ]
    deltas, result = _run(chunks)
    (call,) = result.tool_calls
    assert (call.id, call.name, call.parsed_arguments()) == ("call_1", "get_weather", {"city": "Paris"})
    pieces = [t for d in deltas for t in (d.tool_calls or ())]
    assert "".join(p.id or "" for p in pieces) == "call_1" and "".join(p.name or "" for p in pieces) == "get_weather"


def test_several_calls_in_one_delta():
    chunks = [
        _c({"tool_calls": [_tc(0, "a", "f", '{"x": 1}'), _tc(1, "b", "g", '{"y": 2}')]}),
        _c(finish="tool_calls"),
    ]
    _, result = _run(chunks)
    assert [(c.id, c.name, c.parsed_arguments()) for c in result.tool_calls] == [
        ("a", "f", {"x": 1}),
        ("b", "g", {"y": 2}),
    ]


def test_same_index_different_ids_are_different_calls():
    # some upstreams (Gemini through OpenAI format) send index 0 for every parallel call
    chunks = [
        _c({"tool_calls": [_tc(0, "a", "f", "{}")]}),
        _c({"tool_calls": [_tc(0, "b", "g", "{}")]}),
        _c(finish="tool_calls"),
    ]
    deltas, result = _run(chunks)
    assert [c.id for c in result.tool_calls] == ["a", "b"]
    assert [t.index for d in deltas for t in (d.tool_calls or ())] == [0, 1]


def test_missing_index_continues_the_current_call_or_starts_a_new_one():
    chunks = [
        _c({"tool_calls": [_tc(None, "a", "f", '{"q": ')]}),
        _c({"tool_calls": [_tc(None, None, None, '"z"}')]}),
        _c({"tool_calls": [_tc(None, "b", "g", "{}")]}),
        _c(finish="tool_calls"),
    ]
    _, result = _run(chunks)
    assert [(c.id, c.arguments) for c in result.tool_calls] == [("a", '{"q": "z"}'), ("b", "{}")]


def test_arguments_as_an_object_and_thought_signature_extras():
    chunks = [
        _c({"tool_calls": [_tc(0, "a", "f", {"k": "v"}, extra_content={"google": {"thought_signature": "sig=="}})]}),
        _c(finish="tool_calls"),
    ]
    _, result = _run(chunks)
    call = result.tool_calls[0]
    assert (
        json.loads(call.arguments) == {"k": "v"}
        and call.extra["extra_content"]["google"]["thought_signature"] == "sig=="
    )


def test_usage_only_last_chunk_and_single_final_delta():
    chunks = [
        _c({"role": "assistant", "content": ""}),
        _c({"content": "Hi"}),
        _c(finish="stop"),
        {"id": "x", "choices": [], "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4}},
    ]
    deltas, result = _run(chunks)
    assert result.text == "Hi" and result.usage.input_tokens == 3
    assert [d.text for d in deltas] == ["Hi", ""]
    assert [d.final for d in deltas] == [False, True]
    assert deltas[-1].usage.total_tokens == 4 and deltas[-1].finish_reason == "stop" and deltas[-1].model == "m"
    assert all(d.usage is None for d in deltas[:-1])


def test_reasoning_only_first_chunk_is_kept():
    deltas, result = _run([_c({"role": "assistant", "reasoning_content": "R"}), _c({"content": "A"}, "stop")])
    assert (deltas[0].reasoning, deltas[0].text) == ("R", "") and result.reasoning == "R" and result.text == "A"


def test_think_tags_split_across_chunks_in_a_stream():
    text = "<think>deep thought</think>\n\nFinal."
    chunks = [_c({"content": text[i : i + 3]}) for i in range(0, len(text), 3)] + [_c(finish="stop")]
    deltas, result = _run(chunks)
    assert result.reasoning == "deep thought" and result.text == "Final."
    assert "".join(d.text for d in deltas) == "Final."


def test_incomplete_stream_is_reported():
    asm = StreamAssembler()
    asm.feed(_c({"content": "half"}))
    with pytest.raises(IncompleteStreamError):
        asm.check_complete()
    asm.done = True
    asm.check_complete()  # [DONE] seen: complete even without a finish reason
