"""Error bodies in every shape MixRouter (new-api) or a proxy can send, mapped to one exception tree."""

from __future__ import annotations

import pickle

import httpx
import pytest

from mixrouter import errors as E


def _err(status: int, content: bytes | str, headers: dict | None = None) -> E.MixRouterError:
    data = content.encode() if isinstance(content, str) else content
    return E.error_from_response(status, data, httpx.Headers(headers or {}))


@pytest.mark.parametrize(
    ("status", "cls", "retryable"),
    [
        (400, E.BadRequestError, False),
        (401, E.AuthenticationError, False),
        (403, E.PermissionDeniedError, False),
        (404, E.NotFoundError, False),
        (408, E.RequestTimeoutError, True),
        (409, E.ConflictError, True),
        (422, E.UnprocessableEntityError, False),
        (429, E.RateLimitError, True),
        (500, E.InternalServerError, True),
        (503, E.InternalServerError, True),
    ],
)
def test_status_maps_to_class(status, cls, retryable):
    err = _err(status, '{"error": {"message": "boom", "type": "x", "code": "c1"}}')
    assert type(err) is cls and err.retryable is retryable
    assert err.status == status and err.code == "c1" and err.message == "boom"
    assert isinstance(err, E.MixRouterError)


def test_new_api_request_id_is_kept_as_attribute_not_printed():
    err = _err(401, '{"error": {"message": "无效的令牌 (request id: 2025122607461383)", "type": "new_api_error"}}')
    assert err.message == "无效的令牌" and err.request_id == "2025122607461383"
    assert "2025122607461383" not in str(err) + repr(err)


def test_request_id_header_is_read():
    err = _err(500, '{"error": {"message": "upstream"}}', {"x-request-id": "req-77"})
    assert err.request_id == "req-77" and "req-77" not in str(err)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"success": false, "message": "任务不存在"}', "任务不存在"),
        ('{"error": "model not found"}', "model not found"),
        ('{"message": "bad things", "code": "x"}', "bad things"),
        ('{"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}', "Overloaded"),
    ],
)
def test_other_body_shapes(body, message):
    assert _err(400, body).message == message


def test_html_from_a_proxy_is_readable():
    html = "<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>"
    err = _err(502, html)
    assert isinstance(err, E.InternalServerError)
    assert "HTML page" in err.message and "502 Bad Gateway" in err.message and "<title>" not in err.message


def test_empty_body_is_readable():
    err = _err(503, b"")
    assert "empty response body" in err.message and err.status == 503


def test_quota_and_context_codes():
    assert isinstance(
        _err(403, '{"error": {"message": "no quota", "code": "insufficient_user_quota"}}'),
        E.InsufficientQuotaError,
    )
    ctx = _err(400, '{"error": {"message": "This model\'s maximum context length is 8192 tokens"}}')
    assert isinstance(ctx, E.ContextWindowExceededError) and isinstance(ctx, E.BadRequestError)


def test_error_object_in_a_200_is_classified_by_numeric_code():
    err = E.error_from_body({"error": {"message": "rate limited upstream", "code": "429"}}, status=200)
    assert isinstance(err, E.RateLimitError)


def test_keys_are_redacted_from_messages():
    err = _err(401, '{"error": {"message": "Incorrect API key provided: sk-abcdef1234567890. Bearer abcdefghijkl"}}')
    assert "sk-abcdef1234567890" not in str(err) and "abcdefghijkl" not in str(err)


def test_long_messages_are_cut_with_a_mark():
    err = _err(400, '{"error": {"message": "%s"}}' % ("x" * 2000))
    assert len(err.message) <= 501 and err.message.endswith("…")


def test_str_says_whether_retrying_helps():
    assert "retrying may help" in str(_err(429, "{}"))
    assert "retrying may help" not in str(_err(400, "{}"))


def test_errors_pickle_with_their_fields():
    err = _err(429, '{"error": {"message": "slow down", "code": "rate"}}')
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is E.RateLimitError and back.code == "rate" and back.message == "slow down"


def test_str_names_the_request_and_what_to_try():
    err = E.error_from_response(404, b"404 page not found", httpx.Headers(), method="POST", path="/v1/messages")
    assert (err.method, err.path, err.endpoint, err.message) == (
        "POST",
        "/v1/messages",
        "POST /v1/messages",
        "404 page not found",
    )
    assert str(err) == (
        "[HTTP 404] POST /v1/messages: 404 page not found. "
        "MixRouter did not serve /v1/messages for this model; try route='chat'."
    )
    assert (
        repr(err) == "NotFoundError(status=404, code=None, endpoint='POST /v1/messages', message='404 page not found')"
    )
    busy = E.error_from_response(503, b'{"error": {"message": "busy."}}', httpx.Headers(), method="GET", path="/v1/x")
    assert str(busy) == "[HTTP 503] GET /v1/x: busy. (retrying may help)" and busy.hint is None


def test_with_endpoint_keeps_the_first_request_named():
    err = E.StreamError("upstream died")
    assert E.with_endpoint(err, "POST", "/v1/responses") is err and err.endpoint == "POST /v1/responses"
    E.with_endpoint(err, "GET", "/v1/other")
    assert err.endpoint == "POST /v1/responses" and err.hint is None  # no status, so no route hint


def test_errors_pickle_with_the_request_they_came_from():
    err = E.error_from_response(405, b"{}", httpx.Headers(), method="POST", path="/v1/responses")
    back = pickle.loads(pickle.dumps(err))
    assert (back.method, back.path, back.hint, str(back)) == (err.method, err.path, err.hint, str(err))
    deadline = E.DeadlineExceededError("the call's time limit ran out.", method="GET", path="/v1/videos/v1")
    again = pickle.loads(pickle.dumps(deadline))
    assert isinstance(again, E.APITimeoutError) and not again.retryable and again.endpoint == "GET /v1/videos/v1"
