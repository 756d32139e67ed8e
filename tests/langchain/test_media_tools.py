"""MixRouterImageTool and MixRouterSpeechTool for LangChain: schema, artifacts as standard content blocks, errors,
the whole-call time limit, progress events, and an agent that makes a picture and reads it aloud (replayed)."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import httpx
import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import ToolMessage

from langchain_mixrouter import ChatMixRouter, MixRouterImageTool, MixRouterSpeechTool
from mixrouter.media_tool import GenerateImageArgs, SpeakArgs
from tests.stub import media
from tests.stub.server import mock_transport

KEY = "test-key-abcdef123456"


def stub(**kw: Any) -> dict[str, Any]:
    transport = kw.pop("transport", None) or mock_transport()
    return {
        "api_key": KEY,
        "max_retries": 0,
        "http_client": httpx.Client(transport=transport),
        "http_async_client": httpx.AsyncClient(transport=transport),
        **kw,
    }


def call(args: dict[str, Any], name: str = "generate_image") -> dict[str, Any]:
    return {"type": "tool_call", "id": "call_1", "name": name, "args": args}


def test_both_tools_use_the_cores_schemas_with_descriptions():
    image, speech = MixRouterImageTool(**stub()), MixRouterSpeechTool(**stub())
    assert image.args_schema is GenerateImageArgs and speech.args_schema is SpeakArgs
    assert image.name == "generate_image" and speech.name == "speak"
    schema = image.tool_call_schema.model_json_schema()
    assert schema["required"] == ["prompt"] and all(p.get("description") for p in schema["properties"].values())
    assert KEY not in repr(image) and KEY not in repr(speech)


def test_a_picture_is_the_tool_messages_artifact_as_a_standard_image_block():
    msg = MixRouterImageTool(**stub()).invoke(call({"prompt": "a red fox", "size": "1024x1024"}))
    assert isinstance(msg, ToolMessage) and msg.status == "success"
    text = json.loads(msg.content)
    assert text["model"] == "gpt-image-1" and media.PNG_B64 not in msg.content  # the bytes stay out of the text
    [block] = msg.artifact
    assert block["type"] == "image" and block["mime_type"] == "image/png"
    assert base64.b64decode(block["base64"]) == media.PNG_1X1


async def test_speech_async_is_an_audio_block_and_can_be_saved(tmp_path):
    tool = MixRouterSpeechTool(**stub(save_dir=str(tmp_path)))
    msg = await tool.ainvoke(call({"text": "Hello there", "voice": "Ethan"}, "speak"))
    [block] = msg.artifact
    assert block["type"] == "audio" and block["mime_type"] == "audio/wav"
    assert base64.b64decode(block["base64"]) == media.WAV_BYTES
    saved = json.loads(msg.content)["path"]
    assert saved.endswith(".wav") and (tmp_path / saved.rsplit("/", 1)[-1]).read_bytes() == media.WAV_BYTES
    assert block["extras"]["url"].endswith(".wav") and block["extras"]["path"] == saved


def test_a_value_the_model_does_not_take_is_error_text_naming_the_allowed_ones():
    msg = MixRouterImageTool(**stub()).invoke(call({"prompt": "x", "model": "dall-e-3", "n": 2}))
    assert msg.status == "error" and "'dall-e-3' makes one image per request: n must be 1" in msg.content
    msg = MixRouterSpeechTool(**stub()).invoke(call({"text": "x", "voice": "alloy"}, "speak"))
    assert msg.status == "error" and "choose one of Cherry, Ethan" in msg.content


def test_a_gateway_failure_is_error_text_with_its_message():
    msg = MixRouterSpeechTool(**stub(api_key="sk-invalid-key-for-tests")).invoke(call({"text": "x"}, "speak"))
    assert msg.status == "error" and msg.content.startswith("MixRouter error: [HTTP 401")
    assert "无效的令牌" in msg.content and "POST /v1/audio/speech" in msg.content and "sk-invalid" not in msg.content


def test_the_tool_does_not_read_local_files():
    msg = MixRouterImageTool(**stub()).invoke(call({"prompt": "x", "image_url": "/etc/passwd"}))
    assert msg.status == "error" and "does not read local files" in msg.content


def test_timeout_bounds_the_whole_call_including_the_fetch(tmp_path):
    inner = mock_transport()

    def slow(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/generations"):
            time.sleep(0.3)  # the generation alone uses up the tool's whole 0.2 s
        return inner.handle_request(request)

    tool = MixRouterImageTool(**stub(transport=httpx.MockTransport(slow), timeout=0.2, save_dir=str(tmp_path)))
    msg = tool.invoke(call({"prompt": "x", "model": "dall-e-3"}))
    assert msg.status == "error" and "within the tool's time limit (0.2 s)" in msg.content
    assert "before the file could be fetched" in msg.content and list(tmp_path.iterdir()) == []


class Events(BaseCallbackHandler):
    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def on_custom_event(self, name: str, data: Any, **kwargs: Any) -> None:
        self.seen.append((name, data["status"]))


def test_progress_events_when_the_work_starts_and_ends():
    events = Events()
    MixRouterImageTool(**stub()).invoke(call({"prompt": "x"}), config={"callbacks": [events]})
    MixRouterSpeechTool(**stub()).invoke(call({"text": "x"}, "speak"), config={"callbacks": [events]})
    assert events.seen == [
        ("mixrouter_image_progress", "started"),
        ("mixrouter_image_progress", "completed"),
        ("mixrouter_speech_progress", "started"),
        ("mixrouter_speech_progress", "completed"),
    ]


async def test_progress_events_reach_astream_events():
    tool = MixRouterImageTool(**stub())
    names = [e["name"] async for e in tool.astream_events(call({"prompt": "x"}), version="v2")]
    assert names.count("mixrouter_image_progress") == 2


# -- an agent, replayed ---------------------------------------------------------------------------------------------


@pytest.mark.vcr
def test_an_agent_makes_a_picture_and_reads_it_aloud():
    from langchain.agents import create_agent

    model = ChatMixRouter(model="gpt-4.1")
    image, speech = MixRouterImageTool(), MixRouterSpeechTool()
    # The recording's stand-in model (tests/stub/fake_model.py) calls the first tool it is given, so the second turn
    # lists speak first; a real model picks the tool by name either way.
    first = create_agent(model, tools=[image, speech]).invoke(
        {"messages": [("user", "Make a picture of a red fox in the snow.")]}
    )
    second = create_agent(model, tools=[speech, image]).invoke(
        {"messages": [*first["messages"], ("user", "Now read a one-line caption of the picture aloud.")]}
    )
    tools = [m for m in second["messages"] if isinstance(m, ToolMessage)]
    assert [m.name for m in tools] == ["generate_image", "speak"]
    assert tools[0].artifact[0]["type"] == "image" and base64.b64decode(tools[0].artifact[0]["base64"]) == media.PNG_1X1
    assert (
        tools[1].artifact[0]["type"] == "audio" and base64.b64decode(tools[1].artifact[0]["base64"]) == media.WAV_BYTES
    )
    assert "audio" in second["messages"][-1].content
