"""An httpx transport that answers from a script (JSON bodies or SSE chunk lists) and keeps every request body."""

from __future__ import annotations

import json
from typing import Any

import httpx


def completion(
    content: Any = "",
    *,
    reasoning: str | None = None,
    tool_calls: list | None = None,
    usage: dict | None = None,
    model: str = "m",
    finish: str = "stop",
) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if reasoning is not None:
        message["reasoning_content"] = reasoning
    if tool_calls is not None:
        message["tool_calls"] = tool_calls
    return {
        "id": "cmpl-1",
        "object": "chat.completion",
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": usage or {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12},
    }


def delta(d: dict | None = None, finish: str | None = None, model: str = "m") -> dict[str, Any]:
    return {
        "id": "cmpl-1",
        "object": "chat.completion.chunk",
        "model": model,
        "choices": [{"index": 0, "delta": d or {}, "finish_reason": finish}],
    }


def usage_chunk(**usage: Any) -> dict[str, Any]:
    return {
        "id": "cmpl-1",
        "object": "chat.completion.chunk",
        "model": "m",
        "choices": [],
        "usage": usage or {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12},
    }


class Scripted(httpx.MockTransport):
    """Each request takes the next answer: a dict (JSON), a list of chunks (SSE), bytes or (status, body); the last
    answer repeats."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.bodies: list[dict[str, Any]] = []
        self.requests: list[httpx.Request] = []
        super().__init__(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.bodies.append(json.loads(request.content) if request.content else {})
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, bytes):
            return httpx.Response(200, content=answer, headers={"content-type": "video/mp4"})
        if isinstance(answer, tuple):
            status, body = answer
            return httpx.Response(status, json=body)
        if isinstance(answer, list):
            sse = b"".join(b"data: " + json.dumps(c).encode() + b"\n\n" for c in answer) + b"data: [DONE]\n\n"
            return httpx.Response(200, content=sse, headers={"content-type": "text/event-stream"})
        return httpx.Response(200, json=answer)

    def clients(self) -> dict[str, Any]:
        return {"http_client": httpx.Client(transport=self), "http_async_client": httpx.AsyncClient(transport=self)}


def llama_clients(transport: Scripted) -> dict[str, Any]:
    """The same transport wired the way LlamaIndex integrations name their clients."""
    return {
        "http_client": httpx.Client(transport=transport),
        "async_http_client": httpx.AsyncClient(transport=transport),
    }
