"""Histories that move between vendors: what each target keeps, converts or drops from another vendor's turns.

A history is OpenAI-format messages as the faces write them (``mixrouter.content`` lists the parts). An assistant
turn may carry a vendor's artifacts: ``reasoning_content`` text, ``reasoning_details`` (Claude's signed thinking
blocks, Responses' encrypted reasoning items, MiniMax/OpenRouter ``reasoning.*`` items) and, on tool calls,
Gemini's ``extra_content.google.thought_signature``. Each artifact is only meaningful to the vendor that made it;
some vendors reject what they cannot read, some require what another vendor's turn cannot have. This module is the
one place that decides, per target, from the artifact's *shape* (so a history written by ChatAnthropic or
ChatOpenAI is read the same as ours):

* reasoning text: sent as ``reasoning_content`` on tool-call turns to DeepSeek/Kimi/GLM/MiniMax while they think
  (``""`` when the turn has none: their rule is that the field is there); not sent elsewhere;
* Claude's signed thinking: back to Claude on /v1/messages only; elsewhere its text is the reasoning text;
* Responses' encrypted reasoning: back to OpenAI models on /v1/responses only; elsewhere its summary is the text;
* ``reasoning.*`` details: only to the vendor their ``format`` names;
* Gemini's thought signature: only to Gemini. A tool call without one gets Google's placeholder
  ``skip_thought_signature_validator`` for Gemini 3 (documented for histories from other models);
* a tool turn being answered without Claude's signed thinking, sent to Claude with thinking on: thinking is off
  for that request, with a warning (Anthropic requires the block first in that turn and documents no placeholder).

Nothing here mutates the caller's messages: a changed message is a new dict, so the user's history keeps every
artifact for the next model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .models import ModelInfo
from .thinking import extract_reasoning

__all__ = [
    "GEMINI_PLACEHOLDER_SIGNATURE",
    "artifact_vendor",
    "chat_history",
    "claude_blocks",
    "claude_tool_turn_unsigned",
    "reasoning_text",
    "requires_thought_signatures",
]

# "If you are transferring a conversation trace from another model ... set the thought_signature to ...
# 'skip_thought_signature_validator'" (https://ai.google.dev/gemini-api/docs/thought-signatures).
GEMINI_PLACEHOLDER_SIGNATURE = "skip_thought_signature_validator"
_FORMAT_VENDOR = (("anthropic", "anthropic"), ("openai", "openai"), ("google", "google"), ("minimax", "minimax"))


def artifact_vendor(item: Any) -> str | None:
    """The vendor a ``reasoning_details`` item belongs to, read from its shape (``None``: unknown)."""
    if not isinstance(item, Mapping):
        return None
    kind = str(item.get("type") or "")
    if kind in ("thinking", "redacted_thinking"):
        return "anthropic"
    if kind == "reasoning":
        return "openai"
    if kind.startswith("reasoning."):  # OpenRouter's / MiniMax's reasoning_details carry the producer's format
        fmt = str(item.get("format") or "").lower()
        return next((vendor for mark, vendor in _FORMAT_VENDOR if mark in fmt), None)
    return None


def reasoning_text(msg: Mapping[str, Any]) -> str:
    """The reasoning text of an assistant message, from whichever field or artifact carries it."""
    return extract_reasoning(dict(msg))[0]


def requires_thought_signatures(info: ModelInfo) -> bool:
    """Gemini 3 validates thought signatures on the function calls of the current turn (400 when missing); Gemini
    2.5 does not (https://ai.google.dev/gemini-api/docs/thought-signatures)."""
    return info.family == "google" and info.id.lower().startswith("gemini-3")


def _google_extra(extra: Mapping[str, Any]) -> dict[str, Any]:
    content = extra.get("extra_content")
    return {"extra_content": content} if isinstance(content, Mapping) and "google" in content else {}


def _has_signature(call: Mapping[str, Any]) -> bool:
    google = ((call.get("extra_content") or {}) if isinstance(call.get("extra_content"), Mapping) else {}).get("google")
    return isinstance(google, Mapping) and bool(google.get("thought_signature"))


def _tool_calls(calls: Sequence[Any], info: ModelInfo) -> list[dict[str, Any]]:
    """Tool calls with only the vendor keys the target reads: Gemini's ``extra_content`` for Gemini (plus the
    placeholder on the first call of a step where Gemini 3 needs one), none for anyone else."""
    google = info.family == "google"
    out = []
    for call in calls:
        clean = {k: call[k] for k in ("id", "type", "function") if k in call}
        if google:
            clean.update(_google_extra(call))
        out.append(clean)
    if out and requires_thought_signatures(info) and not _has_signature(out[0]):
        # Only the first function call of a step carries the signature (parallel calls: the first one).
        out[0]["extra_content"] = {"google": {"thought_signature": GEMINI_PLACEHOLDER_SIGNATURE}}
    return out


def _keeps_reasoning(info: ModelInfo, thinking_on: bool) -> bool:
    return info.reasoning_echo == "tool_turns" and thinking_on


def _assistant(msg: Mapping[str, Any], info: ModelInfo, thinking_on: bool) -> dict[str, Any]:
    out = {k: v for k, v in msg.items() if k not in ("reasoning_content", "reasoning", "reasoning_details")}
    calls = msg.get("tool_calls")
    if calls:
        out["tool_calls"] = _tool_calls(calls, info)
    if calls and _keeps_reasoning(info, thinking_on):
        # DeepSeek thinking mode and Kimi thinking require the field on every tool-call turn; a turn another
        # vendor made without reasoning sends it empty rather than leave it out.
        out["reasoning_content"] = reasoning_text(msg)
        own = [d for d in msg.get("reasoning_details") or () if artifact_vendor(d) == info.family]
        if own:
            out["reasoning_details"] = own
    return out


def chat_history(messages: Sequence[Mapping[str, Any]], info: ModelInfo, thinking_on: bool) -> list[dict[str, Any]]:
    """The messages as ``info``'s vendor takes them on ``/chat/completions``."""
    return [_assistant(msg, info, thinking_on) if msg.get("role") == "assistant" else dict(msg) for msg in messages]


def _answered_tool_turn(messages: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The assistant message whose tool calls the trailing tool messages answer (``None``: the history ends on a
    user or assistant message)."""
    i = len(messages) - 1
    while i >= 0 and messages[i].get("role") == "tool":
        i -= 1
    if i == len(messages) - 1 or i < 0:
        return None
    msg = messages[i]
    return msg if msg.get("role") == "assistant" and msg.get("tool_calls") else None


def _claude_block(item: Mapping[str, Any]) -> dict[str, Any] | None:
    """One Anthropic thinking block, as Anthropic takes it back, from an item of Claude's in any shape we read:
    its own blocks (``/v1/messages``) or OpenRouter-style ``reasoning.text`` / ``reasoning.encrypted`` items with an
    Anthropic ``format``; ``None`` for anything unsigned or another vendor's."""
    if artifact_vendor(item) != "anthropic":
        return None
    kind = item.get("type")
    if kind in ("thinking", "reasoning.text") and item.get("signature"):
        text = item.get("thinking") if kind == "thinking" else item.get("text")
        return {"type": "thinking", "thinking": text or "", "signature": item["signature"]}
    if kind in ("redacted_thinking", "reasoning.encrypted") and item.get("data"):
        return {"type": "redacted_thinking", "data": item["data"]}
    return None


def claude_blocks(details: Sequence[Any] | None) -> list[dict[str, Any]]:
    """Claude's signed thinking blocks among an assistant message's ``reasoning_details``, in order."""
    return [b for d in details or () if isinstance(d, Mapping) and (b := _claude_block(d)) is not None]


def claude_tool_turn_unsigned(messages: Sequence[Mapping[str, Any]]) -> bool:
    """Whether the tool turn being answered lacks Claude's signed thinking, which Anthropic requires first in that
    turn while thinking is on ("a final assistant message must start with a thinking block")."""
    turn = _answered_tool_turn(messages)
    return turn is not None and not claude_blocks(turn.get("reasoning_details"))
