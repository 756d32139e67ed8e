"""The route choice and the two non-chat protocols (OpenAI Responses, Anthropic Messages), in the core.

Request bodies are checked against the published formats; parsers and stream assemblers against hand-written
events in those formats (MixRouter documents only the /v1/messages pair used below, research §2.3).
"""

from __future__ import annotations

import httpx
import pytest

from mixrouter import IncompleteStreamError, MixRouterClient, StreamError, get_model_info
from mixrouter.anthropic_messages import MessagesStreamAssembler, build_messages_body, parse_message
from mixrouter.errors import MixRouterError
from mixrouter.responses_api import ResponsesStreamAssembler, build_responses_body, parse_response
from mixrouter.routes import resolve_route
from tests.scripted import Scripted

CLAUDE = "claude-sonnet-4-5-20250929"
USER = [{"role": "user", "content": "Weather in Paris?"}]
CALL = {"id": "c1", "type": "function", "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'}}
TOOL = {"type": "function", "function": {"name": "get_weather", "description": "w", "parameters": {"type": "object"}}}
SIGNED = {"type": "thinking", "thinking": "look it up", "signature": "sig=="}


def _loop(assistant_extra: dict) -> list[dict]:
    assistant = {"role": "assistant", "content": None, "tool_calls": [CALL], **assistant_extra}
    return [*USER, assistant, {"role": "tool", "tool_call_id": "c1", "content": "18C"}]


# -- which route -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("model", "kw", "route"),
    [
        ("gpt-4o-mini", {}, "chat"),
        ("gpt-5.2-pro", {}, "responses"),
        ("gpt-5.1-codex", {}, "responses"),
        (CLAUDE, {}, "chat"),
        (CLAUDE, {"thinking": False}, "chat"),
        (CLAUDE, {"thinking": True}, "messages"),
        (CLAUDE, {"budget": 2048}, "messages"),
        (CLAUDE, {"thinking": True, "route": "chat"}, "chat"),
        ("gpt-4o-mini", {"route": "responses"}, "responses"),
        ("gpt-5.2-pro", {"route": "auto"}, "responses"),
    ],
)
def test_route_per_model_and_override(model, kw, route):
    info = get_model_info(model)
    assert resolve_route(info, kw.pop("route", None), **kw) == route


def test_bad_route_and_non_chat_models_are_refused():
    with pytest.raises(ValueError, match="route must be one of chat, responses, messages"):
        resolve_route(get_model_info("gpt-4o"), "anthropic")
    with pytest.raises(ValueError, match="is a videos model"):
        resolve_route(get_model_info("sora-2"))


def test_client_sends_each_route_to_its_path_with_its_headers():
    t = Scripted(
        {"id": "r", "object": "response", "status": "completed", "output": [], "usage": {}},
        {"id": "m", "type": "message", "content": [{"type": "text", "text": "hi"}], "stop_reason": "end_turn"},
    )
    client = MixRouterClient(api_key="k", http_client=httpx.Client(transport=t))
    client.chat("gpt-5.2-pro", USER)
    assert client.chat(CLAUDE, USER, thinking=True).text == "hi"
    assert [r.url.path for r in t.requests] == ["/v1/responses", "/v1/messages"]
    assert t.requests[1].headers["anthropic-version"] == "2023-06-01"
    assert t.requests[1].headers["authorization"] == "Bearer k"  # MixRouter's bearer auth on every route


# -- Anthropic Messages: request ------------------------------------------------------------------------------------
def test_messages_body_system_images_and_merged_tool_results():
    messages = [
        {"role": "system", "content": "Be brief."},
        {"role": "developer", "content": "Use metric."},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "Two cities?", "cache_control": {"type": "ephemeral"}},
                {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
                {"type": "image_url", "image_url": {"url": "https://x.test/a.png"}},
            ],
        },
        {"role": "assistant", "content": "Checking.", "tool_calls": [CALL, {**CALL, "id": "c2"}]},
        {"role": "tool", "tool_call_id": "c1", "content": "18C"},
        {"role": "tool", "tool_call_id": "c2", "content": [{"type": "text", "text": "20C"}]},
        {"role": "user", "content": "And tomorrow?"},
    ]
    body = build_messages_body(CLAUDE, messages, tools=[TOOL])
    assert body["system"] == "Be brief.\n\nUse metric."
    user, assistant, results = body["messages"]
    assert user["content"][0] == {"type": "text", "text": "Two cities?", "cache_control": {"type": "ephemeral"}}
    assert user["content"][1]["source"] == {"type": "base64", "media_type": "image/png", "data": "AAAA"}
    assert user["content"][2]["source"] == {"type": "url", "url": "https://x.test/a.png"}
    assert [b["type"] for b in assistant["content"]] == ["text", "tool_use", "tool_use"]
    assert assistant["content"][1]["input"] == {"city": "Paris"}
    # both tool results and the follow-up question are one user turn (Anthropic alternates roles)
    assert [b["type"] for b in results["content"]] == ["tool_result", "tool_result", "text"]
    assert results["content"][1]["content"] == [{"type": "text", "text": "20C"}]
    assert body["tools"] == [{"name": "get_weather", "input_schema": {"type": "object"}, "description": "w"}]
    assert body["max_tokens"] == 4096 and body["stream"] is False and "thinking" not in body


def test_messages_body_sends_signed_thinking_back_only_while_thinking():
    history = _loop({"reasoning_content": "look it up", "reasoning_details": [{**SIGNED, "index": 0}]})
    on = build_messages_body(CLAUDE, history, thinking=True, budget=2048)
    assert on["messages"][1]["content"][0] == SIGNED  # unchanged, without the stream's "index"
    assert on["thinking"] == {"type": "enabled", "budget_tokens": 2048} and on["max_tokens"] == 4096 + 2048
    off = build_messages_body(CLAUDE, history)
    assert [b["type"] for b in off["messages"][1]["content"]] == ["tool_use"]


def test_messages_tool_choice_mapping():
    def choice(**kw):
        return build_messages_body(CLAUDE, USER, tools=[TOOL], **kw).get("tool_choice")

    assert choice() is None
    assert choice(tool_choice="required") == {"type": "any"}
    assert choice(tool_choice={"type": "function", "function": {"name": "get_weather"}}) == {
        "type": "tool",
        "name": "get_weather",
    }
    assert choice(parallel_tool_calls=False) == {"type": "auto", "disable_parallel_tool_use": True}
    with pytest.warns(UserWarning, match="refuses a forced tool_choice while thinking"):
        assert choice(tool_choice="required", thinking=True) == {"type": "auto"}


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"seed": 1}, "seed is not supported by Claude on /v1/messages"),
        ({"n": 2}, "one answer per request"),
        ({"thinking": True, "max_tokens": 1024}, r"max_tokens \(1024\) must be larger than the thinking budget"),
        ({"budget": 512}, "at least 1024"),
        ({"thinking": True, "temperature": 0.3}, "temperature 1"),
        ({"effort": "high"}, "no reasoning effort levels"),
    ],
)
def test_messages_bad_input_is_named(kw, message):
    with pytest.raises(ValueError, match=message):
        build_messages_body(CLAUDE, USER, **kw)


def test_messages_refuses_what_claude_cannot_take():
    audio = [{"role": "user", "content": [{"type": "input_audio", "input_audio": {"data": "x", "format": "wav"}}]}]
    with pytest.raises(ValueError, match="cannot take"):
        build_messages_body("claude-unknown-model", audio)
    with pytest.raises(ValueError, match="first non-system message must be a user message"):
        build_messages_body(CLAUDE, [{"role": "assistant", "content": "hi"}])


def test_messages_structured_output_becomes_an_instruction_and_stop_sequences_map():
    fmt = {"type": "json_schema", "json_schema": {"name": "P", "schema": {"type": "object"}}}
    body = build_messages_body(CLAUDE, USER, response_format=fmt, stop="END", user="u1")
    assert "JSON schema" in body["system"] and '{"type": "object"}' in body["system"]
    assert body["stop_sequences"] == ["END"] and body["metadata"] == {"user_id": "u1"}


# -- Anthropic Messages: answers ------------------------------------------------------------------------------------
DOCUMENTED_MESSAGE = {  # MixRouter's /v1/messages example (research §2.3)
    "id": "msg_01C6bDcqdQPKi9MaJWz6Sb78",
    "type": "message",
    "role": "assistant",
    "model": CLAUDE,
    "content": [{"type": "text", "text": "Hello! How can I help you today?"}],
    "stop_reason": "end_turn",
    "usage": {
        "input_tokens": 10,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 0,
        "output_tokens": 12,
        "claude_cache_creation_5_m_tokens": 0,
        "claude_cache_creation_1_h_tokens": 0,
    },
}


def test_parse_documented_message():
    result = parse_message(DOCUMENTED_MESSAGE)
    assert result.text == "Hello! How can I help you today?" and result.finish_reason == "stop"
    assert (result.usage.input_tokens, result.usage.output_tokens, result.usage.total_tokens) == (10, 12, 22)


def test_parse_message_with_thinking_redacted_thinking_and_tool_use():
    redacted = {"type": "redacted_thinking", "data": "opaque"}
    data = {
        **DOCUMENTED_MESSAGE,
        "content": [SIGNED, redacted, {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"a": 1}}],
        "stop_reason": "tool_use",
        "usage": {"input_tokens": 5, "cache_read_input_tokens": 100, "output_tokens": 9},
    }
    result = parse_message(data)
    assert result.reasoning == "look it up" and result.reasoning_details == [SIGNED, redacted]
    assert result.tool_calls[0].id == "toolu_1" and result.tool_calls[0].parsed_arguments() == {"a": 1}
    assert result.finish_reason == "tool_calls"
    assert result.usage.input_tokens == 105 and result.usage.cache_read == 100  # cache reads count as input
    # the assistant message for the history carries the signed blocks for the next turn
    assert result.to_assistant_message()["reasoning_details"] == [SIGNED, redacted]


def _anthropic_events() -> list[dict]:
    return [
        {
            "type": "message_start",
            "message": {
                "id": "msg_1",
                "model": CLAUDE,
                "usage": {"input_tokens": 7, "cache_read_input_tokens": 3, "output_tokens": 1},
            },
        },
        {"type": "ping"},
        {"type": "content_block_start", "index": 0, "content_block": {"type": "thinking", "thinking": ""}},
        {"type": "content_block_delta", "index": 0, "delta": {"type": "thinking_delta", "thinking": "look "}},
        {"type": "content_block_delta", "index": 0, "delta": {"type": "thinking_delta", "thinking": "it up"}},
        {"type": "content_block_delta", "index": 0, "delta": {"type": "signature_delta", "signature": "sig=="}},
        {"type": "content_block_stop", "index": 0},
        {"type": "content_block_start", "index": 1, "content_block": {"type": "text", "text": ""}},
        {"type": "content_block_delta", "index": 1, "delta": {"type": "text_delta", "text": "Checking."}},
        {"type": "content_block_stop", "index": 1},
        {
            "type": "content_block_start",
            "index": 2,
            "content_block": {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {}},
        },
        {"type": "content_block_delta", "index": 2, "delta": {"type": "input_json_delta", "partial_json": '{"city": '}},
        {"type": "content_block_delta", "index": 2, "delta": {"type": "input_json_delta", "partial_json": '"Paris"}'}},
        {"type": "content_block_stop", "index": 2},
        {"type": "message_delta", "delta": {"stop_reason": "tool_use"}, "usage": {"output_tokens": 40}},
        {"type": "message_stop"},
    ]


def test_messages_stream_assembler():
    asm = MessagesStreamAssembler()
    deltas = [d for e in _anthropic_events() if (d := asm.feed(e)) is not None]
    assert "".join(d.reasoning for d in deltas) == "look it up" and "".join(d.text for d in deltas) == "Checking."
    details = [d.reasoning_details for d in deltas if d.reasoning_details]
    assert details == [[SIGNED]]  # the whole signed block, once, when it closes
    pieces = [tc for d in deltas for tc in d.tool_calls or ()]
    assert pieces[0].id == "toolu_1" and pieces[0].name == "get_weather" and {p.index for p in pieces} == {0}
    asm.check_complete()
    final = asm.final_delta()
    assert final.final and final.finish_reason == "tool_calls" and final.id == "msg_1"
    assert (final.usage.input_tokens, final.usage.output_tokens, final.usage.cache_read) == (10, 40, 3)
    result = asm.result()
    assert result.tool_calls[0].parsed_arguments() == {"city": "Paris"} and result.reasoning_details == [SIGNED]


def test_messages_stream_cut_short_is_an_error():
    asm = MessagesStreamAssembler()
    for event in _anthropic_events()[:9]:
        asm.feed(event)
    with pytest.raises(IncompleteStreamError, match="no message_stop"):
        asm.check_complete()


# -- OpenAI Responses: request ---------------------------------------------------------------------------------------
REASONING_ITEM = {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "gAAA"}


def test_responses_body_input_items_reasoning_echo_and_stateless_defaults():
    history = [{"role": "system", "content": "Be brief."}, *_loop({"reasoning_details": [REASONING_ITEM]})]
    body = build_responses_body("gpt-5.2-pro", history, tools=[TOOL], tool_choice="required", max_tokens=500)
    assert body["input"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Weather in Paris?"},
        REASONING_ITEM,  # before its turn's function call, as OpenAI requires for reasoning models
        {"type": "function_call", "call_id": "c1", "name": "get_weather", "arguments": '{"city": "Paris"}'},
        {"type": "function_call_output", "call_id": "c1", "output": "18C"},
    ]
    assert body["store"] is False and body["include"] == ["reasoning.encrypted_content"]
    assert body["reasoning"] == {"summary": "auto"} and body["max_output_tokens"] == 500
    assert body["tools"] == [
        {"type": "function", "name": "get_weather", "parameters": {"type": "object"}, "description": "w"}
    ]
    assert body["tool_choice"] == "required" and "messages" not in body and "max_tokens" not in body


def test_responses_reasoning_without_encrypted_content_is_not_sent_statelessly():
    bare = {"type": "reasoning", "id": "rs_2", "summary": []}
    body = build_responses_body("gpt-5.2-pro", _loop({"reasoning_details": [bare]}))
    assert not any(i.get("type") == "reasoning" for i in body["input"])
    stored = build_responses_body("gpt-5.2-pro", _loop({"reasoning_details": [bare]}), extra_body={"store": True})
    assert any(i.get("type") == "reasoning" for i in stored["input"])


def test_responses_effort_format_and_images():
    fmt = {"type": "json_schema", "json_schema": {"name": "P", "schema": {"type": "object"}, "strict": True}}
    user = [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://x.test/a.png"}}]}]
    body = build_responses_body("gpt-5.2-pro", user, effort="high", response_format=fmt)
    assert body["reasoning"] == {"effort": "high", "summary": "auto"}
    assert body["text"] == {
        "format": {"type": "json_schema", "name": "P", "schema": {"type": "object"}, "strict": True}
    }
    assert body["input"][0]["content"] == [{"type": "input_image", "image_url": "https://x.test/a.png"}]
    plain = build_responses_body(
        "gpt-4o-mini", USER, tools=[TOOL], tool_choice={"type": "function", "function": {"name": "get_weather"}}
    )
    assert "reasoning" not in plain and "store" not in plain  # a non-reasoning model keeps OpenAI's defaults
    assert plain["tool_choice"] == {"type": "function", "name": "get_weather"}


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"stop": ["END"]}, "no stop sequences"),
        ({"seed": 3}, "takes no seed"),
        ({"n": 2}, "one answer per request"),
        ({"effort": "low"}, r"accepts reasoning effort \['medium', 'high', 'xhigh'\]"),
        ({"thinking": False}, "always reasons"),
    ],
)
def test_responses_bad_input_is_named(kw, message):
    with pytest.raises(ValueError, match=message):
        build_responses_body("gpt-5.2-pro", USER, **kw)


# -- OpenAI Responses: answers ---------------------------------------------------------------------------------------
def _response(**over) -> dict:
    base = {
        "id": "resp_1",
        "object": "response",
        "status": "completed",
        "model": "gpt-5.2-pro",
        "output": [
            {
                **REASONING_ITEM,
                "summary": [{"type": "summary_text", "text": "First."}, {"type": "summary_text", "text": "Second."}],
            },
            {
                "type": "function_call",
                "id": "fc_1",
                "call_id": "call_1",
                "name": "get_weather",
                "arguments": '{"city":"Paris"}',
            },
            {
                "type": "message",
                "role": "assistant",
                "content": [{"type": "output_text", "text": "Checking.", "annotations": []}],
            },
        ],
        "usage": {
            "input_tokens": 20,
            "input_tokens_details": {"cached_tokens": 4},
            "output_tokens": 30,
            "output_tokens_details": {"reasoning_tokens": 25},
            "total_tokens": 50,
        },
    }
    return {**base, **over}


def test_parse_response():
    result = parse_response(_response())
    assert result.text == "Checking." and result.reasoning == "First.\n\nSecond."
    assert result.reasoning_details[0]["encrypted_content"] == "gAAA"
    assert result.tool_calls[0].id == "call_1" and result.tool_calls[0].parsed_arguments() == {"city": "Paris"}
    assert result.finish_reason == "tool_calls"
    u = result.usage
    assert (u.input_tokens, u.output_tokens, u.cache_read, u.reasoning_tokens) == (20, 30, 4, 25)


def test_parse_response_incomplete_and_failed():
    cut = parse_response(_response(status="incomplete", incomplete_details={"reason": "max_output_tokens"}))
    assert cut.finish_reason == "length"
    with pytest.raises(MixRouterError, match="bad schema"):
        parse_response(_response(status="failed", error={"code": "invalid_prompt", "message": "bad schema"}))


def _response_events() -> list[dict]:
    done = _response()
    return [
        {"type": "response.created", "response": {**done, "status": "in_progress", "output": [], "usage": None}},
        {"type": "response.output_item.added", "output_index": 0, "item": {**REASONING_ITEM}},
        {"type": "response.reasoning_summary_text.delta", "item_id": "rs_1", "summary_index": 0, "delta": "First."},
        {"type": "response.reasoning_summary_text.delta", "item_id": "rs_1", "summary_index": 1, "delta": "Second."},
        {"type": "response.output_item.done", "output_index": 0, "item": done["output"][0]},
        {"type": "response.output_item.added", "output_index": 1, "item": {**done["output"][1], "arguments": ""}},
        {"type": "response.function_call_arguments.delta", "item_id": "fc_1", "delta": '{"city":'},
        {"type": "response.function_call_arguments.delta", "item_id": "fc_1", "delta": '"Paris"}'},
        {"type": "response.output_item.done", "output_index": 1, "item": done["output"][1]},
        {"type": "response.output_text.delta", "item_id": "msg_1", "delta": "Check"},
        {"type": "response.output_text.delta", "item_id": "msg_1", "delta": "ing."},
        {"type": "response.completed", "response": done},
    ]


def test_responses_stream_assembler_matches_the_parsed_answer():
    asm = ResponsesStreamAssembler()
    deltas = [d for e in _response_events() if (d := asm.feed(e)) is not None]
    assert [d.reasoning for d in deltas if d.reasoning] == ["First.", "\n\nSecond."]
    assert [len(d.reasoning_details) for d in deltas if d.reasoning_details] == [1]
    asm.check_complete()
    final = asm.final_delta()
    assert final.finish_reason == "tool_calls" and final.usage.reasoning_tokens == 25 and final.id == "resp_1"
    streamed, parsed = asm.result(), parse_response(_response())
    assert (streamed.text, streamed.reasoning) == (parsed.text, parsed.reasoning)
    assert [(c.id, c.name, c.arguments) for c in streamed.tool_calls] == [
        (c.id, c.name, c.arguments.replace(" ", "")) for c in parsed.tool_calls
    ]


def test_responses_stream_arguments_only_in_item_done():
    asm = ResponsesStreamAssembler()
    item = {"type": "function_call", "id": "fc_9", "call_id": "call_9", "name": "f", "arguments": '{"a":1}'}
    asm.feed({"type": "response.output_item.added", "item": {**item, "arguments": ""}})
    delta = asm.feed({"type": "response.output_item.done", "item": item})
    assert delta.tool_calls[0].arguments == '{"a":1}' and asm.result().tool_calls[0].arguments == '{"a":1}'


def test_responses_stream_failure_and_cut_short():
    asm = ResponsesStreamAssembler()
    with pytest.raises(StreamError, match="overloaded"):
        asm.feed({"type": "response.failed", "response": {"status": "failed", "error": {"message": "overloaded"}}})
    cut = ResponsesStreamAssembler()
    for event in _response_events()[:-1]:
        cut.feed(event)
    with pytest.raises(IncompleteStreamError, match=r"no response\.completed"):
        cut.check_complete()
