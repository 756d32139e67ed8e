"""Settings shared by every client: the key, the base URL, timeouts and retries.

Values come from arguments first, then ``MIXROUTER_API_KEY`` / ``MIXROUTER_BASE_URL``. Every number is in seconds.
Bad values fail here, at construction, with a message that names the field and what to do.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from pydantic import SecretStr

__all__ = [
    "API_KEY_ENV",
    "BASE_URL_ENV",
    "DEFAULT_BASE_URL",
    "MissingAPIKeyError",
    "RetryPolicy",
    "Timeouts",
    "resolve_api_key",
    "resolve_base_url",
]

API_KEY_ENV = "MIXROUTER_API_KEY"
BASE_URL_ENV = "MIXROUTER_BASE_URL"
DEFAULT_BASE_URL = "https://api.mixrouter.com/v1"


class MissingAPIKeyError(ValueError):
    """No API key was given and MIXROUTER_API_KEY is not set."""


def resolve_api_key(api_key: str | SecretStr | None) -> SecretStr:
    """Return the key as a SecretStr, from the argument or ``MIXROUTER_API_KEY``; fail clearly if neither."""
    if isinstance(api_key, SecretStr):
        value = api_key.get_secret_value()
    else:
        value = api_key if api_key is not None else os.environ.get(API_KEY_ENV, "")
    value = value.strip()
    if not value:
        raise MissingAPIKeyError(
            f"No MixRouter API key: pass api_key=... or set the {API_KEY_ENV} environment variable "
            f"(create a key in the MixRouter console)."
        )
    return SecretStr(value)


def resolve_base_url(base_url: str | None) -> str:
    """Return the base URL (argument, then ``MIXROUTER_BASE_URL``, then the default), without a trailing slash."""
    url = (base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(
            f"base_url {url!r} is not an http(s) URL; use something like {DEFAULT_BASE_URL!r} "
            f"(argument base_url or the {BASE_URL_ENV} environment variable)."
        )
    if parts.query or parts.fragment:
        raise ValueError(f"base_url {url!r} must not carry a query string or fragment.")
    return url.rstrip("/")


def _check_seconds(name: str, value: float | None, *, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"{name} must be a positive number of seconds, got {value!r}.")


@dataclass(frozen=True)
class Timeouts:
    """Timeouts in seconds.

    - ``read``: how long a call waits for its answer's next bytes, and how long a *stream* waits for its first byte
      (a reasoning model that thinks silently before streaming gets as long as a non-streamed call would).
    - ``stream_idle``: the longest silence between two pieces of a stream once it has begun.
    - ``pool``: how long a call may wait for a free connection when all ``max_connections`` are busy. ``None`` (the
      default) means the call's own timeout: ``read``, cut to the time left of a call's ``timeout=`` limit, so
      waiting for a connection counts against the call rather than failing after a separate, shorter limit.
    """

    connect: float = 10.0
    read: float = 600.0
    write: float = 60.0
    pool: float | None = None
    stream_idle: float = 120.0

    def __post_init__(self) -> None:
        for name in ("connect", "read", "write", "stream_idle"):
            _check_seconds(f"timeout.{name}", getattr(self, name))
        _check_seconds("timeout.pool", self.pool, allow_none=True)

    @property
    def pool_wait(self) -> float:
        """The pool timeout in effect: ``pool``, or the call's own (``read``) when not set."""
        return self.read if self.pool is None else self.pool

    @classmethod
    def coerce(cls, timeout: Timeouts | float | int | None) -> Timeouts:
        """``None`` gives the defaults; a number is the read, write and stream-idle limit (connect at most 10 s;
        the pool wait is the call's own)."""
        if timeout is None:
            return cls()
        if isinstance(timeout, Timeouts):
            return timeout
        _check_seconds("timeout", timeout)
        t = float(timeout)
        return cls(connect=min(10.0, t), read=t, write=t, stream_idle=t)


@dataclass(frozen=True)
class RetryPolicy:
    """``max_retries`` retries after the first attempt (0 = one attempt), exponential backoff with jitter.

    ``retry_dropped_after_send``: also retry a request that was completely sent on a fresh connection that then
    dropped before any answer (openai-python does). Off by default: MixRouter may have received and processed that
    request, and a chat call is not idempotent, so a retry can pay twice; the error says what happened instead.
    """

    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0
    retry_dropped_after_send: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.max_retries, int) or isinstance(self.max_retries, bool) or self.max_retries < 0:
            raise ValueError(f"max_retries must be a whole number >= 0, got {self.max_retries!r}.")
        if self.initial_delay < 0 or self.max_delay < 0 or self.max_retry_after < 0:
            raise ValueError("retry delays must be >= 0 seconds.")
