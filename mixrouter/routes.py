"""Which MixRouter endpoint a chat call goes to, and the three wire protocols behind one interface.

* ``chat``: ``/v1/chat/completions`` (OpenAI format), the default for every chat model.
* ``responses``: ``/v1/responses`` (OpenAI Responses), for models MixRouter serves only there (the catalogue's
  ``route``: gpt-5.1-codex, gpt-5.2-pro).
* ``messages``: ``/v1/messages`` (Anthropic format), for Claude whenever thinking is asked for: only this route
  returns Claude's signed thinking blocks, which a tool loop must send back.

``route=`` forces any of the three for any model. Every protocol builds its body from the same ``ChatRequest``
(``request.make_request``) and returns the same ``ChatResult`` / ``ChatDelta``, so the faces never know which one
ran.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .anthropic_messages import ANTHROPIC_VERSION, MESSAGES_PATH, MessagesStreamAssembler, messages_body, parse_message
from .chat import ChatResult, StreamAssembler, chat_body, parse_completion
from .models import ModelInfo
from .request import CHAT_ROUTES, ChatRequest, ChatRoute, resolve_route
from .responses_api import RESPONSES_PATH, ResponsesStreamAssembler, parse_response, responses_body
from .thinking import emits_think_tags

__all__ = ["CHAT_ROUTES", "PROTOCOLS", "ChatRoute", "Protocol", "resolve_route"]


@dataclass(frozen=True)
class Protocol:
    name: str
    path: str
    build: Callable[[ChatRequest], dict[str, Any]]
    parse: Callable[[Any, ModelInfo], ChatResult]
    assembler: Callable[[ModelInfo], Any]
    headers: Mapping[str, str]


# Chat completions read a leading think tag as reasoning only for models that emit one; the native routes carry
# reasoning in their own blocks and items, whatever the model.
def _parse_chat(data: Any, info: ModelInfo) -> ChatResult:
    return parse_completion(data, think_tags=emits_think_tags(info.id, info.family))


def _chat_assembler(info: ModelInfo) -> StreamAssembler:
    return StreamAssembler(think_tags=emits_think_tags(info.id, info.family))


PROTOCOLS: dict[str, Protocol] = {
    "chat": Protocol("chat", "chat/completions", chat_body, _parse_chat, _chat_assembler, {}),
    "responses": Protocol(
        "responses",
        RESPONSES_PATH,
        responses_body,
        lambda data, _info: parse_response(data),
        lambda _info: ResponsesStreamAssembler(),
        {},
    ),
    "messages": Protocol(
        "messages",
        MESSAGES_PATH,
        messages_body,
        lambda data, _info: parse_message(data),
        lambda _info: MessagesStreamAssembler(),
        {"anthropic-version": ANTHROPIC_VERSION},
    ),
}
