"""bench/ keeps working: its server streams what it promises and every one of our contenders reads it whole.

No timing is asserted here (figures live in bench/, not in tests); only that the benchmark measures real answers.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "mixrouter_bench", Path(__file__).resolve().parent.parent / "bench/run.py"
)
bench = importlib.util.module_from_spec(_spec)
sys.modules["mixrouter_bench"] = bench
_spec.loader.exec_module(bench)


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # a parent package is missing
        return False


@pytest.fixture(scope="module")
def server_url():
    proc, url = bench.start_server()
    yield url
    proc.terminate()
    proc.wait()


def test_each_of_our_contenders_reads_the_whole_stream_and_answer(server_url, monkeypatch):
    from langchain_mixrouter import ChatMixRouter
    from llama_index_mixrouter import MixRouterLLM

    monkeypatch.setenv("MIXROUTER_API_KEY", "bench-key")
    contenders = [
        bench.Raw(server_url, 30),
        bench.Core(server_url),
        bench.LangChainFloor(),
        bench.LangChain(
            "ChatMixRouter", lambda n: ChatMixRouter(model="gpt-4o-mini", base_url=server_url, max_tokens=n)
        ),
        bench.LlamaIndex(
            "MixRouterLLM", lambda n: MixRouterLLM(model="gpt-4o-mini", api_base=server_url, max_tokens=n)
        ),
    ]
    for c in contenders:
        assert "5050" in c.invoke()
    per_chunk = bench.measure_stream(contenders, rounds=1, chunks=30)  # raises unless every chunk arrived
    assert set(per_chunk) == {c.name for c in contenders} and all(v > 0 for v in per_chunk.values())
    walls = bench.measure_concurrency(contenders, rounds=1, concurrent=5)
    assert all(v > 0 for v in walls.values())


def test_targets_are_judged_from_the_figures():
    figures = {"ChatMixRouter": 1.0, "ChatOpenAI": 4.0, "MixRouterLLM": 1.0, "OpenAILike": 1.5}
    result = {key: figures for key in ("invoke_cpu_s", "stream_cpu_per_chunk_s", "concurrent_wall_s")}
    fast = {"seconds": 0.1, "imports_llama_index": False, "imports_langchain": False}
    result["import"] = {label: fast for label in bench.IMPORTS}
    memory = {"bytes_per_extra_chunk_beyond_text": 0.0}
    result["memory"] = {n: memory for n in ("mixrouter core", "MixRouterLLM", "ChatMixRouter", "LangChain floor")}
    checks = {c["target"]: c["met"] for c in bench.check_targets(result)}
    assert checks["invoke_cpu_s: ChatMixRouter <= 0.5x ChatOpenAI"] is True
    assert checks["invoke_cpu_s: MixRouterLLM <= 0.5x OpenAILike"] is False  # 1.0 / 1.5 = 0.67
    assert checks["import langchain_mixrouter <= 0.3x langchain_openai"] is False  # equal times: 1.0x


def test_the_scale_row_reads_every_slow_stream_with_each_client(server_url):
    """A tiny scale row (5 streams of 3 tokens, 10 ms apart): every contender's worker process completes all its
    streams and reports its figures (their values are bench/'s business, not asserted). The anchors run where the
    bench extra installed them (``pip install -e ".[bench]"``); the dev install has only ours."""
    anchors = {"ChatOpenAI": "langchain_openai", "OpenAILike": "llama_index.llms.openai_like"}
    names = [n for n in bench.SCALE_CONTENDERS if n not in anchors or _installed(anchors[n])]
    assert {"ChatMixRouter", "MixRouterLLM", "mixrouter core"} <= set(names)
    scale = bench.measure_scale(server_url, streams=5, tokens=3, interval_ms=10, names=names)
    assert set(scale) == set(names)
    for figures in scale.values():
        assert figures["streams_completed"] == 5
        assert figures["wall_s"] > 0 and figures["peak_rss_mib"] > 0 and figures["cpu_ms_per_stream_second"] >= 0
