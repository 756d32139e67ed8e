"""Side-by-side benchmark: ChatMixRouter and MixRouterLLM against ChatOpenAI, OpenAILike and raw httpx.

    pip install -e ".[all,bench]" && python bench/run.py            # ~2 minutes; writes bench/results.json

All contenders talk to the same instant local server (``bench/server.py``, its own process), alternating within
each round, so the figures are the *client's* cost:

* CPU per invoke: ``time.process_time`` over sequential calls (median of rounds);
* CPU per streamed chunk: one long stream per round, CPU divided by its chunks;
* wall time for 200 concurrent async calls;
* at scale: 1,000 concurrent slow streams (1 token per 50 ms for 10 s), each client in its own process: wall time,
  client CPU per stream-second and peak RSS (``--scale-only`` runs just this row);
* cold import time in a fresh interpreter (median of 5), and whether a face imports the other framework;
* memory while streaming: ``tracemalloc`` peak for a short and a long stream; the growth per extra chunk beyond the
  text itself shows whether memory stays flat.

Ratios are to ChatOpenAI / OpenAILike and to the raw httpx floor, from the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
BODY = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "1+2+...+100=?"}]}
PROMPT = "1+2+...+100=?"


# -- the contenders ------------------------------------------------------------------------------------------------
class Raw:
    """The floor: httpx posting JSON and reading the answer, SSE lines decoded with json.loads."""

    name = "raw httpx"
    face = "floor"

    def __init__(self, url: str, stream_tokens: int) -> None:
        self.url = url + "/chat/completions"
        self.stream_tokens = stream_tokens
        self.client = httpx.Client()
        self.aclient: httpx.AsyncClient | None = None
        self.headers = {"Authorization": "Bearer bench-key"}

    def invoke(self) -> str:
        r = self.client.post(self.url, json=BODY, headers=self.headers)
        return json.loads(r.content)["choices"][0]["message"]["content"]

    def stream(self, n: int) -> int:
        count = 0
        body = {**BODY, "stream": True, "max_tokens": n}
        with self.client.stream("POST", self.url, json=body, headers=self.headers) as r:
            for line in r.iter_lines():
                if line.startswith("data: ") and line != "data: [DONE]":
                    obj = json.loads(line[6:])
                    if obj["choices"] and obj["choices"][0]["delta"].get("content"):
                        count += 1
        return count

    async def ainvoke(self) -> str:
        if self.aclient is None:
            self.aclient = httpx.AsyncClient(limits=httpx.Limits(max_connections=200, max_keepalive_connections=200))
        r = await self.aclient.post(self.url, json=BODY, headers=self.headers)
        return json.loads(r.content)["choices"][0]["message"]["content"]


class LangChain:
    face = "langchain"

    def __init__(self, name: str, factory: Callable) -> None:
        self.name = name
        self.factory = factory
        self.llm = factory(None)
        self.streamers: dict[int, object] = {}

    def invoke(self) -> str:
        return self.llm.invoke(PROMPT).content

    def stream(self, n: int) -> int:
        llm = self.streamers.setdefault(n, self.factory(n))
        return sum(1 for c in llm.stream(PROMPT) if c.content)

    async def ainvoke(self) -> str:
        return (await self.llm.ainvoke(PROMPT)).content


class LlamaIndex:
    face = "llama-index"

    def __init__(self, name: str, factory: Callable) -> None:
        from llama_index.core.llms import ChatMessage

        self.name = name
        self.factory = factory
        self.llm = factory(None)
        self.messages = [ChatMessage(role="user", content=PROMPT)]
        self.streamers: dict[int, object] = {}

    def invoke(self) -> str:
        return self.llm.chat(self.messages).message.content

    def stream(self, n: int) -> int:
        llm = self.streamers.setdefault(n, self.factory(n))
        return sum(1 for r in llm.stream_chat(self.messages) if r.delta)

    async def ainvoke(self) -> str:
        return (await self.llm.achat(self.messages)).message.content


class LangChainFloor(LangChain):
    """LangChain's own cost: a chat model that does no I/O, answering with a ready message or yielding fresh
    one-token chunks. Every LangChain integration pays at least this."""

    def __init__(self) -> None:
        from langchain_core.language_models.chat_models import BaseChatModel
        from langchain_core.messages import AIMessage, AIMessageChunk
        from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

        class FloorChatModel(BaseChatModel):
            chunks: int = 50

            @property
            def _llm_type(self) -> str:
                return "floor"

            def _generate(self, messages, stop=None, run_manager=None, **kwargs):
                return ChatResult(generations=[ChatGeneration(message=AIMessage("The sum 1+2+...+100 is 5050."))])

            def _stream(self, messages, stop=None, run_manager=None, **kwargs):
                for i in range(self.chunks):
                    yield ChatGenerationChunk(message=AIMessageChunk(content=f"tok{i % 10} "))

            async def _agenerate(self, messages, stop=None, run_manager=None, **kwargs):
                return self._generate(messages)

        super().__init__("LangChain floor", lambda n: FloorChatModel(chunks=n or 50))


class Core:
    """The framework-free ``mixrouter`` client (what both faces stand on)."""

    name = "mixrouter core"
    face = "core"

    def __init__(self, url: str) -> None:
        from mixrouter import AsyncMixRouterClient, MixRouterClient

        self.client = MixRouterClient(api_key="bench-key", base_url=url)
        self.aclient = AsyncMixRouterClient(api_key="bench-key", base_url=url)
        self.messages = [{"role": "user", "content": PROMPT}]

    def invoke(self) -> str:
        return self.client.chat("gpt-4o-mini", self.messages).text

    def stream(self, n: int) -> int:
        with self.client.chat_stream("gpt-4o-mini", self.messages, max_tokens=n) as stream:
            return sum(1 for d in stream if d.text)

    async def ainvoke(self) -> str:
        return (await self.aclient.chat("gpt-4o-mini", self.messages)).text


def contenders(url: str, stream_tokens: int) -> list:
    from langchain_openai import ChatOpenAI
    from llama_index.llms.openai_like import OpenAILike

    from langchain_mixrouter import ChatMixRouter
    from llama_index_mixrouter import MixRouterLLM

    key = "bench-key"
    return [
        Raw(url, stream_tokens),
        Core(url),
        LangChainFloor(),
        LangChain(
            "ChatOpenAI",
            lambda n: ChatOpenAI(model="gpt-4o-mini", base_url=url, api_key=key, max_tokens=n, stream_usage=True),
        ),
        LangChain(
            "ChatMixRouter", lambda n: ChatMixRouter(model="gpt-4o-mini", base_url=url, api_key=key, max_tokens=n)
        ),
        LlamaIndex(
            "OpenAILike",
            lambda n: OpenAILike(
                model="gpt-4o-mini",
                api_base=url,
                api_key=key,
                is_chat_model=True,
                is_function_calling_model=True,
                context_window=128_000,
                max_tokens=n,
            ),
        ),
        LlamaIndex(
            "MixRouterLLM", lambda n: MixRouterLLM(model="gpt-4o-mini", api_base=url, api_key=key, max_tokens=n)
        ),
    ]


# -- measurements --------------------------------------------------------------------------------------------------
def _cpu(fn: Callable[[], object], repeat: int) -> float:
    gc.collect()
    start = time.process_time()
    for _ in range(repeat):
        fn()
    return (time.process_time() - start) / repeat


def measure_invoke(cs: list, rounds: int, calls: int) -> dict[str, float]:
    samples: dict[str, list[float]] = {c.name: [] for c in cs}
    for r in range(rounds):
        for c in cs[r % len(cs) :] + cs[: r % len(cs)]:  # alternate who goes first
            samples[c.name].append(_cpu(c.invoke, calls))
    return {name: statistics.median(v) for name, v in samples.items()}


def measure_stream(cs: list, rounds: int, chunks: int) -> dict[str, float]:
    samples: dict[str, list[float]] = {c.name: [] for c in cs}
    for r in range(rounds):
        for c in cs[r % len(cs) :] + cs[: r % len(cs)]:
            gc.collect()
            start = time.process_time()
            got = c.stream(chunks)
            spent = time.process_time() - start
            if got != chunks:
                raise RuntimeError(f"{c.name} streamed {got} content chunks, expected {chunks}")
            samples[c.name].append(spent / chunks)
    return {name: statistics.median(v) for name, v in samples.items()}


def measure_concurrency(cs: list, rounds: int, concurrent: int) -> dict[str, float]:
    async def main() -> dict[str, float]:
        samples: dict[str, list[float]] = {c.name: [] for c in cs}
        for c in cs:  # warm the pools on this loop
            await asyncio.gather(*(c.ainvoke() for _ in range(concurrent)))
        for r in range(rounds):
            for c in cs[r % len(cs) :] + cs[: r % len(cs)]:
                start = time.perf_counter()
                answers = await asyncio.gather(*(c.ainvoke() for _ in range(concurrent)))
                samples[c.name].append(time.perf_counter() - start)
                assert len(answers) == concurrent and all(answers)
        return {name: statistics.median(v) for name, v in samples.items()}

    return asyncio.run(main())


def measure_memory(cs: list, short: int, long: int) -> dict[str, dict[str, float]]:
    text_per_chunk = len("tok0 ")
    out = {}
    for c in cs:
        peaks = {}
        for n in (short, long):
            c.stream(n)  # warm: construct the streaming model outside the measurement
            gc.collect()
            tracemalloc.start()
            c.stream(n)
            peaks[n] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        per_chunk = (peaks[long] - peaks[short]) / (long - short)
        out[c.name] = {
            "peak_short_kib": peaks[short] / 1024,
            "peak_long_kib": peaks[long] / 1024,
            "bytes_per_extra_chunk_beyond_text": per_chunk - text_per_chunk,
        }
    return out


IMPORTS = {  # label -> statement, timed in a fresh interpreter
    "langchain_mixrouter": "import langchain_mixrouter",
    "langchain_openai": "import langchain_openai",
    "llama_index_mixrouter": "import llama_index_mixrouter",
    "llama_index.llms.openai_like": "import llama_index.llms.openai_like",
    "ChatMixRouter (class)": "from langchain_mixrouter import *",
    "ChatOpenAI (class)": "from langchain_openai import ChatOpenAI",
    "MixRouterLLM (class)": "from llama_index_mixrouter import *",
    "OpenAILike (class)": "from llama_index.llms.openai_like import OpenAILike",
    "langchain_core chat model (floor)": "import langchain_core.language_models.chat_models",
    "llama_index.core LLM (floor)": "import llama_index.core.llms.function_calling",
    "mixrouter (core)": "import mixrouter",
}
_IMPORT_PROBE = (
    "import sys, time, json; t = time.perf_counter(); {stmt}; dt = time.perf_counter() - t; "
    "print(json.dumps([dt, 'llama_index.core' in sys.modules, 'langchain_core' in sys.modules]))"
)


def measure_imports(repeat: int) -> dict[str, dict[str, object]]:
    out = {}
    for label, stmt in IMPORTS.items():
        times, llama, lang = [], False, False
        for _ in range(repeat):
            res = subprocess.run(
                [sys.executable, "-c", _IMPORT_PROBE.format(stmt=stmt)], capture_output=True, text=True, check=True
            )
            dt, llama, lang = json.loads(res.stdout)
            times.append(dt)
        out[label] = {"seconds": statistics.median(times), "imports_llama_index": llama, "imports_langchain": lang}
    return out


# -- scale: many concurrent slow streams, each client in its own process ----------------------------------------------
SCALE_CONTENDERS = ["ChatMixRouter", "ChatOpenAI", "MixRouterLLM", "OpenAILike", "mixrouter core"]


def _scale_streamer(name: str, url: str, tokens: int) -> Callable[[], object]:
    """An async function that reads one whole stream of ``tokens`` content chunks with contender ``name``."""
    key = "bench-key"
    if name == "mixrouter core":
        from mixrouter import AsyncMixRouterClient

        client = AsyncMixRouterClient(api_key=key, base_url=url)
        messages = [{"role": "user", "content": PROMPT}]

        async def core() -> int:
            return sum([1 async for d in client.chat_stream("gpt-4o-mini", messages, max_tokens=tokens) if d.text])

        return core
    if name in ("ChatMixRouter", "ChatOpenAI"):
        if name == "ChatOpenAI":
            from langchain_openai import ChatOpenAI

            llm = ChatOpenAI(model="gpt-4o-mini", base_url=url, api_key=key, max_tokens=tokens, stream_usage=True)
        else:
            from langchain_mixrouter import ChatMixRouter

            llm = ChatMixRouter(model="gpt-4o-mini", base_url=url, api_key=key, max_tokens=tokens)

        async def langchain() -> int:
            return sum([1 async for c in llm.astream(PROMPT) if c.content])

        return langchain
    from llama_index.core.llms import ChatMessage

    if name == "OpenAILike":
        from llama_index.llms.openai_like import OpenAILike

        li = OpenAILike(
            model="gpt-4o-mini",
            api_base=url,
            api_key=key,
            is_chat_model=True,
            context_window=128_000,
            max_tokens=tokens,
        )
    else:
        from llama_index_mixrouter import MixRouterLLM

        li = MixRouterLLM(model="gpt-4o-mini", api_base=url, api_key=key, max_tokens=tokens)
    msgs = [ChatMessage(role="user", content=PROMPT)]

    async def llama() -> int:
        return sum([1 async for r in await li.astream_chat(msgs) if r.delta])

    return llama


def scale_worker(name: str, url: str, streams: int, tokens: int) -> dict[str, float]:
    """In a fresh process: ``streams`` concurrent streams at once; wall time, CPU per stream-second, peak RSS."""
    import resource

    streamer = _scale_streamer(name, url, tokens)

    async def main() -> tuple[float, float, list[int]]:
        await streamer()  # warm-up: imports, first connection
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        cpu0, t0 = time.process_time(), time.perf_counter()
        durations: list[float] = []

        async def one() -> int:
            start = time.perf_counter()
            got = await streamer()
            durations.append(time.perf_counter() - start)
            return got

        counts = await asyncio.gather(*(one() for _ in range(streams)), return_exceptions=True)
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        ok = [c for c in counts if c == tokens]
        return wall, cpu, [len(ok), sum(durations), rss0]

    wall, cpu, (ok, stream_seconds, rss0) = asyncio.run(main())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "streams_completed": ok,
        "wall_s": wall,
        "cpu_s": cpu,
        "stream_seconds_measured": stream_seconds,
        "peak_rss_mib": peak / 1024,
        "rss_added_mib": (peak - rss0) / 1024,
    }


def measure_scale(
    url: str, streams: int, tokens: int, interval_ms: int, names: list[str] | None = None
) -> dict[str, dict[str, float]]:
    """Each contender in its own process (peak RSS is per process), one after the other, against the same server."""
    slow = url.replace("/v1", f"/slow/{interval_ms}/v1")
    out = {}
    for name in names or SCALE_CONTENDERS:
        args = [sys.executable, str(Path(__file__).resolve()), "--scale-worker", name, slow, str(streams), str(tokens)]
        res = subprocess.run(args, capture_output=True, text=True, check=False)
        if res.returncode != 0:
            raise RuntimeError(f"scale worker {name} failed: {res.stderr[-2000:]}")
        figures = json.loads(res.stdout.strip().splitlines()[-1])
        # per *nominal* stream-second (streams x tokens x interval): the same work for every client, however much
        # a saturated machine stretched each one's streams
        figures["cpu_ms_per_stream_second"] = figures["cpu_s"] * 1e3 / (streams * tokens * interval_ms / 1000)
        out[name] = figures
    return out


def print_scale(scale: dict, settings: dict) -> None:
    streams, tokens, interval = settings["streams"], settings["tokens"], settings["interval_ms"]
    print(f"\n{streams} concurrent streams, 1 token per {interval} ms for {tokens * interval / 1000:.0f} s:\n")
    print("| client | completed | wall (s) | client CPU per stream-second (ms) | peak RSS (MiB) | RSS added (MiB) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, f in scale.items():
        print(
            f"| {name} | {f['streams_completed']} | {f['wall_s']:.2f} | {f['cpu_ms_per_stream_second']:.2f} |"
            f" {f['peak_rss_mib']:.0f} | {f['rss_added_mib']:.0f} |"
        )


# -- running -------------------------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server() -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, str(HERE / "server.py"), str(port)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc, f"http://127.0.0.1:{port}/v1"


def ratios(figures: dict[str, float], pairs: dict[str, str], floor: str = "raw httpx") -> dict[str, dict[str, float]]:
    out = {}
    for ours, anchor in pairs.items():
        out[ours] = {f"vs {anchor}": figures[ours] / figures[anchor], "vs floor": figures[ours] / figures[floor]}
        out[anchor] = {"vs floor": figures[anchor] / figures[floor]}
    return out


TARGETS = [  # (figure, ours, anchor, maximum ratio)
    ("invoke_cpu_s", "ChatMixRouter", "ChatOpenAI", 0.5),
    ("stream_cpu_per_chunk_s", "ChatMixRouter", "ChatOpenAI", 0.25),
    ("concurrent_wall_s", "ChatMixRouter", "ChatOpenAI", 0.8),
    ("invoke_cpu_s", "MixRouterLLM", "OpenAILike", 0.5),
    ("stream_cpu_per_chunk_s", "MixRouterLLM", "OpenAILike", 0.25),
]
IMPORT_TARGETS = [
    ("langchain_mixrouter", "langchain_openai", 0.3),
    ("llama_index_mixrouter", "llama_index.llms.openai_like", 0.8),
]


def check_targets(result: dict) -> list[dict[str, object]]:
    checks = []
    for figure, ours, anchor, limit in TARGETS:
        ratio = result[figure][ours] / result[figure][anchor]
        checks.append({"target": f"{figure}: {ours} <= {limit}x {anchor}", "ratio": ratio, "met": ratio <= limit})
    imports = result["import"]
    for ours, anchor, limit in IMPORT_TARGETS:
        ratio = imports[ours]["seconds"] / imports[anchor]["seconds"]
        checks.append({"target": f"import {ours} <= {limit}x {anchor}", "ratio": ratio, "met": ratio <= limit})
    isolated = (
        not imports["ChatMixRouter (class)"]["imports_llama_index"]
        and not imports["MixRouterLLM (class)"]["imports_langchain"]
    )
    checks.append({"target": "neither face imports the other framework", "ratio": None, "met": isolated})
    memory = {name: m["bytes_per_extra_chunk_beyond_text"] for name, m in result["memory"].items()}
    for name in ("mixrouter core", "MixRouterLLM"):
        flat = {"target": f"{name}: streaming memory flat beyond the text (< 64 B/chunk)", "ratio": memory[name]}
        checks.append({**flat, "met": memory[name] < 64})
    # LangChain's BaseChatModel.stream keeps every chunk until the end (for on_llm_end): that growth is the
    # framework's, measured by the floor model. ChatMixRouter must add nothing that grows on top of it.
    extra = memory["ChatMixRouter"] - memory["LangChain floor"]
    target = "ChatMixRouter: streaming memory adds < 64 B/chunk to LangChain's own (which keeps every chunk)"
    checks.append({"target": target, "ratio": extra, "met": extra < 64})
    return checks


def print_table(result: dict) -> None:
    """The figures as Markdown tables (what the README carries), then the targets."""
    print(f"\n{result['date']}, {result['machine']}\n")
    print(
        "| client | invoke CPU (µs) | stream CPU/chunk (µs) | 200 concurrent ainvoke (ms) | stream memory (B/chunk) |"
    )
    print("|---|---:|---:|---:|---:|")
    for name in result["invoke_cpu_s"]:
        mem = result["memory"][name]["bytes_per_extra_chunk_beyond_text"]
        print(
            f"| {name} | {result['invoke_cpu_s'][name] * 1e6:.0f} | {result['stream_cpu_per_chunk_s'][name] * 1e6:.1f}"
            f" | {result['concurrent_wall_s'][name] * 1e3:.0f} | {mem:.0f} |"
        )
    print("\n| import (fresh interpreter) | ms |\n|---|---:|")
    for label, fig in result["import"].items():
        print(f"| `{IMPORTS[label]}` | {fig['seconds'] * 1e3:.0f} |")
    print("\n| target | ratio | met |\n|---|---:|---|")
    for check in result["targets"]:
        ratio = "" if check["ratio"] is None else f"{check['ratio']:.2f}"
        print(f"| {check['target']} | {ratio} | {'yes' if check['met'] else '**no**'} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=60, help="sequential invokes per round per contender")
    parser.add_argument("--chunks", type=int, default=3000, help="chunks in the streamed answer")
    parser.add_argument("--concurrent", type=int, default=200)
    parser.add_argument("--out", default=str(HERE / "results.json"))
    parser.add_argument("--scale-streams", type=int, default=1000, help="concurrent slow streams (0: skip the row)")
    parser.add_argument("--scale-tokens", type=int, default=200, help="tokens per slow stream")
    parser.add_argument("--scale-interval-ms", type=int, default=50, help="ms between a slow stream's tokens")
    parser.add_argument("--scale-only", action="store_true", help="only the scale row (merged into --out)")
    parser.add_argument("--scale-worker", nargs=4, metavar=("NAME", "URL", "STREAMS", "TOKENS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.scale_worker:
        name, url, streams, tokens = args.scale_worker
        print(json.dumps(scale_worker(name, url, int(streams), int(tokens))))
        return 0
    scale_settings = {"streams": args.scale_streams, "tokens": args.scale_tokens, "interval_ms": args.scale_interval_ms}
    if args.scale_only:
        proc, url = start_server()
        try:
            scale = measure_scale(url, args.scale_streams, args.scale_tokens, args.scale_interval_ms)
        finally:
            proc.terminate()
            proc.wait()
        out = Path(args.out)
        result = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
        result["scale"] = {"settings": scale_settings, "figures": scale}
        out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print_scale(scale, scale_settings)
        return 0
    proc, url = start_server()
    try:
        cs = contenders(url, args.chunks)
        for c in cs:  # warm-up: connections, lazy imports, first-call caches
            c.invoke()
            c.stream(10)
        result: dict = {
            "date": date.today().isoformat(),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}",
            "settings": vars(args),
        }
        result["invoke_cpu_s"] = measure_invoke(cs, args.rounds, args.calls)
        result["stream_cpu_per_chunk_s"] = measure_stream(cs, args.rounds, args.chunks)
        result["concurrent_wall_s"] = measure_concurrency(cs, args.rounds, args.concurrent)
        result["memory"] = measure_memory(cs, 1000, 10_000)
        result["import"] = measure_imports(5)
        if args.scale_streams:
            figures = measure_scale(url, args.scale_streams, args.scale_tokens, args.scale_interval_ms)
            result["scale"] = {"settings": scale_settings, "figures": figures}
    finally:
        proc.terminate()
        proc.wait()
    pairs = {"ChatMixRouter": "ChatOpenAI", "MixRouterLLM": "OpenAILike"}
    result["ratios"] = {
        key: ratios(result[key], pairs) for key in ("invoke_cpu_s", "stream_cpu_per_chunk_s", "concurrent_wall_s")
    }
    result["targets"] = check_targets(result)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print_table(result)
    if "scale" in result:
        print_scale(result["scale"]["figures"], result["scale"]["settings"])
    print(f"\nwrote {args.out}")
    return 0 if all(c["met"] for c in result["targets"]) else 1


if __name__ == "__main__":
    sys.exit(main())
