"""When to retry, and how long to wait.

Hand-written rather than tenacity: the rules are a dozen lines, must hold identically for sync, async and
"streams only before the first byte", and the core's runtime dependencies are limited to httpx and pydantic.
"""

from __future__ import annotations

import random
import time
from email.utils import parsedate_to_datetime
from typing import Any

from .config import RetryPolicy

RETRY_STATUSES = frozenset({408, 409, 429})


def should_retry_status(status: int) -> bool:
    return status in RETRY_STATUSES or status >= 500


def retry_after_seconds(headers: Any, *, now: float | None = None) -> float | None:
    """Read ``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date); ``None`` when absent or unusable."""
    if headers is None:
        return None
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            value = float(ms) / 1000.0
            return value if value >= 0 else None
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if not raw:
        return None
    try:
        value = float(raw)
        return value if value >= 0 else None
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


def backoff_delay(policy: RetryPolicy, attempt: int, headers: Any = None) -> float:
    """Seconds to wait before retry number ``attempt + 1`` (``attempt`` counts from 0).

    The server's hint wins (capped at ``policy.max_retry_after``); otherwise exponential backoff with up to 25%
    jitter below the nominal delay, so many clients that failed together do not come back together.
    """
    hinted = retry_after_seconds(headers)
    if hinted is not None:
        return min(hinted, policy.max_retry_after)
    nominal = min(policy.max_delay, policy.initial_delay * (2**attempt))
    return nominal * (1.0 - 0.25 * random.random())


# --- The retry decision for one failed attempt (sans-IO: what happened in, a verdict out) -----------------------------


class AttemptTrace:
    """What one attempt got through, from httpcore's trace events (``request.extensions["trace"]``): whether it
    opened a new connection or reused a kept-alive one, whether the whole request was written, whether a response
    began. An injected client whose transport emits no events leaves ``seen`` false."""

    __slots__ = ("answered", "connecting", "reused", "seen", "sent")

    def __init__(self) -> None:
        self.seen = False
        self.reused = True  # until a connect_tcp event says otherwise
        self.connecting = False
        self.sent = False
        self.answered = False

    def event(self, name: str) -> None:
        self.seen = True
        if "connect_tcp" in name or "start_tls" in name:
            self.reused = False
            self.connecting = not name.endswith(".complete")  # started or failed: still connecting
        elif name.endswith("send_request_body.complete"):
            self.sent = True
        elif name.endswith("receive_response_headers.complete"):
            self.answered = True

    def __call__(self, name: str, info: Any) -> None:  # the sync trace callback
        self.event(name)

    async def atrace(self, name: str, info: Any) -> None:  # the async one
        self.event(name)


class Verdict:
    """``retry``: whether another attempt may be made; ``what``: what happened, in words for the error."""

    __slots__ = ("retry", "what")

    def __init__(self, retry: bool, what: str) -> None:
        self.retry = retry
        self.what = what


def _fmt(seconds: float | None) -> str:
    if seconds is None:
        return "no"
    return f"{seconds:.3g}" if abs(seconds) < 100 else f"{seconds:.0f}"


def judge_failure(
    kind: str,
    trace: AttemptTrace,
    *,
    timeouts: Any,
    policy: RetryPolicy,
    max_connections: int | None = None,
) -> Verdict:
    """The verdict for an attempt that failed with the httpx exception named ``kind`` before any response arrived.

    ============================================  =======  =====================================================
    what happened                                 retried  why
    ============================================  =======  =====================================================
    connect failed / connect timed out            yes      nothing was sent
    connection broke while the request was sent   yes      the server never had the whole request
    kept-alive connection closed before a byte    yes      the server closed an idle connection as we reused it
    fresh connection dropped after the request    no *     MixRouter may have processed (and billed) it
    no response within the read timeout           no       the model may still be working; a retry pays twice
    no free connection within the pool timeout    no       the wait already used the call's own time
    ============================================  =======  =====================================================

    \\* ``RetryPolicy(retry_dropped_after_send=True)`` retries it, as openai-python does.
    """
    if kind in ("ConnectError", "ConnectTimeout") or (trace.seen and trace.connecting):
        if kind == "ConnectTimeout":
            return Verdict(
                True, f"could not reach MixRouter: connecting timed out after {_fmt(timeouts.get('connect'))} s"
            )
        return Verdict(True, "could not reach MixRouter")
    if kind == "PoolTimeout":
        limit = f" (all {max_connections} connections in use; raise max_connections=)" if max_connections else ""
        return Verdict(False, f"no free connection within {_fmt(timeouts.get('pool'))} s{limit}")
    if kind == "ReadTimeout":
        return Verdict(
            False, f"MixRouter sent nothing within the read timeout (no response within {_fmt(timeouts.get('read'))} s)"
        )
    if kind == "WriteTimeout":
        return Verdict(True, f"sending the request timed out after {_fmt(timeouts.get('write'))} s")
    if kind in ("WriteError", "ReadError", "RemoteProtocolError", "CloseError"):
        if trace.seen and not trace.sent:
            return Verdict(True, "the connection broke while the request was being sent (it was not processed)")
        if trace.seen and trace.reused:
            return Verdict(True, "a kept-alive connection was closed by the server before it answered")
        if kind == "WriteError" and not trace.seen:
            return Verdict(True, "the connection broke while the request was being sent (it was not processed)")
        note = "retried" if policy.retry_dropped_after_send else "not retried: MixRouter may have processed it"
        return Verdict(
            policy.retry_dropped_after_send,
            f"the connection dropped after the request was sent, before any answer ({note})",
        )
    return Verdict(False, "the request failed before an answer arrived")
