"""Client-level rules that need no server: per-instance settings on the wire, auto-streaming, closing."""

from __future__ import annotations

import json

import httpx
import pytest

from mixrouter import AsyncMixRouterClient, MixRouterClient
from tests.stub.server import mock_transport

USER = [{"role": "user", "content": "hi"}]


class Capture(httpx.MockTransport):
    """The stub, remembering every request body and header set it saw."""

    def __init__(self) -> None:
        self.bodies: list[dict] = []
        self.headers: list[httpx.Headers] = []
        inner = mock_transport()

        def handler(request: httpx.Request) -> httpx.Response:
            self.bodies.append(json.loads(request.content))
            self.headers.append(request.headers)
            return inner.handle_request(request)

        super().__init__(handler)


def test_extra_body_per_call_deep_merges_over_per_instance():
    cap = Capture()
    client = MixRouterClient(
        api_key="test-key-123456",
        http_client=httpx.Client(transport=cap),
        extra_body={"metadata": {"team": "a", "env": "dev"}, "top_k": 5},
        default_headers={"X-Title": "quickstart"},
    )
    # qwen-plus: DashScope takes top_k (OpenAI would refuse it: "Unrecognized request argument supplied: top_k")
    client.chat("qwen-plus", USER, extra_body={"metadata": {"env": "prod"}}, extra_headers={"X-Trace": "t1"})
    body = cap.bodies[0]
    assert body["metadata"] == {"team": "a", "env": "prod"} and body["top_k"] == 5
    assert cap.headers[0]["x-title"] == "quickstart" and cap.headers[0]["x-trace"] == "t1"
    assert cap.headers[0]["authorization"] == "Bearer test-key-123456"


def test_open_weight_qwen3_thinking_is_streamed_and_assembled_by_chat():
    cap = Capture()
    client = MixRouterClient(api_key="test-key-123456", http_client=httpx.Client(transport=cap))
    result = client.chat("qwen3-8b", USER, thinking=True)
    assert cap.bodies[0]["stream"] is True and cap.bodies[0]["enable_thinking"] is True
    assert result.text and result.finish_reason == "stop" and result.usage.total_tokens > 0
    client.chat("qwen3-max", USER, thinking=True)  # commercial Qwen thinks without streaming (documented example)
    assert cap.bodies[1]["stream"] is False


async def test_async_auto_stream_for_qwen3_thinking():
    cap = Capture()
    client = AsyncMixRouterClient(api_key="test-key-123456", http_client=httpx.AsyncClient(transport=cap))
    result = await client.chat("qwen3-235b-a22b", USER, thinking=True)
    assert cap.bodies[0]["stream"] is True and result.text


def test_close_closes_an_injected_client_but_never_the_shared_pool():
    injected = httpx.Client(transport=Capture())
    with MixRouterClient(api_key="test-key-123456", http_client=injected) as client:
        client.chat("gpt-4o-mini", USER)
    assert injected.is_closed
    shared_user = MixRouterClient(api_key="test-key-123456")
    shared_user.close()
    assert not shared_user.transport.client.is_closed


async def test_async_context_manager_closes_injected_client():
    injected = httpx.AsyncClient(transport=Capture())
    async with AsyncMixRouterClient(api_key="test-key-123456", http_client=injected) as client:
        await client.chat("gpt-4o-mini", USER)
    assert injected.is_closed


def test_stream_can_be_abandoned_and_the_client_reused():
    client = MixRouterClient(api_key="test-key-123456", http_client=httpx.Client(transport=Capture()))
    with client.chat_stream("gpt-4o-mini", USER) as stream:
        next(iter(stream))
    assert client.chat("gpt-4o-mini", USER).text


@pytest.mark.parametrize("texts", ["just one string", ["ok", ""], ["ok", 3]])
def test_bad_embedding_input_is_refused_before_any_request(texts):
    cap = Capture()
    client = MixRouterClient(api_key="test-key-123456", http_client=httpx.Client(transport=cap))
    with pytest.raises((TypeError, ValueError), match="texts"):
        client.embed("text-embedding-3-small", texts)
    assert cap.bodies == []


def test_a_stream_can_be_iterated_only_once():
    client = MixRouterClient(api_key="test-key-123456", http_client=httpx.Client(transport=Capture()))
    stream = client.chat_stream("gpt-4o-mini", USER)
    deltas = list(stream)
    assert [d.final for d in deltas].count(True) == 1
    with pytest.raises(RuntimeError, match="only once"):
        list(stream)
    assert stream.result().text
