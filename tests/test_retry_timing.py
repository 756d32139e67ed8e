"""Retry-After parsing and backoff: the server's hint wins, else exponential with jitter, capped."""

from __future__ import annotations

from email.utils import formatdate

import httpx

from mixrouter._retry import backoff_delay, retry_after_seconds, should_retry_status
from mixrouter.config import RetryPolicy


def test_retryable_statuses():
    assert [s for s in (400, 401, 403, 404, 408, 409, 422, 429, 500, 502, 503, 504) if should_retry_status(s)] == [
        408,
        409,
        429,
        500,
        502,
        503,
        504,
    ]


def test_retry_after_seconds_and_ms():
    assert retry_after_seconds(httpx.Headers({"retry-after": "3"})) == 3.0
    assert retry_after_seconds(httpx.Headers({"retry-after-ms": "250", "retry-after": "9"})) == 0.25
    assert retry_after_seconds(httpx.Headers({})) is None
    assert retry_after_seconds(httpx.Headers({"retry-after": "soon"})) is None


def test_retry_after_http_date():
    now = 1_700_000_000.0
    header = formatdate(now + 7, usegmt=True)
    assert retry_after_seconds(httpx.Headers({"retry-after": header}), now=now) == 7.0
    past = formatdate(now - 30, usegmt=True)
    assert retry_after_seconds(httpx.Headers({"retry-after": past}), now=now) == 0.0


def test_backoff_grows_with_jitter_and_cap():
    policy = RetryPolicy(initial_delay=0.5, max_delay=4.0)
    for attempt, nominal in [(0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0), (6, 4.0)]:
        delays = {backoff_delay(policy, attempt) for _ in range(50)}
        assert all(0.75 * nominal <= d <= nominal for d in delays)
        assert len(delays) > 1  # jitter


def test_server_hint_wins_but_is_capped():
    policy = RetryPolicy(max_retry_after=10)
    assert backoff_delay(policy, 0, httpx.Headers({"retry-after": "2"})) == 2.0
    assert backoff_delay(policy, 0, httpx.Headers({"retry-after": "3600"})) == 10.0
