"""How every example connects: live with ``MIXROUTER_API_KEY``, otherwise replaying the recorded cassettes.

The cassettes in ``cassettes/test_examples/`` were recorded by ``tests/test_examples.py`` running these very scripts
(against the local stub, see ``cassettes/README.md``), so an offline run sends the same requests and gets the
recorded answers, with no network. Nothing here is needed in your own code: without a key the classes read
``MIXROUTER_API_KEY`` and call MixRouter directly.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx

from mixrouter import DEFAULT_BASE_URL
from mixrouter.replay import ReplayTransport

CASSETTES = Path(__file__).resolve().parent.parent / "cassettes" / "test_examples"
OFFLINE_KEY = "offline-replay-key"
_replay: ReplayTransport | None = None


def live() -> bool:
    return bool(os.environ.get("MIXROUTER_API_KEY"))


def banner() -> None:
    if live():
        print("live: calling MixRouter with your MIXROUTER_API_KEY")
    else:
        print("offline: no MIXROUTER_API_KEY set, replaying recorded answers (set the key to run live)")


def _transport() -> ReplayTransport:
    global _replay
    if _replay is None:
        _replay = ReplayTransport(CASSETTES)
    return _replay


def langchain_kwargs() -> dict[str, Any]:
    """Connection arguments for ChatMixRouter, MixRouterEmbeddings and the LangChain video tools."""
    if live():
        return {}
    t = _transport()
    return {
        "api_key": OFFLINE_KEY,
        "base_url": DEFAULT_BASE_URL,
        "http_client": httpx.Client(transport=t),
        "http_async_client": httpx.AsyncClient(transport=t),
    }


def llama_kwargs() -> dict[str, Any]:
    """Connection arguments for MixRouterLLM, MixRouterEmbedding and MixRouterVideoTool (LlamaIndex names)."""
    if live():
        return {}
    t = _transport()
    return {
        "api_key": OFFLINE_KEY,
        "api_base": DEFAULT_BASE_URL,
        "http_client": httpx.Client(transport=t),
        "async_http_client": httpx.AsyncClient(transport=t),
    }
