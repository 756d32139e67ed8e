"""What both frameworks' video tools share: the argument descriptions an LLM reads, and the texts it gets back.

The tools differ only in plumbing (LangChain ``BaseTool`` vs LlamaIndex ``FunctionTool``); what they submit, how
long they wait and what they tell the model is decided here once.

Time limits, the same in both faces: ``timeout`` (default 600 s) bounds each whole tool call, submission, polls and
all (``VideoTasks.generate`` fixes one deadline at the start and cuts every request's timeouts to the time left);
``request_timeout`` is the limit for each HTTP request inside it (default: the client's, 600 s read). A task still
running at the deadline is answered with its id and how to resume it, not an error. ``wait_timeout`` is the old
name of ``timeout`` (see ``tool_timeouts``).
"""

from __future__ import annotations

import json
import warnings
from typing import Any

from pydantic import BaseModel, Field

from ._http import _secs
from ._warn import user_stacklevel
from .errors import DeadlineExceededError, MixRouterError
from .video import VideoStatus, VideoTask, VideoTaskFailed, VideoTaskTimeout

__all__ = [
    "DEFAULT_TOOL_TIMEOUT",
    "DEFAULT_VIDEO_MODEL",
    "DESCRIPTIONS",
    "PROGRESS_EVENT",
    "STATUS_TOOL_DESCRIPTION",
    "TOOL_DESCRIPTION",
    "GenerateVideoArgs",
    "TaskIdArgs",
    "describe",
    "describe_error",
    "describe_timeout",
    "options",
    "tool_timeouts",
]

DEFAULT_VIDEO_MODEL = "veo-3.1-fast-generate-preview"  # text-to-video and image-to-video, short clips
PROGRESS_EVENT = "mixrouter_video_progress"
DEFAULT_TOOL_TIMEOUT = 600.0  # seconds for a whole tool call (submit + wait)

TOOL_DESCRIPTION = (
    "Generate a short video from a text prompt (and optional image URLs) with MixRouter. Submits a video task, "
    "waits for it to finish and returns the video URL. Takes minutes. If it is still running when the wait ends, "
    "you get a task_id: check it later with get_video_task."
)
STATUS_TOOL_DESCRIPTION = (
    "Check a MixRouter video task by its task_id: returns its status, progress and, once completed, the video URL."
)
DESCRIPTIONS = {
    "prompt": "What the video shows: subject, action, setting, camera movement and style.",
    "model": "MixRouter video model id, e.g. 'doubao-seedance-1-0-lite-i2v-250428', 'veo-3.1-generate-preview', "
    "'sora-2', 'wan2.6-t2v'. Leave empty for the tool's default.",
    "image_urls": "Image URLs to animate: first frame (and last frame), or reference images. Needed by "
    "image-to-video models.",
    "duration": "Length in seconds (each model accepts a few values, e.g. 5 or 10).",
    "resolution": "Output resolution such as '480p', '720p' or '1080p'.",
    "ratio": "Aspect ratio such as '16:9', '9:16' or '1:1'.",
    "task_id": "The task_id returned by generate_video or submit_video_task.",
}


class GenerateVideoArgs(BaseModel):
    """The video tools' arguments (both frameworks use this schema)."""

    prompt: str = Field(description=DESCRIPTIONS["prompt"], min_length=1)
    model: str | None = Field(default=None, description=DESCRIPTIONS["model"])
    image_urls: list[str] | None = Field(default=None, description=DESCRIPTIONS["image_urls"])
    duration: int | None = Field(default=None, gt=0, le=60, description=DESCRIPTIONS["duration"])
    resolution: str | None = Field(default=None, description=DESCRIPTIONS["resolution"])
    ratio: str | None = Field(default=None, description=DESCRIPTIONS["ratio"])


class TaskIdArgs(BaseModel):
    task_id: str = Field(description=DESCRIPTIONS["task_id"], min_length=1)


def options(
    image_urls: list[str] | None, duration: int | None, resolution: str | None, ratio: str | None
) -> dict[str, Any]:
    """The ``submit`` options a tool call asked for (unset ones left out, so each model's defaults apply)."""
    out: dict[str, Any] = {}
    if image_urls:
        out["images"] = list(image_urls)
    for key, value in (("duration", duration), ("resolution", resolution), ("ratio", ratio)):
        if value is not None:
            out[key] = value
    return out


def describe(task: VideoTask) -> str:
    """Short text for the model: status, URL and what to do next."""
    data = task.to_dict()
    if task.status is VideoStatus.COMPLETED:
        data["next"] = "Give the user the video_url."
    elif not task.done:
        data["next"] = f"Still running. Call get_video_task with task_id={task.id!r} later to get the video."
    return json.dumps(data, ensure_ascii=False)


def describe_timeout(exc: VideoTaskTimeout) -> str:
    """The answer when the tool's time limit ran out: the task id, that it keeps running, and how to resume."""
    task_id = exc.task.id
    data = exc.task.to_dict()
    limit = f" after the tool's {_secs(exc.timeout)} s timeout" if exc.timeout is not None else ""
    data["next"] = (
        f"Still running{limit}; the task keeps going on MixRouter. Call get_video_task with task_id={task_id!r} "
        f"later to get the video. Outside the agent: `mixrouter video --task {task_id} --wait`, or "
        f"client.videos.wait({task_id!r}) in Python."
    )
    return json.dumps(data, ensure_ascii=False)


def describe_error(exc: Exception) -> str:
    """An error as text the model can act on (never a traceback, never a key)."""
    if isinstance(exc, VideoTaskFailed):
        code = f" (code {exc.task.error_code})" if exc.task.error_code else ""
        reason = exc.task.error_message or exc.task.status.value
        return f"Video generation failed{code}: {reason}. Change the prompt or options and try again."
    if isinstance(exc, ValueError):
        return f"Invalid video request: {exc}"
    if isinstance(exc, DeadlineExceededError):
        unknown = " No task id came back (a task may or may not have been created)." if exc.method == "POST" else ""
        return (
            f"MixRouter did not answer within the tool's time limit: {exc}{unknown} Try again later, or give the "
            "tool a larger timeout."
        )
    if isinstance(exc, MixRouterError):
        return f"MixRouter error: {exc}" + (" (temporary; retrying later may work)" if exc.retryable else "")
    raise exc


def tool_timeouts(
    timeout: float | None,
    request_timeout: float | None,
    wait_timeout: float | None,
    *,
    timeout_given: bool,
) -> tuple[float | None, float | None]:
    """``(timeout, request_timeout)`` for a video tool, with the deprecated ``wait_timeout`` folded in.

    ``wait_timeout`` alone becomes ``timeout`` (it now bounds the whole call, not only the wait). Given with an
    explicit ``timeout`` and no ``request_timeout``, the pair is read as it was meant before ``timeout`` meant the
    whole call: ``timeout`` was per request, ``wait_timeout`` the wait. All three at once is an error. Either way a
    ``DeprecationWarning`` names ``timeout``."""
    for name, value in (("timeout", timeout), ("request_timeout", request_timeout), ("wait_timeout", wait_timeout)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0):
            raise ValueError(f"{name} must be a positive number of seconds, got {value!r}.")
    if wait_timeout is None:
        return timeout, request_timeout
    if timeout_given and request_timeout is not None:
        raise ValueError(
            "wait_timeout is the deprecated name of timeout; pass timeout (the whole tool call) and "
            "request_timeout (each HTTP request), not wait_timeout."
        )
    if timeout_given:
        warnings.warn(
            f"wait_timeout is deprecated: timeout now bounds the whole tool call. Read as the old pair: "
            f"request_timeout={timeout!r}, timeout={wait_timeout!r}; pass those instead.",
            DeprecationWarning,
            stacklevel=user_stacklevel(),
        )
        return wait_timeout, timeout
    warnings.warn(
        f"wait_timeout is deprecated: use timeout={wait_timeout!r}, which bounds the whole tool call "
        "(submit and wait); request_timeout limits each HTTP request.",
        DeprecationWarning,
        stacklevel=user_stacklevel(),
    )
    return wait_timeout, request_timeout
