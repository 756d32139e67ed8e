"""``MixRouterSpeechTool``: text to speech for LangChain agents.

>>> agent = create_agent(ChatMixRouter(model="gpt-4.1"), [MixRouterImageTool(), MixRouterSpeechTool()])

The tool answers with a short JSON text for the model (format, size, where the file is) and the audio itself as the
tool message's artifact: a list with one standard content block (``{"type": "audio", "base64", "mime_type"}``).
``timeout`` (default 300 s) bounds the whole call, fetching a linked file included; ``request_timeout`` each HTTP
request. Failures and bad arguments (a voice the model does not have: the error names the ones it has) become
``ToolException`` text. Progress: the custom events ``mixrouter_speech_progress``. ``save_dir``: also write the
audio there.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForToolRun, CallbackManagerForToolRun
from pydantic import BaseModel

from mixrouter.media_tool import (
    DEFAULT_SPEECH_MODEL,
    SPEECH_PROGRESS_EVENT,
    SPEECH_TOOL_DESCRIPTION,
    SpeakArgs,
    aspeak,
    audio_block,
    describe_speech,
    speak,
)

from .image_tool import _MediaToolBase
from .video_tool import langgraph_writer

__all__ = ["MixRouterSpeechTool"]


class MixRouterSpeechTool(_MediaToolBase):
    """Speak a text within ``timeout`` seconds; the audio comes back as the artifact."""

    name: str = "speak"
    description: str = SPEECH_TOOL_DESCRIPTION
    args_schema: type[BaseModel] = SpeakArgs
    default_model: str = DEFAULT_SPEECH_MODEL
    default_voice: str | None = None

    def _run(
        self,
        text: str,
        voice: str | None = None,
        model: str | None = None,
        format: str | None = None,
        run_manager: CallbackManagerForToolRun | None = None,
    ) -> tuple[str, list[dict[str, Any]]]:
        writer = langgraph_writer()

        def progress(event: dict[str, Any]) -> None:
            if run_manager is not None:
                run_manager.get_child().on_custom_event(SPEECH_PROGRESS_EVENT, event, run_id=run_manager.run_id)
            if writer is not None:
                writer({"name": SPEECH_PROGRESS_EVENT, "data": event})

        try:
            result = speak(
                self._sync.audio,
                model or self.default_model,
                text,
                voice=voice or self.default_voice,
                format=format,
                timeout=self.timeout,
                save_dir=self.save_dir,
                on_progress=progress,
            )
        except Exception as exc:
            raise self._fail(exc, "speech") from exc
        return describe_speech(result), [audio_block(result)]

    async def _arun(
        self,
        text: str,
        voice: str | None = None,
        model: str | None = None,
        format: str | None = None,
        run_manager: AsyncCallbackManagerForToolRun | None = None,
    ) -> tuple[str, list[dict[str, Any]]]:
        writer = langgraph_writer()

        async def progress(event: dict[str, Any]) -> None:
            if run_manager is not None:
                await run_manager.get_child().on_custom_event(SPEECH_PROGRESS_EVENT, event, run_id=run_manager.run_id)
            if writer is not None:
                writer({"name": SPEECH_PROGRESS_EVENT, "data": event})

        try:
            result = await aspeak(
                self._async.audio,
                model or self.default_model,
                text,
                voice=voice or self.default_voice,
                format=format,
                timeout=self.timeout,
                save_dir=self.save_dir,
                on_progress=progress,
            )
        except Exception as exc:
            raise self._fail(exc, "speech") from exc
        return describe_speech(result), [audio_block(result)]
