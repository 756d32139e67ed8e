"""The stub's images and speech: ``POST /v1/images/generations``, ``POST /v1/images/edits`` (multipart),
``POST /v1/audio/speech``, ``GET /v1/audio/files/{name}`` (the link a qwen3-tts-flash answer points at) and spoken
chat answers (``POST /v1/chat/completions`` with ``modalities: ["text", "audio"]``, OpenAI's audio models).

As strict as the real APIs, with their error shapes (``{"error": {"message", "type", "param", "code"}}``, OpenAI's):

* Images (OpenAI Images API, https://platform.openai.com/docs/api-reference/images/create and /createEdit):
  ``prompt`` required; each model's sizes and qualities (gpt-image: 1024x1024 / 1536x1024 / 1024x1536 / auto and
  low / medium / high / auto; dall-e-3: 1024x1024 / 1792x1024 / 1024x1792 and standard / hd); dall-e-3 takes n=1
  only ("You must provide n=1 for this model."); gpt-image takes n 1-10 and no ``response_format`` and always answers
  ``b64_json`` (OpenAI: "gpt-image-1 ... will always return base64-encoded images"); dall-e-3 answers a URL unless
  ``response_format`` is ``b64_json``. Edits: multipart only, ``image`` (or ``image[]``) PNG/JPEG/WebP (MixRouter P22:
  "支持 PNG/JPEG/WebP"), gpt-image models only (P22: "gpt-image-1.5 / gpt-image-1"), answer ``{"data":
  [{"b64_json"}]}`` as documented.
* Speech (OpenAI speech API, https://platform.openai.com/docs/api-reference/audio/createSpeech): ``input`` and
  ``voice`` required; ``response_format`` one of mp3/opus/aac/flac/wav/pcm; OpenAI models answer the audio bytes.
  qwen3-tts-flash answers MixRouter's documented JSON envelope (P25) ``{"data": {"audio_url"}, "message": "",
  "success": true}`` linking a WAV, with Qwen3-TTS's voices (Alibaba Cloud Model Studio docs).

The pictures and sounds are tiny and ASCII-safe, so JSON cassettes hold them: a real 1x1 PNG as base64, a bare ID3
tag as "mp3", a header-only 8 kHz 8-bit WAV (every byte below 0x80) and an ASCII stand-in for a hosted picture.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import Any

PNG_1X1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
PNG_B64 = base64.b64encode(PNG_1X1).decode()
MP3_BYTES = b"ID3\x04\x00\x00\x00\x00\x00\x00"  # an ID3v2.4 tag with nothing after it
WAV_BYTES = (
    b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x40\x1f\x00\x00\x40\x1f\x00\x00"
    b"\x01\x00\x08\x00data\x00\x00\x00\x00"
)

GPT_IMAGE = ("gpt-image-1", "gpt-image-1.5", "gpt-image-1-mini")
SIZES = {
    **dict.fromkeys(GPT_IMAGE, ("1024x1024", "1536x1024", "1024x1536", "auto")),
    "dall-e-3": ("1024x1024", "1792x1024", "1024x1792"),
}
QUALITIES = {**dict.fromkeys(GPT_IMAGE, ("low", "medium", "high", "auto")), "dall-e-3": ("standard", "hd")}
OPENAI_VOICES = ("alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer", "verse")
QWEN_VOICES = (
    "Cherry",
    "Ethan",
    "Nofish",
    "Jennifer",
    "Ryan",
    "Katerina",
    "Elias",
    "Jada",
    "Dylan",
    "Sunny",
    "Li",
    "Marcus",
    "Roy",
    "Peter",
    "Rocky",
    "Kiki",
    "Eric",
)
# A hosted picture (a URL answer) is fetched as raw bytes, and a real PNG starts with 0x89, which a JSON cassette cannot
# hold: the stub's hosted file is an ASCII stand-in, as the stub's video file is.
HOSTED_IMAGE = b"FAKE-PNG stub image for mixrouter tests\n"
SPEECH_FORMATS = ("mp3", "opus", "aac", "flac", "wav", "pcm")
TTS_MODELS = ("tts-1", "tts-1-hd", "gpt-4o-mini-tts")


def _json(status: int, data: Any) -> tuple[int, str, bytes]:
    return status, "application/json", json.dumps(data, ensure_ascii=False).encode()


def _invalid(message: str, param: str | None = None, code: str | None = None) -> tuple[int, str, bytes]:
    """OpenAI's 400 shape."""
    error = {"message": message, "type": "invalid_request_error", "param": param, "code": code}
    return _json(400, {"error": error})


def parse_multipart(body: bytes, content_type: str) -> tuple[dict[str, str], dict[str, list[tuple[str, str, bytes]]]]:
    """(text fields, files by field name as (filename, content type, bytes)) of a multipart/form-data body."""
    found = re.search(r'boundary="?([^";]+)"?', content_type)
    if not found:
        raise ValueError("no boundary")
    delimiter = b"--" + found.group(1).encode()
    fields: dict[str, str] = {}
    files: dict[str, list[tuple[str, str, bytes]]] = {}
    for part in body.split(delimiter)[1:]:
        if part.startswith(b"--"):
            break
        part = part[2:] if part.startswith(b"\r\n") else part
        part = part[:-2] if part.endswith(b"\r\n") else part
        head, _, data = part.partition(b"\r\n\r\n")
        headers = head.decode("utf-8", "replace")
        name = re.search(r'name="([^"]*)"', headers)
        filename = re.search(r'filename="([^"]*)"', headers)
        ctype = re.search(r"(?im)^content-type:\s*(\S+)", headers)
        if not name:
            continue
        if filename:
            mime = ctype.group(1) if ctype else "application/octet-stream"
            files.setdefault(name.group(1), []).append((filename.group(1), mime, data))
        else:
            fields[name.group(1)] = data.decode("utf-8")
    return fields, files


def _check_image_options(model: str, opts: dict[str, Any]) -> tuple[int, str, bytes] | None:
    if not opts.get("prompt"):
        return _invalid("Missing required parameter: 'prompt'.", "prompt", "missing_required_parameter")
    if model not in SIZES:
        return None  # other image models: no rule known here
    size = opts.get("size")
    if size is not None and size not in SIZES[model]:
        allowed = ", ".join(f"'{s}'" for s in SIZES[model])
        return _invalid(f"Invalid value: '{size}'. Supported values are: {allowed}.", "size", "invalid_value")
    quality = opts.get("quality")
    if quality is not None and quality not in QUALITIES[model]:
        allowed = ", ".join(f"'{q}'" for q in QUALITIES[model])
        return _invalid(f"Invalid value: '{quality}'. Supported values are: {allowed}.", "quality", "invalid_value")
    n = int(opts.get("n") or 1)
    if model == "dall-e-3" and n != 1:
        return _invalid("You must provide n=1 for this model.", "n")
    if not 1 <= n <= 10:
        return _invalid(f"Invalid 'n': integer above maximum value. Expected a value <= 10, but got {n}.", "n")
    if model in GPT_IMAGE and opts.get("response_format") is not None:
        return _invalid("Unknown parameter: 'response_format'.", "response_format", "unknown_parameter")
    return None


def _images(model: str, opts: dict[str, Any], base: str) -> dict[str, Any]:
    n = int(opts.get("n") or 1)
    out: dict[str, Any] = {"created": 1766990000}
    if model in GPT_IMAGE:
        out["data"] = [{"b64_json": PNG_B64} for _ in range(n)]
        out["output_format"] = opts.get("output_format") or "png"
        out["usage"] = {"input_tokens": 12, "output_tokens": 272, "total_tokens": 284}
        return out
    if opts.get("response_format") == "b64_json":
        out["data"] = [{"b64_json": PNG_B64, "revised_prompt": opts["prompt"]}]
        return out
    key = hashlib.sha1(json.dumps(opts, sort_keys=True).encode()).hexdigest()[:12]
    out["data"] = [{"url": f"{base}/images/files/{key}.png", "revised_prompt": opts["prompt"]} for _ in range(n)]
    return out


def _generations(body: dict[str, Any], base: str) -> tuple[int, str, bytes]:
    model = body.get("model") or ""
    if not model:
        return _invalid("Missing required parameter: 'model'.", "model", "missing_required_parameter")
    refusal = _check_image_options(model, body)
    return refusal or _json(200, _images(model, body, base))


def _edits(raw: Any, headers: dict[str, str], base: str) -> tuple[int, str, bytes]:
    ctype = headers.get("content-type", "")
    if not isinstance(raw, (bytes, bytearray)) or not ctype.startswith("multipart/form-data"):
        return _invalid("Invalid Content-Type header (application/json), expected multipart/form-data.")
    fields, files = parse_multipart(bytes(raw), ctype)
    model = fields.get("model") or "dall-e-2"
    if model not in GPT_IMAGE:
        return _invalid(f"Invalid model {model}. The model must be one of gpt-image-1, gpt-image-1.5.", "model")
    images = files.get("image") or files.get("image[]") or []
    if not images:
        return _invalid("Missing required parameter: 'image'.", "image", "missing_required_parameter")
    for name, mime, _ in images + files.get("mask", []):
        if mime not in ("image/png", "image/jpeg", "image/webp"):
            return _invalid(
                f"Invalid file '{name}': unsupported mimetype ('{mime}'). Supported file formats are "
                "'image/jpeg', 'image/png', and 'image/webp'.",
                "image",
                "unsupported_file",
            )
    refusal = _check_image_options(model, fields)
    return refusal or _json(200, _images(model, fields, base))


def _speech(body: dict[str, Any], base: str) -> tuple[int, str, bytes]:
    model = body.get("model") or ""
    if not body.get("input"):
        return _invalid("Missing required parameter: 'input'.", "input", "missing_required_parameter")
    voice = body.get("voice")
    if not voice:
        return _invalid("Missing required parameter: 'voice'.", "voice", "missing_required_parameter")
    fmt = body.get("response_format", "mp3")
    if fmt not in SPEECH_FORMATS:
        allowed = ", ".join(f"'{f}'" for f in SPEECH_FORMATS)
        return _invalid(f"Invalid value: '{fmt}'. Supported values are: {allowed}.", "response_format", "invalid_value")
    if model.startswith("qwen3-tts"):
        if voice not in QWEN_VOICES:
            return _json(400, {"data": None, "message": f"voice {voice} is not supported", "success": False})
        key = hashlib.sha1(json.dumps(body, sort_keys=True).encode()).hexdigest()[:12]
        return _json(200, {"data": {"audio_url": f"{base}/audio/files/{key}.wav"}, "message": "", "success": True})
    if model in TTS_MODELS and voice not in OPENAI_VOICES:
        allowed = ", ".join(f"'{v}'" for v in OPENAI_VOICES)
        return _invalid(f"Invalid value: '{voice}'. Supported values are: {allowed}.", "voice", "invalid_value")
    mime = {"mp3": "audio/mpeg", "wav": "audio/wav"}.get(fmt, f"audio/{fmt}")
    return 200, mime, WAV_BYTES if fmt == "wav" else MP3_BYTES


CHAT_AUDIO_FORMATS = ("wav", "aac", "mp3", "flac", "opus", "pcm16")
CHAT_AUDIO_MODELS = ("gpt-4o-audio-preview", "gpt-audio")


def speaks_in_chat(path: str, body: Any) -> bool:
    """A chat request asking for spoken output (OpenAI's ``modalities: ["text", "audio"]``)."""
    return path.endswith("/chat/completions") and isinstance(body, dict) and "audio" in (body.get("modalities") or [])


def _chat_audio(body: dict[str, Any]) -> tuple[int, str, bytes]:
    """OpenAI's audio output in chat (https://platform.openai.com/docs/guides/audio): ``audio`` is required with the
    audio modality, ``voice`` and ``format`` must be known; the answer's ``message.audio`` holds base64 data and a
    transcript."""
    model = body.get("model") or ""
    if model not in CHAT_AUDIO_MODELS:
        return _invalid("This model does not support audio output.", "modalities", "invalid_value")
    audio = body.get("audio")
    if not isinstance(audio, dict):
        return _invalid("Missing required parameter: 'audio'.", "audio", "missing_required_parameter")
    voice, fmt = audio.get("voice"), audio.get("format")
    if voice not in (*OPENAI_VOICES, "marin", "cedar"):
        return _invalid(f"Invalid value: '{voice}'. Supported values are: 'alloy', 'ash', ...", "audio.voice")
    if fmt not in CHAT_AUDIO_FORMATS:
        allowed = ", ".join(f"'{f}'" for f in CHAT_AUDIO_FORMATS)
        return _invalid(f"Invalid value: '{fmt}'. Supported values are: {allowed}.", "audio.format", "invalid_value")
    said = next((m.get("content") for m in reversed(body.get("messages") or []) if m.get("role") == "user"), "")
    data = base64.b64encode(WAV_BYTES if fmt == "wav" else MP3_BYTES).decode()
    key = hashlib.sha1(json.dumps(body, sort_keys=True).encode()).hexdigest()[:12]
    message = {
        "role": "assistant",
        "content": None,
        "audio": {"id": f"audio_{key}", "data": data, "expires_at": 1766993600, "transcript": said},
    }
    completion = {
        "id": f"chatcmpl-audio-{key}",
        "object": "chat.completion",
        "created": 1766990000,
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 20, "completion_tokens": 30, "total_tokens": 50},
    }
    return _json(200, completion)


def respond(method: str, path: str, headers: dict[str, str], body: Any, base: str) -> tuple[int, str, bytes]:
    if method == "GET" and "/images/files/" in path:
        return 200, "image/png", HOSTED_IMAGE
    if method == "GET" and "/audio/files/" in path:
        return 200, "audio/wav", WAV_BYTES
    if method == "POST" and path.endswith("/images/edits"):
        return _edits(body, headers, base)
    if isinstance(body, (bytes, bytearray)):
        return _invalid("We could not parse the JSON body of your request.")
    body = body or {}
    if method == "POST" and path.endswith("/images/generations"):
        return _generations(body, base)
    if method == "POST" and path.endswith("/audio/speech"):
        return _speech(body, base)
    if method == "POST" and speaks_in_chat(path, body):
        return _chat_audio(body)
    return _json(404, {"error": {"message": f"no route {path}", "code": "not_found"}})
