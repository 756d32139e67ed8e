"""``MixRouterImageTool``: pictures for LangChain agents (generate, or edit a picture given by URL).

>>> from langchain.agents import create_agent
>>> agent = create_agent(ChatMixRouter(model="gpt-4.1"), [MixRouterImageTool(), MixRouterSpeechTool()])

The tool answers with a short JSON text for the model (where each picture is) and the pictures themselves as the
tool message's artifact: a list of standard content blocks (``{"type": "image", "base64" | "url", "mime_type"}``).
``timeout`` (default 300 s) bounds the whole call; ``request_timeout`` each HTTP request. Failures and bad arguments
become ``ToolException`` text carrying MixRouter's message. Progress: the custom events ``mixrouter_image_progress``
("started", "completed"), so ``astream_events`` shows them, and inside a LangGraph run ``stream_mode="custom"``
(``{"name": "mixrouter_image_progress", "data": {...}}``). ``save_dir``: also write each picture there.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForToolRun, CallbackManagerForToolRun
from langchain_core.tools import BaseTool, ToolException
from langchain_core.utils import from_env, secret_from_env
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SecretStr, model_validator

from mixrouter import AsyncMixRouterClient, MixRouterClient
from mixrouter.config import API_KEY_ENV, resolve_api_key
from mixrouter.media_tool import (
    DEFAULT_IMAGE_MODEL,
    DEFAULT_MEDIA_TOOL_TIMEOUT,
    IMAGE_PROGRESS_EVENT,
    IMAGE_TOOL_DESCRIPTION,
    GenerateImageArgs,
    amake_image,
    describe_error,
    describe_images,
    image_blocks,
    make_image,
)

from .video_tool import langgraph_writer

__all__ = ["MixRouterImageTool"]


class _MediaToolBase(BaseTool):
    """Connection settings shared by the image and speech tools (key from ``api_key`` or ``MIXROUTER_API_KEY``)."""

    api_key: SecretStr | None = Field(default_factory=secret_from_env(API_KEY_ENV, default=None), exclude=True)
    base_url: str | None = Field(default_factory=from_env("MIXROUTER_BASE_URL", default=None))
    max_retries: int = Field(default=2, ge=0)
    timeout: float | None = Field(
        default=DEFAULT_MEDIA_TOOL_TIMEOUT, gt=0, description="Seconds a whole tool call may take; None: no limit."
    )
    request_timeout: float | None = Field(
        default=None, gt=0, description="Seconds per HTTP request (default: the client's, 600 s read)."
    )
    save_dir: str | None = Field(default=None, description="Also save each file in this folder.")
    http_client: Any = Field(default=None, exclude=True)
    http_async_client: Any = Field(default=None, exclude=True)
    response_format: str = "content_and_artifact"
    handle_tool_error: bool = True
    model_config = ConfigDict(arbitrary_types_allowed=True)

    _sync: MixRouterClient = PrivateAttr()
    _async: AsyncMixRouterClient = PrivateAttr()

    @model_validator(mode="after")
    def _set_mixrouter_clients(self) -> _MediaToolBase:
        self.api_key = resolve_api_key(self.api_key)
        common: dict[str, Any] = dict(
            api_key=self.api_key, base_url=self.base_url, timeout=self.request_timeout, max_retries=self.max_retries
        )
        self._sync = MixRouterClient(http_client=self.http_client, **common)
        self._async = AsyncMixRouterClient(http_client=self.http_async_client, **common)
        return self

    def _fail(self, exc: Exception, what: str) -> ToolException:
        return ToolException(describe_error(exc, what, self.timeout))


class MixRouterImageTool(_MediaToolBase):
    """Make (or edit) a picture within ``timeout`` seconds; the pictures come back as the artifact."""

    name: str = "generate_image"
    description: str = IMAGE_TOOL_DESCRIPTION
    args_schema: type[BaseModel] = GenerateImageArgs
    default_model: str = DEFAULT_IMAGE_MODEL

    def _run(
        self,
        prompt: str,
        model: str | None = None,
        size: str | None = None,
        quality: str | None = None,
        n: int | None = None,
        image_url: str | None = None,
        run_manager: CallbackManagerForToolRun | None = None,
    ) -> tuple[str, list[dict[str, Any]]]:
        writer = langgraph_writer()

        def progress(event: dict[str, Any]) -> None:
            if run_manager is not None:
                run_manager.get_child().on_custom_event(IMAGE_PROGRESS_EVENT, event, run_id=run_manager.run_id)
            if writer is not None:
                writer({"name": IMAGE_PROGRESS_EVENT, "data": event})

        try:
            result = make_image(
                self._sync.images,
                model or self.default_model,
                prompt,
                size=size,
                quality=quality,
                n=n,
                image_url=image_url,
                timeout=self.timeout,
                save_dir=self.save_dir,
                on_progress=progress,
            )
        except Exception as exc:
            raise self._fail(exc, "image") from exc
        return describe_images(result), image_blocks(result)

    async def _arun(
        self,
        prompt: str,
        model: str | None = None,
        size: str | None = None,
        quality: str | None = None,
        n: int | None = None,
        image_url: str | None = None,
        run_manager: AsyncCallbackManagerForToolRun | None = None,
    ) -> tuple[str, list[dict[str, Any]]]:
        writer = langgraph_writer()

        async def progress(event: dict[str, Any]) -> None:
            if run_manager is not None:
                await run_manager.get_child().on_custom_event(IMAGE_PROGRESS_EVENT, event, run_id=run_manager.run_id)
            if writer is not None:
                writer({"name": IMAGE_PROGRESS_EVENT, "data": event})

        try:
            result = await amake_image(
                self._async.images,
                model or self.default_model,
                prompt,
                size=size,
                quality=quality,
                n=n,
                image_url=image_url,
                timeout=self.timeout,
                save_dir=self.save_dir,
                on_progress=progress,
            )
        except Exception as exc:
            raise self._fail(exc, "image") from exc
        return describe_images(result), image_blocks(result)
