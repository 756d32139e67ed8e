"""Chat completions on the wire: request bodies out, neutral results in.

``build_chat_body`` makes the OpenAI-format body (with the family's thinking flag, the right max-tokens field and
the reasoning echo rule applied). ``parse_completion`` turns a response into a ``ChatResult``; ``StreamAssembler``
turns stream chunks into ``ChatDelta``s (tool calls re-indexed, ids never concatenated, think tags split, usage
caught from a choice-less last chunk) and assembles the final ``ChatResult``. The faces never read raw JSON.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .content import adapt_content
from .errors import IncompleteStreamError, ResponseDecodeError
from .history import chat_history
from .models import ModelInfo
from .thinking import ThinkTagSplitter, apply_thinking, extract_reasoning, split_think_tags
from .usage import Usage, normalize_usage

if TYPE_CHECKING:
    from .request import ChatRequest

__all__ = [
    "ChatDelta",
    "ChatResult",
    "StreamAssembler",
    "ToolCall",
    "ToolCallDelta",
    "build_chat_body",
    "chat_body",
    "deep_merge",
    "parse_completion",
]

_VALID_ROLES = frozenset({"system", "developer", "user", "assistant", "tool", "function"})
# Content part type -> the input modality a model must take for it (checked against the catalogue).
_PART_MODALITY = {"image_url": "image", "video_url": "video", "audio_url": "audio", "input_audio": "audio"}
_CAPABILITY = {"image": "vision", "video": "video-input", "audio": "audio"}  # the `mixrouter models` filter to suggest
_TOOL_CALL_KEYS = frozenset({"id", "type", "function", "index"})


@dataclass(slots=True)
class ToolCall:
    """A complete tool call. ``arguments`` is the raw JSON text as the model sent it; ``extra`` keeps vendor keys
    such as Gemini's ``extra_content.google.thought_signature`` so they can be sent back unchanged."""

    id: str
    name: str
    arguments: str
    index: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def parsed_arguments(self) -> dict[str, Any]:
        """Arguments as a dict; raises ``ValueError`` when they are not a JSON object."""
        if not self.arguments.strip():
            return {}
        value = json.loads(self.arguments)
        if not isinstance(value, dict):
            raise ValueError(f"tool call arguments are not a JSON object: {self.arguments[:80]!r}")
        return value

    def to_openai(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "type": "function",
            "function": {"name": self.name, "arguments": self.arguments},
        }
        out.update(self.extra)
        return out


@dataclass(slots=True)
class ToolCallDelta:
    """One piece of a streamed tool call. ``index`` is ours (stable, distinct per call); ``id`` and ``name`` are
    set only on the first piece of a call, ``arguments`` only carries new text — so concatenating pieces with the
    same index (as LangChain and LlamaIndex do) gives the right call."""

    index: int
    id: str | None = None
    name: str | None = None
    arguments: str = ""
    extra: dict[str, Any] | None = None


@dataclass(slots=True)
class ChatResult:
    text: str = ""
    reasoning: str = ""
    reasoning_details: list[Any] | None = None
    tool_calls: list[ToolCall] = field(default_factory=list)
    finish_reason: str | None = None
    usage: Usage | None = None
    model: str | None = None
    id: str | None = None
    content_parts: list[dict[str, Any]] | None = None  # non-text parts of the answer (e.g. generated images)
    refusal: str | None = None
    raw: dict[str, Any] | None = None
    structured_method: str | None = None  # set when the request asked for structured output: the method it used

    def to_assistant_message(self) -> dict[str, Any]:
        """The OpenAI-format assistant message to put back in the history (reasoning included; the echo rule
        decides on the next request whether it is sent)."""
        content: Any = self.text or (None if self.tool_calls else "")
        if self.content_parts:  # a generated image stays in the history (mixrouter.content moves it per vendor)
            content = ([{"type": "text", "text": self.text}] if self.text else []) + list(self.content_parts)
        msg: dict[str, Any] = {"role": "assistant", "content": content}
        if self.tool_calls:
            msg["tool_calls"] = [tc.to_openai() for tc in self.tool_calls]
        if self.reasoning:
            msg["reasoning_content"] = self.reasoning
        if self.reasoning_details:
            msg["reasoning_details"] = self.reasoning_details
        return msg


@dataclass(slots=True)
class ChatDelta:
    text: str = ""
    reasoning: str = ""
    tool_calls: list[ToolCallDelta] | None = None
    finish_reason: str | None = None
    usage: Usage | None = None
    model: str | None = None
    id: str | None = None
    reasoning_details: list[Any] | None = None
    raw: dict[str, Any] | None = None
    final: bool = False  # the one last delta of a stream: finish_reason, usage, model and id live only here
    structured_method: str | None = None  # on the final delta, as on ``ChatResult``


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``override`` into a copy of ``base``; nested dicts merge, everything else is replaced."""
    out = dict(base)
    for key, value in override.items():
        current = out.get(key)
        if isinstance(current, Mapping) and isinstance(value, Mapping):
            out[key] = deep_merge(current, value)
        else:
            out[key] = value
    return out


def _check_parts(i: int, content: Any, info: ModelInfo) -> None:
    """A known model that cannot take a part's modality gets a clear error before anything is sent."""
    if not isinstance(content, list) or not info.known:
        return
    for part in content:
        need = _PART_MODALITY.get(part.get("type")) if isinstance(part, Mapping) else None
        if need and need not in info.inputs:
            raise ValueError(
                f"Model {info.id!r} does not take {need} input (it takes: {', '.join(sorted(info.inputs))}); "
                f"remove the {part['type']} part from messages[{i}] or pick a model that accepts {need} "
                f"(`mixrouter models --capability {_CAPABILITY[need]}`)."
            )


def check_messages(messages: Sequence[Mapping[str, Any]], info: ModelInfo) -> None:
    if not messages:
        raise ValueError("messages is empty: send at least one message (for example a user message).")
    open_calls: set[str] = set()
    for i, msg in enumerate(messages):
        if not isinstance(msg, Mapping):
            raise TypeError(f"messages[{i}] must be a dict with 'role' and 'content', got {type(msg).__name__}.")
        role = msg.get("role")
        if role not in _VALID_ROLES:
            raise ValueError(
                f"messages[{i}] has unknown role {role!r}; use one of system, developer, user, assistant, tool."
            )
        if role not in ("assistant", "tool"):  # an answer's or a tool's image is a note for such a model (.content)
            _check_parts(i, msg.get("content"), info)
        if role == "assistant":
            for tc in msg.get("tool_calls") or ():
                if isinstance(tc, Mapping) and tc.get("id"):
                    open_calls.add(tc["id"])
        elif role == "tool":
            call_id = msg.get("tool_call_id")
            if not call_id:
                raise ValueError(f"messages[{i}] is a tool message without tool_call_id.")
            if call_id not in open_calls:
                raise ValueError(
                    f"messages[{i}] answers tool call {call_id!r}, but no earlier assistant message made that call; "
                    f"keep the assistant message with its tool_calls in the history."
                )


def build_chat_body(model: str, messages: Sequence[Mapping[str, Any]], **settings: Any) -> dict[str, Any]:
    """An OpenAI-format ``/chat/completions`` body for ``model`` from the same settings as ``client.chat``
    (see ``request.make_request``), whatever route the model would normally take."""
    from .request import make_request

    return chat_body(make_request(model, messages, route="chat", **settings))


def chat_body(req: ChatRequest) -> dict[str, Any]:
    """The ``/chat/completions`` body for one request.

    Only what is set is sent (no default temperature or max_tokens). ``extra_body`` is deep-merged last, so it can
    override anything.
    """
    info = req.info
    messages = adapt_content(req.messages_with_instructions(), info, "chat")
    body: dict[str, Any] = {"model": req.model, "messages": chat_history(messages, info, req.thinking_on)}
    if req.temperature is not None:
        body["temperature"] = req.temperature
    body.update(req.params)
    if isinstance(body.get("n"), int) and body["n"] > 1:
        raise ValueError(f"n={body['n']}: only one choice per request is returned; make n calls (e.g. batch()).")
    if req.stop:
        body["stop"] = req.stop
    if req.response_format is not None:
        body["response_format"] = req.response_format
    if req.tools:
        body["tools"] = req.tools
        if req.tool_choice is not None:
            body["tool_choice"] = _openai_tool_choice(req)
        if req.parallel_tool_calls is not None:
            body["parallel_tool_calls"] = req.parallel_tool_calls
    apply_thinking(body, info, req.thinking, effort=req.effort, budget=req.budget)
    if req.extra_body:
        body = deep_merge(body, req.extra_body)
    _set_max_tokens(body, info, req.max_tokens)
    body["stream"] = req.stream
    body.pop("steam", None)  # the docs' typo, never sent
    if req.stream and req.include_usage:
        body["stream_options"] = deep_merge({"include_usage": True}, body.get("stream_options") or {})
    elif not req.stream:
        body.pop("stream_options", None)
    return body


def _openai_tool_choice(req: ChatRequest) -> Any:
    if req.tool_choice == "function":
        return {"type": "function", "function": {"name": req.tool_name}}
    return req.tool_choice


def _set_max_tokens(body: dict[str, Any], info: ModelInfo, max_tokens: int | None) -> None:
    """Exactly one of max_tokens / max_completion_tokens, named as the family expects."""
    given = {k: body.pop(k) for k in ("max_tokens", "max_completion_tokens") if body.get(k) is not None}
    if max_tokens is not None:
        given.setdefault("max_tokens", max_tokens)
    values = set(given.values())
    if len(values) > 1:
        raise ValueError(f"max_tokens and max_completion_tokens disagree ({given}); set only one.")
    if values:
        value = values.pop()
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise ValueError(f"max_tokens must be a positive whole number, got {value!r}.")
        body[info.max_tokens_field] = value


def content_text(content: Any) -> tuple[str, list[dict[str, Any]] | None]:
    """Text of a content that is a string or a list of parts; non-text parts are returned separately (``thinking``
    parts are neither: ``split_content`` reads them as reasoning)."""
    text, _, others = split_content(content)
    return text, others


def _thinking_part_text(part: Mapping[str, Any]) -> str:
    """The text of a ``thinking`` content part: Mistral's ``{"type": "thinking", "thinking": [{"type": "text",
    "text": ...}]}`` (docs.mistral.ai/capabilities/reasoning) or a plain string in ``thinking``."""
    value = part.get("thinking")
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(p.get("text") or "" for p in value if isinstance(p, Mapping) and isinstance(p.get("text"), str))
    return ""


def split_content(content: Any) -> tuple[str, str, list[dict[str, Any]] | None]:
    """(text, reasoning, other parts) of a content that is a string or a list of parts."""
    if content is None:
        return "", "", None
    if isinstance(content, str):
        return content, "", None
    if not isinstance(content, list):
        return str(content), "", None
    texts: list[str] = []
    thoughts: list[str] = []
    others: list[dict[str, Any]] = []
    for part in content:
        if isinstance(part, str):
            texts.append(part)
        elif isinstance(part, dict):
            kind = part.get("type")
            if kind in ("text", "output_text") and isinstance(part.get("text"), str):
                texts.append(part["text"])
            elif kind == "thinking":
                thoughts.append(_thinking_part_text(part))
            else:
                others.append(part)
    return "".join(texts), "".join(thoughts), others or None


def arguments_json(name: str, arguments: Any) -> str:
    """Tool-call arguments written by the caller (a dict) as the JSON text the wire carries; a value JSON cannot
    hold gets an error naming the call, not ``json``'s bare "Object of type set is not JSON serializable"."""
    if isinstance(arguments, str):
        return arguments
    try:
        return json.dumps(arguments if arguments is not None else {}, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"tool call {name!r} has arguments that are not JSON-serialisable ({exc}); pass plain dicts, lists, "
            f"strings, numbers, booleans and None."
        ) from None


def text_field(obj: Mapping[str, Any], key: str) -> str:
    """A text field of a chunk or block: ``""`` when absent, the string, or a ``ResponseDecodeError`` for anything
    else (a gateway's malformed chunk is reported, never concatenated into the answer)."""
    value = obj.get(key)
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    raise ResponseDecodeError(f"expected text in {key!r}, got {type(value).__name__}: {str(value)[:60]!r}")


def arguments_text(arguments: Any) -> str:
    if arguments is None:
        return ""
    if isinstance(arguments, str):
        return arguments
    return json.dumps(arguments, ensure_ascii=False)


def parse_completion(data: Any, *, think_tags: bool = True) -> ChatResult:
    """Parse a non-streamed ``chat.completion`` (tolerant of every documented shape). ``think_tags``: whether a
    leading ``<think>`` in the text is the model's reasoning (``thinking.emits_think_tags``)."""
    if not isinstance(data, dict):
        raise ResponseDecodeError(f"expected a JSON object from /chat/completions, got {type(data).__name__}.")
    choices = data.get("choices")
    if not choices or not isinstance(choices, list) or not isinstance(choices[0], dict):
        raise ResponseDecodeError("MixRouter's answer has no choices: nothing was generated.")
    choice = choices[0]
    message = choice.get("message") or choice.get("delta") or {}
    text, part_reasoning, parts = split_content(message.get("content"))
    reasoning, details = extract_reasoning(message)
    reasoning = reasoning or part_reasoning
    if not reasoning and text and think_tags:
        tagged, rest = split_think_tags(text)
        if tagged:
            reasoning, text = tagged, rest
    tool_calls = []
    for i, tc in enumerate(message.get("tool_calls") or ()):
        if not isinstance(tc, dict):
            continue
        fn = tc.get("function") or {}
        tool_calls.append(
            ToolCall(
                id=tc.get("id") or f"call_{i}",
                name=fn.get("name") or "",
                arguments=arguments_text(fn.get("arguments")),
                index=i,
                extra={k: v for k, v in tc.items() if k not in _TOOL_CALL_KEYS},
            )
        )
    # Gemini's OpenAI-compatible API has also put the thought signature on the message rather than on a call
    # (recorded from gemini-2.5-pro-preview-05-06): keep it on the first call, where Gemini takes it back.
    signed = message.get("extra_content")
    if tool_calls and isinstance(signed, dict) and not any("extra_content" in tc.extra for tc in tool_calls):
        tool_calls[0].extra["extra_content"] = signed
    return ChatResult(
        text=text,
        reasoning=reasoning,
        reasoning_details=details,
        tool_calls=tool_calls,
        finish_reason=choice.get("finish_reason") or ("tool_calls" if tool_calls else None),
        usage=normalize_usage(data.get("usage")),
        model=data.get("model"),
        id=data.get("id"),
        content_parts=parts,
        refusal=message.get("refusal"),
        raw=data,
    )


_FRAGMENT_TEXT = ("text", "summary", "signature", "data")


def _merge_detail_fragments(details: list[Any]) -> list[Any]:
    """Streamed ``reasoning_details`` as whole entries. OpenRouter streams one entry in fragments sharing its
    ``index`` (the text in pieces, the signature last); the answer keeps one entry per index with the text and
    signature joined, as the non-streamed body has it (so a signed Claude block goes back with its signature)."""
    out: list[Any] = []
    seen: dict[tuple[int, Any], dict[str, Any]] = {}
    for d in details:
        if not isinstance(d, dict) or not isinstance(d.get("index"), int):
            out.append(d)
            continue
        entry = seen.get((d["index"], d.get("type")))
        if entry is None:
            seen[(d["index"], d.get("type"))] = entry = dict(d)
            out.append(entry)
            continue
        for key, value in d.items():
            if key in _FRAGMENT_TEXT and isinstance(value, str) and isinstance(entry.get(key), str):
                entry[key] += value
            elif entry.get(key) in (None, ""):
                entry[key] = value
    return out


class TextBuffer:
    """Append-only text for a stream. Pieces are joined every 64, so a long answer costs about one byte per
    character instead of a list slot and a string object (~60 bytes) per chunk: memory stays flat in the number of
    chunks (bench/ measures it)."""

    __slots__ = ("_parts", "_recent")

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._recent: list[str] = []

    def append(self, piece: str) -> None:
        recent = self._recent
        recent.append(piece)
        if len(recent) >= 64:
            self._parts.append("".join(recent))
            recent.clear()

    def __bool__(self) -> bool:
        return bool(self._parts or self._recent)

    def text(self) -> str:
        return "".join(self._parts) + "".join(self._recent)


@dataclass(slots=True)
class _Slot:
    id: str | None
    name: str
    args: TextBuffer
    extra: dict[str, Any]


class StreamAssembler:
    """Turns stream chunks into ``ChatDelta``s and remembers enough to build the final ``ChatResult``."""

    def __init__(self, *, think_tags: bool = True) -> None:
        self._text = TextBuffer()
        self._reasoning = TextBuffer()
        self._details: list[Any] = []
        self._slots: list[_Slot] = []
        self._by_upstream: dict[int, int] = {}
        self._by_id: dict[str, int] = {}
        self._last_slot: int | None = None
        self._think = ThinkTagSplitter() if think_tags else None
        self.finish_reason: str | None = None
        self.usage: Usage | None = None
        self.model: str | None = None
        self.id: str | None = None
        self.done = False

    # -- per chunk (the hot path) ---------------------------------------------------------------------------
    def feed(self, chunk: dict[str, Any]) -> ChatDelta | None:
        """One parsed chunk in; a delta with new text, reasoning or tool-call pieces out (``None`` when the chunk
        only carried bookkeeping: role, usage, finish reason — those arrive once, on ``final_delta()``)."""
        if self.id is None:
            self.id = chunk.get("id")
        if self.model is None:
            self.model = chunk.get("model") or None
        usage = chunk.get("usage")
        if usage:
            self.usage = normalize_usage(usage)
        choices = chunk.get("choices")
        if not choices:
            return None
        choice = choices[0]
        finish = choice.get("finish_reason")
        if finish:
            self.finish_reason = finish
        d = choice.get("delta") or choice.get("message")
        if not d:
            return None
        out: ChatDelta | None = None
        content = d.get("content")
        if content:
            if isinstance(content, str):
                text, reasoning = content, ""
            else:
                text, reasoning, _ = split_content(content)
            if text and self._think is not None:
                tagged, text = self._think.feed(text)
                reasoning += tagged
            if reasoning or text:
                out = ChatDelta(text=text, reasoning=reasoning, raw=chunk)
                if reasoning:
                    self._reasoning.append(reasoning)
                if text:
                    self._text.append(text)
        if "reasoning_content" in d or "reasoning" in d or "reasoning_details" in d:
            reasoning, details = extract_reasoning(d)
            if reasoning or details:
                if out is None:
                    out = ChatDelta(raw=chunk)
                if reasoning:
                    out.reasoning += reasoning
                    self._reasoning.append(reasoning)
                if details:
                    out.reasoning_details = details
                    self._details.extend(details)
        tool_calls = d.get("tool_calls")
        if tool_calls:
            if out is None:
                out = ChatDelta(raw=chunk)
            out.tool_calls = [self._tool_delta(tc) for tc in tool_calls if isinstance(tc, dict)]
        return out

    def _tool_delta(self, tc: dict[str, Any]) -> ToolCallDelta:
        up = tc.get("index")
        tid = tc.get("id") or None
        fn = tc.get("function") or {}
        slot: int | None = None
        if tid is not None and tid in self._by_id:
            slot = self._by_id[tid]
        elif isinstance(up, int) and up in self._by_upstream:
            candidate = self._by_upstream[up]
            existing = self._slots[candidate].id
            if tid is None or existing is None or existing == tid:
                slot = candidate
        elif up is None and tid is None and self._last_slot is not None:
            slot = self._last_slot
        new_id: str | None = None
        if slot is None:
            slot = len(self._slots)
            self._slots.append(_Slot(tid, "", TextBuffer(), {}))
            new_id = tid
        elif tid is not None and self._slots[slot].id is None:
            self._slots[slot].id = new_id = tid
        if tid is not None:
            self._by_id[tid] = slot
        if isinstance(up, int):
            self._by_upstream[up] = slot
        self._last_slot = slot
        s = self._slots[slot]
        name = fn.get("name") or None
        if name and s.name == name:
            name = None  # repeated in every piece by some vendors: set once, never doubled
        elif name:
            s.name += name
        args = arguments_text(fn.get("arguments"))
        if args:
            s.args.append(args)
        extra = {k: v for k, v in tc.items() if k not in _TOOL_CALL_KEYS} or None
        if extra:
            s.extra.update(extra)
        return ToolCallDelta(index=slot, id=new_id, name=name, arguments=args, extra=extra)

    # -- end of stream --------------------------------------------------------------------------------------
    def final_delta(self) -> ChatDelta:
        """The last delta: whatever the think-tag splitter held back, plus finish reason, usage, model and id."""
        reasoning, text = self._think.flush() if self._think is not None else ("", "")
        if reasoning:
            self._reasoning.append(reasoning)
        if text:
            self._text.append(text)
        finish = self.finish_reason or ("tool_calls" if self._slots else None)
        return ChatDelta(
            text=text,
            reasoning=reasoning,
            finish_reason=finish,
            usage=self.usage,
            model=self.model,
            id=self.id,
            final=True,
        )

    def check_complete(self) -> None:
        """Raise if the stream ended early: no finish reason and no ``[DONE]`` means a partial answer."""
        if self.finish_reason is None and not self.done:
            raise IncompleteStreamError(
                "the stream ended before the answer was finished (no finish_reason and no [DONE]); "
                "what arrived is partial."
            )

    def result(self) -> ChatResult:
        calls = [
            ToolCall(
                id=s.id or f"call_{i}",
                name=s.name,
                arguments=s.args.text(),
                index=i,
                extra=s.extra,
            )
            for i, s in enumerate(self._slots)
        ]
        return ChatResult(
            text=self._text.text(),
            reasoning=self._reasoning.text(),
            reasoning_details=_merge_detail_fragments(self._details) or None,
            tool_calls=calls,
            finish_reason=self.finish_reason,
            usage=self.usage,
            model=self.model,
            id=self.id,
        )
