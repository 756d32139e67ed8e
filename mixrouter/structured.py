"""Structured output: the request shape for each method, and a tolerant reader for the JSON that comes back.

Models behind a gateway do not all honour ``response_format`` to the letter: some wrap the object in a ```json
fence, put a sentence before it, or (through the OpenAI format) prefix a ``<think>`` block. ``parse_json_text``
reads all of those; anything else is a ``ValueError`` that quotes the start of the text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ._warn import warn_user
from .models import ModelInfo, StructuredMethod
from .thinking import split_think_tags

__all__ = [
    "JSON_ONLY",
    "JsonFenceStripper",
    "StructuredMethod",
    "StructuredOutputError",
    "StructuredSpec",
    "adapt_response_format",
    "json_answer_text",
    "json_instructions",
    "parse_json_text",
    "read_structured",
    "response_format",
    "schema_tool",
]

JSON_ONLY = "Answer with one JSON object only (no prose, no code fence)."


@dataclass(frozen=True, slots=True)
class StructuredSpec:
    """What a face asks for when it wants an object back: the method, the schema's name and JSON schema.
    ``make_request`` turns it into tools / ``response_format`` / system lines for the model and route."""

    method: StructuredMethod
    name: str
    schema: Mapping[str, Any]
    strict: bool | None = None
    description: str | None = None

    @property
    def tool_name(self) -> str:
        return _NAME_SAFE.sub("_", self.name)[:64] or "output"


class StructuredOutputError(ValueError):
    """The answer held no object of the requested shape. Names the model, the method and the text received."""

    def __init__(self, model: str, method: str, text: str, why: str) -> None:
        self.model, self.method, self.text = model, method, text
        super().__init__(f"{model} ({method}) {why}; text received: {text[:300]!r}")


_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.DOTALL)
_NAME_SAFE = re.compile(r"[^a-zA-Z0-9_-]")


def response_format(method: StructuredMethod, name: str, schema: Mapping[str, Any], strict: bool | None = None):
    """The ``response_format`` body field for ``json_schema`` or ``json_mode`` (``None`` for function calling)."""
    if method == "json_schema":
        spec: dict[str, Any] = {"name": _NAME_SAFE.sub("_", name)[:64] or "output", "schema": dict(schema)}
        if strict is not None:
            spec["strict"] = strict
        return {"type": "json_schema", "json_schema": spec}
    if method == "json_mode":
        return {"type": "json_object"}
    if method == "function_calling":
        return None
    raise ValueError(f"method must be 'json_schema', 'function_calling' or 'json_mode', not {method!r}.")


def schema_tool(spec: StructuredSpec) -> dict[str, Any]:
    """The OpenAI-format tool that carries ``spec``'s schema (function-calling structured output)."""
    fn: dict[str, Any] = {"name": spec.tool_name, "parameters": dict(spec.schema)}
    if spec.description:
        fn["description"] = spec.description
    if spec.strict is not None:
        fn["strict"] = spec.strict
    return {"type": "function", "function": fn}


def adapt_response_format(
    info: ModelInfo, route: str, thinking_on: bool, fmt: dict[str, Any]
) -> tuple[dict[str, Any] | None, str | None]:
    """(what goes on the wire, a system line to add) for a ``response_format`` on this model, route and thinking
    state. A JSON schema the vendor cannot enforce goes into the prompt (with ``json_object`` where the vendor
    takes it); Anthropic's Messages route has no ``response_format`` at all, so there it is the prompt alone."""
    kind = fmt.get("type")
    if kind == "text":
        return (None if route == "messages" else fmt), None
    spec = fmt.get("json_schema") if kind == "json_schema" else None
    schema = spec.get("schema") if isinstance(spec, Mapping) else None
    if kind == "json_schema" and not isinstance(schema, Mapping):
        raise ValueError("response_format of type json_schema needs json_schema.schema (a JSON schema object).")
    if kind == "json_schema" and info.json_schema and route != "messages":
        return fmt, None
    instruction = json_instructions(schema) if schema is not None else JSON_ONLY
    if route == "messages":
        return None, instruction
    wire = {"type": "json_object"} if info.takes_json_object(thinking_on) else None
    if kind == "json_schema":
        warn_user(
            f"{info.id!r} does not take response_format json_schema"
            + (" while thinking" if thinking_on and info.json_object and not wire else "")
            + "; sending the schema in the system prompt"
            + (" with response_format json_object" if wire else "")
            + " and reading the JSON from the answer."
        )
    return wire, (instruction if kind == "json_schema" or wire is None else None)


def json_instructions(schema: Mapping[str, Any]) -> str:
    """A system-prompt line for JSON mode, which constrains syntax but not shape: the schema goes in the prompt."""
    return "Answer with one JSON object only (no prose, no code fence) that matches this JSON schema:\n" + json.dumps(
        dict(schema), ensure_ascii=False
    )


def _json_span(text: str) -> tuple[Any, str] | None:
    """(value, its exact JSON text) in a model's answer: bare, fenced, after a ``<think>`` block or a line of prose."""
    reasoning, rest = split_think_tags(text)
    candidate = (rest if reasoning else text).strip()
    fenced = _FENCE.search(candidate)
    for piece in (candidate, fenced.group(1).strip() if fenced else None):
        if piece:
            try:
                return json.loads(piece), piece
            except ValueError:
                pass
    starts = [i for i in (candidate.find("{"), candidate.find("[")) if i >= 0]
    if starts:
        try:
            value, end = json.JSONDecoder().raw_decode(candidate[min(starts) :])
            return value, candidate[min(starts) : min(starts) + end]
        except ValueError:
            pass
    return None


def parse_json_text(text: str) -> Any:
    """The JSON value in a model's answer: bare, fenced, after a ``<think>`` block, or after a line of prose."""
    if not isinstance(text, str):
        raise TypeError(f"expected the answer text, got {type(text).__name__}.")
    found = _json_span(text)
    if found is None:
        raise ValueError(f"the model's answer is not JSON: {text.strip()[:120]!r}")
    return found[0]


def json_answer_text(text: str) -> str:
    """The answer of a JSON-format request as its bare JSON text (fence, prose around it removed), so a parser
    that calls ``json.loads`` on it (LangChain's agent response formats, LlamaIndex's programs) reads it; an answer
    that holds no JSON is returned unchanged, for the caller's parser to report."""
    found = _json_span(text) if text else None
    return found[1] if found is not None else text


def _arguments(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) and value.strip() else (value or {})


def read_structured(
    text: str, calls: Sequence[tuple[str, Any]], *, method: str, tool_name: str | None, model: str
) -> Any:
    """The object in an answer: the named tool call's arguments (function calling), else the JSON in the text
    (a thinking model whose forced tool had to become ``auto`` may answer in text). Never ``None``: an answer
    without the object raises ``StructuredOutputError``."""
    for name, args in calls:
        if tool_name is None or name == tool_name:
            try:
                return _arguments(args)
            except ValueError:
                why = f"called {name} with arguments that are not JSON"
                raise StructuredOutputError(model, method, str(args), why) from None
    try:
        return parse_json_text(text or "")
    except ValueError:
        pass
    other = [name for name, _ in calls]
    if method == "function_calling":
        why = f"did not call {tool_name}" + (f" (it called {other})" if other else "") + " and answered without JSON"
    else:
        why = "answered without a JSON object"
    raise StructuredOutputError(model, method, text or "", why)


class JsonFenceStripper:
    """Streaming: drops a leading code fence (```json) and a trailing ``` from a JSON answer, so streamed pieces
    join to the bare JSON, as the non-streamed answer is cleaned. Holds back at most a few characters."""

    __slots__ = ("_head", "_state", "_tail")

    def __init__(self) -> None:
        self._state = 0  # 0 deciding on a fence, 1 inside a fence, 2 no fence: pass through
        self._head = ""
        self._tail = ""

    def feed(self, text: str) -> str:
        if self._state == 2:
            return text
        if self._state == 0:
            self._head += text
            stripped = self._head.lstrip()
            if not stripped or (stripped.startswith("```") and "\n" not in stripped) or "```".startswith(stripped):
                return ""  # still undecided: a fence and its language line may be arriving
            if not stripped.startswith("```"):
                self._state = 2
                out, self._head = self._head, ""
                return out
            self._state = 1
            text, self._head = stripped.split("\n", 1)[1], ""
        joined = self._tail + text
        body = joined.rstrip("` \n\t\r")  # a closing fence may be arriving: hold back trailing ` and spaces
        self._tail = joined[len(body) :]
        return body

    def flush(self) -> str:
        """End of the answer: a held-back closing fence is dropped; anything else is released."""
        held = self._head + self._tail
        self._head = self._tail = ""
        return "" if self._state == 1 and "```" in held else held
