"""The model catalogue: what each MixRouter model is and can do.

Model ids come from MixRouter's documented model list (shared/seeds/002, the "已支持的模型列表" menu, plus
deepseek-v4-pro's page). MixRouter does not document capabilities, so each row's family, modalities, tool
support, thinking style, context window and maximum output follow the *vendor's* published specs (inferred, not
MixRouter-documented); override them per instance when the gateway says otherwise. An id that is not listed
still works: its family comes from its prefix and it gets that family's safe defaults (``ModelInfo.known`` False).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Literal

__all__ = [
    "CATALOGUE",
    "ClaudeThinking",
    "ModelInfo",
    "ThinkingStyle",
    "claude_traits",
    "family_of",
    "get_model_info",
    "list_models",
]

ThinkingStyle = Literal["none", "effort", "enable_thinking", "type", "budget", "always"]
Route = Literal["chat", "responses", "messages", "videos", "embeddings", "images", "audio", "realtime"]
EchoPolicy = Literal["strip", "tool_turns"]
StructuredMethod = Literal["json_schema", "function_calling", "json_mode"]
# Claude's thinking flag: "budget" ``{"type": "enabled", "budget_tokens": N}`` (up to 4.5); "adaptive"
# ``{"type": "adaptive"}`` + ``output_config.effort``, a budget still accepted but deprecated (Opus/Sonnet 4.6);
# "adaptive_only": a budget is a 400 (Opus 4.7 and later). See ``claude_traits``.
ClaudeThinking = Literal["budget", "adaptive", "adaptive_only"]

TEXT = frozenset({"text"})
VISION = frozenset({"text", "image"})
VIDEO_IN = frozenset({"text", "image", "video"})
OMNI = frozenset({"text", "image", "video", "audio"})


@dataclass(frozen=True)
class ModelInfo:
    """Everything the core needs to talk to one model correctly.

    ``thinking``: how to turn reasoning on/off ("effort": ``reasoning_effort``; "enable_thinking": Qwen's top-level
    flag; "type": ``thinking: {"type": "enabled"|"disabled"}``; "budget": Claude's ``thinking`` with
    ``budget_tokens``; "always": always reasons, no flag; "none": cannot reason).
    ``reasoning_echo``: "tool_turns" when the vendor requires the previous reasoning to be sent back on assistant
    turns that made tool calls (DeepSeek V4 / thinking mode, Kimi thinking), "strip" when it must not be sent.
    Claude only (``thinking="budget"``): ``claude_thinking`` picks budget or adaptive thinking, ``effort_levels``
    the ``output_config.effort`` values, ``thinking_display`` the ``thinking.display`` to ask for, and
    ``native_json_schema`` whether ``/v1/messages`` takes ``output_config.format`` (see ``claude_traits``).
    """

    id: str
    family: str
    route: Route = "chat"
    inputs: frozenset[str] = TEXT
    tools: bool = True
    thinking: ThinkingStyle = "none"
    can_disable_thinking: bool = True
    thinks_by_default: bool = False  # reasons when no flag is sent (DeepSeek V4); thinking=False turns it off
    off_effort: str | None = None  # the reasoning_effort that means "as little as possible" for effort models
    effort_levels: tuple[str, ...] = ()
    context_window: int = 32_768
    max_output: int | None = 4_096
    reasoning_echo: EchoPolicy = "strip"
    forced_tool_choice_with_thinking: bool = True
    tool_choices: frozenset[str] = frozenset({"auto", "none", "required", "function"})  # what tool_choice takes at all
    json_schema: bool = False
    json_object: bool = False  # the vendor honours response_format {"type": "json_object"} (JSON mode)
    json_object_with_thinking: bool = True
    max_tokens_field: str = "max_tokens"
    thinking_needs_stream: bool = False
    claude_thinking: ClaudeThinking = "budget"
    thinking_display: str | None = None  # Claude: "summarized" where Anthropic's default display is "omitted"
    native_json_schema: bool = False  # Claude: /v1/messages enforces output_config.format json_schema
    known: bool = True
    extra: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    def thinks(self, thinking: bool | None) -> bool:
        """Whether the model reasons for a request that asked ``thinking`` (``None``: not said)."""
        if self.always_thinks:
            return True
        return self.thinks_by_default if thinking is None else bool(thinking)

    @property
    def always_thinks(self) -> bool:
        return self.thinking == "always" or (self.thinking != "none" and not self.can_disable_thinking)

    @property
    def supports_thinking(self) -> bool:
        return self.thinking != "none"

    def takes_forced_tool_choice(self, thinking_on: bool) -> bool:
        """Whether a forced ``tool_choice`` (required or a named tool) is accepted in this thinking state."""
        forced = "required" in self.tool_choices and "function" in self.tool_choices
        return forced and (not thinking_on or self.forced_tool_choice_with_thinking)

    def takes_json_object(self, thinking_on: bool) -> bool:
        """Whether ``response_format: {"type": "json_object"}`` is honoured in this thinking state."""
        return self.json_object and (not thinking_on or self.json_object_with_thinking)

    def structured_method(self, thinking_on: bool, route: str | None = None) -> StructuredMethod:
        """Best default for ``with_structured_output`` / ``structured_predict`` on this model in this thinking
        state (and on ``route``; ``None``: the route the call would take): a JSON schema the vendor enforces (on
        newer Claude, ``output_config.format`` on ``/v1/messages``), else a forced tool where the vendor takes one,
        else JSON mode (the schema in the prompt, with ``json_object`` where honoured)."""
        if self.json_schema:
            return "json_schema"
        if route is None:  # as request.resolve_route: Claude goes to /v1/messages when it thinks
            route = "messages" if self.family == "anthropic" and thinking_on and self.route == "chat" else self.route
        if self.native_json_schema and route == "messages":
            return "json_schema"
        if self.tools and self.takes_forced_tool_choice(thinking_on):
            return "function_calling"
        return "json_mode"

    @property
    def structured_output_method(self) -> StructuredMethod:
        """``structured_method`` with thinking as the model does it when no flag is sent."""
        return self.structured_method(self.thinks(None))


_O_EFFORT = ("low", "medium", "high")
_GPT5_EFFORT = ("minimal", "low", "medium", "high")
_GPT51_EFFORT = ("none", "low", "medium", "high")

# Family defaults (vendor conventions), then per-model rows that differ.
_FAMILY: dict[str, dict[str, object]] = {
    "openai": dict(inputs=VISION, json_schema=True, json_object=True, context_window=128_000, max_output=16_384),
    "anthropic": dict(
        inputs=VISION,
        thinking="budget",
        context_window=200_000,
        max_output=64_000,
        forced_tool_choice_with_thinking=False,
    ),
    "google": dict(
        inputs=OMNI,
        thinking="type",
        json_schema=True,
        json_object=True,
        context_window=1_048_576,
        max_output=65_536,
    ),
    "deepseek": dict(
        thinking="type",
        json_object=True,
        context_window=128_000,
        max_output=8_192,
        reasoning_echo="tool_turns",
        forced_tool_choice_with_thinking=False,
    ),
    # MiniMax: tool_choice is "none" or "auto" only; response_format is ignored on M2.x (vendor API reference)
    "minimax": dict(
        thinking="always",
        context_window=204_800,
        max_output=131_072,
        reasoning_echo="tool_turns",
        tool_choices=frozenset({"auto", "none"}),
    ),
    "moonshot": dict(context_window=131_072, max_output=16_384, json_object=True),
    "xai": dict(
        inputs=VISION, thinking="always", json_schema=True, json_object=True, context_window=256_000, max_output=32_768
    ),
    "doubao": dict(
        inputs=VIDEO_IN,
        thinking="type",
        context_window=256_000,
        max_output=32_768,
        forced_tool_choice_with_thinking=False,
    ),
    # Zhipu: tool_choice "default and only auto", thinking or not (docs.bigmodel.cn function calling)
    "zhipu": dict(
        thinking="type",
        json_object=True,
        context_window=131_072,
        max_output=98_304,
        reasoning_echo="tool_turns",
        tool_choices=frozenset({"auto"}),
    ),
    "qwen": dict(
        thinking="enable_thinking",
        json_object=True,
        json_object_with_thinking=False,
        context_window=131_072,
        max_output=16_384,
        forced_tool_choice_with_thinking=False,
    ),
    "baidu": dict(thinking="always", context_window=32_768, max_output=16_384),
    "tencent": dict(thinking="always", context_window=65_536, max_output=32_768),
    "iflytek": dict(context_window=8_192, max_output=8_192, tools=True),
    "ant": dict(context_window=131_072, max_output=32_768),
    "stepfun": dict(inputs=VISION, thinking="always", context_window=65_536, max_output=32_768),
    "sensenova": dict(inputs=VIDEO_IN, context_window=65_536, max_output=16_384),
    "embedding": dict(route="embeddings", tools=False, context_window=8_191, max_output=None),
    "video": dict(route="videos", tools=False, context_window=0, max_output=None),
    "image": dict(route="images", tools=False, context_window=0, max_output=None),
    "audio": dict(route="audio", tools=False, context_window=0, max_output=None),
    "realtime": dict(route="realtime", inputs=frozenset({"text", "audio"}), context_window=128_000, max_output=4_096),
    "unknown": dict(context_window=32_768, max_output=4_096),
}

_openai_reasoning = dict(
    thinking="effort",
    can_disable_thinking=False,
    effort_levels=_O_EFFORT,
    context_window=200_000,
    max_output=100_000,
    max_tokens_field="max_completion_tokens",
)
_gpt5 = dict(
    thinking="effort",
    off_effort="minimal",
    effort_levels=_GPT5_EFFORT,
    context_window=400_000,
    max_output=128_000,
    max_tokens_field="max_completion_tokens",
)
_gpt51 = dict(_gpt5, off_effort="none", effort_levels=_GPT51_EFFORT)
_gpt5_chat = dict(context_window=128_000, max_output=16_384)
_qwen_vl = dict(thinking="type", inputs=VIDEO_IN, context_window=131_072, max_output=8_192)
_qwen_open = dict(thinking_needs_stream=True)  # open-weight Qwen3: thinking only while streaming (DashScope rule)

_ROWS: dict[str, tuple[str, dict[str, object]]] = {
    # OpenAI
    "gpt-4": ("openai", dict(inputs=TEXT, json_schema=False, context_window=8_192, max_output=8_192)),
    "gpt-4.1": ("openai", dict(context_window=1_047_576, max_output=32_768)),
    "gpt-4o": ("openai", {}),
    "gpt-4o-mini": ("openai", {}),
    "gpt-5": ("openai", _gpt5),
    "gpt-5-chat": ("openai", _gpt5_chat),
    "gpt-5-mini": ("openai", _gpt5),
    "gpt-5-nano": ("openai", _gpt5),
    "gpt-5.1": ("openai", _gpt51),
    "gpt-5.1-chat-latest": ("openai", _gpt5_chat),
    "gpt-5.1-codex": ("openai", dict(_gpt5, off_effort=None, can_disable_thinking=False, route="responses")),
    "gpt-5.2": ("openai", _gpt51),
    "gpt-5.2-chat": ("openai", _gpt5_chat),
    "gpt-5.2-pro": (
        "openai",
        dict(
            _gpt5,
            off_effort=None,
            can_disable_thinking=False,
            effort_levels=("medium", "high", "xhigh"),
            route="responses",
        ),
    ),
    "gpt-oss-120b": (
        "openai",
        dict(_openai_reasoning, inputs=TEXT, context_window=131_072, max_output=131_072),
    ),
    "o1": ("openai", _openai_reasoning),
    "o3": ("openai", _openai_reasoning),
    "o3-mini": ("openai", dict(_openai_reasoning, inputs=TEXT)),
    "o3-pro": ("openai", _openai_reasoning),
    "o3-deep-research": ("openai", dict(_openai_reasoning, effort_levels=("medium",))),
    "o4-mini": ("openai", _openai_reasoning),
    "o4-mini-deep-research": ("openai", dict(_openai_reasoning, effort_levels=("medium",))),
    # Google (thinking flag documented on MixRouter's "gemini-开启thinking" page)
    "gemini-2.0-flash": ("google", dict(thinking="none", max_output=8_192)),
    "gemini-2.5-computer-use-preview-10-2025": ("google", dict(context_window=128_000, max_output=64_000)),
    "gemini-2.5-flash": ("google", {}),
    "gemini-2.5-flash-lite": ("google", {}),
    "gemini-2.5-flash-lite-preview": ("google", {}),
    "gemini-2.5-pro": ("google", dict(can_disable_thinking=False)),
    "gemini-3-flash-preview": ("google", {}),
    "gemini-3-pro-preview": ("google", dict(can_disable_thinking=False)),
    "gemini-robotics-er-1.5-preview": ("google", {}),
    "gemini-2.5-flash-image": ("google", dict(thinking="none", tools=False, max_output=32_768)),
    "gemini-2.5-flash-image-preview": ("google", dict(thinking="none", tools=False, max_output=32_768)),
    "gemini-3-pro-image-preview": ("google", dict(thinking="none", tools=False, max_output=32_768)),
    # Anthropic
    "claude-opus-4-5-20251101": ("anthropic", {}),
    "claude-opus-4-20250514": ("anthropic", dict(max_output=32_000)),
    "claude-sonnet-4-20250514": ("anthropic", {}),
    "claude-sonnet-4-5-20250929": ("anthropic", {}),
    # DeepSeek (thinking flag documented on MixRouter's deepseek page)
    "deepseek-chat": ("deepseek", {}),
    # deepseek-reasoner: R1 rejected reasoning_content on input (a 400, DeepSeek's reasoning-model guide) and had no
    # tools; the id now serves the thinking mode, which requires it back on tool-call turns and ignores it elsewhere
    # (api-docs.deepseek.com/guides/thinking_mode#tool-calls). Echoing it on tool-call turns only satisfies both.
    "deepseek-reasoner": ("deepseek", dict(thinking="always", max_output=65_536)),
    # V4 thinks unless told not to (DeepSeek's thinking-mode guide; inferred for MixRouter)
    "deepseek-v4-pro": ("deepseek", dict(context_window=1_048_576, max_output=65_536, thinks_by_default=True)),
    # MiniMax (reasoning returned without a flag, documented)
    "minimax-m2": ("minimax", {}),
    "minimax-m2.5": ("minimax", {}),
    "abab6.5s-chat": (
        "minimax",
        dict(thinking="none", context_window=245_760, max_output=8_192, reasoning_echo="strip"),
    ),
    # Moonshot
    "kimi-k2": ("moonshot", {}),
    "kimi-k2-0711-preview": ("moonshot", {}),
    "kimi-k2-0905": ("moonshot", dict(context_window=262_144)),
    "kimi-k2-instruct": ("moonshot", {}),
    "kimi-k2-thinking": (
        "moonshot",
        dict(
            thinking="always",
            context_window=262_144,
            reasoning_echo="tool_turns",
            forced_tool_choice_with_thinking=False,
        ),
    ),
    "moonshot-v1-8k": ("moonshot", dict(context_window=8_192, max_output=4_096)),
    "moonshot-v1-32k": ("moonshot", dict(context_window=32_768, max_output=4_096)),
    "moonshot-v1-128k": ("moonshot", dict(context_window=131_072, max_output=4_096)),
    "moonshot-v1-8k-vision-preview": (
        "moonshot",
        dict(inputs=VISION, context_window=8_192, max_output=4_096),
    ),
    "moonshot-v1-32k-vision-preview": (
        "moonshot",
        dict(inputs=VISION, context_window=32_768, max_output=4_096),
    ),
    "moonshot-v1-128k-vision-preview": (
        "moonshot",
        dict(inputs=VISION, context_window=131_072, max_output=4_096),
    ),
    # xAI
    "grok-4": ("xai", {}),
    "grok-4-1-fast-reasoning": ("xai", dict(context_window=2_000_000, max_output=30_000)),
    "grok-4-1-fast-non-reasoning": (
        "xai",
        dict(thinking="none", context_window=2_000_000, max_output=30_000),
    ),
    # ByteDance (Doubao; documented id from the Doubao chat page)
    "doubao-seed-1-6-thinking-250715": ("doubao", dict(thinking="always")),
    # Zhipu
    "glm-5": ("zhipu", dict(context_window=204_800, max_output=131_072)),
    "glm-4-plus": (
        "zhipu",
        dict(thinking="none", context_window=128_000, max_output=4_096, reasoning_echo="strip"),
    ),
    "glm-4.5": ("zhipu", {}),
    "glm-4.6": ("zhipu", dict(context_window=204_800, max_output=131_072)),
    "glm-4.7": ("zhipu", dict(context_window=204_800, max_output=131_072)),
    "glm-4.5v": ("zhipu", dict(inputs=VIDEO_IN, context_window=65_536, max_output=16_384)),
    "glm-4.6v": ("zhipu", dict(inputs=VIDEO_IN, context_window=131_072, max_output=32_768)),
    # Alibaba (enable_thinking documented for qwen3-max; the thinking object for qwen2.5-vl)
    "qwen3.5-122b-a10b": (
        "qwen",
        dict(_qwen_open, inputs=VIDEO_IN, context_window=262_144, max_output=65_536),
    ),
    "qwen3.5-397b-a17b": (
        "qwen",
        dict(_qwen_open, inputs=VIDEO_IN, context_window=262_144, max_output=65_536),
    ),
    "qwen-max": ("qwen", dict(thinking="none", context_window=32_768, max_output=8_192)),
    "qwen-max-2025-01-25": ("qwen", dict(thinking="none", context_window=131_072, max_output=8_192)),
    "qwen-max-latest": ("qwen", dict(thinking="none", context_window=131_072, max_output=8_192)),
    "qwen-plus": ("qwen", {}),
    "qwen-plus-latest": ("qwen", {}),
    "qwen-turbo": ("qwen", dict(context_window=1_000_000)),
    "qwen2.5-7b-instruct": ("qwen", dict(thinking="none", max_output=8_192)),
    "qwen2.5-32b-instruct": ("qwen", dict(thinking="none", max_output=8_192)),
    "qwen2.5-72b-instruct": ("qwen", dict(thinking="none", max_output=8_192)),
    "qwen3-coder-plus": ("qwen", dict(thinking="none", context_window=1_048_576, max_output=65_536)),
    "qwen3-coder-plus-2025-07-22": (
        "qwen",
        dict(thinking="none", context_window=1_048_576, max_output=65_536),
    ),
    "qwen3-max": ("qwen", dict(context_window=262_144, max_output=65_536)),
    "qwen3-max-preview": ("qwen", dict(context_window=262_144, max_output=65_536)),
    "qwen3-235b-a22b": ("qwen", _qwen_open),
    "qwen3-235b-a22b-instruct-2507": (
        "qwen",
        dict(thinking="none", context_window=262_144, max_output=32_768),
    ),
    "qwen3-235b-a22b-thinking-2507": (
        "qwen",
        dict(thinking="always", context_window=262_144, max_output=32_768),
    ),
    "qwen3-8b": ("qwen", dict(_qwen_open, max_output=8_192)),
    "qwen3-coder-30b-a3b-instruct": (
        "qwen",
        dict(thinking="none", context_window=262_144, max_output=65_536),
    ),
    "qwen3-next-80b-a3b-instruct": ("qwen", dict(thinking="none", context_window=262_144, max_output=32_768)),
    "qwen3-next-80b-a3b-thinking": (
        "qwen",
        dict(thinking="always", context_window=262_144, max_output=32_768),
    ),
    "qwen-vl-max": ("qwen", dict(_qwen_vl, thinking="none")),
    "qwen-vl-plus": ("qwen", dict(_qwen_vl, thinking="none")),
    "qwen3-vl-235b-a22b-instruct": ("qwen", dict(_qwen_vl, thinking="none", context_window=262_144)),
    "qwen3-vl-235b-a22b-thinking": ("qwen", dict(_qwen_vl, thinking="always", context_window=262_144)),
    "qwen2.5-vl-72b-instruct": ("qwen", dict(_qwen_vl, inputs=OMNI)),
    "qwen2.5-omni-7b": (
        "qwen",
        dict(_qwen_vl, inputs=OMNI, thinking="none", context_window=32_768, max_output=2_048),
    ),
    "qwen3-omni-flash-2025-12-01": (
        "qwen",
        dict(_qwen_vl, inputs=OMNI, context_window=65_536, max_output=16_384),
    ),
    # Others
    "ernie-x1-32k": ("baidu", {}),
    "hunyuan-t1-latest": ("tencent", {}),
    "SparkDesk-v4.0": ("iflytek", {}),
    "Ling-1T": ("ant", {}),
    "Ring-1T": ("ant", dict(thinking="always")),
    "step-3": ("stepfun", {}),
    "SenseNova-V6-Pro": ("sensenova", {}),
    # Embeddings
    "text-embedding-3-large": ("embedding", dict(extra={"dimensions": 3072})),
    "text-embedding-3-small": ("embedding", dict(extra={"dimensions": 1536})),
    "text-embedding-ada-002": ("embedding", dict(extra={"dimensions": 1536})),
    "text-embedding-v1": ("embedding", dict(extra={"dimensions": 1536})),
    # Image generation (/v1/images/*; the gemini image models above answer through chat)
    "gpt-image-1": ("image", {}),
    "gpt-image-1.5": ("image", {}),
    "dall-e-3": ("image", {}),
    "flux-1-kontext-pro": ("image", {}),
    "imagineart-1.5-preview": ("image", {}),
    # Audio
    "gpt-4o-audio-preview": ("openai", dict(inputs=frozenset({"text", "audio"}), json_schema=False)),
    "gpt-audio": ("openai", dict(inputs=frozenset({"text", "audio"}), json_schema=False)),
    "qwen3-tts-flash": ("audio", {}),
    "eleven_v3": ("audio", {}),
    # Realtime (WebSocket; not served by the chat faces)
    "gpt-4o-realtime-preview": ("realtime", {}),
    "gpt-4o-mini-realtime-preview": ("realtime", {}),
    # Video generation (submitted as tasks to /v1/videos)
    "doubao-seedance-1-0-lite-i2v-250428": ("video", dict(extra={"vendor": "seedance"})),
    "vidu-2.0-img2video": ("video", dict(extra={"vendor": "vidu"})),
    "viduq2-pro": ("video", dict(extra={"vendor": "vidu"})),
    "hunyuan-video-v1.5": ("video", dict(extra={"vendor": "hunyuan"})),
    "sora-2": ("video", dict(extra={"vendor": "sora"})),
    "sora-2-pro": ("video", dict(extra={"vendor": "sora"})),
    "veo-3.1-generate-preview": ("video", dict(extra={"vendor": "veo"})),
    "veo-3.1-fast-generate-preview": ("video", dict(extra={"vendor": "veo"})),
    "wan2.6-i2v": ("video", dict(extra={"vendor": "wan"})),
    "wan2.6-t2v": ("video", dict(extra={"vendor": "wan"})),
    "pixverse-v5.5-t2v": ("video", dict(extra={"vendor": "pixverse"})),
    "pixverse-v5.5-i2v": ("video", dict(extra={"vendor": "pixverse"})),
}

# Prefix → family, longest prefix first; used for ids the catalogue does not list.
_PREFIXES: list[tuple[str, str]] = sorted(
    [
        ("gpt-", "openai"),
        ("o1", "openai"),
        ("o3", "openai"),
        ("o4", "openai"),
        ("chatgpt", "openai"),
        ("text-embedding", "embedding"),
        ("claude", "anthropic"),
        ("gemini", "google"),
        ("deepseek", "deepseek"),
        ("minimax", "minimax"),
        ("abab", "minimax"),
        ("kimi", "moonshot"),
        ("moonshot", "moonshot"),
        ("grok", "xai"),
        ("doubao-seedance", "video"),
        ("doubao", "doubao"),
        ("glm", "zhipu"),
        ("qwen", "qwen"),
        ("qwq", "qwen"),
        ("ernie", "baidu"),
        ("hunyuan-video", "video"),
        ("hunyuan", "tencent"),
        ("sparkdesk", "iflytek"),
        ("ling", "ant"),
        ("ring", "ant"),
        ("step", "stepfun"),
        ("sensenova", "sensenova"),
        ("sora", "video"),
        ("veo", "video"),
        ("vidu", "video"),
        ("wan2", "video"),
        ("pixverse", "video"),
        ("kling", "video"),
        ("hailuo", "video"),
        ("seedance", "video"),
    ],
    key=lambda p: -len(p[0]),
)
_OPENAI_REASONING_ID = re.compile(r"^o\d")


def family_of(model_id: str) -> str:
    lowered = model_id.lower()
    if _OPENAI_REASONING_ID.match(lowered):
        return "openai"
    for prefix, family in _PREFIXES:
        if lowered.startswith(prefix):
            return family
    return "unknown"


# Claude ids: "claude-<tier>-<major>[-<minor>][-<date>]" (claude-opus-4-5-20251101, claude-sonnet-4-6, claude-opus-5)
# and the older "claude-<major>[-<minor>]-<tier>" (claude-3-7-sonnet-20250219). A minor is one or two digits, so a
# date is never read as one (claude-opus-4-20250514 is 4.0).
_CLAUDE_NEW = re.compile(r"^claude-([a-z]+)-(\d+)(?:[-.](\d{1,2}))?(?=$|[-@.])")
_CLAUDE_OLD = re.compile(r"^claude-(\d+)(?:[-.](\d{1,2}))?-([a-z]+)")
_CLAUDE_ADAPTIVE_TIERS = ("mythos", "fable")  # adaptive thinking only, whatever their version


def claude_traits(model_id: str) -> dict[str, object]:
    """Claude's thinking and structured-output fields, chosen from the id so that a Claude MixRouter lists later
    (claude-sonnet-4-7, claude-opus-5) works the day it appears.

    What Anthropic documents (platform.claude.com/docs/en/build-with-claude/{adaptive-thinking,effort,
    structured-outputs}; whats-new-claude-4-7):
    * adaptive thinking (``thinking: {"type": "adaptive"}`` + ``output_config.effort``): Opus 4.6, Sonnet 4.6,
      Opus 4.7 and later, Mythos; ``budget_tokens`` is deprecated on 4.6 and a 400 from Opus 4.7 on; Sonnet 4.5,
      Opus 4.5, Haiku 4.5 and older take ``{"type": "enabled", "budget_tokens": N}`` only;
    * ``output_config.effort``: Opus 4.5 (low, medium, high), Opus/Sonnet 4.6 (+ max), Opus 4.7+ (+ xhigh);
    * thinking ``display`` defaults to "omitted" (empty thinking text) from Opus 4.7 on, "summarized" before;
    * ``output_config.format`` (JSON outputs): Haiku/Sonnet/Opus 4.5 and every newer model.
    Inferred: that an id newer than the documented ones (claude-sonnet-4-7, claude-opus-6) behaves like the newest
    documented model of its kind; that MixRouter's ``/v1/messages`` passes ``thinking`` and ``output_config``
    through unchanged (its page says "pass parameters as in Anthropic's documentation"; new-api, which MixRouter
    appears to run, keeps both fields on its Claude request). Native JSON outputs are used from 4.6 on: the 4.5
    models keep their recorded path (the schema in the prompt while thinking, a forced tool otherwise), though
    Anthropic documents ``output_config.format`` for them too (set ``native_json_schema=True`` to use it)."""
    lowered = model_id.lower()
    if m := _CLAUDE_NEW.match(lowered):
        tier, version = m.group(1), (int(m.group(2)), int(m.group(3) or 0))
    elif m := _CLAUDE_OLD.match(lowered):
        tier, version = m.group(3), (int(m.group(1)), int(m.group(2) or 0))
    elif lowered.startswith(tuple(f"claude-{t}" for t in _CLAUDE_ADAPTIVE_TIERS)):
        tier, version = lowered.split("-")[1], None  # claude-mythos-preview
    else:
        return {}
    if version is None or tier in _CLAUDE_ADAPTIVE_TIERS or version >= (5, 0):
        adaptive = True
    else:
        adaptive = tier in ("opus", "sonnet") and version >= (4, 6)  # there is no Haiku 4.6
    if not adaptive:
        return {"effort_levels": ("low", "medium", "high")} if (tier, version) == ("opus", (4, 5)) else {}
    levels = ("low", "medium", "high", "max")
    if version == (4, 6):
        return dict(claude_thinking="adaptive", effort_levels=levels, native_json_schema=True)
    if version is not None:  # xhigh: Opus 4.7, 4.8, Opus 5, Sonnet 5 (not Mythos Preview)
        levels = ("low", "medium", "high", "xhigh", "max")
    return dict(
        claude_thinking="adaptive_only", effort_levels=levels, thinking_display="summarized", native_json_schema=True
    )


def _build(model_id: str, family: str, overrides: dict[str, object], known: bool) -> ModelInfo:
    values: dict[str, object] = dict(_FAMILY.get(family, _FAMILY["unknown"]))
    if family == "anthropic":
        values.update(claude_traits(model_id))
    values.update(overrides)
    return ModelInfo(id=model_id, family=family, known=known, **values)  # type: ignore[arg-type]


CATALOGUE: dict[str, ModelInfo] = {mid: _build(mid, fam, ov, True) for mid, (fam, ov) in _ROWS.items()}
_LOWER = {mid.lower(): info for mid, info in CATALOGUE.items()}
_unknown_cache: dict[str, ModelInfo] = {}  # ids the catalogue does not list, guessed once each
_UNKNOWN_CACHE_MAX = 1024  # keyed by user input: bounded (oldest guess dropped first)


def _guess(model_id: str) -> ModelInfo:
    family = family_of(model_id)
    lowered = model_id.lower()
    overrides: dict[str, object] = {}
    if family == "openai" and _OPENAI_REASONING_ID.match(lowered):
        overrides = dict(_openai_reasoning)
    elif family == "openai" and lowered.startswith("gpt-5") and "chat" not in lowered:
        overrides = dict(_gpt51)
    elif family == "qwen" and ("-vl" in lowered or "omni" in lowered):
        overrides = dict(_qwen_vl)
    elif (family == "qwen" and "thinking" in lowered) or (family == "doubao" and "thinking" in lowered):
        overrides = dict(thinking="always")
    elif family == "deepseek" and ("reasoner" in lowered or lowered.startswith("deepseek-r1")):
        overrides = dict(thinking="always", reasoning_echo="strip")
    elif family == "moonshot" and "thinking" in lowered:
        overrides = dict(thinking="always", reasoning_echo="tool_turns", forced_tool_choice_with_thinking=False)
    elif family == "unknown":
        # Unknown vendor: send no vendor flags unless asked; thinking=True then needs extra_body.
        overrides = dict(thinking="none")
    return _build(model_id, family, overrides, False)


def get_model_info(model_id: str, **overrides: object) -> ModelInfo:
    """Catalogue row for ``model_id`` (case-insensitive); unknown ids get family defaults with ``known=False``."""
    info = CATALOGUE.get(model_id) or _LOWER.get(model_id.lower())
    if info is None:
        info = _unknown_cache.get(model_id)
        if info is None:
            if len(_unknown_cache) >= _UNKNOWN_CACHE_MAX:
                _unknown_cache.pop(next(iter(_unknown_cache)), None)
            info = _unknown_cache.setdefault(model_id, _guess(model_id))
    if info.id != model_id:
        info = replace(info, id=model_id)
    return replace(info, **overrides) if overrides else info  # type: ignore[arg-type]


def list_models(family: str | None = None, capability: str | None = None) -> list[ModelInfo]:
    """Catalogue rows, optionally filtered by family and a capability (tools, vision, thinking, video, audio)."""
    rows = list(CATALOGUE.values())
    if family:
        rows = [m for m in rows if m.family == family.lower()]
    if capability:
        cap = capability.lower()
        checks = {
            "tools": lambda m: m.tools and m.route in ("chat", "responses", "messages"),
            "vision": lambda m: "image" in m.inputs and m.route != "videos",
            "thinking": lambda m: m.supports_thinking,
            "video": lambda m: m.route == "videos",
            "video-input": lambda m: "video" in m.inputs and m.route != "videos",
            "audio": lambda m: "audio" in m.inputs,
            "embeddings": lambda m: m.route == "embeddings",
        }
        if cap not in checks:
            raise ValueError(f"unknown capability {capability!r}; choose one of {sorted(checks)}")
        rows = [m for m in rows if checks[cap](m)]
    return rows
