"""MixRouterImageToolSpec / MixRouterSpeechToolSpec for LlamaIndex: sync/async pairs with the core's schemas, typed
raw outputs, errors, time limits, progress events, and a FunctionAgent that makes a picture and reads it aloud."""

from __future__ import annotations

import time

import httpx
import pytest
from llama_index.core.agent.workflow import FunctionAgent, ToolCallResult

from llama_index_mixrouter import (
    MediaProgressEvent,
    MixRouterImageTool,
    MixRouterImageToolSpec,
    MixRouterLLM,
    MixRouterSpeechTool,
    MixRouterSpeechToolSpec,
)
from mixrouter import ImageResult, SpeechResult
from mixrouter.media_tool import GenerateImageArgs, SpeakArgs
from tests.stub import media
from tests.stub.server import mock_transport

KEY = "test-key-abcdef123456"


def stub(transport: httpx.BaseTransport | None = None, **kw):
    transport = transport or mock_transport()
    return {
        "api_key": KEY,
        "max_retries": 0,
        "http_client": httpx.Client(transport=transport),
        "async_http_client": httpx.AsyncClient(transport=transport),
        **kw,
    }


def test_sync_and_async_pairs_with_the_cores_schemas():
    [image] = MixRouterImageToolSpec(**stub()).to_tool_list()
    [speech] = MixRouterSpeechToolSpec(**stub()).to_tool_list()
    assert image.metadata.name == "generate_image" and image.metadata.fn_schema is GenerateImageArgs
    assert speech.metadata.name == "speak" and speech.metadata.fn_schema is SpeakArgs
    assert image.async_fn is not None and speech.async_fn is not None
    params = image.metadata.get_parameters_dict()
    assert params["required"] == ["prompt"] and "ctx" not in params["properties"]
    assert KEY not in repr(MixRouterImageToolSpec(**stub()))


def test_the_typed_result_is_the_raw_output():
    out = MixRouterImageTool(**stub()).call(prompt="a red fox")
    assert not out.is_error and isinstance(out.raw_output, ImageResult)
    assert out.raw_output.images[0].data == media.PNG_1X1 and media.PNG_B64 not in out.content


async def test_async_speech_returns_the_audio():
    out = await MixRouterSpeechTool(**stub(), default_voice="Ethan").acall(text="Hello there")
    assert not out.is_error and isinstance(out.raw_output, SpeechResult)
    assert out.raw_output.audio == media.WAV_BYTES and out.raw_output.voice == "Ethan"


def test_errors_are_is_error_outputs_with_the_reason():
    out = MixRouterImageTool(**stub()).call(prompt="x", model="gpt-image-1", size="512x512")
    assert out.is_error and "choose one of 1024x1024, 1536x1024, 1024x1536, auto" in out.content
    out = MixRouterSpeechTool(**stub(api_key="sk-invalid-key-for-tests")).call(text="x")
    assert out.is_error and "无效的令牌" in out.content and "sk-invalid" not in out.content


def test_timeout_bounds_the_whole_call(tmp_path):
    inner = mock_transport()

    def slow(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/generations"):
            time.sleep(0.3)
        return inner.handle_request(request)

    tool = MixRouterImageTool(**stub(httpx.MockTransport(slow), timeout=0.2, save_dir=str(tmp_path)))
    out = tool.call(prompt="x", model="dall-e-3")
    assert out.is_error and "within the tool's time limit (0.2 s)" in out.content and list(tmp_path.iterdir()) == []


def test_bad_timeouts_are_refused():
    with pytest.raises(ValueError, match=r"^timeout must be a positive number of seconds"):
        MixRouterSpeechToolSpec(api_key=KEY, timeout=0)


# -- a FunctionAgent, replayed ---------------------------------------------------------------------------------------


async def _run(agent: FunctionAgent, prompt: str) -> tuple[list, list, str]:
    handler = agent.run(prompt)
    progress, results = [], []
    async for event in handler.stream_events():
        if isinstance(event, MediaProgressEvent):
            progress.append((event.kind, event.status))
        if isinstance(event, ToolCallResult):
            results.append(event.tool_output)
    return progress, results, str((await handler).response.content)


@pytest.mark.vcr
@pytest.mark.filterwarnings("ignore::DeprecationWarning:inspect")
async def test_a_function_agent_makes_a_picture_and_reads_it_aloud():
    llm = MixRouterLLM(model="gpt-4.1")
    image, speech = MixRouterImageTool(), MixRouterSpeechTool()
    progress, results, _ = await _run(FunctionAgent(tools=[image, speech], llm=llm), "Make a picture of a red fox.")
    assert progress == [("image", "started"), ("image", "completed")]
    assert results[0].raw_output.images[0].data == media.PNG_1X1
    # The recording's stand-in model calls the first tool it is given (tests/stub/fake_model.py); a real model
    # picks by name.
    progress, results, answer = await _run(
        FunctionAgent(tools=[speech, image], llm=llm), "Read this caption aloud: a red fox in the snow."
    )
    assert progress == [("speech", "started"), ("speech", "completed")]
    assert results[0].raw_output.audio == media.WAV_BYTES and "audio" in answer
