"""Structured output for ``MixRouterLLM``: the method each model does best, and answers read tolerantly.

LlamaIndex's default for a function-calling LLM is ``FunctionCallingProgram`` (a forced tool call). That is right
for many models but wrong for two kinds behind MixRouter: models with real JSON-schema output (OpenAI, Gemini) do
better with ``response_format``, and thinking models that refuse a forced ``tool_choice`` (Claude, Kimi thinking)
need JSON mode. The catalogue picks (``structured_output_method``); answers in a ```json fence, after a ``<think>``
block or after a sentence are still read (OpenAI's LlamaIndex class calls ``model_validate_json`` on the raw text
and fails on all three).
"""

from __future__ import annotations

import re
from collections.abc import AsyncGenerator, Generator
from typing import Any

from llama_index.core.base.llms.types import ChatMessage, ChatResponse, MessageRole
from llama_index.core.instrumentation import get_dispatcher
from llama_index.core.instrumentation.events.llm import LLMStructuredPredictEndEvent, LLMStructuredPredictStartEvent
from llama_index.core.prompts import PromptTemplate
from llama_index.core.types import Model

from mixrouter.models import StructuredMethod
from mixrouter.structured import json_instructions, parse_json_text, response_format

dispatcher = get_dispatcher(__name__)
_OPEN_FENCE = re.compile(r"^\s*```[a-zA-Z]*\s*\n?")
_CLOSE_FENCE = re.compile(r"\n?```\s*$")


def _partial_view(response: ChatResponse) -> ChatResponse:
    """A streamed answer with a leading/trailing code fence removed, for LlamaIndex's partial-JSON reader."""
    text = response.message.content or ""
    cleaned = _CLOSE_FENCE.sub("", _OPEN_FENCE.sub("", text, count=1))
    if cleaned == text:
        return response
    return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=cleaned), raw=response.raw)


class StructuredMixin:
    """Overrides LlamaIndex's structured-prediction entry points; the host class provides ``chat``/``achat``,
    ``stream_chat``/``astream_chat``, ``_extend_messages`` and ``_structured_method``."""

    def _structured_method(self) -> StructuredMethod | None:  # pragma: no cover - provided by the LLM
        raise NotImplementedError

    def _structured_request(
        self,
        method: StructuredMethod,
        output_cls: type[Model],
        prompt: PromptTemplate,
        llm_kwargs: dict[str, Any] | None,
        prompt_args: dict[str, Any],
    ) -> tuple[list[ChatMessage], dict[str, Any]]:
        schema = output_cls.model_json_schema()
        messages = self._extend_messages(prompt.format_messages(**prompt_args))  # type: ignore[attr-defined]
        if method == "json_mode":
            messages = [ChatMessage(role=MessageRole.SYSTEM, content=json_instructions(schema)), *messages]
        kwargs = {k: v for k, v in (llm_kwargs or {}).items() if k not in ("tool_choice", "tool_required")}
        kwargs["response_format"] = response_format(method, output_cls.__name__, schema)
        return messages, kwargs

    @staticmethod
    def _parse(output_cls: type[Model], response: ChatResponse) -> Model:
        return output_cls.model_validate(parse_json_text(response.message.content or ""))

    @dispatcher.span
    def structured_predict(
        self,
        output_cls: type[Model],
        prompt: PromptTemplate,
        llm_kwargs: dict[str, Any] | None = None,
        **prompt_args: Any,
    ) -> Model:
        method = self._structured_method()
        if method in (None, "function_calling"):
            return super().structured_predict(output_cls, prompt, llm_kwargs, **prompt_args)  # type: ignore[misc]
        dispatcher.event(
            LLMStructuredPredictStartEvent(output_cls=output_cls, template=prompt, template_args=prompt_args)
        )
        messages, kwargs = self._structured_request(method, output_cls, prompt, llm_kwargs, prompt_args)
        result = self._parse(output_cls, self.chat(messages, **kwargs))  # type: ignore[attr-defined]
        dispatcher.event(LLMStructuredPredictEndEvent(output=result))
        return result

    @dispatcher.span
    async def astructured_predict(
        self,
        output_cls: type[Model],
        prompt: PromptTemplate,
        llm_kwargs: dict[str, Any] | None = None,
        **prompt_args: Any,
    ) -> Model:
        method = self._structured_method()
        if method in (None, "function_calling"):
            return await super().astructured_predict(output_cls, prompt, llm_kwargs, **prompt_args)  # type: ignore[misc]
        dispatcher.event(
            LLMStructuredPredictStartEvent(output_cls=output_cls, template=prompt, template_args=prompt_args)
        )
        messages, kwargs = self._structured_request(method, output_cls, prompt, llm_kwargs, prompt_args)
        result = self._parse(output_cls, await self.achat(messages, **kwargs))  # type: ignore[attr-defined]
        dispatcher.event(LLMStructuredPredictEndEvent(output=result))
        return result

    def _structured_stream_call(
        self,
        output_cls: type[Model],
        prompt: PromptTemplate,
        llm_kwargs: dict[str, Any] | None = None,
        **prompt_args: Any,
    ) -> Generator[Any, None, None]:
        method = self._structured_method()
        if method in (None, "function_calling"):
            return super()._structured_stream_call(output_cls, prompt, llm_kwargs, **prompt_args)  # type: ignore[misc]
        from llama_index.core.program.streaming_utils import process_streaming_content_incremental

        messages, kwargs = self._structured_request(method, output_cls, prompt, llm_kwargs, prompt_args)

        def gen() -> Generator[Any, None, None]:
            current = None
            for chunk in self.stream_chat(messages, **kwargs):  # type: ignore[attr-defined]
                current = process_streaming_content_incremental(_partial_view(chunk), output_cls, current)
                yield current

        return gen()

    async def _structured_astream_call(
        self,
        output_cls: type[Model],
        prompt: PromptTemplate,
        llm_kwargs: dict[str, Any] | None = None,
        **prompt_args: Any,
    ) -> AsyncGenerator[Any, None]:
        method = self._structured_method()
        if method in (None, "function_calling"):
            return await super()._structured_astream_call(output_cls, prompt, llm_kwargs, **prompt_args)  # type: ignore[misc]
        from llama_index.core.program.streaming_utils import process_streaming_content_incremental

        messages, kwargs = self._structured_request(method, output_cls, prompt, llm_kwargs, prompt_args)

        async def gen() -> AsyncGenerator[Any, None]:
            current = None
            async for chunk in await self.astream_chat(messages, **kwargs):  # type: ignore[attr-defined]
                current = process_streaming_content_incremental(_partial_view(chunk), output_cls, current)
                yield current

        return gen()
