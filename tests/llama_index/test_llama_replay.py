"""MixRouterLLM in LlamaIndex query engines and a FunctionAgent, replayed from cassettes (cassettes/README.md).

The answers come from the stub: a documented DeepSeek tool round trip for the agent, and the fake model's
extractive reader (the context line sharing most words with the query) for the query engines, with embeddings
that are a hashed bag of words so retrieval is meaningful.
"""

from __future__ import annotations

import json

import pytest
from llama_index.core import Document, SummaryIndex, VectorStoreIndex
from llama_index.core.agent.workflow import AgentStream, FunctionAgent, ToolCallResult
from llama_index.core.base.llms.types import ThinkingBlock
from llama_index.core.tools import FunctionTool

from llama_index_mixrouter import MixRouterEmbedding, MixRouterLLM

pytestmark = [
    pytest.mark.vcr,
    # llama-index-workflows inspects the agent with inspect.getmembers, which touches pydantic's deprecated names
    pytest.mark.filterwarnings("ignore::DeprecationWarning:inspect"),
]

DOCS = [
    Document(text="The Eiffel Tower in Paris is 330 metres tall.", doc_id="eiffel"),
    Document(text="MixRouter routes one API key to more than 100 models.", doc_id="mixrouter"),
    Document(text="Video generation tasks are polled until they finish.", doc_id="video"),
]
QUESTION = "How tall is the Eiffel Tower?"
ANSWER = "The Eiffel Tower in Paris is 330 metres tall."


def _llm() -> MixRouterLLM:
    return MixRouterLLM(model="glm-4.6", thinking=True)


def _vector_engine(**kw):
    index = VectorStoreIndex.from_documents(DOCS, embed_model=MixRouterEmbedding())
    return index.as_query_engine(llm=_llm(), similarity_top_k=1, **kw)


def test_vector_query_engine(vcr):
    response = _vector_engine().query(QUESTION)
    assert str(response) == ANSWER
    assert response.source_nodes[0].node.ref_doc_id == "eiffel"
    chat_body = json.loads(vcr.requests[-1].body)
    assert chat_body["thinking"] == {"type": "enabled"} and ANSWER in chat_body["messages"][-1]["content"]


async def test_vector_query_engine_async():
    response = await _vector_engine().aquery(QUESTION)
    assert str(response) == ANSWER


def test_vector_query_engine_streaming():
    response = _vector_engine(streaming=True).query(QUESTION)
    assert "".join(response.response_gen) == ANSWER


def test_summary_query_engine(vcr):
    response = SummaryIndex.from_documents(DOCS).as_query_engine(llm=_llm()).query(QUESTION)
    assert str(response) == ANSWER and len(response.source_nodes) == 3  # a summary index reads every document
    assert json.loads(vcr.requests[0].body)["stream"] is False


def test_summary_query_engine_streams_the_answer_without_the_reasoning(vcr):
    engine = SummaryIndex.from_documents(DOCS).as_query_engine(llm=_llm(), streaming=True)
    tokens = list(engine.query(QUESTION).response_gen)
    assert "".join(tokens) == ANSWER
    assert not any("The user wrote" in t for t in tokens)  # the fake model's reasoning stays out of the answer
    assert json.loads(vcr.requests[0].body)["stream"] is True


async def test_summary_query_engine_async_streaming():
    engine = SummaryIndex.from_documents(DOCS).as_query_engine(llm=_llm(), streaming=True)
    response = await engine.aquery(QUESTION)
    assert "".join([t async for t in response.async_response_gen()]) == ANSWER


async def test_function_agent_tool_round_trip_sends_deepseek_reasoning_back(vcr):
    def get_weather(city: str) -> str:
        """Current weather for a city."""
        return json.dumps({"city": city, "temp_c": 18, "sky": "sunny"})

    agent = FunctionAgent(
        tools=[FunctionTool.from_defaults(fn=get_weather)],
        llm=MixRouterLLM(model="deepseek-v4-pro", thinking=True),
    )
    handler = agent.run("Weather in Paris?")
    thinking, results = [], []
    async for event in handler.stream_events():
        if isinstance(event, AgentStream) and event.thinking_delta:
            thinking.append(event.thinking_delta)
        if isinstance(event, ToolCallResult):
            results.append((event.tool_name, event.tool_kwargs))
    output = await handler
    assert results == [("get_weather", {"city": "Paris"})]
    assert "".join(thinking).startswith("I should look up the weather.")
    assert str(output.response.content) == "It is 18°C and sunny in Paris."
    assert isinstance(output.response.blocks[0], ThinkingBlock)
    second = json.loads(vcr.requests[1].body)["messages"]
    assistant = next(m for m in second if m["role"] == "assistant")
    assert assistant["reasoning_content"] == "I should look up the weather."  # DeepSeek 400s without it
    assert assistant["tool_calls"][0]["id"] == "call_0_weather"
    assert next(m for m in second if m["role"] == "tool")["tool_call_id"] == "call_0_weather"
