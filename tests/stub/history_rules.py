"""What each vendor's ``/chat/completions`` rejects in a *history*, enforced by the stub with the vendor's own error.

A conversation that moves between vendors carries each one's artifacts (reasoning text, signed or encrypted
reasoning, Gemini's thought signatures) and lacks what another one requires. Each rule here is the vendor's, with
its source; where the exact error text is only reported by users, the report is cited and the text is theirs.
``check(body, fam, thinking)`` returns ``None`` for a history the vendor takes, else the (status, type, body) reply.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

Reply = tuple[int, str, bytes]

_SECRET = b"stub-gemini-signing-key"
# Google's documented dummy signatures for histories another model made
# (https://ai.google.dev/gemini-api/docs/thought-signatures#faqs).
GEMINI_PLACEHOLDERS = frozenset({"skip_thought_signature_validator", "context_engineering_is_the_way_to_go"})

# OpenAI's chat message schema (https://platform.openai.com/docs/api-reference/chat/create, "messages"): the keys
# each role takes. A key outside it gets 400 "Unknown parameter: 'messages[i].<key>'." with code unknown_parameter
# (reported: https://github.com/songquanpeng/one-api/issues/1319; for cache_control on a content part and file.data
# in pydantic-ai's notes). langchain-openai sends only these keys for the same reason (langchain#17537: "OpenAI
# rejects." on `name` for tool messages).
_OPENAI_KEYS = {
    "system": {"role", "content", "name"},
    "developer": {"role", "content", "name"},
    "user": {"role", "content", "name"},
    "assistant": {"role", "content", "name", "tool_calls", "refusal", "audio", "function_call"},
    "tool": {"role", "content", "tool_call_id"},
    "function": {"role", "content", "name"},
}
_OPENAI_CALL_KEYS = {"id", "type", "function"}
_OPENAI_PART_KEYS = {
    "text": {"type", "text"},
    "image_url": {"type", "image_url"},
    "input_audio": {"type", "input_audio"},
    "file": {"type", "file"},
    "refusal": {"type", "refusal"},
}
# Per role, the part types the API reference lists: assistant text/refusal, tool text only.
_OPENAI_ROLE_PARTS = {"assistant": {"text", "refusal"}, "tool": {"text"}, "system": {"text"}, "developer": {"text"}}


def _reply(status: int, obj: Any) -> Reply:
    return status, "application/json", json.dumps(obj, ensure_ascii=False).encode()


def _openai_error(message: str, param: str | None = None, code: str | None = None) -> Reply:
    return _reply(400, {"error": {"message": message, "type": "invalid_request_error", "param": param, "code": code}})


def gemini_signature(call_id: str) -> str:
    """The stub Gemini's thought signature for one of its function calls (verified when it comes back)."""
    return base64.b64encode(hmac.new(_SECRET, call_id.encode(), hashlib.sha256).digest()).decode()


def _unknown(path: str) -> Reply:
    return _openai_error(f"Unknown parameter: '{path}'.", param=path, code="unknown_parameter")


def _openai_parts(i: int, role: str, content: Any) -> Reply | None:
    if not isinstance(content, list):
        return None
    allowed = _OPENAI_ROLE_PARTS.get(role)
    for j, part in enumerate(content):
        kind = part.get("type") if isinstance(part, dict) else None
        if allowed is not None and kind not in allowed:
            # "Invalid value: 'image_url'. Supported values are: 'text'..." (text UNCONFIRMED; the per-role part
            # types are the API reference's)
            supported = " and ".join(f"'{k}'" for k in sorted(allowed))
            message = f"Invalid value: '{kind}'. Supported values are: {supported}."
            return _openai_error(message, param=f"messages[{i}].content[{j}].type", code="invalid_value")
        extra = sorted(set(part) - _OPENAI_PART_KEYS.get(kind, set(part))) if isinstance(part, dict) else []
        if extra:
            return _unknown(f"messages[{i}].content[{j}].{extra[0]}")
    return None


def _openai(messages: list[dict[str, Any]]) -> Reply | None:
    for i, msg in enumerate(messages):
        role = msg.get("role")
        extra = sorted(set(msg) - _OPENAI_KEYS.get(role, set(msg)))
        if extra:
            return _unknown(f"messages[{i}].{extra[0]}")
        for j, call in enumerate(msg.get("tool_calls") or ()):
            if extra := sorted(set(call) - _OPENAI_CALL_KEYS):
                return _unknown(f"messages[{i}].tool_calls[{j}].{extra[0]}")
        if problem := _openai_parts(i, str(role), msg.get("content")):
            return problem
    return None


def _deepseek(messages: list[dict[str, Any]], model: str, thinking: bool) -> Reply | None:
    for i, msg in enumerate(messages):
        if msg.get("role") != "assistant":
            continue
        has_reasoning = isinstance(msg.get("reasoning_content"), str)
        if msg.get("tool_calls") and thinking and not has_reasoning:
            # "For turns that do perform tool calls, the reasoning_content must be fully passed back to the API in
            # all subsequent requests ... the API will return a 400 error" (api-docs.deepseek.com/guides/
            # thinking_mode#tool-calls); V4's text as reported in https://github.com/warpdotdev/warp/issues/11587.
            message = "The `reasoning_content` in the thinking mode must be passed back to the API."
            return _openai_error(message, code="invalid_request_error")
        if not msg.get("tool_calls") and "reasoning_content" in msg and model == "deepseek-reasoner":
            # deepseek-reasoner (R1): "if the reasoning_content field is included in the sequence of input
            # messages, the API will return a 400 error" (api-docs.deepseek.com/guides/reasoning_model). Its thinking
            # mode successor ignores it on turns without tool calls, so sending it there is never needed.
            message = (
                f"messages[{i}]: The reasoning_content is an intermediate result for display purposes only and will "
                f"not be included in the context for inference. Please remove the reasoning_content from your API "
                f"request to avoid this error."
            )  # wording UNCONFIRMED; the rule is the documented one
            return _openai_error(message, code="invalid_request_error")
    return None


def _kimi(messages: list[dict[str, Any]], thinking: bool) -> Reply | None:
    if not thinking:
        return None
    for i, msg in enumerate(messages):
        if (
            msg.get("role") == "assistant"
            and msg.get("tool_calls")
            and not isinstance(msg.get("reasoning_content"), str)
        ):
            # Kimi thinking: keep reasoning_content on tool-call turns (platform.moonshot.ai/docs/guide/
            # use-kimi-k2-thinking-model); the 400 as reported in https://github.com/VicBilibily/GCMP/issues/162.
            message = (
                f"thinking is enabled but reasoning_content is missing in assistant tool call message at index {i}"
            )
            return _reply(400, {"error": {"type": "invalid_request_error", "message": message}, "type": "error"})
    return None


def _google_error(message: str) -> Reply:
    return _reply(400, {"error": {"code": 400, "message": message, "status": "INVALID_ARGUMENT"}})


def _signature(call: dict[str, Any]) -> str | None:
    google = (call.get("extra_content") or {}).get("google") if isinstance(call.get("extra_content"), dict) else None
    return google.get("thought_signature") if isinstance(google, dict) else None


def _current_turn(messages: list[dict[str, Any]]) -> int:
    """Index of the first message of the current turn: after the last user prompt (Gemini's definition)."""
    last = max((i for i, m in enumerate(messages) if m.get("role") == "user"), default=-1)
    return last + 1


def _gemini(messages: list[dict[str, Any]], model: str) -> Reply | None:
    for msg in messages:
        if msg.get("role") == "tool" and not msg.get("name"):
            # Gemini's OpenAI-compatible endpoint requires `name` on tool messages: "HTTP 400 (Request contains an
            # invalid argument) when missing" (reported, https://github.com/NousResearch/hermes-agent/pull/19728).
            return _google_error("Request contains an invalid argument.")
    if not model.startswith("gemini-3"):
        return None  # Gemini 2.5 does not enforce signatures (ai.google.dev/gemini-api/docs/thought-signatures)
    for i in range(_current_turn(messages), len(messages)):
        calls = messages[i].get("tool_calls") if messages[i].get("role") == "assistant" else None
        if not calls:
            continue
        # "When using Gemini 3 models, you must pass back thought signatures during function calling, otherwise
        # you will get a validation error"; the first function call of each step carries one
        # (https://ai.google.dev/gemini-api/docs/thought-signatures). Texts as reported in
        # https://discuss.ai.google.dev/t/openai-api-compatibility-broken-due-to-thought-signature-on-gemini-3-pro-preview/109823
        # and https://docs.apiyi.com/en/faq/gemini-thought-signature-missing.
        first = calls[0]
        sig = _signature(first)
        name = (first.get("function") or {}).get("name")
        if not sig:
            return _google_error(
                f"Function call is missing a thought_signature in functionCall parts. This is required for tools "
                f"to work correctly, and missing thought_signature may lead to degraded model performance. "
                f"Additional data, function call `default_api:{name}` , position {i + 1}. Please refer to "
                f"https://ai.google.dev/gemini-api/docs/thought-signatures for more details."
            )
        if sig not in GEMINI_PLACEHOLDERS and not hmac.compare_digest(sig, gemini_signature(str(first.get("id")))):
            return _google_error("Corrupted thought signature.")
    return None


def _minimax(messages: list[dict[str, Any]]) -> Reply | None:
    for msg in messages:
        for item in msg.get("reasoning_details") or () if msg.get("role") == "assistant" else ():
            if not isinstance(item, dict) or "minimax" not in str(item.get("format", "")).lower():
                # MiniMax takes back its own reasoning_details (platform.minimax.io/docs/guides/text-m2-function-call);
                # another shape: "400 Mismatch type []*open_platform_oai.ReasoningDetail" (reported,
                # https://github.com/iOfficeAI/gemini-cli-pro/pull/33).
                return _openai_error("Mismatch type []*open_platform_oai.ReasoningDetail", code="invalid_params")
    return None


def check(body: dict[str, Any], fam: str, thinking: bool) -> Reply | None:
    """The vendor's 400 for a history it would refuse, or ``None``."""
    messages = body.get("messages") or []
    model = str(body.get("model", "")).lower()
    if fam == "openai":
        return _openai(messages)
    if fam == "deepseek":
        return _deepseek(messages, model, thinking)
    if fam == "moonshot":
        return _kimi(messages, thinking)
    if fam == "google":
        return _gemini(messages, model)
    if fam == "minimax":
        return _minimax(messages)
    return None
