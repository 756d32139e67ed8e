"""Server-sent events, read from raw bytes, per the WHATWG "event stream interpretation" rules.

Our own decoder rather than httpx-sse: this is the per-chunk hot path of every stream, it works on bytes (no text
decoding pass; ``json.loads`` takes bytes), and the core's runtime dependencies are limited to httpx and pydantic.

What it follows (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation):

- lines end with ``\r\n``, ``\n`` or a bare ``\r`` (a ``\r\n`` split across two chunks is one line end);
- one leading UTF-8 byte order mark is dropped;
- ``:`` lines are comments (keep-alives); a line without ``:`` is a field with an empty value; one space after the
  colon is removed;
- ``data:`` lines join with ``\n``; ``event:`` names the event; ``id:`` sets the last event id (kept for later
  events; ignored if it holds a NUL); ``retry:`` with ASCII digits only sets the reconnection time; other fields
  are ignored;
- a blank line dispatches the event; an event with no ``data:`` line is not dispatched (its ``event:`` is reset).

One deliberate difference: at the end of the stream an event still waiting for its blank line is dispatched
(gateways that cut the last blank line would otherwise lose their last chunk); the spec discards it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass

__all__ = ["SSEDecoder", "ServerSentEvent", "aiter_sse", "iter_sse"]

_BOM = b"\xef\xbb\xbf"


@dataclass(slots=True)
class ServerSentEvent:
    data: bytes
    event: str | None = None
    lines: int = 1  # how many ``data:`` lines made up ``data`` (a gateway that omits blank lines joins events)
    id: str | None = None  # the last event id seen so far (the spec's "last event ID")
    retry: int | None = None  # the reconnection time (ms) last set by a ``retry:`` field


class SSEDecoder:
    """Feed it byte chunks split anywhere; it returns the complete events seen so far."""

    __slots__ = ("_buffer", "_data", "_event", "_skip_lf", "_start", "last_id", "retry")

    def __init__(self) -> None:
        self._buffer = b""
        self._data: list[bytes] = []
        self._event: str | None = None
        self._skip_lf = False  # the previous chunk ended with "\r": a "\n" opening this one belongs to it
        self._start = True  # the BOM may still come
        self.last_id: str | None = None
        self.retry: int | None = None

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        if self._skip_lf and chunk:
            self._skip_lf = False
            if chunk[:1] == b"\n":
                chunk = chunk[1:]
        buffer = self._buffer + chunk if self._buffer else chunk
        if self._start:
            if len(buffer) < 3 and _BOM.startswith(buffer):
                self._buffer = buffer
                return []
            self._start = False
            if buffer.startswith(_BOM):
                buffer = buffer[3:]
        if b"\r" in buffer:
            if buffer.endswith(b"\r"):
                self._skip_lf = True
            buffer = buffer.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        if b"\n" not in buffer:
            self._buffer = buffer
            return []
        lines = buffer.split(b"\n")
        self._buffer = lines.pop()
        events: list[ServerSentEvent] = []
        for line in lines:
            self._line(line, events)
        return events

    def flush(self) -> list[ServerSentEvent]:
        """End of stream: a trailing line without newline and an event without its blank line still count."""
        events: list[ServerSentEvent] = []
        if self._buffer:
            buffer = self._buffer[3:] if self._start and self._buffer.startswith(_BOM) else self._buffer
            self._buffer = b""
            if buffer and not (self._start and _BOM.startswith(buffer)):
                self._line(buffer, events)
        self._dispatch(events)
        return events

    def _line(self, line: bytes, events: list[ServerSentEvent]) -> None:
        if not line:
            self._dispatch(events)
            return
        if line[0] == 58:  # ":" comment / keep-alive
            return
        field, sep, value = line.partition(b":")
        if sep and value[:1] == b" ":
            value = value[1:]
        if field == b"data":
            self._data.append(value)
        elif field == b"event":
            self._event = value.decode("utf-8", "replace")
        elif field == b"id":
            if b"\x00" not in value:
                self.last_id = value.decode("utf-8", "replace")
        elif field == b"retry" and value.isdigit():  # ASCII digits only (bytes.isdigit)
            self.retry = int(value)

    def _dispatch(self, events: list[ServerSentEvent]) -> None:
        if self._data:
            data = self._data[0] if len(self._data) == 1 else b"\n".join(self._data)
            events.append(ServerSentEvent(data, self._event, len(self._data), self.last_id, self.retry))
        self._data = []
        self._event = None


def iter_sse(chunks: Iterable[bytes]) -> Iterator[ServerSentEvent]:
    decoder = SSEDecoder()
    for chunk in chunks:
        yield from decoder.feed(chunk)
    yield from decoder.flush()


async def aiter_sse(chunks: AsyncIterator[bytes]) -> AsyncIterator[ServerSentEvent]:
    decoder = SSEDecoder()
    async for chunk in chunks:
        for event in decoder.feed(chunk):
            yield event
    for event in decoder.flush():
        yield event
