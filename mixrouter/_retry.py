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
