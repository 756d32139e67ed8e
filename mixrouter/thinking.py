"""Thinking across vendors: how to ask for it, how to read it back, what to send back next turn.

One switch for the user (``thinking=True/False`` plus an ``effort`` or a ``budget`` where the family has one),
mapped per family by the catalogue's ``thinking`` style:

| style            | families (examples)                               | thinking=True                                        | thinking=False                      | source |
|------------------|---------------------------------------------------|------------------------------------------------------|-------------------------------------|--------|
| effort           | OpenAI o-series, gpt-5*, gpt-oss                  | ``reasoning_effort: <effort or "medium">``           | ``reasoning_effort: "minimal"/"none"`` where the model has it, else error | documented (o3 page) |
| enable_thinking  | Qwen text (qwen3-max, qwen-plus, qwen3.5, ...)    | ``enable_thinking: true`` (+ ``thinking_budget``)    | ``enable_thinking: false``          | documented (qwen3-max page); budget inferred (DashScope) |
| type             | Gemini, DeepSeek, Qwen-VL/omni (documented); GLM, Doubao (inferred, vendor convention) | ``thinking: {"type": "enabled"}`` (+ ``budget_tokens``) | ``thinking: {"type": "disabled"}`` | documented / inferred as marked |
| budget           | Claude (per model, see below)                      | ``thinking: {"type": "enabled", "budget_tokens": N}`` (default 1024) | ``thinking: {"type": "disabled"}`` | Anthropic's Messages API; on chat completions inferred (sibling toiotech docs) |
| always           | deepseek-reasoner, kimi-k2-thinking, minimax-m2, doubao-*-thinking, *-thinking-2507, grok-4, hunyuan-t1 | nothing to send | error: the model always reasons | documented for doubao/minimax |
| none             | gpt-4o, qwen-max, moonshot-v1, ...                | error: the model cannot reason                        | nothing to send                     | — |

Claude follows the catalogue's ``claude_thinking`` (``models.claude_traits``): "budget" models (4.5 and older) as
above, plus ``output_config.effort`` where the model has effort levels (Opus 4.5); "adaptive" (Opus/Sonnet 4.6)
and "adaptive_only" (Opus 4.7 on) get ``thinking: {"type": "adaptive"}`` (with ``display: "summarized"`` where
Anthropic's default hides the thinking text) and ``output_config: {"effort": ...}`` when an effort is given. A
budget is still sent on 4.6, with a ``FutureWarning`` (Anthropic deprecated it there), and refused on adaptive-only
models, where Anthropic answers it with a 400. ``thinking=False`` is ``{"type": "disabled"}``, except on
adaptive-only models, where nothing is sent (no flag means no thinking there).

Reasoning is read back from ``reasoning_content``, ``reasoning`` (string or object), ``reasoning_details`` and a
leading ``<think>…</think>`` (or ``<budget:thinking>``, which Claude emits through the OpenAI format) in the
content, also when the tag is split across stream chunks.
"""

from __future__ import annotations

from typing import Any

from ._warn import warn_user
from .models import ModelInfo

__all__ = [
    "DEFAULT_CLAUDE_BUDGET",
    "ThinkTagSplitter",
    "apply_thinking",
    "detail_text",
    "emits_think_tags",
    "extract_reasoning",
    "split_think_tags",
    "thinking_active",
    "thinking_asked",
]

DEFAULT_CLAUDE_BUDGET = 1024
_TAGS = (("<think>", "</think>"), ("<budget:thinking>", "</budget:thinking>"), ("<thinking>", "</thinking>"))
_MAX_OPEN = max(len(o) for o, _ in _TAGS)


def apply_thinking(
    body: dict[str, Any],
    info: ModelInfo,
    thinking: bool | None,
    *,
    effort: str | None = None,
    budget: int | None = None,
) -> None:
    """Write the family's thinking flag into ``body`` (in place). ``thinking=None`` sends nothing unless an
    effort or budget was given (which implies ``True``). Impossible requests raise ``ValueError``."""
    if thinking is None and (effort is not None or budget is not None):
        thinking = True
    if thinking is None:
        return
    if budget is not None and (not isinstance(budget, int) or isinstance(budget, bool) or budget <= 0):
        raise ValueError(f"thinking budget must be a positive whole number of tokens, got {budget!r}.")
    style = info.thinking
    name = info.id
    if style == "none":
        if thinking:
            raise ValueError(
                f"Model {name!r} does not support thinking; drop thinking=True or pick a reasoning model "
                f"(`mixrouter models --capability thinking` lists them)."
            )
        return
    if style == "always" or (not thinking and not info.can_disable_thinking and not info.off_effort):
        if not thinking:
            raise ValueError(
                f"Model {name!r} always reasons and cannot turn thinking off; leave thinking unset"
                + (f" or use a low effort ({', '.join(info.effort_levels)})." if info.effort_levels else ".")
            )
        if style == "always":
            if effort is not None or budget is not None:
                raise ValueError(f"Model {name!r} always reasons and takes no thinking effort or budget.")
            return
    if style == "effort":
        if budget is not None:
            raise ValueError(f"Model {name!r} takes a reasoning effort, not a token budget: use effort=...")
        value = (effort or "medium") if thinking else info.off_effort
        if info.effort_levels and value not in info.effort_levels:
            raise ValueError(f"Model {name!r} accepts reasoning effort {list(info.effort_levels)}, not {value!r}.")
        body["reasoning_effort"] = value
        return
    if effort is not None and not (style == "budget" and info.effort_levels):
        raise ValueError(
            f"Model {name!r} ({info.family}) has no reasoning effort levels; use budget=... or just thinking=True."
        )
    if style == "enable_thinking":
        body["enable_thinking"] = bool(thinking)
        if thinking and budget is not None:
            body["thinking_budget"] = budget
    elif style == "type":
        flag: dict[str, Any] = {"type": "enabled" if thinking else "disabled"}
        if thinking and budget is not None:
            flag["budget_tokens"] = budget
        body["thinking"] = flag
    elif style == "budget":
        _claude_thinking(body, info, bool(thinking), effort, budget)


def _claude_thinking(body: dict[str, Any], info: ModelInfo, thinking: bool, effort: str | None, budget: int | None):
    """Claude's ``thinking`` (and ``output_config.effort``) for the model's ``claude_thinking`` mode."""
    name, mode = info.id, info.claude_thinking
    if effort is not None:  # effort needs no thinking (it bounds every token of the answer: Anthropic's effort page)
        if effort not in info.effort_levels:
            raise ValueError(f"Model {name!r} accepts effort {list(info.effort_levels)}, not {effort!r}.")
        body["output_config"] = {**(body.get("output_config") or {}), "effort": effort}
    if not thinking:
        if mode != "adaptive_only":  # adaptive-only models: "disabled" is reported refused; no flag is no thinking
            body["thinking"] = {"type": "disabled"}
        return
    levels = "|".join(repr(e) for e in info.effort_levels)
    if budget is not None and mode == "adaptive_only":
        raise ValueError(
            f"Model {name!r} takes adaptive thinking only: Anthropic refuses budget_tokens there. Drop "
            f"thinking_budget and pass effort={levels} (or just thinking=True)."
        )
    if mode == "budget" or budget is not None:
        if mode == "adaptive":
            warn_user(
                f"budget_tokens is deprecated on {name!r} (Anthropic recommends adaptive thinking); sent "
                f"thinking_budget={budget} as asked. Pass effort={levels} instead of a budget.",
                FutureWarning,
            )
        flag: dict[str, Any] = {"type": "enabled", "budget_tokens": budget or DEFAULT_CLAUDE_BUDGET}
    else:
        flag = {"type": "adaptive"}
        if info.thinking_display:
            flag["display"] = info.thinking_display
    body["thinking"] = flag
    temperature = body.get("temperature")
    if temperature is not None and temperature != 1:
        raise ValueError(f"Claude ({name!r}) with thinking on requires temperature 1 (or unset); got {temperature!r}.")


def thinking_asked(thinking: bool | None, effort: str | None = None, budget: int | None = None) -> bool | None:
    """``thinking`` as the user meant it: an effort or a budget implies ``True``; ``None`` is "not said"."""
    if thinking is None and (effort is not None or budget is not None):
        return True
    return thinking


def thinking_active(info: ModelInfo, thinking: bool | None) -> bool:
    """Whether the model will reason for this request (``thinking=False`` on a model that always reasons is
    refused by ``apply_thinking``, so it needs no case here)."""
    return info.thinks(thinking)


def extract_reasoning(message: dict[str, Any]) -> tuple[str, list[Any] | None]:
    """Reasoning text and the raw ``reasoning_details`` (kept byte for byte for echoing) of a message or delta."""
    text = message.get("reasoning_content")
    details = message.get("reasoning_details")
    if not isinstance(text, str) or not text:
        other = message.get("reasoning")
        if isinstance(other, str):
            text = other
        elif isinstance(other, dict):
            text = other.get("content") or other.get("text") or other.get("summary") or ""
            if not isinstance(text, str):
                text = ""
        else:
            text = ""
    if not text and isinstance(details, list):
        text = "".join(detail_text(d) for d in details)
    return text, details if isinstance(details, list) and details else None


def detail_text(item: Any) -> str:
    """The text of one ``reasoning_details`` entry, whatever vendor made it: ``text`` (OpenRouter / MiniMax
    ``reasoning.*``), ``thinking`` (Claude's signed block), ``summary`` as a string or as Responses summary parts."""
    if not isinstance(item, dict):
        return ""
    for key in ("text", "thinking", "summary"):
        value = item.get(key)
        if isinstance(value, str) and value:
            return value
        if key == "summary" and isinstance(value, list):
            return "".join(p.get("text") or "" for p in value if isinstance(p, dict) and isinstance(p.get("text"), str))
    return ""


# Families whose models never put their reasoning in the content as a leading tag: OpenAI and xAI return it in
# fields (or not at all), Gemini in thought parts, Mistral in ``thinking`` content parts. Their answers keep a
# leading ``<thinking>`` as the text it is (a custom XML tag a prompt asked for). Open-weight reasoning models
# (DeepSeek-R1, Qwen3, GLM, Kimi, MiniMax, ...) do emit tags through some hosts, under any id.
_NO_TAG_FAMILIES = frozenset({"openai", "google", "xai", "mistral"})
_OPEN_WEIGHT_MARKS = ("r1", "qwen", "qwq", "deepseek", "glm", "kimi", "minimax")


def emits_think_tags(model_id: str, family: str) -> bool:
    """Whether a leading ``<think>`` in this model's answer is reasoning (unknown ids: yes)."""
    if family not in _NO_TAG_FAMILIES:
        return True
    lowered = model_id.lower()
    return any(mark in lowered for mark in _OPEN_WEIGHT_MARKS)


def split_think_tags(content: str) -> tuple[str, str]:
    """Split a leading ``<think>…</think>`` off a complete content string: returns (reasoning, answer)."""
    splitter = ThinkTagSplitter()
    reasoning, text = splitter.feed(content)
    r2, t2 = splitter.flush()
    return reasoning + r2, text + t2


class ThinkTagSplitter:
    """Streaming splitter for a *leading* think tag. Holds back at most a tag's length while undecided, so
    ``<th`` + ``ink>`` split across chunks still routes to reasoning; once the content is known not to start with a
    tag (or the tag has closed) every chunk passes straight through."""

    __slots__ = ("_buf", "_close", "_state")

    def __init__(self) -> None:
        self._state = 0  # 0 undecided, 1 inside tag, 2 passthrough, 3 tag closed: drop the newlines after it
        self._buf = ""
        self._close = ""

    def feed(self, text: str) -> tuple[str, str]:
        """Return (reasoning, answer) for this piece of content."""
        if self._state == 2:
            return "", text
        if self._state == 3:
            text = text.lstrip("\n")
            if text:
                self._state = 2
            return "", text
        self._buf += text
        if self._state == 0:
            stripped = self._buf.lstrip()
            if not stripped:
                return "", ""
            for open_tag, close_tag in _TAGS:
                if stripped.startswith(open_tag):
                    self._state = 1
                    self._close = close_tag
                    self._buf = stripped[len(open_tag) :]
                    break
                if open_tag.startswith(stripped):
                    return "", ""  # could still become a tag
            else:
                self._state = 2
                out, self._buf = self._buf, ""
                return "", out
        # Inside the tag: emit reasoning, keep a possible partial closing tag back.
        end = self._buf.find(self._close)
        if end >= 0:
            reasoning = self._buf[:end]
            answer = self._buf[end + len(self._close) :].lstrip("\n")
            self._buf = ""
            self._state = 2 if answer else 3
            return reasoning, answer
        keep = len(self._close) - 1
        for k in range(min(keep, len(self._buf)), 0, -1):
            if self._close.startswith(self._buf[-k:]):
                reasoning, self._buf = self._buf[:-k], self._buf[-k:]
                return reasoning, ""
        reasoning, self._buf = self._buf, ""
        return reasoning, ""

    def flush(self) -> tuple[str, str]:
        """End of content: anything held back is released (an unclosed tag's text stays reasoning)."""
        buf, self._buf = self._buf, ""
        if self._state == 1:
            return buf, ""
        return "", buf
