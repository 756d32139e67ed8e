"""langchain-tests' Tools suites for every LangChain tool class (video, video status, image, speech), unmodified:
the unit suite, and the integration suite against the loopback stub (tests/stub: video tasks, image generation and
speech in MixRouter's documented or inferred shapes).

The tools turn failures into ToolException text for the model (``handle_tool_error=True``); here it is off, so a
call that fails raises and fails the suite instead of passing as an error message.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from langchain_core.tools import BaseTool
from langchain_tests.integration_tests import ToolsIntegrationTests
from langchain_tests.unit_tests import ToolsUnitTests

from langchain_mixrouter import MixRouterImageTool, MixRouterSpeechTool, MixRouterVideoStatusTool, MixRouterVideoTool
from mixrouter import MixRouterClient
from tests.stub.server import serve

KEY = "test-key-tools-0123456789"
ENV = {"MIXROUTER_API_KEY": "env-key-0123456789", "MIXROUTER_BASE_URL": "https://gateway.example/v1"}
_stub: dict[str, str] = {}


@pytest.fixture(scope="module", autouse=True)
def _loopback_stub() -> Iterator[None]:
    server, url = serve()
    _stub["url"] = url
    # a task for the status tool to look up (the stub keeps its tasks in memory)
    _stub["task_id"] = MixRouterClient(api_key=KEY, base_url=url).videos.submit("sora-2", "a cat surfing").id
    yield
    server.shutdown()


def _connection() -> dict[str, Any]:
    return {"api_key": KEY, "base_url": _stub["url"], "max_retries": 0, "handle_tool_error": False}


class _Unit(ToolsUnitTests):
    @property
    def tool_constructor_params(self) -> dict:
        return {"api_key": KEY}

    @property
    def init_from_env_params(self) -> tuple[dict, dict, dict]:
        return ENV, {}, {"api_key": ENV["MIXROUTER_API_KEY"], "base_url": ENV["MIXROUTER_BASE_URL"]}


class TestVideoToolUnit(_Unit):
    @property
    def tool_constructor(self) -> type[BaseTool]:
        return MixRouterVideoTool

    @property
    def tool_invoke_params_example(self) -> dict:
        return {"prompt": "a cat surfing", "duration": 4}


class TestVideoStatusToolUnit(_Unit):
    @property
    def tool_constructor(self) -> type[BaseTool]:
        return MixRouterVideoStatusTool

    @property
    def tool_invoke_params_example(self) -> dict:
        return {"task_id": "video_0123456789abcdef"}


class TestImageToolUnit(_Unit):
    @property
    def tool_constructor(self) -> type[BaseTool]:
        return MixRouterImageTool

    @property
    def tool_invoke_params_example(self) -> dict:
        return {"prompt": "a red fox in the snow", "size": "1024x1024"}


class TestSpeechToolUnit(_Unit):
    @property
    def tool_constructor(self) -> type[BaseTool]:
        return MixRouterSpeechTool

    @property
    def tool_invoke_params_example(self) -> dict:
        return {"text": "Hello there", "voice": "Ethan"}


class TestVideoToolIntegration(ToolsIntegrationTests):
    @property
    def tool_constructor(self) -> type[BaseTool]:
        return MixRouterVideoTool

    @property
    def tool_constructor_params(self) -> dict:
        return {**_connection(), "poll_interval": 0.01}

    @property
    def tool_invoke_params_example(self) -> dict:
        return {"prompt": "a cat surfing", "duration": 4}


class TestVideoStatusToolIntegration(ToolsIntegrationTests):
    @property
    def tool_constructor(self) -> type[BaseTool]:
        return MixRouterVideoStatusTool

    @property
    def tool_constructor_params(self) -> dict:
        return _connection()

    @property
    def tool_invoke_params_example(self) -> dict:
        return {"task_id": _stub["task_id"]}


class TestImageToolIntegration(ToolsIntegrationTests):
    @property
    def tool_constructor(self) -> type[BaseTool]:
        return MixRouterImageTool

    @property
    def tool_constructor_params(self) -> dict:
        return _connection()

    @property
    def tool_invoke_params_example(self) -> dict:
        return {"prompt": "a red fox in the snow", "size": "1024x1024"}


class TestSpeechToolIntegration(ToolsIntegrationTests):
    @property
    def tool_constructor(self) -> type[BaseTool]:
        return MixRouterSpeechTool

    @property
    def tool_constructor_params(self) -> dict:
        return _connection()

    @property
    def tool_invoke_params_example(self) -> dict:
        return {"text": "Hello there", "voice": "Ethan"}
