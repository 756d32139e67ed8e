"""A known key goes through every public entry point of both faces, and appears nowhere in what they produce:
answers, streamed chunks, errors, reprs, serialisation, ``to_dict``/``to_json``, DEBUG logs, LangChain callbacks and
events, LlamaIndex instrumentation events. (Cassettes are scanned by ``test_secrets.py``.)"""

from __future__ import annotations

import json
import logging
import pickle
from typing import Any, ClassVar

import httpx
import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.load import dumps
from langchain_core.tools import tool
from llama_index.core.base.llms.types import ChatMessage
from llama_index.core.instrumentation import get_dispatcher
from llama_index.core.instrumentation.event_handlers import BaseEventHandler
from llama_index.core.tools import FunctionTool

from langchain_mixrouter import ChatMixRouter, MixRouterEmbeddings, MixRouterVideoTool
from llama_index_mixrouter import MixRouterEmbedding, MixRouterLLM, MixRouterVideoToolSpec
from mixrouter import MixRouterError
from tests.loopback import Loopback, reply
from tests.stub.server import mock_transport

KEY = "sk-entry-9c1d7e5a3b8f2046de7c1a9b"
LEAKS = (KEY, KEY[3:19], KEY[-12:])


class Recorder(BaseCallbackHandler):
    """Everything LangChain hands to callbacks, as text."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __getattribute__(self, name: str) -> Any:
        if name.startswith("on_"):
            return lambda *args, **kwargs: self.seen.append(repr(args) + repr(kwargs))
        return super().__getattribute__(name)


class EventRecorder(BaseEventHandler):
    seen: ClassVar[list[str]] = []

    @classmethod
    def class_name(cls) -> str:
        return "EventRecorder"

    def handle(self, event: Any, **kwargs: Any) -> None:
        self.seen.append(repr(event) + json.dumps(event.model_dump(), default=str))


def _assert_clean(*produced: Any) -> None:
    text = "\n".join(p if isinstance(p, str) else repr(p) for p in produced)
    assert text.strip(), "nothing was produced to check"
    found = [leak for leak in LEAKS if leak in text]
    where = text.index(found[0]) if found else 0
    assert not found, f"the key leaked: ...{text[max(0, where - 300) : where + 40]}"


def _lc_clients() -> dict[str, Any]:
    t = mock_transport()
    return {"http_client": httpx.Client(transport=t), "http_async_client": httpx.AsyncClient(transport=t)}


def _ll_clients() -> dict[str, Any]:
    t = mock_transport()
    return {"http_client": httpx.Client(transport=t), "async_http_client": httpx.AsyncClient(transport=t)}


@tool
def get_weather(city: str) -> str:
    """Current weather for a city."""
    return "18C"


async def test_langchain_entry_points(caplog):
    caplog.set_level(logging.DEBUG)
    rec = Recorder()
    llm = ChatMixRouter(model="gpt-4.1", api_key=KEY, callbacks=[rec], **_lc_clients())
    produced: list[Any] = [repr(llm), str(llm), llm.model_dump(), dumps(llm), llm.to_json(), llm._identifying_params]
    produced += [llm.invoke("hi"), list(llm.stream("hi")), await llm.ainvoke("hi")]
    produced += [c async for c in llm.astream("hi")]
    produced += [e async for e in llm.astream_events("hi", version="v2")]
    first = llm.bind_tools([get_weather]).invoke("Weather in 'Paris'?")
    produced += [first, first.tool_calls]
    produced.append(MixRouterEmbeddings(model="text-embedding-3-small", api_key=KEY, **_lc_clients()).embed_query("a"))
    produced.append(
        ChatMixRouter(model="claude-sonnet-4-5-20250929", api_key=KEY, thinking=True, **_lc_clients()).invoke("hi")
    )
    _assert_clean(*produced, *rec.seen, caplog.text)
    assert len(rec.seen) > 10  # the callbacks really ran


def test_langchain_errors_and_tool_errors(caplog):
    caplog.set_level(logging.DEBUG)
    echoed = {"error": {"message": f"Incorrect API key provided: {KEY}", "code": "invalid_api_key"}}
    with Loopback([reply(401, echoed), reply(401, echoed)]) as srv:
        llm = ChatMixRouter(model="gpt-4o-mini", api_key=KEY, base_url=srv.base_url, max_retries=0)
        with pytest.raises(MixRouterError) as info:
            llm.invoke("hi")
        video = MixRouterVideoTool(api_key=KEY, base_url=srv.base_url, max_retries=0)
        tool_out = video.invoke({"prompt": "a cat"})
    err = info.value
    _assert_clean(str(err), repr(err), repr(err.__cause__), pickle.loads(pickle.dumps(err)), tool_out, repr(video))
    _assert_clean(caplog.text or "(no logs)")


async def test_llamaindex_entry_points_and_instrumentation(caplog):
    caplog.set_level(logging.DEBUG)
    recorder = EventRecorder()
    dispatcher = get_dispatcher()
    dispatcher.add_event_handler(recorder)
    try:
        llm = MixRouterLLM(model="gpt-4.1", api_key=KEY, **_ll_clients())
        msgs = [ChatMessage(role="user", content="hi")]
        # (pickle is not in this list on purpose: it moves a live object to another process, key included, as
        # pickling any client does; to_dict / to_json are the serialisations and they leave the key out)
        produced: list[Any] = [repr(llm), llm.to_dict(), llm.to_json(), llm.metadata]
        produced += [llm.chat(msgs), list(llm.stream_chat(msgs)), await llm.achat(msgs), llm.complete("hi")]
        produced += [r async for r in await llm.astream_chat(msgs)]
        weather = FunctionTool.from_defaults(fn=lambda city: "18C", name="get_weather", description="Weather.")
        produced.append(llm.chat_with_tools([weather], "Weather in 'Paris'?"))
        produced.append(MixRouterEmbedding(api_key=KEY, **_ll_clients()).get_text_embedding("a"))
        spec = MixRouterVideoToolSpec(api_key=KEY, **_ll_clients())
        produced += [repr(spec)]
    finally:
        dispatcher.event_handlers.remove(recorder)
    _assert_clean(*produced, *recorder.seen, caplog.text)
    assert len(recorder.seen) > 10  # the instrumentation events really fired


async def test_llamaindex_errors(caplog):
    caplog.set_level(logging.DEBUG)
    echoed = {"error": {"message": f"key {KEY} is disabled", "code": "forbidden"}}
    with Loopback([reply(403, echoed)]) as srv:
        llm = MixRouterLLM(model="gpt-4o-mini", api_key=KEY, api_base=srv.base_url, max_retries=0)
        with pytest.raises(MixRouterError) as info:
            await llm.achat([ChatMessage(role="user", content="hi")])
    _assert_clean(str(info.value), repr(info.value), caplog.text or "(no logs)")
