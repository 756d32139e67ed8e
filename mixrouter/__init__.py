"""mixrouter: the framework-free core for MixRouter (https://api.mixrouter.com/v1).

The LangChain face lives in ``langchain_mixrouter`` and the LlamaIndex face in ``llama_index_mixrouter``; both stand
on this package and never parse MixRouter's JSON themselves.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .chat import ChatDelta, ChatResult, ToolCall, ToolCallDelta, build_chat_body, parse_completion
from .client import (
    AsyncChatStream,
    AsyncMixRouterClient,
    ChatStream,
    EmbeddingResult,
    MixRouterClient,
)
from .config import DEFAULT_BASE_URL, MissingAPIKeyError, RetryPolicy, Timeouts
from .errors import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ContextWindowExceededError,
    IncompleteStreamError,
    InsufficientQuotaError,
    InternalServerError,
    MixRouterError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseDecodeError,
    StreamError,
)
from .images import GeneratedImage, ImageResult
from .models import ModelInfo, get_model_info, list_models
from .speech import SpeechResult
from .usage import Usage
from .video import VideoStatus, VideoTask, VideoTaskFailed, VideoTaskTimeout
from .video_request import build_video_body

__all__ = [
    "DEFAULT_BASE_URL",
    "APIConnectionError",
    "APITimeoutError",
    "AsyncChatStream",
    "AsyncMixRouterClient",
    "AuthenticationError",
    "BadRequestError",
    "ChatDelta",
    "ChatResult",
    "ChatStream",
    "ContextWindowExceededError",
    "EmbeddingResult",
    "GeneratedImage",
    "ImageResult",
    "IncompleteStreamError",
    "InsufficientQuotaError",
    "InternalServerError",
    "MissingAPIKeyError",
    "MixRouterClient",
    "MixRouterError",
    "ModelInfo",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseDecodeError",
    "RetryPolicy",
    "SpeechResult",
    "StreamError",
    "Timeouts",
    "ToolCall",
    "ToolCallDelta",
    "Usage",
    "VideoStatus",
    "VideoTask",
    "VideoTaskFailed",
    "VideoTaskTimeout",
    "__version__",
    "build_chat_body",
    "build_video_body",
    "get_model_info",
    "list_models",
    "parse_completion",
]
