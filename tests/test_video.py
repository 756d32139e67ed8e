"""Video tasks in the core: request checks, tolerant reading, waiting with a fake clock, downloads, replay."""

from __future__ import annotations

import asyncio
import json
import pickle

import httpx
import pytest

from mixrouter import (
    APITimeoutError,
    AsyncMixRouterClient,
    InternalServerError,
    MixRouterClient,
    MixRouterError,
    ResponseDecodeError,
    VideoStatus,
    VideoTask,
    VideoTaskFailed,
    VideoTaskTimeout,
    build_video_body,
)
from mixrouter.errors import DeadlineExceededError
from mixrouter.video import AsyncVideoTasks, Deadline, PollSchedule, VideoTasks, normalize_status
from tests.scripted import Scripted
from tests.stub.videos import VIDEO_BYTES

KEY = "test-key-abcdef123456"
SEEDANCE = "doubao-seedance-1-0-lite-i2v-250428"
FRAME = "https://example.com/first.jpg"


def task(status: str, **extra) -> dict:
    return {"id": "video_1", "object": "video", "model": SEEDANCE, "status": status, **extra}


DONE = task("completed", progress=100, metadata={"url": "https://cdn.example.com/v.mp4"})


class FakeClock:
    """Time that moves only when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


def videos_for(transport: Scripted, clock: FakeClock, schedule: PollSchedule | None = None) -> VideoTasks:
    client = MixRouterClient(api_key=KEY, max_retries=0, http_client=httpx.Client(transport=transport))
    return VideoTasks(client.transport, schedule=schedule or PollSchedule(jitter=0), clock=clock)


def avideos_for(transport: Scripted, clock: FakeClock) -> AsyncVideoTasks:
    client = AsyncMixRouterClient(api_key=KEY, max_retries=0, http_client=httpx.AsyncClient(transport=transport))
    return AsyncVideoTasks(client.transport, schedule=PollSchedule(jitter=0), clock=clock)


# -- the request ------------------------------------------------------------------------------------------------


def test_seedance_body_is_the_documented_shape():
    body = build_video_body(
        SEEDANCE,
        "walk naturally",
        images=[FRAME, "https://example.com/last.jpg"],
        duration=10,
        resolution="720P",
        ratio="16:9",
        seed=-1,
        watermark=False,
        image_role="reference_image",
        metadata={"frames": 241, "camerafixed": False},
    )
    assert body == {
        "model": SEEDANCE,
        "prompt": "walk naturally",
        "images": [FRAME, "https://example.com/last.jpg"],
        "duration": 10,
        "metadata": {
            "resolution": "720p",
            "ratio": "16:9",
            "seed": -1,
            "watermark": False,
            "image_role": "reference_image",
            "frames": 241,
            "camerafixed": False,
        },
    }


@pytest.mark.parametrize(
    ("model", "kwargs", "message"),
    [
        (SEEDANCE, {"images": [FRAME], "duration": 30}, "duration=30 seconds is not accepted"),
        (SEEDANCE, {}, "give at least one image URL"),
        ("wan2.6-t2v", {"images": [FRAME]}, "text-to-video and takes no images"),
        ("veo-3.1-generate-preview", {"resolution": "4k"}, "resolution='4k' is not accepted"),
        ("sora-2", {"ratio": "1:1"}, "ratio='1:1' is not accepted"),
        ("sora-2", {"seed": 3}, "has no seed option"),
        ("veo-3.1-generate-preview", {"images": [FRAME] * 4}, "at most 3 image"),
        ("veo-3.1-generate-preview", {"images": ["not a url"]}, r"images\[0\] must be an http"),
        ("veo-3.1-generate-preview", {"duration": 0}, "positive whole number"),
        ("gpt-4o-mini", {}, "not a video model"),
    ],
)
def test_values_a_model_does_not_accept_fail_before_any_request(model, kwargs, message):
    with pytest.raises(ValueError, match=message):
        build_video_body(model, "a cat", **kwargs)


def test_unknown_models_pass_fields_through_and_validation_can_be_skipped():
    body = build_video_body("acme-video-9", "a cat", duration=99, resolution="8k", metadata={"style": "anime"})
    assert body["duration"] == 99 and body["metadata"] == {"resolution": "8k", "style": "anime"}
    assert build_video_body(SEEDANCE, "a cat", duration=30, validate=False)["duration"] == 30


def test_sora_also_gets_openai_seconds_and_size_and_veo_audio_its_own_name():
    sora = build_video_body("sora-2", "a cat", duration=8, resolution="720p", ratio="9:16")
    assert sora["seconds"] == "8" and sora["size"] == "720x1280"
    assert build_video_body("veo-3.1-generate-preview", "a cat", audio=True)["metadata"] == {"generate_audio": True}


# -- reading tasks ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "status"),
    [
        (("queued", "PENDING", "submitted", "not_start"), VideoStatus.QUEUED),
        (("in_progress", "Processing", "running", "in-progress"), VideoStatus.IN_PROGRESS),
        (("completed", "succeeded", "SUCCESS", "done"), VideoStatus.COMPLETED),
        (("failed", "failure", "error"), VideoStatus.FAILED),
        (("cancelled", "canceled"), VideoStatus.CANCELLED),
        (("expired",), VideoStatus.EXPIRED),
        (("weird", None, 3), VideoStatus.UNKNOWN),
    ],
)
def test_status_spellings_fold_into_one_enum(words, status):
    assert {normalize_status(w) for w in words} == {status}


@pytest.mark.parametrize(
    "data",
    [
        {"id": "t1", "status": "completed", "url": "https://cdn/x.mp4"},
        {"task_id": "t1", "status": "succeeded", "video_url": "https://cdn/x.mp4"},
        {"id": "t1", "status": "success", "metadata": {"url": "https://cdn/x.mp4"}},
        {"id": "t1", "status": "completed", "content": {"video_url": "https://cdn/x.mp4"}},
        {"id": "t1", "status": "completed", "data": [{"url": "https://cdn/x.mp4"}]},
        {"data": {"task_id": "t1", "status": "succeed"}, "task_result": {"videos": [{"url": "https://cdn/x.mp4"}]}},
    ],
)
def test_the_id_and_url_are_found_wherever_they_are(data):
    t = VideoTask.from_api(data)
    assert (t.id, t.status, t.video_url, t.progress) == ("t1", VideoStatus.COMPLETED, "https://cdn/x.mp4", 100)
    assert t.raw is data


def test_progress_error_and_unknown_fields():
    t = VideoTask.from_api({"id": "t", "status": "running", "progress": "45%", "vendor_field": 1})
    assert t.progress == 45 and t.raw["vendor_field"] == 1 and not t.done
    failed = VideoTask.from_api({"id": "t", "status": "failed", "error": {"message": "nsfw", "code": "policy"}})
    assert (failed.error_message, failed.error_code) == ("nsfw", "policy")


@pytest.mark.parametrize("garbage", [[], "ok", {"status": "queued"}])
def test_garbage_is_a_typed_error(garbage):
    with pytest.raises(ResponseDecodeError):
        VideoTask.from_api(garbage)


# -- waiting --------------------------------------------------------------------------------------------------------


def test_submit_poll_complete_with_progress_and_capped_backoff():
    t = Scripted(task("queued"), task("in_progress", progress=30), task("in_progress", progress=70), DONE)
    clock = FakeClock()
    videos = videos_for(t, clock, PollSchedule(initial=2, factor=2, maximum=5, jitter=0))
    seen = []
    submitted = videos.submit(SEEDANCE, "walk", images=[FRAME], duration=5)
    done = videos.wait(submitted, on_progress=lambda x: seen.append((x.status.value, x.progress)), sleep=clock.sleep)
    assert done.video_url == "https://cdn.example.com/v.mp4"
    assert seen == [("queued", None), ("in_progress", 30), ("in_progress", 70), ("completed", 100)]
    assert clock.sleeps == [2, 4, 5]  # doubled, then capped
    assert [r.method for r in t.requests] == ["POST", "GET", "GET", "GET"]
    assert t.requests[1].url.path == "/v1/videos/video_1" and t.bodies[0]["images"] == [FRAME]


async def test_async_wait_matches_sync():
    t = Scripted(task("queued"), task("in_progress"), DONE)
    clock = FakeClock()
    videos = avideos_for(t, clock)
    seen = []

    async def progress(x):
        seen.append(x.status)

    done = await videos.wait(
        await videos.submit(SEEDANCE, "walk", images=[FRAME]), on_progress=progress, sleep=clock.asleep
    )
    assert done.status is VideoStatus.COMPLETED and seen[-1] is VideoStatus.COMPLETED and len(clock.sleeps) == 2


def test_failed_task_raises_with_the_gateway_message_and_code():
    failed = task("failed", error={"message": "rejected by the content filter", "code": "content_policy_violation"})
    clock = FakeClock()
    with pytest.raises(VideoTaskFailed, match="rejected by the content filter") as info:
        videos_for(Scripted(task("queued"), failed), clock).wait("video_1", sleep=clock.sleep)
    assert info.value.code == "content_policy_violation" and info.value.task.status is VideoStatus.FAILED


def test_expired_task_raises():
    clock = FakeClock()
    with pytest.raises(VideoTaskFailed, match="expired"):
        videos_for(Scripted(task("expired")), clock).wait("video_1", sleep=clock.sleep)


def test_a_task_stuck_past_the_timeout_gives_back_the_running_task():
    clock = FakeClock()
    videos = videos_for(Scripted(task("in_progress", progress=10)), clock)
    with pytest.raises(VideoTaskTimeout, match="video_1 still in_progress, 10%") as info:
        videos.wait("video_1", timeout=60, sleep=clock.sleep)
    assert info.value.task.id == "video_1" and clock.now <= 60  # never sleeps past the deadline
    with pytest.raises(ValueError, match="timeout must be a positive"):
        videos.wait("video_1", timeout=-1)


async def test_cancelling_an_async_wait_stops_polling_at_once():
    t = Scripted(task("in_progress"))
    client = AsyncMixRouterClient(api_key=KEY, max_retries=0, http_client=httpx.AsyncClient(transport=t))
    videos = AsyncVideoTasks(client.transport, schedule=PollSchedule(initial=30))
    waiting = asyncio.create_task(videos.wait("video_1"))
    await asyncio.sleep(0.05)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    polls = len(t.requests)
    await asyncio.sleep(0.05)
    assert polls == 1 and len(t.requests) == 1  # one poll, then nothing after the cancel


# -- downloads ------------------------------------------------------------------------------------------------------


def test_download_from_a_cdn_url_sends_no_key(tmp_path):
    t = Scripted(VIDEO_BYTES)
    out = videos_for(t, FakeClock()).download(VideoTask.from_api(DONE), tmp_path / "v.mp4")
    assert out.read_bytes() == VIDEO_BYTES and "authorization" not in t.requests[0].headers
    assert str(t.requests[0].url) == "https://cdn.example.com/v.mp4"


def test_download_falls_back_to_content_with_the_key_and_leaves_nothing_on_error(tmp_path):
    t = Scripted(VIDEO_BYTES)
    videos = videos_for(t, FakeClock())
    videos.download("video_1", tmp_path / "v.mp4")
    assert t.requests[0].url.path == "/v1/videos/video_1/content" and t.requests[0].headers["authorization"]
    missing = Scripted((404, {"error": {"message": "task not found", "code": "task_not_found"}}))
    with pytest.raises(Exception, match="task not found"):
        videos_for(missing, FakeClock()).download("video_2", tmp_path / "w.mp4")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v.mp4"]


# -- replayed from the stub -------------------------------------------------------------------------------------


@pytest.mark.vcr
def test_replay_submit_poll_download(tmp_path):
    videos = VideoTasks(MixRouterClient().transport, schedule=PollSchedule(initial=0.01, jitter=0))
    submitted = videos.submit(SEEDANCE, "让图中的人物,很自然地走动起来", images=[FRAME], duration=5, resolution="720p")
    done = videos.wait(submitted, timeout=30)
    assert submitted.status is VideoStatus.QUEUED and done.status is VideoStatus.COMPLETED
    assert f"/v1/videos/{done.id}/content" in done.video_url  # MixRouter's own /content link (stub: new-api's)
    assert videos.download(done, tmp_path / "v.mp4").read_bytes() == VIDEO_BYTES


@pytest.mark.vcr
async def test_replay_legacy_shape_async():
    videos = AsyncVideoTasks(AsyncMixRouterClient().transport, schedule=PollSchedule(initial=0.01, jitter=0))
    done = await videos.wait(await videos.submit("wan2.6-t2v", "legacy: a paper boat", duration=5), timeout=30)
    assert done.raw_status == "succeeded" and done.video_url.endswith("/content")
    assert json.dumps(done.to_dict())


async def test_async_download(tmp_path):
    t = Scripted(VIDEO_BYTES)
    out = await avideos_for(t, FakeClock()).download(VideoTask.from_api(DONE), tmp_path / "v.mp4")
    assert out.read_bytes() == VIDEO_BYTES and "authorization" not in t.requests[0].headers


def test_an_error_in_a_200_is_still_an_error_unless_it_is_a_task():
    from mixrouter import MixRouterError

    not_a_task = Scripted({"status": "error", "error": {"message": "upstream overloaded", "code": "busy"}})
    with pytest.raises(MixRouterError, match="upstream overloaded") as info:
        videos_for(not_a_task, FakeClock()).get("video_1")
    assert not isinstance(info.value, ResponseDecodeError)
    failed = videos_for(Scripted(task("failed", error={"message": "nsfw"})), FakeClock()).get("video_1")
    assert failed.status is VideoStatus.FAILED and failed.error_message == "nsfw"


# -- faults ---------------------------------------------------------------------------------------------------------


def _retrying(transport: Scripted, clock: FakeClock) -> VideoTasks:
    client = MixRouterClient(api_key=KEY, max_retries=2, http_client=httpx.Client(transport=transport))
    client.transport._sleep = clock.sleep  # the transport's retry backoff, on the fake clock
    return VideoTasks(client.transport, schedule=PollSchedule(jitter=0), clock=clock)


def test_submit_failing_retries_then_raises_a_typed_error():
    t = Scripted((503, {"error": {"message": "upstream busy"}}))
    with pytest.raises(InternalServerError, match="upstream busy"):
        _retrying(t, FakeClock()).submit(SEEDANCE, "walk", images=[FRAME])
    assert len(t.requests) == 3  # the first try and max_retries=2


def test_a_poll_failing_transiently_is_retried_and_the_wait_goes_on():
    t = Scripted(task("queued"), (502, {"error": {"message": "bad gateway"}}), DONE)
    clock = FakeClock()
    done = _retrying(t, clock).wait("video_1", sleep=clock.sleep)
    assert done.status is VideoStatus.COMPLETED and len(t.requests) == 3


def test_a_poll_answering_garbage_is_a_typed_error_not_a_hang():
    clock = FakeClock()
    with pytest.raises(ResponseDecodeError):
        videos_for(Scripted(task("queued"), {"unexpected": True}), clock).wait("video_1", sleep=clock.sleep)


# -- one time limit for the whole call ----------------------------------------------------------------------------


class SlowScript(httpx.MockTransport):
    """Answers in order (the last repeats), each request taking ``cost`` seconds of fake time, or raising
    ``ReadTimeout`` at its read timeout when that is shorter (as a real server that slow would)."""

    def __init__(self, clock: FakeClock, cost: float, *answers: dict) -> None:
        self.clock, self.cost, self.answers = clock, cost, list(answers)
        self.requests: list[httpx.Request] = []
        super().__init__(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        read = request.extensions["timeout"]["read"]
        if read < self.cost:
            self.clock.now += read
            raise httpx.ReadTimeout("no answer yet", request=request)
        self.clock.now += self.cost
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        return httpx.Response(200, json=answer)


def test_every_poll_is_cut_to_the_time_left():
    clock = FakeClock()
    t = Scripted(task("in_progress", progress=10))
    with pytest.raises(VideoTaskTimeout) as info:
        videos_for(t, clock).wait("video_1", timeout=60, sleep=clock.sleep)
    reads = [r.extensions["timeout"]["read"] for r in t.requests]
    # polls at 0, 2, 5, 9.5, 16.25, 26.375, 41.375, 56.375 s (1.5x backoff, capped at 15): each read timeout is the
    # time left (the client's own 600 s never applies), and no poll is sent after the limit
    assert reads == pytest.approx([60, 58, 55, 50.5, 43.75, 33.625, 18.625, 3.625], abs=0.5)
    assert all(max(r.extensions["timeout"].values()) <= r.extensions["timeout"]["read"] for r in t.requests)
    assert info.value.timeout == 60 and clock.now <= 60


def test_generate_counts_the_submission_in_the_time_limit():
    clock = FakeClock()
    t = SlowScript(clock, 10.0, task("queued"), task("in_progress", progress=40))
    videos = VideoTasks(
        MixRouterClient(api_key=KEY, max_retries=0, http_client=httpx.Client(transport=t)).transport,
        schedule=PollSchedule(jitter=0),
        clock=clock,
    )
    with pytest.raises(VideoTaskTimeout) as info:
        videos.generate(SEEDANCE, "walk", images=[FRAME], timeout=30, sleep=clock.sleep)
    err = info.value
    # submit (0-10 s), sleep 2, poll (12-22 s), sleep 3, poll sent with the 5 s left, which runs out at 30 s
    assert [r.method for r in t.requests] == ["POST", "GET", "GET"] and clock.sleeps == [2, 3]
    reads = [r.extensions["timeout"]["read"] for r in t.requests]
    assert reads == pytest.approx([30, 18, 5], abs=0.5)
    assert err.task.id == "video_1" and err.task.progress == 40 and err.timeout == 30
    assert err.waited == pytest.approx(30, abs=0.5)
    assert "video task video_1 still in_progress, 40% after 30 s (timeout 30 s); it keeps running" in str(err)
    assert "client.videos.wait('video_1')" in str(err) and "mixrouter video --task video_1 --wait" in str(err)
    assert isinstance(err.__cause__, DeadlineExceededError)


def test_a_poll_that_runs_into_the_limit_gives_back_the_running_task():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(200, json=task("queued"))
        raise httpx.ReadTimeout("stuck", request=request)  # what httpx raises when the cut read timeout fires

    mock = httpx.MockTransport(handler)
    client = MixRouterClient(api_key=KEY, max_retries=2, http_client=httpx.Client(transport=mock))
    videos = VideoTasks(client.transport, schedule=PollSchedule(initial=0.01, jitter=0))
    with pytest.raises(VideoTaskTimeout, match="video_1 still queued") as info:
        videos.generate(SEEDANCE, "walk", images=[FRAME], timeout=5)
    cause = info.value.__cause__
    assert isinstance(cause, DeadlineExceededError) and cause.endpoint == "GET /v1/videos/video_1"
    assert "time limit ran out before MixRouter answered (ReadTimeout" in str(cause)


def test_a_read_timeout_of_the_clients_own_is_not_mistaken_for_the_limit():
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    client = MixRouterClient(
        api_key=KEY, max_retries=0, timeout=2, http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    with pytest.raises(APITimeoutError) as info:
        VideoTasks(client.transport).get("video_1", timeout=60)  # 2 s per request is below the 60 s left
    assert not isinstance(info.value, DeadlineExceededError)
    assert str(info.value).startswith("GET /v1/videos/video_1: MixRouter sent nothing within the read timeout")


def test_a_retry_that_would_not_fit_in_the_limit_is_not_made():
    t = Scripted((503, {"error": {"message": "upstream busy"}}))
    clock = FakeClock()
    videos = _retrying(t, clock)
    t.answers = [(503, {"error": {"message": "upstream busy"}})]
    with pytest.raises(DeadlineExceededError, match="before a retry could be made") as info:
        videos.get("video_1", timeout=0.2)  # the first backoff (0.375 s or more) does not fit
    assert len(t.requests) == 1 and clock.sleeps == []
    assert "last answer: HTTP 503: upstream busy" in str(info.value)
    assert str(info.value).startswith("GET /v1/videos/video_1: the call's time limit (0.2 s) ran out")


async def test_async_generate_stops_at_the_limit_with_the_task():
    clock = FakeClock()
    t = SlowScript(clock, 10.0, task("queued"), task("in_progress", progress=40))
    client = AsyncMixRouterClient(api_key=KEY, max_retries=0, http_client=httpx.AsyncClient(transport=t))
    videos = AsyncVideoTasks(client.transport, schedule=PollSchedule(jitter=0), clock=clock)
    with pytest.raises(VideoTaskTimeout) as info:
        await videos.generate(SEEDANCE, "walk", images=[FRAME], timeout=30, sleep=clock.asleep)
    assert [r.method for r in t.requests] == ["POST", "GET", "GET"] and info.value.task.progress == 40
    assert [r.extensions["timeout"]["read"] for r in t.requests] == pytest.approx([30, 18, 5], abs=0.5)


def test_one_deadline_can_be_shared_by_several_calls(tmp_path):
    clock = FakeClock()
    t = SlowScript(clock, 4.0, DONE)
    videos = VideoTasks(
        MixRouterClient(api_key=KEY, max_retries=0, http_client=httpx.Client(transport=t)).transport, clock=clock
    )
    deadline = Deadline(10, clock)
    done = videos.wait("video_1", timeout=deadline)  # one poll, 4 s
    assert done.status is VideoStatus.COMPLETED and deadline.left() == 6
    clock.now = 11
    with pytest.raises(DeadlineExceededError, match="ran out before the download began") as info:
        videos.download(done, tmp_path / "v.mp4", timeout=deadline)
    assert info.value.endpoint == "GET https://cdn.example.com/v.mp4"  # another host: named with it, no query
    assert list(tmp_path.iterdir()) == [] and len(t.requests) == 1


def test_a_download_is_cut_to_its_time_limit_and_errors_name_the_path(tmp_path):
    t = Scripted(VIDEO_BYTES)
    videos_for(t, FakeClock()).download(VideoTask.from_api(DONE), tmp_path / "v.mp4", timeout=8)
    assert t.requests[0].extensions["timeout"]["read"] <= 8
    missing = Scripted((404, {"error": {"message": "task not found", "code": "task_not_found"}}))
    with pytest.raises(MixRouterError) as info:
        videos_for(missing, FakeClock()).download("video_2", tmp_path / "w.mp4")
    assert info.value.endpoint == "GET /v1/videos/video_2/content"
    assert str(info.value) == "[HTTP 404, code=task_not_found] GET /v1/videos/video_2/content: task not found"


def test_timeouts_and_failures_pickle_with_their_task():
    running = VideoTask.from_api(task("in_progress", progress=10))
    back = pickle.loads(pickle.dumps(VideoTaskTimeout(running, 12.0, 30.0)))
    assert (back.task, back.waited, back.timeout) == (running, 12.0, 30.0)
    assert str(back) == str(VideoTaskTimeout(running, 12.0, 30.0))
    failed = VideoTask.from_api(task("failed", error={"message": "nsfw", "code": "policy"}))
    again = pickle.loads(pickle.dumps(VideoTaskFailed(failed)))
    assert again.task == failed and again.code == "policy" and "nsfw" in str(again)


def test_a_limit_must_be_positive():
    with pytest.raises(ValueError, match="timeout must be a positive"):
        Deadline(0)
