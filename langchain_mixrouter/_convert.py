"""LangChain messages ⇄ OpenAI-format dicts, and core results → LangChain messages.

This module only translates. It knows nothing about vendors. The reasoning echo rule, thinking flags and tool-call
assembly all happen in ``mixrouter``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    ChatMessage,
    FunctionMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.messages.ai import UsageMetadata
from langchain_core.messages.block_translators.openai import convert_to_openai_data_block
from langchain_core.messages.content import is_data_content_block
from langchain_core.messages.tool import invalid_tool_call, tool_call, tool_call_chunk

from mixrouter import ChatDelta, ChatResult, Usage
from mixrouter.chat import arguments_json
from mixrouter.content import DEFAULT_FILENAME, text_only

from ._blocks import PROVIDER, artifacts, call_extras  # importing _blocks registers the `mixrouter` translator

_SKIP_BLOCKS = frozenset(
    {
        "reasoning",
        "thinking",
        "reasoning_content",
        "tool_call",
        "tool_use",
        "tool_call_chunk",
        "invalid_tool_call",
        "server_tool_call",
        "server_tool_result",
    }
)


# -- outgoing -----------------------------------------------------------------------------------------------------


def _data_block(block: dict[str, Any]) -> dict[str, Any]:
    """A standard (v0/v1) data block as an OpenAI-format part; video/audio URLs use MixRouter's url parts."""
    kind = block["type"]
    url = block.get("url") or (block.get("data") if block.get("source_type") == "url" else None)
    if kind == "video":
        if url:
            return {"type": "video_url", "video_url": {"url": url}}
        b64 = block.get("base64") or block.get("data")
        if b64 and block.get("mime_type"):
            return {"type": "video_url", "video_url": {"url": f"data:{block['mime_type']};base64,{b64}"}}
        raise ValueError("a video block needs a url (or base64 with mime_type).")
    if kind == "audio" and url:
        return {"type": "audio_url", "audio_url": {"url": url}}
    named = block.get("filename") or any("filename" in (block.get(k) or {}) for k in ("extras", "metadata"))
    if kind == "file" and not named:  # the core's default name (LlamaIndex's), not langchain-core's placeholder
        block = {**block, "filename": DEFAULT_FILENAME}
    return convert_to_openai_data_block(block)


def _part(block: Any) -> dict[str, Any] | None:
    if isinstance(block, str):
        return {"type": "text", "text": block}
    if not isinstance(block, dict):
        raise TypeError(f"unsupported content block {type(block).__name__}; use a dict or a string.")
    kind = block.get("type")
    if kind in _SKIP_BLOCKS:
        return None
    if kind == "text":
        part = {"type": "text", "text": block.get("text", "")}
        if "cache_control" in block:  # a caching hint (Claude, Qwen) is the user's intent: passed on as given
            part["cache_control"] = block["cache_control"]
        return part
    if kind in ("image_url", "video_url", "audio_url", "input_audio"):
        return {k: v for k, v in block.items() if k in ("type", kind)}
    if kind == "file" and isinstance(block.get("file"), dict):  # OpenAI's own file part, as all three routes take
        return {"type": "file", "file": dict(block["file"])}
    if kind == "image" and isinstance(block.get("source"), dict):  # Anthropic-style image block
        src = block["source"]
        url = src.get("url") or f"data:{src.get('media_type')};base64,{src.get('data')}"
        return {"type": "image_url", "image_url": {"url": url}}
    if is_data_content_block(block) or kind in ("video", "audio"):
        return _data_block(block)
    raise ValueError(f"unsupported content block type {kind!r}.")


def _parts(content: str | list[Any]) -> str | list[dict[str, Any]]:
    """Content parts in OpenAI format; whether the model can take them is checked by the core."""
    if isinstance(content, str):
        return content
    return [p for p in (_part(b) for b in content) if p is not None]


def _text_only(content: str | list[Any]) -> str:
    if isinstance(content, str):
        return content
    return "".join(
        b if isinstance(b, str) else b.get("text", "")
        for b in content
        if isinstance(b, str) or (isinstance(b, dict) and b.get("type") == "text")
    )


def _assistant_content(content: str | list[Any]) -> str | list[dict[str, Any]]:
    """Text, or text and images when the answer had images (a gemini-image answer put back in the history)."""
    if isinstance(content, str):
        return content
    images = [
        p
        for b in content
        if isinstance(b, dict) and (b.get("type") == "image_url" or is_data_content_block(b))
        if (p := _part(b)) is not None
    ]
    if not images:
        return _text_only(content)
    text = _text_only(content)
    return ([{"type": "text", "text": text}] if text else []) + images


def _assistant(msg: AIMessage) -> dict[str, Any]:
    out: dict[str, Any] = {"role": "assistant", "content": _assistant_content(msg.content)}
    # vendor keys per call: ours, else read from v1 blocks / another integration's fields (signatures intact)
    extras = {**call_extras(msg), **(msg.additional_kwargs.get("tool_call_extras") or {})}
    calls = [
        {
            "id": tc["id"],
            "type": "function",
            "function": {"name": tc["name"], "arguments": arguments_json(tc["name"], tc["args"])},
            **extras.get(tc["id"], {}),
        }
        for tc in msg.tool_calls
    ]
    calls += [
        {"id": tc["id"], "type": "function", "function": {"name": tc["name"] or "", "arguments": tc["args"] or ""}}
        for tc in msg.invalid_tool_calls
    ]
    if calls:
        out["tool_calls"] = calls
        if not out["content"]:
            out["content"] = None
    reasoning = msg.additional_kwargs.get("reasoning_content")
    if not reasoning and isinstance(msg.content, list):
        reasoning = "".join(
            b.get("reasoning", "") for b in msg.content if isinstance(b, dict) and b.get("type") == "reasoning"
        )
    if reasoning:
        out["reasoning_content"] = reasoning
    details = list(msg.additional_kwargs.get("reasoning_details") or ()) or artifacts(msg)
    if isinstance(msg.content, list):  # signed thinking blocks in content (histories written by langchain-anthropic)
        details += [
            b
            for b in msg.content
            if isinstance(b, dict) and b.get("type") in ("thinking", "redacted_thinking") and b not in details
        ]
        if not reasoning:
            reasoning = "".join(b.get("thinking", "") for b in details if b.get("type") == "thinking")
            if reasoning:
                out["reasoning_content"] = reasoning
    if details:
        out["reasoning_details"] = details
    if msg.name:
        out["name"] = msg.name
    return out


def _tool_content(content: str | list[Any]) -> str | list[dict[str, Any]]:
    """Text, or content parts (an image a tool returned stays an image); a list that is not content blocks (a
    tool's raw list of records) is sent as its JSON text."""
    if isinstance(content, str):
        return content
    if all(isinstance(b, str) or (isinstance(b, dict) and b.get("type") == "text") for b in content):
        return _text_only(content)
    try:
        return _parts(content)
    except (TypeError, ValueError):
        return json.dumps(content, ensure_ascii=False)


def _tool(msg: ToolMessage) -> dict[str, Any]:
    d: dict[str, Any] = {"role": "tool", "tool_call_id": msg.tool_call_id, "content": _tool_content(msg.content)}
    if msg.status == "error":
        d["is_error"] = True  # the core sends it where the wire has a field for it (Claude's tool_result)
    return d


def to_openai_messages(messages: Sequence[BaseMessage]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i, msg in enumerate(messages):
        if isinstance(msg, AIMessage):
            out.append(_assistant(msg))
            continue
        if isinstance(msg, HumanMessage):
            d: dict[str, Any] = {"role": "user", "content": _parts(msg.content)}
        elif isinstance(msg, SystemMessage):
            # parts, not text: a cache_control on a system block is Claude's system-prompt caching
            parts = _parts(msg.content)
            content = parts if isinstance(parts, str) or not text_only(parts) else _text_only(msg.content)
            d = {"role": msg.additional_kwargs.get("__openai_role__", "system"), "content": content}
        elif isinstance(msg, ToolMessage):
            d = _tool(msg)
        elif isinstance(msg, ChatMessage):
            d = {"role": msg.role, "content": _parts(msg.content)}
        elif isinstance(msg, FunctionMessage):
            d = {"role": "function", "name": msg.name, "content": _text_only(msg.content)}
        else:
            raise ValueError(f"messages[{i}] has unsupported type {type(msg).__name__}.")
        if getattr(msg, "name", None) and "name" not in d:
            d["name"] = msg.name
        out.append(d)
    return out


# -- incoming -----------------------------------------------------------------------------------------------------


def usage_metadata(usage: Usage) -> UsageMetadata:
    meta: dict[str, Any] = {
        "input_tokens": usage.input_tokens,
        "output_tokens": usage.output_tokens,
        "total_tokens": usage.total_tokens,
    }
    inp = {
        k: v
        for k, v in (
            ("cache_read", usage.cache_read),
            ("cache_creation", usage.cache_creation),
            ("audio", usage.audio_input),
        )
        if v
    }
    out = {k: v for k, v in (("reasoning", usage.reasoning_tokens), ("audio", usage.audio_output)) if v}
    if inp:
        meta["input_token_details"] = inp
    if out:
        meta["output_token_details"] = out
    return meta  # type: ignore[return-value]


# LangChain's normalized finish reasons (langchain-core 1.8.4 reads them from response_metadata; earlier cores keep
# them as metadata): stop | length | tool_call | content_filter | refusal | context_exceeded | error | other.
_NORMALIZED = {
    **dict.fromkeys(("stop", "end_turn", "stop_sequence", "completed"), "stop"),
    **dict.fromkeys(("length", "max_tokens", "max_output_tokens"), "length"),
    **dict.fromkeys(("tool_calls", "function_call", "tool_use"), "tool_call"),
    **dict.fromkeys(("content_filter", "recitation"), "content_filter"),
    **dict.fromkeys(("refusal", "safety", "prohibited_content", "blocklist"), "refusal"),
    **dict.fromkeys(("model_context_window_exceeded", "context_length_exceeded"), "context_exceeded"),
    **dict.fromkeys(("error", "failed", "malformed_function_call", "malformed_response"), "error"),
}


def finish_fields(
    model: str | None, finish_reason: str | None, *, tool_calls: bool = False, refusal: bool = False
) -> dict[str, str]:
    """``normalized_finish_reason`` (and, for Claude, ``finish_state``: ``suspended`` on ``pause_turn``, else
    ``complete``) from the core's finish reason; nothing when there is none (a chunk before the last)."""
    if not finish_reason:
        return {}
    normalized = "refusal" if refusal else _NORMALIZED.get(finish_reason.lower(), "other")
    if normalized == "stop" and tool_calls:
        normalized = "tool_call"
    fields = {"normalized_finish_reason": normalized}
    if "claude" in (model or "").lower():
        fields["finish_state"] = "suspended" if finish_reason == "pause_turn" else "complete"
    return fields


def response_metadata(
    model: str | None,
    finish_reason: str | None,
    rid: str | None,
    structured_method: str | None = None,
    *,
    tool_calls: bool = False,
    refusal: bool = False,
) -> dict[str, Any]:
    meta = {"model_name": model or "", "finish_reason": finish_reason, "model_provider": PROVIDER, "id": rid}
    meta.update(finish_fields(model, finish_reason, tool_calls=tool_calls, refusal=refusal))
    if structured_method:  # with_structured_output: the method the core used for this call
        meta["structured_output_method"] = structured_method
    return meta


def to_ai_message(result: ChatResult, requested_model: str) -> AIMessage:
    calls, invalid, extras = [], [], {}
    for tc in result.tool_calls:
        try:
            args = tc.parsed_arguments()
        except ValueError as exc:
            invalid.append(invalid_tool_call(name=tc.name, args=tc.arguments, id=tc.id, error=str(exc)))
            continue
        calls.append(tool_call(name=tc.name, args=args, id=tc.id))
        if tc.extra:
            extras[tc.id] = tc.extra
    additional: dict[str, Any] = {}
    if result.reasoning:
        additional["reasoning_content"] = result.reasoning
    if result.reasoning_details:
        additional["reasoning_details"] = result.reasoning_details
    if extras:
        additional["tool_call_extras"] = extras
    if result.refusal:
        additional["refusal"] = result.refusal
    content: str | list[Any] = result.text
    if result.content_parts:
        content = ([{"type": "text", "text": result.text}] if result.text else []) + result.content_parts
    return AIMessage(
        content=content,
        additional_kwargs=additional,
        tool_calls=calls,
        invalid_tool_calls=invalid,
        usage_metadata=usage_metadata(result.usage) if result.usage else None,
        response_metadata=_with_token_usage(
            response_metadata(
                result.model or requested_model,
                result.finish_reason,
                result.id,
                result.structured_method,
                tool_calls=bool(calls or invalid),
                refusal=bool(result.refusal),
            ),
            result.usage,
        ),
        id=result.id,
    )


def _with_token_usage(meta: dict[str, Any], usage: Usage | None) -> dict[str, Any]:
    """``token_usage`` in OpenAI's shape, where ChatOpenAI users (and callbacks written for it) read it."""
    if usage is not None:
        meta["token_usage"] = usage.as_openai()
    return meta


class BlockIndex:
    """Tool-call chunk indices that stay clear of the reasoning and text blocks before them.

    With ``output_version="v1"`` LangChain numbers each run of content blocks (reasoning 0, text 1, ...) but keeps
    an index a block already has, and merges streamed blocks by index. A tool-call chunk's own index (0 for the
    first call) would then merge the call into the reasoning block. Shifting tool indices by the number of block
    runs seen before the first call keeps every block apart (and is harmless in v0, where indices only need to be
    consistent per call)."""

    __slots__ = ("_frozen", "_kinds", "offset")

    def __init__(self) -> None:
        self.offset = 0
        self._frozen = False
        self._kinds: set[str] = set()

    def see(self, delta: ChatDelta) -> int:
        if not self._frozen:
            for kind, present in (("reasoning", delta.reasoning), ("text", delta.text)):
                if present and kind not in self._kinds:
                    self._kinds.add(kind)
                    self.offset += 1
            self._frozen = bool(delta.tool_calls)
        return self.offset


def to_chunk(delta: ChatDelta, requested_model: str, stream_usage: bool, tool_offset: int = 0) -> AIMessageChunk:
    additional: dict[str, Any] = {}
    if delta.reasoning:
        additional["reasoning_content"] = delta.reasoning
    if delta.reasoning_details:
        additional["reasoning_details"] = delta.reasoning_details
    chunks = []
    for tc in delta.tool_calls or ():
        chunks.append(tool_call_chunk(name=tc.name, args=tc.arguments or None, id=tc.id, index=tc.index + tool_offset))
        if tc.extra and tc.id:
            additional.setdefault("tool_call_extras", {})[tc.id] = tc.extra
    if not delta.final:
        if not additional and not chunks:  # the common text chunk: only what it carries (LangChain keeps them all)
            return AIMessageChunk(content=delta.text)
        # the provider names our block translator (signatures in content_blocks, v1 output); text needs none
        return AIMessageChunk(
            content=delta.text,
            additional_kwargs=additional,
            tool_call_chunks=chunks,
            response_metadata={"model_provider": PROVIDER},
        )
    return AIMessageChunk(
        content=delta.text,
        additional_kwargs=additional,
        tool_call_chunks=chunks,
        usage_metadata=usage_metadata(delta.usage) if (delta.usage and stream_usage) else None,
        response_metadata=_with_token_usage(
            response_metadata(delta.model or requested_model, delta.finish_reason, delta.id, delta.structured_method),
            delta.usage if stream_usage else None,
        ),
        chunk_position="last",
    )
