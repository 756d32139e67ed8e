"""LlamaIndex messages ⇄ OpenAI-format dicts, and core results → ``ChatResponse``.

This module only translates. Which reasoning is echoed back, which thinking flag is sent, how streamed tool calls
are merged and whether a model takes an image all live in ``mixrouter``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from llama_index.core.base.llms.types import (
    AudioBlock,
    CachePoint,
    ChatMessage,
    ChatResponse,
    DocumentBlock,
    ImageBlock,
    MessageRole,
    TextBlock,
    ThinkingBlock,
    ToolCallBlock,
    VideoBlock,
)

from mixrouter import ChatDelta, ChatResult, Usage
from mixrouter.chat import arguments_json, deep_merge
from mixrouter.content import DEFAULT_FILENAME, text_only

_ROLES = {
    MessageRole.SYSTEM: "system",
    MessageRole.DEVELOPER: "developer",
    MessageRole.USER: "user",
    MessageRole.ASSISTANT: "assistant",
    MessageRole.TOOL: "tool",
    MessageRole.FUNCTION: "function",
    MessageRole.CHATBOT: "assistant",
    MessageRole.MODEL: "assistant",
}


# -- outgoing -----------------------------------------------------------------------------------------------------


def _b64(stream: Any) -> str:
    data = stream.read()
    return data.decode("ascii") if isinstance(data, bytes) else str(data)


def _image(block: ImageBlock) -> dict[str, Any]:
    if block.url:
        url = str(block.url)
    else:
        mime = block.image_mimetype or "image/png"
        url = f"data:{mime};base64,{_b64(block.resolve_image(as_base64=True))}"
    image_url: dict[str, Any] = {"url": url}
    if block.detail:
        image_url["detail"] = block.detail
    return {"type": "image_url", "image_url": image_url}


def _audio(block: AudioBlock) -> dict[str, Any]:
    if block.url:
        return {"type": "audio_url", "audio_url": {"url": str(block.url)}}
    fmt = block.format  # LlamaIndex guesses it from the bytes or the file name
    if not fmt:
        raise ValueError("an AudioBlock without a url needs format= (for example 'mp3' or 'wav').")
    return {"type": "input_audio", "input_audio": {"data": _b64(block.resolve_audio(as_base64=True)), "format": fmt}}


def _video(block: VideoBlock) -> dict[str, Any]:
    if block.url:
        url = str(block.url)
    else:
        if not block.video_mimetype:
            raise ValueError("a VideoBlock without a url needs video_mimetype= (for example 'video/mp4').")
        url = f"data:{block.video_mimetype};base64,{_b64(block.resolve_video(as_base64=True))}"
    return {"type": "video_url", "video_url": {"url": url}}


def _document(block: DocumentBlock) -> dict[str, Any]:
    """A document inline (every route takes ``file_data``; none takes a document URL), so a URL-only block is
    fetched first, as LlamaIndex's own ``resolve_document`` does."""
    if block.data is None and block.path is None and block.url is None:
        raise ValueError("a DocumentBlock needs data=, path= or url=.")
    try:
        data = block.inline_url()
    except Exception as exc:  # LlamaIndex's fetch raises whatever requests raises
        where = f"url {str(block.url)!r}" if block.url else f"path {str(block.path)!r}"
        raise ValueError(f"could not read the DocumentBlock's {where}: {exc}") from exc
    return {"type": "file", "file": {"filename": block.title or DEFAULT_FILENAME, "file_data": data}}


def _cache_hint(point: CachePoint) -> dict[str, Any]:
    """LlamaIndex's ``CachePoint`` as the ``cache_control`` of the part before it (as llama-index-llms-anthropic
    reads it); the default ttl is left out, so vendors that know only ``{"type": "ephemeral"}`` take it."""
    control = point.cache_control
    hint: dict[str, Any] = {"type": control.type}
    if control.ttl and control.ttl != "5m":
        hint["ttl"] = control.ttl
    return hint


def _part(block: Any) -> dict[str, Any] | None:
    if isinstance(block, TextBlock):
        return {"type": "text", "text": block.text}
    if isinstance(block, ImageBlock):
        return _image(block)
    if isinstance(block, AudioBlock):
        return _audio(block)
    if isinstance(block, VideoBlock):
        return _video(block)
    if isinstance(block, DocumentBlock):
        return _document(block)
    raise ValueError(f"unsupported content block {type(block).__name__} in a user message.")


def _parts(message: ChatMessage, where: str, allowed: tuple[type, ...] | None = None) -> str | list[dict[str, Any]]:
    """The message's blocks as core parts (a string when they are plain text). A ``CachePoint`` marks the part
    before it with ``cache_control``; thinking and tool-call blocks belong to assistant turns and are skipped."""
    parts: list[dict[str, Any]] = []
    for block in message.blocks:
        if isinstance(block, (ThinkingBlock, ToolCallBlock)) or (isinstance(block, TextBlock) and not block.text):
            continue  # (an answer's empty TextBlock beside its image is no part: LangChain's answer has none)
        if isinstance(block, CachePoint):
            if not parts:
                raise ValueError(f"{where}: a CachePoint must follow the block it caches.")
            parts[-1] = {**parts[-1], "cache_control": _cache_hint(block)}
            continue
        if allowed is not None and not isinstance(block, allowed):
            names = ", ".join(t.__name__ for t in allowed)
            raise ValueError(f"{where} messages take {names} blocks, got a {type(block).__name__}.")
        part = _part(block)
        if part is not None:
            parts.append(part)
    if text_only(parts):
        return "".join(p["text"] for p in parts)
    return parts


def legacy_tool_call(tc: Any) -> dict[str, Any]:
    """``additional_kwargs["tool_calls"]`` written by other integrations: dicts or OpenAI SDK objects."""
    d = tc.model_dump(exclude_none=True) if hasattr(tc, "model_dump") else dict(tc)
    fn = dict(d.get("function") or {})
    args = fn.get("arguments")
    fn["arguments"] = arguments_json(fn.get("name") or "", args)
    return {**{k: v for k, v in d.items() if k not in ("index", "function")}, "type": "function", "function": fn}


def _assistant(message: ChatMessage) -> dict[str, Any]:
    extras = message.additional_kwargs.get("tool_call_extras") or {}
    calls = []
    reasoning: list[str] = []
    details: list[Any] = []
    for block in message.blocks:
        if isinstance(block, ToolCallBlock):
            args = block.tool_kwargs
            call_id = block.tool_call_id or f"call_{len(calls)}"
            calls.append(
                {
                    "id": call_id,
                    "type": "function",
                    "function": {
                        "name": block.tool_name,
                        "arguments": arguments_json(block.tool_name, args),
                    },
                    **extras.get(call_id, {}),
                }
            )
        elif isinstance(block, ThinkingBlock):
            if block.content:
                reasoning.append(block.content)
            details.extend(block.additional_information.get("reasoning_details") or ())
    if not calls:
        calls = [legacy_tool_call(tc) for tc in message.additional_kwargs.get("tool_calls") or ()]
    out: dict[str, Any] = {"role": "assistant", "content": _parts(message, "assistant", (TextBlock, ImageBlock))}
    if calls:
        out["tool_calls"] = calls
        if not out["content"]:
            out["content"] = None
    text_reasoning = "".join(reasoning) or message.additional_kwargs.get("reasoning_content")
    if text_reasoning:
        out["reasoning_content"] = text_reasoning
    if details:
        out["reasoning_details"] = details
    return out


def to_openai_messages(messages: Sequence[ChatMessage]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i, message in enumerate(messages):
        if not isinstance(message, ChatMessage):
            raise TypeError(f"messages[{i}] is a {type(message).__name__}, not a llama_index ChatMessage.")
        role = _ROLES.get(message.role)
        if role is None:
            raise ValueError(f"messages[{i}] has unsupported role {message.role!r}.")
        if role == "assistant":
            out.append(_assistant(message))
            continue
        kwargs = message.additional_kwargs
        if role == "tool":
            call_id = kwargs.get("tool_call_id")
            d: dict[str, Any] = {"role": "tool", "tool_call_id": call_id, "content": _parts(message, "tool")}
            if kwargs.get("is_error"):
                d["is_error"] = True  # the core sends it where the wire has a field for it (Claude's tool_result)
        elif role in ("system", "developer"):
            d = {"role": role, "content": _parts(message, role, (TextBlock,))}
        else:
            d = {"role": role, "content": _parts(message, role)}
        if kwargs.get("name"):
            d["name"] = kwargs["name"]  # on tool messages too: the core drops it where a vendor refuses it
        out.append(d)
    return out


# -- incoming -----------------------------------------------------------------------------------------------------


def usage_kwargs(usage: Usage | None) -> dict[str, Any]:
    """Counts for ``ChatResponse.additional_kwargs`` (OpenAI's three, plus the details that are non-zero)."""
    if usage is None:
        return {}
    out: dict[str, Any] = {
        "prompt_tokens": usage.input_tokens,
        "completion_tokens": usage.output_tokens,
        "total_tokens": usage.total_tokens,
    }
    for key, value in (
        ("cached_tokens", usage.cache_read),
        ("cache_creation_tokens", usage.cache_creation),
        ("reasoning_tokens", usage.reasoning_tokens),
    ):
        if value:
            out[key] = value
    return out


def raw_with_usage(raw: dict[str, Any] | None, usage: Usage | None) -> dict[str, Any]:
    """The provider's answer with ``usage`` in OpenAI's shape on top (token counters read ``raw["usage"]``)."""
    out = dict(raw or {})
    if usage is not None:
        out["usage"] = deep_merge(usage.raw, usage.as_openai())
    return out


def _thinking(reasoning: str, details: list[Any] | None, usage: Usage | None) -> ThinkingBlock:
    info = {"reasoning_details": details} if details else {}
    tokens = usage.reasoning_tokens if usage is not None and usage.reasoning_tokens else None
    return ThinkingBlock(content=reasoning, num_tokens=tokens, additional_information=info)


def _final_kwargs(arguments: str) -> dict[str, Any] | str:
    """Complete arguments as a dict; text that is not a JSON object stays text (never silently emptied)."""
    if not arguments.strip():
        return {}
    try:
        value = json.loads(arguments)
    except ValueError:
        return arguments
    return value if isinstance(value, dict) else arguments


def to_chat_response(result: ChatResult) -> ChatResponse:
    blocks: list[Any] = []
    if result.reasoning or result.reasoning_details:
        blocks.append(_thinking(result.reasoning, result.reasoning_details, result.usage))
    blocks.append(TextBlock(text=result.text))
    for part in result.content_parts or ():
        if part.get("type") == "image_url":
            blocks.append(ImageBlock(url=(part.get("image_url") or {}).get("url")))
    extras = {}
    for tc in result.tool_calls:
        blocks.append(ToolCallBlock(tool_call_id=tc.id, tool_name=tc.name, tool_kwargs=_final_kwargs(tc.arguments)))
        if tc.extra:
            extras[tc.id] = tc.extra
    message_kwargs: dict[str, Any] = {}
    if result.tool_calls:  # also where LlamaIndex core's programs look for them (blocks stay the source of truth)
        message_kwargs["tool_calls"] = [tc.to_openai() for tc in result.tool_calls]
    if extras:
        message_kwargs["tool_call_extras"] = extras
    if result.refusal:
        message_kwargs["refusal"] = result.refusal
    return ChatResponse(
        message=ChatMessage(role=MessageRole.ASSISTANT, blocks=blocks, additional_kwargs=message_kwargs),
        raw=raw_with_usage(result.raw, result.usage),
        additional_kwargs={
            **usage_kwargs(result.usage),
            "finish_reason": result.finish_reason,
            "model": result.model,
            **({"structured_output_method": result.structured_method} if result.structured_method else {}),
        },
    )


class StreamState:
    """Accumulates a stream's deltas into LlamaIndex chunks: each chunk's ``message`` is the whole answer so far
    (thinking, text, tool calls), ``delta`` the new answer text, ``additional_kwargs["thinking_delta"]`` the new
    reasoning. The last chunk carries usage in ``raw["usage"]`` and ``additional_kwargs`` and tool arguments as
    dicts, so it can go straight back into the history."""

    __slots__ = ("calls", "details", "extras", "reasoning", "text")

    def __init__(self) -> None:
        self.text = ""
        self.reasoning = ""
        self.details: list[Any] = []
        self.calls: list[list[Any]] = []  # [id, name, arguments]; the core's index is the position
        self.extras: dict[str, Any] = {}

    def update(self, delta: ChatDelta) -> ChatResponse:
        if delta.text:
            self.text += delta.text
        if delta.reasoning:
            self.reasoning += delta.reasoning
        if delta.reasoning_details:
            self.details.extend(delta.reasoning_details)
        for tc in delta.tool_calls or ():
            while len(self.calls) <= tc.index:
                self.calls.append([None, "", ""])
            slot = self.calls[tc.index]
            if tc.id:
                slot[0] = tc.id
            if tc.name:
                slot[1] += tc.name
            slot[2] += tc.arguments
            if tc.extra and slot[0]:
                self.extras[slot[0]] = {**self.extras.get(slot[0], {}), **tc.extra}
        return self._response(delta)

    def _response(self, delta: ChatDelta) -> ChatResponse:
        final = delta.final
        blocks: list[Any] = []
        if self.reasoning or self.details:
            blocks.append(_thinking(self.reasoning, self.details or None, delta.usage if final else None))
        blocks.append(TextBlock(text=self.text))
        for i, (cid, name, args) in enumerate(self.calls):
            blocks.append(
                ToolCallBlock(
                    tool_call_id=cid or f"call_{i}", tool_name=name, tool_kwargs=_final_kwargs(args) if final else args
                )
            )
        message_kwargs: dict[str, Any] = {"tool_call_extras": dict(self.extras)} if self.extras else {}
        if self.calls:  # LlamaIndex core's streaming programs read tool calls from here
            message_kwargs["tool_calls"] = [
                {"id": cid or f"call_{i}", "type": "function", "function": {"name": name, "arguments": args}}
                for i, (cid, name, args) in enumerate(self.calls)
            ]
        kwargs: dict[str, Any] = {}
        if delta.reasoning:
            kwargs["thinking_delta"] = delta.reasoning
        if final:
            kwargs.update(usage_kwargs(delta.usage))
            kwargs["finish_reason"] = delta.finish_reason
            kwargs["model"] = delta.model
            if delta.structured_method:
                kwargs["structured_output_method"] = delta.structured_method
            raw = raw_with_usage(
                {"id": delta.id, "model": delta.model, "finish_reason": delta.finish_reason}, delta.usage
            )
        else:
            raw = delta.raw
        return ChatResponse(
            message=ChatMessage(role=MessageRole.ASSISTANT, blocks=blocks, additional_kwargs=message_kwargs),
            delta=delta.text,
            raw=raw,
            additional_kwargs=kwargs,
        )
