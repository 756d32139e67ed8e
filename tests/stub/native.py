"""The stub's ``/v1/responses`` (OpenAI Responses) and ``/v1/messages`` (Anthropic Messages) routes.

MixRouter documents one ``/v1/messages`` request/response pair and no Responses example (research §2.3, §2.4), so
these shapes follow OpenAI's and Anthropic's published formats: INFERRED. The answer itself comes from
``fake_model`` (the request is read back into chat terms here, independently of the package's own converters).

The stub is strict where the real APIs are, so the recordings prove the client gets it right:

* Responses: ``input`` (never ``messages``); a ``function_call_output`` needs its ``function_call`` in the input;
  for a reasoning model called statelessly, each ``function_call`` the model made (not a hand-written one) needs
  its turn's ``reasoning`` item, and that item its ``encrypted_content``.
* Messages: ``max_tokens`` required; ``user``/``assistant`` turns only, starting with ``user``; thinking budget at
  least 1024 and below ``max_tokens``; temperature 1 with thinking; no forced tool choice with thinking; adaptive
  thinking, budgets, ``output_config.effort`` and ``output_config.format`` only on the models that take them, the
  format's objects closed (``vendor_rules.claude_problem``); thinking text omitted by default where Anthropic
  omits it (Opus 4.7 on) unless ``display: "summarized"`` is asked; with
  thinking on, an assistant turn that made tool calls answered in the last user turn must start with its signed
  thinking block, signature intact.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from typing import Any

try:
    from . import fake_model
    from .vendor_rules import claude_problem, claude_rules
except ImportError:  # pragma: no cover
    import fake_model  # type: ignore[no-redef]
    from vendor_rules import claude_problem, claude_rules  # type: ignore[no-redef]

RESPONSES_ONLY = {"gpt-5.1-codex", "gpt-5.2-pro"}
_SECRET = b"stub-signing-key"
# The calls this stub's Responses model made ("call_r" + hex: the chat route's calls, made by other models, are
# "call_" + hex, and hand-written histories use other ids): only those are tied to a reasoning item.
_OWN_CALL_ID = re.compile(r"call_r[0-9a-f]{15}")

Reply = tuple[int, str, bytes]
# Anthropic Messages request fields (https://docs.anthropic.com/en/api/messages): any other top-level field gets
# 400 "<field>: Extra inputs are not permitted" (reported verbatim in https://github.com/microsoft/autogen/issues/3034).
MESSAGES_FIELDS = frozenset(
    {
        "model", "messages", "max_tokens", "system", "metadata", "stop_sequences", "stream", "temperature", "top_p",
        "top_k", "tools", "tool_choice", "thinking", "service_tier", "container", "mcp_servers", "context_management",
        "output_config",
    }
)  # fmt: skip
# OpenAI Responses create fields (https://platform.openai.com/docs/api-reference/responses/create): any other gets
# 400 "Unknown parameter: '<field>'." with code unknown_parameter (https://github.com/pydantic/pydantic-ai/issues/3653).
RESPONSES_FIELDS = frozenset(
    {
        "model", "input", "instructions", "stream", "stream_options", "store", "include", "reasoning", "text", "tools",
        "tool_choice", "parallel_tool_calls", "temperature", "top_p", "max_output_tokens", "metadata", "user",
        "service_tier", "previous_response_id", "truncation", "safety_identifier", "prompt_cache_key", "background",
        "top_logprobs", "max_tool_calls", "prompt", "conversation",
    }
)  # fmt: skip


def _json(status: int, obj: Any) -> Reply:
    return status, "application/json", json.dumps(obj, ensure_ascii=False).encode()


def _sse(events: list[dict[str, Any]]) -> Reply:
    out = [f"event: {e['type']}\ndata: {json.dumps(e, ensure_ascii=False)}\n\n".encode() for e in events]
    return 200, "text/event-stream", b"".join(out)


def _halves(text: str) -> list[str]:
    half = len(text) // 2
    return [p for p in (text[:half], text[half:]) if p]


def _digest(*parts: Any) -> str:
    return hashlib.sha1(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


def chat_route_refusal(model: str) -> Reply:
    """What /chat/completions says for a Responses-only model (shape inferred from new-api's errors)."""
    message = f"model {model} is only supported on /v1/responses"
    return _json(400, {"error": {"message": message, "type": "invalid_request_error", "code": "model_not_supported"}})


# -- /v1/responses --------------------------------------------------------------------------------------------------
def _bad_responses(message: str) -> Reply:
    return _json(400, {"error": {"message": message, "type": "invalid_request_error", "param": "input", "code": None}})


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    return " ".join(p.get("text", "") for p in content or () if p.get("type") in ("input_text", "output_text"))


def _responses_to_chat(body: dict[str, Any]) -> dict[str, Any] | str:
    """The Responses request in chat terms for the fake model, or the error message the real API would give."""
    items = body.get("input")
    if "messages" in body or items is None:
        return "Missing required parameter: 'input'."
    if isinstance(items, str):
        items = [{"role": "user", "content": items}]
    reasoning_model = "reasoning" in body
    stateless = body.get("store") is False
    messages: list[dict[str, Any]] = []
    calls: set[str] = set()
    reasoning_in_turn = False
    for item in items:
        kind = item.get("type", "message")
        if kind == "reasoning":
            if stateless and not item.get("encrypted_content"):
                return (
                    f"Item with id '{item.get('id')}' not found. Items are not persisted when `store` is set to false."
                )
            reasoning_in_turn = True
        elif kind == "function_call":
            made_here = bool(_OWN_CALL_ID.fullmatch(str(item.get("call_id"))))  # a call this stub's model made
            if reasoning_model and stateless and made_here and not reasoning_in_turn:
                fc = f"fc_{item.get('call_id')}"
                return f"Item '{fc}' of type 'function_call' was provided without its required 'reasoning' item."
            calls.add(item["call_id"])
            call = {
                "id": item["call_id"],
                "type": "function",
                "function": {"name": item["name"], "arguments": item["arguments"]},
            }
            if messages and messages[-1]["role"] == "assistant":
                messages[-1].setdefault("tool_calls", []).append(call)
            else:
                messages.append({"role": "assistant", "content": None, "tool_calls": [call]})
        elif kind == "function_call_output":
            if item.get("call_id") not in calls:
                return f"No tool call found for function call output with call_id {item.get('call_id')}."
            messages.append({"role": "tool", "tool_call_id": item["call_id"], "content": _text_of(item.get("output"))})
            reasoning_in_turn = False
        else:
            messages.append({"role": item["role"], "content": _text_of(item.get("content"))})
            reasoning_in_turn = False
    chat: dict[str, Any] = {"model": body.get("model"), "messages": messages}
    tools = [t for t in body.get("tools") or () if t.get("type") == "function"]
    if tools:
        chat["tools"] = [
            {"type": "function", "function": {"name": t["name"], "parameters": t.get("parameters", {})}} for t in tools
        ]
    choice = body.get("tool_choice")
    if isinstance(choice, dict) and choice.get("type") == "function":
        choice = {"type": "function", "function": {"name": choice["name"]}}
    if choice is not None:
        chat["tool_choice"] = choice
    fmt = (body.get("text") or {}).get("format") or {}
    if fmt.get("type") == "json_schema":
        chat["response_format"] = {"type": "json_schema", "json_schema": {"schema": fmt.get("schema", {})}}
    elif fmt.get("type") == "json_object":
        chat["response_format"] = {"type": "json_object"}
    if (body.get("reasoning") or {}).get("summary"):
        chat["thinking"] = {"type": "enabled"}
    return chat


def _response_object(body: dict[str, Any], completion: dict[str, Any]) -> dict[str, Any]:
    message = completion["choices"][0]["message"]
    rid = _digest(body)
    output: list[dict[str, Any]] = []
    if "reasoning" in body:
        summary = (
            [{"type": "summary_text", "text": message["reasoning_content"]}] if message.get("reasoning_content") else []
        )
        secret = base64.b64encode(f"reasoning for {rid}".encode()).decode()
        output.append({"type": "reasoning", "id": f"rs_{rid}", "summary": summary, "encrypted_content": secret})
    for call in message.get("tool_calls") or ():
        call_id = "call_r" + hashlib.sha1(call["id"].encode()).hexdigest()[:15]
        output.append(
            {
                "type": "function_call",
                "id": f"fc_{call_id}",
                "call_id": call_id,
                "name": call["function"]["name"],
                "arguments": call["function"]["arguments"],
                "status": "completed",
            }
        )
    if message.get("content"):
        part = {"type": "output_text", "text": message["content"], "annotations": []}
        output.append(
            {"type": "message", "id": f"msg_{rid}", "role": "assistant", "status": "completed", "content": [part]}
        )
    usage = completion["usage"]
    return {
        "id": f"resp_{rid}",
        "object": "response",
        "created_at": completion["created"],
        "status": "completed",
        "error": None,
        "incomplete_details": None,
        "model": body.get("model"),
        "output": output,
        "usage": {
            "input_tokens": usage["prompt_tokens"],
            "input_tokens_details": {"cached_tokens": usage["prompt_tokens_details"]["cached_tokens"]},
            "output_tokens": usage["completion_tokens"],
            "output_tokens_details": {"reasoning_tokens": usage["completion_tokens_details"]["reasoning_tokens"]},
            "total_tokens": usage["total_tokens"],
        },
    }


def _response_events(response: dict[str, Any]) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    shell = dict(response, status="in_progress", output=[], usage=None)
    events.append({"type": "response.created", "response": shell})
    events.append({"type": "response.in_progress", "response": shell})
    for index, item in enumerate(response["output"]):
        at = {"output_index": index, "item_id": item["id"]}
        kind = item["type"]
        if kind == "reasoning":
            events.append({"type": "response.output_item.added", "output_index": index, "item": dict(item, summary=[])})
            for s, part in enumerate(item["summary"]):
                events.append({"type": "response.reasoning_summary_part.added", **at, "summary_index": s})
                for piece in _halves(part["text"]):
                    events.append(
                        {"type": "response.reasoning_summary_text.delta", **at, "summary_index": s, "delta": piece}
                    )
                events.append(
                    {"type": "response.reasoning_summary_text.done", **at, "summary_index": s, "text": part["text"]}
                )
        elif kind == "function_call":
            events.append(
                {"type": "response.output_item.added", "output_index": index, "item": dict(item, arguments="")}
            )
            for piece in _halves(item["arguments"]):
                events.append({"type": "response.function_call_arguments.delta", **at, "delta": piece})
            events.append({"type": "response.function_call_arguments.done", **at, "arguments": item["arguments"]})
        else:
            events.append({"type": "response.output_item.added", "output_index": index, "item": dict(item, content=[])})
            text = item["content"][0]["text"]
            events.append({"type": "response.content_part.added", **at, "content_index": 0})
            for piece in _halves(text):
                events.append({"type": "response.output_text.delta", **at, "content_index": 0, "delta": piece})
            events.append({"type": "response.output_text.done", **at, "content_index": 0, "text": text})
        events.append({"type": "response.output_item.done", "output_index": index, "item": item})
    events.append({"type": "response.completed", "response": response})
    return [dict(e, sequence_number=n) for n, e in enumerate(events)]


def responses(body: dict[str, Any]) -> Reply:
    if unknown := sorted(set(body) - RESPONSES_FIELDS):
        error = {"message": f"Unknown parameter: '{unknown[0]}'.", "type": "invalid_request_error"}
        return _json(400, {"error": {**error, "param": unknown[0], "code": "unknown_parameter"}})
    chat = _responses_to_chat(body)
    if isinstance(chat, str):
        return _bad_responses(chat)
    response = _response_object(body, fake_model.answer(chat))
    return _sse(_response_events(response)) if body.get("stream") else _json(200, response)


# -- /v1/messages ---------------------------------------------------------------------------------------------------
def signature(thinking: str) -> str:
    return base64.b64encode(hmac.new(_SECRET, thinking.encode(), hashlib.sha256).digest()).decode()


def _bad_messages(message: str) -> Reply:
    return _json(400, {"type": "error", "error": {"type": "invalid_request_error", "message": message}})


def _check_thinking_turn(turns: list[dict[str, Any]]) -> str | None:
    """With thinking on, the assistant turn whose tool calls the last user turn answers must start with its signed
    thinking block (Anthropic's rule for tool use with extended thinking)."""
    if len(turns) < 2 or not any(b.get("type") == "tool_result" for b in turns[-1]["content"]):
        return None
    index = len(turns) - 2
    first = turns[index]["content"][0]
    if first.get("type") not in ("thinking", "redacted_thinking"):
        return (
            f"messages.{index}.content.0.type: Expected `thinking` or `redacted_thinking`, "
            f"but found `{first.get('type')}`. "
            "When `thinking` is enabled, a final `assistant` message must start with a thinking block."
        )
    if first.get("type") == "thinking" and not hmac.compare_digest(
        first.get("signature", ""), signature(first.get("thinking", ""))
    ):
        return f"messages.{index}.content.0: Invalid `signature` in `thinking` block"
    return None


def _messages_to_chat(body: dict[str, Any]) -> dict[str, Any] | str:
    if not isinstance(body.get("max_tokens"), int):
        return "max_tokens: Field required"
    thinking = body.get("thinking") or {}
    on = thinking.get("type") in ("enabled", "adaptive")
    if problem := claude_problem(body):
        return problem
    if thinking.get("type") == "enabled":
        budget = thinking.get("budget_tokens")
        if not isinstance(budget, int) or budget < 1024:
            return "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024"
        if budget >= body["max_tokens"]:
            return "`max_tokens` must be greater than `thinking.budget_tokens`."
    if on:
        if body.get("temperature") not in (None, 1):
            return "`temperature` may only be set to 1 when thinking is enabled."
        if (body.get("tool_choice") or {}).get("type") in ("any", "tool"):
            return "Thinking may not be enabled when tool_choice forces tool use."
    turns = body.get("messages") or []
    for i, turn in enumerate(turns):
        if turn.get("role") not in ("user", "assistant"):
            return f"messages.{i}.role: Input should be 'user' or 'assistant'"
        if i and turns[i - 1]["role"] == turn["role"]:
            return f"messages.{i}: roles must alternate between user and assistant"
    if not turns or turns[0]["role"] != "user":
        return "messages: first message must use the user role"
    if on and (problem := _check_thinking_turn(turns)):
        return problem
    system = body.get("system") or ""
    if isinstance(system, list):
        system = "\n\n".join(b.get("text", "") for b in system)
    messages: list[dict[str, Any]] = [{"role": "system", "content": system}] if system else []
    for turn in turns:
        blocks = turn["content"] if isinstance(turn["content"], list) else [{"type": "text", "text": turn["content"]}]
        text = " ".join(b.get("text", "") for b in blocks if b.get("type") == "text")
        if turn["role"] == "assistant":
            calls = [
                {
                    "id": b["id"],
                    "type": "function",
                    "function": {"name": b["name"], "arguments": json.dumps(b["input"])},
                }
                for b in blocks
                if b.get("type") == "tool_use"
            ]
            messages.append({"role": "assistant", "content": text or None, **({"tool_calls": calls} if calls else {})})
            continue
        for b in blocks:
            if b.get("type") == "tool_result":
                content = b.get("content")
                result = content if isinstance(content, str) else " ".join(c.get("text", "") for c in content or ())
                messages.append({"role": "tool", "tool_call_id": b["tool_use_id"], "content": result})
        if text or not any(b.get("type") == "tool_result" for b in blocks):
            messages.append({"role": "user", "content": text})
    chat: dict[str, Any] = {"model": body.get("model"), "messages": messages}
    if body.get("tools"):
        chat["tools"] = [
            {"type": "function", "function": {"name": t["name"], "parameters": t.get("input_schema", {})}}
            for t in body["tools"]
        ]
    choice = body.get("tool_choice") or {}
    if choice.get("type") == "tool":
        chat["tool_choice"] = {"type": "function", "function": {"name": choice["name"]}}
    elif choice.get("type") in ("any", "none"):
        chat["tool_choice"] = {"any": "required", "none": "none"}[choice["type"]]
    if on:
        chat["thinking"] = {"type": "enabled"}
    fmt = (body.get("output_config") or {}).get("format")
    if fmt:  # JSON outputs: the fake model answers with an object of the schema, bare
        chat["response_format"] = {"type": "json_schema", "json_schema": {"schema": fmt["schema"]}}
    return chat


def _message_object(body: dict[str, Any], completion: dict[str, Any]) -> dict[str, Any]:
    message = completion["choices"][0]["message"]
    content: list[dict[str, Any]] = []
    if message.get("reasoning_content"):
        text = message["reasoning_content"]
        display = (body.get("thinking") or {}).get("display")
        if display == "omitted" or (
            display is None and claude_rules(str(body.get("model", ""))).get("display_omitted")
        ):
            text = ""  # Opus 4.7 on: "thinking blocks are returned with an empty thinking field" unless summarized
        content.append({"type": "thinking", "thinking": text, "signature": signature(text)})
    if message.get("content"):
        content.append({"type": "text", "text": message["content"]})
    for call in message.get("tool_calls") or ():
        tool_id = "toolu_" + call["id"][5:]
        content.append(
            {
                "type": "tool_use",
                "id": tool_id,
                "name": call["function"]["name"],
                "input": json.loads(call["function"]["arguments"]),
            }
        )
    usage = completion["usage"]
    return {
        "id": f"msg_{_digest(body)}",
        "type": "message",
        "role": "assistant",
        "model": body.get("model"),
        "content": content,
        "stop_reason": "tool_use" if message.get("tool_calls") else "end_turn",
        "stop_sequence": None,
        "usage": {  # Anthropic counts cache reads apart from input_tokens
            "input_tokens": usage["prompt_tokens"] - usage["prompt_tokens_details"]["cached_tokens"],
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": usage["prompt_tokens_details"]["cached_tokens"],
            "output_tokens": usage["completion_tokens"],
            "claude_cache_creation_5_m_tokens": 0,
            "claude_cache_creation_1_h_tokens": 0,
        },
    }


def _message_events(message: dict[str, Any]) -> list[dict[str, Any]]:
    start_usage = dict(message["usage"], output_tokens=1)
    events: list[dict[str, Any]] = [
        {"type": "message_start", "message": dict(message, content=[], stop_reason=None, usage=start_usage)},
        {"type": "ping"},
    ]
    for index, block in enumerate(message["content"]):
        kind = block["type"]
        if kind == "thinking":
            events.append(
                {"type": "content_block_start", "index": index, "content_block": {"type": "thinking", "thinking": ""}}
            )
            for piece in _halves(block["thinking"]):
                events.append(
                    {
                        "type": "content_block_delta",
                        "index": index,
                        "delta": {"type": "thinking_delta", "thinking": piece},
                    }
                )
            delta = {"type": "signature_delta", "signature": block["signature"]}
            events.append({"type": "content_block_delta", "index": index, "delta": delta})
        elif kind == "text":
            events.append(
                {"type": "content_block_start", "index": index, "content_block": {"type": "text", "text": ""}}
            )
            for piece in _halves(block["text"]):
                events.append(
                    {"type": "content_block_delta", "index": index, "delta": {"type": "text_delta", "text": piece}}
                )
        else:
            events.append({"type": "content_block_start", "index": index, "content_block": dict(block, input={})})
            for piece in _halves(json.dumps(block["input"])):
                events.append(
                    {
                        "type": "content_block_delta",
                        "index": index,
                        "delta": {"type": "input_json_delta", "partial_json": piece},
                    }
                )
        events.append({"type": "content_block_stop", "index": index})
    delta = {"stop_reason": message["stop_reason"], "stop_sequence": None}
    events.append(
        {"type": "message_delta", "delta": delta, "usage": {"output_tokens": message["usage"]["output_tokens"]}}
    )
    events.append({"type": "message_stop"})
    return events


def messages(body: dict[str, Any]) -> Reply:
    if unknown := sorted(set(body) - MESSAGES_FIELDS):
        return _bad_messages(f"{unknown[0]}: Extra inputs are not permitted")
    chat = _messages_to_chat(body)
    if isinstance(chat, str):
        return _bad_messages(chat)
    message = _message_object(body, fake_model.answer(chat))
    return _sse(_message_events(message)) if body.get("stream") else _json(200, message)
