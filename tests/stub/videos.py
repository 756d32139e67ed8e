"""The stub's video tasks: ``POST /v1/videos``, ``GET /v1/videos/{id}``, ``GET /v1/videos/{id}/content``.

Submission follows MixRouter's documented Seedance body (P7); the task object follows new-api's ``OpenAIVideo``
(INFERRED, research §8.1). Each poll advances the task one step. The prompt picks the story:

* default: queued → in_progress (50%) → completed, with the video at ``metadata.url`` (new-api's ``/content``);
* "fail" in the prompt: queued → failed with a content-policy error;
* "slow" in the prompt: in_progress at 10% forever (for timeouts);
* "legacy" in the prompt: the old shape (id only in ``task_id``, statuses ``submitted``/``processing``/``succeeded``,
  the URL in ``video_url``).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

VIDEO_BYTES = b"FAKE-MP4 stub video for mixrouter tests\n"  # ASCII, so JSON cassettes can hold it
_polls: dict[str, int] = {}
_tasks: dict[str, dict[str, Any]] = {}


def _json(status: int, data: Any) -> tuple[int, str, bytes]:
    return status, "application/json", json.dumps(data, ensure_ascii=False).encode()


def _story(prompt: str) -> str:
    lowered = prompt.lower()
    return next((s for s in ("fail", "slow", "legacy") if s in lowered), "default")


def _view(task_id: str, base: str) -> dict[str, Any]:
    task = _tasks[task_id]
    story, step = task["story"], _polls[task_id]
    if story == "legacy":
        status = ("submitted", "processing", "succeeded")[min(step, 2)]
        out: dict[str, Any] = {"task_id": task_id, "status": status, "model": task["model"]}
        if status == "succeeded":
            out["video_url"] = f"{base}/videos/{task_id}/content"
        return out
    out = {"id": task_id, "object": "video", "model": task["model"], "created_at": 1766980000}
    if story == "slow":
        return out | {"status": "in_progress" if step else "queued", "progress": 10 if step else 0}
    if story == "fail":
        if step == 0:
            return out | {"status": "queued", "progress": 0}
        error = {"message": "The prompt was rejected by the content filter", "code": "content_policy_violation"}
        return out | {"status": "failed", "progress": 0, "error": error}
    status, progress = (("queued", 0), ("in_progress", 50), ("completed", 100))[min(step, 2)]
    out |= {"status": status, "progress": progress}
    if status == "completed":
        out |= {"completed_at": 1766980060, "metadata": {"url": f"{base}/videos/{task_id}/content"}}
    return out


def respond(method: str, path: str, body: dict[str, Any], base: str) -> tuple[int, str, bytes]:
    parts = path.rstrip("/").split("/videos", 1)[1].strip("/").split("/")
    if method == "POST" and parts == [""]:
        if not body.get("model") or not body.get("prompt"):
            return _json(400, {"error": {"message": "model and prompt are required", "code": "invalid_request"}})
        task_id = "video_" + hashlib.sha1(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]
        _tasks[task_id] = {"story": _story(body["prompt"]), "model": body["model"]}
        _polls[task_id] = 0
        return _json(200, _view(task_id, base))
    task_id = parts[0]
    if task_id not in _tasks:
        return _json(404, {"error": {"message": f"task {task_id} not found", "code": "task_not_found"}})
    if method == "GET" and len(parts) == 2 and parts[1] == "content":
        return 200, "video/mp4", VIDEO_BYTES
    if method == "GET" and len(parts) == 1:
        _polls[task_id] += 1
        return _json(200, _view(task_id, base))
    return _json(404, {"error": {"message": f"no route {path}", "code": "not_found"}})
