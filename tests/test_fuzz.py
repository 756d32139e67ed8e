"""Property tests (hypothesis) for everything that reads bytes a gateway sends: the SSE reader, the chunk assemblers
of all three routes, the think-tag splitter, usage normalisation and the video status normaliser.

Two kinds of property: a valid stream split anywhere gives the same result as unsplit; and arbitrary input never
raises anything but our typed errors (``MixRouterError`` subclasses) or returns a well-formed value.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mixrouter import MixRouterError, Usage
from mixrouter.anthropic_messages import MessagesStreamAssembler
from mixrouter.chat import StreamAssembler
from mixrouter.client import ChatStream, _parse
from mixrouter.request import make_request
from mixrouter.responses_api import ResponsesStreamAssembler
from mixrouter.routes import PROTOCOLS
from mixrouter.sse import SSEDecoder
from mixrouter.thinking import ThinkTagSplitter, split_think_tags
from mixrouter.usage import normalize_usage
from mixrouter.video import VideoStatus, normalize_status

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=12,
)


def _split(data: bytes | str, cuts: list[int]) -> list:
    points = sorted({c % (len(data) + 1) for c in cuts})
    pieces, last = [], 0
    for p in points:
        pieces.append(data[last:p])
        last = p
    pieces.append(data[last:])
    return pieces


# -- SSE --------------------------------------------------------------------------------------------------------------
def _decode(pieces: list[bytes]) -> list[tuple[bytes, str | None]]:
    decoder = SSEDecoder()
    events = [e for piece in pieces for e in decoder.feed(piece)] + decoder.flush()
    return [(e.data, e.event) for e in events]


sse_event = st.tuples(
    st.one_of(st.none(), st.sampled_from(["message", "error", "content_block_delta"])),
    st.lists(
        st.text(alphabet=st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)), max_size=30),
        min_size=1,
        max_size=3,
    ),
    st.booleans(),  # a comment line before it
)


@FUZZ
@given(
    st.lists(sse_event, min_size=1, max_size=8),
    st.sampled_from([b"\n", b"\r\n"]),
    st.lists(st.integers(0, 10_000), max_size=12),
)
def test_sse_split_anywhere_reads_the_same_events(events, eol, cuts):
    raw = b""
    for name, lines, comment in events:
        if comment:
            raw += b": keep-alive" + eol
        if name:
            raw += b"event: " + name.encode() + eol
        raw += b"".join(b"data: " + line.encode() + eol for line in lines) + eol
    whole = _decode([raw])
    assert whole == [(b"\n".join(line.encode() for line in lines), name) for name, lines, _ in events]
    assert _decode(_split(raw, cuts)) == whole


@FUZZ
@given(st.binary(max_size=300), st.lists(st.integers(0, 400), max_size=8))
def test_sse_reader_takes_any_bytes(raw, cuts):
    _decode(_split(raw, cuts))  # never raises: undecodable data is the JSON layer's business


# -- think tags -------------------------------------------------------------------------------------------------------
tagged = st.one_of(
    text,
    st.builds(lambda r, a, o, c: f"{o}{r}{c}\n\n{a}", text, text, st.just("<think>"), st.just("</think>")),
    st.builds(lambda r, a: f"  <budget:thinking>{r}</budget:thinking>{a}", text, text),
    st.builds(lambda r: f"<think>{r}", text),  # never closed: stays reasoning
)


@FUZZ
@given(tagged, st.lists(st.integers(0, 200), max_size=10))
def test_think_tags_split_at_any_boundary_give_the_same_answer(content, cuts):
    splitter = ThinkTagSplitter()
    reasoning = answer = ""
    for piece in _split(content, cuts):
        r, a = splitter.feed(piece)
        reasoning, answer = reasoning + r, answer + a
    r, a = splitter.flush()
    assert (reasoning + r, answer + a) == split_think_tags(content)


# -- chat completions chunks ------------------------------------------------------------------------------------------
def _chunks(content: str, args: str, cuts: list[int]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for piece in _split(content, cuts):
        out.append({"id": "c", "choices": [{"index": 0, "delta": {"content": piece}}]})
    for i, piece in enumerate(_split(args, cuts)):
        head = {"id": "call_1", "function": {"name": "f"}} if i == 0 else {}
        tc = {"index": 0, **head, "function": {**head.get("function", {}), "arguments": piece}}
        out.append({"id": "c", "choices": [{"index": 0, "delta": {"tool_calls": [tc]}}]})
    out.append({"id": "c", "choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]})
    out.append({"id": "c", "choices": [], "usage": {"prompt_tokens": 3, "completion_tokens": 4}})
    return out


def _assemble(chunks: list[dict[str, Any]]):
    asm = StreamAssembler()
    deltas = [d for c in chunks if (d := asm.feed(c)) is not None]
    deltas.append(asm.final_delta())
    asm.check_complete()
    return asm.result(), deltas


@FUZZ
@given(
    tagged, st.dictionaries(st.text(max_size=8), json_values, max_size=4), st.lists(st.integers(0, 300), max_size=10)
)
def test_a_stream_split_anywhere_assembles_like_unsplit(content, arguments, cuts):
    args = json.dumps(arguments)
    whole, _ = _assemble(_chunks(content, args, []))
    split, deltas = _assemble(_chunks(content, args, cuts))
    assert (split.reasoning, split.text) == (whole.reasoning, whole.text) == split_think_tags(content)
    assert split.tool_calls[0].arguments == args and split.tool_calls[0].parsed_arguments() == arguments
    assert "".join(d.text for d in deltas) == split.text  # the deltas add up to the answer
    assert sum(d.final for d in deltas) == 1 and deltas[-1].usage.total_tokens == 7


def _only_typed_errors(events: list[Any], assembler: Any) -> None:
    """Drive a client stream with ``events``: it ends normally or with one of our typed errors, nothing else."""
    stream = ChatStream(iter(events), assembler)
    with contextlib.suppress(MixRouterError):
        for _ in stream:
            pass
        stream.result()


@FUZZ
@given(st.lists(json_values, max_size=8))
def test_chat_stream_survives_arbitrary_chunks(chunks):
    _only_typed_errors(chunks, StreamAssembler())


# -- the other routes' event streams ----------------------------------------------------------------------------------
anthropic_event = st.fixed_dictionaries(
    {
        "type": st.sampled_from(
            [
                "message_start",
                "content_block_start",
                "content_block_delta",
                "content_block_stop",
                "message_delta",
                "message_stop",
                "ping",
            ]
        )
    },
    optional={
        "index": st.integers(0, 3),
        "delta": json_values,
        "content_block": json_values,
        "message": json_values,
        "usage": json_values,
    },
)
responses_event = st.fixed_dictionaries(
    {
        "type": st.sampled_from(
            [
                "response.created",
                "response.output_text.delta",
                "response.reasoning_summary_text.delta",
                "response.function_call_arguments.delta",
                "response.output_item.added",
                "response.output_item.done",
                "response.completed",
                "response.incomplete",
            ]
        )
    },
    optional={
        "delta": json_values,
        "item": json_values,
        "item_id": json_values,
        "response": json_values,
        "summary_index": json_values,
    },
)


@FUZZ
@given(st.lists(anthropic_event, max_size=10))
def test_messages_stream_survives_arbitrary_events(events):
    _only_typed_errors(events, MessagesStreamAssembler())


@FUZZ
@given(st.lists(responses_event, max_size=10))
def test_responses_stream_survives_arbitrary_events(events):
    _only_typed_errors(events, ResponsesStreamAssembler())


@FUZZ
@given(json_values)
def test_every_parser_survives_an_arbitrary_answer(data):
    for protocol in PROTOCOLS.values():
        req = make_request("gpt-4o-mini", [{"role": "user", "content": "hi"}], route=protocol.name)
        with contextlib.suppress(MixRouterError):
            _parse(protocol, req, data, "/v1/" + protocol.path)


# -- usage and video status -------------------------------------------------------------------------------------------
usage_keys = st.sampled_from(
    [
        "prompt_tokens",
        "completion_tokens",
        "total_tokens",
        "input_tokens",
        "output_tokens",
        "cache_read_input_tokens",
        "cache_creation_input_tokens",
        "prompt_tokens_details",
        "completion_tokens_details",
        "input_tokens_details",
        "output_tokens_details",
        "prompt_cache_hit_tokens",
        "claude_cache_creation_5_m_tokens",
        "reasoning_tokens",
    ]
)


@FUZZ
@given(st.one_of(json_values, st.dictionaries(usage_keys, json_values, max_size=8)))
def test_usage_normalisation_never_raises_and_counts_are_whole_numbers(raw):
    usage = normalize_usage(raw)
    assert usage is None or isinstance(usage, Usage)
    if usage is not None:
        counts = (usage.input_tokens, usage.output_tokens, usage.total_tokens, usage.cache_read, usage.reasoning_tokens)
        assert all(isinstance(n, int) for n in counts)
        assert usage.as_openai()["total_tokens"] == usage.total_tokens


@FUZZ
@given(json_values)
def test_video_status_normaliser_maps_anything_to_the_enum(value):
    assert isinstance(normalize_status(value), VideoStatus)


@FUZZ
@given(st.sampled_from(["SUCCEEDED", "Succeeded", "succeeded", " success ", "in-progress", "IN PROGRESS", "Queued"]))
def test_video_status_spelling_variants_fold(word):
    assert normalize_status(word) in (VideoStatus.COMPLETED, VideoStatus.IN_PROGRESS, VideoStatus.QUEUED)
