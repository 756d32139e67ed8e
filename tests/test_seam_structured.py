"""Structured output from the user's side: every framework entry point x vendor x thinking on/off x sync/async/stream,
against the strict stub (a request the vendor would refuse gets its 400, so a pass means the request was right).

The method is chosen per model *and* thinking state; the object comes back whole, never ``None``; an answer without
the object is an error naming the model, the method and the text.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from langchain_core.exceptions import OutputParserException
from llama_index.core.base.llms.types import ChatMessage
from llama_index.core.prompts import PromptTemplate
from pydantic import BaseModel
from typing_extensions import TypedDict

from mixrouter.structured import StructuredOutputError
from tests.conftest import FAKE_KEY
from tests.seams import StubWire, method_on_wire

PROMPT = "Extract the person: 'Alice' is 30 years old."


class Person(BaseModel):
    """A person mentioned in the text."""

    name: str
    age: int


class PersonDict(TypedDict):
    """A person mentioned in the text."""

    name: str
    age: int


ALICE = Person(name="Alice", age=30)

# (model, settings, method the catalogue must pick, endpoint)
CASES = [
    ("gpt-4o-mini", {}, "json_schema", "/v1/chat/completions"),
    ("o3", {}, "json_schema", "/v1/chat/completions"),
    ("deepseek-v4-pro", {"thinking": True}, "json_mode", "/v1/chat/completions"),
    ("deepseek-v4-pro", {"thinking": False}, "function_calling", "/v1/chat/completions"),
    ("qwen3-max", {"thinking": True}, "json_mode", "/v1/chat/completions"),
    ("qwen3-max", {"thinking": False}, "function_calling", "/v1/chat/completions"),
    ("kimi-k2-thinking", {}, "json_mode", "/v1/chat/completions"),
    ("glm-4.6", {"thinking": True}, "json_mode", "/v1/chat/completions"),
    ("glm-4.6", {"thinking": False}, "json_mode", "/v1/chat/completions"),
    ("claude-sonnet-4-5-20250929", {"thinking": True}, "json_mode", "/v1/messages"),
    ("claude-sonnet-4-5-20250929", {"thinking": False}, "function_calling", "/v1/chat/completions"),
    ("gemini-2.5-pro", {}, "json_schema", "/v1/chat/completions"),
    ("gpt-5.2-pro", {}, "json_schema", "/v1/responses"),
    ("minimax-m2", {}, "json_mode", "/v1/chat/completions"),
]
IDS = [f"{m}-{'-'.join(f'{k}={v}' for k, v in s.items()) or 'default'}" for m, s, _, _ in CASES]


def _check_wire(wire: StubWire, method: str, path: str) -> None:
    assert wire.last_path == path
    assert method_on_wire(path, wire.last) == method


# -- LangChain ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("model", "settings", "method", "path"), CASES, ids=IDS)
@pytest.mark.parametrize("mode", ["invoke", "ainvoke", "stream", "astream"])
async def test_langchain_with_structured_output(model, settings, method, path, mode):
    wire = StubWire()
    runnable = wire.langchain(model, **settings).with_structured_output(Person)
    if mode == "invoke":
        out = runnable.invoke(PROMPT)
    elif mode == "ainvoke":
        out = await runnable.ainvoke(PROMPT)
    elif mode == "stream":
        parts = list(runnable.stream(PROMPT))
        assert parts, "the stream yielded nothing"
        out = parts[-1]
    else:
        parts = [p async for p in runnable.astream(PROMPT)]
        assert parts, "the stream yielded nothing"
        out = parts[-1]
    assert out == ALICE
    _check_wire(wire, method, path)


@pytest.mark.parametrize(("model", "settings", "method", "path"), CASES, ids=IDS)
def test_langchain_typed_dict_json_schema_and_include_raw(model, settings, method, path):
    wire = StubWire()
    llm = wire.langchain(model, **settings)
    assert llm.with_structured_output(PersonDict).invoke(PROMPT) == {"name": "Alice", "age": 30}
    schema = Person.model_json_schema()
    assert llm.with_structured_output(schema).invoke(PROMPT) == {"name": "Alice", "age": 30}
    raw = llm.with_structured_output(Person, include_raw=True).invoke(PROMPT)
    assert raw["parsed"] == ALICE and raw["parsing_error"] is None and raw["raw"].response_metadata
    _check_wire(wire, method, path)


def _answering(text: str):
    def handler(request: httpx.Request) -> httpx.Response:
        body = {
            "id": "x",
            "model": json.loads(request.content)["model"],
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        }
        return httpx.Response(200, json=body)

    return httpx.MockTransport(handler)


def test_langchain_answer_without_the_object_is_an_error_naming_model_method_and_text():
    from langchain_mixrouter import ChatMixRouter

    t = _answering("Sorry, I will not say.")
    llm = ChatMixRouter(model="deepseek-v4-pro", thinking=True, api_key=FAKE_KEY, http_client=httpx.Client(transport=t))
    with pytest.raises(OutputParserException) as err:
        llm.with_structured_output(Person).invoke(PROMPT)
    message = str(err.value)
    assert "deepseek-v4-pro" in message and "json_mode" in message and "Sorry, I will not say." in message
    raw = llm.with_structured_output(Person, include_raw=True).invoke(PROMPT)
    assert raw["parsed"] is None and isinstance(raw["parsing_error"], OutputParserException)
    assert "Sorry, I will not say." in str(raw["parsing_error"])


def test_langchain_an_object_of_the_wrong_shape_is_an_error_not_none():
    from langchain_mixrouter import ChatMixRouter

    t = _answering('{"name": "Alice"}')
    llm = ChatMixRouter(model="kimi-k2-thinking", api_key=FAKE_KEY, http_client=httpx.Client(transport=t))
    with pytest.raises(OutputParserException, match=r"kimi-k2-thinking \(json_mode\).*does not fit Person"):
        llm.with_structured_output(Person).invoke(PROMPT)


@pytest.mark.parametrize(
    ("model", "settings"),
    [
        ("claude-sonnet-4-5-20250929", {"thinking": True}),
        ("deepseek-v4-pro", {"thinking": True}),
        ("qwen3-max", {"thinking": True}),
        ("glm-4.6", {"thinking": True}),
        ("gpt-4o-mini", {}),
    ],
)
async def test_create_agent_response_format_on_thinking_models(model, settings):
    from langchain.agents import create_agent

    wire = StubWire()
    agent = create_agent(model=wire.langchain(model, **settings), tools=[], response_format=Person)
    state = await agent.ainvoke({"messages": [{"role": "user", "content": PROMPT}]})
    assert state["structured_response"] == ALICE
    sync_state = agent.invoke({"messages": [{"role": "user", "content": PROMPT}]})
    assert sync_state["structured_response"] == ALICE


def test_create_agent_with_claude_fenced_json_reads_the_object():
    """Claude answers a prompt-only JSON request in a ```json fence (the stub does too): the agent still parses."""
    from langchain.agents import create_agent

    wire = StubWire()
    llm = wire.langchain("claude-sonnet-4-5-20250929", thinking=True)
    agent = create_agent(model=llm, tools=[], response_format=Person)
    state = agent.invoke({"messages": [{"role": "user", "content": PROMPT}]})
    assert state["structured_response"] == ALICE
    assert wire.last_path == "/v1/messages" and "response_format" not in wire.last  # Messages has no such field
    assert state["messages"][-1].content.startswith("{")  # the fence is gone from what the agent read


# -- LlamaIndex -----------------------------------------------------------------------------------------------------
LI_PROMPT = PromptTemplate("Extract the person: {text}")
LI_TEXT = "'Alice' is 30 years old."


@pytest.mark.parametrize(("model", "settings", "method", "path"), CASES, ids=IDS)
async def test_llama_structured_predict_every_entry_point(model, settings, method, path):
    wire = StubWire()
    llm = wire.llama(model, **settings)
    assert llm.structured_predict(Person, LI_PROMPT, text=LI_TEXT) == ALICE
    _check_wire(wire, method, path)
    assert await llm.astructured_predict(Person, LI_PROMPT, text=LI_TEXT) == ALICE
    parts = list(llm.stream_structured_predict(Person, LI_PROMPT, text=LI_TEXT))
    assert len(parts) >= 2 and isinstance(parts[-1], Person) and parts[-1] == ALICE
    assert all(p is not None for p in parts)
    aparts = [p async for p in await llm.astream_structured_predict(Person, LI_PROMPT, text=LI_TEXT)]
    assert aparts[-1] == ALICE
    _check_wire(wire, method, path)


@pytest.mark.parametrize(("model", "settings", "method", "path"), CASES, ids=IDS)
async def test_llama_as_structured_llm(model, settings, method, path):
    wire = StubWire()
    sllm = wire.llama(model, **settings).as_structured_llm(Person)
    msgs = [ChatMessage(role="user", content=f"Extract the person: {LI_TEXT}")]
    assert sllm.chat(msgs).raw == ALICE
    assert (await sllm.achat(msgs)).raw == ALICE
    assert sllm.complete(f"Extract the person: {LI_TEXT}").raw == ALICE
    chunks = list(sllm.stream_chat(msgs))
    assert chunks[-1].raw == ALICE and json.loads(chunks[-1].message.content) == {"name": "Alice", "age": 30}
    _check_wire(wire, method, path)


def test_llama_answer_without_the_object_is_an_error_naming_model_method_and_text():
    from llama_index_mixrouter import MixRouterLLM

    t = _answering("Sorry, I will not say.")
    llm = MixRouterLLM(model="deepseek-v4-pro", thinking=True, api_key=FAKE_KEY, http_client=httpx.Client(transport=t))
    with pytest.raises(StructuredOutputError) as err:
        llm.structured_predict(Person, LI_PROMPT, text=LI_TEXT)
    assert err.value.model == "deepseek-v4-pro" and err.value.method == "json_mode"
    assert "Sorry, I will not say." in str(err.value)
    with pytest.raises(StructuredOutputError, match="Sorry"):
        list(llm.stream_structured_predict(Person, LI_PROMPT, text=LI_TEXT))


def _stream_tool_call(request: httpx.Request) -> httpx.Response:
    """A streamed forced tool call, arguments in three pieces (as DeepSeek and Claude-on-chat stream them)."""
    model = json.loads(request.content)["model"]
    pieces = ['{"name": ', '"Alice", "age"', ": 30}"]
    chunks: list[dict[str, Any]] = []
    for i, piece in enumerate(pieces):
        call: dict[str, Any] = {"index": 0, "function": {"arguments": piece}}
        if i == 0:
            call.update(id="call_1", type="function", function={"name": "Person", "arguments": piece})
        chunks.append({"id": "s", "model": model, "choices": [{"index": 0, "delta": {"tool_calls": [call]}}]})
    chunks.append({"id": "s", "model": model, "choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]})
    text = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"
    return httpx.Response(200, content=text.encode(), headers={"content-type": "text/event-stream"})


def test_llama_streamed_tool_call_is_read_by_llamaindex_core_programs():
    """LlamaIndex core's streaming programs read tool calls from additional_kwargs["tool_calls"]."""
    from llama_index.core.program.function_program import FunctionCallingProgram

    from llama_index_mixrouter import MixRouterLLM

    llm = MixRouterLLM(
        model="deepseek-v4-pro",
        thinking=False,
        api_key=FAKE_KEY,
        http_client=httpx.Client(transport=httpx.MockTransport(_stream_tool_call)),
    )
    program = FunctionCallingProgram.from_defaults(output_cls=Person, prompt=LI_PROMPT, llm=llm)
    parts = list(program.stream_call(text=LI_TEXT))
    assert parts[-1].name == "Alice" and parts[-1].age == 30
    final = list(llm.stream_structured_predict(Person, LI_PROMPT, text=LI_TEXT))[-1]
    assert final == ALICE


@pytest.mark.parametrize(("model", "settings", "method", "path"), CASES, ids=IDS)
async def test_llama_query_engine_with_output_cls(model, settings, method, path):
    from llama_index.core import Document, SummaryIndex

    wire = StubWire()
    index = SummaryIndex.from_documents([Document(text=LI_TEXT)])
    engine = index.as_query_engine(llm=wire.llama(model, **settings), output_cls=Person)
    assert engine.query("Who is mentioned, and how old?").response == ALICE
    assert (await engine.aquery("Who is mentioned, and how old?")).response == ALICE
    _check_wire(wire, method, path)
