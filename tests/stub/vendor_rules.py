"""What each vendor's ``/chat/completions`` rejects, enforced by the stub with the vendor's own status and error body.

MixRouter forwards a request to the vendor behind the model, so a field or combination the vendor refuses comes
back as that vendor's 400. A green test against a stub that accepts everything proves nothing, so every rule the
package has to respect is here, each with its source. Where the exact error text is not published, the text is
the one users report (issue links) and marked UNCONFIRMED; the *rule* is always the documented one.

``check(body)`` returns ``None`` for a request the vendor would take, else the (status, content type, body) reply.
"""

from __future__ import annotations

import json
from typing import Any

Reply = tuple[int, str, bytes]

# OpenAI's Chat Completions request body (https://platform.openai.com/docs/api-reference/chat/create): any other
# top-level field gets 400 "Unrecognized request argument supplied: <name>" (reported verbatim in
# https://github.com/davidmigloz/langchain_dart/issues/712).
OPENAI_FIELDS = frozenset(
    {
        "model", "messages", "stream", "stream_options", "temperature", "top_p", "n", "stop", "max_tokens",
        "max_completion_tokens", "presence_penalty", "frequency_penalty", "logit_bias", "logprobs", "top_logprobs",
        "user", "seed", "tools", "tool_choice", "parallel_tool_calls", "response_format", "reasoning_effort",
        "service_tier", "store", "metadata", "modalities", "audio", "prediction", "web_search_options",
        "safety_identifier", "prompt_cache_key", "verbosity", "functions", "function_call",
    }
)  # fmt: skip
# Framework-level settings no vendor takes (LangChain / LlamaIndex / this package's own names): a request carrying
# one leaked a setting onto the wire. Every OpenAI-compatible vendor rejects or ignores unknown fields; the stub
# rejects them for all, with OpenAI's message.
FRAMEWORK_ONLY = frozenset(
    {
        "stream_usage", "use_responses_api", "route", "strict", "include_usage", "effort", "budget", "structured",
        "ls_structured_output_format", "tool_required", "allow_parallel_tool_calls", "wire_fields", "defaults",
        "extra_body", "extra_headers", "model_kwargs", "additional_kwargs", "info", "stop_sequences",
    }
)  # fmt: skip
_JSON_WORD_RULE = (
    "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'."
)


def _reply(status: int, obj: Any) -> Reply:
    return status, "application/json", json.dumps(obj, ensure_ascii=False).encode()


def _openai_error(message: str, param: str | None = None, code: str | None = None) -> Reply:
    return _reply(400, {"error": {"message": message, "type": "invalid_request_error", "param": param, "code": code}})


def family(model: str) -> str:
    """The vendor behind a model id (the stub's own table, independent of the package's catalogue)."""
    m = model.lower()
    for prefix, name in (
        ("gpt-", "openai"), ("o1", "openai"), ("o3", "openai"), ("o4", "openai"), ("chatgpt", "openai"),
        ("claude", "anthropic"), ("gemini", "google"), ("deepseek", "deepseek"), ("kimi", "moonshot"),
        ("moonshot", "moonshot"), ("qwen", "qwen"), ("qwq", "qwen"), ("glm", "zhipu"), ("minimax", "minimax"),
    ):  # fmt: skip
        if m.startswith(prefix):
            return name
    return "other"


def _forced(choice: Any) -> str | None:
    """'required' or 'specified' (a named function) for a forcing tool_choice, else None."""
    if choice in ("required", "any"):
        return "required"
    if isinstance(choice, dict) and choice.get("type") == "function":
        return "specified"
    return None


def thinking_on(body: dict[str, Any]) -> bool:
    """Whether the vendor will think for this request (its flag, or a model that always or by default thinks)."""
    model = str(body.get("model", "")).lower()
    flag = (body.get("thinking") or {}).get("type") if isinstance(body.get("thinking"), dict) else None
    if flag == "disabled" or body.get("enable_thinking") is False:
        return False
    if flag == "enabled" or body.get("enable_thinking") is True:
        return True
    # deepseek-reasoner and *-thinking models always think; DeepSeek V4 thinks unless told not to
    # (https://api-docs.deepseek.com/guides/thinking_mode; https://github.com/deepseek-ai/DeepSeek-V3/issues/1376).
    return "reasoner" in model or "thinking" in model or model.startswith("deepseek-v4")


def _all_text(body: dict[str, Any]) -> str:
    return json.dumps(body.get("messages") or [], ensure_ascii=False).lower()


def _unknown_fields(body: dict[str, Any], fam: str) -> Reply | None:
    leaked = sorted(k for k in body if k in FRAMEWORK_ONLY or (fam == "openai" and k not in OPENAI_FIELDS))
    if leaked:
        return _openai_error(f"Unrecognized request argument supplied: {leaked[0]}")
    return None


def _tool_choice(body: dict[str, Any], fam: str, thinking: bool) -> Reply | None:
    choice = body.get("tool_choice")
    forced = _forced(choice)
    if fam == "zhipu" and choice not in (None, "auto"):
        # Zhipu: tool_choice "默认且仅支持auto" (default and only auto), thinking or not
        # (https://docs.bigmodel.cn/cn/guide/capabilities/function-calling). Message as reported through Z.AI
        # (https://github.com/vectorize-io/hindsight/issues/4246) in Zhipu's error envelope: UNCONFIRMED.
        return _reply(400, {"error": {"code": "1210", "message": "Tool choice must be auto"}})
    if fam == "minimax" and choice not in (None, "auto", "none"):
        # MiniMax: tool_choice is the enum {"none", "auto"} (platform.minimax.io/docs/api-reference/text-post).
        # Error text UNCONFIRMED; MiniMax's envelope and code 2013 for invalid params.
        message = "invalid params, tool_choice must be none or auto (2013)"
        return _reply(400, {"error": {"message": message, "type": "bad_request_error", "param": "", "code": None}})
    if not (forced and thinking):
        return None
    if fam == "deepseek":
        # "Thinking mode does not support this tool_choice" (https://github.com/deepseek-ai/DeepSeek-V3/issues/1376).
        return _openai_error("Thinking mode does not support this tool_choice", code="invalid_request_error")
    if fam == "moonshot":
        # Kimi thinking: tool_choice only "auto" or "none" (https://github.com/AstrBotDevs/AstrBot/issues/7805).
        message = f"tool_choice '{forced}' is incompatible with thinking enabled"
        return _reply(400, {"error": {"message": message, "type": "invalid_request_error"}})
    if fam == "qwen":
        # DashScope: https://github.com/cloudwego/eino/issues/994 (and Alibaba's function-calling guide).
        message = (
            "<400> InternalError.Algo.InvalidParameter: The tool_choice parameter does not support being set to "
            "required or object in thinking mode"
        )
        return _openai_error(message, code="invalid_parameter_error")
    if fam == "anthropic":
        # "Thinking may not be enabled when tool_choice forces tool use." (Anthropic extended thinking with tool
        # use: only tool_choice auto/none; https://github.com/langchain-ai/langchain/issues/35539).
        return _openai_error("Thinking may not be enabled when tool_choice forces tool use.")
    return None


def _response_format(body: dict[str, Any], fam: str, thinking: bool) -> Reply | None:
    kind = (body.get("response_format") or {}).get("type")
    if kind is None or kind == "text":
        return None
    if fam == "deepseek" and kind == "json_schema":
        # DeepSeek takes json_object only (https://api-docs.deepseek.com/guides/json_mode); json_schema gets
        # "This response_format type is unavailable now" (https://github.com/llm-exe/llm-exe/issues/662).
        return _openai_error("This response_format type is unavailable now", code="invalid_request_error")
    if fam == "qwen" and thinking:
        # Alibaba Model Studio JSON mode lists hybrid models "(非思考模式)" only
        # (https://help.aliyun.com/zh/model-studio/json-mode); error as reported in
        # https://github.com/presenton/presenton/issues/184 (envelope UNCONFIRMED).
        message = (
            "<400> InternalError.Algo.InvalidParameter: Json mode response is not supported when enable_thinking "
            "is true"
        )
        return _openai_error(message, code="invalid_parameter_error")
    if fam == "zhipu" and kind != "json_object":
        # Z.AI: response_format "Supports two formats: text ... json_object" (https://docs.z.ai/api-reference/
        # llm/chat-completion). Error text UNCONFIRMED.
        return _reply(400, {"error": {"code": "1210", "message": "API 调用参数有误，请检查文档。"}})
    if kind == "json_object" and fam in ("openai", "deepseek") and "json" not in _all_text(body):
        # OpenAI JSON mode: "the API will throw an error if the string "JSON" does not appear somewhere in the
        # context" (https://platform.openai.com/docs/guides/structured-outputs#json-mode); DeepSeek's JSON Output
        # guide requires the same.
        return _openai_error(_JSON_WORD_RULE, param="messages")
    return None


def check(body: dict[str, Any]) -> Reply | None:
    """The vendor's 400 for a chat-completions body it would refuse, or ``None``."""
    fam = family(str(body.get("model", "")))
    thinking = thinking_on(body)
    return _unknown_fields(body, fam) or _tool_choice(body, fam, thinking) or _response_format(body, fam, thinking)
