"""Issue 15 item 4: reasoning in every shape is read, and think tags are split only where the model can emit them.

* Mistral's reasoning models answer with content parts ``{"type": "thinking", "thinking": [{"type": "text", ...}]}``
  (docs.mistral.ai/capabilities/reasoning). They are reasoning, not content: the recorded magistral bodies
  (tests/data/realworld/, JSON and the exact stream bytes) are served over an httpx MockTransport to the core client and
  to both faces, invoke and stream, and no thinking dict may reach ``AIMessage.content`` or a LlamaIndex text block.
* A leading ``<think>``/``<thinking>`` is the model's reasoning only for models that emit one: open-weight reasoning
  models (DeepSeek-R1, Qwen3), Claude on chat completions, ids the catalogue does not know. A gpt-4o, gpt-4o-mini or
  gemini-2.5-pro answer that starts with ``<thinking>a custom XML tag</thinking>`` (an XML tag a prompt asked for)
  keeps its whole text. Checked through ``MixRouterClient`` so the route's wiring (routes.py) is what decides.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from langchain_core.messages import AIMessageChunk, HumanMessage
from llama_index.core.base.llms.types import ChatMessage, TextBlock, ThinkingBlock

from langchain_mixrouter import ChatMixRouter
from llama_index_mixrouter import MixRouterLLM
from mixrouter import AsyncMixRouterClient, MixRouterClient
from tests.scripted import completion, delta

# Unlisted ids (magistral-medium-latest, qwen3-32b, acme-unlisted-model-7b) are the point here: they warn.
pytestmark = pytest.mark.filterwarnings("ignore:.*is not in MixRouter's model list:UserWarning")
KEY = "test-key-abcdef123456"
CORPUS = Path(__file__).parent / "data" / "realworld"
MAGISTRAL_JSON = json.loads((CORPUS / "mistral_magistral_thinking_json.json").read_bytes())
MAGISTRAL_SSE = (CORPUS / "mistral_magistral_thinking_stream.sse").read_bytes()


class Recorded(httpx.MockTransport):
    """Answers a streamed request with SSE bytes and any other with a JSON body; keeps the request bodies."""

    def __init__(self, body: dict[str, Any], sse: bytes) -> None:
        self.body, self.sse = body, sse
        self.bodies: list[dict[str, Any]] = []
        self.paths: list[str] = []
        super().__init__(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        sent = json.loads(request.content)
        self.bodies.append(sent)
        self.paths.append(request.url.path)
        if sent.get("stream"):
            return httpx.Response(200, content=self.sse, headers={"content-type": "text/event-stream"})
        return httpx.Response(200, json=self.body)


def _sse(chunks: list[dict[str, Any]]) -> bytes:
    return b"".join(b"data: " + json.dumps(c).encode() + b"\n\n" for c in chunks) + b"data: [DONE]\n\n"


def _client(transport: httpx.MockTransport) -> MixRouterClient:
    return MixRouterClient(api_key=KEY, max_retries=0, http_client=httpx.Client(transport=transport))


def _magistral_parts() -> tuple[str, str]:
    """The reasoning and the answer the recorded JSON body holds, read straight from its parts."""
    content = MAGISTRAL_JSON["choices"][0]["message"]["content"]
    reasoning = "".join(t["text"] for p in content if p["type"] == "thinking" for t in p["thinking"])
    text = "".join(p["text"] for p in content if p["type"] == "text")
    return reasoning, text


def _magistral_stream_parts() -> tuple[str, str]:
    reasoning = text = ""
    for line in MAGISTRAL_SSE.splitlines():
        if not line.startswith(b"data: {"):
            continue
        content = json.loads(line[6:])["choices"][0]["delta"].get("content")
        if isinstance(content, str):
            text += content
        elif isinstance(content, list):
            reasoning += "".join(t["text"] for p in content for t in p["thinking"])
    return reasoning, text


def _no_thinking_dict(content: Any) -> None:
    assert "{'type': 'thinking'" not in str(content)
    if isinstance(content, list):
        assert not any(isinstance(p, dict) and p.get("type") in ("thinking", "reasoning") for p in content)


# -- Mistral thinking parts ---------------------------------------------------------------------------------------
MODEL = "magistral-medium-latest"


def test_magistral_json_through_the_client():
    reasoning, text = _magistral_parts()
    assert reasoning.startswith("**Analogizing crossing a river**") and text.startswith("Crossing a river")
    result = _client(Recorded(MAGISTRAL_JSON, MAGISTRAL_SSE)).chat(MODEL, [{"role": "user", "content": "A river?"}])
    assert (result.reasoning, result.text) == (reasoning, text)
    assert result.content_parts is None and result.finish_reason == "stop"
    assert result.to_assistant_message()["content"] == text, "the history gets the answer, not the thinking parts"


def test_magistral_stream_through_the_client_chunk_by_chunk():
    reasoning, text = _magistral_stream_parts()
    assert reasoning.startswith("Okay, the user is asking") and text.startswith("To cross the street safely")
    with _client(Recorded(MAGISTRAL_JSON, MAGISTRAL_SSE)).chat_stream(MODEL, [{"role": "user", "content": "?"}]) as s:
        deltas = list(s)
        result = s.result()
    thinking = [d for d in deltas if d.reasoning]
    assert len(thinking) > 50 and all(not d.text for d in thinking), "each thinking part arrives as reasoning"
    assert thinking[0].reasoning == "Okay" and deltas.index(thinking[-1]) < next(
        i for i, d in enumerate(deltas) if d.text
    ), "all the thinking comes before the answer, as streamed"
    assert "".join(d.reasoning for d in deltas) == reasoning == result.reasoning
    assert "".join(d.text for d in deltas) == text == result.text
    assert deltas[-1].final and deltas[-1].usage.output_tokens == 232


async def test_magistral_stream_through_the_async_client():
    reasoning, text = _magistral_stream_parts()
    transport = Recorded(MAGISTRAL_JSON, MAGISTRAL_SSE)
    client = AsyncMixRouterClient(api_key=KEY, max_retries=0, http_client=httpx.AsyncClient(transport=transport))
    async with client.chat_stream(MODEL, [{"role": "user", "content": "?"}]) as stream:
        deltas = [d async for d in stream]
    assert "".join(d.reasoning for d in deltas) == reasoning
    assert "".join(d.text for d in deltas) == text


def _langchain(transport: httpx.MockTransport, model: str = MODEL) -> ChatMixRouter:
    return ChatMixRouter(
        model=model,
        api_key=KEY,
        max_retries=0,
        http_client=httpx.Client(transport=transport),
        http_async_client=httpx.AsyncClient(transport=transport),
    )


def _llama(transport: httpx.MockTransport, model: str = MODEL) -> MixRouterLLM:
    return MixRouterLLM(
        model=model,
        api_key=KEY,
        max_retries=0,
        http_client=httpx.Client(transport=transport),
        async_http_client=httpx.AsyncClient(transport=transport),
    )


def test_magistral_langchain_invoke():
    reasoning, text = _magistral_parts()
    msg = _langchain(Recorded(MAGISTRAL_JSON, MAGISTRAL_SSE)).invoke([HumanMessage("A river?")])
    _no_thinking_dict(msg.content)
    assert msg.content == text
    assert msg.additional_kwargs["reasoning_content"] == reasoning


def test_magistral_langchain_stream():
    reasoning, text = _magistral_stream_parts()
    chunks = list(_langchain(Recorded(MAGISTRAL_JSON, MAGISTRAL_SSE)).stream([HumanMessage("?")]))
    for chunk in chunks:
        _no_thinking_dict(chunk.content)
    total: AIMessageChunk = chunks[0]
    for chunk in chunks[1:]:
        total += chunk
    _no_thinking_dict(total.content)
    assert total.text == text
    assert total.additional_kwargs["reasoning_content"] == reasoning


async def test_magistral_langchain_astream():
    reasoning, _ = _magistral_stream_parts()
    chunks = [c async for c in _langchain(Recorded(MAGISTRAL_JSON, MAGISTRAL_SSE)).astream([HumanMessage("?")])]
    assert "".join(c.additional_kwargs.get("reasoning_content", "") for c in chunks) == reasoning
    for chunk in chunks:
        _no_thinking_dict(chunk.content)


def test_magistral_llama_index_chat():
    reasoning, text = _magistral_parts()
    response = _llama(Recorded(MAGISTRAL_JSON, MAGISTRAL_SSE)).chat([ChatMessage(role="user", content="A river?")])
    thinking = [b for b in response.message.blocks if isinstance(b, ThinkingBlock)]
    assert [b.content for b in thinking] == [reasoning]
    assert [b.text for b in response.message.blocks if isinstance(b, TextBlock)] == [text]
    assert response.message.content == text


def test_magistral_llama_index_stream_chat():
    reasoning, text = _magistral_stream_parts()
    responses = list(
        _llama(Recorded(MAGISTRAL_JSON, MAGISTRAL_SSE)).stream_chat([ChatMessage(role="user", content="?")])
    )
    last = responses[-1]
    assert "".join(r.delta or "" for r in responses) == text == last.message.content
    thinking = [b for b in last.message.blocks if isinstance(b, ThinkingBlock)]
    assert [b.content for b in thinking] == [reasoning]
    assert "".join(r.additional_kwargs.get("thinking_delta") or "" for r in responses) == reasoning


# -- think tags only where the model can emit them -----------------------------------------------------------------
CUSTOM = "<thinking>a custom XML tag</thinking> rest"
# The same answer streamed with the tags cut mid-name, as a gateway's chunks may cut them.
CUSTOM_PIECES = ["<thin", "king>a custom", " XML tag</thi", "nking>", " rest"]
assert "".join(CUSTOM_PIECES) == CUSTOM

KEEPS_TAGS = ["gpt-4o", "gpt-4o-mini", "gemini-2.5-pro"]
SPLITS_TAGS = ["deepseek-r1", "qwen3-32b", "acme-unlisted-model-7b", "claude-sonnet-4-5"]


def _tag_transport(model: str, content: str = CUSTOM) -> Recorded:
    pieces = CUSTOM_PIECES if content == CUSTOM else [content]
    chunks = [delta({"role": "assistant", "content": ""}, model=model)]
    chunks += [delta({"content": p}, model=model) for p in pieces]
    chunks.append(delta({}, finish="stop", model=model))
    return Recorded(completion(content, model=model), _sse(chunks))


def test_the_models_are_what_the_tests_say():
    """The split is decided by family: make sure the catalogue still puts these ids where the tests assume."""
    from mixrouter.models import get_model_info

    assert [get_model_info(m).family for m in KEEPS_TAGS] == ["openai", "openai", "google"]
    assert get_model_info("acme-unlisted-model-7b").known is False
    assert get_model_info("claude-sonnet-4-5").family == "anthropic"


@pytest.mark.parametrize("model", KEEPS_TAGS)
def test_custom_xml_tag_kept_json(model: str):
    transport = _tag_transport(model)
    result = _client(transport).chat(model, [{"role": "user", "content": "Answer in XML."}])
    assert transport.paths == ["/v1/chat/completions"] and transport.bodies[0]["model"] == model
    assert result.text == CUSTOM and result.reasoning == ""


@pytest.mark.parametrize("model", KEEPS_TAGS)
def test_custom_xml_tag_kept_stream(model: str):
    with _client(_tag_transport(model)).chat_stream(model, [{"role": "user", "content": "Answer in XML."}]) as stream:
        deltas = list(stream)
        result = stream.result()
    assert "".join(d.text for d in deltas) == CUSTOM == result.text
    assert not any(d.reasoning for d in deltas) and result.reasoning == ""


@pytest.mark.parametrize("model", SPLITS_TAGS)
def test_think_tag_split_json(model: str):
    result = _client(_tag_transport(model)).chat(model, [{"role": "user", "content": "Hi"}], route="chat")
    assert result.reasoning == "a custom XML tag" and result.text.strip() == "rest"


@pytest.mark.parametrize("model", SPLITS_TAGS)
def test_think_tag_split_stream(model: str):
    with _client(_tag_transport(model)).chat_stream(model, [{"role": "user", "content": "Hi"}], route="chat") as s:
        deltas = list(s)
        result = s.result()
    assert "".join(d.reasoning for d in deltas) == "a custom XML tag" == result.reasoning
    assert "".join(d.text for d in deltas).strip() == "rest" == result.text.strip()


@pytest.mark.parametrize("model", ["deepseek-r1", "qwen3-32b"])
def test_open_weight_think_tags_split_under_a_host_prefix(model: str):
    """The same open-weight model under a host's id (``deepseek-ai/DeepSeek-R1``, ``qwen/qwen3-32b``)."""
    hosted = {"deepseek-r1": "deepseek-ai/DeepSeek-R1", "qwen3-32b": "qwen/qwen3-32b"}[model]
    content = "<think>weighing it</think>The answer."
    result = _client(_tag_transport(hosted, content)).chat(hosted, [{"role": "user", "content": "Hi"}])
    assert (result.reasoning, result.text) == ("weighing it", "The answer.")


@pytest.mark.parametrize("model", KEEPS_TAGS)
def test_custom_xml_tag_kept_through_both_faces(model: str):
    msg = _langchain(_tag_transport(model), model).invoke([HumanMessage("Answer in XML.")])
    assert msg.content == CUSTOM and "reasoning_content" not in msg.additional_kwargs
    chunks = list(_langchain(_tag_transport(model), model).stream([HumanMessage("Answer in XML.")]))
    assert "".join(c.text for c in chunks) == CUSTOM
    response = _llama(_tag_transport(model), model).chat([ChatMessage(role="user", content="Answer in XML.")])
    assert response.message.content == CUSTOM
    assert not any(isinstance(b, ThinkingBlock) for b in response.message.blocks)


def test_think_tag_split_through_both_faces():
    msg = _langchain(_tag_transport("deepseek-r1"), "deepseek-r1").invoke([HumanMessage("Hi")])
    assert msg.content.strip() == "rest" and msg.additional_kwargs["reasoning_content"] == "a custom XML tag"
    response = _llama(_tag_transport("qwen3-32b"), "qwen3-32b").chat([ChatMessage(role="user", content="Hi")])
    thinking = [b for b in response.message.blocks if isinstance(b, ThinkingBlock)]
    assert [b.content for b in thinking] == ["a custom XML tag"] and response.message.content.strip() == "rest"
