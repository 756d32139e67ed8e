"""Structured output: the request shape for each method, and a tolerant reader for the JSON that comes back.

Models behind a gateway do not all honour ``response_format`` to the letter: some wrap the object in a ```json
fence, put a sentence before it, or (through the OpenAI format) prefix a ``<think>`` block. ``parse_json_text``
reads all of those; anything else is a ``ValueError`` that quotes the start of the text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from .models import StructuredMethod
from .thinking import split_think_tags

__all__ = ["StructuredMethod", "json_instructions", "parse_json_text", "response_format"]

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


def json_instructions(schema: Mapping[str, Any]) -> str:
    """A system-prompt line for JSON mode, which constrains syntax but not shape: the schema goes in the prompt."""
    return "Answer with one JSON object only (no prose, no code fence) that matches this JSON schema:\n" + json.dumps(
        dict(schema), ensure_ascii=False
    )


def parse_json_text(text: str) -> Any:
    """The JSON value in a model's answer: bare, fenced, after a ``<think>`` block, or after a line of prose."""
    if not isinstance(text, str):
        raise TypeError(f"expected the answer text, got {type(text).__name__}.")
    reasoning, rest = split_think_tags(text)
    candidate = (rest if reasoning else text).strip()
    try:
        return json.loads(candidate)
    except ValueError:
        pass
    fenced = _FENCE.search(candidate)
    if fenced:
        try:
            return json.loads(fenced.group(1).strip())
        except ValueError:
            pass
    starts = [i for i in (candidate.find("{"), candidate.find("[")) if i >= 0]
    if starts:
        try:
            value, _ = json.JSONDecoder().raw_decode(candidate[min(starts) :])
            return value
        except ValueError:
            pass
    raise ValueError(f"the model's answer is not JSON: {candidate[:120]!r}")
