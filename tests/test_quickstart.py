"""The README's first command must keep working: the quickstart runs offline from the bundled cassettes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from mixrouter import APIConnectionError, MixRouterClient
from mixrouter.replay import ReplayTransport

ROOT = Path(__file__).resolve().parent.parent


def test_quickstart_runs_offline_without_a_key():
    env = {k: v for k, v in os.environ.items() if not k.startswith("MIXROUTER_")}
    out = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "quickstart.py")],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("offline: no MIXROUTER_API_KEY set")
    assert "5050" in out.stdout  # the chat answer
    assert "[thinking] The user asks" in out.stdout and "[answer] The sum is 5050." in out.stdout
    assert "model asks for get_weather({'city': 'Paris'})" in out.stdout
    assert "It is 18°C and sunny in Paris." in out.stdout


def test_replay_refuses_unrecorded_requests_clearly():
    replay = ReplayTransport(ROOT / "cassettes" / "test_documented_replay")
    client = MixRouterClient(api_key="offline-key-123", http_client=httpx.Client(transport=replay), max_retries=0)
    with pytest.raises(APIConnectionError, match="no recording"):
        client.chat("gpt-4o-mini", [{"role": "user", "content": "never recorded"}])
