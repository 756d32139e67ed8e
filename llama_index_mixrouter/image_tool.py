"""``MixRouterImageToolSpec`` and ``MixRouterImageTool``: pictures for LlamaIndex agents.

>>> agent = FunctionAgent(tools=[MixRouterImageTool(), MixRouterSpeechTool()], llm=MixRouterLLM(model="gpt-4.1"))

``generate_image`` has a native sync and async version (no thread hops) and the core's schema; it returns JSON text
for the model with the typed ``ImageResult`` as the tool output's ``raw_output``; failures are ``is_error`` outputs
carrying MixRouter's message. ``timeout`` (default 300 s) bounds each whole call. Given a workflow ``Context``
(agents pass one), ``MediaProgressEvent``s ("started", "completed") go to the event stream.
"""

# No ``from __future__ import annotations``: LlamaIndex finds the ``ctx: Context`` parameter by comparing the
# evaluated annotation with the class (see video_tool.py).
from typing import Any, ClassVar

from llama_index.core.bridge.pydantic import BaseModel
from llama_index.core.tools import FunctionTool, ToolMetadata
from llama_index.core.tools.tool_spec.base import BaseToolSpec
from llama_index.core.workflow import Context, Event

from mixrouter import AsyncMixRouterClient, MixRouterClient
from mixrouter.config import resolve_api_key
from mixrouter.media_tool import (
    DEFAULT_IMAGE_MODEL,
    DEFAULT_MEDIA_TOOL_TIMEOUT,
    IMAGE_TOOL_DESCRIPTION,
    GenerateImageArgs,
    amake_image,
    describe_error,
    describe_images,
    make_image,
)

from ._tools import ContextOptionalTool, result_text

__all__ = ["MediaProgressEvent", "MixRouterImageTool", "MixRouterImageToolSpec"]


class MediaProgressEvent(Event):
    """Written to the workflow's event stream when an image or speech call starts and ends."""

    kind: str
    status: str
    model: str | None = None
    detail: dict[str, Any] | None = None


def emitter(ctx: Any) -> Any:
    def emit(event: dict[str, Any]) -> None:
        if ctx is not None:
            rest = {k: v for k, v in event.items() if k not in ("kind", "status", "model")}
            ctx.write_event_to_stream(
                MediaProgressEvent(
                    kind=event["kind"], status=event["status"], model=event.get("model"), detail=rest or None
                )
            )

    return emit


class _MediaSpecBase(BaseToolSpec):
    _SCHEMAS: ClassVar[dict[str, tuple[type[BaseModel], str]]] = {}

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        api_base: str | None = None,
        default_model: str,
        timeout: float | None = DEFAULT_MEDIA_TOOL_TIMEOUT,
        request_timeout: float | None = None,
        max_retries: int = 2,
        save_dir: str | None = None,
        http_client: Any = None,
        async_http_client: Any = None,
    ) -> None:
        for name, value in (("timeout", timeout), ("request_timeout", request_timeout)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0):
                raise ValueError(f"{name} must be a positive number of seconds, got {value!r}.")
        key = resolve_api_key(api_key)
        common: dict[str, Any] = dict(
            api_key=key, base_url=base_url or api_base, timeout=request_timeout, max_retries=max_retries
        )
        self.default_model = default_model
        self.timeout = timeout
        self.request_timeout = request_timeout
        self.save_dir = save_dir
        self._client = MixRouterClient(http_client=http_client, **common)
        self._aclient = AsyncMixRouterClient(http_client=async_http_client, **common)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(default_model={self.default_model!r}, timeout={self.timeout})"

    def to_tool_list(self, spec_functions: Any = None, func_to_metadata_mapping: Any = None) -> list[FunctionTool]:
        """The tools with explicit schemas, native sync and async, and typed raw outputs."""
        tools: list[FunctionTool] = []
        for sync_name, async_name in spec_functions or self.spec_functions:
            schema, description = self._SCHEMAS[sync_name]
            metadata = (func_to_metadata_mapping or {}).get(sync_name) or ToolMetadata(
                name=sync_name, description=description, fn_schema=schema
            )
            tools.append(
                ContextOptionalTool(fn=getattr(self, sync_name), async_fn=getattr(self, async_name), metadata=metadata)
            )
        return tools


class MixRouterImageToolSpec(_MediaSpecBase):
    """``generate_image`` (make a picture, or edit the one at ``image_url``), sync and async."""

    spec_functions: ClassVar[list[Any]] = [("generate_image", "agenerate_image")]
    _SCHEMAS: ClassVar[dict[str, tuple[type[BaseModel], str]]] = {
        "generate_image": (GenerateImageArgs, IMAGE_TOOL_DESCRIPTION)
    }

    def __init__(self, *, default_model: str = DEFAULT_IMAGE_MODEL, **kwargs: Any) -> None:
        super().__init__(default_model=default_model, **kwargs)

    def generate_image(
        self,
        prompt: str,
        model: str | None = None,
        size: str | None = None,
        quality: str | None = None,
        n: int | None = None,
        image_url: str | None = None,
        ctx: Context = None,  # type: ignore[assignment]
    ) -> str:
        try:
            result = make_image(
                self._client.images,
                model or self.default_model,
                prompt,
                size=size,
                quality=quality,
                n=n,
                image_url=image_url,
                timeout=self.timeout,
                save_dir=self.save_dir,
                on_progress=emitter(ctx),
            )
        except Exception as exc:
            return result_text(describe_error(exc, "image", self.timeout), None, error=True)
        return result_text(describe_images(result), result)

    async def agenerate_image(
        self,
        prompt: str,
        model: str | None = None,
        size: str | None = None,
        quality: str | None = None,
        n: int | None = None,
        image_url: str | None = None,
        ctx: Context = None,  # type: ignore[assignment]
    ) -> str:
        try:
            result = await amake_image(
                self._aclient.images,
                model or self.default_model,
                prompt,
                size=size,
                quality=quality,
                n=n,
                image_url=image_url,
                timeout=self.timeout,
                save_dir=self.save_dir,
                on_progress=emitter(ctx),
            )
        except Exception as exc:
            return result_text(describe_error(exc, "image", self.timeout), None, error=True)
        return result_text(describe_images(result), result)


def MixRouterImageTool(**kwargs: Any) -> FunctionTool:
    """The ``generate_image`` tool for ``FunctionAgent(tools=[MixRouterImageTool()])``; ``kwargs`` go to
    ``MixRouterImageToolSpec``."""
    return MixRouterImageToolSpec(**kwargs).to_tool_list()[0]
