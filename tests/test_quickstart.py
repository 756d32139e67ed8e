"""Offline replay: requests that were never recorded fail clearly (the quickstart itself: tests/test_examples.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
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


@pytest.fixture(scope="module")
def quickstart_output() -> str:
    """The quickstart's output, run once offline (no MIXROUTER_* variables: it replays the bundled cassettes)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MIXROUTER_")}
    out = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "quickstart.py")],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout


def test_the_quickstart_ends_with_a_picture_read_aloud_offline(quickstart_output):
    step = quickstart_output.split("5. A LangChain agent making a picture and reading it aloud")[1]
    assert "generate_image: image image/png, 70 bytes" in step and "speak: audio audio/wav, 44 bytes" in step


def test_the_quickstart_never_shows_half_a_json_string(quickstart_output):
    """Issue 17: the agents' last lines repeated the tool's JSON cut mid-string (``"mime_type": "a.``)."""
    echoed = [line for line in quickstart_output.splitlines() if line.startswith("The tool returned ")]
    assert len(echoed) == 2  # the video agent's answer and the picture agent's last line
    for line in echoed:
        said = line.removeprefix("The tool returned ").split(". Link: ")[0]
        assert said.count('"') % 2 == 0, line  # no string left open
        if said.startswith(("{", "[")):
            json.loads(said.removesuffix("."))  # JSON shown is the whole value
