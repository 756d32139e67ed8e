"""One chat request, built once: every framework-level setting turned into what the three routes need.

The core client and both faces hand ``make_request`` what the user passed (instance defaults under per-call
settings); the route builders (``chat``, ``responses``, ``messages``) read the ``ChatRequest`` it returns and nothing
else. So each of these lives here exactly once:

* renames (``max_completion_tokens``/``max_output_tokens`` → ``max_tokens``, ``reasoning_effort`` → ``effort``,
  ``thinking_budget`` → ``budget``, ``stream_usage`` → ``include_usage``, ``stop_sequences`` → ``stop``,
  ``use_responses_api`` → ``route``);
* every ``tool_choice`` spelling (LangChain's, LlamaIndex's, OpenAI's, Anthropic's, Responses') → one of ``auto``,
  ``none``, ``required`` or a named tool, checked against the tools;
* the vendor rule on forced tools: where a model refuses a forced ``tool_choice`` (while thinking, or at all), a
  named choice is honoured by sending *only that tool*, so no other tool can be called; ``required`` becomes
  ``auto`` with an instruction, and both warn;
* structured output (``structured=StructuredSpec(...)``) and a ``response_format`` the vendor cannot honour become
  what it can (see ``structured.adapt_response_format``);
* the route (``route=`` / ``use_responses_api=``, else per model).

Settings not listed here are refused by name, pointing at ``extra_body``: an unknown field never reaches the wire
by accident (OpenAI-style upstreams reject unknown fields with a 400). ``wire_fields`` (LangChain's
``model_kwargs``, LlamaIndex's ``additional_kwargs``) are the deliberate way to send other top-level fields.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from ._warn import warn_user
from .models import ModelInfo, get_model_info
from .structured import (
    StructuredSpec,
    adapt_response_format,
    json_instructions,
    response_format,
    schema_tool,
    strict_schema,
)
from .thinking import thinking_active, thinking_asked

__all__ = [
    "CHAT_ROUTES",
    "SETTING_ALIASES",
    "WIRE_FIELDS",
    "ChatRequest",
    "ChatRoute",
    "make_request",
    "resolve_route",
]

ChatRoute = Literal["chat", "responses", "messages"]
CHAT_ROUTES: tuple[str, ...] = ("chat", "responses", "messages")

# Framework spellings → the one name used here.
SETTING_ALIASES = {
    "reasoning_effort": "effort",
    "thinking_budget": "budget",
    "max_completion_tokens": "max_tokens",
    "max_output_tokens": "max_tokens",
    "stream_usage": "include_usage",
    "stop_sequences": "stop",
}
# The settings ``make_request`` reads itself (after renaming).
_SETTINGS = frozenset(
    {
        "info",
        "tools",
        "tool_choice",
        "parallel_tool_calls",
        "strict",
        "thinking",
        "effort",
        "budget",
        "temperature",
        "max_tokens",
        "stop",
        "response_format",
        "structured",
        "include_usage",
        "extra_body",
        "extra_headers",
        "route",
        "use_responses_api",
    }
)
# Top-level OpenAI chat fields sent as given (a route that cannot carry one refuses it by name).
WIRE_FIELDS = frozenset(
    {
        "top_p",
        "top_k",
        "seed",
        "n",
        "frequency_penalty",
        "presence_penalty",
        "logprobs",
        "top_logprobs",
        "logit_bias",
        "user",
        "service_tier",
        "metadata",
        "modalities",
        "audio",
        "prediction",
        "web_search_options",
        "store",
        "safety_identifier",
        "prompt_cache_key",
        "verbosity",
        "stream_options",
    }
)
_FORCED = ("required", "function")
# Per-call names that are not request settings, with what to do instead.
_NOT_SETTINGS = {
    "timeout": "timeouts are set on the model or client (timeout=, stream_idle_timeout=), not per call",
    "request_timeout": "timeouts are set on the model or client (timeout=, stream_idle_timeout=), not per call",
    "reasoning": "use reasoning_effort= (or thinking=True / thinking_budget=)",
    "functions": "use tools= (bind_tools in LangChain)",
    "function_call": "use tool_choice=",
}


@dataclass(slots=True)
class ChatRequest:
    """Everything one call sends, normalised. ``tool_choice`` is ``auto``, ``none``, ``required``, ``function``
    (then ``tool_name`` names the tool) or ``None`` (not sent); ``instructions`` are system lines the request adds
    (JSON schema for JSON mode, "call the tool" where a forced choice had to become ``auto``)."""

    model: str
    messages: list[dict[str, Any]]
    info: ModelInfo
    route: str = "chat"
    stream: bool = False
    tools: list[dict[str, Any]] | None = None
    tool_choice: str | None = None
    tool_name: str | None = None
    parallel_tool_calls: bool | None = None
    thinking: bool | None = None
    effort: str | None = None
    budget: int | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    stop: list[str] | None = None
    response_format: dict[str, Any] | None = None
    include_usage: bool = True
    wants_json: bool = False
    structured_method: str | None = None  # the method structured output used on this call
    params: dict[str, Any] = field(default_factory=dict)
    extra_body: dict[str, Any] = field(default_factory=dict)
    extra_headers: dict[str, str] | None = None
    instructions: list[str] = field(default_factory=list)

    @property
    def thinking_asked(self) -> bool | None:
        return thinking_asked(self.thinking, self.effort, self.budget)

    @property
    def thinking_on(self) -> bool:
        """Whether the model will reason for this request."""
        return thinking_active(self.info, self.thinking_asked)

    def messages_with_instructions(self) -> list[dict[str, Any]]:
        """The messages with this request's own system lines first (merged into a leading text system message)."""
        if not self.instructions:
            return self.messages
        text = "\n\n".join(self.instructions)
        first = self.messages[0] if self.messages else {}
        if first.get("role") == "system" and isinstance(first.get("content"), str):
            return [{**first, "content": f"{first['content']}\n\n{text}"}, *self.messages[1:]]
        return [{"role": "system", "content": text}, *self.messages]


def resolve_route(
    info: ModelInfo,
    route: str | None = None,
    *,
    thinking: bool | None = None,
    effort: str | None = None,
    budget: int | None = None,
) -> str:
    """The route for one call: ``route`` when given (checked), else the catalogue's, else ``messages`` for Claude
    with thinking asked for (``thinking=True`` or a budget), else ``chat``."""
    if route not in (None, "auto"):
        if route not in CHAT_ROUTES:
            raise ValueError(f"route must be one of {', '.join(CHAT_ROUTES)} (or None for automatic), not {route!r}.")
        return route
    if info.route in ("responses", "messages"):
        return info.route
    if info.route != "chat":
        raise ValueError(
            f"{info.id!r} is a {info.route} model, not a chat model; it has no chat route "
            f"(`mixrouter models --capability tools` lists chat models)."
        )
    wants_thinking = thinking if thinking is not None else (effort is not None or budget is not None)
    if info.family == "anthropic" and wants_thinking:
        return "messages"
    return "chat"


def _route_setting(route: Any, use_responses_api: Any) -> Any:
    """langchain-openai's ``use_responses_api`` spelled as our ``route``."""
    if use_responses_api is None:
        return route
    if use_responses_api and route not in (None, "auto", "responses"):
        raise ValueError(f"use_responses_api=True contradicts route={route!r}; set only one of them.")
    if use_responses_api:
        return "responses"
    return route if route not in (None, "auto") else "not-responses"


def _split(*layers: tuple[Mapping[str, Any] | None, bool]) -> tuple[dict, dict, dict]:
    """(settings, top-level wire params, extra fields) from layers of (mapping, strict), later layers winning,
    aliases applied; an unknown key in a strict layer is refused."""
    named: dict[str, Any] = {}
    params: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for source, strict in layers:
        for key, value in (source or {}).items():
            key = SETTING_ALIASES.get(key, key)
            if key in _SETTINGS:
                named[key] = value
            elif key in WIRE_FIELDS:
                params[key] = value
            elif strict and key in _NOT_SETTINGS:
                raise ValueError(f"{key!r} is not a per-call setting: {_NOT_SETTINGS[key]}.")
            elif strict:
                raise ValueError(
                    f"unknown setting {key!r}: it is not a MixRouter or OpenAI chat field. To send a vendor field, "
                    f"pass extra_body={{{key!r}: ...}} (or model_kwargs / additional_kwargs on the model)."
                )
            else:
                extra[key] = value
    return named, params, extra


def make_request(
    model: str,
    messages: Sequence[Mapping[str, Any]],
    *,
    stream: bool = False,
    defaults: Mapping[str, Any] | None = None,
    wire_fields: Mapping[str, Any] | None = None,
    **settings: Any,
) -> ChatRequest:
    """Build the one ``ChatRequest`` for a call (see the module docstring for what is normalised here).

    Three layers, each overriding the one before: ``defaults`` (a model's fields), ``wire_fields`` (its
    ``model_kwargs`` / ``additional_kwargs``: unknown keys there go to the wire as they are, as LangChain and
    LlamaIndex users expect), then this call's ``settings`` (unknown keys refused, pointing at ``extra_body``)."""
    from .chat import check_messages, deep_merge  # chat imports this module's names for its wrapper

    if not model or not isinstance(model, str):
        raise ValueError("model must be a non-empty model id such as 'gpt-4o-mini'.")
    named, params, extra = _split((defaults, True), (wire_fields, False), (settings, True))
    info = named.get("info") or get_model_info(model)
    check_messages(messages, info)
    stop = named.get("stop")
    req = ChatRequest(
        model=model,
        messages=list(messages),
        info=info,
        stream=bool(stream),
        thinking=named.get("thinking"),
        effort=named.get("effort"),
        budget=named.get("budget"),
        temperature=named.get("temperature"),
        max_tokens=named.get("max_tokens"),
        stop=([stop] if isinstance(stop, str) else list(stop)) if stop else None,
        include_usage=named.get("include_usage", True) is not False,
        params={k: v for k, v in params.items() if v is not None},
        extra_body=deep_merge(extra, named.get("extra_body") or {}),
        extra_headers=named.get("extra_headers"),
        parallel_tool_calls=named.get("parallel_tool_calls"),
    )
    route = _route_setting(named.get("route"), named.get("use_responses_api"))
    req.route = resolve_route(info, None if route == "not-responses" else route, thinking=req.thinking_asked)
    if route == "not-responses" and req.route == "responses":
        raise ValueError(f"{model!r} is served only on /v1/responses; use_responses_api=False cannot be honoured.")
    _set_tools(req, named.get("tools"), named.get("tool_choice"), named.get("strict"))
    _set_format(req, named.get("response_format"), named.get("structured"))
    _honour_forced_choice(req)
    return req


# -- tools --------------------------------------------------------------------------------------------------------
def _tool_names(tools: Sequence[Mapping[str, Any]]) -> list[str]:
    return [t["function"]["name"] for t in tools if isinstance(t.get("function"), Mapping) and "name" in t["function"]]


def normalize_tool_choice(choice: Any, names: Sequence[str]) -> tuple[str | None, str | None]:
    """Any framework's ``tool_choice`` → (``auto``/``none``/``required``/``function``/``None``, tool name)."""
    if choice is None or choice is False:
        return None, None
    if choice is True:
        if len(names) != 1:
            raise ValueError(f"tool_choice=True needs exactly one tool (got {len(names)}); name the tool instead.")
        return "function", names[0]
    if isinstance(choice, str):
        if choice in ("auto", "none"):
            return choice, None
        if choice in ("any", "required"):
            return "required", None
        return _named(choice, names)
    if isinstance(choice, Mapping):
        kind = choice.get("type")
        if kind in ("auto", "none"):
            return kind, None
        if kind in ("any", "required"):
            return "required", None
        fn = choice.get("function")
        name = fn.get("name") if isinstance(fn, Mapping) else choice.get("name")  # OpenAI / Responses, Anthropic
        if kind in ("function", "tool") and isinstance(name, str):
            return _named(name, names)
    raise ValueError(
        f"tool_choice {choice!r} is not understood; use 'auto', 'none', 'required' (or 'any'), a tool name, or "
        f'{{"type": "function", "function": {{"name": ...}}}}.'
    )


def _named(name: str, names: Sequence[str]) -> tuple[str, str]:
    if names and name not in names:
        raise ValueError(f"tool_choice {name!r} is not one of the tools {list(names)}.")
    return "function", name


def _set_tools(req: ChatRequest, tools: Any, choice: Any, strict: bool | None) -> None:
    if not tools:
        kind, _ = normalize_tool_choice(choice, ())
        if kind in _FORCED:
            raise ValueError(f"tool_choice={choice!r} was given without any tools.")
        return
    specs = [dict(t) for t in tools]
    if strict is not None:
        for i, spec in enumerate(specs):
            fn = spec.get("function")
            if isinstance(fn, Mapping) and fn.get("strict") != strict:
                fn = {**fn, "strict": strict}
                if strict and isinstance(fn.get("parameters"), Mapping):
                    fn["parameters"] = strict_schema(fn["parameters"])
                specs[i] = {**spec, "function": fn}
    req.tools = specs
    req.tool_choice, req.tool_name = normalize_tool_choice(choice, _tool_names(specs))


def _honour_forced_choice(req: ChatRequest) -> None:
    """A tool choice the model refuses is never swapped for another tool: a named tool is sent alone (with
    ``auto``), ``required`` becomes ``auto``, both with a system line asking for the call and a warning; ``none``
    where only ``auto`` is taken (GLM) sends no tools, which means the same."""
    info = req.info
    if req.tool_choice == "none" and "none" not in info.tool_choices:
        req.tools, req.tool_choice, req.parallel_tool_calls = None, None, None
        return
    if req.tool_choice not in _FORCED or info.takes_forced_tool_choice(req.thinking_on):
        return
    thinking_rule = req.thinking_on and "required" in info.tool_choices
    only = " or ".join(repr(c) for c in ("auto", "none") if c in info.tool_choices)
    when = "while thinking" if thinking_rule else f"(it takes tool_choice {only} only)"
    if req.tool_choice == "function":
        req.tools = [t for t in req.tools or () if (t.get("function") or {}).get("name") == req.tool_name]
        req.instructions.append(f"Answer by calling the tool `{req.tool_name}`.")
        sent = f"only the tool {req.tool_name!r} with tool_choice='auto', so no other tool can be called"
    else:
        req.instructions.append("Answer by calling one of the tools.")
        sent = "tool_choice='auto'"
    hint = " Pass thinking=False to force the call." if thinking_rule and info.can_disable_thinking else ""
    warn_user(f"{req.model!r} refuses a forced tool_choice {when}; sent {sent} (it may still answer in text).{hint}")
    req.tool_choice, req.tool_name = "auto", None


# -- structured output --------------------------------------------------------------------------------------------
def _set_format(req: ChatRequest, fmt: Any, spec: StructuredSpec | None) -> None:
    if spec is not None:
        # The method for this very call: the spec's, else the model's best in this call's thinking state.
        spec = replace(spec, method=spec.method or req.info.structured_method(req.thinking_on, req.route))
        if spec.strict:
            spec = replace(spec, schema=strict_schema(spec.schema))
        req.structured_method = spec.method
        if spec.method == "function_calling":
            req.tools = [schema_tool(spec)]
            req.tool_choice, req.tool_name = "function", spec.tool_name
            req.parallel_tool_calls = False
            return
        fmt = response_format(spec.method, spec.name, spec.schema, spec.strict)
        if spec.method == "json_mode":
            req.instructions.append(json_instructions(spec.schema))
    if fmt is None:
        return
    if not isinstance(fmt, Mapping) or fmt.get("type") not in ("json_schema", "json_object", "text"):
        raise ValueError(f"response_format must be a json_schema, json_object or text format, not {fmt!r}.")
    req.wants_json = fmt.get("type") != "text"
    wire, instruction = adapt_response_format(req.info, req.route, req.thinking_on, dict(fmt))
    req.response_format = wire
    if instruction and instruction not in req.instructions and not (spec and spec.method == "json_mode"):
        req.instructions.append(instruction)
