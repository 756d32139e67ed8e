"""MixRouter errors as LangChain errors.

Each raised error inherits from *both* the core ``mixrouter`` class and LangChain's ``ModelError`` subclass for the
same condition, so ``except mixrouter.RateLimitError`` and ``except ModelRateLimitError`` both work, and
``is_retryable`` tells agents and ``with_retry`` whether trying again can help.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from langchain_core.exceptions import (
    ContextOverflowError,
    ModelAPIError,
    ModelAuthenticationError,
    ModelConnectionError,
    ModelError,
    ModelInvalidRequestError,
    ModelNotFoundError,
    ModelPermissionDeniedError,
    ModelRateLimitError,
    ModelTimeoutError,
)

from mixrouter import errors as core

# core class -> LangChain class, most specific first (the first isinstance match wins)
_PAIRS: list[tuple[type[core.MixRouterError], type[ModelError]]] = [
    (core.ContextWindowExceededError, ContextOverflowError),
    (core.BadRequestError, ModelInvalidRequestError),
    (core.UnprocessableEntityError, ModelInvalidRequestError),
    (core.AuthenticationError, ModelAuthenticationError),
    (core.PermissionDeniedError, ModelPermissionDeniedError),
    (core.NotFoundError, ModelNotFoundError),
    (core.RateLimitError, ModelRateLimitError),
    (core.APITimeoutError, ModelTimeoutError),
    (core.RequestTimeoutError, ModelTimeoutError),
    (core.APIConnectionError, ModelConnectionError),
    (core.InternalServerError, ModelAPIError),
    (core.ConflictError, ModelAPIError),
    (core.IncompleteStreamError, ModelConnectionError),
    (core.StreamError, ModelAPIError),
    (core.ResponseDecodeError, ModelAPIError),
]
_cache: dict[type[core.MixRouterError], type] = {}


def _dual(cls: type[core.MixRouterError]) -> type:
    dual = _cache.get(cls)
    if dual is None:
        lc = next((lc for c, lc in _PAIRS if issubclass(cls, c)), ModelError)

        # built classes are not importable by name, so pickle rebuilds them from the core class (the request's
        # method, path and route hint travel as state, as in the core)
        def __reduce__(self: core.MixRouterError) -> tuple:
            return (
                _rebuild,
                (cls, self.message, self.status, self.code, self.error_type, self.request_id),
                core._state(self),
            )

        dual = type(
            f"MixRouter{cls.__name__}",
            (cls, lc),
            {"__module__": __name__, "is_retryable": cls.retryable, "__doc__": cls.__doc__, "__reduce__": __reduce__},
        )
        _cache[cls] = dual
    return dual


def _rebuild(cls: type[core.MixRouterError], message: str, status, code, error_type, request_id):
    return _dual(cls)(message, status=status, code=code, error_type=error_type, request_id=request_id)


def to_langchain_error(err: core.MixRouterError) -> core.MixRouterError:
    """The same error as a class that is also LangChain's ``ModelError`` for that condition."""
    if isinstance(err, ModelError):
        return err
    return _dual(type(err))(
        err.message,
        status=err.status,
        code=err.code,
        error_type=err.error_type,
        request_id=err.request_id,
        body=err.body,
        method=err.method,
        path=err.path,
        hint=err.hint,
    )


@contextmanager
def langchain_errors() -> Iterator[None]:
    """The core's errors raised as their LangChain-compatible twins (for the chat model and the embeddings)."""
    try:
        yield
    except core.MixRouterError as err:
        raise to_langchain_error(err) from err
