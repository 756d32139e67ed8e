"""Token usage: every dialect MixRouter passes through, normalised once.

Dialects seen in MixRouter's documented responses (research §1.1): OpenAI ``*_tokens_details``; new-api's
"full" block (``input_tokens``/``output_tokens`` alongside zeros, ``claude_cache_creation_5_m_tokens`` /
``_1_h_tokens``); DeepSeek/MiniMax ``prompt_cache_hit_tokens``; Qwen's ``cached_tokens`` only; Anthropic native
``cache_read_input_tokens`` / ``cache_creation_input_tokens`` (where ``input_tokens`` excludes the cached part).
``input_tokens`` here always *includes* cache reads and writes, as LangChain and LlamaIndex expect.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Usage", "normalize_usage"]


@dataclass(slots=True)
class Usage:
    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0
    cache_read: int = 0
    cache_creation: int = 0
    reasoning_tokens: int = 0
    audio_input: int = 0
    audio_output: int = 0
    raw: dict[str, Any] = field(default_factory=dict)

    def as_openai(self) -> dict[str, Any]:
        """The normalised counts in OpenAI's shape (what LlamaIndex's token counter and most tools read),
        whatever dialect the vendor answered in; details only where they are non-zero."""
        out: dict[str, Any] = {
            "prompt_tokens": self.input_tokens,
            "completion_tokens": self.output_tokens,
            "total_tokens": self.total_tokens,
        }
        prompt_details = {
            k: v
            for k, v in (
                ("cached_tokens", self.cache_read),
                ("cache_creation_tokens", self.cache_creation),
                ("audio_tokens", self.audio_input),
            )
            if v
        }
        completion_details = {
            k: v for k, v in (("reasoning_tokens", self.reasoning_tokens), ("audio_tokens", self.audio_output)) if v
        }
        if prompt_details:
            out["prompt_tokens_details"] = prompt_details
        if completion_details:
            out["completion_tokens_details"] = completion_details
        return out


def _int(value: Any) -> int:
    if isinstance(value, bool) or value is None:
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return 0
    if isinstance(value, float):
        return int(value) if math.isfinite(value) else 0  # "inf"/"nan" from a broken gateway count as nothing
    return 0


def _details(raw: dict[str, Any], *names: str) -> dict[str, Any]:
    for name in names:
        value = raw.get(name)
        if isinstance(value, dict):
            return value
    return {}


def normalize_usage(raw: Any) -> Usage | None:
    """Return a ``Usage`` for any usage dict (``None`` for anything that is not one)."""
    if not isinstance(raw, dict) or not raw:
        return None
    prompt = _int(raw.get("prompt_tokens"))
    completion = _int(raw.get("completion_tokens"))
    anthropic_native = "prompt_tokens" not in raw and (
        "cache_read_input_tokens" in raw or "cache_creation_input_tokens" in raw
    )
    in_details = _details(raw, "prompt_tokens_details", "input_tokens_details")
    out_details = _details(raw, "completion_tokens_details", "output_tokens_details")
    # new-api's full block carries both detail dicts; the reasoning count may be in either.
    alt_out = _details(raw, "output_tokens_details")
    cache_read = (
        _int(in_details.get("cached_tokens"))
        or _int(raw.get("prompt_cache_hit_tokens"))
        or _int(raw.get("cache_read_input_tokens"))
        or _int(raw.get("cached_tokens"))
    )
    cache_creation = (
        _int(raw.get("cache_creation_input_tokens"))
        or _int(in_details.get("cache_creation_tokens"))
        or _int(in_details.get("cache_write_tokens"))
        or _int(raw.get("cache_write_tokens"))
        or (_int(raw.get("claude_cache_creation_5_m_tokens")) + _int(raw.get("claude_cache_creation_1_h_tokens")))
    )
    if anthropic_native:
        input_tokens = _int(raw.get("input_tokens")) + cache_read + cache_creation
    else:
        # new-api's full block carries input_tokens=0 next to real prompt_tokens: take whichever is set.
        input_tokens = prompt or _int(raw.get("input_tokens")) or _int(raw.get("prompt_token_count"))
    output_tokens = completion or _int(raw.get("output_tokens")) or _int(raw.get("candidates_token_count"))
    total = _int(raw.get("total_tokens")) or (input_tokens + output_tokens)
    reasoning = (
        _int(out_details.get("reasoning_tokens"))
        or _int(alt_out.get("reasoning_tokens"))
        or _int(raw.get("reasoning_tokens"))
    )
    return Usage(
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        total_tokens=total,
        cache_read=cache_read,
        cache_creation=cache_creation,
        reasoning_tokens=reasoning,
        audio_input=_int(in_details.get("audio_tokens")),
        audio_output=_int(out_details.get("audio_tokens")),
        raw=raw,
    )
