"""What both frameworks' video tools share: the argument descriptions an LLM reads, and the texts it gets back.

The tools differ only in plumbing (LangChain ``BaseTool`` vs LlamaIndex ``FunctionTool``); what they submit, how
long they wait and what they tell the model is decided here once.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, Field

from .errors import MixRouterError
from .video import VideoStatus, VideoTask, VideoTaskFailed, VideoTaskTimeout

__all__ = [
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
]

DEFAULT_VIDEO_MODEL = "veo-3.1-fast-generate-preview"  # text-to-video and image-to-video, short clips
PROGRESS_EVENT = "mixrouter_video_progress"

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
    data = exc.task.to_dict()
    data["next"] = f"Still running. Call get_video_task with task_id={exc.task.id!r} later to get the video."
    return json.dumps(data, ensure_ascii=False)


def describe_error(exc: Exception) -> str:
    """An error as text the model can act on (never a traceback, never a key)."""
    if isinstance(exc, VideoTaskFailed):
        code = f" (code {exc.task.error_code})" if exc.task.error_code else ""
        reason = exc.task.error_message or exc.task.status.value
        return f"Video generation failed{code}: {reason}. Change the prompt or options and try again."
    if isinstance(exc, ValueError):
        return f"Invalid video request: {exc}"
    if isinstance(exc, MixRouterError):
        return f"MixRouter error: {exc}" + (" (temporary; retrying later may work)" if exc.retryable else "")
    raise exc
