"""Models that only MixRouter's ``/v1/responses`` serves (OpenAI's Responses API), e.g. gpt-5.1-codex, gpt-5.2-pro.

MixRouter's model list marks these "only supports /v1/responses"; its Responses page could not be retrieved
(research §2.4), so the request, response and stream shapes here follow OpenAI's published Responses API and are
**inferred** for MixRouter.

Choices:

* **Stateless** (``store: false``, ``include: ["reasoning.encrypted_content"]``). A gateway may send consecutive
  calls to different upstream accounts, so a ``previous_response_id`` or a stored reasoning item cannot be relied
  on. Reasoning items come back encrypted, are kept (whole) in ``ChatResult.reasoning_details``, and are sent
  back before the function calls of their turn, as OpenAI requires for reasoning models in a tool loop.
  ``extra_body={"store": True}`` restores server-side storage.
* **Reasoning summaries on** (``reasoning.summary: "auto"``) whenever the model reasons and thinking was not
  turned off, so "reasoning surfaced" holds here as on the chat route.
* The faces see the same ``ChatResult`` / ``ChatDelta`` as for chat completions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .chat import (
    ChatDelta,
    ChatResult,
    TextBuffer,
    ToolCall,
    ToolCallDelta,
    arguments_text,
    content_text,
    deep_merge,
    text_field,
)
from .content import adapt_content
from .errors import IncompleteStreamError, ResponseDecodeError, StreamError, error_from_body
from .thinking import apply_thinking
from .usage import Usage, normalize_usage

if TYPE_CHECKING:
    from .request import ChatRequest

__all__ = ["RESPONSES_PATH", "ResponsesStreamAssembler", "build_responses_body", "parse_response", "responses_body"]

RESPONSES_PATH = "responses"
# OpenAI chat fields with no Responses equivalent: refused by name rather than silently dropped.
_UNSUPPORTED = {
    "stop": "the Responses API has no stop sequences",
    "seed": "the Responses API takes no seed",
    "frequency_penalty": "the Responses API has no frequency_penalty",
    "presence_penalty": "the Responses API has no presence_penalty",
    "logit_bias": "the Responses API has no logit_bias",
}
# Chat fields the Responses API also takes at the top level; any other gets "Unknown parameter" from OpenAI.
_TAKES = frozenset(
    {
        "top_p",
        "user",
        "metadata",
        "service_tier",
        "store",
        "safety_identifier",
        "prompt_cache_key",
        "n",
        "top_logprobs",
        "stream_options",
    }
)
_INCOMPLETE = {"max_output_tokens": "length", "content_filter": "content_filter"}


# -- request ------------------------------------------------------------------------------------------------------
def _part(part: Any, where: str) -> dict[str, Any]:
    if isinstance(part, str):
        return {"type": "input_text", "text": part}
    if not isinstance(part, Mapping):
        raise TypeError(f"{where}: a content part must be a dict or a string, got {type(part).__name__}.")
    kind = part.get("type")
    if kind in ("text", "input_text", "output_text"):
        return {"type": "input_text", "text": part.get("text") or ""}
    if kind == "image_url":
        image = part.get("image_url")
        url = image.get("url") if isinstance(image, Mapping) else image
        out: dict[str, Any] = {"type": "input_image", "image_url": url}
        if isinstance(image, Mapping) and image.get("detail"):
            out["detail"] = image["detail"]
        return out
    if kind == "file":
        file = dict(part.get("file") or {})
        return {"type": "input_file", **{k: v for k, v in file.items() if k in ("file_data", "file_id", "filename")}}
    if kind in ("input_image", "input_file"):
        return dict(part)
    raise ValueError(f"{where}: the Responses API cannot take a {kind!r} part (it takes text, images and files).")


def _content(content: Any, where: str) -> str | list[dict[str, Any]]:
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    return [_part(p, f"{where}.content[{i}]") for i, p in enumerate(content)]


def to_responses_input(messages: Sequence[Mapping[str, Any]], *, stateless: bool = True) -> list[dict[str, Any]]:
    """OpenAI chat messages → Responses input items. An assistant turn becomes its reasoning items (from
    ``reasoning_details``), its text, then one ``function_call`` item per call; a tool message becomes a
    ``function_call_output``."""
    items: list[dict[str, Any]] = []
    for i, msg in enumerate(messages):
        role = msg["role"]
        where = f"messages[{i}]"
        if role in ("system", "developer", "user"):
            items.append({"role": role, "content": _content(msg.get("content"), where)})
        elif role == "assistant":
            for item in msg.get("reasoning_details") or ():
                # A reasoning item is only usable statelessly with its encrypted content; without it there is
                # nothing the model can read back (and OpenAI rejects the id as unknown).
                usable = isinstance(item, Mapping) and (item.get("encrypted_content") or not stateless)
                if usable and item.get("type") == "reasoning":
                    items.append(dict(item))
            text, _ = content_text(msg.get("content"))
            if text:
                items.append({"role": "assistant", "content": text})
            for tc in msg.get("tool_calls") or ():
                fn = tc.get("function") or {}
                items.append(
                    {
                        "type": "function_call",
                        "call_id": tc.get("id"),
                        "name": fn.get("name"),
                        "arguments": arguments_text(fn.get("arguments")),
                    }
                )
        elif role == "tool":
            content = msg.get("content")
            output = content if isinstance(content, str) else _content(content, where)
            items.append({"type": "function_call_output", "call_id": msg["tool_call_id"], "output": output})
        else:
            raise ValueError(f"{where}: role {role!r} has no equivalent on /v1/responses; use a tool message.")
    return items


def _tools(tools: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for tool in tools:
        fn = tool.get("function") if tool.get("type") == "function" else None
        if not isinstance(fn, Mapping):
            out.append(dict(tool))  # a built-in Responses tool (web_search, ...): passed through
            continue
        item: dict[str, Any] = {
            "type": "function",
            "name": fn["name"],
            "parameters": fn.get("parameters") or {"type": "object", "properties": {}},
        }
        if fn.get("description"):
            item["description"] = fn["description"]
        if fn.get("strict") is not None:
            item["strict"] = fn["strict"]
        out.append(item)
    return out


def _text_format(response_format: Mapping[str, Any]) -> dict[str, Any]:
    kind = response_format.get("type")
    if kind == "json_schema":
        spec = dict(response_format.get("json_schema") or {})
        return {"format": {"type": "json_schema", **spec}}
    if kind in ("json_object", "text"):
        return {"format": {"type": kind}}
    raise ValueError(f"response_format {dict(response_format)!r} is not json_schema, json_object or text.")


def build_responses_body(model: str, messages: Sequence[Mapping[str, Any]], **settings: Any) -> dict[str, Any]:
    """A Responses body from the same settings as ``client.chat`` (see ``request.make_request``)."""
    from .request import make_request

    return responses_body(make_request(model, messages, route="responses", **settings))


def responses_body(req: ChatRequest) -> dict[str, Any]:
    """The ``/v1/responses`` body for one request."""
    info, params = req.info, dict(req.params)
    for name, why in _UNSUPPORTED.items():
        value = req.stop if name == "stop" else params.get(name)
        if value:
            raise ValueError(f"{name}: {why}; remove it for {req.model!r} (a Responses-only model).")
    if other := sorted(set(params) - _TAKES - set(_UNSUPPORTED)):
        raise ValueError(f"{other[0]} is not a Responses API field; remove it for {req.model!r} (or use extra_body).")
    n = params.pop("n", None)
    if isinstance(n, int) and n > 1:
        raise ValueError(f"n={n}: the Responses API returns one answer per request; make n calls.")
    if not req.stream:
        params.pop("stream_options", None)  # a stream's option, as on chat completions
    body: dict[str, Any] = {"model": req.model}
    flags: dict[str, Any] = {}
    apply_thinking(flags, info, req.thinking, effort=req.effort, budget=req.budget)
    reasoning: dict[str, Any] = {}
    if "reasoning_effort" in flags:
        reasoning["effort"] = flags.pop("reasoning_effort")
    body.update(flags)  # a non-OpenAI model forced onto this route keeps its own vendor flag
    if info.thinking == "effort" and (req.thinking is not False or info.always_thinks):
        reasoning["summary"] = "auto"
    if reasoning:
        body["reasoning"] = reasoning
    if info.thinking == "effort":
        body["store"] = False
        body["include"] = ["reasoning.encrypted_content"]
    stateless = req.extra_body.get("store") is not True
    messages = adapt_content(req.messages_with_instructions(), info, "responses")
    body["input"] = to_responses_input(messages, stateless=stateless)
    if req.temperature is not None:
        body["temperature"] = req.temperature
    if req.tools:
        body["tools"] = _tools(req.tools)
        if req.tool_choice is not None:
            body["tool_choice"] = {"type": "function", "name": req.tool_name} if req.tool_name else req.tool_choice
        if req.parallel_tool_calls is not None:
            body["parallel_tool_calls"] = req.parallel_tool_calls
    if req.response_format is not None:
        body["text"] = _text_format(req.response_format)
    if req.max_tokens is not None:
        if not isinstance(req.max_tokens, int) or isinstance(req.max_tokens, bool) or req.max_tokens <= 0:
            raise ValueError(f"max_tokens must be a positive whole number, got {req.max_tokens!r}.")
        body["max_output_tokens"] = req.max_tokens
    body.update(params)
    if req.extra_body:
        body = deep_merge(body, req.extra_body)
    body["stream"] = req.stream
    return body


# -- response -----------------------------------------------------------------------------------------------------
def _raise_failed(response: Mapping[str, Any], *, streaming: bool) -> None:
    err = error_from_body({"error": response.get("error") or {}}, default="the Responses call failed")
    if streaming:
        raise StreamError(err.message, code=err.code, error_type=err.error_type)
    raise err


def _finish(response: Mapping[str, Any], has_calls: bool) -> str | None:
    status = response.get("status")
    if status == "incomplete":
        reason = (response.get("incomplete_details") or {}).get("reason")
        return _INCOMPLETE.get(reason, reason or "length")
    if status == "completed":
        return "tool_calls" if has_calls else "stop"
    return status


def _summary_text(item: Mapping[str, Any]) -> str:
    parts = [text_field(s, "text") for s in item.get("summary") or () if isinstance(s, Mapping)]
    if not any(parts):
        parts = [text_field(c, "text") for c in item.get("content") or () if isinstance(c, Mapping)]
    return "\n\n".join(p for p in parts if p)


def parse_response(data: Any) -> ChatResult:
    """A non-streamed Responses answer as a ``ChatResult``."""
    if not isinstance(data, dict) or not isinstance(data.get("output"), list):
        raise ResponseDecodeError("expected a response object with an output list from /v1/responses.")
    if data.get("status") == "failed":
        _raise_failed(data, streaming=False)
    texts: list[str] = []
    reasoning: list[str] = []
    details: list[dict[str, Any]] = []
    calls: list[ToolCall] = []
    refusal: list[str] = []
    for item in data["output"]:
        if not isinstance(item, dict):
            continue
        kind = item.get("type")
        if kind == "message":
            for part in item.get("content") or ():
                if part.get("type") == "refusal":
                    refusal.append(text_field(part, "refusal"))
                else:
                    texts.append(content_text([part])[0])
        elif kind == "reasoning":
            if text := _summary_text(item):
                reasoning.append(text)
            details.append(item)
        elif kind == "function_call":
            calls.append(
                ToolCall(
                    id=item.get("call_id") or item.get("id") or "",
                    name=item.get("name") or "",
                    arguments=arguments_text(item.get("arguments")),
                    index=len(calls),
                )
            )
        # Built-in tools' items (web_search_call, ...) stay in ``raw``: they are not content parts of a message.
    return ChatResult(
        text="".join(texts),
        reasoning="\n\n".join(reasoning),
        reasoning_details=details or None,
        tool_calls=calls,
        finish_reason=_finish(data, bool(calls)),
        usage=normalize_usage(data.get("usage")),
        model=data.get("model"),
        id=data.get("id"),
        refusal="".join(refusal) or None,
        raw=data,
    )


class ResponsesStreamAssembler:
    """Responses stream events → ``ChatDelta``s and the final ``ChatResult`` (same interface as
    ``chat.StreamAssembler``). A reasoning item is emitted whole, once, in ``reasoning_details`` when it is done."""

    def __init__(self) -> None:
        self._text = TextBuffer()
        self._reasoning = TextBuffer()
        self._details: list[dict[str, Any]] = []
        self._calls: list[ToolCall] = []
        self._by_item: dict[str, int] = {}
        self._summary_seen: set[tuple[str, int]] = set()
        self._refusal: list[str] = []
        self._response: dict[str, Any] = {}
        self.usage: Usage | None = None
        self.model: str | None = None
        self.id: str | None = None
        self.done = False

    def feed(self, event: dict[str, Any]) -> ChatDelta | None:
        kind = event.get("type") or ""
        if kind == "response.output_text.delta":
            text = text_field(event, "delta")
            self._text.append(text)
            return ChatDelta(text=text, raw=event) if text else None
        if kind in ("response.reasoning_summary_text.delta", "response.reasoning_text.delta"):
            return self._reasoning_delta(event)
        if kind == "response.function_call_arguments.delta":
            slot = self._by_item.get(event.get("item_id") or "")
            piece = text_field(event, "delta")
            if slot is None or not piece:
                return None
            self._calls[slot].arguments += piece
            return ChatDelta(tool_calls=[ToolCallDelta(index=slot, arguments=piece)], raw=event)
        if kind == "response.output_item.added":
            return self._item_added(event.get("item") or {}, event)
        if kind == "response.output_item.done":
            return self._item_done(event.get("item") or {}, event)
        if kind == "response.refusal.delta":
            self._refusal.append(text_field(event, "delta"))
        elif kind in ("response.created", "response.in_progress"):
            response = event.get("response") or {}
            self.id = self.id or response.get("id")
            self.model = self.model or response.get("model")
        elif kind in ("response.completed", "response.incomplete"):
            self._end(event.get("response") or {})
        elif kind == "response.failed":
            _raise_failed(event.get("response") or {}, streaming=True)
        return None

    def _reasoning_delta(self, event: dict[str, Any]) -> ChatDelta | None:
        text = text_field(event, "delta")
        if not text:
            return None
        key = (event.get("item_id") or "", event.get("summary_index", event.get("content_index", 0)))
        if key not in self._summary_seen:
            if self._reasoning:  # a new summary part: keep parts apart as the non-streamed answer does
                text = "\n\n" + text
            self._summary_seen.add(key)
        self._reasoning.append(text)
        return ChatDelta(reasoning=text, raw=event)

    def _item_added(self, item: dict[str, Any], event: dict[str, Any]) -> ChatDelta | None:
        if item.get("type") != "function_call":
            return None
        slot = len(self._calls)
        call_id = item.get("call_id") or item.get("id") or ""
        args = arguments_text(item.get("arguments"))
        self._calls.append(ToolCall(id=call_id, name=item.get("name") or "", arguments=args, index=slot))
        self._by_item[item.get("id") or call_id] = slot
        delta = ToolCallDelta(index=slot, id=call_id, name=item.get("name"), arguments=args)
        return ChatDelta(tool_calls=[delta], raw=event)

    def _item_done(self, item: dict[str, Any], event: dict[str, Any]) -> ChatDelta | None:
        kind = item.get("type")
        if kind == "reasoning":
            self._details.append(item)
            return ChatDelta(reasoning_details=[item], raw=event)
        if kind == "function_call":
            slot = self._by_item.get(item.get("id") or item.get("call_id") or "")
            full = arguments_text(item.get("arguments"))
            if slot is not None and full and not self._calls[slot].arguments:
                self._calls[slot].arguments = full  # a gateway that sent no argument deltas
                return ChatDelta(tool_calls=[ToolCallDelta(index=slot, arguments=full)], raw=event)
        return None

    def _end(self, response: dict[str, Any]) -> None:
        self._response = response
        self.usage = normalize_usage(response.get("usage"))
        self.id = self.id or response.get("id")
        self.model = self.model or response.get("model")
        self.done = True

    def final_delta(self) -> ChatDelta:
        return ChatDelta(
            finish_reason=_finish(self._response, bool(self._calls)) if self.done else None,
            usage=self.usage,
            model=self.model,
            id=self.id,
            final=True,
        )

    def check_complete(self) -> None:
        if not self.done:
            raise IncompleteStreamError(
                "the stream ended before the answer was finished (no response.completed); what arrived is partial."
            )

    def result(self) -> ChatResult:
        return ChatResult(
            text=self._text.text(),
            reasoning=self._reasoning.text(),
            reasoning_details=self._details or None,
            tool_calls=list(self._calls),
            finish_reason=_finish(self._response, bool(self._calls)) if self.done else None,
            usage=self.usage,
            model=self.model,
            id=self.id,
            refusal="".join(self._refusal) or None,
        )
