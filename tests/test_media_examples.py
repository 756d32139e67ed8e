"""examples/picture_agent.py runs (recorded here into cassettes/test_examples, which its offline mode replays), on
its own offline, and as the quickstart's picture step."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CASSETTES
from tests.stub import media

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(CASSETTES / "test_examples")  # where examples/_offline.py replays from


@pytest.fixture(scope="module")
def example():
    sys.path.insert(0, str(EXAMPLES))
    yield lambda name: importlib.import_module(name)
    sys.path.remove(str(EXAMPLES))


@pytest.mark.vcr
def test_picture_agent(example, tmp_path, capsys):
    image, audio = example("picture_agent").main(str(tmp_path))
    assert image.suffix == ".png" and image.read_bytes() == media.PNG_1X1
    assert audio.suffix == ".wav" and audio.read_bytes() == media.WAV_BYTES
    out = capsys.readouterr().out
    assert "generate_image: image image/png, 70 bytes" in out and "speak: audio audio/wav, 44 bytes" in out


def _offline(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MIXROUTER_")}
    env["PYTHONPATH"] = str(ROOT)  # this checkout's packages, whatever the working directory
    return subprocess.run([sys.executable, *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)


def test_picture_agent_runs_offline_on_its_own(tmp_path):
    out = _offline([str(EXAMPLES / "picture_agent.py"), str(tmp_path)], tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.startswith("offline: no MIXROUTER_API_KEY set")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["caption.wav", "picture.png"]
