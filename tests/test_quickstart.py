"""Offline replay: requests that were never recorded fail clearly (the quickstart itself: tests/test_examples.py)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from mixrouter import APIConnectionError, MixRouterClient
from mixrouter.replay import ReplayTransport

ROOT = Path(__file__).resolve().parent.parent


def test_replay_refuses_unrecorded_requests_clearly():
    replay = ReplayTransport(ROOT / "cassettes" / "test_documented_replay")
    client = MixRouterClient(api_key="offline-key-123", http_client=httpx.Client(transport=replay), max_retries=0)
    with pytest.raises(APIConnectionError, match="no recording"):
        client.chat("gpt-4o-mini", [{"role": "user", "content": "never recorded"}])
