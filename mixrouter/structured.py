"""Structured output for both faces: what goes on the wire per vendor, and how the object is read back.

* Request: a face hands ``make_request`` a ``StructuredSpec`` (method, or ``None`` for the model's best in the
  call's thinking state); ``schema_tool``, ``response_format`` and ``adapt_response_format`` shape it for the
  vendor (an enforced JSON schema, a forced tool, ``json_object`` plus the schema in the prompt, or the prompt
  alone), ``strict_schema`` closes a strict schema.
* Answer: models behind a gateway do not all honour ``response_format`` to the letter: some wrap the object in a
  ```json fence, put a sentence before or after it, or (through the OpenAI format) prefix a ``<think>`` block.
  ``json_answer_text`` / ``JsonStreamCleaner`` cut an answer (or a stream) to its JSON value; ``read_structured``
  reads the object from a tool call or the text and raises ``StructuredOutputError`` (model, method, text) when
  there is none; ``check_shape`` checks TypedDict / JSON-schema outputs.
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
    "JsonStreamCleaner",
    "StructuredMethod",
    "StructuredOutputError",
    "StructuredSpec",
    "adapt_response_format",
    "anthropic_schema",
    "check_shape",
    "json_answer_text",
    "json_instructions",
    "parse_json_text",
    "read_structured",
    "response_format",
    "schema_tool",
    "strict_schema",
]

JSON_ONLY = "Answer with one JSON object only (no prose, no code fence)."


@dataclass(frozen=True, slots=True)
class StructuredSpec:
    """What a face asks for when it wants an object back: the method, the schema's name and JSON schema.
    ``make_request`` turns it into tools / ``response_format`` / system lines for the model and route."""

    method: StructuredMethod | None  # None: the model's best for the call's thinking state (``make_request``)
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


def strict_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON schema as OpenAI's strict mode requires it: every object closed (``additionalProperties: false``) with
    all its properties required, all the way down (nested objects, arrays, ``$defs``, ``anyOf``)."""

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(n) for n in node]
        if not isinstance(node, Mapping):
            return node
        out = {k: walk(v) for k, v in node.items()}
        if isinstance(out.get("properties"), Mapping):
            out["additionalProperties"] = False
            out["required"] = list(out["properties"])
        return out

    return walk(schema)


# Anthropic's JSON outputs take a subset of JSON schema (platform.claude.com/docs/en/build-with-claude/
# structured-outputs, "JSON Schema limitations"): every object closed with additionalProperties false; no numeric,
# length or pattern constraints; minItems 0 or 1 only; these string formats. The rest goes into the description,
# as Anthropic's own SDK does (anthropic.lib._parse._transform.transform_schema), so the model still reads it.
_ANTHROPIC_FORMATS = frozenset(
    {"date-time", "time", "date", "duration", "email", "hostname", "uri", "ipv4", "ipv6", "uuid"}
)
_ANTHROPIC_VALUES: dict[str, Any] = {"format": _ANTHROPIC_FORMATS, "minItems": (0, 1)}
_ANTHROPIC_KEEP = {
    "object": ("properties", "required"),
    "array": ("items",),
    "string": (),
}
_ANY = ("$defs", "definitions", "$ref", "anyOf", "allOf", "enum", "const", "type", "title", "description", "default")


def anthropic_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON schema as Anthropic's ``output_config.format`` takes it: every object closed
    (``additionalProperties: false``), ``oneOf`` as ``anyOf``, unsupported constraints moved into the description."""

    def walk(node: Any) -> Any:
        if not isinstance(node, Mapping):
            return node
        node = dict(node)
        if "oneOf" in node and "anyOf" not in node:
            node["anyOf"] = node.pop("oneOf")
        kind = node.get("type")
        out: dict[str, Any] = {}
        moved: dict[str, Any] = {}
        for key, value in node.items():
            if key in ("$defs", "definitions") and isinstance(value, Mapping):
                out[key] = {name: walk(sub) for name, sub in value.items()}
            elif key in ("anyOf", "allOf") and isinstance(value, list):
                out[key] = [walk(sub) for sub in value]
            elif key == "properties" and isinstance(value, Mapping):
                out[key] = {name: walk(sub) for name, sub in value.items()}
            elif key == "items":
                out[key] = walk(value)
            elif (key, kind) in (("format", "string"), ("minItems", "array")) and value in _ANTHROPIC_VALUES[key]:
                out[key] = value
            elif key == "additionalProperties":
                continue  # set below for objects; never anything but false
            elif key in _ANY or key in _ANTHROPIC_KEEP.get(kind if isinstance(kind, str) else "", ()):
                out[key] = value
            else:
                moved[key] = value
        if kind == "object" or "properties" in out:
            out.setdefault("properties", {})
            out["additionalProperties"] = False
        if moved:
            extra = "{" + ", ".join(f"{k}: {v}" for k, v in moved.items()) + "}"
            out["description"] = f"{out['description']}\n\n{extra}" if out.get("description") else extra
        return out

    return walk(schema)


def check_shape(value: Any, schema: Mapping[str, Any]) -> str | None:
    """Why ``value`` does not fit the top of ``schema`` (an object with its required keys, or an array), or
    ``None``. For TypedDict / JSON-schema outputs, which have no pydantic class to validate them fully."""
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if not isinstance(value, dict):
            return f"expected a JSON object, got {type(value).__name__}"
        missing = [k for k in schema.get("required") or () if k not in value]
        return f"missing required {missing}" if missing else None
    if kind == "array" and not isinstance(value, list):
        return f"expected a JSON array, got {type(value).__name__}"
    return None


def schema_tool(spec: StructuredSpec) -> dict[str, Any]:
    """The OpenAI-format tool that carries ``spec``'s schema (function-calling structured output); the schema's own
    title and description move to the tool, as ``convert_to_openai_tool`` writes it."""
    parameters = {k: v for k, v in spec.schema.items() if k not in ("title", "description")}
    fn: dict[str, Any] = {"name": spec.tool_name, "parameters": parameters}
    description = spec.description or spec.schema.get("description")
    if description:
        fn["description"] = description
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
    if kind == "json_schema" and info.native_json_schema and route == "messages":
        return fmt, None  # newer Claude: sent as output_config.format (anthropic_messages.messages_body)
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


class JsonStreamCleaner:
    """Streaming: passes on only the JSON value of a JSON answer, as ``json_answer_text`` does for a whole one.

    Text before the first ``{`` or ``[`` (a fence opener, a sentence) is held back; the value is passed through as
    it arrives, its brackets counted outside strings; whatever follows its end (a closing fence, prose) is dropped.
    An answer that never starts a value is released whole at the end, so the caller's parser can quote it."""

    __slots__ = ("_depth", "_escape", "_held", "_in_string", "_state")

    def __init__(self) -> None:
        self._state = 0  # 0 before the value, 1 inside it, 2 after it
        self._held = ""
        self._depth = 0
        self._in_string = False
        self._escape = False

    def feed(self, text: str) -> str:
        if self._state == 2 or not text:
            return ""
        if self._state == 0:
            self._held += text
            starts = [i for i in (self._held.find("{"), self._held.find("[")) if i >= 0]
            if not starts:
                return ""
            text, self._held, self._state = self._held[min(starts) :], "", 1
        return self._scan(text)

    def _scan(self, text: str) -> str:
        depth, in_string, escape = self._depth, self._in_string, self._escape
        for i, ch in enumerate(text):
            if in_string:
                if escape:
                    escape = False
                elif ch == "\\":
                    escape = True
                elif ch == '"':
                    in_string = False
            elif ch == '"':
                in_string = True
            elif ch in "{[":
                depth += 1
            elif ch in "}]":
                depth -= 1
                if depth == 0:
                    self._state = 2
                    return text[: i + 1]
        self._depth, self._in_string, self._escape = depth, in_string, escape
        return text

    def flush(self) -> str:
        """End of the answer: text that never started a JSON value is released; anything after the value is not."""
        held, self._held = self._held, ""
        return held if self._state == 0 else ""
