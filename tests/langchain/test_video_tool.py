"""MixRouterVideoTool for LangChain: tool calls, progress events, timeouts, errors, and an agent from cassettes."""

from __future__ import annotations

import json

import pytest
from langchain_core.messages import ToolMessage

from langchain_mixrouter import ChatMixRouter, MixRouterVideoStatusTool, MixRouterVideoTool
from tests.scripted import Scripted

KEY = "test-key-abcdef123456"
URL = "https://cdn.example.com/v.mp4"


def task(status: str, **extra) -> dict:
    return {"id": "video_1", "object": "video", "model": "veo-3.1-fast-generate-preview", "status": status, **extra}


DONE = task("completed", progress=100, metadata={"url": URL})


def tool_for(t: Scripted, **kw) -> MixRouterVideoTool:
    return MixRouterVideoTool(**{"api_key": KEY, "max_retries": 0, "poll_interval": 0.001, **t.clients(), **kw})


def call(args: dict, name: str = "generate_video") -> dict:
    return {"type": "tool_call", "id": "tc1", "name": name, "args": args}


def test_a_tool_call_gives_short_text_and_the_task_as_artifact():
    t = Scripted(task("queued"), task("in_progress", progress=50), DONE)
    msg = tool_for(t).invoke(call({"prompt": "a cat surfing", "duration": 8, "resolution": "720p"}))
    assert isinstance(msg, ToolMessage) and msg.status == "success"
    text = json.loads(msg.content)
    assert text["status"] == "completed" and text["video_url"] == URL and "next" in text
    assert msg.artifact["task_id"] == "video_1" and msg.artifact["raw"]["metadata"]["url"] == URL
    assert t.bodies[0] == {
        "model": "veo-3.1-fast-generate-preview",
        "prompt": "a cat surfing",
        "duration": 8,
        "metadata": {"resolution": "720p"},
    }


def test_schema_is_what_an_llm_can_follow_and_holds_no_key():
    tool = tool_for(Scripted(DONE))
    schema = tool.tool_call_schema.model_json_schema()
    assert schema["required"] == ["prompt"]
    assert {"model", "image_urls", "duration", "resolution", "ratio"} <= set(schema["properties"])
    assert all(p.get("description") for p in schema["properties"].values())
    assert KEY not in repr(tool) + json.dumps(schema) + str(tool.model_dump())


async def test_progress_is_a_custom_event_in_astream_events():
    t = Scripted(task("queued"), task("in_progress", progress=50), DONE)
    events = [e async for e in tool_for(t).astream_events({"prompt": "a cat"}, version="v2")]
    custom = [e for e in events if e["event"] == "on_custom_event"]
    assert {e["name"] for e in custom} == {"mixrouter_video_progress"}
    assert [e["data"]["status"] for e in custom] == ["queued", "in_progress", "completed"]
    assert custom[1]["data"]["progress"] == 50


def test_sync_progress_reaches_callbacks():
    from langchain_core.callbacks import BaseCallbackHandler

    class Seen(BaseCallbackHandler):
        def __init__(self):
            self.events = []

        def on_custom_event(self, name, data, **kw):
            self.events.append((name, data["status"]))

    seen = Seen()
    tool_for(Scripted(task("queued"), DONE)).invoke({"prompt": "a cat"}, config={"callbacks": [seen]})
    assert seen.events == [("mixrouter_video_progress", "queued"), ("mixrouter_video_progress", "completed")]


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_timeout_returns_the_task_id_and_the_status_tool_picks_it_up(mode):
    t = Scripted(task("queued"), task("in_progress", progress=10))
    tool = tool_for(t, timeout=0.05, poll_interval=0.005)
    msg = tool.invoke(call({"prompt": "a cat"})) if mode == "sync" else await tool.ainvoke(call({"prompt": "a cat"}))
    text = json.loads(msg.content)
    assert msg.status == "success" and text["task_id"] == "video_1" and text["status"] == "in_progress"
    assert "get_video_task with task_id='video_1'" in text["next"]
    assert "mixrouter video --task video_1 --wait" in text["next"] and "0.05 s timeout" in text["next"]
    later = MixRouterVideoStatusTool(api_key=KEY, max_retries=0, **Scripted(DONE).clients())
    done = later.invoke(call({"task_id": "video_1"}, "get_video_task"))
    assert json.loads(done.content)["video_url"] == URL


def test_timeout_bounds_the_whole_call_and_request_timeout_each_request():
    tool = tool_for(Scripted(DONE), timeout=30, request_timeout=7)
    assert (tool.timeout, tool.request_timeout) == (30, 7)
    assert tool._videos.transport.timeouts.read == 7  # the per-request limit is the client's timeout
    default = tool_for(Scripted(DONE))
    assert default.timeout == 600 and default.request_timeout is None
    assert default._videos.transport.timeouts.read == 600


def test_wait_timeout_is_a_deprecated_alias_of_timeout():
    with pytest.warns(DeprecationWarning, match="wait_timeout is deprecated: use timeout=90") as seen:
        tool = tool_for(Scripted(DONE), wait_timeout=90)
    assert (tool.timeout, tool.request_timeout) == (90, None)
    assert seen[0].filename == __file__  # points at the caller's line, not at pydantic or LangChain
    # the old pair (timeout per request, wait_timeout for the wait) keeps meaning what it meant
    with pytest.warns(DeprecationWarning, match="request_timeout=20, timeout=300"):
        old = tool_for(Scripted(DONE), timeout=20, wait_timeout=300)
    assert (old.timeout, old.request_timeout) == (300, 20)
    with pytest.raises(ValueError, match="pass timeout"):
        tool_for(Scripted(DONE), timeout=20, request_timeout=5, wait_timeout=300)


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_a_failed_task_is_error_text_the_model_can_act_on(mode):
    failed = task("failed", error={"message": "rejected by the content filter", "code": "content_policy_violation"})
    tool = tool_for(Scripted(task("queued"), failed))
    msg = tool.invoke(call({"prompt": "x"})) if mode == "sync" else await tool.ainvoke(call({"prompt": "x"}))
    assert msg.status == "error"
    assert msg.content.startswith("Video generation failed (code content_policy_violation): rejected by the content")


def test_a_bad_argument_is_error_text_and_nothing_is_sent():
    t = Scripted(DONE)
    msg = tool_for(t).invoke(call({"prompt": "x", "model": "sora-2", "duration": 5}))
    assert msg.status == "error" and "duration=5 seconds is not accepted by 'sora-2'" in msg.content
    assert t.bodies == []


# -- an agent, replayed ---------------------------------------------------------------------------------------------


@pytest.mark.vcr
def test_create_agent_calls_the_video_tool_and_ends_with_the_url(vcr):
    from langchain.agents import create_agent

    agent = create_agent(
        ChatMixRouter(model="gpt-4.1"),
        tools=[MixRouterVideoTool(poll_interval=0.01), MixRouterVideoStatusTool()],
    )
    result = agent.invoke({"messages": [("user", "Make a short video of a cat surfing at sunset.")]})
    tool_msg = next(m for m in result["messages"] if isinstance(m, ToolMessage))
    url = json.loads(tool_msg.content)["video_url"]
    assert tool_msg.artifact["status"] == "completed" and url.endswith("/content")
    assert url in result["messages"][-1].content
    assert [r.method for r in vcr.requests][:3] == ["POST", "POST", "GET"]  # chat, submit, first poll
