"""The SSE reader against the WHATWG event-stream rules: LF, CRLF and bare CR line ends, a leading BOM, comments,
multi-line ``data:``, ``event:``/``id:``/``retry:`` fields; then fuzzed against a literal transcription of the
spec's algorithm, whatever the line ends and however the bytes are split."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mixrouter.sse import SSEDecoder, iter_sse

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _events(raw: bytes, sizes: list[int] | None = None) -> list[tuple[str, str | None, str | None, int | None]]:
    if sizes:
        parts, i = [], 0
        for n in sizes:
            parts.append(raw[i : i + n])
            i += n
        parts.append(raw[i:])
    else:
        parts = [raw]
    return [(e.data.decode(), e.event, e.id, e.retry) for e in iter_sse(parts)]


def test_bare_cr_line_ends_are_lines():
    raw = b'data: {"a": 1}\r\rdata: {"b": 2}\r\r'
    assert _events(raw) == [('{"a": 1}', None, None, None), ('{"b": 2}', None, None, None)]


def test_crlf_split_across_chunks_is_one_line_end():
    raw = b"data: a\r\n\r\ndata: b\r\n\r\n"
    for cut in range(len(raw) + 1):
        assert [e[0] for e in _events(raw, [cut])] == ["a", "b"], cut


def test_a_leading_bom_is_dropped_even_split():
    raw = b"\xef\xbb\xbfdata: first\n\ndata: second\n\n"
    assert [e[0] for e in _events(raw)] == ["first", "second"]
    for cut in (1, 2):
        assert [e[0] for e in _events(raw, [cut])] == ["first", "second"]
    # only one, and only at the very start
    assert [e[0] for e in _events(b"data: x\n\n\xef\xbb\xbfdata: y\n\n")] == ["x"]


def test_comments_multiline_data_event_id_retry():
    raw = (
        b": keep-alive\n"
        b"event: delta\nid: 41\nretry: 3000\ndata: line one\ndata:line two\ndata\n\n"
        b"data: after\n\n"
        b"id: bad\x00id\nretry: 12x\nevent: only-event\n\n"  # no data: not dispatched; id and retry ignored
        b"id\ndata: cleared id\n\n"
    )
    assert _events(raw) == [
        ("line one\nline two\n", "delta", "41", 3000),
        ("after", None, "41", 3000),  # the event type resets, the last event id stays
        ("cleared id", None, "", 3000),
    ]


def test_a_field_without_a_colon_and_unknown_fields():
    assert _events(b"data\n\nfoo: bar\ndata: x\n\n") == [("", None, None, None), ("x", None, None, None)]


def test_hot_path_chunks_without_cr_still_work():
    d = SSEDecoder()
    assert d.feed(b'data: {"x"') == []
    assert [e.data for e in d.feed(b": 1}\n\n")] == [b'{"x": 1}']


# --- a literal transcription of the spec, on text -------------------------------------------------------------------


def reference(stream: str) -> list[tuple[str, str | None, str | None, int | None]]:
    if stream.startswith("\ufeff"):
        stream = stream[1:]
    lines = stream.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    last = lines.pop()  # the text after the last line end (dispatched at end of stream, our one difference)
    out: list[tuple[str, str | None, str | None, int | None]] = []
    data: list[str] = []
    event: str | None = None
    last_id: str | None = None
    retry: int | None = None

    def dispatch() -> None:
        nonlocal data, event
        if data:
            out.append(("\n".join(data), event, last_id, retry))
        data, event = [], None

    for line in [*lines, last] if last else lines:
        if line == "":
            dispatch()
            continue
        if line.startswith(":"):
            continue
        field, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if field == "data":
            data.append(value)
        elif field == "event":
            event = value
        elif field == "id" and "\0" not in value:
            last_id = value
        elif field == "retry" and value and all(c in "0123456789" for c in value):
            retry = int(value)
    dispatch()
    return out


field_text = st.text(alphabet=st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)), max_size=12)
line = st.one_of(
    st.builds(lambda v: f"data:{v}", field_text),
    st.builds(lambda v: f"data: {v}", field_text),
    st.just("data"),
    st.builds(lambda v: f"event: {v}", field_text),
    st.builds(lambda v: f"id: {v}", field_text),
    st.builds(lambda v: f"retry: {v}", st.one_of(st.integers(0, 99999).map(str), field_text)),
    st.builds(lambda v: f": {v}", field_text),
    st.builds(lambda k, v: f"{k}: {v}", st.sampled_from(["foo", "Data", "x"]), field_text),
    st.just(""),
)
ending = st.sampled_from(["\n", "\r\n", "\r"])


@FUZZ
@given(
    st.lists(st.tuples(line, ending), max_size=25),
    st.booleans(),
    st.lists(st.integers(0, 7), max_size=30),
)
def test_matches_the_spec_whatever_the_line_ends_and_the_split(lines, bom, sizes):
    text = ("\ufeff" if bom else "") + "".join(body + end for body, end in lines)
    raw = text.encode("utf-8")
    assert _events(raw, sizes) == reference(text)
