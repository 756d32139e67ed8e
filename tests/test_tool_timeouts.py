"""A tool's ``timeout`` bounds the whole tool call, from the user's side, in both faces and the CLI.

The server's task never finishes (or a poll never answers). Each test asserts behaviour, not wall-clock time: the
call returns, its answer names the task id and how to resume, the number of polls is bounded by the poll schedule,
and every request went to httpx with its timeouts cut to the tool's limit.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from langchain_core.messages import ToolMessage

from langchain_mixrouter import ChatMixRouter, MixRouterVideoStatusTool, MixRouterVideoTool
from llama_index_mixrouter import MixRouterVideoTool as LlamaVideoTool
from llama_index_mixrouter import MixRouterVideoToolSpec
from mixrouter import VideoStatus, VideoTask
from mixrouter.cli import main
from tests.loopback import Loopback, delay, reply
from tests.scripted import completion

KEY = "test-key-abcdef123456"
LIMIT = 0.3
POLL = 0.05
# Polls start POLL s apart and grow 1.5x, with up to 10% jitter: the shortest waits are 0.045, 0.0675, 0.101 s
# (0.214 s in all), and a fourth (0.152 s) would pass LIMIT, so no call can poll more than 3 times.
MAX_POLLS = 3
RUNNING = {"id": "video_1", "object": "video", "status": "in_progress", "progress": 10}
QUEUED = {"id": "video_1", "object": "video", "status": "queued", "progress": 0}
RESUME = "mixrouter video --task video_1 --wait"


class NeverDone(httpx.MockTransport):
    """MixRouter with a video task that never finishes, and a chat model that calls ``generate_video`` once and then
    answers with whatever the tool said. Keeps every request."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        super().__init__(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        if path == "/v1/videos" and request.method == "POST":
            return httpx.Response(200, json=QUEUED)
        if path == "/v1/videos/video_1":
            return httpx.Response(200, json=RUNNING)
        if path == "/v1/chat/completions":
            messages = json.loads(request.content)["messages"]
            if messages[-1]["role"] == "tool":
                return httpx.Response(200, json=completion("Still rendering: " + messages[-1]["content"]))
            call = {"id": "call_1", "type": "function", "function": {"name": "generate_video", "arguments": "{}"}}
            call["function"]["arguments"] = json.dumps({"prompt": "a cat surfing"})
            return httpx.Response(200, json=completion(None, tool_calls=[call], finish="tool_calls"))
        return httpx.Response(404, json={"error": {"message": f"no route {path}"}})

    def polls(self) -> int:
        return sum(r.method == "GET" and r.url.path == "/v1/videos/video_1" for r in self.requests)

    def video_timeouts(self) -> list[float]:
        """Every timeout value each video request was sent with (connect, read, write, pool)."""
        return [
            v for r in self.requests if r.url.path.startswith("/v1/videos") for v in r.extensions["timeout"].values()
        ]


def _assert_resumable(text: str, status: str = "in_progress") -> dict[str, Any]:
    data = json.loads(text)
    assert data["task_id"] == "video_1" and data["status"] == status
    assert "get_video_task with task_id='video_1'" in data["next"] and RESUME in data["next"]
    assert f"{LIMIT:g} s timeout" in data["next"]
    return data


def _assert_bounded(server: NeverDone) -> None:
    assert server.polls() <= MAX_POLLS
    assert server.video_timeouts() and max(server.video_timeouts()) <= LIMIT  # cut from the client's 600 s


# -- LangChain ------------------------------------------------------------------------------------------------------


def test_a_langchain_agent_gets_the_task_id_and_resume_hint_when_the_tool_times_out():
    from langchain.agents import create_agent

    server = NeverDone()
    clients = {"http_client": httpx.Client(transport=server), "http_async_client": httpx.AsyncClient(transport=server)}
    tool = MixRouterVideoTool(api_key=KEY, timeout=LIMIT, poll_interval=POLL, **clients)
    agent = create_agent(ChatMixRouter(model="gpt-4.1", api_key=KEY, **clients), tools=[tool])
    result = agent.invoke({"messages": [("user", "Make a short video of a cat surfing.")]})
    tool_msg = next(m for m in result["messages"] if isinstance(m, ToolMessage))
    assert tool_msg.status == "success" and tool_msg.artifact["task_id"] == "video_1"
    _assert_resumable(tool_msg.content)
    assert RESUME in result["messages"][-1].content  # the model was told, and passed it on
    _assert_bounded(server)


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_a_langchain_tool_call_returns_at_the_limit(mode):
    server = NeverDone()
    tool = MixRouterVideoTool(
        api_key=KEY,
        timeout=LIMIT,
        poll_interval=POLL,
        http_client=httpx.Client(transport=server),
        http_async_client=httpx.AsyncClient(transport=server),
    )
    call = {"type": "tool_call", "id": "tc1", "name": "generate_video", "args": {"prompt": "a cat"}}
    msg = tool.invoke(call) if mode == "sync" else await tool.ainvoke(call)
    assert msg.status == "success"
    _assert_resumable(msg.content)
    _assert_bounded(server)


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_a_poll_that_never_answers_is_cut_at_the_limit(mode):
    # a real socket: the poll's read timeout, cut to the time left, is what ends the call (600 s otherwise)
    with Loopback([reply(200, QUEUED), delay(30, reply(200, RUNNING))], repeat_last=True) as srv:
        tool = MixRouterVideoTool(api_key=KEY, base_url=srv.base_url, timeout=LIMIT, poll_interval=POLL)
        call = {"type": "tool_call", "id": "tc1", "name": "generate_video", "args": {"prompt": "a cat"}}
        msg = tool.invoke(call) if mode == "sync" else await tool.ainvoke(call)
        attempts = srv.attempts
    assert msg.status == "success"
    _assert_resumable(msg.content, status="queued")  # the last state known: the submission's
    assert attempts == 2  # the submission and the one poll that hung; never retried


def test_a_submission_that_never_answers_is_error_text_not_a_hang():
    with Loopback([delay(30, reply(200, QUEUED))]) as srv:
        tool = MixRouterVideoTool(api_key=KEY, base_url=srv.base_url, timeout=LIMIT)
        msg = tool.invoke({"type": "tool_call", "id": "tc1", "name": "generate_video", "args": {"prompt": "a cat"}})
        attempts = srv.attempts
    assert msg.status == "error" and attempts == 1
    assert msg.content.startswith("MixRouter did not answer within the tool's time limit: POST /v1/videos:")
    assert "No task id came back" in msg.content


def test_the_status_tool_is_bounded_by_its_timeout_too():
    with Loopback([delay(30, reply(200, RUNNING))]) as srv:
        tool = MixRouterVideoStatusTool(api_key=KEY, base_url=srv.base_url, timeout=LIMIT)
        msg = tool.invoke({"type": "tool_call", "id": "tc1", "name": "get_video_task", "args": {"task_id": "video_1"}})
    assert msg.status == "error" and "GET /v1/videos/video_1" in msg.content and "time limit" in msg.content
    assert "No task id came back" not in msg.content


def test_request_timeout_stays_the_per_request_limit():
    server = NeverDone()
    tool = MixRouterVideoTool(
        api_key=KEY, timeout=60, request_timeout=0.2, poll_interval=POLL, http_client=httpx.Client(transport=server)
    )
    tool._videos.clock = _Ticking(step=5.0)  # every reading of the clock moves 5 s on: the 60 s pass in a few polls
    msg = tool.invoke({"type": "tool_call", "id": "tc1", "name": "generate_video", "args": {"prompt": "a cat"}})
    assert json.loads(msg.content)["task_id"] == "video_1"
    assert max(server.video_timeouts()) <= 0.2  # the smaller of the two limits wins


class _Ticking:
    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


# -- LlamaIndex -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_a_llamaindex_tool_call_returns_at_the_limit(mode):
    server = NeverDone()
    tool = LlamaVideoTool(
        api_key=KEY,
        timeout=LIMIT,
        poll_interval=POLL,
        http_client=httpx.Client(transport=server),
        async_http_client=httpx.AsyncClient(transport=server),
    )
    out = tool.call(prompt="a cat") if mode == "sync" else await tool.acall(prompt="a cat")
    assert not out.is_error
    _assert_resumable(out.content)
    assert isinstance(out.raw_output, VideoTask) and out.raw_output.status is VideoStatus.IN_PROGRESS
    _assert_bounded(server)


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_a_llamaindex_poll_that_never_answers_is_cut_at_the_limit(mode):
    with Loopback([reply(200, QUEUED), delay(30, reply(200, RUNNING))], repeat_last=True) as srv:
        tool = LlamaVideoTool(api_key=KEY, base_url=srv.base_url, timeout=LIMIT, poll_interval=POLL)
        out = tool.call(prompt="a cat") if mode == "sync" else await tool.acall(prompt="a cat")
        attempts = srv.attempts
    assert not out.is_error
    _assert_resumable(out.content, status="queued")
    assert attempts == 2


async def test_llamaindex_submit_and_get_are_bounded_by_the_same_timeout():
    with Loopback([delay(30, reply(200, RUNNING))], repeat_last=True) as srv:
        submit, get = MixRouterVideoToolSpec(api_key=KEY, base_url=srv.base_url, timeout=LIMIT).to_tool_list()[1:]
        submitted = await submit.acall(prompt="a cat")
        got = get.call(task_id="video_1")
    assert submitted.is_error and "POST /v1/videos" in submitted.content and "No task id came back" in submitted.content
    assert got.is_error and "GET /v1/videos/video_1" in got.content


# -- the command line -------------------------------------------------------------------------------------------


def test_cli_timeout_is_the_whole_command_and_prints_how_to_resume(monkeypatch, capsys):
    with Loopback([reply(200, QUEUED), reply(200, RUNNING)], repeat_last=True) as srv:
        monkeypatch.setenv("MIXROUTER_BASE_URL", srv.base_url)
        code = main(["video", "a cat", "--wait", "--timeout", str(LIMIT), "--poll-interval", str(POLL)])
        attempts = srv.attempts
    out, err = capsys.readouterr()
    assert code == 1 and out.splitlines()[0] == "task video_1: queued"
    assert f"mixrouter: task video_1 is still in_progress, 10% after the {LIMIT:g} s --timeout" in err
    assert f"it keeps running. Resume with: {RESUME}" in err
    assert attempts <= 1 + MAX_POLLS


def test_cli_a_stuck_poll_is_cut_by_the_timeout_and_download_resume_is_suggested(monkeypatch, capsys, tmp_path):
    with Loopback([reply(200, QUEUED), delay(30, reply(200, RUNNING))], repeat_last=True) as srv:
        monkeypatch.setenv("MIXROUTER_BASE_URL", srv.base_url)
        target = tmp_path / "cat.mp4"
        code = main(["video", "a cat", "--download", str(target), "--timeout", str(LIMIT), "--poll-interval", "0.01"])
        attempts = srv.attempts
    err = capsys.readouterr().err
    assert code == 1 and attempts == 2 and not target.exists()
    assert f"Resume with: mixrouter video --task video_1 --download {target}" in err


def test_cli_request_timeout_is_each_request(monkeypatch, capsys):
    with Loopback([delay(30, reply(200, QUEUED))]) as srv:
        monkeypatch.setenv("MIXROUTER_BASE_URL", srv.base_url)
        code = main(["video", "a cat", "--request-timeout", "0.2", "--timeout", "60"])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("mixrouter: POST /v1/videos: MixRouter sent nothing within the read timeout")


def test_cli_rejects_a_timeout_that_is_not_positive(capsys):
    assert main(["video", "a cat", "--timeout", "0"]) == 2
    assert "--timeout must be a positive number of seconds" in capsys.readouterr().err
