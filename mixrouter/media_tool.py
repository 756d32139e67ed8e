"""What both frameworks' image and speech tools share: one argument schema each, the calls they make, and the texts
the model gets back. The faces (LangChain ``BaseTool``, LlamaIndex tool specs) differ only in plumbing, as the video
tools do (``mixrouter.video_tool``).

The same rules as every media tool: ``timeout`` (default 300 s; ``None``: no limit) bounds each whole tool call (the
request, fetching a linked file and saving it; one ``Deadline`` fixed when the call starts, every request cut to the
time left); ``request_timeout`` limits each HTTP request. Failures come back as tool errors carrying MixRouter's
message. Progress is reported when the call starts and when it ends (a picture takes 10-60 s).

An image tool edits only pictures given by URL (http(s) or data:), never a local path: the arguments come from a
model, and a tool that reads any file it is told to would hand your disk to a prompt injection.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from ._http import _secs
from .errors import DeadlineExceededError, MixRouterError
from .images import AsyncImages, ImageResult, Images
from .speech import AsyncAudio, Audio, SpeechResult
from .video import Deadline

__all__ = [
    "DEFAULT_IMAGE_MODEL",
    "DEFAULT_MEDIA_TOOL_TIMEOUT",
    "DEFAULT_SPEECH_MODEL",
    "IMAGE_PROGRESS_EVENT",
    "IMAGE_TOOL_DESCRIPTION",
    "SPEECH_PROGRESS_EVENT",
    "SPEECH_TOOL_DESCRIPTION",
    "GenerateImageArgs",
    "SpeakArgs",
    "amake_image",
    "aspeak",
    "audio_block",
    "describe_error",
    "describe_images",
    "describe_speech",
    "image_blocks",
    "make_image",
    "speak",
]

DEFAULT_IMAGE_MODEL = "gpt-image-1"  # MixRouter documents its edits (P22); answers base64
DEFAULT_SPEECH_MODEL = "qwen3-tts-flash"  # the speech model MixRouter documents (P25)
DEFAULT_MEDIA_TOOL_TIMEOUT = 300.0  # seconds for a whole image or speech tool call
IMAGE_PROGRESS_EVENT = "mixrouter_image_progress"
SPEECH_PROGRESS_EVENT = "mixrouter_speech_progress"

IMAGE_TOOL_DESCRIPTION = (
    "Make a picture from a text prompt with MixRouter (or edit the picture at image_url as the prompt says). Returns "
    "the picture's URL or file path and details; takes 10-60 seconds."
)
SPEECH_TOOL_DESCRIPTION = (
    "Read text aloud with MixRouter (text to speech). Returns the audio file's path or URL, its format and size."
)
DESCRIPTIONS = {
    "prompt": "What the picture shows: subject, setting, style, colours, composition. For an edit: the change.",
    "image_model": "MixRouter image model id, e.g. 'gpt-image-1', 'gpt-image-1.5', 'dall-e-3', "
    "'flux-1-kontext-pro', 'gemini-2.5-flash-image'. Leave empty for the tool's default.",
    "size": "Picture size such as '1024x1024', '1536x1024' (landscape) or '1024x1536' (portrait); "
    "flux-1-kontext-pro takes an aspect ratio such as '16:9'.",
    "quality": "'low', 'medium', 'high' or 'auto' (gpt-image); 'standard' or 'hd' (dall-e-3).",
    "n": "How many pictures (1 unless asked; dall-e-3 makes one).",
    "image_url": "An http(s) or data: URL of a picture to edit instead of making a new one.",
    "text": "The exact words to speak.",
    "voice": "Voice name, e.g. 'Cherry' or 'Ethan' (qwen3-tts-flash), 'alloy' or 'coral' (OpenAI). Leave empty "
    "for the model's default.",
    "speech_model": "MixRouter speech model id, e.g. 'qwen3-tts-flash', 'eleven_v3'. Leave empty for the default.",
    "format": "Audio format, e.g. 'wav' or 'mp3' (each model makes a few). Leave empty for the default.",
}


class GenerateImageArgs(BaseModel):
    """The image tools' arguments (both frameworks use this schema)."""

    prompt: str = Field(description=DESCRIPTIONS["prompt"], min_length=1)
    model: str | None = Field(default=None, description=DESCRIPTIONS["image_model"])
    size: str | None = Field(default=None, description=DESCRIPTIONS["size"])
    quality: str | None = Field(default=None, description=DESCRIPTIONS["quality"])
    n: int | None = Field(default=None, ge=1, le=10, description=DESCRIPTIONS["n"])
    image_url: str | None = Field(default=None, description=DESCRIPTIONS["image_url"])


class SpeakArgs(BaseModel):
    """The speech tools' arguments (both frameworks use this schema)."""

    text: str = Field(description=DESCRIPTIONS["text"], min_length=1)
    voice: str | None = Field(default=None, description=DESCRIPTIONS["voice"])
    model: str | None = Field(default=None, description=DESCRIPTIONS["speech_model"])
    format: str | None = Field(default=None, description=DESCRIPTIONS["format"])


def _name(kind: str, *parts: Any) -> str:
    return f"{kind}-{hashlib.sha1(json.dumps(parts, default=str).encode()).hexdigest()[:10]}"


def _image_call(
    model: str, prompt: str, size: str | None, quality: str | None, n: int | None, image_url: str | None
) -> tuple[dict[str, Any], bool]:
    if image_url is not None and not image_url.startswith(("http://", "https://", "data:")):
        raise ValueError("image_url must be an http(s) or data: URL (the tool does not read local files).")
    opts = {k: v for k, v in (("size", size), ("quality", quality), ("n", n)) if v is not None}
    return opts, image_url is not None


def _image_target(save_dir: str | Path | None, model: str, prompt: str, image_url: str | None) -> Path | None:
    if save_dir is None:
        return None
    return Path(save_dir) / f"{_name('image', model, prompt, image_url)}.png"


def make_image(
    images: Images,
    model: str,
    prompt: str,
    *,
    size: str | None = None,
    quality: str | None = None,
    n: int | None = None,
    image_url: str | None = None,
    timeout: float | None = None,
    save_dir: str | Path | None = None,
    on_progress: Callable[[dict[str, Any]], None] | None = None,
) -> ImageResult:
    """One image tool call: generate (or edit ``image_url``), save under ``save_dir`` if given, all within
    ``timeout`` seconds."""
    deadline = Deadline(timeout)
    opts, edit = _image_call(model, prompt, size, quality, n, image_url)
    save_to = _image_target(save_dir, model, prompt, image_url)
    if on_progress is not None:
        on_progress({"kind": "image", "status": "started", "model": model})
    if edit:
        result = images.edit(model, image_url, prompt, save_to=save_to, timeout=deadline, **opts)
    else:
        result = images.generate(model, prompt, save_to=save_to, timeout=deadline, **opts)
    if on_progress is not None:
        on_progress({"kind": "image", "status": "completed", "model": model, "images": len(result.images)})
    return result


async def amake_image(
    images: AsyncImages,
    model: str,
    prompt: str,
    *,
    size: str | None = None,
    quality: str | None = None,
    n: int | None = None,
    image_url: str | None = None,
    timeout: float | None = None,
    save_dir: str | Path | None = None,
    on_progress: Callable[[dict[str, Any]], Any] | None = None,
) -> ImageResult:
    """As ``make_image``; ``on_progress`` may be a coroutine function."""
    deadline = Deadline(timeout)
    opts, edit = _image_call(model, prompt, size, quality, n, image_url)
    save_to = _image_target(save_dir, model, prompt, image_url)
    if on_progress is not None:
        await _maybe_await(on_progress({"kind": "image", "status": "started", "model": model}))
    if edit:
        result = await images.edit(model, image_url, prompt, save_to=save_to, timeout=deadline, **opts)
    else:
        result = await images.generate(model, prompt, save_to=save_to, timeout=deadline, **opts)
    if on_progress is not None:
        done = {"kind": "image", "status": "completed", "model": model, "images": len(result.images)}
        await _maybe_await(on_progress(done))
    return result


def _speech_target(save_dir: str | Path | None, model: str, text: str, voice: str | None, fmt: str | None):
    if save_dir is None:
        return None
    return Path(save_dir) / _name("speech", model, text, voice, fmt)


def _with_suffix(result: SpeechResult, save_to: Path | None) -> None:
    if save_to is not None:
        from ._media import extension

        result.save(save_to.with_suffix("." + (result.format or extension(result.mime_type))))


def speak(
    audio: Audio,
    model: str,
    text: str,
    *,
    voice: str | None = None,
    format: str | None = None,
    timeout: float | None = None,
    save_dir: str | Path | None = None,
    on_progress: Callable[[dict[str, Any]], None] | None = None,
) -> SpeechResult:
    """One speech tool call within ``timeout`` seconds, saved under ``save_dir`` if given."""
    deadline = Deadline(timeout)
    if on_progress is not None:
        on_progress({"kind": "speech", "status": "started", "model": model})
    result = audio.speech(model, text, voice=voice, format=format, timeout=deadline)
    _with_suffix(result, _speech_target(save_dir, model, text, voice, format))
    if on_progress is not None:
        on_progress({"kind": "speech", "status": "completed", "model": model, "bytes": len(result.audio)})
    return result


async def aspeak(
    audio: AsyncAudio,
    model: str,
    text: str,
    *,
    voice: str | None = None,
    format: str | None = None,
    timeout: float | None = None,
    save_dir: str | Path | None = None,
    on_progress: Callable[[dict[str, Any]], Any] | None = None,
) -> SpeechResult:
    """As ``speak``; ``on_progress`` may be a coroutine function."""
    deadline = Deadline(timeout)
    if on_progress is not None:
        await _maybe_await(on_progress({"kind": "speech", "status": "started", "model": model}))
    result = await audio.speech(model, text, voice=voice, format=format, timeout=deadline)
    _with_suffix(result, _speech_target(save_dir, model, text, voice, format))
    if on_progress is not None:
        done = {"kind": "speech", "status": "completed", "model": model, "bytes": len(result.audio)}
        await _maybe_await(on_progress(done))
    return result


async def _maybe_await(value: Any) -> None:
    if hasattr(value, "__await__"):
        await value


def describe_images(result: ImageResult) -> str:
    """Short JSON for the model: where each picture is (URL or file; base64 stays out of the text)."""
    data = result.to_dict()
    for image in data["images"]:
        if "url" not in image and "path" not in image:
            image["note"] = "returned inline (base64) in the tool's artifact"
    data["next"] = "Tell the user the picture is ready" + (
        " and give its URL or path." if any("url" in i or "path" in i for i in data["images"]) else "."
    )
    return json.dumps(data, ensure_ascii=False)


def describe_speech(result: SpeechResult) -> str:
    data = result.to_dict()
    where = " and give its path or URL." if result.path or result.url else "."
    data["next"] = "Tell the user the audio is ready" + where
    return json.dumps(data, ensure_ascii=False)


def describe_error(exc: Exception, what: str, timeout: float | None = None) -> str:
    """An error as text the model can act on (MixRouter's own message; never a traceback, never a key)."""
    if isinstance(exc, ValueError):
        return f"Invalid {what} request: {exc}"
    if isinstance(exc, DeadlineExceededError):
        limit = f" ({_secs(timeout)} s)" if timeout is not None else ""
        return (
            f"MixRouter did not finish the {what} within the tool's time limit{limit}: {exc} Try again later, or give "
            "the tool a larger timeout."
        )
    if isinstance(exc, MixRouterError):
        return f"MixRouter error: {exc}" + (" (temporary; retrying later may work)" if exc.retryable else "")
    raise exc


def image_blocks(result: ImageResult) -> list[dict[str, Any]]:
    """The pictures as standard content blocks (LangChain's ``ImageContentBlock`` shape: base64 or URL)."""
    blocks: list[dict[str, Any]] = []
    for image in result.images:
        block: dict[str, Any] = {"type": "image", "mime_type": image.mime_type or "image/png"}
        if image.b64_json:
            block["base64"] = image.b64_json
        else:
            block["url"] = image.url
        if image.path is not None:
            block["extras"] = {"path": str(image.path)}
        blocks.append(block)
    return blocks


def audio_block(result: SpeechResult) -> dict[str, Any]:
    """The audio as a standard content block (LangChain's ``AudioContentBlock`` shape, base64)."""
    block: dict[str, Any] = {"type": "audio", "base64": result.b64, "mime_type": result.mime_type}
    extras = {k: v for k, v in (("url", result.url), ("path", str(result.path) if result.path else None)) if v}
    if extras:
        block["extras"] = extras
    return block
