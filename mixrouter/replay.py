"""Replay recorded cassettes without the network: the offline mode of the quickstart and the CLI.

Reads the JSON cassettes vcrpy writes (``cassettes/**/*.json``) with the standard library only and answers each
request with the recorded response whose method, URL and JSON body match (repeats of a request, such as the polls
of a video task, get the recorded answers in order). A request that was never recorded gets
a clear error instead of a network call.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import httpx

__all__ = ["ReplayTransport", "load_interactions"]


def _body_key(body: Any) -> str:
    if body in (None, b"", ""):
        return ""
    text = body.decode("utf-8") if isinstance(body, bytes) else str(body)
    try:
        return json.dumps(json.loads(text), sort_keys=True, ensure_ascii=False)
    except ValueError:
        return text


def load_interactions(paths: Iterable[Path]) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
    """Recorded responses per (method, URL, body), in recording order (a polled task answers differently each time)."""
    table: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for path in paths:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        for item in data.get("interactions", []):
            req = item["request"]
            key = (req["method"].upper(), req["uri"], _body_key(req.get("body")))
            table.setdefault(key, []).append(item["response"])
    return table


class ReplayTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """An httpx transport (sync and async) that serves recorded responses."""

    def __init__(self, cassette_dir: str | Path) -> None:
        self.table = load_interactions(sorted(Path(cassette_dir).rglob("*.json")))
        self._served: dict[tuple[str, str, str], int] = {}

    def _answer(self, request: httpx.Request) -> httpx.Response:
        key = (request.method, str(request.url), _body_key(request.content))
        answers = self.table.get(key)
        recorded = None
        if answers:
            n = self._served.get(key, 0)
            self._served[key] = n + 1
            recorded = answers[min(n, len(answers) - 1)]  # the same request again gets the next answer, then the last
        if recorded is None:
            raise httpx.ConnectError(
                f"offline replay has no recording for {request.method} {request.url.path}; "
                f"set MIXROUTER_API_KEY to run live.",
                request=request,
            )
        body = recorded["body"]["string"]
        content = body.encode("utf-8") if isinstance(body, str) else bytes(body)
        headers = {k: v[0] if isinstance(v, list) else v for k, v in recorded.get("headers", {}).items()}
        headers.pop("content-length", None)
        return httpx.Response(recorded["status"]["code"], headers=headers, content=content, request=request)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        return self._answer(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        return self._answer(request)
