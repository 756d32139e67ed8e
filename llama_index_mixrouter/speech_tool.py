"""``MixRouterSpeechToolSpec`` and ``MixRouterSpeechTool``: text to speech for LlamaIndex agents.

>>> agent = FunctionAgent(tools=[MixRouterImageTool(), MixRouterSpeechTool()], llm=MixRouterLLM(model="gpt-4.1"))

``speak`` has a native sync and async version and the core's schema; it returns JSON text for the model with the
typed ``SpeechResult`` (the audio bytes) as ``raw_output``; failures are ``is_error`` outputs carrying MixRouter's
message (a voice the model does not have: the error names the ones it has). ``timeout`` (default 300 s) bounds each
whole call. Progress goes to the event stream as ``MediaProgressEvent``.
"""

# No ``from __future__ import annotations`` (see image_tool.py).
from typing import Any, ClassVar

from llama_index.core.bridge.pydantic import BaseModel
from llama_index.core.tools import FunctionTool
from llama_index.core.workflow import Context

from mixrouter.media_tool import (
    DEFAULT_SPEECH_MODEL,
    SPEECH_TOOL_DESCRIPTION,
    SpeakArgs,
    aspeak,
    describe_error,
    describe_speech,
    speak,
)

from ._tools import result_text
from .image_tool import _MediaSpecBase, emitter

__all__ = ["MixRouterSpeechTool", "MixRouterSpeechToolSpec"]


class MixRouterSpeechToolSpec(_MediaSpecBase):
    """``speak`` (text to speech), sync and async. ``default_voice``: used when the model gives none."""

    spec_functions: ClassVar[list[Any]] = [("speak", "aspeak")]
    _SCHEMAS: ClassVar[dict[str, tuple[type[BaseModel], str]]] = {"speak": (SpeakArgs, SPEECH_TOOL_DESCRIPTION)}

    def __init__(
        self, *, default_model: str = DEFAULT_SPEECH_MODEL, default_voice: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(default_model=default_model, **kwargs)
        self.default_voice = default_voice

    def speak(
        self,
        text: str,
        voice: str | None = None,
        model: str | None = None,
        format: str | None = None,
        ctx: Context = None,  # type: ignore[assignment]
    ) -> str:
        try:
            result = speak(
                self._client.audio,
                model or self.default_model,
                text,
                voice=voice or self.default_voice,
                format=format,
                timeout=self.timeout,
                save_dir=self.save_dir,
                on_progress=emitter(ctx),
            )
        except Exception as exc:
            return result_text(describe_error(exc, "speech", self.timeout), None, error=True)
        return result_text(describe_speech(result), result)

    async def aspeak(
        self,
        text: str,
        voice: str | None = None,
        model: str | None = None,
        format: str | None = None,
        ctx: Context = None,  # type: ignore[assignment]
    ) -> str:
        try:
            result = await aspeak(
                self._aclient.audio,
                model or self.default_model,
                text,
                voice=voice or self.default_voice,
                format=format,
                timeout=self.timeout,
                save_dir=self.save_dir,
                on_progress=emitter(ctx),
            )
        except Exception as exc:
            return result_text(describe_error(exc, "speech", self.timeout), None, error=True)
        return result_text(describe_speech(result), result)


def MixRouterSpeechTool(**kwargs: Any) -> FunctionTool:
    """The ``speak`` tool for ``FunctionAgent(tools=[MixRouterSpeechTool()])``; ``kwargs`` go to
    ``MixRouterSpeechToolSpec``."""
    return MixRouterSpeechToolSpec(**kwargs).to_tool_list()[0]
