"""Server-sent events, read from raw bytes.

Our own decoder rather than httpx-sse: this is the per-chunk hot path of every stream, it works on bytes (no text
decoding pass; ``json.loads`` takes bytes), and the core's runtime dependencies are limited to httpx and pydantic.
It follows the SSE spec for what gateways send: ``data:`` lines (several joined with ``\\n``), ``event:`` names,
``:`` comment / keep-alive lines, blank-line dispatch, ``\\r\\n`` or ``\\n`` line ends, a last event without its
blank line at end of stream.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass

__all__ = ["SSEDecoder", "ServerSentEvent", "aiter_sse", "iter_sse"]


@dataclass(slots=True)
class ServerSentEvent:
    data: bytes
    event: str | None = None
    lines: int = 1  # how many ``data:`` lines made up ``data`` (a gateway that omits blank lines joins events)


class SSEDecoder:
    """Feed it byte chunks split anywhere; it returns the complete events seen so far."""

    __slots__ = ("_buffer", "_data", "_event")

    def __init__(self) -> None:
        self._buffer = b""
        self._data: list[bytes] = []
        self._event: str | None = None

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        buffer = self._buffer + chunk if self._buffer else chunk
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
            self._line(self._buffer, events)
            self._buffer = b""
        self._dispatch(events)
        return events

    def _line(self, line: bytes, events: list[ServerSentEvent]) -> None:
        if line.endswith(b"\r"):
            line = line[:-1]
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
        # "id" and "retry" carry nothing a chat client needs.

    def _dispatch(self, events: list[ServerSentEvent]) -> None:
        if self._data:
            data = self._data[0] if len(self._data) == 1 else b"\n".join(self._data)
            events.append(ServerSentEvent(data, self._event, len(self._data)))
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
