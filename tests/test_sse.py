"""The SSE reader: every line form gateways send, and the same events however the bytes are split."""

from __future__ import annotations

import pytest

from mixrouter._http import decode_event
from mixrouter.errors import ResponseDecodeError, StreamError
from mixrouter.sse import ServerSentEvent, SSEDecoder, iter_sse

STREAM = (
    b": keep-alive\n\n"
    b'data: {"a": 1}\n\n'
    b'event: message\r\ndata: {"b":\r\ndata: 2}\r\n\r\n'
    b'id: 7\nretry: 100\ndata:{"c": 3}\n\n'
    b"data: [DONE]\n\n"
)


def _all(parts: list[bytes]) -> list[tuple[bytes, str | None]]:
    return [(e.data, e.event) for e in iter_sse(parts)]


def test_lines_comments_multiline_crlf_and_done():
    assert _all([STREAM]) == [
        (b'{"a": 1}', None),
        (b'{"b":\n2}', "message"),
        (b'{"c": 3}', None),
        (b"[DONE]", None),
    ]


def test_same_events_whatever_the_split():
    expected = _all([STREAM])
    for size in (1, 2, 3, 7, 13):
        parts = [STREAM[i : i + size] for i in range(0, len(STREAM), size)]
        assert _all(parts) == expected
    for cut in range(len(STREAM)):
        assert _all([STREAM[:cut], STREAM[cut:]]) == expected


def test_last_event_without_blank_line_still_counts():
    assert _all([b'data: {"x": 1}']) == [(b'{"x": 1}', None)]


def test_decoder_holds_partial_lines():
    d = SSEDecoder()
    assert d.feed(b'data: {"x"') == []
    assert [e.data for e in d.feed(b": 1}\n\n")] == [b'{"x": 1}']


def test_decode_event_done_json_and_errors():
    assert decode_event(ServerSentEvent(b"[DONE]")) is None
    assert decode_event(ServerSentEvent(b'{"choices": []}')) == [{"choices": []}]
    with pytest.raises(StreamError, match="bad"):
        decode_event(ServerSentEvent(b'{"error": {"message": "bad"}}'))
    with pytest.raises(StreamError, match="overloaded"):
        decode_event(ServerSentEvent(b'{"type": "error", "error": {"message": "overloaded"}}', "error"))
    with pytest.raises(ResponseDecodeError):
        decode_event(ServerSentEvent(b'{"choices": [{"del'))


def test_events_joined_without_blank_lines_are_split_back():
    event = ServerSentEvent(b'{"a": 1}\n{"b": 2}', lines=2)
    assert decode_event(event) == [{"a": 1}, {"b": 2}]
