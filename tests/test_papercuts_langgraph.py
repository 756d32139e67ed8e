"""Issue 17: the video, image and speech tools' progress reaches LangGraph's ``stream_mode="custom"`` in an agent run
(``create_agent`` against the local stub on loopback: the stand-in model calls the tool, the stub plays the task),
and the tools work as before where there is no LangGraph run or no langgraph at all."""

from __future__ import annotations

import sys

import pytest
from langchain.agents import create_agent

from langchain_mixrouter import ChatMixRouter, MixRouterImageTool, MixRouterSpeechTool, MixRouterVideoTool
from langchain_mixrouter.video_tool import langgraph_writer
from tests.stub.server import serve

KEY = "test-key-langgraph-123456"
VIDEO_ASK = {"messages": [("user", "Make a short video of a cat surfing at sunset.")]}
IMAGE_ASK = {"messages": [("user", "Make a picture of a red fox in the snow.")]}
SPEECH_ASK = {"messages": [("user", "Read 'good morning' aloud.")]}


@pytest.fixture(scope="module")
def base_url():
    server, base = serve()
    yield base
    server.shutdown()


def _agent(base_url: str, tool_class: type, **tool_kw) -> object:
    model = ChatMixRouter(model="gpt-4.1", api_key=KEY, base_url=base_url, max_retries=0)
    return create_agent(model, tools=[tool_class(api_key=KEY, base_url=base_url, max_retries=0, **tool_kw)])


def test_video_progress_reaches_stream_mode_custom(base_url):
    agent = _agent(base_url, MixRouterVideoTool, poll_interval=0.01)
    chunks = list(agent.stream(VIDEO_ASK, stream_mode="custom"))
    assert chunks and {c["name"] for c in chunks} == {"mixrouter_video_progress"}
    statuses = [c["data"]["status"] for c in chunks]
    assert statuses[0] == "queued" and statuses[-1] == "completed" and "in_progress" in statuses
    assert chunks[-1]["data"]["video_url"].endswith("/content")


async def test_video_progress_reaches_stream_mode_custom_async(base_url):
    agent = _agent(base_url, MixRouterVideoTool, poll_interval=0.01)
    chunks = [c async for c in agent.astream(VIDEO_ASK, stream_mode="custom")]
    assert [c["data"]["status"] for c in chunks][-1] == "completed"
    assert {c["name"] for c in chunks} == {"mixrouter_video_progress"}


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_image_progress_reaches_stream_mode_custom(base_url, mode):
    agent = _agent(base_url, MixRouterImageTool)
    if mode == "sync":
        chunks = list(agent.stream(IMAGE_ASK, stream_mode="custom"))
    else:
        chunks = [c async for c in agent.astream(IMAGE_ASK, stream_mode="custom")]
    assert [(c["name"], c["data"]["status"]) for c in chunks] == [
        ("mixrouter_image_progress", "started"),
        ("mixrouter_image_progress", "completed"),
    ]


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_speech_progress_reaches_stream_mode_custom(base_url, mode):
    agent = _agent(base_url, MixRouterSpeechTool)
    if mode == "sync":
        chunks = list(agent.stream(SPEECH_ASK, stream_mode="custom"))
    else:
        chunks = [c async for c in agent.astream(SPEECH_ASK, stream_mode="custom")]
    assert [(c["name"], c["data"]["status"]) for c in chunks] == [
        ("mixrouter_speech_progress", "started"),
        ("mixrouter_speech_progress", "completed"),
    ]


def test_outside_a_langgraph_run_there_is_no_writer_and_the_tool_still_works(base_url):
    assert langgraph_writer() is None  # not in a run
    tool = MixRouterVideoTool(api_key=KEY, base_url=base_url, max_retries=0, poll_interval=0.01)
    call = {"type": "tool_call", "id": "tc1", "name": "generate_video", "args": {"prompt": "a cat"}}
    assert tool.invoke(call).artifact["status"] == "completed"  # a plain runnable call: no LangGraph config


def test_without_langgraph_installed_there_is_no_writer(monkeypatch):
    monkeypatch.setitem(sys.modules, "langgraph.config", None)  # `from langgraph.config import ...` now fails
    assert langgraph_writer() is None
