"""Text to speech: ``client.audio.speech(model, text, voice=, format=, ...)``, sync and async.

The wire: ``POST /v1/audio/speech``; OpenAI's audio models (gpt-4o-audio-preview, gpt-audio) speak in a chat answer
instead (``POST /v1/chat/completions`` with ``modalities: ["text", "audio"]``, ``audio: {voice, format}``; the audio
in ``message.audio.data``; OpenAI's format, INFERRED for MixRouter).

MixRouter documents ``/v1/audio/speech`` for qwen3-tts-flash (P25, research §5.3) with a chat-like request
(``model``, ``modalities``, ``audio: {voice, format}``, ``messages``) and a JSON answer that links the audio:
``{"data": {"audio_url": "https://.../x.wav"}, "message": "", "success": true}``. The page does not say whether
OpenAI's speech body is taken too, so every speech model there gets OpenAI's body (``model``, ``input``, ``voice``,
``response_format``, ``speed``, ``instructions``; https://platform.openai.com/docs/api-reference/audio/createSpeech;
INFERRED), and qwen3-tts-flash additionally gets the documented fields (``audio``, ``modalities``, ``messages``).

The answer may be audio bytes (OpenAI: the body is the file) or the documented JSON with a URL (or base64); both are
read, and a linked file is fetched within the same time limit.

Voices, formats and speed per family are checked before any request, with an error naming the allowed values:
OpenAI's TTS voices and formats (OpenAI docs); Qwen3-TTS's voices (Alibaba Cloud Model Studio, qwen3-tts-flash) and
the WAV the documented answer links; ElevenLabs takes any voice id. All INFERRED but the P25 shape.

>>> speech = MixRouterClient().audio.speech("qwen3-tts-flash", "Hello!", voice="Cherry", save_to="hello.wav")
>>> speech.mime_type, len(speech.audio), speech.path
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._media import (
    FORMAT_MIME,
    Answer,
    deadline_of,
    fetch_async,
    fetch_sync,
    guess_mime,
    send_async,
    send_sync,
    write_bytes,
)
from .chat import deep_merge
from .errors import MixRouterError, ResponseDecodeError
from .video import Limit

__all__ = ["SPEECH_SPECS", "AsyncAudio", "Audio", "SpeechResult", "SpeechSpec", "build_speech_body", "speech_family"]

SPEECH_PATH = "audio/speech"
MAX_INPUT = 4096  # OpenAI's limit on ``input`` characters


@dataclass(frozen=True, slots=True)
class SpeechSpec:
    """What one speech family accepts. ``voices=None``: any voice id (not checked)."""

    family: str
    voices: tuple[str, ...] | None
    default_voice: str
    formats: tuple[str, ...]
    default_format: str
    speed: tuple[float, float] | None = None
    instructions: bool = False
    models: tuple[str, ...] = ()
    source: str = "inferred"
    route: str = "speech"  # or "chat": the model speaks in a chat answer (OpenAI's audio models)


_OPENAI_VOICES = ("alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer", "verse")
SPEECH_SPECS: dict[str, SpeechSpec] = {
    "openai-tts": SpeechSpec(
        "openai-tts",
        _OPENAI_VOICES,
        "alloy",
        ("mp3", "opus", "aac", "flac", "wav", "pcm"),
        "mp3",
        speed=(0.25, 4.0),
        instructions=True,
        models=("gpt-4o-mini-tts", "tts-1", "tts-1-hd"),
        source="inferred (OpenAI's speech API; these ids are not in MixRouter's list but OpenAI serves them)",
    ),
    "qwen-tts": SpeechSpec(
        "qwen-tts",
        (
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
        ),
        "Cherry",
        ("wav",),
        "wav",
        models=("qwen3-tts-flash",),
        source="documented endpoint and answer (P25); voices from Alibaba Cloud's Qwen3-TTS docs (inferred)",
    ),
    "elevenlabs": SpeechSpec(
        "elevenlabs",
        None,
        "21m00Tcm4TlvDq8Ty2ik",  # ElevenLabs' premade "Rachel"
        ("mp3", "pcm", "opus"),
        "mp3",
        speed=(0.7, 1.2),
        models=("eleven_v3",),
        source="inferred (ElevenLabs' text-to-speech API: voice ids, mp3/pcm/opus, speed 0.7-1.2)",
    ),
    "openai-chat-audio": SpeechSpec(
        "openai-chat-audio",
        (*_OPENAI_VOICES, "marin", "cedar"),
        "alloy",
        ("wav", "mp3", "flac", "opus", "aac", "pcm16"),
        "wav",
        models=("gpt-4o-audio-preview", "gpt-audio"),
        route="chat",
        source="inferred (OpenAI's chat audio output: modalities ['text', 'audio'], audio {voice, format})",
    ),
}
_PREFIXES = (
    ("gpt-4o-audio", "openai-chat-audio"),
    ("gpt-audio", "openai-chat-audio"),
    ("gpt-4o-mini-tts", "openai-tts"),
    ("tts-1", "openai-tts"),
    ("qwen3-tts", "qwen-tts"),
    ("qwen-tts", "qwen-tts"),
    ("eleven", "elevenlabs"),
)
CHAT_PATH = "chat/completions"
# What the chat audio models are told: speak the text, nothing else (INFERRED; OpenAI documents no "read aloud" mode).
READ_ALOUD = "Read the user's message aloud exactly as written, word for word. Add nothing and leave nothing out."


def speech_family(model: str) -> str | None:
    """The speech family of ``model`` (``None``: unknown; options pass through unchecked)."""
    lowered = model.lower()
    return next((family for prefix, family in _PREFIXES if lowered.startswith(prefix)), None)


def _voice(value: str, spec: SpeechSpec, model: str) -> str:
    if spec.voices is None:
        return value
    for voice in spec.voices:
        if voice.lower() == value.strip().lower():
            return voice
    raise ValueError(f"voice={value!r} is not a voice of {model!r}; choose one of {', '.join(spec.voices)}.")


def build_speech_body(
    model: str,
    text: str,
    *,
    voice: str | None = None,
    format: str | None = None,
    speed: float | None = None,
    instructions: str | None = None,
    extra_body: Mapping[str, Any] | None = None,
    validate: bool = True,
) -> dict[str, Any]:
    """The ``POST /v1/audio/speech`` body (see the module docstring for what is documented). A voice, format or
    speed the model does not take raises ``ValueError`` naming the allowed values, before any request."""
    if not isinstance(model, str) or not model:
        raise ValueError("model must be a speech model id such as 'qwen3-tts-flash'.")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("text must be the non-empty words to speak.")
    spec = SPEECH_SPECS.get(speech_family(model) or "")
    if validate and len(text) > MAX_INPUT:
        raise ValueError(f"text is {len(text)} characters; speech takes at most {MAX_INPUT} per request.")
    if validate and spec is not None:
        voice = _voice(voice, spec, model) if voice is not None else spec.default_voice
        fmt = (format or spec.default_format).strip().lower()
        if fmt not in spec.formats:
            raise ValueError(f"format={format!r} is not made by {model!r}; choose one of {', '.join(spec.formats)}.")
        format = fmt
        if speed is not None:
            if spec.speed is None:
                raise ValueError(f"{model!r} takes no speed option; leave it out.")
            low, high = spec.speed
            if not low <= speed <= high:
                raise ValueError(f"speed={speed} is outside what {model!r} takes ({low:g} to {high:g}).")
        if instructions is not None and not (spec.instructions and model.lower().startswith("gpt-4o-mini-tts")):
            raise ValueError(f"{model!r} takes no instructions; only gpt-4o-mini-tts does.")
    elif voice is None and validate:
        raise ValueError(f"give a voice for {model!r} (voice=...).")
    if spec is not None and spec.route == "chat":
        # OpenAI's audio models speak in a chat answer (POST /v1/chat/completions, message.audio.data); INFERRED.
        chat: dict[str, Any] = {
            "model": model,
            "modalities": ["text", "audio"],
            "audio": {"voice": voice or spec.default_voice, "format": format or spec.default_format},
            "messages": [{"role": "system", "content": READ_ALOUD}, {"role": "user", "content": text}],
        }
        return deep_merge(chat, dict(extra_body)) if extra_body else chat
    body: dict[str, Any] = {"model": model, "input": text}
    if voice is not None:
        body["voice"] = voice
    if format is not None:
        body["response_format"] = format
    if speed is not None:
        body["speed"] = speed
    if instructions is not None:
        body["instructions"] = instructions
    if spec is not None and spec.family == "qwen-tts":
        # The documented P25 request shape, alongside OpenAI's fields.
        body["modalities"] = ["audio"]
        body["audio"] = {"voice": body.get("voice"), "format": body.get("response_format")}
        body["messages"] = [{"role": "user", "content": [{"type": "text", "text": text}]}]
    return deep_merge(body, dict(extra_body)) if extra_body else body


@dataclass(slots=True)
class SpeechResult:
    """Spoken audio: the bytes, their MIME type and format, the URL the gateway linked (if any), ``path`` once saved."""

    audio: bytes
    mime_type: str
    format: str | None = None
    model: str | None = None
    voice: str | None = None
    url: str | None = None
    path: Path | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def b64(self) -> str:
        return base64.b64encode(self.audio).decode()

    def save(self, path: str | Path) -> Path:
        self.path = write_bytes(path, self.audio)
        return self.path

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"model": self.model, "voice": self.voice, "format": self.format}
        out |= {"mime_type": self.mime_type, "bytes": len(self.audio)}
        if self.url:
            out["url"] = self.url
        if self.path is not None:
            out["path"] = str(self.path)
        return out


def _audio_link(data: dict[str, Any]) -> tuple[str | None, str | None]:
    """(URL, base64) in a JSON speech answer: ``data.audio_url`` (documented, P25), ``url``, ``audio.data``."""
    inner = data.get("data")
    for where in (inner if isinstance(inner, dict) else {}, data, data.get("audio") or {}):
        if not isinstance(where, dict):
            continue
        for key in ("audio_url", "url"):
            if isinstance(where.get(key), str) and where[key]:
                return where[key], None
        for key in ("b64_json", "audio", "data"):
            if isinstance(where.get(key), str) and len(where[key]) > 16:
                return None, where[key]
    return None, None


def _from_json(answer: Answer) -> tuple[str | None, bytes | None, dict[str, Any]]:
    data = answer.data
    if not isinstance(data, dict):
        raise ResponseDecodeError(f"expected a speech answer object, got {type(data).__name__}")
    if data.get("success") is False:
        raise MixRouterError(f"MixRouter could not make the speech: {data.get('message') or 'no reason given'}")
    url, b64 = _audio_link(data)
    if url is None and b64 is None:
        raise ResponseDecodeError(f"the speech answer links no audio: {str(data)[:200]!r}")
    return url, (base64.b64decode(b64) if b64 else None), data


def _from_chat(answer: Answer) -> tuple[bytes, dict[str, Any]]:
    """A chat answer that speaks: ``choices[0].message.audio`` ``{"id", "data" (base64), "transcript"}``."""
    try:
        spoken = answer.data["choices"][0]["message"]["audio"]
        return base64.b64decode(spoken["data"]), answer.data
    except (KeyError, IndexError, TypeError, ValueError):
        raise ResponseDecodeError(f"the chat answer carries no audio: {str(answer.data)[:200]!r}") from None


def _path(body: dict[str, Any]) -> str:
    return CHAT_PATH if "messages" in body and "input" not in body else SPEECH_PATH


def _result(body: dict[str, Any], audio: bytes, ctype: str, url: str | None, raw: dict[str, Any]) -> SpeechResult:
    chat_audio = body.get("audio") if _path(body) == CHAT_PATH else {}
    fmt = body.get("response_format") or chat_audio.get("format")
    declared = ctype if ctype.startswith("audio/") else None
    mime = guess_mime(audio, url, declared or FORMAT_MIME.get(fmt or "", "application/octet-stream"))
    return SpeechResult(audio, mime, fmt, body["model"], body.get("voice") or chat_audio.get("voice"), url, raw=raw)


class _Base:
    def __init__(self, transport: Any, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.transport = transport
        self.clock = clock


class Audio(_Base):
    """Speech over a sync transport (``MixRouterClient().audio``)."""

    def speech(
        self,
        model: str,
        text: str,
        *,
        voice: str | None = None,
        format: str | None = None,
        save_to: str | Path | None = None,
        timeout: Limit = None,
        **options: Any,
    ) -> SpeechResult:
        """Speak ``text``. ``options``: ``speed``, ``instructions``, ``extra_body``, ``validate``. ``save_to``: write
        the audio there. ``timeout``: seconds for the whole call (request and fetching a linked file)."""
        deadline = deadline_of(timeout, self.clock)
        body = build_speech_body(model, text, voice=voice, format=format, **options)
        answer = send_sync(self.transport, _path(body), deadline, body=body)
        if _path(body) == CHAT_PATH:
            audio, raw = _from_chat(answer)
            result = _result(body, audio, "", None, raw)
        elif answer.is_json:
            url, audio, raw = _from_json(answer)
            ctype = ""
            if audio is None and url is not None:
                audio, ctype = fetch_sync(self.transport, url, deadline)
            result = _result(body, audio or b"", ctype, url, raw)
        else:
            result = _result(body, answer.content, answer.content_type, None, {})
        if save_to is not None:
            result.save(save_to)
        return result


class AsyncAudio(_Base):
    """Speech over an async transport (``AsyncMixRouterClient().audio``)."""

    async def speech(
        self,
        model: str,
        text: str,
        *,
        voice: str | None = None,
        format: str | None = None,
        save_to: str | Path | None = None,
        timeout: Limit = None,
        **options: Any,
    ) -> SpeechResult:
        """As ``Audio.speech``."""
        deadline = deadline_of(timeout, self.clock)
        body = build_speech_body(model, text, voice=voice, format=format, **options)
        answer = await send_async(self.transport, _path(body), deadline, body=body)
        if _path(body) == CHAT_PATH:
            audio, raw = _from_chat(answer)
            result = _result(body, audio, "", None, raw)
        elif answer.is_json:
            url, audio, raw = _from_json(answer)
            ctype = ""
            if audio is None and url is not None:
                audio, ctype = await fetch_async(self.transport, url, deadline)
            result = _result(body, audio or b"", ctype, url, raw)
        else:
            result = _result(body, answer.content, answer.content_type, None, {})
        if save_to is not None:
            result.save(save_to)
        return result
