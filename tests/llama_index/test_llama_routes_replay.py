"""One MixRouterLLM, three MixRouter endpoints: the same query engine, streamed reasoning and agent tool loop for a
chat model (gpt-4o-mini), a Responses-only model (gpt-5.2-pro) and Claude with thinking (/v1/messages).

Replayed from cassettes recorded against ``tests/stub`` (Responses and Messages shapes inferred from OpenAI's and
Anthropic's published formats; provenance in cassettes/README.md). The stub refuses a tool loop whose reasoning
was not sent back as those APIs require, so these recordings exist only because the echo was right.
"""

from __future__ import annotations

import json

import pytest
from llama_index.core import Document, SummaryIndex
from llama_index.core.agent.workflow import AgentStream, FunctionAgent, ToolCallResult
from llama_index.core.base.llms.types import ChatMessage, ThinkingBlock
from llama_index.core.tools import FunctionTool

from llama_index_mixrouter import MixRouterLLM

pytestmark = [
    pytest.mark.vcr,
    pytest.mark.filterwarnings("ignore::DeprecationWarning:inspect"),  # llama-index-workflows' getmembers
]

MODELS = [
    pytest.param("gpt-4o-mini", {}, "/chat/completions", False, id="chat"),
    pytest.param("gpt-5.2-pro", {}, "/responses", True, id="responses"),
    pytest.param("claude-sonnet-4-5-20250929", {"thinking": True}, "/messages", True, id="messages"),
]
DOCS = [
    Document(text="The Eiffel Tower in Paris is 330 metres tall.", doc_id="eiffel"),
    Document(text="MixRouter routes one API key to more than 100 models.", doc_id="mixrouter"),
]


def get_weather(city: str) -> str:
    """Current weather for a city."""
    return json.dumps({"city": city, "temp_c": 18, "sky": "sunny"})


@pytest.mark.parametrize(("model", "settings", "path", "reasons"), MODELS)
def test_query_engine(vcr, model, settings, path, reasons):
    engine = SummaryIndex.from_documents(DOCS).as_query_engine(llm=MixRouterLLM(model=model, **settings))
    response = engine.query("How tall is the Eiffel Tower?")
    assert str(response) and "The user wrote" not in str(response)
    assert all(r.path.endswith(path) for r in vcr.requests)


@pytest.mark.parametrize(("model", "settings", "path", "reasons"), MODELS)
async def test_astream_chat_with_reasoning(vcr, model, settings, path, reasons):
    llm = MixRouterLLM(model=model, **settings)
    thinking, last = [], None
    async for last in await llm.astream_chat([ChatMessage(role="user", content="Say hello")]):
        if last.additional_kwargs.get("thinking_delta"):
            thinking.append(last.additional_kwargs["thinking_delta"])
    assert bool(thinking) is reasons
    assert last.message.content and "The user wrote" not in last.message.content
    assert last.raw["usage"]["total_tokens"] > 0  # OpenAI-shaped usage whatever the route
    if reasons:
        block = last.message.blocks[0]
        assert isinstance(block, ThinkingBlock) and block.content == "".join(thinking)
        assert block.additional_information["reasoning_details"]  # signed block / encrypted item, for the echo
    assert vcr.requests[0].path.endswith(path)


@pytest.mark.parametrize(("model", "settings", "path", "reasons"), MODELS)
async def test_function_agent_tool_loop(vcr, model, settings, path, reasons):
    agent = FunctionAgent(tools=[FunctionTool.from_defaults(fn=get_weather)], llm=MixRouterLLM(model=model, **settings))
    handler = agent.run("Weather in 'Paris'?")
    thinking, results = [], []
    async for event in handler.stream_events():
        if isinstance(event, AgentStream) and event.thinking_delta:
            thinking.append(event.thinking_delta)
        if isinstance(event, ToolCallResult):
            results.append((event.tool_name, event.tool_kwargs))
    output = await handler
    assert results == [("get_weather", {"city": "Paris"})]
    assert "18" in str(output.response.content)
    if reasons:
        assert thinking
    second = json.loads(vcr.requests[1].body)
    assert vcr.requests[1].path.endswith(path)
    if path == "/messages":
        assistant = next(m for m in second["messages"] if m["role"] == "assistant")
        assert [b["type"] for b in assistant["content"]] == ["thinking", "tool_use"]
        assert assistant["content"][0]["signature"]
    elif path == "/responses":
        kinds = [i.get("type") for i in second["input"]]
        assert kinds.index("reasoning") < kinds.index("function_call") < kinds.index("function_call_output")
