"""Every script in examples/ runs (recorded here into cassettes/test_examples, which their offline mode replays),
and the quickstart walks through all of it offline with no key, in a fresh interpreter."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def example():
    sys.path.insert(0, str(EXAMPLES))
    yield lambda name: importlib.import_module(name)
    sys.path.remove(str(EXAMPLES))


@pytest.mark.vcr
def test_chain(example, capsys):
    assert "5050" in example("chain").main()


@pytest.mark.vcr
def test_streaming_thinking(example):
    reasoning, answer = example("streaming_thinking").main("1+2+3+...+100=?")
    assert reasoning.startswith("The user asks") and answer == "The sum is 5050."


@pytest.mark.vcr
def test_tool_agent(example, capsys):
    assert example("tool_agent").main() == "It is 18°C and sunny in Paris."
    assert "calls get_weather({'city': 'Paris'})" in capsys.readouterr().out


@pytest.mark.vcr
def test_structured_output(example):
    report = example("structured_output").main()
    assert report.city == "Paris" and report.temp_c == 18


@pytest.mark.vcr
def test_embeddings(example):
    assert example("embeddings").main()[0].startswith("The Eiffel Tower")


@pytest.mark.vcr
@pytest.mark.filterwarnings("ignore::DeprecationWarning:inspect")
def test_llamaindex_query_engine(example):
    assert example("llamaindex_query_engine").main() == "The Eiffel Tower in Paris is 330 metres tall."


@pytest.mark.vcr
@pytest.mark.filterwarnings("ignore::DeprecationWarning:inspect")
def test_llamaindex_video_agent(example):
    answer = example("llamaindex_video_agent").main(poll_interval=0.05)
    assert "/v1/videos/video_" in answer and answer.rstrip().endswith("/content")  # the URL the tool returned


def test_quickstart_walks_through_everything_offline_without_a_key():
    env = {k: v for k, v in os.environ.items() if not k.startswith("MIXROUTER_")}
    started = time.monotonic()
    out = subprocess.run(
        [sys.executable, str(EXAMPLES / "quickstart.py")], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert time.monotonic() - started < 30
    text = out.stdout
    assert text.splitlines()[0].startswith("offline: no MIXROUTER_API_KEY set")
    sections = [
        "1. A LangChain chain",
        "2. The same question streamed",
        "3. A LlamaIndex query engine",
        "4. A LlamaIndex agent",
    ]
    assert [text.index(s) for s in sections] == sorted(text.index(s) for s in sections)
    assert "5050" in text and "[thinking] The user asks" in text and "[answer] The sum is 5050." in text
    assert "A: The Eiffel Tower in Paris is 330 metres tall." in text
    assert "https://api.mixrouter.com/v1/videos/" in text.split("4. A LlamaIndex agent")[1]


@pytest.mark.parametrize(
    "script",
    [
        "chain",
        "streaming_thinking",
        "tool_agent",
        "structured_output",
        "embeddings",
        "llamaindex_query_engine",
        "llamaindex_video_agent",
    ],
)
def test_each_example_runs_offline_on_its_own(script):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MIXROUTER_")}
    out = subprocess.run(
        [sys.executable, str(EXAMPLES / f"{script}.py")], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.startswith("offline: no MIXROUTER_API_KEY set") and len(out.stdout.splitlines()) > 1
