"""MixRouterVideoToolSpec / MixRouterVideoTool for LlamaIndex: tools, progress events, timeouts, an agent replay."""

from __future__ import annotations

import json

import pytest
from llama_index.core.agent.workflow import FunctionAgent, ToolCallResult

from llama_index_mixrouter import MixRouterLLM, MixRouterVideoTool, MixRouterVideoToolSpec, VideoProgressEvent
from mixrouter import VideoStatus, VideoTask
from tests.scripted import Scripted, llama_clients

KEY = "test-key-abcdef123456"
URL = "https://cdn.example.com/v.mp4"


def task(status: str, **extra) -> dict:
    return {"id": "video_1", "object": "video", "model": "veo-3.1-fast-generate-preview", "status": status, **extra}


DONE = task("completed", progress=100, metadata={"url": URL})


def spec_for(t: Scripted, **kw) -> MixRouterVideoToolSpec:
    return MixRouterVideoToolSpec(
        **{"api_key": KEY, "max_retries": 0, "poll_interval": 0.001, **llama_clients(t), **kw}
    )


def test_three_tools_with_explicit_schemas_and_native_async():
    tools = spec_for(Scripted(DONE)).to_tool_list()
    assert [t.metadata.name for t in tools] == ["generate_video", "submit_video_task", "get_video_task"]
    params = tools[0].metadata.get_parameters_dict()
    assert params["required"] == ["prompt"] and "ctx" not in params["properties"]
    assert all(p.get("description") for p in params["properties"].values())
    assert tools[2].metadata.get_parameters_dict()["required"] == ["task_id"]
    assert all(len(t.metadata.description) < 1024 for t in tools)
    assert KEY not in repr(spec_for(Scripted(DONE)))


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_generate_video_without_a_context_returns_json_and_the_typed_task(mode):
    t = Scripted(task("queued"), task("in_progress", progress=50), DONE)
    tool = MixRouterVideoTool(**{"api_key": KEY, "max_retries": 0, "poll_interval": 0.001, **llama_clients(t)})
    out = tool.call(prompt="a cat surfing") if mode == "sync" else await tool.acall(prompt="a cat surfing")
    assert json.loads(out.content)["video_url"] == URL and not out.is_error
    assert isinstance(out.raw_output, VideoTask) and out.raw_output.status is VideoStatus.COMPLETED
    assert out.raw_input["kwargs"] == {"prompt": "a cat surfing"}


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_submit_then_get_for_agents_that_check_back(mode):
    submit, get = spec_for(Scripted(task("queued"), DONE)).to_tool_list()[1:]
    if mode == "sync":
        first, later = submit.call(prompt="a cat"), get.call(task_id="video_1")
    else:
        first, later = await submit.acall(prompt="a cat"), await get.acall(task_id="video_1")
    assert json.loads(first.content)["status"] == "queued" and "get_video_task" in json.loads(first.content)["next"]
    assert later.raw_output.video_url == URL


def test_timeout_returns_the_running_task_id():
    spec = spec_for(Scripted(task("queued"), task("in_progress", progress=10)), timeout=0.05, poll_interval=0.005)
    out = spec.to_tool_list()[0].call(prompt="slow cat")
    text = json.loads(out.content)
    assert text["task_id"] == "video_1" and text["status"] == "in_progress" and not out.is_error
    assert "get_video_task with task_id='video_1'" in text["next"]
    assert "mixrouter video --task video_1 --wait" in text["next"] and "0.05 s timeout" in text["next"]
    assert out.raw_output.id == "video_1"


def test_timeout_bounds_the_whole_call_and_request_timeout_each_request():
    spec = spec_for(Scripted(DONE), timeout=30, request_timeout=7)
    assert (spec.timeout, spec.request_timeout) == (30, 7) and "timeout=30" in repr(spec)
    assert spec._videos.transport.timeouts.read == 7
    default = spec_for(Scripted(DONE))
    assert default.timeout == 600 and default._videos.transport.timeouts.read == 600


def test_wait_timeout_is_a_deprecated_alias_of_timeout():
    with pytest.warns(DeprecationWarning, match="wait_timeout is deprecated: use timeout=90") as seen:
        spec = spec_for(Scripted(DONE), wait_timeout=90)
    assert (spec.timeout, spec.request_timeout) == (90, None)
    assert seen[0].filename == __file__
    with pytest.warns(DeprecationWarning, match="wait_timeout is deprecated"):
        one = MixRouterVideoTool(api_key=KEY, wait_timeout=90)  # the single-tool factory points at this line too
    assert one.metadata.name == "generate_video"
    with pytest.warns(DeprecationWarning, match="request_timeout=20, timeout=300"):
        old = spec_for(Scripted(DONE), timeout=20, wait_timeout=300)
    assert (old.timeout, old.request_timeout) == (300, 20)


def test_failures_and_bad_arguments_are_error_outputs_with_the_reason():
    failed = task("failed", error={"message": "rejected by the content filter", "code": "content_policy_violation"})
    out = spec_for(Scripted(task("queued"), failed)).to_tool_list()[0].call(prompt="x")
    assert out.is_error and "content_policy_violation" in out.content and "rejected" in out.content
    t = Scripted(DONE)
    bad = spec_for(t).to_tool_list()[0].call(prompt="x", model="wan2.6-t2v", image_urls=["https://x/y.png"])
    assert bad.is_error and "takes no images" in bad.content and t.bodies == []


def test_timeouts_must_be_positive():
    for name in ("timeout", "request_timeout", "wait_timeout"):
        with pytest.raises(ValueError, match=f"^{name} must be a positive number of seconds"):
            MixRouterVideoToolSpec(api_key=KEY, **{name: 0})


# -- a FunctionAgent, replayed ---------------------------------------------------------------------------------------


@pytest.mark.vcr
@pytest.mark.filterwarnings("ignore::DeprecationWarning:inspect")
async def test_function_agent_calls_the_video_tool_with_progress_and_ends_with_the_url():
    agent = FunctionAgent(
        tools=[MixRouterVideoTool(poll_interval=0.01)],
        llm=MixRouterLLM(model="gpt-4.1"),
    )
    handler = agent.run("Make a short video of a paper boat on a river.")
    progress, results = [], []
    async for event in handler.stream_events():
        if isinstance(event, VideoProgressEvent):
            progress.append(event.status)
        if isinstance(event, ToolCallResult):
            results.append(event.tool_output)
    output = await handler
    assert progress == ["queued", "in_progress", "completed"]
    url = results[0].raw_output.video_url
    assert url.endswith("/content") and url in str(output.response.content)
