"""One exception tree for everything MixRouter can say.

Every error carries the HTTP ``status`` (when there was one), the gateway's error ``code``, a readable ``message``
and the ``request_id`` MixRouter attached (kept as an attribute for support tickets, never printed: ``str()`` and
``repr()`` show neither the request id nor anything that looks like a key). ``retryable`` says whether trying again
can help, so callers and the framework faces can decide without string matching.

An error that came from a request also names it: ``method`` and ``path`` (``"POST"``, ``"/v1/messages"``; the URL
path only, never the query string or a header), shown by ``str()`` as ``POST /v1/messages: ...``. ``hint`` says what
to try instead where that is known: a 404 or 405 on ``/v1/messages`` or ``/v1/responses`` suggests ``route='chat'``.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = [
    "APIConnectionError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "ContextWindowExceededError",
    "DeadlineExceededError",
    "IncompleteStreamError",
    "InsufficientQuotaError",
    "InternalServerError",
    "MixRouterError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestTimeoutError",
    "ResponseDecodeError",
    "StreamError",
    "UnprocessableEntityError",
    "error_from_body",
    "error_from_response",
    "redact",
    "route_hint",
    "scrub_secret",
    "with_endpoint",
]

# Keys look like "sk-..." (new-api tokens) or long opaque bearer strings; cut both out of anything we print.
_KEY_PATTERN = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._\-]{8,}|\bsk-[A-Za-z0-9._\-]{6,}")
# new-api appends "(request id: 2025...)" to its messages.
_REQUEST_ID_IN_MESSAGE = re.compile(r"\s*[(（]\s*request id:?\s*([^)）]*)[)）]", re.IGNORECASE)
_HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")
_REQUEST_ID_HEADERS = ("x-request-id", "x-oneapi-request-id", "x-new-api-request-id", "request-id")
_MAX_MESSAGE = 500


def redact(text: str) -> str:
    """Remove anything that looks like an API key or bearer token from ``text``."""
    return _KEY_PATTERN.sub(lambda m: (m.group(1) or "") + "***", text)


def _scrubbed(value: Any, secret: str | None = None, depth: int = 0) -> Any:
    """``value`` with keys cut out of every string in it (dicts, lists, tuples and bytes walked; other objects kept)."""
    if isinstance(value, str):
        text = value.replace(secret, "***") if secret and secret in value else value
        return redact(text)
    if depth > 20:
        return value
    if isinstance(value, bytes):
        try:
            return _scrubbed(value.decode("utf-8"), secret, depth + 1).encode("utf-8")
        except UnicodeDecodeError:
            return value.replace(secret.encode(), b"***") if secret else value
    if isinstance(value, dict):
        return {_scrubbed(k, secret, depth + 1): _scrubbed(v, secret, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrubbed(v, secret, depth + 1) for v in value]
    if isinstance(value, tuple):
        return tuple(_scrubbed(v, secret, depth + 1) for v in value)
    return value


def scrub_secret(err: MixRouterError, secret: str | None) -> MixRouterError:
    """Remove ``secret`` (the exact key, whatever its shape) from every attribute of ``err``; returns ``err``.
    Patterns that look like keys are already cut out as each attribute is set (``MixRouterError.__setattr__``)."""
    if secret:
        for name, value in list(vars(err).items()):
            object.__setattr__(err, name, _scrubbed(value, secret))
        err.args = tuple(_scrubbed(a, secret) for a in err.args)
    # The exceptions chained below it (an httpx error and its request, a JSONDecodeError and its document)
    seen: set[int] = {id(err)}
    chained = [err.__cause__, err.__context__]
    while chained:
        exc = chained.pop()
        if exc is None or id(exc) in seen or len(seen) > 10:
            continue
        seen.add(id(exc))
        chained += [exc.__cause__, exc.__context__]
        if isinstance(exc, MixRouterError):
            scrub_secret(exc, secret)
            continue
        _scrub_foreign(exc, secret)
    return err


def _scrub_foreign(exc: BaseException, secret: str | None) -> None:
    try:
        exc.args = tuple(_scrubbed(a, secret) for a in exc.args)
        for name, value in list(vars(exc).items()):
            if isinstance(value, (str, bytes, dict, list, tuple)):
                setattr(exc, name, _scrubbed(value, secret))
        headers = getattr(getattr(exc, "_request", None), "headers", None)
        if headers is not None and "authorization" in headers:
            headers["Authorization"] = "Bearer ***"
    except (AttributeError, TypeError):
        pass


class MixRouterError(Exception):
    """Base class of every error this package raises about a MixRouter call.

    No attribute holds an API key: every value set on an error (``body``, ``message``, anything a subclass or a
    face adds) has key-shaped strings cut out, and the transport removes its own key verbatim (``scrub_secret``).
    """

    retryable: bool = False

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, _scrubbed(value))

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        error_type: str | None = None,
        request_id: str | None = None,
        body: Any = None,
        method: str | None = None,
        path: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = redact(message)
        self.status = status
        self.code = code
        self.error_type = error_type
        self.request_id = request_id
        self.body = body
        self.method = method
        self.path = redact(path) if path else None
        self.hint = redact(hint) if hint else None
        super().__init__(self.message)

    @property
    def endpoint(self) -> str | None:
        """``"POST /v1/messages"``: the request this error came from (``None`` when it came from no request)."""
        if not self.path:
            return None
        return f"{self.method} {self.path}" if self.method else self.path

    def __str__(self) -> str:
        parts = []
        if self.status is not None:
            parts.append(f"HTTP {self.status}")
        if self.code:
            parts.append(f"code={self.code}")
        prefix = f"[{', '.join(parts)}] " if parts else ""
        endpoint = f"{self.endpoint}: " if self.endpoint else ""
        text = _join(self.message, self.hint) if self.hint else self.message
        hint = " (retrying may help)" if self.retryable else ""
        return f"{prefix}{endpoint}{text}{hint}"

    def __repr__(self) -> str:
        where = f", endpoint={self.endpoint!r}" if self.endpoint else ""
        return f"{type(self).__name__}(status={self.status!r}, code={self.code!r}{where}, message={self.message!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep the keyword-only fields when pickled (multiprocessing, LangSmith, workflow checkpoints); the request
        # fields travel as state, so the rebuilt error says the same thing.
        return (
            _rebuild,
            (type(self), self.message, self.status, self.code, self.error_type, self.request_id),
            _state(self),
        )


def _join(message: str, hint: str) -> str:
    return f"{message} {hint}" if message.rstrip()[-1:] in (".", "!", "?", "。") else f"{message}. {hint}"


def _state(err: MixRouterError) -> dict[str, Any]:
    """What pickling keeps besides the constructor's fields: where the error came from."""
    return {"method": err.method, "path": err.path, "hint": err.hint}


def _rebuild(cls: type[MixRouterError], message: str, status: Any, code: Any, error_type: Any, request_id: Any):
    return cls(message, status=status, code=code, error_type=error_type, request_id=request_id)


def route_hint(status: int | None, path: str | None) -> str | None:
    """What to try when an endpoint is not served: a 404 or 405 on ``/v1/messages`` or ``/v1/responses`` means
    MixRouter does not serve that protocol for this model (or at all behind this base URL); ``/chat/completions``
    is the route every chat model has."""
    if status not in (404, 405) or not path:
        return None
    trimmed = path.rstrip("/")
    for tail in ("/messages", "/responses"):
        if trimmed.endswith(tail):
            return f"MixRouter did not serve {trimmed} for this model; try route='chat'."
    return None


def with_endpoint(err: MixRouterError, method: str | None, path: str | None) -> MixRouterError:
    """Name the request on ``err`` (unless it already names one) and add the route hint; returns ``err``."""
    if err.path is None and path:
        err.method = method
        err.path = redact(path)
        if err.hint is None:
            err.hint = route_hint(err.status, path)
    return err


class BadRequestError(MixRouterError):
    """400: the request was malformed or asked for something the model does not support."""


class ContextWindowExceededError(BadRequestError):
    """400: the prompt does not fit the model's context window."""


class AuthenticationError(MixRouterError):
    """401: the key is missing, wrong or revoked. Check MIXROUTER_API_KEY."""


class PermissionDeniedError(MixRouterError):
    """403: the key may not use this model or route."""


class InsufficientQuotaError(PermissionDeniedError):
    """The account has no quota left; top up in the MixRouter console."""


class NotFoundError(MixRouterError):
    """404: unknown model, route or task id."""


class RequestTimeoutError(MixRouterError):
    """408: the server gave up waiting for the request."""

    retryable = True


class ConflictError(MixRouterError):
    """409: a conflicting request is in progress."""

    retryable = True


class UnprocessableEntityError(MixRouterError):
    """422: the request was well-formed but rejected."""


class RateLimitError(MixRouterError):
    """429: too many requests (or tokens) for now."""

    retryable = True


class InternalServerError(MixRouterError):
    """5xx: MixRouter or the upstream vendor failed."""

    retryable = True


class APIConnectionError(MixRouterError):
    """The connection could not be made or broke before an answer arrived."""

    retryable = True


class APITimeoutError(APIConnectionError):
    """A timeout (connect, read or stream idle) expired."""


class DeadlineExceededError(APITimeoutError):
    """The caller's overall time limit (a tool's or ``wait``'s ``timeout=``) ran out before this request finished.

    Raised instead of sending (or retrying) a request that no longer fits, and when a request whose own timeout was
    cut to the time left ran into it. ``wait`` turns it into ``VideoTaskTimeout`` (the task keeps running). Not
    retryable within the same limit: give the call more time instead."""

    retryable = False


class ResponseDecodeError(MixRouterError):
    """A response or stream event could not be understood (truncated JSON, HTML where JSON was due, no choices)."""


class StreamError(MixRouterError):
    """An ``error`` event arrived inside a stream; what was streamed before it is not a complete answer."""


class IncompleteStreamError(StreamError):
    """The stream ended without a finish reason or ``[DONE]``: the answer is partial."""

    retryable = True


_BY_STATUS: dict[int, type[MixRouterError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    408: RequestTimeoutError,
    409: ConflictError,
    413: BadRequestError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}
_QUOTA_CODES = {
    "insufficient_user_quota",
    "insufficient_quota",
    "pre_consume_token_quota_failed",
    "quota_exceeded",
}
_CONTEXT_CODES = {"context_length_exceeded", "context_window_exceeded"}


def _class_for(status: int | None, code: str | None, message: str) -> type[MixRouterError]:
    code_l = (code or "").lower()
    if code_l in _QUOTA_CODES:
        return InsufficientQuotaError
    if code_l in _CONTEXT_CODES or "maximum context length" in message.lower():
        return ContextWindowExceededError
    if status is None:
        return MixRouterError
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if status >= 500:
        return InternalServerError
    return MixRouterError


def _describe_text_body(text: str, status: int | None) -> str:
    text = text.strip()
    if not text:
        return f"empty response body (HTTP {status})" if status else "empty response body"
    if text[:1] == "<":
        title = _HTML_TITLE.search(text)
        summary = title.group(1).strip() if title else _TAGS.sub(" ", text)
        summary = " ".join(summary.split())[:200]
        return f"the server (or a proxy in front of it) returned an HTML page, not JSON: {summary!r}"
    return " ".join(text.split())[:_MAX_MESSAGE]


def error_from_body(
    body: Any,
    *,
    status: int | None = None,
    request_id: str | None = None,
    default: str | None = None,
    method: str | None = None,
    path: str | None = None,
) -> MixRouterError:
    """Build the right exception from a parsed error body.

    Understands the OpenAI shape ``{"error": {"message", "type", "code", "param"}}``, new-api's variants
    (``"(request id: …)"`` inside the message, ``{"success": false, "message": …}``, ``{"error": "text"}``,
    ``{"message", "code"}``) and Anthropic's ``{"type": "error", "error": {"type", "message"}}``. ``method`` and
    ``path`` name the request it answered (see ``with_endpoint``).
    """
    message: str | None = None
    code: str | None = None
    error_type: str | None = None
    if isinstance(body, dict):
        err = body.get("error", body)
        if isinstance(err, str):
            message = err
        elif isinstance(err, dict):
            raw_msg = err.get("message") or err.get("msg") or err.get("detail")
            message = raw_msg if isinstance(raw_msg, str) else (json.dumps(raw_msg) if raw_msg else None)
            raw_code = err.get("code")
            code = str(raw_code) if raw_code not in (None, "") else None
            raw_type = err.get("type")
            error_type = raw_type if isinstance(raw_type, str) else None
            if code is None and error_type and error_type not in ("error", "new_api_error"):
                code = error_type
    elif isinstance(body, str):
        message = _describe_text_body(body, status)
    if message:
        found = _REQUEST_ID_IN_MESSAGE.search(message)
        if found:
            request_id = request_id or found.group(1).strip() or None
            message = _REQUEST_ID_IN_MESSAGE.sub("", message).strip()
    if not message:
        message = default or (f"MixRouter returned HTTP {status}" if status else "MixRouter returned an error")
    if len(message) > _MAX_MESSAGE:
        message = message[:_MAX_MESSAGE] + "…"
    # A 200 whose body is an error object has no useful status: classify by the code if it is numeric.
    effective_status = status
    if (status is None or status < 400) and code and code.isdigit() and 400 <= int(code) < 600:
        effective_status = int(code)
    cls = _class_for(effective_status if effective_status and effective_status >= 400 else None, code, message)
    err = cls(
        message,
        status=status,
        code=code,
        error_type=error_type,
        request_id=request_id,
        body=body if isinstance(body, dict) else None,
    )
    return with_endpoint(err, method, path)


def request_id_from_headers(headers: Any) -> str | None:
    for name in _REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value:
            return value
    return None


def error_from_response(
    status: int, content: bytes, headers: Any, *, method: str | None = None, path: str | None = None
) -> MixRouterError:
    """Build the exception for an HTTP error response whose body has been read; ``method`` and ``path`` name the
    request (``"POST"``, ``"/v1/messages"``) in the message and as attributes."""
    request_id = request_id_from_headers(headers)
    text = content.decode("utf-8", errors="replace")
    body: Any = text
    stripped = text.strip()
    if stripped[:1] in ("{", "["):
        try:
            body = json.loads(stripped)
        except ValueError:
            body = text
    return error_from_body(body, status=status, request_id=request_id, method=method, path=path)
