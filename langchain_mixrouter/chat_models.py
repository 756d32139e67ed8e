"""``ChatMixRouter``: MixRouter as a LangChain chat model.

>>> from langchain_mixrouter import ChatMixRouter
>>> llm = ChatMixRouter(model="deepseek-chat", thinking=True)
>>> msg = llm.invoke("Is 5050 prime?")
>>> msg.additional_kwargs["reasoning_content"], msg.content, msg.usage_metadata
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from operator import itemgetter
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import LanguageModelInput, ModelProfile
from langchain_core.language_models.chat_models import (
    BaseChatModel,
    LangSmithParams,
    agenerate_from_stream,
    generate_from_stream,
)
from langchain_core.messages import AIMessage, BaseMessage, get_buffer_string
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable, RunnableMap, RunnablePassthrough
from langchain_core.tools import BaseTool
from langchain_core.utils import from_env, secret_from_env
from langchain_core.utils.function_calling import convert_to_json_schema, convert_to_openai_tool
from langchain_core.utils.utils import _build_model_kwargs
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SecretStr, model_validator

from mixrouter import AsyncMixRouterClient, MixRouterClient, Timeouts
from mixrouter.chat import deep_merge
from mixrouter.config import API_KEY_ENV, resolve_api_key
from mixrouter.models import StructuredMethod
from mixrouter.request import ChatRoute, normalize_tool_choice
from mixrouter.structured import StructuredSpec

from ._convert import PROVIDER, BlockIndex, to_ai_message, to_chunk, to_openai_messages
from ._errors import langchain_errors
from ._profile import profile_of
from ._structured import StructuredOutputParser

# LangChain's own per-call plumbing (tracing metadata, the streaming switch), never a request setting.
# (``stream`` is LangChain's own switch between _generate and _stream, passed along in kwargs.)
_LANGCHAIN_ONLY = ("ls_structured_output_format", "stream")


class ChatMixRouter(BaseChatModel):
    """MixRouter chat model: every model behind one key, with one thinking switch across vendors.

    Key from ``api_key`` or ``MIXROUTER_API_KEY``; base URL from ``base_url`` or ``MIXROUTER_BASE_URL``.
    ``thinking=True/False`` (+ ``reasoning_effort`` or ``thinking_budget``) is mapped to each vendor's flag by the
    ``mixrouter`` core; reasoning comes back in ``additional_kwargs["reasoning_content"]`` and as ``reasoning``
    content blocks. Timeouts are seconds; ``max_retries`` retries only what a retry can fix.
    """

    model_name: str = Field(alias="model")
    api_key: SecretStr | None = Field(default_factory=secret_from_env(API_KEY_ENV, default=None))
    base_url: str | None = Field(default_factory=from_env("MIXROUTER_BASE_URL", default=None))
    temperature: float | None = None
    max_tokens: int | None = Field(default=None, alias="max_completion_tokens")
    top_p: float | None = None
    seed: int | None = None
    stop: list[str] | None = Field(default=None, alias="stop_sequences")
    timeout: float | None = Field(default=None, alias="request_timeout")
    """Seconds for connect (at most 10), read and stream idle; ``None`` keeps finite defaults (600 s read)."""
    stream_idle_timeout: float | None = None
    """Seconds a stream may stay silent before it is cut (default 120, or ``timeout`` when set)."""
    max_retries: int = 2
    streaming: bool = False
    stream_usage: bool = True
    thinking: bool | None = None
    reasoning_effort: str | None = None
    thinking_budget: int | None = None
    use_responses_api: bool | None = None
    """langchain-openai's spelling: ``True`` is ``route="responses"``."""
    route: ChatRoute | None = None
    """Force MixRouter's endpoint: "chat" (/chat/completions), "responses" (/responses) or "messages" (/messages,
    Anthropic format). ``None`` picks per model: Responses-only models go to /responses, Claude with thinking to
    /messages (signed thinking blocks), everything else to /chat/completions."""
    extra_body: dict[str, Any] | None = None
    """Vendor fields deep-merged into every request body (per-call ``extra_body`` wins)."""
    model_kwargs: dict[str, Any] = Field(default_factory=dict)
    """Other top-level request fields (``frequency_penalty``, ``n``, ...)."""
    default_headers: dict[str, str] | None = None
    proxy: str | None = Field(default_factory=from_env("MIXROUTER_PROXY", default=None))
    """Proxy URL for MixRouter requests (env ``MIXROUTER_PROXY``; httpx also honours HTTPS_PROXY)."""
    max_connections: int | None = Field(default=None, ge=1)
    """Most connections open at once to MixRouter from this process's shared pool (default 1,000, as
    openai-python; 100 kept alive). A call that finds them all busy waits within its own timeout."""
    http_client: Any = Field(default=None, exclude=True)
    http_async_client: Any = Field(default=None, exclude=True)

    _client: MixRouterClient = PrivateAttr()
    _aclient: AsyncMixRouterClient = PrivateAttr()

    model_config = ConfigDict(populate_by_name=True, arbitrary_types_allowed=True)

    @model_validator(mode="before")
    @classmethod
    def _build_mixrouter_extra(cls, values: dict[str, Any]) -> Any:
        return _build_model_kwargs(values, {f.alias or n for n, f in cls.model_fields.items()} | set(cls.model_fields))

    @model_validator(mode="after")
    def _set_mixrouter_clients(self) -> ChatMixRouter:
        key = resolve_api_key(self.api_key)  # clear error naming MIXROUTER_API_KEY when missing
        self.api_key = key
        timeouts = Timeouts.coerce(self.timeout)
        if self.stream_idle_timeout is not None:
            timeouts = Timeouts(**{**timeouts.__dict__, "stream_idle": self.stream_idle_timeout})
        common = dict(
            api_key=key,
            base_url=self.base_url,
            timeout=timeouts,
            max_retries=self.max_retries,
            default_headers=self.default_headers,
            proxy=self.proxy,
            max_connections=self.max_connections,
        )
        self._client = MixRouterClient(http_client=self.http_client, **common)
        self._aclient = AsyncMixRouterClient(http_client=self.http_async_client, **common)
        return self

    # -- LangChain plumbing ----------------------------------------------------------------------------------
    @property
    def _llm_type(self) -> str:
        return "mixrouter-chat"

    @property
    def lc_secrets(self) -> dict[str, str]:
        return {"api_key": API_KEY_ENV}

    @classmethod
    def is_lc_serializable(cls) -> bool:
        return True

    @classmethod
    def get_lc_namespace(cls) -> list[str]:
        return ["langchain_mixrouter", "chat_models"]

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "base_url": self._client.base_url, **self._default_params()}

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> LangSmithParams:
        params = LangSmithParams(
            ls_provider=PROVIDER,
            ls_model_name=kwargs.get("model") or self.model_name,
            ls_model_type="chat",
        )
        temperature = kwargs.get("temperature", self.temperature)
        if temperature is not None:
            params["ls_temperature"] = temperature
        max_tokens = kwargs.get("max_tokens", self.max_tokens)
        if max_tokens is not None:
            params["ls_max_tokens"] = max_tokens
        if stop or self.stop:
            params["ls_stop"] = stop or self.stop
        return params

    def _resolve_model_profile(self) -> ModelProfile | None:
        return profile_of(self)

    def get_num_tokens(self, text: str) -> int:
        """An estimate (MixRouter serves many tokenizers): ~4 ASCII characters or 1 other character per token."""
        ascii_chars = sum(1 for ch in text if ord(ch) < 128)
        return math.ceil(ascii_chars / 4 + (len(text) - ascii_chars))

    def get_num_tokens_from_messages(self, messages: list[BaseMessage], tools: Sequence[Any] | None = None) -> int:
        """Estimated prompt tokens (see ``get_num_tokens``), plus a small per-message overhead."""
        return self.get_num_tokens(get_buffer_string(messages)) + 4 * len(messages)

    # -- requests --------------------------------------------------------------------------------------------
    def _default_params(self) -> dict[str, Any]:
        params = {
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "top_p": self.top_p,
            "seed": self.seed,
            "stop": self.stop,
            "thinking": self.thinking,
            "reasoning_effort": self.reasoning_effort,
            "thinking_budget": self.thinking_budget,
            "route": self.route,
            "use_responses_api": self.use_responses_api,
        }
        return {k: v for k, v in params.items() if v is not None}

    def _request(
        self, messages: list[BaseMessage], stop: list[str] | None, kwargs: dict[str, Any]
    ) -> tuple[str, list[dict[str, Any]], dict[str, Any], bool]:
        """(model, messages, settings, whether usage goes on the last chunk). Settings are handed to the core as
        the user spelled them; ``mixrouter.request.make_request`` normalises them (one place for both faces)."""
        settings = dict(kwargs)
        model = settings.pop("model", None) or self.model_name
        if stop is not None:
            settings["stop"] = stop
        for key in _LANGCHAIN_ONLY:
            settings.pop(key, None)
        settings["extra_body"] = deep_merge(self.extra_body or {}, settings.get("extra_body") or {})
        settings["defaults"] = {"stream_usage": self.stream_usage, **self._default_params()}
        settings["wire_fields"] = self.model_kwargs
        usage = settings.get("stream_usage", self.model_kwargs.get("stream_usage", self.stream_usage))
        return model, to_openai_messages(messages), settings, usage is not False

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        if self.streaming:
            return generate_from_stream(self._stream(messages, stop, run_manager, **kwargs))
        model, msgs, params, _ = self._request(messages, stop, kwargs)
        with langchain_errors():
            result = self._client.chat(model, msgs, **params)
        return ChatResult(generations=[ChatGeneration(message=to_ai_message(result, model))])

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        if self.streaming:
            return await agenerate_from_stream(self._astream(messages, stop, run_manager, **kwargs))
        model, msgs, params, _ = self._request(messages, stop, kwargs)
        with langchain_errors():
            result = await self._aclient.chat(model, msgs, **params)
        return ChatResult(generations=[ChatGeneration(message=to_ai_message(result, model))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        model, msgs, params, usage = self._request(messages, stop, kwargs)
        blocks = BlockIndex()
        with langchain_errors(), self._client.chat_stream(model, msgs, **params) as stream:
            for delta in stream:
                chunk = ChatGenerationChunk(message=to_chunk(delta, model, usage, blocks.see(delta)))
                if run_manager:
                    run_manager.on_llm_new_token(chunk.text, chunk=chunk)
                yield chunk

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        model, msgs, params, usage = self._request(messages, stop, kwargs)
        with langchain_errors():
            blocks = BlockIndex()
            async with self._aclient.chat_stream(model, msgs, **params) as stream:
                async for delta in stream:
                    chunk = ChatGenerationChunk(message=to_chunk(delta, model, usage, blocks.see(delta)))
                    if run_manager:
                        await run_manager.on_llm_new_token(chunk.text, chunk=chunk)
                    yield chunk

    # -- tools and structured output -------------------------------------------------------------------------
    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable | BaseTool],
        *,
        tool_choice: dict | str | bool | None = None,
        strict: bool | None = None,
        parallel_tool_calls: bool | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """Bind tools. ``tool_choice``: "auto", "none", "any"/"required", a tool name, True (the only tool) or
        an OpenAI/Anthropic dict. A model that refuses a forced choice while thinking (DeepSeek, Kimi, Qwen, GLM,
        Claude) is sent only the named tool (so no other tool can be called), or "auto" for "any"; with a
        warning. See the README's tool table."""
        formatted = [convert_to_openai_tool(t, strict=strict) for t in tools]
        normalize_tool_choice(tool_choice, [t["function"]["name"] for t in formatted if "function" in t])  # errors now
        if tool_choice is not None and tool_choice is not False:
            kwargs["tool_choice"] = tool_choice
        if parallel_tool_calls is not None:
            kwargs["parallel_tool_calls"] = parallel_tool_calls
        return super().bind(tools=formatted, **kwargs)

    def with_structured_output(
        self,
        schema: dict[str, Any] | type | None = None,
        *,
        method: StructuredMethod | None = None,
        include_raw: bool = False,
        strict: bool | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, dict | BaseModel]:
        """Structured output. ``method`` defaults per model *and* the call's thinking state (a per-call
        ``thinking=`` or ``model=`` counts): json_schema where the vendor enforces one, else a forced tool where the
        vendor takes one, else JSON mode (the schema in the prompt). Fenced or prose-wrapped JSON is read; an answer
        without the object raises an ``OutputParserException`` naming the model, the method and the text
        (``parsing_error`` with ``include_raw=True``), never ``None``."""
        if kwargs:
            raise ValueError(f"unexpected arguments {sorted(kwargs)}")
        if schema is None:
            raise ValueError("with_structured_output needs a schema (pydantic class, TypedDict or JSON schema).")
        if method not in (None, "json_schema", "function_calling", "json_mode"):
            raise ValueError(f"method must be 'json_schema', 'function_calling' or 'json_mode', not {method!r}.")
        tool = convert_to_openai_tool(schema)["function"]
        json_schema = convert_to_json_schema(schema)
        spec = StructuredSpec(method, tool["name"], json_schema, strict=strict, description=tool.get("description"))
        ls_format = {"kwargs": {"method": method, "strict": strict}, "schema": convert_to_openai_tool(schema)}
        llm = self.bind(structured=spec, ls_structured_output_format=ls_format)
        parser = StructuredOutputParser(
            schema_=schema, json_schema=json_schema, tool_name=spec.tool_name, model=self.model_name
        )
        if not include_raw:
            return llm | parser
        parsed = RunnablePassthrough.assign(parsed=itemgetter("raw") | parser, parsing_error=lambda _: None)
        fallback = RunnablePassthrough.assign(parsed=lambda _: None)
        return RunnableMap(raw=llm) | parsed.with_fallbacks([fallback], exception_key="parsing_error")
