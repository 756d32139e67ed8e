"""ChatMixRouter in chains and a tool loop, replayed from cassettes (provenance: cassettes/README.md)."""

from __future__ import annotations

import json

import pytest
from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.tools import tool

from langchain_mixrouter import ChatMixRouter, MixRouterEmbeddings

pytestmark = pytest.mark.vcr

PROMPT = ChatPromptTemplate.from_messages([("system", "You are a helpful assistant"), ("user", "{question}")])


@tool
def get_weather(city: str) -> str:
    """Current weather for a city."""
    return json.dumps({"temp_c": 18, "sky": "sunny"})


def test_chain_invoke():
    chain = PROMPT | ChatMixRouter(model="minimax-m2", max_tokens=4096, temperature=1) | StrOutputParser()
    assert chain.invoke({"question": "Hi"}).startswith("\n\nHello!")


async def test_chain_ainvoke():
    chain = PROMPT | ChatMixRouter(model="minimax-m2", max_tokens=4096, temperature=1) | StrOutputParser()
    assert "happy to help" in await chain.ainvoke({"question": "Hi"})


def test_chain_stream_keeps_reasoning_out_of_the_text():
    llm = ChatMixRouter(model="deepseek-chat", thinking=True)
    pieces = list((PROMPT | llm | StrOutputParser()).stream({"question": "1+2+...+100=?"}))
    assert "".join(pieces) == "The sum is 5050."
    reasoning = "".join(c.additional_kwargs.get("reasoning_content", "") for c in llm.stream("1+2+...+100=?"))
    assert reasoning.startswith("The user asks")


def test_tool_loop_echoes_reasoning_for_deepseek(vcr):
    llm = ChatMixRouter(model="deepseek-v4-pro", thinking=True).bind_tools([get_weather])
    history = [HumanMessage("Weather in Paris?")]
    first = llm.invoke(history)
    call = first.tool_calls[0]
    assert call["name"] == "get_weather" and call["args"] == {"city": "Paris"}
    history += [first, ToolMessage(get_weather.invoke(call["args"]), tool_call_id=call["id"])]
    final = llm.invoke(history)
    assert "Paris" in final.content
    second_request = json.loads(vcr.requests[1].body)
    assert second_request["messages"][1]["reasoning_content"] == "I should look up the weather."


def test_embeddings_sync_and_batched(vcr):
    emb = MixRouterEmbeddings(model="text-embedding-3-small", batch_size=2)
    vectors = emb.embed_documents(["alpha", "beta", "gamma"])
    assert len(emb.embed_query("alpha")) == len(vectors[0])
    batches = [json.loads(r.body)["input"] for r in vcr.requests]
    assert len(vectors) == 3 and batches == [["alpha", "beta"], ["gamma"], ["alpha"]]


async def test_embeddings_async():
    emb = MixRouterEmbeddings(model="text-embedding-3-small")
    assert len(await emb.aembed_documents(["alpha", "beta"])) == 2
