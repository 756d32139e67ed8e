"""What an outside review of the seams found, each pinned from the user's side: streamed structured output with
prose around the JSON, agents streamed, warnings at the user's line, LangChain's own ``stream=``, the method chosen
for the call's own thinking state and model, strict schemas, GLM's ``none``, partials that never go backwards,
TypedDict / JSON-schema shapes checked, and per-call names that are not settings."""

from __future__ import annotations

import json
import warnings

import pytest
from langchain_core.exceptions import OutputParserException
from llama_index.core.prompts import PromptTemplate
from pydantic import BaseModel
from typing_extensions import TypedDict

from langchain_mixrouter import ChatMixRouter
from llama_index_mixrouter import MixRouterLLM
from tests.conftest import FAKE_KEY
from tests.scripted import Scripted, completion, delta, llama_clients
from tests.seams import StubWire, get_weather


class Person(BaseModel):
    name: str
    age: int


class PersonDict(TypedDict):
    name: str
    age: int


ALICE = Person(name="Alice", age=30)
JSON = '{"name": "Alice", "age": 30}'


def _stream(*pieces: str, model: str = "glm-4.6") -> list:
    return [delta({"content": p}, model=model) for p in pieces] + [delta(finish="stop", model=model)]


class Answering(Scripted):
    """One answer, sent as JSON or as a stream, whichever the request asks for."""

    def __init__(self, *pieces: str) -> None:
        self._json = completion("".join(pieces), model="glm-4.6")
        self._sse = _stream(*pieces)
        super().__init__(self._json)

    def _handle(self, request):  # type: ignore[no-untyped-def]
        self.answers = [self._sse if json.loads(request.content).get("stream") else self._json]
        return super()._handle(request)


def _lc(transport: Scripted, model: str = "glm-4.6", **kw) -> ChatMixRouter:
    return ChatMixRouter(model=model, api_key=FAKE_KEY, max_retries=0, **transport.clients(), **kw)


PROSE_AROUND = ("Sure! Here is the JSON:\n```js", 'on\n{"name": "Ali', 'ce", "age": 30}\n```', "\nLet me know!")


@pytest.mark.parametrize("mode", ["stream", "astream"])
async def test_langchain_streamed_structured_output_with_prose_around_the_json(mode):
    runnable = _lc(Scripted(_stream(*PROSE_AROUND))).with_structured_output(Person)
    parts = list(runnable.stream("x")) if mode == "stream" else [p async for p in runnable.astream("x")]
    assert parts and parts[-1] == ALICE


def test_langchain_streamed_answer_without_json_raises_like_invoke():
    llm = _lc(Scripted(_stream("Sorry, ", "I cannot help.")))
    with pytest.raises(OutputParserException, match=r"glm-4.6 \(json_mode\).*Sorry, I cannot help"):
        list(llm.with_structured_output(Person).stream("x"))


def test_langchain_streamed_tool_call_after_some_text_is_read():
    call = {"index": 0, "id": "c1", "type": "function", "function": {"name": "Person", "arguments": JSON}}
    chunks = [delta({"content": "I'll record that."}), delta({"tool_calls": [call]}), delta(finish="tool_calls")]
    runnable = _lc(Scripted(chunks), "deepseek-chat").with_structured_output(Person)
    assert list(runnable.stream("x"))[-1] == ALICE


def test_a_streamed_json_answer_is_cut_to_its_value_like_invoke():
    llm = _lc(Scripted(_stream(*PROSE_AROUND)))
    bound = llm.bind(response_format={"type": "json_object"})
    text = "".join(c.content for c in bound.stream("Answer in JSON."))
    assert text == JSON


@pytest.mark.parametrize("streaming", [False, True])
def test_create_agent_reads_a_json_answer_with_prose_around_it_when_the_model_streams(streaming):
    from langchain.agents import create_agent

    llm = _lc(Answering(*PROSE_AROUND), streaming=streaming)
    agent = create_agent(model=llm, tools=[], response_format=Person)
    inputs = {"messages": [{"role": "user", "content": "x"}]}
    last = None
    for mode, value in agent.stream(inputs, stream_mode=["messages", "values"]):
        if mode == "values":
            last = value
    assert last["structured_response"] == ALICE


def test_core_warnings_point_at_the_users_line():
    wire = StubWire()
    bound = wire.langchain("glm-4.6").bind_tools([get_weather], tool_choice="get_weather")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        bound.invoke("Weather in 'Paris'?")
    ours = [w for w in caught if "forced tool_choice" in str(w.message)]
    assert ours and all(w.filename == __file__ for w in ours)
    assert "(it takes tool_choice 'auto' only)" in str(ours[0].message)


def test_langchains_own_stream_switch_is_not_a_request_setting():
    wire = StubWire()
    llm = wire.langchain("gpt-4o-mini")
    assert llm.invoke("hi", stream=True).content and wire.last["stream"] is True
    assert llm.invoke("hi", stream=False).content and wire.last["stream"] is False


def test_the_method_follows_the_calls_own_thinking_and_model():
    wire = StubWire()
    structured = wire.langchain("deepseek-v4-pro", thinking=False).with_structured_output(Person)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert structured.invoke("'Alice' is 30.", thinking=True) == ALICE
    assert "tools" not in wire.last and wire.last["response_format"] == {"type": "json_object"}
    assert not [w for w in caught if "tool_choice" in str(w.message) or "json_schema" in str(w.message)]
    assert structured.invoke("'Alice' is 30.") == ALICE and wire.last["tool_choice"]["function"]["name"] == "Person"
    mini = wire.langchain("gpt-4o-mini").with_structured_output(Person)
    assert mini.invoke("'Alice' is 30.", model="deepseek-v4-pro") == ALICE
    assert wire.last["model"] == "deepseek-v4-pro" and "json_schema" not in str(wire.last)
    llama = wire.llama("claude-sonnet-4-5-20250929", additional_kwargs={"thinking_budget": 2048})
    assert llama.structured_predict(Person, PromptTemplate("{t}"), t="'Alice' is 30.") == ALICE
    assert wire.last_path == "/v1/messages" and "tool_choice" not in wire.last


def _closed(node: object) -> bool:
    """Every object in the schema, nested ones and ``$defs`` included, is closed with all properties required."""
    if isinstance(node, list):
        return all(_closed(n) for n in node)
    if not isinstance(node, dict):
        return True
    props = node.get("properties")
    here = props is None or (node.get("additionalProperties") is False and set(node["required"]) == set(props))
    return here and all(_closed(v) for v in node.values())


def _objects(node: object) -> int:
    if isinstance(node, list):
        return sum(_objects(n) for n in node)
    if not isinstance(node, dict):
        return 0
    return ("properties" in node) + sum(_objects(v) for v in node.values())


def test_strict_json_schema_is_closed_all_the_way_down_in_both_faces():
    class Pet(BaseModel):
        name: str
        owner: Person

    wire = StubWire()
    wire.langchain("gpt-4o-mini").with_structured_output(Pet, strict=True).invoke("'Rex' and 'Alice' is 30")
    spec = wire.last["response_format"]["json_schema"]
    assert spec["strict"] is True and _closed(spec["schema"]) and _objects(spec["schema"]) == 2
    wire.llama("gpt-4o-mini", strict=True).structured_predict(Pet, PromptTemplate("{t}"), t="'Rex' and 'Alice' 30")
    spec = wire.last["response_format"]["json_schema"]
    assert spec["strict"] is True and _closed(spec["schema"]) and _objects(spec["schema"]) == 2


def test_glm_tool_choice_none_sends_no_tools_instead_of_a_refused_choice():
    wire = StubWire()
    msg = wire.langchain("glm-4.6").bind_tools([get_weather], tool_choice="none").invoke("Weather in 'Paris'?")
    assert not msg.tool_calls and "tools" not in wire.last and "tool_choice" not in wire.last


def test_llama_stream_partials_never_go_backwards():
    pieces = ['{"name": "Ali', 'ce", "age": 3', "0}", "\n\nThis is the extracted person."]
    llm = MixRouterLLM(model="glm-4.6", api_key=FAKE_KEY, **llama_clients(Scripted(_stream(*pieces))))
    parts = list(llm.stream_structured_predict(Person, PromptTemplate("{t}"), t="x"))
    filled = [sum(v is not None for v in p.model_dump().values()) for p in parts]
    assert filled == sorted(filled) and parts[-1] == ALICE


@pytest.mark.parametrize("schema", [PersonDict, Person.model_json_schema()], ids=["typeddict", "json-schema"])
@pytest.mark.parametrize("answer", ['{"name": "Alice"}', '[{"name": "Alice", "age": 30}]'], ids=["missing", "list"])
def test_typeddict_and_json_schema_outputs_of_the_wrong_shape_are_errors(schema, answer):
    llm = _lc(Answering(answer))
    with pytest.raises(OutputParserException, match="does not fit the schema"):
        llm.with_structured_output(schema).invoke("x")


def test_stream_options_is_a_wire_field_and_timeout_per_call_says_where_it_belongs():
    wire = StubWire()
    llm = wire.langchain("gpt-4o-mini")
    list(llm.stream("hi", stream_options={"include_obfuscation": False}))
    assert wire.last["stream_options"] == {"include_usage": True, "include_obfuscation": False}
    with pytest.raises(ValueError, match="timeouts are set on the model"):
        llm.invoke("hi", timeout=5)
