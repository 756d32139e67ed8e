"""The ``mixrouter`` command: ``chat``, ``models``, ``video``, ``image`` and ``speak``.

    mixrouter chat -m deepseek-chat --thinking "Is 5050 prime?"
    mixrouter models --capability video
    mixrouter video "a cat surfing at sunset" -m veo-3.1-fast-generate-preview --duration 8 --wait --download cat.mp4
    mixrouter video --task video_123 --wait            # resume after Ctrl-C or a --timeout
    mixrouter image "a red fox in the snow" -m gpt-image-1 --size 1024x1024 --out fox.png
    mixrouter image "give the fox a scarf" --edit fox.png --out fox-scarf.png
    mixrouter speak "Hello from MixRouter" -m qwen3-tts-flash --voice Cherry --out hello.wav

``--offline`` replays the recorded cassettes instead of calling MixRouter (no key, no network). Progress uses
``rich`` when it is installed (``pip install "mixrouter[cli]"``) and a plain status line otherwise.

``image`` and ``speak`` write the file (``--out``; a picture that comes back as a URL is printed, and fetched only
with ``--out``) and print where it went on stdout. ``--timeout`` (default 300) bounds each whole command.

``video --timeout`` bounds the whole command (submit or look-up, wait, download), as a tool's ``timeout`` does;
``--request-timeout`` limits each HTTP request inside it. A task still running at the deadline is left running and
the command prints how to resume it (exit status 1).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .config import API_KEY_ENV, DEFAULT_BASE_URL
from .errors import APIConnectionError, DeadlineExceededError, MixRouterError
from .models import list_models

__all__ = ["main"]

OFFLINE_KEY = "offline-replay-key"
DIM, RESET = ("\033[2m", "\033[0m") if sys.stdout.isatty() else ("", "")


class CLIError(Exception):
    """A one-line message for the user; exit status 2."""


def _cassettes() -> Any:
    """``MIXROUTER_CASSETTES``, else the cassettes the wheel ships (``mixrouter/_cassettes``), else a checkout's."""
    here = os.environ.get("MIXROUTER_CASSETTES")
    if here:
        if not Path(here).is_dir():
            raise CLIError(f"--offline needs the recorded cassettes; none at {here} (MIXROUTER_CASSETTES).")
        return Path(here)
    from .replay import bundled_cassettes

    found = bundled_cassettes()
    if found is None:
        raise CLIError("--offline needs the recorded cassettes; this install has none (set MIXROUTER_CASSETTES).")
    return found


def _client(args: argparse.Namespace) -> Any:
    import httpx

    from .client import MixRouterClient

    timeout = getattr(args, "request_timeout", None)
    if args.offline:
        from .replay import ReplayTransport

        replay = ReplayTransport(_cassettes())
        return MixRouterClient(
            api_key=OFFLINE_KEY,
            base_url=DEFAULT_BASE_URL,
            http_client=httpx.Client(transport=replay),
            max_retries=0,
            timeout=timeout,
        )
    if not os.environ.get(API_KEY_ENV):
        raise CLIError(f"no API key: set {API_KEY_ENV}=<your key> (or add --offline to replay recorded answers).")
    return MixRouterClient(timeout=timeout)


# -- chat -----------------------------------------------------------------------------------------------------------


def _chat(args: argparse.Namespace) -> int:
    client = _client(args)
    messages = [{"role": "user", "content": " ".join(args.prompt)}]
    thinking = True if args.thinking else None
    in_reasoning = False
    with client.chat_stream(args.model, messages, thinking=thinking) as stream:
        for delta in stream:
            if delta.reasoning:
                if not in_reasoning:
                    print(DIM, end="")
                    in_reasoning = True
                print(delta.reasoning, end="", flush=True)
            if delta.text:
                if in_reasoning:
                    print(RESET + "\n", end="")
                    in_reasoning = False
                print(delta.text, end="", flush=True)
        usage = stream.result().usage
    print(RESET if in_reasoning else "")
    if usage is not None:
        print(f"{DIM}tokens in/out: {usage.input_tokens}/{usage.output_tokens}{RESET}", file=sys.stderr)
    return 0


# -- models ---------------------------------------------------------------------------------------------------------


def _routes(info: Any) -> str:
    """The endpoint(s) a call takes, as ``request.resolve_route`` picks them: Claude goes to ``/v1/messages`` when
    thinking is on, so its row reads ``chat, messages (thinking)``."""
    from .request import resolve_route

    try:
        plain = resolve_route(info, thinking=None)
    except ValueError:  # not a chat model (videos, images, embeddings...): its catalogue route
        return info.route
    thinking = resolve_route(info, thinking=True) if info.supports_thinking else plain
    return plain if thinking == plain else f"{plain}, {thinking} (thinking)"


def _models(args: argparse.Namespace) -> int:
    rows = list_models(family=args.family, capability=args.capability)
    header = ("model", "family", "route", "inputs", "tools", "thinking", "context")
    table = [
        (
            m.id,
            m.family,
            _routes(m),
            ",".join(sorted(m.inputs)),
            "yes" if m.tools else "-",
            m.thinking,
            str(m.context_window),
        )
        for m in rows
    ]
    widths = [max(len(r[i]) for r in [header, *table]) for i in range(len(header))]
    for row in [header, *table]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    print(f"{DIM}{len(rows)} models{RESET}", file=sys.stderr)
    return 0


# -- video ----------------------------------------------------------------------------------------------------------


class _Progress:
    """A progress bar with status and elapsed time: rich when installed, a plain line otherwise. Without a terminal
    (a log, a pipe, CI) a bar cannot redraw, so each step is one plain line instead."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.lines = not sys.stderr.isatty()  # no terminal: one line per step, nothing redrawn
        self.last: tuple[Any, Any] | None = None
        self.rich: Any = None
        if self.lines:
            return
        try:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
        except ImportError:
            self.rich = None
        else:  # on stderr: stdout carries only the results (task id, URL), so it can be piped
            self.rich = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                TextColumn("{task.percentage:>3.0f}%"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
            )
            self.bar = self.rich.add_task("submitted", total=100)

    def __enter__(self) -> _Progress:
        if self.rich is not None:
            self.rich.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.rich is not None:
            self.rich.stop()
        elif not self.lines:
            print(file=sys.stderr)

    def update(self, task: Any) -> None:
        if self.rich is not None:
            self.rich.update(self.bar, description=task.status.value, completed=task.progress or 0)
            return
        elapsed = int(time.monotonic() - self.start)
        progress = f" {task.progress}%" if task.progress is not None else ""
        line = f"{task.status.value}{progress}  {elapsed // 60:02d}:{elapsed % 60:02d}"
        if not self.lines:
            print(f"\r{line}", end="", file=sys.stderr, flush=True)
        elif (task.status, task.progress) != self.last:  # a new step: its own line (a repeated poll adds nothing)
            self.last = (task.status, task.progress)
            print(line, file=sys.stderr, flush=True)


def _video(args: argparse.Namespace) -> int:
    from .video import Deadline, PollSchedule, VideoTasks, VideoTaskTimeout

    if not args.task and not args.prompt:
        raise CLIError("give a prompt, or --task ID to resume a task.")
    for flag, value in (("--timeout", args.timeout), ("--request-timeout", args.request_timeout)):
        if value is not None and value <= 0:
            raise CLIError(f"{flag} must be a positive number of seconds, got {value:g}.")
    client = _client(args)
    interval = 0.01 if args.offline else args.poll_interval
    schedule = PollSchedule(initial=interval, maximum=max(interval, 15.0))
    videos = VideoTasks(client.transport, schedule=schedule)
    deadline = Deadline(args.timeout)  # one limit for the whole command, fixed now
    limit = f"the {args.timeout:g} s --timeout"

    def fail(message: str) -> int:
        print(f"mixrouter: {message}", file=sys.stderr)
        return 1

    try:
        if args.task:
            task = videos.get(args.task, timeout=deadline)
        else:
            options: dict[str, Any] = {"images": args.image or None}
            for key in ("duration", "resolution", "ratio"):
                if getattr(args, key) is not None:
                    options[key] = getattr(args, key)
            task = videos.submit(args.model, " ".join(args.prompt), timeout=deadline, **options)
    except DeadlineExceededError as exc:
        if args.task:
            return fail(f"{exc} Try again: mixrouter video --task {args.task} --wait")
        return fail(f"{exc} No task id came back within {limit}; try again with a larger --timeout.")
    print(f"task {task.id}: {task.status.value}")
    if not (args.wait or args.download):
        print(f"{DIM}follow it with: mixrouter video --task {task.id} --wait{RESET}")
        return 0
    try:
        with _Progress() as progress:
            task = videos.wait(task, timeout=deadline, on_progress=progress.update)
    except KeyboardInterrupt:
        print(f"\ninterrupted; task {task.id} keeps running. Resume with: mixrouter video --task {task.id} --wait")
        return 130
    except VideoTaskTimeout as exc:
        last = exc.task
        progress_note = f", {last.progress}%" if last.progress is not None else ""
        again = f"mixrouter video --task {last.id} " + (f"--download {args.download}" if args.download else "--wait")
        return fail(
            f"task {last.id} is still {last.status.value}{progress_note} after {limit}; it keeps running. "
            f"Resume with: {again}"
        )
    print(task.video_url or f"completed (download with: mixrouter video --task {task.id} --download FILE)")
    if args.download:
        try:
            path = videos.download(task, args.download, timeout=deadline)
        except DeadlineExceededError as exc:
            return fail(f"{exc} The video is ready; download it with: mixrouter video --task {task.id} --download FILE")
        print(f"saved {path} ({path.stat().st_size} bytes)")
    return 0


# -- image and speak ------------------------------------------------------------------------------------------------


def _check_timeouts(args: argparse.Namespace) -> None:
    for flag, value in (("--timeout", args.timeout), ("--request-timeout", args.request_timeout)):
        if value is not None and value <= 0:
            raise CLIError(f"{flag} must be a positive number of seconds, got {value:g}.")


def _image(args: argparse.Namespace) -> int:
    from .images import Images
    from .video import Deadline

    _check_timeouts(args)
    if args.mask and not args.edit:
        raise CLIError("--mask goes with --edit IMAGE (the picture to change).")
    client = _client(args)
    images = Images(client.transport)
    deadline = Deadline(args.timeout)
    prompt = " ".join(args.prompt)
    options: dict[str, Any] = {k: getattr(args, k) for k in ("size", "quality", "n") if getattr(args, k) is not None}
    print(f"{DIM}{'editing' if args.edit else 'making'} the picture with {args.model}...{RESET}", file=sys.stderr)
    if args.edit:
        result = images.edit(args.model, args.edit, prompt, mask=args.mask, timeout=deadline, **options)
    else:
        result = images.generate(args.model, prompt, timeout=deadline, **options)
    inline = any(image.b64_json for image in result.images)
    out = args.out or ("image.png" if inline else None)
    if out is not None:
        images._save(result, out, deadline)
    for image in result.images:
        if image.path is not None:
            print(f"saved {image.path} ({image.path.stat().st_size} bytes)")
        else:
            print(image.url)
    if result.text:
        print(f"{DIM}{result.text}{RESET}", file=sys.stderr)
    return 0


def _speak(args: argparse.Namespace) -> int:
    from .speech import Audio
    from .video import Deadline

    _check_timeouts(args)
    client = _client(args)
    print(f"{DIM}speaking with {args.model}...{RESET}", file=sys.stderr)
    result = Audio(client.transport).speech(
        args.model, " ".join(args.text), voice=args.voice, format=args.format, timeout=Deadline(args.timeout)
    )
    from ._media import extension

    path = result.save(args.out or f"speech.{result.format or extension(result.mime_type)}")
    print(f"saved {path} ({len(result.audio)} bytes, {result.mime_type})")
    if result.url:
        print(f"{DIM}{result.url}{RESET}", file=sys.stderr)
    return 0


def _media_limits(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds for the whole command (default 300)")
    parser.add_argument(
        "--request-timeout", type=float, metavar="SECONDS", help="seconds per HTTP request (default: read 600)"
    )


# -- wiring ---------------------------------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mixrouter", description="MixRouter from the command line.")
    sub = parser.add_subparsers(dest="command", required=True)
    offline = argparse.ArgumentParser(add_help=False)
    offline.add_argument("--offline", action="store_true", help="replay recorded cassettes (no key, no network)")

    chat = sub.add_parser("chat", parents=[offline], help="stream a chat answer (reasoning dimmed)")
    chat.add_argument("prompt", nargs="+", help="what to ask")
    chat.add_argument("-m", "--model", required=True, help="model id (see `mixrouter models`)")
    chat.add_argument("--thinking", action="store_true", help="turn the vendor's thinking on")
    chat.set_defaults(run=_chat)

    models = sub.add_parser("models", help="list the model catalogue")
    models.add_argument("--family", help="e.g. openai, anthropic, deepseek, qwen, video")
    models.add_argument(
        "--capability", choices=["tools", "vision", "thinking", "video", "video-input", "audio", "embeddings"]
    )
    models.set_defaults(run=_models, offline=False)

    video = sub.add_parser("video", parents=[offline], help="generate a video (submit, wait, download)")
    video.add_argument("prompt", nargs="*", help="what the video shows")
    video.add_argument(
        "-m", "--model", default="veo-3.1-fast-generate-preview", help="video model id (default %(default)s)"
    )
    video.add_argument("--image", action="append", metavar="URL", help="image URL (repeat for first/last frame)")
    video.add_argument("--duration", type=int, help="seconds")
    video.add_argument("--resolution", help="e.g. 720p")
    video.add_argument("--ratio", help="e.g. 16:9")
    video.add_argument("--wait", action="store_true", help="wait for the video, with a progress bar")
    video.add_argument(
        "--timeout",
        type=float,
        default=1800.0,
        help="seconds for the whole command: submit, wait and download (default 1800); a task still running then "
        "is left running, with the command to resume it",
    )
    video.add_argument(
        "--request-timeout", type=float, metavar="SECONDS", help="seconds per HTTP request (default: read 600)"
    )
    video.add_argument("--download", metavar="FILE", help="save the video (implies --wait)")
    video.add_argument("--task", metavar="ID", help="resume an existing task instead of submitting")
    video.add_argument("--poll-interval", type=float, default=2.0, help="first wait between polls, seconds (grows)")
    video.set_defaults(run=_video)

    image = sub.add_parser("image", parents=[offline], help="make (or edit) a picture")
    image.add_argument("prompt", nargs="+", help="what the picture shows (or, with --edit, what to change)")
    image.add_argument("-m", "--model", default="gpt-image-1", help="image model id (default gpt-image-1)")
    image.add_argument("--size", help="e.g. 1024x1024, 1536x1024; flux-1-kontext-pro: a ratio such as 16:9")
    image.add_argument("--quality", help="low/medium/high/auto (gpt-image), standard/hd (dall-e-3)")
    image.add_argument("-n", type=int, help="how many pictures")
    image.add_argument("--edit", action="append", metavar="IMAGE", help="a picture to edit: file or URL (repeat)")
    image.add_argument("--mask", metavar="FILE", help="PNG whose transparent areas are repainted (with --edit)")
    image.add_argument("--out", metavar="FILE", help="save here (out-1.png, out-2.png... for several)")
    _media_limits(image)
    image.set_defaults(run=_image)

    speak = sub.add_parser("speak", parents=[offline], help="read a text aloud (text to speech)")
    speak.add_argument("text", nargs="+", help="the words to speak")
    speak.add_argument("-m", "--model", default="qwen3-tts-flash", help="speech model id (default qwen3-tts-flash)")
    speak.add_argument("--voice", help="voice name (default: the model's)")
    speak.add_argument("--format", help="audio format, e.g. wav, mp3 (default: the model's)")
    speak.add_argument("--out", metavar="FILE", help="save here (default speech.<format>)")
    _media_limits(speak)
    speak.set_defaults(run=_speak)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except CLIError as exc:
        print(f"mixrouter: {exc}", file=sys.stderr)
        return 2
    except APIConnectionError as exc:
        if getattr(args, "offline", False):
            print(
                "mixrouter: --offline only replays recorded requests (see cassettes/), and this one was not recorded; "
                f"set {API_KEY_ENV} to run it live.",
                file=sys.stderr,
            )
            return 2
        print(f"mixrouter: {exc}", file=sys.stderr)
        return 1
    except (MixRouterError, ValueError) as exc:
        print(f"mixrouter: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
