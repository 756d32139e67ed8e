"""Claude through MixRouter's ``/v1/messages`` (Anthropic's native Messages format, bearer auth).

MixRouter documents this route with one request/response pair and the sentence "pass parameters as in Anthropic's
official documentation" (research §2.3). Everything beyond that pair (system prompt, images, tools, thinking,
streaming events) follows Anthropic's published Messages API and is **inferred** for MixRouter.

Why this route exists: through ``/chat/completions`` Claude answers in text only. Here its thinking comes back as
*signed* ``thinking`` blocks, which Anthropic requires to be sent back unchanged on the next turn of a tool loop.
The core keeps each block (with its signature) in ``ChatResult.reasoning_details``; the faces carry
``reasoning_details`` through the history untouched, and ``build_messages_body`` puts the blocks back first in
their assistant turn whenever thinking is on.

The faces never see this format: the builder takes the same OpenAI-format messages and keywords as
``build_chat_body``, and the parser and stream assembler return the same ``ChatResult`` / ``ChatDelta``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ._warn import warn_user
from .chat import (
    ChatDelta,
    ChatResult,
    TextBuffer,
    ToolCall,
    ToolCallDelta,
    deep_merge,
    text_field,
)
from .content import adapt_content
from .errors import IncompleteStreamError, ResponseDecodeError
from .history import claude_blocks, claude_tool_turn_unsigned
from .models import ModelInfo
from .structured import anthropic_schema
from .thinking import apply_thinking
from .usage import Usage, normalize_usage

if TYPE_CHECKING:
    from .request import ChatRequest

__all__ = [
    "ANTHROPIC_VERSION",
    "MESSAGES_PATH",
    "MessagesStreamAssembler",
    "build_messages_body",
    "messages_body",
    "parse_message",
]

MESSAGES_PATH = "messages"
ANTHROPIC_VERSION = "2023-06-01"  # Anthropic's required version header (inferred for MixRouter; harmless if unused)
MIN_THINKING_BUDGET = 1024  # Anthropic's documented minimum for budget_tokens
DEFAULT_ANSWER_TOKENS = 4096  # max_tokens is required here; when unset: this much room for the answer (+ budget)
# Adaptive thinking has no budget to add, and its thinking counts inside max_tokens too: when unset, this much
# (our choice, the size of Anthropic's adaptive-thinking examples), capped at the model's maximum output.
DEFAULT_ADAPTIVE_MAX_TOKENS = 16_000

# OpenAI-only request fields with no Messages equivalent: refused by name rather than silently dropped.
# (Anthropic answers any other top-level field with "<field>: Extra inputs are not permitted".)
_TAKES = frozenset({"top_p", "top_k", "user", "metadata", "service_tier", "n"})
_STOP_REASONS = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "max_tokens": "length",
    "model_context_window_exceeded": "length",
    "tool_use": "tool_calls",
    "refusal": "content_filter",
}
_OPENAI_ONLY = frozenset({"input_audio", "audio_url", "video_url", "input_video"})
# Signed reasoning blocks and the keys Anthropic takes back for each.
_SIGNED = {"thinking": ("type", "thinking", "signature"), "redacted_thinking": ("type", "data")}


# -- request ------------------------------------------------------------------------------------------------------
def _image_source(url: str) -> dict[str, Any]:
    if url.startswith("data:"):
        head, _, data = url.partition(",")
        media_type = head[5:].split(";")[0] or "image/png"
        if ";base64" not in head:
            raise ValueError("an image data URL must be base64-encoded (data:image/png;base64,...).")
        return {"type": "base64", "media_type": media_type, "data": data}
    return {"type": "url", "url": url}


def _block(part: Any, where: str) -> dict[str, Any] | None:
    """One OpenAI-format content part as an Anthropic content block (``None`` for empty text)."""
    if isinstance(part, str):
        return {"type": "text", "text": part} if part else None
    if not isinstance(part, Mapping):
        raise TypeError(f"{where}: a content part must be a dict or a string, got {type(part).__name__}.")
    kind = part.get("type")
    extra = {"cache_control": part["cache_control"]} if "cache_control" in part else {}
    if kind == "text":
        return {"type": "text", "text": part.get("text") or "", **extra} if part.get("text") else None
    if kind == "image_url":
        image = part.get("image_url")
        url = image.get("url") if isinstance(image, Mapping) else image
        if not isinstance(url, str) or not url:
            raise ValueError(f"{where}: image_url part without a url.")
        return {"type": "image", "source": _image_source(url), **extra}
    if kind == "file":
        file = part.get("file") or {}
        data = file.get("file_data") if isinstance(file, Mapping) else None
        if not isinstance(data, str) or not data.startswith("data:"):
            raise ValueError(f"{where}: Claude takes a document as inline data (file.file_data), not a file id.")
        head, _, payload = data.partition(",")
        source = {"type": "base64", "media_type": head[5:].split(";")[0] or "application/pdf", "data": payload}
        return {"type": "document", "source": source, **extra}
    if kind in _OPENAI_ONLY:
        raise ValueError(f"{where}: Claude on /v1/messages cannot take a {kind!r} part (it takes text, images, PDFs).")
    return dict(part)  # an Anthropic-native block (tool_use, server tool results, ...): passed through unchanged


def _blocks(content: Any, where: str) -> list[dict[str, Any]]:
    if content is None:
        return []
    parts = content if isinstance(content, list) else [content]
    return [b for i, p in enumerate(parts) if (b := _block(p, f"{where}.content[{i}]")) is not None]


def _tool_input(arguments: Any, where: str) -> dict[str, Any]:
    if isinstance(arguments, Mapping):
        return dict(arguments)
    if not arguments:
        return {}
    try:
        value = json.loads(arguments)
    except ValueError:
        raise ValueError(f"{where}: tool call arguments are not valid JSON: {str(arguments)[:80]!r}") from None
    if not isinstance(value, dict):
        raise ValueError(f"{where}: tool call arguments must be a JSON object, got {str(arguments)[:80]!r}.")
    return value


def _push(turns: list[dict[str, Any]], role: str, blocks: list[dict[str, Any]]) -> None:
    """Consecutive turns of one role become one turn (Anthropic alternates user and assistant; tool results are a
    user turn, and a user's follow-up text joins them)."""
    if turns and turns[-1]["role"] == role:
        turns[-1]["content"].extend(blocks)
    else:
        turns.append({"role": role, "content": blocks})


def to_anthropic_messages(
    messages: Sequence[Mapping[str, Any]], *, keep_thinking: bool
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """OpenAI-format messages → (system blocks, Anthropic turns). Signed thinking blocks kept in an assistant
    message's ``reasoning_details`` go back first in that turn when ``keep_thinking`` (Anthropic requires them, in
    their original form, on the turn that made tool calls; it ignores older ones)."""
    system: list[dict[str, Any]] = []
    turns: list[dict[str, Any]] = []
    for i, msg in enumerate(messages):
        role = msg["role"]
        where = f"messages[{i}]"
        if role in ("system", "developer"):
            system.extend(_blocks(msg.get("content"), where))
        elif role == "user":
            blocks = _blocks(msg.get("content"), where)
            if not blocks:
                raise ValueError(f"{where} is an empty user message; Claude rejects empty turns.")
            _push(turns, "user", blocks)
        elif role == "assistant":
            blocks = []
            if keep_thinking:
                blocks += claude_blocks(msg.get("reasoning_details"))  # only Anthropic's keys (no stream "index")
            blocks += _blocks(msg.get("content"), where)
            for tc in msg.get("tool_calls") or ():
                fn = tc.get("function") or {}
                blocks.append(
                    {
                        "type": "tool_use",
                        "id": tc.get("id"),
                        "name": fn.get("name"),
                        "input": _tool_input(fn.get("arguments"), f"{where}.tool_calls"),
                    }
                )
            if blocks:  # an assistant turn with no text and no calls carries nothing; Claude rejects it empty
                _push(turns, "assistant", blocks)
        elif role == "tool":
            content = msg.get("content")
            result: dict[str, Any] = {"type": "tool_result", "tool_use_id": msg["tool_call_id"]}
            result["content"] = content if isinstance(content, str) else _blocks(content, where)
            if msg.get("is_error"):
                result["is_error"] = True
            _push(turns, "user", [result])
        else:
            raise ValueError(f"{where}: role {role!r} has no equivalent on /v1/messages; use a tool message.")
    if turns and turns[0]["role"] != "user":
        raise ValueError("the first non-system message must be a user message for Claude on /v1/messages.")
    return system, turns


def _tools(tools: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for tool in tools:
        fn = tool.get("function") if tool.get("type") == "function" else None
        if not isinstance(fn, Mapping):
            out.append(dict(tool))  # a native Anthropic tool (e.g. web_search_20250305): passed through
            continue
        item: dict[str, Any] = {
            "name": fn["name"],
            "input_schema": fn.get("parameters") or {"type": "object", "properties": {}},
        }
        if fn.get("description"):
            item["description"] = fn["description"]
        if "cache_control" in tool:
            item["cache_control"] = tool["cache_control"]
        out.append(item)
    return out


def _tool_choice(choice: str | None, name: str | None, parallel: bool | None) -> dict[str, Any] | None:
    if choice is None and parallel is None:
        return None
    kind = {None: "auto", "required": "any", "function": "tool"}.get(choice, choice)
    out: dict[str, Any] = {"type": kind}
    if kind == "tool":
        out["name"] = name
    if parallel is False and kind != "none":
        out["disable_parallel_tool_use"] = True
    return out


def _system_value(blocks: list[dict[str, Any]]) -> str | list[dict[str, Any]]:
    if all(set(b) == {"type", "text"} for b in blocks):
        return "\n\n".join(b["text"] for b in blocks)
    return blocks


def build_messages_body(model: str, messages: Sequence[Mapping[str, Any]], **settings: Any) -> dict[str, Any]:
    """An Anthropic Messages body from the same settings as ``client.chat`` (see ``request.make_request``)."""
    from .request import make_request

    return messages_body(make_request(model, messages, route="messages", **settings))


def messages_body(req: ChatRequest) -> dict[str, Any]:
    """The ``/v1/messages`` body for one request."""
    info, params = req.info, dict(req.params)
    if other := sorted(set(params) - _TAKES):
        raise ValueError(f"{other[0]} is not supported by Claude on /v1/messages; remove it (or use route='chat').")
    n = params.pop("n", None)  # n=1 is what Messages always does; more is refused as on the other routes
    if isinstance(n, int) and n > 1:
        raise ValueError(f"n={n}: Claude on /v1/messages returns one answer per request; make n calls.")
    body: dict[str, Any] = {"model": req.model}
    if req.temperature is not None:
        body["temperature"] = req.temperature
    # The messages route speaks Anthropic's thinking flag whatever the catalogue says about the chat route.
    flag_info = replace(info, thinking="budget") if info.thinking not in ("none", "always") else info
    budget = req.budget
    takes_budget = info.claude_thinking != "adaptive_only"  # else apply_thinking refuses any budget, saying why
    if takes_budget and budget is not None and isinstance(budget, int) and budget < MIN_THINKING_BUDGET:
        raise ValueError(f"Claude's thinking budget is at least {MIN_THINKING_BUDGET} tokens, got {budget}.")
    apply_thinking(body, flag_info, req.thinking, effort=req.effort, budget=budget)
    thinking_on = (body.get("thinking") or {}).get("type") in ("enabled", "adaptive")
    if schema := _output_format(req):  # JSON outputs (Anthropic's structured outputs), where the model takes them
        body["output_config"] = {**(body.get("output_config") or {}), "format": schema}
    messages = adapt_content(req.messages, info, "messages")
    if thinking_on and claude_tool_turn_unsigned(messages):
        _thinking_off_for_foreign_turn(body, req.model)
        thinking_on = False
    system, turns = to_anthropic_messages(messages, keep_thinking=thinking_on)
    system += [{"type": "text", "text": line} for line in req.instructions]
    if system:
        body["system"] = _system_value(system)
    body["messages"] = turns
    if req.tools:
        body["tools"] = _tools(req.tools)
        tc = _tool_choice(req.tool_choice, req.tool_name, req.parallel_tool_calls)
        if tc is not None:
            body["tool_choice"] = tc
    if req.stop:
        body["stop_sequences"] = req.stop
    user = params.pop("user", None)
    if user is not None:
        body["metadata"] = {"user_id": user}
    body.update(params)
    if req.extra_body:
        body = deep_merge(body, req.extra_body)
    _set_max_tokens(body, info, req.max_tokens)
    body["stream"] = req.stream
    return body


def _thinking_off_for_foreign_turn(body: dict[str, Any], model: str) -> None:
    """Anthropic requires the tool turn a request answers to start with Claude's own signed thinking block while
    thinking is on, and has no placeholder for a turn another model made; it documents that a tool loop runs in
    one thinking mode and that thinking may be off on a request inside it. So that request goes without thinking
    (https://docs.claude.com/en/docs/build-with-claude/extended-thinking#extended-thinking-with-tool-use)."""
    # No flag is "off" on every model ({"type": "disabled"} is refused by Mythos/Fable). output_config.effort stays:
    # it sets how much Claude writes whether or not it thinks.
    body.pop("thinking", None)
    warn_user(
        f"{model}: thinking is off for this request: the tool calls it answers were made by another model, "
        f"without Claude's signed thinking block, which Anthropic requires first in that turn while thinking is "
        f"on. Thinking resumes on the next user turn."
    )


def _output_format(req: ChatRequest) -> dict[str, Any] | None:
    """``output_config.format`` for a ``json_schema`` response format that ``structured.adapt_response_format``
    kept for this route (models with ``native_json_schema``), its schema closed as Anthropic requires."""
    fmt = req.response_format or {}
    spec = fmt.get("json_schema") if fmt.get("type") == "json_schema" else None
    if not isinstance(spec, Mapping) or not isinstance(spec.get("schema"), Mapping):
        return None
    return {"type": "json_schema", "schema": anthropic_schema(spec["schema"])}


def _set_max_tokens(body: dict[str, Any], info: ModelInfo, max_tokens: int | None) -> None:
    value = body.get("max_tokens", max_tokens)
    budget = (body.get("thinking") or {}).get("budget_tokens") or 0
    if value is None and (body.get("thinking") or {}).get("type") == "adaptive":
        value = min(DEFAULT_ADAPTIVE_MAX_TOKENS, info.max_output or DEFAULT_ADAPTIVE_MAX_TOKENS)
    if value is None:
        value = DEFAULT_ANSWER_TOKENS + budget
        if info.max_output:
            value = min(value, info.max_output)
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"max_tokens must be a positive whole number, got {value!r}.")
    if budget and value <= budget:
        raise ValueError(
            f"max_tokens ({value}) must be larger than the thinking budget ({budget}): Claude counts thinking "
            f"inside max_tokens. Raise max_tokens or lower thinking_budget."
        )
    body["max_tokens"] = value


# -- response -----------------------------------------------------------------------------------------------------
def _finish(stop_reason: Any, has_calls: bool) -> str | None:
    if stop_reason is None:
        return "tool_calls" if has_calls else None
    return _STOP_REASONS.get(stop_reason, str(stop_reason))


def parse_message(data: Any) -> ChatResult:
    """A non-streamed Messages answer as a ``ChatResult``."""
    if not isinstance(data, dict) or not isinstance(data.get("content"), list):
        kind = type(data).__name__ if not isinstance(data, dict) else "an object without content"
        raise ResponseDecodeError(f"expected an Anthropic message from /v1/messages, got {kind}.")
    texts: list[str] = []
    reasoning: list[str] = []
    details: list[dict[str, Any]] = []
    calls: list[ToolCall] = []
    others: list[dict[str, Any]] = []
    for block in data["content"]:
        if not isinstance(block, dict):
            continue
        kind = block.get("type")
        if kind == "text":
            texts.append(text_field(block, "text"))
        elif kind == "thinking":
            reasoning.append(text_field(block, "thinking"))
            details.append(block)
        elif kind == "redacted_thinking":
            details.append(block)
        elif kind == "tool_use":
            args = json.dumps(block.get("input") or {}, ensure_ascii=False)
            calls.append(
                ToolCall(id=block.get("id") or "", name=block.get("name") or "", arguments=args, index=len(calls))
            )
        else:
            others.append(block)  # server tools' blocks, citations...: kept, not interpreted
    return ChatResult(
        text="".join(texts),
        reasoning="".join(reasoning),
        reasoning_details=details or None,
        tool_calls=calls,
        finish_reason=_finish(data.get("stop_reason"), bool(calls)),
        usage=normalize_usage(data.get("usage")),
        model=data.get("model"),
        id=data.get("id"),
        content_parts=others or None,
        raw=data,
    )


@dataclass(slots=True)
class _Block:
    kind: str
    slot: int | None = None  # our tool-call index, for tool_use blocks
    text: TextBuffer = field(default_factory=TextBuffer)
    signature: str = ""
    start: dict[str, Any] = field(default_factory=dict)


class MessagesStreamAssembler:
    """Anthropic stream events → ``ChatDelta``s, and the final ``ChatResult`` (same interface as
    ``chat.StreamAssembler``). Thinking text streams as reasoning; the whole signed block is emitted once, in
    ``reasoning_details``, when it closes (so a framework that concatenates chunk lists gets each block once)."""

    def __init__(self) -> None:
        self._blocks: dict[int, _Block] = {}
        self._text = TextBuffer()
        self._reasoning = TextBuffer()
        self._details: list[dict[str, Any]] = []
        self._calls: list[ToolCall] = []
        self._args: list[TextBuffer] = []
        self._usage: dict[str, Any] = {}
        self.stop_reason: str | None = None
        self.model: str | None = None
        self.id: str | None = None
        self.done = False

    @property
    def usage(self) -> Usage | None:
        return normalize_usage(self._usage)

    def feed(self, event: dict[str, Any]) -> ChatDelta | None:
        kind = event.get("type")
        if kind == "content_block_delta":
            return self._delta(event)
        if kind == "content_block_start":
            return self._start(event)
        if kind == "content_block_stop":
            return self._stop(event)
        if kind == "message_start":
            message = event.get("message") or {}
            self.id = message.get("id")
            self.model = message.get("model")
            self._usage.update({k: v for k, v in (message.get("usage") or {}).items() if v is not None})
        elif kind == "message_delta":
            self.stop_reason = (event.get("delta") or {}).get("stop_reason") or self.stop_reason
            self._usage.update({k: v for k, v in (event.get("usage") or {}).items() if v is not None})
        elif kind == "message_stop":
            self.done = True
        return None  # ping and unknown events carry nothing for the answer

    def _start(self, event: dict[str, Any]) -> ChatDelta | None:
        block = event.get("content_block") or {}
        kind = block.get("type") or ""
        state = _Block(kind=kind, start=block)
        self._blocks[event.get("index", len(self._blocks))] = state
        if kind == "tool_use":
            state.slot = len(self._calls)
            self._calls.append(ToolCall(id=block.get("id") or "", name=block.get("name") or "", arguments=""))
            self._args.append(TextBuffer())
            call = ToolCallDelta(index=state.slot, id=block.get("id"), name=block.get("name"))
            return ChatDelta(tool_calls=[call], raw=event)
        if kind == "text" and block.get("text"):
            self._text.append(block["text"])
            return ChatDelta(text=block["text"], raw=event)
        if kind == "thinking" and block.get("thinking"):
            state.text.append(block["thinking"])
            self._reasoning.append(block["thinking"])
            return ChatDelta(reasoning=block["thinking"], raw=event)
        return None

    def _delta(self, event: dict[str, Any]) -> ChatDelta | None:
        state = self._blocks.get(event.get("index", -1))
        delta = event.get("delta") or {}
        kind = delta.get("type")
        if state is None:
            raise ResponseDecodeError(f"a {kind} arrived for a content block that never started.")
        if kind == "text_delta":
            text = text_field(delta, "text")
            self._text.append(text)
            return ChatDelta(text=text, raw=event) if text else None
        if kind == "thinking_delta":
            text = text_field(delta, "thinking")
            state.text.append(text)
            self._reasoning.append(text)
            return ChatDelta(reasoning=text, raw=event) if text else None
        if kind == "signature_delta":
            state.signature += text_field(delta, "signature")
            return None
        if kind == "input_json_delta" and state.slot is not None:
            piece = text_field(delta, "partial_json")
            self._args[state.slot].append(piece)
            return (
                ChatDelta(tool_calls=[ToolCallDelta(index=state.slot, arguments=piece)], raw=event) if piece else None
            )
        return None

    def _stop(self, event: dict[str, Any]) -> ChatDelta | None:
        state = self._blocks.get(event.get("index", -1))
        if state is None or state.kind not in _SIGNED:
            return None
        if state.kind == "thinking":
            block: dict[str, Any] = {"type": "thinking", "thinking": state.text.text(), "signature": state.signature}
        else:
            block = dict(state.start)
        self._details.append(block)
        return ChatDelta(reasoning_details=[block], raw=event)

    def final_delta(self) -> ChatDelta:
        return ChatDelta(
            finish_reason=_finish(self.stop_reason, bool(self._calls)),
            usage=self.usage,
            model=self.model,
            id=self.id,
            final=True,
        )

    def check_complete(self) -> None:
        if not self.done and self.stop_reason is None:
            raise IncompleteStreamError(
                "the stream ended before the answer was finished (no message_stop); what arrived is partial."
            )

    def result(self) -> ChatResult:
        pairs = enumerate(zip(self._calls, self._args, strict=True))
        calls = [replace(c, index=i, arguments=a.text()) for i, (c, a) in pairs]
        return ChatResult(
            text=self._text.text(),
            reasoning=self._reasoning.text(),
            reasoning_details=self._details or None,
            tool_calls=calls,
            finish_reason=_finish(self.stop_reason, bool(calls)),
            usage=self.usage,
            model=self.model,
            id=self.id,
        )
