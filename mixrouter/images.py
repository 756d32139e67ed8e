"""Image generation and editing: ``client.images.generate(...)`` and ``client.images.edit(...)``, sync and async.

The wire:

* ``POST /v1/images/edits`` (multipart) is documented by MixRouter for gpt-image-1 / gpt-image-1.5 (P22, research
  §5.1): fields ``image``, ``mask``, ``prompt``, ``model``, ``n``, ``size``, ``quality``, ``background``,
  ``input_fidelity``, ``output_format``, ``output_compression``, ``moderation``; the answer ``{"data":
  [{"b64_json"}]}``.
* ``POST /v1/images/generations`` is menu-only at MixRouter ("同生成接口"); the body and the answer follow OpenAI's
  Images API (https://platform.openai.com/docs/api-reference/images/create). INFERRED.
* Gemini image models answer through chat (documented, P23/P24, research §2.1.8): the picture comes back as an
  ``image_url`` part of ``message.content``. ``generate`` and ``edit`` send such a chat request for them.

What each family accepts (sizes, qualities, how many images, styles, backgrounds, formats) is checked before any
request, with an error naming the allowed values. The gpt-image values are MixRouter's (P22 table, sizes "as the
generation API": OpenAI's); dall-e-3's are OpenAI's; flux-1-kontext-pro's follow Black Forest Labs' API (aspect
ratios, sent as ``aspect_ratio``); imagineart-1.5-preview is passed through unchecked. All but the P22 table are
INFERRED. ``validate=False`` (or an unknown model) sends what you give unchanged.

>>> result = MixRouterClient().images.generate("gpt-image-1", "a red fox in snow", size="1024x1024", save_to="fox.png")
>>> result.images[0].mime_type, result.paths
"""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._media import (
    FORMAT_MIME,
    FilePart,
    deadline_of,
    encode_multipart,
    fetch_async,
    fetch_sync,
    guess_mime,
    numbered,
    read_file_input,
    send_async,
    send_sync,
    write_bytes,
)
from .chat import deep_merge
from .errors import ResponseDecodeError
from .usage import Usage, normalize_usage
from .video import Limit

__all__ = [
    "IMAGE_SPECS",
    "AsyncImages",
    "GeneratedImage",
    "ImageResult",
    "ImageSpec",
    "Images",
    "build_edit_fields",
    "build_image_body",
    "image_family",
]

GENERATIONS_PATH = "images/generations"
EDITS_PATH = "images/edits"
CHAT_PATH = "chat/completions"


@dataclass(frozen=True, slots=True)
class ImageSpec:
    """What one image family accepts. An empty tuple: the option is not taken; ``None``: not checked."""

    family: str
    sizes: tuple[str, ...] | None
    qualities: tuple[str, ...] | None = ()
    max_n: int | None = 1
    styles: tuple[str, ...] | None = ()
    backgrounds: tuple[str, ...] | None = ()
    output_formats: tuple[str, ...] | None = ()
    response_formats: tuple[str, ...] | None = ()  # () : always base64 (no response_format field)
    edit: bool = False
    route: str = "images"  # or "chat" (Gemini)
    size_field: str = "size"
    models: tuple[str, ...] = ()
    source: str = "inferred"


_GPT_IMAGE_SIZES = ("1024x1024", "1536x1024", "1024x1536", "auto")
IMAGE_SPECS: dict[str, ImageSpec] = {
    "gpt-image": ImageSpec(
        "gpt-image",
        _GPT_IMAGE_SIZES,
        qualities=("low", "medium", "high", "auto"),
        max_n=10,
        backgrounds=("transparent", "opaque", "auto"),
        output_formats=("png", "jpeg", "webp"),
        edit=True,
        models=("gpt-image-1", "gpt-image-1.5"),
        source="documented for edits (P22: n 1-10, quality, background, output_format); sizes from OpenAI",
    ),
    "dall-e-3": ImageSpec(
        "dall-e-3",
        ("1024x1024", "1792x1024", "1024x1792"),
        qualities=("standard", "hd"),
        max_n=1,
        styles=("vivid", "natural"),
        response_formats=("url", "b64_json"),
        models=("dall-e-3",),
        source="inferred (OpenAI Images API)",
    ),
    "flux-kontext": ImageSpec(
        "flux-kontext",
        ("1:1", "16:9", "9:16", "4:3", "3:4", "3:2", "2:3", "21:9", "9:21"),
        qualities=(),
        max_n=1,
        output_formats=("png", "jpeg"),
        response_formats=None,
        edit=True,
        size_field="aspect_ratio",
        models=("flux-1-kontext-pro",),
        source="inferred (Black Forest Labs' FLUX.1 Kontext API: aspect_ratio, output_format)",
    ),
    "imagineart": ImageSpec(
        "imagineart",
        None,
        qualities=None,
        max_n=None,
        styles=None,
        backgrounds=None,
        output_formats=None,
        response_formats=None,
        models=("imagineart-1.5-preview",),
        source="not documented anywhere we could read: passed through unchecked",
    ),
    "gemini-image": ImageSpec(
        "gemini-image",
        (),
        max_n=1,
        edit=True,
        route="chat",
        models=("gemini-2.5-flash-image", "gemini-2.5-flash-image-preview", "gemini-3-pro-image-preview"),
        source="documented: answers through chat with an image_url part (P23, P24)",
    ),
}
_PREFIXES = (
    ("gpt-image", "gpt-image"),
    ("dall-e-3", "dall-e-3"),
    ("flux-1-kontext", "flux-kontext"),
    ("flux-kontext", "flux-kontext"),
    ("imagineart", "imagineart"),
)


def image_family(model: str) -> str | None:
    """The image family of ``model`` (``None``: not a known image model; its options pass through)."""
    lowered = model.lower()
    if lowered.startswith("gemini") and "image" in lowered:
        return "gemini-image"
    return next((family for prefix, family in _PREFIXES if lowered.startswith(prefix)), None)


def _choice(name: str, value: Any, allowed: tuple[str, ...] | None, model: str) -> Any:
    if allowed is None or value is None:
        return value
    if not allowed:
        raise ValueError(f"{model!r} takes no {name} option; leave it out.")
    normalised = str(value).strip().lower()
    if normalised not in allowed:
        raise ValueError(f"{name}={value!r} is not accepted by {model!r}; choose one of {', '.join(allowed)}.")
    return normalised


def _check_n(n: int | None, spec: ImageSpec | None, model: str) -> None:
    if n is None:
        return
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a whole number of images, at least 1, got {n!r}.")
    if spec is not None and spec.max_n is not None and n > spec.max_n:
        if spec.max_n == 1:
            raise ValueError(f"{model!r} makes one image per request: n must be 1 (make several requests).")
        raise ValueError(f"n={n} is more than {model!r} makes per request; choose 1 to {spec.max_n}.")


def _check_common(model: str, prompt: str) -> None:
    if not isinstance(model, str) or not model:
        raise ValueError("model must be an image model id such as 'gpt-image-1' or 'dall-e-3'.")
    if not isinstance(prompt, str) or not prompt.strip():
        raise ValueError("prompt must be a non-empty description of the image.")


def _options(
    model: str,
    spec: ImageSpec | None,
    validate: bool,
    *,
    size: str | None,
    quality: str | None,
    n: int | None,
    style: str | None,
    background: str | None,
    output_format: str | None,
    response_format: str | None,
) -> dict[str, Any]:
    check = validate and spec is not None
    _check_n(n, spec if check else None, model)
    if check:
        size = _choice("size", size, spec.sizes, model)
        quality = _choice("quality", quality, spec.qualities, model)
        style = _choice("style", style, spec.styles, model)
        background = _choice("background", background, spec.backgrounds, model)
        output_format = _choice("output_format", output_format, spec.output_formats, model)
        if response_format is not None and spec.response_formats == ():
            raise ValueError(
                f"{model!r} always answers with base64 images (b64_json) and takes no response_format; leave it out."
            )
        response_format = _choice("response_format", response_format, spec.response_formats, model)
    out: dict[str, Any] = {}
    size_field = spec.size_field if spec is not None else "size"
    for key, value in (
        ("n", n),
        (size_field, size),
        ("quality", quality),
        ("style", style),
        ("background", background),
        ("output_format", output_format),
        ("response_format", response_format),
    ):
        if value is not None:
            out[key] = value
    return out


def build_image_body(
    model: str,
    prompt: str,
    *,
    size: str | None = None,
    quality: str | None = None,
    n: int | None = None,
    style: str | None = None,
    background: str | None = None,
    output_format: str | None = None,
    output_compression: int | None = None,
    response_format: str | None = None,
    seed: int | None = None,
    extra_body: Mapping[str, Any] | None = None,
    validate: bool = True,
) -> dict[str, Any]:
    """The ``POST /v1/images/generations`` body (OpenAI's Images API, INFERRED). A value the model does not take
    raises ``ValueError`` naming the allowed ones, before any request."""
    _check_common(model, prompt)
    spec = IMAGE_SPECS.get(image_family(model) or "")
    body: dict[str, Any] = {"model": model, "prompt": prompt}
    body |= _options(
        model,
        spec,
        validate,
        size=size,
        quality=quality,
        n=n,
        style=style,
        background=background,
        output_format=output_format,
        response_format=response_format,
    )
    if output_compression is not None:
        if validate and not (0 <= output_compression <= 100):
            raise ValueError(f"output_compression must be 0 to 100, got {output_compression!r}.")
        if validate and body.get("output_format", "png") == "png" and spec is not None and spec.family == "gpt-image":
            raise ValueError("output_compression applies to jpeg and webp only; set output_format='jpeg' or 'webp'.")
        body["output_compression"] = output_compression
    if seed is not None:
        body["seed"] = seed
    return deep_merge(body, dict(extra_body)) if extra_body else body


def build_edit_fields(
    model: str,
    prompt: str,
    *,
    size: str | None = None,
    quality: str | None = None,
    n: int | None = None,
    background: str | None = None,
    input_fidelity: str | None = None,
    output_format: str | None = None,
    output_compression: int | None = None,
    extra_fields: Mapping[str, Any] | None = None,
    validate: bool = True,
) -> list[tuple[str, str]]:
    """The text fields of a ``POST /v1/images/edits`` form (documented for gpt-image, P22)."""
    _check_common(model, prompt)
    spec = IMAGE_SPECS.get(image_family(model) or "")
    if validate and spec is not None and not spec.edit:
        editors = ", ".join(m for s in IMAGE_SPECS.values() if s.edit and s.route == "images" for m in s.models)
        raise ValueError(f"{model!r} does not edit images; use one of {editors}.")
    opts = _options(
        model,
        spec,
        validate,
        size=size,
        quality=quality,
        n=n,
        style=None,
        background=background,
        output_format=output_format,
        response_format=None,
    )
    if input_fidelity is not None and validate and spec is not None:
        if spec.family != "gpt-image":
            raise ValueError(f"{model!r} takes no input_fidelity option; leave it out.")
        input_fidelity = _choice("input_fidelity", input_fidelity, ("low", "high"), model)
    fields = [("model", model), ("prompt", prompt)]
    fields += [(k, str(v)) for k, v in opts.items()]
    if input_fidelity is not None:
        fields.append(("input_fidelity", input_fidelity))
    if output_compression is not None:
        fields.append(("output_compression", str(output_compression)))
    fields += [(k, str(v)) for k, v in (extra_fields or {}).items()]
    return fields


@dataclass(slots=True)
class GeneratedImage:
    """One picture: a URL, base64 bytes, or both; ``path`` once saved."""

    url: str | None = None
    b64_json: str | None = None
    mime_type: str | None = None
    revised_prompt: str | None = None
    path: Path | None = None

    @property
    def data(self) -> bytes | None:
        """The image bytes, when the answer carried them (base64); a URL-only image is fetched by ``save``."""
        return base64.b64decode(self.b64_json) if self.b64_json else None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in ("url", "mime_type", "revised_prompt"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.b64_json:
            out["bytes"] = len(self.data or b"")
        if self.path is not None:
            out["path"] = str(self.path)
        return out


@dataclass(slots=True)
class ImageResult:
    """What an images call returned: the pictures in order, plus usage (gpt-image reports tokens) and ``raw``."""

    images: list[GeneratedImage]
    model: str | None = None
    created: int | None = None
    usage: Usage | None = None
    text: str | None = None  # words a chat-answering model (Gemini) said with its picture
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def paths(self) -> list[Path]:
        return [image.path for image in self.images if image.path is not None]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"model": self.model, "images": [image.to_dict() for image in self.images]}
        if self.text:
            out["text"] = self.text
        return out


def _format_mime(output_format: str | None) -> str | None:
    return FORMAT_MIME.get(output_format.lower()) if isinstance(output_format, str) else None


def parse_images(data: Any, model: str | None = None) -> ImageResult:
    """An Images API answer: ``{"created", "data": [{"url" | "b64_json", "revised_prompt"}], "usage",
    "output_format"}`` (OpenAI; documented for edits, P22). Also read: ``data`` as one object, a bare ``url``."""
    if not isinstance(data, dict):
        raise ResponseDecodeError(f"expected an images answer object, got {type(data).__name__}: {str(data)[:120]!r}")
    items = data.get("data")
    if isinstance(items, dict):
        items = [items]
    if items is None and (data.get("url") or data.get("b64_json")):
        items = [data]
    if not isinstance(items, list) or not items:
        raise ResponseDecodeError(f"the images answer has no pictures in 'data': {str(data)[:200]!r}")
    fmt = _format_mime(data.get("output_format"))
    images: list[GeneratedImage] = []
    for item in items:
        if not isinstance(item, dict) or not (item.get("url") or item.get("b64_json")):
            raise ResponseDecodeError(f"an image in the answer has neither url nor b64_json: {str(item)[:200]!r}")
        b64 = item.get("b64_json")
        mime = fmt or (guess_mime(base64.b64decode(b64[:64] + "=" * (-len(b64[:64]) % 4))) if b64 else None)
        images.append(
            GeneratedImage(url=item.get("url"), b64_json=b64, mime_type=mime, revised_prompt=item.get("revised_prompt"))
        )
    usage = normalize_usage(data.get("usage")) if isinstance(data.get("usage"), dict) else None
    created = data.get("created") if isinstance(data.get("created"), int) else None
    return ImageResult(images=images, model=data.get("model") or model, created=created, usage=usage, raw=data)


_MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")


def _chat_image(url: str, mime: str | None) -> GeneratedImage:
    if url.startswith("data:"):
        head, _, payload = url.partition(",")
        return GeneratedImage(b64_json=payload, mime_type=head[5:].split(";")[0] or mime)
    return GeneratedImage(url=url, mime_type=mime)


def parse_chat_images(data: Any, model: str) -> ImageResult:
    """A Gemini image answer through chat (documented, P24): ``message.content`` is a list of ``text`` and
    ``image_url`` parts (``image_url.MimeType`` given). A string answer with a markdown image is read too."""
    try:
        message = data["choices"][0]["message"]
    except (KeyError, IndexError, TypeError):
        raise ResponseDecodeError(f"the chat answer has no message: {str(data)[:200]!r}") from None
    content = message.get("content")
    images: list[GeneratedImage] = []
    texts: list[str] = []
    if isinstance(content, list):
        for part in content:
            if not isinstance(part, dict):
                continue
            if part.get("type") == "text" and part.get("text"):
                texts.append(part["text"])
            elif part.get("type") == "image_url" and isinstance(part.get("image_url"), dict):
                info = part["image_url"]
                if info.get("url"):
                    images.append(_chat_image(info["url"], info.get("MimeType") or info.get("mime_type")))
    elif isinstance(content, str):
        texts.append(_MARKDOWN_IMAGE.sub("", content))
        images += [_chat_image(url, None) for url in _MARKDOWN_IMAGE.findall(content)]
    if not images:
        said = " ".join(texts).strip()[:200]
        raise ResponseDecodeError(f"{model!r} answered without a picture" + (f": {said!r}" if said else "."))
    usage = normalize_usage(data.get("usage")) if isinstance(data.get("usage"), dict) else None
    text = " ".join(t.strip() for t in texts if t.strip()) or None
    return ImageResult(images=images, model=data.get("model") or model, usage=usage, text=text, raw=data)


def _chat_body(model: str, prompt: str, image_urls: Sequence[str] = (), extra: Mapping[str, Any] | None = None):
    content: Any = prompt
    if image_urls:
        content = [{"type": "text", "text": prompt}]
        content += [{"type": "image_url", "image_url": {"url": url}} for url in image_urls]
    body = {"model": model, "messages": [{"role": "user", "content": content}]}
    return deep_merge(body, dict(extra)) if extra else body


def _data_url(part: tuple[str, bytes, str]) -> str:
    return f"data:{part[2]};base64,{base64.b64encode(part[1]).decode()}"


def _file_list(image: Any) -> list[Any]:
    items = list(image) if isinstance(image, list) else [image]
    if not items:
        raise ValueError("image must be given: a file path, bytes, a data: URL or an http(s) URL.")
    return items


def _form(
    fields: list[tuple[str, str]], images: list[tuple[str, bytes, str]], mask: tuple[str, bytes, str] | None
) -> tuple[bytes, dict[str, str]]:
    for i, (name, _, mime) in enumerate(images):
        if mime not in ("image/png", "image/jpeg", "image/webp"):
            raise ValueError(f"image {i + 1} ({name}) is {mime}; MixRouter edits PNG, JPEG or WebP (P22).")
    # One image goes as "image", several as "image[]" (OpenAI's SDK convention; INFERRED for MixRouter).
    key = "image" if len(images) == 1 else "image[]"
    files: list[FilePart] = [(key, name, data, mime) for name, data, mime in images]
    if mask is not None:
        files.append(("mask", mask[0], mask[1], mask[2]))
    content, ctype = encode_multipart(fields, files)
    return content, {"Content-Type": ctype}


def _save(result: ImageResult, save_to: str | Path, fetched: list[bytes | None]) -> None:
    for i, (image, data) in enumerate(zip(result.images, fetched, strict=True)):
        if data is not None:
            image.path = write_bytes(numbered(save_to, i, len(result.images)), data)


class _Base:
    def __init__(self, transport: Any, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.transport = transport
        self.clock = clock


class Images(_Base):
    """Image generation and editing over a sync transport (``MixRouterClient().images``)."""

    def generate(
        self,
        model: str,
        prompt: str,
        *,
        save_to: str | Path | None = None,
        timeout: Limit = None,
        **options: Any,
    ) -> ImageResult:
        """Make ``n`` pictures from ``prompt``. ``options``: ``size``, ``quality``, ``n``, ``style``, ``background``,
        ``output_format``, ``output_compression``, ``response_format``, ``seed``, ``extra_body``, ``validate``.
        ``save_to``: a file path (``out-1.png``, ``out-2.png``... for several; URL answers are fetched).
        ``timeout``: seconds for the whole call (request and any fetch), or a ``Deadline``."""
        deadline = deadline_of(timeout, self.clock)
        if image_family(model) == "gemini-image":
            _check_n(options.get("n"), IMAGE_SPECS["gemini-image"], model)
            _reject_options(model, options)
            body = _chat_body(model, prompt, extra=options.get("extra_body"))
            answer = send_sync(self.transport, CHAT_PATH, deadline, body=body)
            result = parse_chat_images(answer.data, model)
        else:
            body = build_image_body(model, prompt, **options)
            answer = send_sync(self.transport, GENERATIONS_PATH, deadline, body=body)
            result = parse_images(answer.data, model)
        if save_to is not None:
            self._save(result, save_to, deadline)
        return result

    def edit(
        self,
        model: str,
        image: Any,
        prompt: str,
        *,
        mask: Any = None,
        save_to: str | Path | None = None,
        timeout: Limit = None,
        **options: Any,
    ) -> ImageResult:
        """Edit ``image`` (a path, bytes, ``(filename, bytes)``, a data: URL or an http(s) URL, or a list of them)
        as ``prompt`` says; ``mask``: a PNG with transparent areas to repaint. ``options``: ``size``,
        ``quality``, ``n``, ``background``, ``input_fidelity``, ``output_format``, ``output_compression``,
        ``extra_fields``, ``validate``. Sent as multipart to ``/v1/images/edits`` (documented, P22); a Gemini
        image model gets the picture in a chat message instead (P24)."""
        deadline = deadline_of(timeout, self.clock)
        items = [read_file_input(item, "image") for item in _file_list(image)]
        if image_family(model) == "gemini-image":
            _reject_options(model, options)
            urls = [item if isinstance(item, str) else _data_url(item) for item in items]
            answer = send_sync(self.transport, CHAT_PATH, deadline, body=_chat_body(model, prompt, urls))
            result = parse_chat_images(answer.data, model)
        else:
            fields = build_edit_fields(model, prompt, **options)
            files = [self._file(item, "image", deadline) for item in items]
            mask_part = self._file(read_file_input(mask, "mask"), "mask", deadline) if mask is not None else None
            content, headers = _form(fields, files, mask_part)
            answer = send_sync(self.transport, EDITS_PATH, deadline, body=content, headers=headers)
            result = parse_images(answer.data, model)
        if save_to is not None:
            self._save(result, save_to, deadline)
        return result

    def _file(self, item: Any, what: str, deadline: Any) -> tuple[str, bytes, str]:
        if not isinstance(item, str):
            return item
        data, ctype = fetch_sync(self.transport, item, deadline)
        name = item.rstrip("/").rsplit("/", 1)[-1].split("?")[0] or what
        return name, data, guess_mime(data, name, ctype or "image/png")

    def _save(self, result: ImageResult, save_to: str | Path, deadline: Any) -> None:
        fetched = [
            image.data if image.b64_json else fetch_sync(self.transport, image.url, deadline)[0]
            for image in result.images
        ]
        _save(result, save_to, fetched)


class AsyncImages(_Base):
    """Image generation and editing over an async transport (``AsyncMixRouterClient().images``)."""

    async def generate(
        self,
        model: str,
        prompt: str,
        *,
        save_to: str | Path | None = None,
        timeout: Limit = None,
        **options: Any,
    ) -> ImageResult:
        """As ``Images.generate``."""
        deadline = deadline_of(timeout, self.clock)
        if image_family(model) == "gemini-image":
            _check_n(options.get("n"), IMAGE_SPECS["gemini-image"], model)
            _reject_options(model, options)
            body = _chat_body(model, prompt, extra=options.get("extra_body"))
            answer = await send_async(self.transport, CHAT_PATH, deadline, body=body)
            result = parse_chat_images(answer.data, model)
        else:
            body = build_image_body(model, prompt, **options)
            answer = await send_async(self.transport, GENERATIONS_PATH, deadline, body=body)
            result = parse_images(answer.data, model)
        if save_to is not None:
            await self._save(result, save_to, deadline)
        return result

    async def edit(
        self,
        model: str,
        image: Any,
        prompt: str,
        *,
        mask: Any = None,
        save_to: str | Path | None = None,
        timeout: Limit = None,
        **options: Any,
    ) -> ImageResult:
        """As ``Images.edit``."""
        deadline = deadline_of(timeout, self.clock)
        items = [read_file_input(item, "image") for item in _file_list(image)]
        if image_family(model) == "gemini-image":
            _reject_options(model, options)
            urls = [item if isinstance(item, str) else _data_url(item) for item in items]
            answer = await send_async(self.transport, CHAT_PATH, deadline, body=_chat_body(model, prompt, urls))
            result = parse_chat_images(answer.data, model)
        else:
            fields = build_edit_fields(model, prompt, **options)
            files = [await self._file(item, "image", deadline) for item in items]
            mask_part = await self._file(read_file_input(mask, "mask"), "mask", deadline) if mask is not None else None
            content, headers = _form(fields, files, mask_part)
            answer = await send_async(self.transport, EDITS_PATH, deadline, body=content, headers=headers)
            result = parse_images(answer.data, model)
        if save_to is not None:
            await self._save(result, save_to, deadline)
        return result

    async def _file(self, item: Any, what: str, deadline: Any) -> tuple[str, bytes, str]:
        if not isinstance(item, str):
            return item
        data, ctype = await fetch_async(self.transport, item, deadline)
        name = item.rstrip("/").rsplit("/", 1)[-1].split("?")[0] or what
        return name, data, guess_mime(data, name, ctype or "image/png")

    async def _save(self, result: ImageResult, save_to: str | Path, deadline: Any) -> None:
        fetched = [
            image.data if image.b64_json else (await fetch_async(self.transport, image.url, deadline))[0]
            for image in result.images
        ]
        _save(result, save_to, fetched)


def _reject_options(model: str, options: Mapping[str, Any]) -> None:
    """Gemini image models answer through chat: sizes, qualities and the like have no field there."""
    if not options.get("validate", True):
        return
    for key, value in options.items():
        if key not in ("n", "extra_body", "validate") and value is not None:
            raise ValueError(
                f"{model!r} makes pictures through chat and takes no {key} option; describe it in the prompt."
            )
