"""An OpenAI-compatible server that answers instantly, for the benchmark (run in its own process).

Every answer is built once and cached: a fixed ``chat.completion`` JSON body, or an SSE stream of N content chunks
(N = the request's ``max_tokens`` / ``max_completion_tokens``, default 50) ending with a usage chunk and
``[DONE]``. HTTP/1.1 keep-alive on asyncio streams; the server's cost stays out of the client's CPU figures.

A base URL of ``http://127.0.0.1:PORT/slow/50/v1`` streams one token per 50 ms instead (the scale row).

    python bench/server.py PORT
"""

from __future__ import annotations

import asyncio
import json
import sys

COMPLETION = {
    "id": "chatcmpl-bench",
    "object": "chat.completion",
    "created": 1766648340,
    "model": "gpt-4o-mini",
    "system_fingerprint": "fp_bench",
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "The sum 1+2+...+100 is 5050.", "refusal": None},
            "logprobs": None,
            "finish_reason": "stop",
        }
    ],
    "usage": {"prompt_tokens": 21, "completion_tokens": 12, "total_tokens": 33},
}
_cache: dict[int, bytes] = {}


def _response(body: bytes, content_type: str) -> bytes:
    head = f"HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ncontent-length: {len(body)}\r\n\r\n"
    return head.encode() + body


def _chunk(delta: dict, finish: str | None = None, **extra) -> bytes:
    obj = {
        "id": "chatcmpl-bench",
        "object": "chat.completion.chunk",
        "created": 1766648340,
        "model": "gpt-4o-mini",
        "system_fingerprint": "fp_bench",
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        **extra,
    }
    return b"data: " + json.dumps(obj, separators=(",", ":")).encode() + b"\n\n"


def stream_response(n: int) -> bytes:
    if n not in _cache:
        parts = [_chunk({"role": "assistant", "content": ""})]
        parts += [_chunk({"content": f"tok{i % 10} "}) for i in range(n)]
        parts.append(_chunk({}, "stop"))
        usage = {"prompt_tokens": 21, "completion_tokens": n, "total_tokens": 21 + n}
        tail = {
            "id": "chatcmpl-bench",
            "object": "chat.completion.chunk",
            "created": 1766648340,
            "model": "gpt-4o-mini",
            "choices": [],
            "usage": usage,
        }
        parts.append(b"data: " + json.dumps(tail).encode() + b"\n\n")
        parts.append(b"data: [DONE]\n\n")
        _cache[n] = _response(b"".join(parts), "text/event-stream")
    return _cache[n]


JSON_RESPONSE = _response(json.dumps(COMPLETION).encode(), "application/json")


async def slow_stream(writer: asyncio.StreamWriter, n: int, interval: float) -> None:
    """``n`` content chunks, one every ``interval`` seconds (chunked framing, as a real model streams)."""

    def send(raw: bytes) -> None:
        writer.write(b"%x\r\n%s\r\n" % (len(raw), raw))

    writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n")
    send(_chunk({"role": "assistant", "content": ""}))
    token = _chunk({"content": "tok "})
    for _ in range(n):
        await asyncio.sleep(interval)
        send(token)
        await writer.drain()
    send(_chunk({}, "stop"))
    send(b"data: [DONE]\n\n")
    writer.write(b"0\r\n\r\n")
    await writer.drain()


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            raw = await reader.readexactly(length) if length else b""
            body = json.loads(raw) if raw else {}
            target = head.split(b" ", 2)[1]
            if target.startswith(b"/slow/") and body.get("stream"):
                # /slow/<interval ms>/v1/...: one token per interval (the scale row of bench/run.py)
                interval = int(target.split(b"/")[2]) / 1000
                n = body.get("max_tokens") or body.get("max_completion_tokens") or 50
                await slow_stream(writer, int(n), interval)
            elif body.get("stream"):
                n = body.get("max_tokens") or body.get("max_completion_tokens") or 50
                writer.write(stream_response(int(n)))
            else:
                writer.write(JSON_RESPONSE)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main(port: int) -> None:
    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=4096)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
