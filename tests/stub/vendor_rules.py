"""What each vendor's ``/chat/completions`` rejects, enforced by the stub with the vendor's own status and error body.

MixRouter forwards a request to the vendor behind the model, so a field or combination the vendor refuses comes
back as that vendor's 400. A green test against a stub that accepts everything proves nothing, so every rule the
package has to respect is here, each with its source. Where the exact error text is not published, the text is
the one users report (issue links) and marked UNCONFIRMED; the *rule* is always the documented one.

``check(body)`` returns ``None`` for a request the vendor would take, else the (status, content type, body) reply.
"""

from __future__ import annotations

import json
import re
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
    if flag in ("enabled", "adaptive") or body.get("enable_thinking") is True:
        return True
    # deepseek-reasoner and *-thinking models always think; DeepSeek V4 thinks unless told not to
    # (https://api-docs.deepseek.com/guides/thinking_mode; https://github.com/deepseek-ai/DeepSeek-V3/issues/1376).
    # MiniMax-M2 always reasons; MixRouter returns it as reasoning_content (its documented minimax-m2 page, P18).
    return "reasoner" in model or "thinking" in model or model.startswith(("deepseek-v4", "minimax-m"))


# -- Claude's thinking and output_config, per model (the stub's own reading of Anthropic's model pages) ----------
_CLAUDE_ID = re.compile(r"^claude-(?:([a-z]+)-(\d+)(?:[-.](\d{1,2}))?(?=$|[-@.])|(\d+)(?:[-.](\d{1,2}))?-([a-z]+))")


def claude_model(model: str) -> tuple[str, tuple[int, int] | None] | None:
    """(tier, (major, minor)) of a Claude id; ``None`` version for claude-mythos-preview; ``None`` if not Claude."""
    m = _CLAUDE_ID.match(model.lower())
    if m and m.group(1):
        return m.group(1), (int(m.group(2)), int(m.group(3) or 0))
    if m:
        return m.group(6), (int(m.group(4)), int(m.group(5) or 0))
    return ("mythos", None) if model.lower().startswith("claude-mythos") else None


def claude_rules(model: str) -> dict[str, Any]:
    """What one Claude model takes. Sources, Anthropic's docs:
    adaptive thinking https://platform.claude.com/docs/en/build-with-claude/adaptive-thinking (Opus 4.6, Sonnet
    4.6, Opus 4.7+, Mythos; "Older models (Sonnet 4.5, Opus 4.5, etc.) do not support adaptive thinking");
    budget_tokens "deprecated on Opus 4.6 and Sonnet 4.6", not supported (400) on Opus 4.7 and later
    (https://docs.aws.amazon.com/bedrock/latest/userguide/claude-messages-adaptive-thinking.html);
    effort https://platform.claude.com/docs/en/build-with-claude/effort (Opus 4.5: low/medium/high; 4.6: + max;
    Opus 4.7, 4.8, Opus 5, Sonnet 5: + xhigh); JSON outputs https://platform.claude.com/docs/en/build-with-claude/
    structured-outputs (Haiku 4.5, Sonnet 4.5, Opus 4.5 and newer); display "omitted" by default from Opus 4.7
    (https://platform.claude.com/docs/en/about-claude/models/whats-new-claude-4-7). Ids newer than these are
    read as the newest documented model of their kind (inferred)."""
    parsed = claude_model(model)
    if parsed is None:
        return {}
    tier, version = parsed
    new = version is None or tier in ("mythos", "fable") or version >= (5, 0)
    adaptive = new or (tier in ("opus", "sonnet") and version >= (4, 6))
    only = adaptive and version != (4, 6)
    if only:
        efforts = ("low", "medium", "high", "max") if version is None else ("low", "medium", "high", "xhigh", "max")
    elif adaptive:
        efforts = ("low", "medium", "high", "max")
    else:
        efforts = ("low", "medium", "high") if (tier, version) == ("opus", (4, 5)) else ()
    return {
        "adaptive": adaptive,
        "budget": not only,
        "disable": tier not in ("mythos", "fable"),  # Mythos / Fable: "disabled" is a 400 (AWS page above)
        "efforts": efforts,
        "format": new or version >= (4, 5),
        "display_omitted": only,
    }


def _open_object(schema: Any, path: str) -> str | None:
    """The path of the first object schema not closed with ``additionalProperties: false``."""
    if isinstance(schema, list):
        return next((p for i, s in enumerate(schema) if (p := _open_object(s, f"{path}[{i}]"))), None)
    if not isinstance(schema, dict):
        return None
    if (schema.get("type") == "object" or "properties" in schema) and schema.get("additionalProperties") is not False:
        return path
    for key in ("properties", "$defs", "definitions"):
        for name, sub in (schema.get(key) or {}).items():
            if problem := _open_object(sub, f"{path}.{key}.{name}"):
                return problem
    for key in ("items", "anyOf", "allOf"):
        if key in schema and (problem := _open_object(schema[key], f"{path}.{key}")):
            return problem
    return None


def claude_problem(body: dict[str, Any]) -> str | None:
    """Anthropic's message for a ``thinking`` / ``output_config`` the model refuses, or ``None``."""
    rules = claude_rules(str(body.get("model", "")))
    if not rules:
        return None
    thinking = body.get("thinking") if isinstance(body.get("thinking"), dict) else {}
    kind = thinking.get("type")
    if kind == "adaptive" and not rules["adaptive"]:
        # Verbatim as reported for Haiku 4.5 (https://github.com/pensarai/apex/pull/890).
        return "adaptive thinking is not supported on this model"
    if kind == "enabled" and not rules["budget"]:
        # Verbatim (https://github.com/NousResearch/hermes-agent/issues/11137, claude-opus-4-7).
        return (
            '"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and '
            '"output_config.effort" to control thinking behavior.'
        )
    if kind == "disabled" and not rules["disable"]:
        return '"thinking.type.disabled" is not supported for this model.'  # text UNCONFIRMED
    if kind == "adaptive" and "budget_tokens" in thinking:
        return "thinking.adaptive.budget_tokens: Extra inputs are not permitted"  # Anthropic's extra-field wording
    if thinking.get("display") not in (None, "summarized", "omitted"):
        return "thinking.display: Input should be 'summarized' or 'omitted'"  # the SDK's Literal; text UNCONFIRMED
    config = body.get("output_config")
    if config is None:
        return None
    extra = sorted(set(config) - {"effort", "format", "task_budget"}) if isinstance(config, dict) else ["(root)"]
    if extra:
        return f"output_config.{extra[0]}: Extra inputs are not permitted"
    effort = config.get("effort")
    if effort is not None and not rules["efforts"]:
        return "output_config.effort: effort is not supported on this model"  # text UNCONFIRMED
    if effort is not None and effort not in rules["efforts"]:
        levels = ", ".join(f"'{e}'" for e in rules["efforts"])
        return f"output_config.effort: Input should be {levels}"  # text UNCONFIRMED
    fmt = config.get("format")
    if fmt is not None:
        if not rules["format"]:
            return "output_config.format: structured outputs are not supported on this model"  # text UNCONFIRMED
        if not isinstance(fmt, dict) or fmt.get("type") != "json_schema" or not isinstance(fmt.get("schema"), dict):
            return "output_config.format: Input should be a valid json_schema format with a schema object"
        if open_at := _open_object(fmt["schema"], "schema"):
            # "additionalProperties (must be set to false for objects)" (structured-outputs page, JSON Schema
            # limitations); message verbatim from https://github.com/ax-llm/ax/issues/458 (output_format then).
            return (
                f"output_config.format.{open_at}: For 'object' type, 'additionalProperties' must be explicitly "
                "set to false"
            )
    return None


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
    if fam == "anthropic" and (problem := claude_problem(body)):
        # Claude through chat completions: the same Anthropic rules (MixRouter forwards to Anthropic; inferred),
        # in the OpenAI envelope the chat route answers with.
        return _openai_error(problem)
    return (
        _unknown_fields(body, fam)
        or _tool_choice(body, fam, thinking)
        or _response_format(body, fam, thinking)
        or _history_rules().check(body, fam, thinking)
    )


def _history_rules() -> Any:
    """What each vendor rejects in a history (tests/stub/history_rules.py)."""
    try:
        from . import history_rules
    except ImportError:  # pragma: no cover - run as a script's sibling
        import history_rules  # type: ignore[no-redef]
    return history_rules
