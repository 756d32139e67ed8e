"""``with_structured_output`` for ``ChatMixRouter``: the request comes from the core, this reads the answer.

The core (``mixrouter.request`` / ``mixrouter.structured``) decides per model and thinking state how the schema is
sent (JSON schema, a forced tool, or JSON mode) and what a refusing vendor gets instead. This parser reads the
object back the same way for every method: the named tool call's arguments, else the JSON in the text (a thinking
model may answer in text), and raises an ``OutputParserException`` naming the model, the method and the text
received when there is none: never ``None``. Streaming yields partial objects as they grow.
"""

from __future__ import annotations

from typing import Any

from langchain_core.exceptions import OutputParserException
from langchain_core.messages import AIMessage
from langchain_core.output_parsers import BaseCumulativeTransformOutputParser
from langchain_core.outputs import ChatGeneration, Generation
from langchain_core.utils.json import parse_partial_json
from langchain_core.utils.pydantic import is_basemodel_subclass
from pydantic import ValidationError
from pydantic.v1 import ValidationError as ValidationErrorV1

from mixrouter.structured import StructuredOutputError, read_structured


class StructuredOutputParser(BaseCumulativeTransformOutputParser[Any]):
    """An AI message → the schema's object (a pydantic instance, or a dict for TypedDict / JSON schema)."""

    schema_: Any
    method: str
    tool_name: str | None = None
    model: str = ""

    @property
    def _type(self) -> str:
        return "mixrouter_structured_output"

    def _validate(self, value: Any, text: str) -> Any:
        if not (isinstance(self.schema_, type) and is_basemodel_subclass(self.schema_)):
            return value
        try:
            if hasattr(self.schema_, "model_validate"):
                return self.schema_.model_validate(value)
            return self.schema_.parse_obj(value)  # a pydantic.v1 model
        except (ValidationError, ValidationErrorV1) as exc:
            message = f"{self.model} ({self.method}) answered with an object that does not fit {self.schema_.__name__}"
            raise OutputParserException(f"{message}: {exc}; text received: {text[:300]!r}", llm_output=text) from exc

    def _partial(self, message: AIMessage) -> Any:
        raw = next((c.get("args") for c in getattr(message, "tool_call_chunks", ()) or ()), None)
        value = parse_partial_json(raw) if isinstance(raw, str) and raw else None
        if value is None and message.tool_calls:
            value = message.tool_calls[0]["args"] or None
        if value is None and message.text:
            value = parse_partial_json(message.text)
        if value is None:
            return None
        try:
            return self._validate(value, message.text)
        except OutputParserException:
            return None  # not yet a valid object: the next chunk may complete it

    def parse_result(self, result: list[Generation], *, partial: bool = False) -> Any:
        generation = result[0]
        if not isinstance(generation, ChatGeneration) or not isinstance(generation.message, AIMessage):
            raise OutputParserException("structured output is read from a chat model's AI message.")
        message = generation.message
        if partial:
            return self._partial(message)
        calls = [(c["name"], c["args"]) for c in message.tool_calls]
        calls += [(c.get("name") or "", c.get("args")) for c in message.invalid_tool_calls]
        try:
            value = read_structured(message.text, calls, method=self.method, tool_name=self.tool_name, model=self.model)
        except StructuredOutputError as exc:
            raise OutputParserException(str(exc), llm_output=message.text) from exc
        return self._validate(value, message.text)

    def parse(self, text: str) -> Any:
        return self.parse_result([ChatGeneration(message=AIMessage(content=text))])
