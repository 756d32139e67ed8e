"""``ChatMixRouter.profile``: every key of langchain-core's ``ModelProfile``, from the model catalogue.

A capability is ``True`` only where this package makes it work on the route the call will take (``route=``,
Claude's thinking switch), and ``tests/langchain/test_profile_claims.py`` proves each one with a real call against
the stub. Keys are written by name and only those the installed langchain-core declares are kept, so a newer core
gets its new keys and an older one warns about none.

Where the catalogue has no column, the value comes from a rule here, each inferred from vendor documentation:

* ``pdf_inputs``: OpenAI's vision models (a ``file`` part on chat completions, ``input_file`` on ``/v1/responses``)
  and Claude on ``/v1/messages`` (a ``document`` block). Claude on chat completions is not claimed: what MixRouter
  does with a ``file`` part there is not documented.
* ``image_outputs``: Gemini's image models, whose pictures come back as ``image_url`` parts of the chat answer
  (MixRouter documents gemini-2.5-flash-image-preview).
* ``image_tool_message``: vision models, on every route (``mixrouter.content``: a ``tool_result`` image block on
  ``/v1/messages``, an ``input_image`` in ``function_call_output`` on ``/v1/responses``; on chat completions, whose
  tool messages take text only, the image follows in a user message naming the call).
* ``pdf_tool_message``: where ``pdf_inputs`` is claimed (the same routes carry the tool result's PDF the same ways).
* ``audio_inputs`` / ``video_inputs``: chat completions only (``/v1/messages`` and ``/v1/responses`` refuse them).
* ``temperature``: ``False`` for OpenAI's reasoning models (they take only the default) unless reasoning is off
  (``reasoning_effort="none"``: gpt-5.1 and later, where it is also the default), and for Claude while it thinks
  (temperature must be 1).
* ``mid_conversation_system_messages``: a later system message is sent where it sits on chat completions and
  ``/v1/responses``; ``/v1/messages`` moves it into ``system``, and so do Claude's and Gemini's own APIs behind
  MixRouter's chat completions.
* ``reasoning_effort_default``: the vendor's documented default ("medium" for OpenAI's reasoning models, "none" from
  gpt-5.1 on, "high" for Claude's ``output_config.effort``); "" where none is documented.
* ``release_date`` / ``last_updated``: the date in a dated id (``claude-sonnet-4-5-20250929``, ``qwen-max-2025-01-25``,
  ``doubao-…-250715``, ``…-thinking-2507``); "" where the id has none. ``status``: "active" for models in MixRouter's
  model list, "unlisted" for ids the catalogue guesses. ``open_weights``: the vendors that publish weights.
"""

from __future__ import annotations

import re
from typing import Any, get_type_hints

from langchain_core.language_models import ModelProfile

from mixrouter.models import ModelInfo, get_model_info
from mixrouter.request import resolve_route
from mixrouter.thinking import thinking_asked

__all__ = ["build_profile", "profile_of"]

_OPEN_WEIGHTS = re.compile(
    r"^(gpt-oss|deepseek-(chat|reasoner|r1|v3)|kimi-k2|glm-(4\.[5-9]|5)|minimax-m\d|ling-|ring-|step-3"
    r"|qwen[\d.]*-.*\b\d+b\b)"
)
_DATES = (  # (pattern, how to spell the match as ISO 8601)
    (re.compile(r"(?<!\d)(20\d{2})-(\d{2})-(\d{2})(?!\d)"), lambda m: f"{m[1]}-{m[2]}-{m[3]}"),
    (re.compile(r"(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)"), lambda m: f"{m[1]}-{m[2]}-{m[3]}"),
    (re.compile(r"-(2\d)(\d{2})(\d{2})$"), lambda m: f"20{m[1]}-{m[2]}-{m[3]}"),  # doubao-…-250715 (YYMMDD)
    (re.compile(r"-(2[4-9])(\d{2})$"), lambda m: f"20{m[1]}-{m[2]}"),  # qwen3-…-thinking-2507 (YYMM)
    (re.compile(r"-(\d{2})-(20\d{2})$"), lambda m: f"{m[2]}-{m[1]}"),  # gemini-…-preview-10-2025 (MM-YYYY)
)


def _date(model_id: str) -> str:
    for pattern, spell in _DATES:
        if (m := pattern.search(model_id)) and 1 <= int(spell(m)[5:7]) <= 12:
            return spell(m)
    return ""


def _effort_default(info: ModelInfo) -> str:
    levels = info.effort_levels
    if not levels:
        return ""
    if info.family == "anthropic":
        return "high"  # output_config.effort defaults to high (Anthropic's effort guide)
    if info.family == "openai" and info.thinking == "effort":
        if levels[0] == "none":
            return "none"  # gpt-5.1 and later
        if "-pro" not in info.id and "medium" in levels:
            return "medium"
    return ""


def build_profile(
    info: ModelInfo,
    *,
    route: str | None = None,
    use_responses_api: bool | None = None,
    thinking: bool | None = None,
    effort: str | None = None,
    budget: int | None = None,
) -> ModelProfile | None:
    """The profile of ``info`` as a ChatMixRouter with these settings uses it; ``None`` for a non-chat model."""
    if info.route not in ("chat", "responses", "messages"):
        return None
    asked = thinking_asked(thinking, effort, budget)
    if use_responses_api and route in (None, "auto"):
        route = "responses"
    try:
        wire = resolve_route(info, route, thinking=asked)
    except ValueError:
        return None
    thinks = info.thinks(asked)
    vision = "image" in info.inputs
    openai, claude = info.family == "openai", info.family == "anthropic"
    pdf = (openai and vision and wire in ("chat", "responses")) or (claude and wire == "messages")
    audio = "audio" in info.inputs and wire == "chat"
    video = "video" in info.inputs and wire == "chat"
    # reasoning "none" (gpt-5.1 and later): asked for, or the vendor's default when nothing is sent
    reasoning_off = effort == "none" or (info.off_effort == "none" and (thinking is False or asked is None))
    temperature = not (openai and info.thinking == "effort" and not reasoning_off) and not (claude and thinks)
    date = _date(info.id)
    values: dict[str, Any] = {
        "name": info.id,
        "status": "active" if info.known else "unlisted",
        "release_date": date,
        "last_updated": date,
        "open_weights": bool(_OPEN_WEIGHTS.match(info.id.lower())),
        "max_input_tokens": info.context_window,
        "text_inputs": True,
        "image_inputs": vision,
        "image_url_inputs": vision,
        "pdf_inputs": pdf,
        "audio_inputs": audio,
        "video_inputs": video,
        "image_tool_message": vision,
        "pdf_tool_message": pdf,
        "max_output_tokens": info.max_output or 0,
        "reasoning_output": info.supports_thinking,
        "reasoning_effort_levels": list(info.effort_levels),
        "reasoning_effort_default": _effort_default(info),
        "text_outputs": True,
        "image_outputs": info.family == "google" and "-image" in info.id.lower(),
        "audio_outputs": False,
        "video_outputs": False,
        "tool_calling": info.tools,
        "tool_choice": info.tools and info.takes_forced_tool_choice(thinks),
        "tool_call_streaming": info.tools,
        "mid_conversation_system_messages": wire in ("chat", "responses")
        and info.family not in ("anthropic", "google"),
        "mid_conversation_tools": False,
        # Every chat model: the core sends a JSON schema the way the vendor takes it (enforced, json_object + prompt,
        # or the prompt alone) and the answer comes back as bare JSON, so create_agent's provider strategy works (its
        # tool strategy forces a tool, which thinking models refuse).
        "structured_output": True,
        "attachment": vision or pdf or audio or video,
        "temperature": temperature,
    }
    return ModelProfile(**{k: v for k, v in values.items() if k in _declared()})  # type: ignore[typeddict-item]


def profile_of(llm: Any) -> ModelProfile | None:
    """``ChatMixRouter._resolve_model_profile``: the profile for the instance's model, route and thinking settings."""
    return build_profile(
        get_model_info(llm.model_name),
        route=llm.route,
        use_responses_api=llm.use_responses_api,
        thinking=llm.thinking,
        effort=llm.reasoning_effort,
        budget=llm.thinking_budget,
    )


def _declared() -> frozenset[str]:
    global _DECLARED
    if _DECLARED is None:
        try:
            _DECLARED = frozenset(get_type_hints(ModelProfile))
        except (TypeError, NameError):  # unresolvable hints: keep every key
            _DECLARED = frozenset(ModelProfile.__annotations__)
    return _DECLARED


_DECLARED: frozenset[str] | None = None
