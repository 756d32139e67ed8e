"""``MixRouterVideoToolSpec`` and ``MixRouterVideoTool``: video generation for LlamaIndex agents.

>>> agent = FunctionAgent(tools=MixRouterVideoToolSpec().to_tool_list(), llm=MixRouterLLM(model="gpt-4.1"))
>>> agent = FunctionAgent(tools=[MixRouterVideoTool()], llm=...)   # just generate_video

Every function has a native sync and async version (no thread hops), an explicit schema, and returns JSON text for
the model with the typed ``VideoTask`` as the tool output's ``raw_output``. ``timeout`` (default 600 s) bounds each
whole tool call, submission included, with every HTTP request cut to the time left (``request_timeout`` limits each
one on its own); a task still running at the deadline comes back with its id and how to resume it. Given a
workflow ``Context`` (agents pass one), progress is written to the event stream as ``VideoProgressEvent``; without
one the tools still work.
"""

# No ``from __future__ import annotations`` here: LlamaIndex finds the ``ctx: Context`` parameter by comparing the
# evaluated annotation with the class, and a string annotation would hide it (no progress events).
from typing import Any, ClassVar

from llama_index.core.bridge.pydantic import BaseModel
from llama_index.core.tools import FunctionTool, ToolMetadata
from llama_index.core.tools.tool_spec.base import BaseToolSpec
from llama_index.core.workflow import Context, Event

from mixrouter import AsyncMixRouterClient, MixRouterClient, VideoTask
from mixrouter.config import resolve_api_key
from mixrouter.video import AsyncVideoTasks, PollSchedule, VideoTasks, VideoTaskTimeout
from mixrouter.video_tool import (
    DEFAULT_TOOL_TIMEOUT,
    DEFAULT_VIDEO_MODEL,
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

from ._tools import ContextOptionalTool, result_text

__all__ = ["MixRouterVideoTool", "MixRouterVideoToolSpec", "VideoProgressEvent"]


class VideoProgressEvent(Event):
    """Written to the workflow's event stream on every poll of a video task."""

    task_id: str
    status: str
    progress: int | None = None
    video_url: str | None = None


def _emit(ctx: Context | None, task: VideoTask) -> None:
    if ctx is not None:
        ctx.write_event_to_stream(
            VideoProgressEvent(
                task_id=task.id, status=task.status.value, progress=task.progress, video_url=task.video_url
            )
        )


class MixRouterVideoToolSpec(BaseToolSpec):
    """``generate_video`` (submit and wait), ``submit_video_task`` and ``get_video_task``; sync and async.

    ``timeout``: seconds each whole tool call may take (``None``: no limit); ``request_timeout``: seconds per HTTP
    request (default: the client's). ``wait_timeout`` is the deprecated name of ``timeout``."""

    spec_functions: ClassVar[list[Any]] = [
        ("generate_video", "agenerate_video"),
        ("submit_video_task", "asubmit_video_task"),
        ("get_video_task", "aget_video_task"),
    ]

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        api_base: str | None = None,
        default_model: str = DEFAULT_VIDEO_MODEL,
        timeout: float | None = DEFAULT_TOOL_TIMEOUT,
        request_timeout: float | None = None,
        poll_interval: float = 2.0,
        max_poll_interval: float = 15.0,
        max_retries: int = 2,
        http_client: Any = None,
        async_http_client: Any = None,
        wait_timeout: float | None = None,
    ) -> None:
        # An explicit timeout can only be told from the default by its value; 600 s is also the client's default
        # read timeout, so reading the old (timeout, wait_timeout) pair that way loses nothing.
        timeout, request_timeout = tool_timeouts(
            timeout, request_timeout, wait_timeout, timeout_given=timeout != DEFAULT_TOOL_TIMEOUT
        )
        key = resolve_api_key(api_key)
        # ``api_base`` is the LlamaIndex spelling (as on MixRouterLLM); either works.
        common: dict[str, Any] = dict(
            api_key=key, base_url=base_url or api_base, timeout=request_timeout, max_retries=max_retries
        )
        schedule = PollSchedule(initial=poll_interval, maximum=max(poll_interval, max_poll_interval))
        self.default_model = default_model
        self.timeout = timeout
        self.request_timeout = request_timeout
        self._videos = VideoTasks(MixRouterClient(http_client=http_client, **common).transport, schedule=schedule)
        self._avideos = AsyncVideoTasks(
            AsyncMixRouterClient(http_client=async_http_client, **common).transport, schedule=schedule
        )

    def __repr__(self) -> str:
        return f"MixRouterVideoToolSpec(default_model={self.default_model!r}, timeout={self.timeout})"

    # -- generate: submit and wait ------------------------------------------------------------------------------
    def generate_video(
        self,
        prompt: str,
        model: str | None = None,
        image_urls: list[str] | None = None,
        duration: int | None = None,
        resolution: str | None = None,
        ratio: str | None = None,
        ctx: Context = None,  # type: ignore[assignment]
    ) -> str:
        try:
            opts = options(image_urls, duration, resolution, ratio)
            task = self._videos.generate(
                model or self.default_model, prompt, timeout=self.timeout, on_progress=lambda t: _emit(ctx, t), **opts
            )
        except VideoTaskTimeout as exc:
            return result_text(describe_timeout(exc), exc.task)
        except Exception as exc:
            return result_text(describe_error(exc), getattr(exc, "task", None), error=True)
        return result_text(describe(task), task)

    async def agenerate_video(
        self,
        prompt: str,
        model: str | None = None,
        image_urls: list[str] | None = None,
        duration: int | None = None,
        resolution: str | None = None,
        ratio: str | None = None,
        ctx: Context = None,  # type: ignore[assignment]
    ) -> str:
        try:
            opts = options(image_urls, duration, resolution, ratio)
            task = await self._avideos.generate(
                model or self.default_model, prompt, timeout=self.timeout, on_progress=lambda t: _emit(ctx, t), **opts
            )
        except VideoTaskTimeout as exc:
            return result_text(describe_timeout(exc), exc.task)
        except Exception as exc:
            return result_text(describe_error(exc), getattr(exc, "task", None), error=True)
        return result_text(describe(task), task)

    # -- submit / get: for agents that prefer to check back -----------------------------------------------------
    def submit_video_task(
        self,
        prompt: str,
        model: str | None = None,
        image_urls: list[str] | None = None,
        duration: int | None = None,
        resolution: str | None = None,
        ratio: str | None = None,
    ) -> str:
        try:
            opts = options(image_urls, duration, resolution, ratio)
            task = self._videos.submit(model or self.default_model, prompt, timeout=self.timeout, **opts)
        except Exception as exc:
            return result_text(describe_error(exc), None, error=True)
        return result_text(describe(task), task)

    async def asubmit_video_task(
        self,
        prompt: str,
        model: str | None = None,
        image_urls: list[str] | None = None,
        duration: int | None = None,
        resolution: str | None = None,
        ratio: str | None = None,
    ) -> str:
        try:
            opts = options(image_urls, duration, resolution, ratio)
            task = await self._avideos.submit(model or self.default_model, prompt, timeout=self.timeout, **opts)
        except Exception as exc:
            return result_text(describe_error(exc), None, error=True)
        return result_text(describe(task), task)

    def get_video_task(self, task_id: str) -> str:
        try:
            task = self._videos.get(task_id, timeout=self.timeout)
        except Exception as exc:
            return result_text(describe_error(exc), None, error=True)
        return result_text(describe(task), task)

    async def aget_video_task(self, task_id: str) -> str:
        try:
            task = await self._avideos.get(task_id, timeout=self.timeout)
        except Exception as exc:
            return result_text(describe_error(exc), None, error=True)
        return result_text(describe(task), task)

    # -- tools ----------------------------------------------------------------------------------------------------
    _SCHEMAS: ClassVar[dict[str, tuple[type[BaseModel], str]]] = {
        "generate_video": (GenerateVideoArgs, TOOL_DESCRIPTION),
        "submit_video_task": (
            GenerateVideoArgs,
            "Submit a MixRouter video task and return its task_id at once (check it with get_video_task).",
        ),
        "get_video_task": (TaskIdArgs, STATUS_TOOL_DESCRIPTION),
    }

    def to_tool_list(self, spec_functions: Any = None, func_to_metadata_mapping: Any = None) -> list[FunctionTool]:
        """The three tools with explicit schemas, native sync and async, and typed raw outputs."""
        tools: list[FunctionTool] = []
        for sync_name, async_name in spec_functions or self.spec_functions:
            schema, description = self._SCHEMAS[sync_name]
            metadata = (func_to_metadata_mapping or {}).get(sync_name) or ToolMetadata(
                name=sync_name, description=description, fn_schema=schema
            )
            tools.append(
                ContextOptionalTool(
                    fn=getattr(self, sync_name),
                    async_fn=getattr(self, async_name),
                    metadata=metadata,
                )
            )
        return tools


def MixRouterVideoTool(**kwargs: Any) -> FunctionTool:
    """The single ``generate_video`` tool, for ``FunctionAgent(tools=[MixRouterVideoTool()])``; ``kwargs`` go to
    ``MixRouterVideoToolSpec``."""
    return MixRouterVideoToolSpec(**kwargs).to_tool_list([("generate_video", "agenerate_video")])[0]
