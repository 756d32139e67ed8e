"""Structured output for ``MixRouterLLM``: the method each model does best in its thinking state, read tolerantly.

LlamaIndex's default for a function-calling LLM is ``FunctionCallingProgram`` (a forced tool call). That is wrong
for many models behind MixRouter: OpenAI and Gemini enforce a JSON schema (``response_format``), and thinking
models that refuse a forced ``tool_choice`` (Claude, DeepSeek, Kimi, Qwen, GLM while thinking) then answer in text.
So every method runs here on the core: ``mixrouter.structured.StructuredSpec`` is handed to the request (which
shapes it for the model, route and thinking state) and ``read_structured`` reads the object back: the tool call's
arguments, else the JSON in the text (fenced, after a ``<think>`` block or after a sentence). An answer without the
object raises ``StructuredOutputError`` naming the model, the method and the text; nothing returns ``None`` or an
empty object. Streaming yields a partial object per chunk, then the validated object.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Generator
from typing import Any

from llama_index.core.base.llms.types import ChatMessage, ChatResponse, MessageRole, ToolCallBlock
from llama_index.core.instrumentation import get_dispatcher
from llama_index.core.instrumentation.events.llm import LLMStructuredPredictEndEvent, LLMStructuredPredictStartEvent
from llama_index.core.program.streaming_utils import process_streaming_content_incremental
from llama_index.core.program.utils import num_valid_fields
from llama_index.core.prompts import PromptTemplate
from llama_index.core.types import Model
from pydantic import ValidationError

from mixrouter.models import StructuredMethod
from mixrouter.structured import StructuredOutputError, StructuredSpec, read_structured

dispatcher = get_dispatcher(__name__)
# Tool settings of LlamaIndex's own programs; structured output sets its own.
_PROGRAM_KWARGS = ("tool_choice", "tool_required", "allow_parallel_tool_calls")


def _calls(response: ChatResponse) -> list[tuple[str, Any]]:
    return [(b.tool_name, b.tool_kwargs) for b in response.message.blocks if isinstance(b, ToolCallBlock)]


def _partial_view(response: ChatResponse, spec: StructuredSpec) -> ChatResponse:
    """The JSON seen so far as a message's text: the schema tool's arguments when it is being called, else the
    answer (which the core already cut down to its JSON value)."""
    text = response.message.content or ""
    calls = _calls(response)
    if calls:
        args = next((a for name, a in calls if name == spec.tool_name), calls[0][1])
        text = args if isinstance(args, str) else json.dumps(args, ensure_ascii=False)
    return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text))


def _grown(current: Any, view: ChatResponse, output_cls: type[Model]) -> Any:
    """The partial object after this chunk; never fewer fields than the one before (no going backwards)."""
    new = process_streaming_content_incremental(view, output_cls, current)
    if current is not None and num_valid_fields(new) < num_valid_fields(current):
        return current
    return new


class StructuredMixin:
    """Overrides LlamaIndex's structured-prediction entry points; the host class provides ``chat``/``achat``,
    ``stream_chat``/``astream_chat``, ``_extend_messages``, ``model`` and ``_structured_method``."""

    def _structured_method(self) -> StructuredMethod | None:  # pragma: no cover - provided by the LLM
        raise NotImplementedError

    def _uses_programs(self) -> bool:  # pragma: no cover - provided by the LLM
        raise NotImplementedError

    def _structured_request(
        self,
        method: StructuredMethod | None,
        output_cls: type[Model],
        prompt: PromptTemplate,
        llm_kwargs: dict[str, Any] | None,
        prompt_args: dict[str, Any],
    ) -> tuple[list[ChatMessage], dict[str, Any], StructuredSpec]:
        strict = getattr(self, "strict", None)
        doc = output_cls.__doc__ or None
        spec = StructuredSpec(
            method, output_cls.__name__, output_cls.model_json_schema(), strict=strict, description=doc
        )
        messages = self._extend_messages(prompt.format_messages(**prompt_args))  # type: ignore[attr-defined]
        kwargs = {k: v for k, v in (llm_kwargs or {}).items() if k not in _PROGRAM_KWARGS}
        kwargs["structured"] = spec
        return messages, kwargs, spec

    def _read(self, output_cls: type[Model], spec: StructuredSpec, response: ChatResponse) -> Model:
        text = response.message.content or ""
        model = self.model  # type: ignore[attr-defined]
        method = response.additional_kwargs.get("structured_output_method") or spec.method or "structured output"
        value = read_structured(text, _calls(response), method=method, tool_name=spec.tool_name, model=model)
        try:
            return output_cls.model_validate(value)
        except ValidationError as exc:
            why = f"answered with an object that does not fit {output_cls.__name__} ({exc.error_count()} errors: {exc})"
            raise StructuredOutputError(model, method, text, why) from exc

    def _start(self, output_cls: type[Model], prompt: PromptTemplate, llm_kwargs: Any, prompt_args: Any) -> Any:
        if self._uses_programs():
            return None
        dispatcher.event(
            LLMStructuredPredictStartEvent(output_cls=output_cls, template=prompt, template_args=prompt_args)
        )
        return self._structured_request(self._structured_method(), output_cls, prompt, llm_kwargs, prompt_args)

    @dispatcher.span
    def structured_predict(
        self,
        output_cls: type[Model],
        prompt: PromptTemplate,
        llm_kwargs: dict[str, Any] | None = None,
        **prompt_args: Any,
    ) -> Model:
        started = self._start(output_cls, prompt, llm_kwargs, prompt_args)
        if started is None:  # a non-default pydantic_program_mode: LlamaIndex's own programs
            return super().structured_predict(output_cls, prompt, llm_kwargs, **prompt_args)  # type: ignore[misc]
        messages, kwargs, spec = started
        result = self._read(output_cls, spec, self.chat(messages, **kwargs))  # type: ignore[attr-defined]
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
        started = self._start(output_cls, prompt, llm_kwargs, prompt_args)
        if started is None:
            return await super().astructured_predict(output_cls, prompt, llm_kwargs, **prompt_args)  # type: ignore[misc]
        messages, kwargs, spec = started
        result = self._read(output_cls, spec, await self.achat(messages, **kwargs))  # type: ignore[attr-defined]
        dispatcher.event(LLMStructuredPredictEndEvent(output=result))
        return result

    def _structured_stream_call(
        self,
        output_cls: type[Model],
        prompt: PromptTemplate,
        llm_kwargs: dict[str, Any] | None = None,
        **prompt_args: Any,
    ) -> Generator[Any, None, None]:
        if self._uses_programs():
            return super()._structured_stream_call(output_cls, prompt, llm_kwargs, **prompt_args)  # type: ignore[misc]
        messages, kwargs, spec = self._structured_request(
            self._structured_method(), output_cls, prompt, llm_kwargs, prompt_args
        )

        def gen() -> Generator[Any, None, None]:
            current = last = None
            for chunk in self.stream_chat(messages, **kwargs):  # type: ignore[attr-defined]
                current = _grown(current, _partial_view(chunk, spec), output_cls)
                last = chunk
                yield current
            if last is not None:
                yield self._read(output_cls, spec, last)

        return gen()

    async def _structured_astream_call(
        self,
        output_cls: type[Model],
        prompt: PromptTemplate,
        llm_kwargs: dict[str, Any] | None = None,
        **prompt_args: Any,
    ) -> AsyncGenerator[Any, None]:
        if self._uses_programs():
            return await super()._structured_astream_call(output_cls, prompt, llm_kwargs, **prompt_args)  # type: ignore[misc]
        messages, kwargs, spec = self._structured_request(
            self._structured_method(), output_cls, prompt, llm_kwargs, prompt_args
        )

        async def gen() -> AsyncGenerator[Any, None]:
            current = last = None
            async for chunk in await self.astream_chat(messages, **kwargs):  # type: ignore[attr-defined]
                current = _grown(current, _partial_view(chunk, spec), output_cls)
                last = chunk
                yield current
            if last is not None:
                yield self._read(output_cls, spec, last)

        return gen()
