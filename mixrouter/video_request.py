"""Video task requests: one set of options for every video family, checked per family before anything is sent.

MixRouter documents one submission, Doubao Seedance on ``POST /v1/videos`` (P7)::

    {"model", "prompt", "images": [urls], "duration": 10,
     "metadata": {"image_role", "resolution", "ratio", "frames", "seed", "camerafixed", "watermark"}}

That is new-api's unified task request, so every family is sent in that shape (INFERRED for all but Seedance): the
common options at the top, vendor options in ``metadata``. Sora additionally gets OpenAI's ``seconds`` and ``size``.

The accepted values per family (durations, resolutions, ratios, image counts, audio) follow each vendor's published
API as of late 2025. MixRouter does not document them, so they are INFERRED; ``validate=False`` (or an unknown
model) sends what you give unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .models import get_model_info

__all__ = ["FAMILY_SPECS", "VideoSpec", "build_video_body", "video_family"]


@dataclass(frozen=True, slots=True)
class VideoSpec:
    """What one video family accepts. ``durations``: allowed seconds (``None``: not checked)."""

    family: str
    durations: tuple[int, ...] | None
    resolutions: tuple[str, ...]
    ratios: tuple[str, ...]
    max_images: int = 1
    audio: bool = False
    watermark: bool = False
    seed: bool = True
    negative_prompt: bool = False
    source: str = "inferred (vendor API docs)"


_COMMON_RATIOS = ("16:9", "9:16", "1:1")
FAMILY_SPECS: dict[str, VideoSpec] = {
    "seedance": VideoSpec(
        "seedance",
        tuple(range(2, 13)),
        ("480p", "720p", "1080p"),
        ("16:9", "4:3", "1:1", "3:4", "9:16", "21:9", "adaptive"),
        max_images=4,
        watermark=True,
        source="documented request shape (P7); limits from Volcengine's Seedance API",
    ),
    "kling": VideoSpec("kling", (5, 10), (), _COMMON_RATIOS, max_images=2, negative_prompt=True, seed=False),
    "vidu": VideoSpec("vidu", (1, 2, 3, 4, 5, 6, 7, 8), ("360p", "540p", "720p", "1080p"), _COMMON_RATIOS, 2, True),
    "hailuo": VideoSpec("hailuo", (6, 10), ("512p", "768p", "1080p"), (), max_images=2, seed=False),
    "sora": VideoSpec("sora", (4, 8, 12), ("720p", "1080p"), ("16:9", "9:16"), audio=True, seed=False),
    "veo": VideoSpec("veo", (4, 6, 8), ("720p", "1080p"), ("16:9", "9:16"), 3, True, negative_prompt=True),
    "wan": VideoSpec("wan", (5, 10, 15), ("480p", "720p", "1080p"), _COMMON_RATIOS, audio=True, negative_prompt=True),
    "pixverse": VideoSpec(
        "pixverse",
        (5, 8, 10),
        ("360p", "540p", "720p", "1080p"),
        ("16:9", "4:3", "1:1", "3:4", "9:16"),
        audio=True,
        negative_prompt=True,
    ),
    "hunyuan": VideoSpec("hunyuan", (5,), ("480p", "720p"), ("16:9", "9:16"), watermark=True),
}
_PREFIXES = (
    ("doubao-seedance", "seedance"),
    ("seedance", "seedance"),
    ("kling", "kling"),
    ("vidu", "vidu"),
    ("minimax-hailuo", "hailuo"),
    ("hailuo", "hailuo"),
    ("sora", "sora"),
    ("veo", "veo"),
    ("wan", "wan"),
    ("pixverse", "pixverse"),
    ("hunyuan-video", "hunyuan"),
)
# Sora takes a pixel size instead of resolution + ratio (OpenAI's video API).
_SORA_SIZES = {
    ("720p", "16:9"): "1280x720",
    ("720p", "9:16"): "720x1280",
    ("1080p", "16:9"): "1792x1024",
    ("1080p", "9:16"): "1024x1792",
}


def video_family(model: str) -> str | None:
    """The video family of ``model`` (``None`` when it is not a known video family)."""
    vendor = get_model_info(model).extra.get("vendor")
    if isinstance(vendor, str):
        return vendor
    lowered = model.lower()
    return next((family for prefix, family in _PREFIXES if lowered.startswith(prefix)), None)


def _image_to_video_only(model: str) -> bool:
    lowered = model.lower()
    return any(tag in lowered for tag in ("-i2v", "img2video", "image2video"))


def _text_to_video_only(model: str) -> bool:
    return "-t2v" in model.lower()


def _choice(name: str, value: str, allowed: tuple[str, ...], model: str) -> str:
    normalised = value.strip().lower()
    if allowed and normalised not in allowed:
        raise ValueError(f"{name}={value!r} is not accepted by {model!r}; choose one of {', '.join(allowed)}.")
    if not allowed:
        raise ValueError(f"{model!r} takes no {name} option; leave it out.")
    return normalised


def _check(model: str, spec: VideoSpec, opts: dict[str, Any], images: list[str]) -> None:
    duration = opts.get("duration")
    if duration is not None and spec.durations is not None and duration not in spec.durations:
        allowed = ", ".join(map(str, spec.durations))
        raise ValueError(f"duration={duration} seconds is not accepted by {model!r}; choose one of {allowed}.")
    if _image_to_video_only(model) and not images:
        raise ValueError(f"{model!r} turns images into video: give at least one image URL (images=[...]).")
    if _text_to_video_only(model) and images:
        raise ValueError(f"{model!r} is text-to-video and takes no images; use its image-to-video sibling.")
    if len(images) > spec.max_images:
        raise ValueError(f"{model!r} takes at most {spec.max_images} image(s), got {len(images)}.")
    for flag, allowed in (("audio", spec.audio), ("watermark", spec.watermark), ("seed", spec.seed)):
        if opts.get(flag) is not None and not allowed:
            raise ValueError(f"{model!r} has no {flag} option; leave it out.")
    if opts.get("negative_prompt") and not spec.negative_prompt:
        raise ValueError(f"{model!r} takes no negative_prompt; fold it into the prompt.")


def build_video_body(
    model: str,
    prompt: str,
    *,
    images: Sequence[str] | None = None,
    duration: int | None = None,
    resolution: str | None = None,
    ratio: str | None = None,
    seed: int | None = None,
    audio: bool | None = None,
    watermark: bool | None = None,
    negative_prompt: str | None = None,
    image_role: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    validate: bool = True,
) -> dict[str, Any]:
    """The ``POST /v1/videos`` body. ``images``: URLs (first frame, last frame or references; ``image_role`` says
    which, as in Seedance). A value the model does not accept raises ``ValueError`` before any request."""
    if not isinstance(model, str) or not model:
        raise ValueError("model must be a video model id such as 'doubao-seedance-1-0-lite-i2v-250428'.")
    if not isinstance(prompt, str) or not prompt.strip():
        raise ValueError("prompt must be a non-empty description of the video.")
    info = get_model_info(model)
    if info.known and info.route != "videos":
        raise ValueError(f"{model!r} is not a video model; `mixrouter models --capability video` lists them.")
    image_list = [images] if isinstance(images, str) else list(images or [])
    for i, url in enumerate(image_list):
        if not isinstance(url, str) or not url.startswith(("http://", "https://", "data:")):
            raise ValueError(f"images[{i}] must be an http(s) URL or a data: URL, got {url!r}.")
    if duration is not None and (isinstance(duration, bool) or not isinstance(duration, int) or duration <= 0):
        raise ValueError(f"duration must be a positive whole number of seconds, got {duration!r}.")
    opts = {
        "duration": duration,
        "seed": seed,
        "audio": audio,
        "watermark": watermark,
        "negative_prompt": negative_prompt,
    }
    family = video_family(model)
    spec = FAMILY_SPECS.get(family or "")
    if validate and spec is not None:
        _check(model, spec, opts, image_list)
        if resolution is not None:
            resolution = _choice("resolution", resolution, spec.resolutions, model)
        if ratio is not None:
            ratio = _choice("ratio", ratio, spec.ratios, model)
    body: dict[str, Any] = {"model": model, "prompt": prompt}
    if image_list:
        body["images"] = image_list
    if duration is not None:
        body["duration"] = duration
    meta: dict[str, Any] = {}
    for key, value in (
        ("resolution", resolution),
        ("ratio", ratio),
        ("seed", seed),
        ("watermark", watermark),
        ("negative_prompt", negative_prompt),
        ("image_role", image_role),
        ("generate_audio" if family == "veo" else "audio", audio),
    ):
        if value is not None:
            meta[key] = value
    meta.update(metadata or {})
    if meta:
        body["metadata"] = meta
    if family == "sora":
        if duration is not None:
            body["seconds"] = str(duration)
        size = _SORA_SIZES.get((resolution or "720p", ratio or "16:9"))
        if size and (resolution or ratio):
            body["size"] = size
    return body
