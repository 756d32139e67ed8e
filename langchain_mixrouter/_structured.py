"""``with_structured_output`` for ``ChatMixRouter``: the request comes from the core, this reads the answer.

The core (``mixrouter.request`` / ``mixrouter.structured``) decides per model and per call's thinking state how the
schema is sent (JSON schema, a forced tool, or JSON mode), what a refusing vendor gets instead, and labels the answer
with the method it used (``response_metadata["structured_output_method"]``). This parser reads the object back the
same way for every method: the named tool call's arguments, else the JSON in the text (a thinking model may answer
in text), and raises an ``OutputParserException`` naming the model, the method and the text received when there is
none: never ``None``. Streaming yields partial objects as they grow, then the validated object (or the error).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from langchain_core.exceptions import OutputParserException
from langchain_core.messages import AIMessage, BaseMessage, BaseMessageChunk
from langchain_core.output_parsers import BaseCumulativeTransformOutputParser
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, Generation
from langchain_core.utils.json import parse_partial_json
from langchain_core.utils.pydantic import is_basemodel_subclass
from pydantic import ValidationError
from pydantic.v1 import ValidationError as ValidationErrorV1

from mixrouter.structured import StructuredOutputError, check_shape, json_answer_text, read_structured


def _chunk(item: str | BaseMessage) -> ChatGenerationChunk:
    if isinstance(item, BaseMessageChunk):
        return ChatGenerationChunk(message=item)
    if isinstance(item, BaseMessage):
        return ChatGenerationChunk(message=BaseMessageChunk(**item.model_dump()))
    return ChatGenerationChunk(message=BaseMessageChunk(content=item, type="AIMessageChunk"))


class StructuredOutputParser(BaseCumulativeTransformOutputParser[Any]):
    """An AI message → the schema's object (a pydantic instance, or a dict for TypedDict / JSON schema)."""

    schema_: Any
    json_schema: dict[str, Any]  # the schema as JSON schema (what a TypedDict or dict output is checked against)
    tool_name: str
    model: str = ""

    @property
    def _type(self) -> str:
        return "mixrouter_structured_output"

    def _fail(self, message: AIMessage, why: str) -> OutputParserException:
        method = (message.response_metadata or {}).get("structured_output_method") or "structured output"
        text = message.text
        return OutputParserException(f"{self.model} ({method}) {why}; text received: {text[:300]!r}", llm_output=text)

    def _validate(self, value: Any, message: AIMessage) -> Any:
        schema = self.schema_
        try:
            if isinstance(schema, type) and is_basemodel_subclass(schema):
                if hasattr(schema, "model_validate"):
                    return schema.model_validate(value)
                return schema.parse_obj(value)  # a pydantic.v1 model
            problem = check_shape(value, self.json_schema)  # a TypedDict or a JSON schema: its shape is checked
            if problem:
                raise self._fail(message, f"answered with an object that does not fit the schema ({problem})")
            return value
        except (ValidationError, ValidationErrorV1) as exc:
            name = getattr(schema, "__name__", "the schema")
            raise self._fail(message, f"answered with an object that does not fit {name}: {exc}") from exc

    def _partial(self, message: AIMessage) -> Any:
        raw = next((c.get("args") for c in getattr(message, "tool_call_chunks", ()) or ()), None)
        try:
            value = parse_partial_json(raw) if isinstance(raw, str) and raw else None
            if value is None and message.tool_calls:
                value = message.tool_calls[0]["args"] or None
            if value is None and message.text:
                value = parse_partial_json(json_answer_text(message.text))
            return None if value is None else self._validate(value, message)
        except (ValueError, OutputParserException):
            return None  # not (yet) a readable object: the next chunk may complete it, the end decides

    def parse_result(self, result: list[Generation], *, partial: bool = False) -> Any:
        generation = result[0]
        if not isinstance(generation, ChatGeneration) or not isinstance(generation.message, AIMessage):
            raise OutputParserException("structured output is read from a chat model's AI message.")
        message = generation.message
        if partial:
            return self._partial(message)
        calls = [(c["name"], c["args"]) for c in message.tool_calls]
        calls += [(c.get("name") or "", c.get("args")) for c in message.invalid_tool_calls]
        method = (message.response_metadata or {}).get("structured_output_method") or "structured output"
        try:
            value = read_structured(message.text, calls, method=method, tool_name=self.tool_name, model=self.model)
        except StructuredOutputError as exc:
            raise OutputParserException(str(exc), llm_output=message.text) from exc
        return self._validate(value, message)

    def parse(self, text: str) -> Any:
        return self.parse_result([ChatGeneration(message=AIMessage(content=text))])

    # Streaming: partial objects as they grow, then the whole answer parsed as ``invoke`` would (LangChain's base
    # class only ever parses partially, so an answer without the object would end the stream silently).
    def _transform(self, input: Iterator[str | BaseMessage]) -> Iterator[Any]:
        acc: ChatGenerationChunk | None = None
        prev = None
        for item in input:
            acc = _chunk(item) if acc is None else acc + _chunk(item)
            parsed = self.parse_result([acc], partial=True)
            if parsed is not None and parsed != prev:
                yield parsed
                prev = parsed
        if acc is not None:
            final = self.parse_result([acc])
            if final != prev:
                yield final

    async def _atransform(self, input: AsyncIterator[str | BaseMessage]) -> AsyncIterator[Any]:
        acc: ChatGenerationChunk | None = None
        prev = None
        async for item in input:
            acc = _chunk(item) if acc is None else acc + _chunk(item)
            parsed = self.parse_result([acc], partial=True)
            if parsed is not None and parsed != prev:
                yield parsed
                prev = parsed
        if acc is not None:
            final = self.parse_result([acc])
            if final != prev:
                yield final
