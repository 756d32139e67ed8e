"""Which MixRouter endpoint a chat call goes to, and the three wire protocols behind one interface.

* ``chat``: ``/v1/chat/completions`` (OpenAI format), the default for every chat model.
* ``responses``: ``/v1/responses`` (OpenAI Responses), for models MixRouter serves only there (the catalogue's
  ``route``: gpt-5.1-codex, gpt-5.2-pro).
* ``messages``: ``/v1/messages`` (Anthropic format), for Claude whenever thinking is asked for: only this route
  returns Claude's signed thinking blocks, which a tool loop must send back.

``route=`` forces any of the three for any model. Every protocol takes the same OpenAI-format messages and
keywords and returns the same ``ChatResult`` / ``ChatDelta``, so the faces never know which one ran.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .anthropic_messages import (
    ANTHROPIC_VERSION,
    MESSAGES_PATH,
    MessagesStreamAssembler,
    build_messages_body,
    parse_message,
)
from .chat import ChatResult, StreamAssembler, build_chat_body, parse_completion
from .models import ModelInfo
from .responses_api import RESPONSES_PATH, ResponsesStreamAssembler, build_responses_body, parse_response

__all__ = ["CHAT_ROUTES", "PROTOCOLS", "ChatRoute", "Protocol", "resolve_route"]

ChatRoute = Literal["chat", "responses", "messages"]
CHAT_ROUTES: tuple[str, ...] = ("chat", "responses", "messages")


@dataclass(frozen=True)
class Protocol:
    name: str
    path: str
    build: Callable[..., dict[str, Any]]
    parse: Callable[[Any], ChatResult]
    assembler: Callable[[], Any]
    headers: Mapping[str, str]


PROTOCOLS: dict[str, Protocol] = {
    "chat": Protocol("chat", "chat/completions", build_chat_body, parse_completion, StreamAssembler, {}),
    "responses": Protocol(
        "responses", RESPONSES_PATH, build_responses_body, parse_response, ResponsesStreamAssembler, {}
    ),
    "messages": Protocol(
        "messages",
        MESSAGES_PATH,
        build_messages_body,
        parse_message,
        MessagesStreamAssembler,
        {"anthropic-version": ANTHROPIC_VERSION},
    ),
}


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
