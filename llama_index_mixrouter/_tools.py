"""What every media tool spec shares (video, image, speech): a JSON text for the model that carries the typed result
into ``ToolOutput.raw_output`` (and ``is_error``), and a ``FunctionTool`` that works with or without an agent's
``Context``."""

from __future__ import annotations

from typing import Any

from llama_index.core.tools import FunctionTool, ToolOutput


class _Result(str):
    """The JSON text for the model, carrying the typed result (LlamaIndex keeps the return value as raw_output)."""

    result: Any = None
    error: bool = False


def result_text(text: str, result: Any, error: bool = False) -> _Result:
    out = _Result(text)
    out.result = result
    out.error = error
    return out


def _typed(output: ToolOutput) -> ToolOutput:
    if isinstance(output.raw_output, _Result):
        output.is_error = output.raw_output.error
        output.raw_output = output.raw_output.result
    return output


class ContextOptionalTool(FunctionTool):
    """A ``Context`` is passed when an agent has one; plain ``call`` works without. ``raw_output`` is typed."""

    def call(self, *args: Any, **kwargs: Any) -> ToolOutput:
        if self.ctx_param_name:
            kwargs.setdefault(self.ctx_param_name, None)
        return _typed(super().call(*args, **kwargs))

    async def acall(self, *args: Any, **kwargs: Any) -> ToolOutput:
        if self.ctx_param_name:
            kwargs.setdefault(self.ctx_param_name, None)
        return _typed(await super().acall(*args, **kwargs))
