"""Video generation tasks: submit, poll, wait with progress, download; sync and async.

The wire (research §4, §8.1): ``POST /v1/videos`` submits (documented for Seedance); ``GET /v1/videos/{id}`` polls
and ``GET /v1/videos/{id}/content`` downloads (INFERRED from new-api, which MixRouter runs). MixRouter's docs do not
show a task object, so reading one is tolerant: the id in ``id`` or ``task_id``; a dozen status spellings folded into
``VideoStatus``; the video URL wherever a vendor puts it; unknown fields kept in ``raw``.

>>> videos = MixRouterClient().videos
>>> task = videos.submit("doubao-seedance-1-0-lite-i2v-250428", "a cat walks", images=[url], duration=5)
>>> task = videos.wait(task, timeout=900, on_progress=lambda t: print(t.status, t.progress))
>>> videos.download(task, "cat.mp4")
>>> task = videos.generate("veo-3.1-fast-generate-preview", "a cat walks", timeout=600)  # submit + wait, 600 s in all

Time limits: ``timeout=`` on every method bounds that whole call. A limit is fixed once when the call starts
(``Deadline``); every HTTP request in it has its own timeouts cut to the time left, polling stops before a sleep
would pass the limit, and a task still running then raises ``VideoTaskTimeout`` carrying the task (it keeps running
on MixRouter: ``wait(task_id)`` again, or ``mixrouter video --task ID --wait``, picks it up).
"""

from __future__ import annotations

import asyncio
import enum
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from ._http import _cap, _cut_to, _secs, endpoint_of, same_origin
from .errors import DeadlineExceededError, MixRouterError, ResponseDecodeError, error_from_response
from .video_request import build_video_body

if TYPE_CHECKING:
    from ._http import AsyncTransport, Transport

__all__ = [
    "AsyncVideoTasks",
    "Deadline",
    "PollSchedule",
    "VideoStatus",
    "VideoTask",
    "VideoTaskFailed",
    "VideoTaskTimeout",
    "VideoTasks",
    "normalize_status",
    "resume_hint",
]

VIDEOS_PATH = "videos"


class VideoStatus(str, enum.Enum):
    QUEUED = "queued"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    UNKNOWN = "unknown"

    @property
    def terminal(self) -> bool:
        return self in (VideoStatus.COMPLETED, VideoStatus.FAILED, VideoStatus.CANCELLED, VideoStatus.EXPIRED)


_STATUS_WORDS = {
    VideoStatus.QUEUED: (
        "queued",
        "queueing",
        "pending",
        "submitted",
        "not_start",
        "not_started",
        "waiting",
        "created",
    ),
    VideoStatus.IN_PROGRESS: ("in_progress", "processing", "running", "generating", "started", "in_queue_running"),
    VideoStatus.COMPLETED: (
        "completed",
        "complete",
        "succeeded",
        "success",
        "succeed",
        "successful",
        "done",
        "finished",
    ),
    VideoStatus.FAILED: ("failed", "failure", "fail", "error", "errored"),
    VideoStatus.CANCELLED: ("cancelled", "canceled", "cancel"),
    VideoStatus.EXPIRED: ("expired", "timeout", "timed_out"),
}
_STATUS = {word: status for status, words in _STATUS_WORDS.items() for word in words}


def normalize_status(value: Any) -> VideoStatus:
    """One enum for every vendor's spelling (case, spaces and hyphens ignored); anything else is ``UNKNOWN``."""
    if isinstance(value, VideoStatus):
        return value
    if not isinstance(value, str):
        return VideoStatus.UNKNOWN
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    return _STATUS.get(key, VideoStatus.UNKNOWN)


def _http_url(value: Any) -> str | None:
    return value if isinstance(value, str) and value.startswith(("http://", "https://")) else None


def _find_url(data: dict[str, Any]) -> str | None:
    """The video URL wherever it appears: ``url``, ``video_url``, ``metadata.url``, ``content.video_url``,
    ``data[...]``, ``output``/``result``, Kling's ``task_result.videos[0].url``."""
    for key in ("video_url", "url"):
        if url := _http_url(data.get(key)):
            return url
    for key in ("metadata", "content", "data", "output", "result", "task_result", "video"):
        nested = data.get(key)
        if isinstance(nested, list):
            nested = nested[0] if nested else None
        if isinstance(nested, dict):
            if url := _find_url(nested):
                return url
        elif url := _http_url(nested):
            return url
    for key in ("videos", "video_urls", "urls"):
        items = data.get(key)
        if isinstance(items, list) and items:
            first = items[0]
            if url := (_http_url(first) or (_find_url(first) if isinstance(first, dict) else None)):
                return url
    return None


def _progress(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        value = value.strip().rstrip("%")
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, (int, float)):
        number = value * 100 if 0 < value < 1 and isinstance(value, float) else value
        return max(0, min(100, int(number)))
    return None


def _error(data: dict[str, Any]) -> tuple[str | None, str | None]:
    err = data.get("error")
    if isinstance(err, dict):
        return (err.get("message") or err.get("msg") or None), (str(err["code"]) if err.get("code") else None)
    if isinstance(err, str) and err:
        return err, None
    for key in ("fail_reason", "failure_reason", "error_message", "message"):
        if isinstance(data.get(key), str) and data[key]:
            return data[key], (str(data["code"]) if data.get("code") else None)
    return None, None


@dataclass(slots=True)
class VideoTask:
    """A snapshot of one video task, read tolerantly from whatever shape the gateway answered with."""

    id: str
    status: VideoStatus
    model: str | None = None
    progress: int | None = None
    video_url: str | None = None
    error_message: str | None = None
    error_code: str | None = None
    created_at: int | None = None
    completed_at: int | None = None
    raw_status: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, data: Any) -> VideoTask:
        if not isinstance(data, dict):
            raise ResponseDecodeError(f"expected a video task object, got {type(data).__name__}: {str(data)[:120]!r}")
        inner = data.get("data") if isinstance(data.get("data"), dict) else {}
        task_id = data.get("id") or data.get("task_id") or inner.get("task_id") or inner.get("id")
        if not isinstance(task_id, (str, int)) or task_id == "":
            raise ResponseDecodeError(f"the video task answer has no id or task_id: {str(data)[:200]!r}")
        raw_status = data.get("status") or data.get("state") or inner.get("status") or inner.get("task_status")
        status = normalize_status(raw_status)
        message, code = _error(data) if status is not VideoStatus.COMPLETED else (None, None)
        return cls(
            id=str(task_id),
            status=status,
            model=data.get("model") or inner.get("model"),
            progress=100 if status is VideoStatus.COMPLETED else _progress(data.get("progress", inner.get("progress"))),
            video_url=_find_url(data),
            error_message=message,
            error_code=code,
            created_at=data.get("created_at") if isinstance(data.get("created_at"), int) else None,
            completed_at=data.get("completed_at") if isinstance(data.get("completed_at"), int) else None,
            raw_status=raw_status if isinstance(raw_status, str) else None,
            raw=data,
        )

    @property
    def done(self) -> bool:
        return self.status.terminal

    def to_dict(self) -> dict[str, Any]:
        """The task as plain JSON-able data (for tools and logs; ``raw`` left out)."""
        out: dict[str, Any] = {"task_id": self.id, "status": self.status.value}
        for key in ("model", "progress", "video_url", "error_message", "error_code"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


class VideoTaskFailed(MixRouterError):
    """The task ended without a video (failed, cancelled or expired); ``task`` holds its last state."""

    def __init__(self, task: VideoTask) -> None:
        what = {VideoStatus.CANCELLED: "was cancelled", VideoStatus.EXPIRED: "expired"}.get(task.status, "failed")
        detail = f": {task.error_message}" if task.error_message else ""
        super().__init__(f"video task {task.id} {what}{detail}", code=task.error_code)
        self.task = task

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.task,))


def resume_hint(task_id: str) -> str:
    """How to pick a running task up again, from code or from the shell."""
    return f"resume with client.videos.wait({task_id!r}) or `mixrouter video --task {task_id} --wait`"


class VideoTaskTimeout(MixRouterError):
    """The time limit ran out before the task ended. The task keeps running on MixRouter: ``task`` holds its last
    state, and waiting again (``videos.wait(task.id)``) picks it up. ``waited``: seconds the call took;
    ``timeout``: its limit."""

    retryable = True

    def __init__(self, task: VideoTask, waited: float, timeout: float | None = None) -> None:
        progress = f", {task.progress}%" if task.progress is not None else ""
        limit = f" (timeout {_secs(timeout)} s)" if timeout is not None else ""
        super().__init__(
            f"video task {task.id} still {task.status.value}{progress} after {waited:.0f} s{limit}; it keeps "
            f"running: {resume_hint(task.id)}"
        )
        self.task = task
        self.waited = waited
        self.timeout = timeout

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.task, self.waited, self.timeout))


class Deadline:
    """A time limit fixed once, when a call starts: ``left()`` is what each request in it may still take (``None``:
    no limit). ``clock`` is injectable for tests."""

    def __init__(self, seconds: float | None, clock: Callable[[], float] = time.monotonic) -> None:
        _check_timeout(seconds)
        self.seconds = seconds
        self.clock = clock
        self.start = clock()

    def elapsed(self) -> float:
        return self.clock() - self.start

    def left(self) -> float | None:
        return None if self.seconds is None else self.seconds - self.elapsed()

    def allows(self, delay: float) -> bool:
        """Whether sleeping ``delay`` seconds still ends inside the limit."""
        return self.seconds is None or self.elapsed() + delay <= self.seconds

    def expired(self) -> bool:
        left = self.left()
        return left is not None and left <= 0

    def timeout(self, task: VideoTask) -> VideoTaskTimeout:
        return VideoTaskTimeout(task, self.elapsed(), self.seconds)


@dataclass(frozen=True, slots=True)
class PollSchedule:
    """Seconds between polls: ``initial``, times ``factor`` after each poll, capped at ``maximum``, ±``jitter``."""

    initial: float = 2.0
    factor: float = 1.5
    maximum: float = 15.0
    jitter: float = 0.1

    def __post_init__(self) -> None:
        if self.initial <= 0 or self.maximum <= 0 or self.factor < 1 or not 0 <= self.jitter < 1:
            raise ValueError("poll schedule needs initial > 0, maximum > 0, factor >= 1 and 0 <= jitter < 1.")

    def delays(self, rand: Callable[[], float] = random.random) -> Any:
        delay = self.initial
        while True:
            yield min(self.maximum, delay) * (1 + self.jitter * (2 * rand() - 1))
            delay *= self.factor


def _task_id(task: VideoTask | str) -> str:
    task_id = task.id if isinstance(task, VideoTask) else task
    if not isinstance(task_id, str) or not task_id.strip() or "/" in task_id:
        raise ValueError(f"not a video task id: {task_id!r}")
    return task_id.strip()


def _check_timeout(timeout: float | None) -> None:
    if timeout is not None and timeout <= 0:
        raise ValueError(f"timeout must be a positive number of seconds (or None to wait indefinitely), got {timeout}.")


Limit = float | Deadline | None  # seconds from now, a deadline shared with other calls, or no limit


def _deadline(timeout: Limit, clock: Callable[[], float]) -> Deadline:
    return timeout if isinstance(timeout, Deadline) else Deadline(timeout, clock)


def _left(timeout: Limit) -> float | None:
    return timeout.left() if isinstance(timeout, Deadline) else timeout


def _stream_kwargs(tasks: _Base, deadline: Deadline) -> dict[str, Any]:
    # httpx drops the Authorization header itself when a redirect leaves MixRouter's origin.
    left = deadline.left()
    configured = tasks.transport._stream_timeout
    return {"follow_redirects": True, "timeout": configured if left is None else _cap(configured, left)}


def _request_of(exc: httpx.HTTPError) -> httpx.Request | None:
    try:
        return exc.request
    except RuntimeError:
        return None


def _unstarted(task: VideoTask | str) -> VideoTask:
    """What is known of a task given only by id, when the time ran out before its first poll answered."""
    return task if isinstance(task, VideoTask) else VideoTask(id=_task_id(task), status=VideoStatus.UNKNOWN)


def _too_late(url: str, tasks: _Base, deadline: Deadline) -> DeadlineExceededError:
    method, path = endpoint_of(httpx.Request("GET", url), tasks.transport.base_url)
    message = f"the time limit ({_secs(deadline.seconds)} s) ran out before the download began."
    return DeadlineExceededError(message, method=method, path=path)


def _download_failed(
    exc: httpx.HTTPError, request: httpx.Request | None, tasks: _Base, deadline: Deadline
) -> MixRouterError:
    method, path = endpoint_of(request, tasks.transport.base_url) if request is not None else (None, None)
    name = type(exc).__name__
    cut = _cut_to(request, tasks.transport._stream_timeout, exc) if request is not None else None
    if cut is not None or (isinstance(exc, httpx.TimeoutException) and deadline.expired()):
        return DeadlineExceededError(
            f"the download's time limit ({_secs(deadline.seconds)} s) ran out ({name}).", method=method, path=path
        )
    return MixRouterError(f"downloading the video failed: {name}", method=method, path=path)


class _Base:
    def __init__(
        self, transport: Any, *, schedule: PollSchedule | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.transport = transport
        self.schedule = schedule or PollSchedule()
        self.clock = clock

    def _download_request(self, task: VideoTask | str, prefer_url: bool) -> tuple[str, dict[str, str]]:
        """A CDN URL is fetched without our key (it is only sent to MixRouter's own origin); the ``/content``
        download is the fallback."""
        if prefer_url and isinstance(task, VideoTask) and task.video_url:
            url = task.video_url
            # The key goes only to MixRouter's origin (scheme, host and port), as httpx's redirect rule.
            ours = same_origin(url, self.transport.base_url)
            return url, (self.transport.headers(None, stream=False) if ours else {})
        return self.transport.url(f"{VIDEOS_PATH}/{_task_id(task)}/content"), self.transport.headers(None, stream=False)


class VideoTasks(_Base):
    """Video tasks over a sync transport (``MixRouterClient().videos``)."""

    transport: Transport

    def submit(self, model: str, prompt: str, *, timeout: Limit = None, **options: Any) -> VideoTask:
        """Submit a task; ``options`` are ``build_video_body``'s (images, duration, resolution, ratio, seed, ...).
        ``timeout``: seconds the submission may take, retries included, or a ``Deadline`` shared with other calls
        (default: only the client's own timeouts)."""
        body = build_video_body(model, prompt, **options)
        return VideoTask.from_api(self.transport.request_json("POST", VIDEOS_PATH, body=body, timeout=_left(timeout)))

    def get(self, task: VideoTask | str, *, timeout: Limit = None) -> VideoTask:
        """The task's current state (one poll); ``timeout`` as in ``submit``."""
        path = f"{VIDEOS_PATH}/{_task_id(task)}"
        return VideoTask.from_api(self.transport.request_json("GET", path, timeout=_left(timeout)))

    def wait(
        self,
        task: VideoTask | str,
        *,
        timeout: Limit = 900.0,
        on_progress: Callable[[VideoTask], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> VideoTask:
        """Poll until the task ends. Returns the completed task; raises ``VideoTaskFailed`` if it failed,
        was cancelled or expired, and ``VideoTaskTimeout`` (task still running) once ``timeout`` seconds have
        passed; every poll's own timeouts are cut to the time left."""
        return self._wait(task, _deadline(timeout, self.clock), on_progress, sleep)

    def generate(
        self,
        model: str,
        prompt: str,
        *,
        timeout: Limit = 900.0,
        on_progress: Callable[[VideoTask], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        **options: Any,
    ) -> VideoTask:
        """``submit`` then ``wait``, all within ``timeout`` seconds counted from the call (the submission included).
        A task still running then raises ``VideoTaskTimeout`` with its id; a submission that could not finish in
        time raises ``DeadlineExceededError`` (no task id came back)."""
        deadline = _deadline(timeout, self.clock)
        task = self.submit(model, prompt, timeout=deadline, **options)
        return self._wait(task, deadline, on_progress, sleep)

    def _wait(
        self,
        task: VideoTask | str,
        deadline: Deadline,
        on_progress: Callable[[VideoTask], None] | None,
        sleep: Callable[[float], None],
    ) -> VideoTask:
        try:
            current = task if isinstance(task, VideoTask) else self.get(task, timeout=deadline.left())
        except DeadlineExceededError as exc:
            raise deadline.timeout(_unstarted(task)) from exc
        for delay in self.schedule.delays():
            if on_progress is not None:
                on_progress(current)
            if current.done:
                break
            if not deadline.allows(delay):
                raise deadline.timeout(current)
            sleep(delay)
            try:
                current = self.get(current, timeout=deadline.left())
            except DeadlineExceededError as exc:
                raise deadline.timeout(current) from exc
        if current.status is not VideoStatus.COMPLETED:
            raise VideoTaskFailed(current)
        return current

    def download(
        self, task: VideoTask | str, path: str | Path, *, prefer_url: bool = True, timeout: Limit = None
    ) -> Path:
        """Stream the video to ``path`` (written to a temporary name first, so a failed download leaves nothing).
        ``timeout``: seconds the whole download may take (``DeadlineExceededError`` after that)."""
        deadline = _deadline(timeout, self.clock)
        url, headers = self._download_request(task, prefer_url)
        if deadline.expired():
            raise _too_late(url, self, deadline)
        target = Path(path)
        partial = target.with_name(target.name + ".part")
        request: httpx.Request | None = None
        kwargs = _stream_kwargs(self, deadline)
        try:
            with self.transport.client.stream("GET", url, headers=headers, **kwargs) as response:
                request = response.request
                if response.status_code >= 400:
                    response.read()
                    method, where = endpoint_of(request, self.transport.base_url)
                    raise error_from_response(
                        response.status_code, response.content, response.headers, method=method, path=where
                    )
                with partial.open("wb") as out:
                    for chunk in response.iter_bytes():
                        out.write(chunk)
                        if deadline.expired():
                            raise _download_failed(httpx.ReadTimeout("time limit"), request, self, deadline)
        except httpx.HTTPError as exc:
            partial.unlink(missing_ok=True)
            raise _download_failed(exc, request or _request_of(exc), self, deadline) from exc
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(target)
        return target


class AsyncVideoTasks(_Base):
    """Video tasks over an async transport (``AsyncMixRouterClient().videos``). Cancelling ``wait`` stops at once."""

    transport: AsyncTransport

    async def submit(self, model: str, prompt: str, *, timeout: Limit = None, **options: Any) -> VideoTask:
        body = build_video_body(model, prompt, **options)
        data = await self.transport.request_json("POST", VIDEOS_PATH, body=body, timeout=_left(timeout))
        return VideoTask.from_api(data)

    async def get(self, task: VideoTask | str, *, timeout: Limit = None) -> VideoTask:
        path = f"{VIDEOS_PATH}/{_task_id(task)}"
        return VideoTask.from_api(await self.transport.request_json("GET", path, timeout=_left(timeout)))

    async def wait(
        self,
        task: VideoTask | str,
        *,
        timeout: Limit = 900.0,
        on_progress: Callable[[VideoTask], Awaitable[None] | None] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> VideoTask:
        """As ``VideoTasks.wait``; ``on_progress`` may be a plain function or a coroutine function."""
        return await self._wait(task, _deadline(timeout, self.clock), on_progress, sleep)

    async def generate(
        self,
        model: str,
        prompt: str,
        *,
        timeout: Limit = 900.0,
        on_progress: Callable[[VideoTask], Awaitable[None] | None] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        **options: Any,
    ) -> VideoTask:
        """As ``VideoTasks.generate``: submit and wait within ``timeout`` seconds in all."""
        deadline = _deadline(timeout, self.clock)
        task = await self.submit(model, prompt, timeout=deadline, **options)
        return await self._wait(task, deadline, on_progress, sleep)

    async def _wait(
        self,
        task: VideoTask | str,
        deadline: Deadline,
        on_progress: Callable[[VideoTask], Awaitable[None] | None] | None,
        sleep: Callable[[float], Awaitable[None]],
    ) -> VideoTask:
        try:
            current = task if isinstance(task, VideoTask) else await self.get(task, timeout=deadline.left())
        except DeadlineExceededError as exc:
            raise deadline.timeout(_unstarted(task)) from exc
        for delay in self.schedule.delays():
            if on_progress is not None:
                result = on_progress(current)
                if asyncio.iscoroutine(result):
                    await result
            if current.done:
                break
            if not deadline.allows(delay):
                raise deadline.timeout(current)
            await sleep(delay)
            try:
                current = await self.get(current, timeout=deadline.left())
            except DeadlineExceededError as exc:
                raise deadline.timeout(current) from exc
        if current.status is not VideoStatus.COMPLETED:
            raise VideoTaskFailed(current)
        return current

    async def download(
        self, task: VideoTask | str, path: str | Path, *, prefer_url: bool = True, timeout: Limit = None
    ) -> Path:
        deadline = _deadline(timeout, self.clock)
        url, headers = self._download_request(task, prefer_url)
        if deadline.expired():
            raise _too_late(url, self, deadline)
        target = Path(path)
        partial = target.with_name(target.name + ".part")
        request: httpx.Request | None = None
        kwargs = _stream_kwargs(self, deadline)
        try:
            async with self.transport.client.stream("GET", url, headers=headers, **kwargs) as response:
                request = response.request
                if response.status_code >= 400:
                    await response.aread()
                    method, where = endpoint_of(request, self.transport.base_url)
                    raise error_from_response(
                        response.status_code, response.content, response.headers, method=method, path=where
                    )
                with partial.open("wb") as out:
                    async for chunk in response.aiter_bytes():
                        out.write(chunk)
                        if deadline.expired():
                            raise _download_failed(httpx.ReadTimeout("time limit"), request, self, deadline)
        except httpx.HTTPError as exc:
            partial.unlink(missing_ok=True)
            raise _download_failed(exc, request or _request_of(exc), self, deadline) from exc
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(target)
        return target
