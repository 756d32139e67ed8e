"""``MixRouterLLM``: MixRouter as a LlamaIndex function-calling LLM.

>>> from llama_index_mixrouter import MixRouterLLM
>>> llm = MixRouterLLM(model="deepseek-v4-pro", thinking=True)
>>> r = llm.chat([ChatMessage(role="user", content="Is 5050 prime?")])
>>> r.message.blocks[0].content, r.message.content, r.additional_kwargs["prompt_tokens"]
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from llama_index.core.base.llms.generic_utils import (
    achat_to_completion_decorator,
    astream_chat_to_completion_decorator,
    chat_to_completion_decorator,
    stream_chat_to_completion_decorator,
)
from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseAsyncGen,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseAsyncGen,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
    ToolCallBlock,
)
from llama_index.core.bridge.pydantic import Field, PrivateAttr, SecretStr
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.function_calling import FunctionCallingLLM
from llama_index.core.llms.llm import ToolSelection
from llama_index.core.llms.utils import parse_partial_json
from llama_index.core.types import PydanticProgramMode

from mixrouter import AsyncMixRouterClient, MixRouterClient, Timeouts, get_model_info
from mixrouter.chat import deep_merge
from mixrouter.config import API_KEY_ENV, resolve_api_key
from mixrouter.models import ModelInfo, StructuredMethod
from mixrouter.request import ChatRoute, normalize_tool_choice

from ._convert import StreamState, legacy_tool_call, to_chat_response, to_openai_messages
from ._structured import StructuredMixin

if TYPE_CHECKING:
    from llama_index.core.tools.types import BaseTool

DEFAULT_MODEL = "gpt-4o-mini"
_warned_unknown: set[str] = set()


def _read_args(args: dict[str, Any] | str) -> dict[str, Any]:
    """Tool arguments as a dict; streamed (partial) JSON is read as far as it goes, unreadable text gives {}."""
    if not isinstance(args, str):
        return args
    try:
        return parse_partial_json(args) if args.strip() else {}
    except (ValueError, TypeError):
        return {}


class MixRouterLLM(StructuredMixin, FunctionCallingLLM):
    """MixRouter as a LlamaIndex LLM: every model behind one key, one thinking switch across vendors.

    Key from ``api_key`` or ``MIXROUTER_API_KEY`` (never serialised); base URL from ``api_base`` or
    ``MIXROUTER_BASE_URL``. ``metadata`` comes from the model catalogue (real context window, function calling
    per model). Reasoning is the first block of the answer (``ThinkingBlock``) and ``thinking_delta`` while
    streaming; it is sent back on the turns where the vendor needs it. Per-call keyword arguments override
    ``additional_kwargs``, which override the fields; nothing (temperature, max_tokens) is sent unless set.
    """

    model: str = Field(default=DEFAULT_MODEL, description="A MixRouter model id (`mixrouter models` lists them).")
    api_key: SecretStr | None = Field(default=None, exclude=True, description=f"Defaults to ${API_KEY_ENV}.")
    api_base: str | None = Field(default=None, description="Defaults to $MIXROUTER_BASE_URL or MixRouter's URL.")
    temperature: float | None = None
    max_tokens: int | None = Field(default=None, gt=0)
    top_p: float | None = None
    seed: int | None = None
    stop: list[str] | None = None
    thinking: bool | None = Field(default=None, description="Turn reasoning on/off with the vendor's own flag.")
    reasoning_effort: str | None = None
    thinking_budget: int | None = Field(default=None, gt=0)
    route: ChatRoute | None = Field(
        default=None,
        description='Force the endpoint: "chat", "responses" or "messages" (Anthropic). Default: per model '
        "(Responses-only models to /responses, Claude with thinking to /messages, others to /chat/completions).",
    )
    additional_kwargs: dict[str, Any] = Field(default_factory=dict, description="Other top-level request fields.")
    extra_body: dict[str, Any] | None = Field(default=None, description="Deep-merged into every request body.")
    timeout: float | None = Field(default=None, gt=0, description="Seconds (connect at most 10); finite defaults.")
    stream_idle_timeout: float | None = Field(default=None, gt=0)
    max_retries: int = Field(default=2, ge=0)
    context_window: int | None = Field(default=None, gt=0, description="Override the catalogue's context window.")
    is_function_calling_model: bool | None = Field(default=None, description="Override the catalogue's tool support.")
    structured_output_method: StructuredMethod | None = Field(
        default=None, description="json_schema, function_calling or json_mode; defaults per model."
    )
    strict: bool | None = Field(default=None, description="Strict tool schemas (OpenAI models).")
    stream_usage: bool = Field(default=True, description="Ask for usage on the last stream chunk.")
    default_headers: dict[str, str] | None = None
    proxy: str | None = None
    max_connections: int | None = Field(
        default=None,
        ge=1,
        description="Most connections open at once from the shared pool (default 1,000; 100 kept alive); a call "
        "that finds them all busy waits within its own timeout.",
    )
    http_client: Any = Field(default=None, exclude=True)
    async_http_client: Any = Field(default=None, exclude=True)

    _client: MixRouterClient = PrivateAttr()
    _aclient: AsyncMixRouterClient = PrivateAttr()
    _info: ModelInfo = PrivateAttr()

    def __init__(self, **data: Any) -> None:
        if "base_url" in data and "api_base" not in data:
            data["api_base"] = data.pop("base_url")
        super().__init__(**data)
        key = resolve_api_key(self.api_key)  # a clear error naming MIXROUTER_API_KEY when there is none
        self.api_key = key
        self.proxy = self.proxy or os.environ.get("MIXROUTER_PROXY") or None
        timeouts = Timeouts.coerce(self.timeout)
        if self.stream_idle_timeout is not None:
            timeouts = Timeouts(**{**timeouts.__dict__, "stream_idle": self.stream_idle_timeout})
        common: dict[str, Any] = dict(
            api_key=key,
            base_url=self.api_base,
            timeout=timeouts,
            max_retries=self.max_retries,
            default_headers=self.default_headers,
            proxy=self.proxy,
            max_connections=self.max_connections,
        )
        self._client = MixRouterClient(http_client=self.http_client, **common)
        self._aclient = AsyncMixRouterClient(http_client=self.async_http_client, **common)
        self._info = get_model_info(self.model)
        if self._info.route in ("videos", "embeddings", "images", "audio"):
            hint = {"videos": "MixRouterVideoTool", "embeddings": "MixRouterEmbedding"}.get(self._info.route, "")
            raise ValueError(
                f"{self.model!r} is a {self._info.route} model, not a chat model" + (f"; use {hint}." if hint else ".")
            )
        if not self._info.known and self.model not in _warned_unknown:
            _warned_unknown.add(self.model)
            warnings.warn(
                f"{self.model!r} is not in MixRouter's model list; using {self._info.family!r} family defaults "
                f"(context window {self._info.context_window}). Set context_window= if you know it.",
                stacklevel=2,
            )

    @classmethod
    def class_name(cls) -> str:
        return "MixRouterLLM"

    @property
    def metadata(self) -> LLMMetadata:
        info = self._info
        tools = info.tools if self.is_function_calling_model is None else self.is_function_calling_model
        context = self.context_window or info.context_window
        # Reserve the answer's room: max_tokens when set, else the model's real maximum output, capped at a
        # quarter of the context so query engines always keep most of it for retrieved text.
        num_output = self.max_tokens or min(info.max_output or 4096, max(context // 4, 256))
        return LLMMetadata(
            context_window=context,
            num_output=num_output,
            is_chat_model=True,
            is_function_calling_model=tools,
            model_name=self.model,
            system_role=MessageRole.SYSTEM,
        )

    # -- requests --------------------------------------------------------------------------------------------
    def _params(self, kwargs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """(model, settings) as the user spelled them: ``mixrouter.request.make_request`` normalises them (one
        place for both faces); ``additional_kwargs`` are other top-level fields for the wire."""
        params: dict[str, Any] = {
            k: v
            for k, v in (
                ("temperature", self.temperature),
                ("max_tokens", self.max_tokens),
                ("top_p", self.top_p),
                ("seed", self.seed),
                ("stop", self.stop),
                ("thinking", self.thinking),
                ("reasoning_effort", self.reasoning_effort),
                ("thinking_budget", self.thinking_budget),
                ("route", self.route),
            )
            if v is not None
        }
        params["stream_usage"] = self.stream_usage
        settings = dict(kwargs)
        model = settings.pop("model", None) or self.model
        settings["extra_body"] = deep_merge(self.extra_body or {}, settings.get("extra_body") or {})
        settings["defaults"] = params
        settings["wire_fields"] = self.additional_kwargs
        settings["info"] = self._info if model == self.model else get_model_info(model)
        return model, settings

    def _chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        model, params = self._params(kwargs)
        return to_chat_response(self._client.chat(model, to_openai_messages(messages), **params))

    async def _achat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        model, params = self._params(kwargs)
        return to_chat_response(await self._aclient.chat(model, to_openai_messages(messages), **params))

    def _stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        model, params = self._params(kwargs)
        msgs = to_openai_messages(messages)  # bad input fails here, before the generator is handed out

        def gen() -> ChatResponseGen:
            state = StreamState()
            with self._client.chat_stream(model, msgs, **params) as stream:
                for delta in stream:
                    yield state.update(delta)

        return gen()

    async def _astream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseAsyncGen:
        model, params = self._params(kwargs)
        msgs = to_openai_messages(messages)

        async def gen() -> ChatResponseAsyncGen:
            state = StreamState()
            async with self._aclient.chat_stream(model, msgs, **params) as stream:
                async for delta in stream:
                    yield state.update(delta)

        return gen()

    # -- the LlamaIndex surface (decorated: events, callbacks and rate limiters) -------------------------------
    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        return self._chat(messages, **kwargs)

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        return self._stream_chat(messages, **kwargs)

    @llm_chat_callback()
    async def achat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        return await self._achat(messages, **kwargs)

    @llm_chat_callback()
    async def astream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseAsyncGen:
        return await self._astream_chat(messages, **kwargs)

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        return chat_to_completion_decorator(self._chat)(prompt, **kwargs)

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        return stream_chat_to_completion_decorator(self._stream_chat)(prompt, **kwargs)

    @llm_completion_callback()
    async def acomplete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        return await achat_to_completion_decorator(self._achat)(prompt, **kwargs)

    @llm_completion_callback()
    async def astream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseAsyncGen:
        return await astream_chat_to_completion_decorator(self._astream_chat)(prompt, **kwargs)

    # -- tools -------------------------------------------------------------------------------------------------
    def _prepare_chat_with_tools(
        self,
        tools: Sequence[BaseTool],
        user_msg: str | ChatMessage | None = None,
        chat_history: list[ChatMessage] | None = None,
        verbose: bool = False,
        allow_parallel_tool_calls: bool = False,
        tool_required: bool = False,
        tool_choice: str | dict[str, Any] | None = None,
        strict: bool | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """The ``chat`` kwargs for a tool call. ``tool_choice``: "auto", "none", "required" or a tool name (or an
        OpenAI dict); ``tool_required=True`` means "required". A model that refuses a forced choice while thinking
        is sent only the named tool (so no other can be called), or "auto" for "required"; with a warning."""
        specs = [tool.metadata.to_openai_tool(skip_length_check=True) for tool in tools]
        messages = list(chat_history or [])  # never mutate the caller's history
        if user_msg is not None:
            messages.append(
                ChatMessage(role=MessageRole.USER, content=user_msg) if isinstance(user_msg, str) else user_msg
            )
        if tool_choice is None and tool_required:
            tool_choice = "required"
        normalize_tool_choice(tool_choice, [spec["function"]["name"] for spec in specs])  # a bad name fails here
        out: dict[str, Any] = {"messages": messages, **kwargs}
        if specs:
            out["tools"] = specs
            strict = self.strict if strict is None else strict
            if strict is not None:
                out["strict"] = strict
            if tool_choice is not None:
                out["tool_choice"] = tool_choice
            if not allow_parallel_tool_calls:
                out["parallel_tool_calls"] = False
        return out

    def _validate_chat_with_tools_response(
        self,
        response: ChatResponse,
        tools: Sequence[BaseTool],
        allow_parallel_tool_calls: bool = False,
        **kwargs: Any,
    ) -> ChatResponse:
        if not allow_parallel_tool_calls:
            calls = [b for b in response.message.blocks if isinstance(b, ToolCallBlock)]
            if len(calls) > 1:
                response.message.blocks = [
                    b for b in response.message.blocks if not isinstance(b, ToolCallBlock) or b is calls[0]
                ]
        return response

    def get_tool_calls_from_response(
        self, response: ChatResponse, error_on_no_tool_call: bool = True, **kwargs: Any
    ) -> list[ToolSelection]:
        """Tool calls of a response or a streamed chunk (partial JSON arguments are read as far as they go)."""
        calls = [
            (b.tool_call_id or "", b.tool_name, b.tool_kwargs)
            for b in response.message.blocks
            if isinstance(b, ToolCallBlock)
        ]
        if not calls:  # messages written by other integrations keep them in additional_kwargs
            legacy = [legacy_tool_call(tc) for tc in response.message.additional_kwargs.get("tool_calls") or ()]
            calls = [
                (tc.get("id") or f"call_{i}", tc["function"].get("name", ""), tc["function"]["arguments"])
                for i, tc in enumerate(legacy)
            ]
        selections = [
            ToolSelection(tool_id=cid, tool_name=name, tool_kwargs=_read_args(args)) for cid, name, args in calls
        ]
        if not selections and error_on_no_tool_call:
            raise ValueError(
                f"{self.model} answered without a tool call (finish_reason: "
                f"{response.additional_kwargs.get('finish_reason')!r})."
            )
        return selections

    def _structured_method(self) -> StructuredMethod | None:
        """``structured_output_method`` when set; ``None`` lets the core pick per model and the call's thinking
        state (a per-call ``thinking=`` or ``additional_kwargs`` count)."""
        return self.structured_output_method

    def _uses_programs(self) -> bool:
        """A non-default ``pydantic_program_mode`` is left to LlamaIndex's own programs."""
        return self.pydantic_program_mode != PydanticProgramMode.DEFAULT

    def close(self) -> None:
        """Close injected ``http_client``s (the shared connection pool lives for the process)."""
        self._client.close()

    async def aclose(self) -> None:
        await self._aclient.aclose()


__all__ = ["DEFAULT_MODEL", "MixRouterLLM"]
