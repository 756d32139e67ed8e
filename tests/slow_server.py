"""A loopback HTTP/1.1 server for scale tests: one asyncio loop in a thread serves any number of keep-alive
connections (the thread-per-connection ``tests.loopback`` server is for scripted faults, not for 1,000 at once).

Each request is held ``hold`` seconds, then answered with a chat completion, or, when the body asks for
``"stream": true``, with ``tokens`` content chunks ``interval`` seconds apart. It counts requests and the most it
held at once.
"""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

from tests.loopback import COMPLETION, chunk

_ANSWER = json.dumps(COMPLETION).encode()


class SlowServer:
    def __init__(self, hold: float = 0.0, tokens: int = 3, interval: float = 0.0) -> None:
        self.hold = hold
        self.tokens = tokens
        self.interval = interval
        self.requests = 0
        self.active = 0
        self.peak = 0
        self.connections = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.base_url = ""

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._serve, "127.0.0.1", 0, backlog=4096))
        self.base_url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/v1"
        self._server = server
        self._ready.set()
        self._loop.run_forever()
        server.close()
        tasks = asyncio.all_tasks(self._loop)
        for task in tasks:
            task.cancel()
        self._loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
        self._loop.run_until_complete(server.wait_closed())
        self._loop.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                body: Any = json.loads(await reader.readexactly(length)) if length else {}
                self.requests += 1
                self.active += 1
                self.peak = max(self.peak, self.active)
                try:
                    await asyncio.sleep(self.hold)
                    if isinstance(body, dict) and body.get("stream"):
                        await self._stream(writer)
                    else:
                        writer.write(
                            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                            + f"content-length: {len(_ANSWER)}\r\n\r\n".encode()
                            + _ANSWER
                        )
                        await writer.drain()
                finally:
                    self.active -= 1
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def _stream(self, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n")

        def send(raw: bytes) -> None:
            writer.write(f"{len(raw):x}\r\n".encode() + raw + b"\r\n")

        for i in range(self.tokens):
            last = i == self.tokens - 1
            send(b"data: " + json.dumps(chunk("t", finish="stop" if last else None)).encode() + b"\n\n")
            await writer.drain()
            if self.interval and not last:
                await asyncio.sleep(self.interval)
        send(b"data: [DONE]\n\n")
        writer.write(b"0\r\n\r\n")
        await writer.drain()

    def __enter__(self) -> SlowServer:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
