"""Transport at scale: nothing leaks across 1,000 ``asyncio.run`` calls (file descriptors and pool entries are
counted), 1,000 concurrent calls from one process all succeed, and waiting for a pooled connection counts against
the call's own timeout rather than a separate, shorter limit.

No timing is asserted: each test checks what the server saw (how many requests it held at once) and what the
client got back.
"""

from __future__ import annotations

import asyncio
import os
import threading

import pytest
from llama_index.core.base.llms.types import ChatMessage

from langchain_mixrouter import ChatMixRouter, MixRouterEmbeddings
from llama_index_mixrouter import MixRouterEmbedding, MixRouterLLM
from mixrouter import APITimeoutError, AsyncMixRouterClient, MixRouterClient, Timeouts
from mixrouter._pool import DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_KEEPALIVE, async_pool_size, limits
from tests.slow_server import SlowServer

MSGS = [{"role": "user", "content": "hi"}]
KEY = "test-key-scale-123"


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_default_pool_is_at_least_openai_pythons():
    lim = limits(None)
    assert (DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_KEEPALIVE) == (1000, 100)
    assert lim.max_connections == 1000 and lim.max_keepalive_connections == 100
    assert limits(10).max_connections == 10 and limits(10).max_keepalive_connections == 10
    # the pool wait is the call's own timeout unless set
    assert Timeouts().pool is None and Timeouts().pool_wait == Timeouts().read == 600
    assert Timeouts.coerce(30).pool_wait == 30


def test_max_connections_is_a_setting_of_the_core_and_both_faces():
    assert MixRouterClient(api_key=KEY, max_connections=7).transport.client._transport._pool._max_connections == 7
    lc = ChatMixRouter(model="gpt-4o-mini", api_key=KEY, max_connections=8)
    li = MixRouterLLM(model="gpt-4o-mini", api_key=KEY, max_connections=9)
    assert lc._client.transport.max_connections == 8 and lc._aclient.transport.max_connections == 8
    assert li._client.transport.max_connections == 9 and li._aclient.transport.max_connections == 9
    assert MixRouterEmbeddings(api_key=KEY, max_connections=5)._aclient.transport.max_connections == 5
    assert MixRouterEmbedding(api_key=KEY, max_connections=6)._client.transport.max_connections == 6
    with pytest.raises(ValueError, match="max_connections"):
        MixRouterClient(api_key=KEY, max_connections=0)


def test_a_thousand_asyncio_runs_leave_descriptors_and_pool_entries_bounded():
    """1,000 ``asyncio.run`` calls (the core client, LangChain ``ainvoke``, LlamaIndex ``achat``): after each run the
    loop's pooled client is gone, and the open file descriptors do not grow with the number of runs."""
    with SlowServer() as srv:
        core = AsyncMixRouterClient(api_key=KEY, base_url=srv.base_url)
        lc = ChatMixRouter(model="gpt-4o-mini", api_key=KEY, base_url=srv.base_url)
        li = MixRouterLLM(model="gpt-4o-mini", api_key=KEY, api_base=srv.base_url)
        calls = [
            ("core", lambda: core.chat("gpt-4o-mini", MSGS), lambda r: r.text),
            ("langchain", lambda: lc.ainvoke("hi"), lambda r: r.text),
            ("llamaindex", lambda: li.achat([ChatMessage(role="user", content="hi")]), lambda r: r.message.content),
        ]
        for _, make, text in calls:  # warm up: imports, lazily built objects
            assert text(asyncio.run(make())) == "fine"
        before = _open_fds()
        runs = 0
        worst_pool = 0
        for i in range(1000):
            _, make, text = calls[i % 3]
            assert text(asyncio.run(make())) == "fine"
            runs += 1
            worst_pool = max(worst_pool, async_pool_size())
        after = _open_fds()
    assert runs == 1000 and srv.requests == 1003
    assert worst_pool == 0  # each loop's client was released when asyncio.run shut the loop down
    assert after - before <= 5, f"open file descriptors grew from {before} to {after} over 1,000 runs"


def test_a_loop_closed_without_shutdown_is_swept_and_its_sockets_closed():
    """A loop closed by hand (no ``shutdown_asyncgens``) cannot close its client itself; the next request for an
    async client drops that loop's entry and closes the sockets it held."""
    with SlowServer() as srv:
        client = AsyncMixRouterClient(api_key=KEY, base_url=srv.base_url)
        asyncio.run(client.chat("gpt-4o-mini", MSGS))
        before = _open_fds()
        for _ in range(50):
            loop = asyncio.new_event_loop()
            assert loop.run_until_complete(client.chat("gpt-4o-mini", MSGS)).text == "fine"
            loop.close()
        assert asyncio.run(client.chat("gpt-4o-mini", MSGS)).text == "fine"  # sweeps the 50 closed loops
        after = _open_fds()
        assert async_pool_size() == 0
    assert after - before <= 5, f"open file descriptors grew from {before} to {after}"


def test_a_thousand_concurrent_async_calls_all_succeed():
    """1,000 tasks at once, each answer held by the server: all 1,000 are in flight together and all succeed."""

    async def main() -> list[str]:
        client = AsyncMixRouterClient(api_key=KEY, base_url=srv.base_url)  # default retries: as a user would
        results = await asyncio.gather(*(client.chat("gpt-4o-mini", MSGS) for _ in range(1000)))
        return [r.text for r in results]

    with SlowServer(hold=1.5) as srv:
        texts = asyncio.run(main())
    assert texts == ["fine"] * 1000 and srv.requests >= 1000
    assert srv.peak >= 900  # really concurrent: the pool let (nearly) all of them through at once


def test_a_thousand_concurrent_sync_threads_all_succeed():
    """1,000 threads sharing one sync client, each answer held by the server: all succeed, far more at once than
    the old 200-connection pool allowed (thread start-up on 2 cores staggers them, so not all 1,000 overlap)."""
    results: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def call() -> None:
        try:
            text = client.chat("gpt-4o-mini", MSGS).text
        except Exception as exc:  # reported below, with what it was
            with lock:
                errors.append(exc)
            return
        with lock:
            results.append(text)

    with SlowServer(hold=1.5) as srv:
        client = MixRouterClient(api_key=KEY, base_url=srv.base_url)  # default retries: as a user would
        threads = [threading.Thread(target=call) for _ in range(1000)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == [] and results == ["fine"] * 1000 and srv.requests >= 1000
    assert srv.peak > 200  # more at once than the old pool allowed


@pytest.mark.parametrize("mode", ["async", "sync"])
def test_waiting_for_a_connection_counts_against_the_calls_own_timeout(mode):
    """A pool of 4 connections and 40 calls, each held 0.3 s: most calls wait several times longer for a connection
    than a short separate pool limit (the old 60 s scaled down: 0.3 s) would allow, and all succeed, because the
    wait is bounded by the call's own timeout. The server never holds more than 4 at once."""
    timeouts = Timeouts(read=60.0)
    with SlowServer(hold=0.3) as srv:
        if mode == "async":

            async def main() -> list[str]:
                client = AsyncMixRouterClient(
                    api_key=KEY, base_url=srv.base_url, max_connections=4, timeout=timeouts, max_retries=0
                )
                return [r.text for r in await asyncio.gather(*(client.chat("gpt-4o-mini", MSGS) for _ in range(40)))]

            texts = asyncio.run(main())
        else:
            client = MixRouterClient(
                api_key=KEY, base_url=srv.base_url, max_connections=4, timeout=timeouts, max_retries=0
            )
            texts = []
            threads = [
                threading.Thread(target=lambda: texts.append(client.chat("gpt-4o-mini", MSGS).text)) for _ in range(40)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
    assert texts == ["fine"] * 40 and srv.requests == 40
    assert srv.peak <= 4


def test_the_pool_wait_is_the_calls_own_timeout_and_says_so():
    """With every connection busy, a call whose own (read) timeout is short gives up waiting after it, with an
    error that names the pool and the setting to raise, and sends nothing."""

    async def main() -> BaseException | None:
        hog = AsyncMixRouterClient(api_key=KEY, base_url=srv.base_url, max_connections=1, max_retries=0)
        quick = AsyncMixRouterClient(
            api_key=KEY, base_url=srv.base_url, max_connections=1, timeout=Timeouts(read=0.3), max_retries=0
        )
        first = asyncio.ensure_future(hog.chat("gpt-4o-mini", MSGS))
        while srv.active == 0:
            await asyncio.sleep(0.01)
        try:
            await quick.chat("gpt-4o-mini", MSGS)
        except APITimeoutError as err:
            return err
        finally:
            await first
        return None

    with SlowServer(hold=2.0) as srv:
        err = asyncio.run(main())
    assert isinstance(err, APITimeoutError)
    assert "no free connection within 0.3 s" in str(err) and "max_connections" in str(err)
    assert srv.requests == 1  # the waiting call never reached the server


def test_caches_keyed_by_user_input_are_bounded():
    """Proxy URLs, per-loop settings and request paths are user input: each cache holding them is capped."""
    from mixrouter import _pool

    for i in range(_pool.MAX_SETTINGS + 10):
        _pool.shared_client(proxy=f"http://127.0.0.1:{40000 + i}", max_connections=3)
    assert len(_pool._sync_pool) <= _pool.MAX_SETTINGS

    async def many_settings() -> int:
        for n in range(1, _pool.MAX_SETTINGS + 10):
            _pool.shared_async_client(max_connections=n)
        return _pool.async_pool_size()

    assert asyncio.run(many_settings()) <= _pool.MAX_SETTINGS
    transport = MixRouterClient(api_key=KEY, base_url="http://127.0.0.1:1/v1").transport
    for i in range(200):
        transport.build(transport.client, "GET", f"videos/task_{i}")
    assert len(transport._urls) <= 32


def test_the_unknown_model_cache_is_bounded():
    from mixrouter import models

    for i in range(5000):
        models.get_model_info(f"made-up-model-{i}")
    assert len(models._unknown_cache) <= 1024
