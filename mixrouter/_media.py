"""What images and speech share: sending a request whose answer may be bytes or JSON, fetching a URL the gateway
answered with, multipart bodies, MIME types and writing files. Every call runs under one ``Deadline`` (see
``mixrouter.video``): each request's timeouts are cut to the time left, as for video.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from ._http import _cap, _map_transport_error, endpoint_of, parse_json_body, same_origin
from .errors import DeadlineExceededError, MixRouterError, error_from_response
from .video import Deadline, Limit, _deadline

__all__ = ["FilePart", "encode_multipart", "guess_mime", "read_file_input", "write_bytes"]

FilePart = tuple[str, str, bytes, str]  # (field name, filename, bytes, content type)

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
    (b"ID3", "audio/mpeg"),
    (b"\xff\xfb", "audio/mpeg"),
    (b"fLaC", "audio/flac"),
    (b"OggS", "audio/ogg"),
)
_EXT = {
    "image/png": "png",
    "image/jpeg": "jpeg",
    "image/webp": "webp",
    "image/gif": "gif",
    "audio/mpeg": "mp3",
    "audio/wav": "wav",
    "audio/flac": "flac",
    "audio/ogg": "opus",
    "audio/aac": "aac",
    "audio/pcm": "pcm",
}
FORMAT_MIME = {
    "png": "image/png",
    "jpeg": "image/jpeg",
    "jpg": "image/jpeg",
    "webp": "image/webp",
    "mp3": "audio/mpeg",
    "wav": "audio/wav",
    "flac": "audio/flac",
    "opus": "audio/ogg",
    "aac": "audio/aac",
    "pcm": "audio/pcm",
    "pcm16": "audio/pcm",
}


def guess_mime(data: bytes, name: str | None = None, default: str = "application/octet-stream") -> str:
    """The MIME type from the bytes' signature, else the file name's extension, else ``default``."""
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "audio/wav"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    for magic, mime in _MAGIC:
        if data.startswith(magic):
            return mime
    if name:
        guessed = mimetypes.guess_type(name)[0]
        if guessed:
            return "audio/wav" if guessed in ("audio/x-wav", "audio/wave") else guessed
    return default


def extension(mime: str) -> str:
    return _EXT.get(mime.split(";")[0].strip().lower(), "bin")


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary name, so a failure leaves nothing half-written."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    try:
        partial.write_bytes(data)
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def numbered(path: str | Path, index: int, count: int) -> Path:
    """``out.png`` for one file; ``out-1.png``, ``out-2.png``, ... for several."""
    target = Path(path)
    return target if count == 1 else target.with_name(f"{target.stem}-{index + 1}{target.suffix}")


def decode_data_url(url: str) -> tuple[bytes, str]:
    """``data:image/png;base64,...`` as (bytes, MIME type)."""
    head, _, payload = url.partition(",")
    mime = head[5:].split(";")[0] or "application/octet-stream"
    if ";base64" not in head:
        raise ValueError("only base64 data: URLs are accepted.")
    return base64.b64decode(payload), mime


def read_file_input(value: Any, what: str) -> tuple[str, bytes, str] | str:
    """A file given as bytes, a path, ``(filename, bytes[, mime])``, a ``data:`` URL or an http(s) URL: the
    (filename, bytes, MIME type) to upload, or the URL itself (fetched by the caller, under its deadline)."""
    if isinstance(value, (bytes, bytearray)):
        data = bytes(value)
        mime = guess_mime(data, default="image/png")
        return f"{what}.{extension(mime)}", data, mime
    if isinstance(value, tuple) and len(value) in (2, 3):
        name, data = value[0], bytes(value[1])
        return name, data, value[2] if len(value) == 3 else guess_mime(data, name, "image/png")
    if isinstance(value, str) and value.startswith("data:"):
        data, mime = decode_data_url(value)
        return f"{what}.{extension(mime)}", data, mime
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return value
    if isinstance(value, (str, Path)):
        path = Path(value)
        if not path.is_file():
            raise ValueError(f"{what}: no such file {str(path)!r} (give a path, bytes, a data: URL or an http(s) URL).")
        data = path.read_bytes()
        return path.name, data, guess_mime(data, path.name, "image/png")
    raise ValueError(f"{what} must be a file path, bytes, (filename, bytes), a data: URL or an http(s) URL.")


def encode_multipart(fields: Sequence[tuple[str, str]], files: Sequence[FilePart]) -> tuple[bytes, str]:
    """A ``multipart/form-data`` body and its content type. The boundary is derived from the content (not random),
    so the same request is the same bytes: recorded cassettes match it exactly."""
    digest = hashlib.sha256()
    for name, value in fields:
        digest.update(f"{name}={value}\n".encode())
    for name, filename, data, mime in files:
        digest.update(f"{name}:{filename}:{mime}\n".encode())
        digest.update(data)
    boundary = "mixrouter-" + digest.hexdigest()[:32]
    out: list[bytes] = []
    for name, value in fields:
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, data, mime in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {mime}\r\n\r\n"
        )
        out.append(head.encode() + data + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"


class Answer:
    """A 2xx answer read whole: its bytes, content type and, when it is JSON, the parsed body."""

    def __init__(self, content: bytes, content_type: str, data: Any = None) -> None:
        self.content = content
        self.content_type = content_type
        self.data = data

    @property
    def is_json(self) -> bool:
        return self.data is not None


def _as_answer(response: httpx.Response, content: bytes) -> Answer:
    ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if "json" in ctype or (not ctype and content[:1] in (b"{", b"[")):
        return Answer(content, ctype, parse_json_body(response, content))
    return Answer(content, ctype)


def send_sync(transport: Any, path: str, deadline: Deadline, **kw: Any) -> Answer:
    """POST on the transport (retries, errors, key scrubbing), reading bytes or JSON, within ``deadline``."""
    response = transport.send("POST", path, timeout=deadline.left(), **kw)
    try:
        content = response.read()
    except httpx.HTTPError as exc:
        raise _map_transport_error(exc, phase="read", request=response.request, configured=transport._timeout) from exc
    finally:
        response.close()
    return _as_answer(response, content)


async def send_async(transport: Any, path: str, deadline: Deadline, **kw: Any) -> Answer:
    response = await transport.send("POST", path, timeout=deadline.left(), **kw)
    try:
        content = await response.aread()
    except httpx.HTTPError as exc:
        raise _map_transport_error(exc, phase="read", request=response.request, configured=transport._timeout) from exc
    finally:
        await response.aclose()
    return _as_answer(response, content)


def _fetch_args(transport: Any, url: str, deadline: Deadline) -> dict[str, Any]:
    # The key goes only to MixRouter's own origin (scheme, host and port, as httpx's redirect rule); a CDN link, or
    # plain http or another port on the same host, is fetched without it.
    headers = transport.headers(None, stream=False) if same_origin(url, transport.base_url) else {}
    left = deadline.left()
    if left is not None and left <= 0:
        method, path = endpoint_of(httpx.Request("GET", url), transport.base_url)
        raise DeadlineExceededError(
            "the time limit ran out before the file could be fetched.", method=method, path=path
        )
    timeout = transport._timeout if left is None else _cap(transport._timeout, left)
    return {"headers": headers, "timeout": timeout, "follow_redirects": True}


def _fetch_error(exc: httpx.HTTPError, url: str, transport: Any, deadline: Deadline) -> MixRouterError:
    method, path = endpoint_of(httpx.Request("GET", url), transport.base_url)
    if isinstance(exc, httpx.TimeoutException) and deadline.seconds is not None:
        return DeadlineExceededError(
            f"the time limit ran out while fetching the file ({type(exc).__name__}).", method=method, path=path
        )
    return MixRouterError(f"fetching the file failed: {type(exc).__name__}: {exc}", method=method, path=path)


def _checked(response: httpx.Response, transport: Any) -> tuple[bytes, str]:
    if response.status_code >= 400:
        method, where = endpoint_of(response.request, transport.base_url)
        raise error_from_response(response.status_code, response.content, response.headers, method=method, path=where)
    return response.content, response.headers.get("content-type", "").split(";")[0].strip()


def fetch_sync(transport: Any, url: str, deadline: Deadline) -> tuple[bytes, str]:
    """GET a file the gateway linked to (or a file to upload): (bytes, content type)."""
    if url.startswith("data:"):
        return decode_data_url(url)
    try:
        response = transport.client.get(url, **_fetch_args(transport, url, deadline))
    except httpx.HTTPError as exc:
        raise _fetch_error(exc, url, transport, deadline) from exc
    return _checked(response, transport)


async def fetch_async(transport: Any, url: str, deadline: Deadline) -> tuple[bytes, str]:
    if url.startswith("data:"):
        return decode_data_url(url)
    try:
        response = await transport.client.get(url, **_fetch_args(transport, url, deadline))
    except httpx.HTTPError as exc:
        raise _fetch_error(exc, url, transport, deadline) from exc
    return _checked(response, transport)


def deadline_of(timeout: Limit, clock: Any) -> Deadline:
    return _deadline(timeout, clock)
