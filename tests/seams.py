"""The strict stub (``tests/stub``) wired into both faces in-process, remembering every request it answered.

Seam tests run a framework feature against it for many vendors and thinking states: a request the real vendor
would refuse gets the vendor's 400 from ``tests/stub/vendor_rules.py`` (or ``native.py`` for /messages and
/responses), so a passing test means the package sent what the vendor takes.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from langchain_core.tools import tool

from tests.conftest import FAKE_KEY
from tests.stub.server import respond


class StubWire:
    """An ``httpx`` transport onto the stub (sync and async) that keeps (path, body) of every request."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.transport = httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else {}
        self.requests.append((request.url.path, body))
        status, ctype, payload = respond(request.method, request.url.path, dict(request.headers), body, "")
        return httpx.Response(status, content=payload, headers={"content-type": ctype})

    @property
    def last(self) -> dict[str, Any]:
        return self.requests[-1][1]

    @property
    def last_path(self) -> str:
        return self.requests[-1][0]

    def langchain(self, model: str, **kw: Any) -> Any:
        from langchain_mixrouter import ChatMixRouter

        return ChatMixRouter(
            model=model,
            api_key=FAKE_KEY,
            http_client=httpx.Client(transport=self.transport),
            http_async_client=httpx.AsyncClient(transport=self.transport),
            **kw,
        )

    def llama(self, model: str, **kw: Any) -> Any:
        from llama_index_mixrouter import MixRouterLLM

        return MixRouterLLM(
            model=model,
            api_key=FAKE_KEY,
            http_client=httpx.Client(transport=self.transport),
            async_http_client=httpx.AsyncClient(transport=self.transport),
            **kw,
        )


@tool
def get_weather(city: str) -> str:
    """Current weather for a city."""
    return "18C"


@tool
def get_time(city: str) -> str:
    """Local time in a city."""
    return "12:00"


def system_text(body: dict[str, Any]) -> str:
    """Every system line of a chat, Responses or Messages body, joined."""
    if "system" in body:
        system = body["system"]
        return system if isinstance(system, str) else "\n".join(b.get("text", "") for b in system)
    items = body.get("messages") or body.get("input") or []
    return "\n".join(
        m["content"] if isinstance(m.get("content"), str) else json.dumps(m.get("content"))
        for m in items
        if isinstance(m, dict) and m.get("role") in ("system", "developer")
    )


def method_on_wire(path: str, body: dict[str, Any]) -> str:
    """Which structured-output method a request used, read from what was sent."""
    fmt = body.get("response_format") or (body.get("text") or {}).get("format") or {}
    if fmt.get("type") == "json_schema":
        return "json_schema"
    if body.get("tool_choice") not in (None, "auto", {"type": "auto"}) and body.get("tools"):
        return "function_calling"
    if "matches this JSON schema" in system_text(body):
        return "json_mode"
    return "none"
