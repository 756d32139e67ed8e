"""Replay recorded cassettes without the network: the offline mode of the quickstart and the CLI.

Reads the JSON cassettes vcrpy writes (``cassettes/**/*.json``; in an installed wheel they are the package data
``mixrouter/_cassettes/``, see ``bundled_cassettes``) with the standard library only and answers each
request with the recorded response whose method, URL and JSON body match (repeats of a request, such as the polls
of a video task, get the recorded answers in order). A request that was never recorded gets
a clear error instead of a network call.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:  # importlib.resources.abc is 3.11+; on 3.10 the same protocol lives in importlib.abc
    from importlib.resources.abc import Traversable

__all__ = ["ReplayTransport", "bundled_cassettes", "cassette_files", "load_interactions"]


def bundled_cassettes() -> Traversable | None:
    """The cassettes shipped in the wheel (``mixrouter/_cassettes``, found with ``importlib.resources``), else the
    ``cassettes/`` folder of a source checkout; ``None`` when neither is there."""
    packaged = files("mixrouter").joinpath("_cassettes")
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / "cassettes"
    return checkout if checkout.is_dir() else None


def cassette_files(root: str | os.PathLike[str] | Traversable) -> list[Traversable]:
    """Every ``*.json`` cassette under ``root`` (a folder or an ``importlib.resources`` traversable), sorted by
    their path below it so recordings load in the same order wherever they are installed."""
    if isinstance(root, (str, os.PathLike)):
        return sorted(Path(root).rglob("*.json"))  # type: ignore[arg-type]
    found: list[tuple[str, Traversable]] = []

    def walk(node: Traversable, prefix: str) -> None:
        for child in node.iterdir():
            if child.is_dir():
                walk(child, f"{prefix}{child.name}/")
            elif child.name.endswith(".json"):
                found.append((prefix + child.name, child))

    walk(root, "")
    return [item for _, item in sorted(found, key=lambda pair: pair[0])]


def _body_key(body: Any) -> str:
    if body in (None, b"", ""):
        return ""
    text = body.decode("utf-8") if isinstance(body, bytes) else str(body)
    try:
        return json.dumps(json.loads(text), sort_keys=True, ensure_ascii=False)
    except ValueError:
        return text


def load_interactions(
    paths: Iterable[str | os.PathLike[str] | Traversable],
) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
    """Recorded responses per (method, URL, body), in recording order (a polled task answers differently each time)."""
    table: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for path in paths:
        source = Path(path) if isinstance(path, (str, os.PathLike)) else path
        data = json.loads(source.read_text(encoding="utf-8"))
        for item in data.get("interactions", []):
            req = item["request"]
            key = (req["method"].upper(), req["uri"], _body_key(req.get("body")))
            table.setdefault(key, []).append(item["response"])
    return table


class ReplayTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """An httpx transport (sync and async) that serves recorded responses."""

    def __init__(self, cassette_dir: str | os.PathLike[str] | Traversable) -> None:
        self.table = load_interactions(cassette_files(cassette_dir))
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
