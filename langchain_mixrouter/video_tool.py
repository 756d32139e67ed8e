"""``MixRouterVideoTool`` (and its companion ``MixRouterVideoStatusTool``): video generation for LangChain agents.

>>> from langchain.agents import create_agent
>>> tools = [MixRouterVideoTool(), MixRouterVideoStatusTool()]
>>> agent = create_agent(ChatMixRouter(model="gpt-4.1"), tools)

The tool submits a task, waits (progress as the ``mixrouter_video_progress`` custom event, so ``astream_events``
shows it, and inside a LangGraph run also to ``stream_mode="custom"`` as ``{"name": "mixrouter_video_progress",
"data": {...task...}}``) and returns a short JSON text for the model plus the whole task as the artifact.
``timeout`` (default 600 s) bounds the whole tool call, submission included; each HTTP request inside it is cut to
the time left (``request_timeout`` limits each one on its own). If the task is still running at the deadline, the
tool returns the task id, "still running" and how to resume instead of raising; the status tool picks it up later.
Failures and bad arguments become ``ToolException`` text the model can act on. ``wait_timeout`` is the deprecated
name of ``timeout``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForToolRun, CallbackManagerForToolRun
from langchain_core.tools import BaseTool, ToolException
from langchain_core.utils import from_env, secret_from_env
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SecretStr, model_validator

from mixrouter import AsyncMixRouterClient, MixRouterClient, VideoTask
from mixrouter.config import API_KEY_ENV, resolve_api_key
from mixrouter.video import AsyncVideoTasks, PollSchedule, VideoTasks, VideoTaskTimeout
from mixrouter.video_tool import (
    DEFAULT_TOOL_TIMEOUT,
    DEFAULT_VIDEO_MODEL,
    PROGRESS_EVENT,
    STATUS_TOOL_DESCRIPTION,
    TOOL_DESCRIPTION,
    GenerateVideoArgs,
    TaskIdArgs,
    describe,
    describe_error,
    describe_timeout,
    options,
    tool_timeouts,
)


class _VideoToolBase(BaseTool):
    """Connection settings shared by the two tools (key from ``api_key`` or ``MIXROUTER_API_KEY``)."""

    api_key: SecretStr | None = Field(default_factory=secret_from_env(API_KEY_ENV, default=None), exclude=True)
    base_url: str | None = Field(default_factory=from_env("MIXROUTER_BASE_URL", default=None))
    max_retries: int = Field(default=2, ge=0)
    timeout: float | None = Field(
        default=DEFAULT_TOOL_TIMEOUT,
        gt=0,
        description="Seconds a whole tool call may take (submit and wait); None: no limit.",
    )
    request_timeout: float | None = Field(
        default=None, gt=0, description="Seconds per HTTP request (default: the client's, 600 s read)."
    )
    poll_interval: float = Field(default=2.0, gt=0, description="First wait between polls (seconds); grows 1.5x.")
    max_poll_interval: float = Field(default=15.0, gt=0)
    http_client: Any = Field(default=None, exclude=True)
    http_async_client: Any = Field(default=None, exclude=True)
    response_format: str = "content_and_artifact"
    handle_tool_error: bool = True

    _videos: VideoTasks = PrivateAttr()
    _avideos: AsyncVideoTasks = PrivateAttr()
    model_config = ConfigDict(arbitrary_types_allowed=True)

    @model_validator(mode="before")
    @classmethod
    def _fold_wait_timeout(cls, values: Any) -> Any:
        """``wait_timeout`` (deprecated) becomes ``timeout``; see ``mixrouter.video_tool.tool_timeouts``."""
        if not isinstance(values, dict) or "wait_timeout" not in values:
            return values
        values = dict(values)
        wait = values.pop("wait_timeout")
        if wait is not None:
            given = "timeout" in values
            values["timeout"], values["request_timeout"] = tool_timeouts(
                values.get("timeout"), values.get("request_timeout"), wait, timeout_given=given
            )
        return values

    @model_validator(mode="after")
    def _set_mixrouter_clients(self) -> _VideoToolBase:
        self.api_key = resolve_api_key(self.api_key)
        common: dict[str, Any] = dict(
            api_key=self.api_key, base_url=self.base_url, timeout=self.request_timeout, max_retries=self.max_retries
        )
        schedule = PollSchedule(initial=self.poll_interval, maximum=max(self.poll_interval, self.max_poll_interval))
        self._videos = VideoTasks(MixRouterClient(http_client=self.http_client, **common).transport, schedule=schedule)
        self._avideos = AsyncVideoTasks(
            AsyncMixRouterClient(http_client=self.http_async_client, **common).transport, schedule=schedule
        )
        return self


def langgraph_writer() -> Callable[[Any], None] | None:
    """LangGraph's stream writer when called inside a LangGraph run (``create_agent``, a graph's ``ToolNode``), so
    progress reaches ``stream_mode="custom"``; ``None`` without langgraph installed or outside a run. Call it in the
    tool call itself: the run is found from the calling context."""
    try:
        from langgraph.config import get_stream_writer
    except ImportError:
        return None
    try:
        return get_stream_writer()
    except (RuntimeError, LookupError):  # outside a runnable / a runnable that is not a LangGraph run
        return None


def _fail(exc: Exception) -> ToolException:
    return ToolException(describe_error(exc))


class MixRouterVideoTool(_VideoToolBase):
    """Generate a video and wait for it (the whole call within ``timeout`` seconds), with progress events."""

    name: str = "generate_video"
    description: str = TOOL_DESCRIPTION
    args_schema: type[BaseModel] = GenerateVideoArgs
    default_model: str = DEFAULT_VIDEO_MODEL

    def _run(
        self,
        prompt: str,
        model: str | None = None,
        image_urls: list[str] | None = None,
        duration: int | None = None,
        resolution: str | None = None,
        ratio: str | None = None,
        run_manager: CallbackManagerForToolRun | None = None,
    ) -> tuple[str, dict[str, Any]]:
        writer = langgraph_writer()

        def progress(task: VideoTask) -> None:
            if run_manager is not None:
                run_manager.get_child().on_custom_event(PROGRESS_EVENT, task.to_dict(), run_id=run_manager.run_id)
            if writer is not None:
                writer({"name": PROGRESS_EVENT, "data": task.to_dict()})

        try:
            opts = options(image_urls, duration, resolution, ratio)
            task = self._videos.generate(
                model or self.default_model, prompt, timeout=self.timeout, on_progress=progress, **opts
            )
        except VideoTaskTimeout as exc:
            return describe_timeout(exc), exc.task.to_dict() | {"raw": exc.task.raw}
        except Exception as exc:
            raise _fail(exc) from exc
        return describe(task), task.to_dict() | {"raw": task.raw}

    async def _arun(
        self,
        prompt: str,
        model: str | None = None,
        image_urls: list[str] | None = None,
        duration: int | None = None,
        resolution: str | None = None,
        ratio: str | None = None,
        run_manager: AsyncCallbackManagerForToolRun | None = None,
    ) -> tuple[str, dict[str, Any]]:
        writer = langgraph_writer()

        async def progress(task: VideoTask) -> None:
            if run_manager is not None:
                await run_manager.get_child().on_custom_event(PROGRESS_EVENT, task.to_dict(), run_id=run_manager.run_id)
            if writer is not None:
                writer({"name": PROGRESS_EVENT, "data": task.to_dict()})

        try:
            opts = options(image_urls, duration, resolution, ratio)
            task = await self._avideos.generate(
                model or self.default_model, prompt, timeout=self.timeout, on_progress=progress, **opts
            )
        except VideoTaskTimeout as exc:
            return describe_timeout(exc), exc.task.to_dict() | {"raw": exc.task.raw}
        except Exception as exc:
            raise _fail(exc) from exc
        return describe(task), task.to_dict() | {"raw": task.raw}


class MixRouterVideoStatusTool(_VideoToolBase):
    """Check a video task started earlier (the companion of ``MixRouterVideoTool``)."""

    name: str = "get_video_task"
    description: str = STATUS_TOOL_DESCRIPTION
    args_schema: type[BaseModel] = TaskIdArgs

    def _run(self, task_id: str, run_manager: CallbackManagerForToolRun | None = None) -> tuple[str, dict[str, Any]]:
        try:
            task = self._videos.get(task_id, timeout=self.timeout)
        except Exception as exc:
            raise _fail(exc) from exc
        return describe(task), task.to_dict() | {"raw": task.raw}

    async def _arun(
        self, task_id: str, run_manager: AsyncCallbackManagerForToolRun | None = None
    ) -> tuple[str, dict[str, Any]]:
        try:
            task = await self._avideos.get(task_id, timeout=self.timeout)
        except Exception as exc:
            raise _fail(exc) from exc
        return describe(task), task.to_dict() | {"raw": task.raw}
