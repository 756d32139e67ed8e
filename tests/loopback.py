"""A scriptable HTTP server on 127.0.0.1 for fault tests: each request takes the next scripted action."""

from __future__ import annotations

import contextlib
import json
import socket
import socketserver
import threading
import time
from collections.abc import Callable
from typing import Any

Action = Callable[[socket.socket], None]


def _head(status: int, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} X"] + [f"{k}: {v}" for k, v in headers.items()] + ["Connection: close", "", ""]
    return "\r\n".join(lines).encode()


def reply(status: int, body: Any = b"", headers: dict[str, str] | None = None) -> Action:
    data = body if isinstance(body, bytes) else (body.encode() if isinstance(body, str) else json.dumps(body).encode())
    hdrs = {"content-type": "application/json", "content-length": str(len(data)), **(headers or {})}

    def act(sock: socket.socket) -> None:
        sock.sendall(_head(status, hdrs) + data)

    return act


def sse(
    events: list[Any],
    *,
    done: bool = True,
    pause_after: int | None = None,
    pause: float = 0.0,
    reset_after: int | None = None,
) -> Action:
    """Stream ``events`` (dicts become ``data: json``, bytes are sent as they are)."""

    def send(sock: socket.socket, raw: bytes) -> None:  # chunked framing, as real streaming servers use
        sock.sendall(f"{len(raw):x}\r\n".encode() + raw + b"\r\n")

    def act(sock: socket.socket) -> None:
        sock.sendall(_head(200, {"content-type": "text/event-stream", "transfer-encoding": "chunked"}))
        for i, ev in enumerate(events):
            raw = ev if isinstance(ev, bytes) else b"data: " + json.dumps(ev).encode() + b"\n\n"
            send(sock, raw)
            if reset_after is not None and i + 1 == reset_after:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                return
            if pause_after is not None and i + 1 == pause_after:
                time.sleep(pause)
        if done:
            send(sock, b"data: [DONE]\n\n")
        sock.sendall(b"0\r\n\r\n")

    return act


def reset() -> Action:
    def act(sock: socket.socket) -> None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")

    return act


def delay(seconds: float, then: Action) -> Action:
    def act(sock: socket.socket) -> None:
        time.sleep(seconds)
        then(sock)

    return act


class Loopback:
    """``with Loopback([action, ...]) as srv:`` — ``srv.base_url``, ``srv.attempts``, ``srv.bodies``."""

    def __init__(self, actions: list[Action], repeat_last: bool = False) -> None:
        self.actions = list(actions)
        self.repeat_last = repeat_last
        self.attempts = 0
        self.bodies: list[Any] = []
        self._lock = threading.Lock()
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                sock: socket.socket = self.request
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = sock.recv(65536)
                    if not chunk:
                        return
                    data += chunk
                head, _, rest = data.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                while len(rest) < length:
                    rest += sock.recv(65536)
                with outer._lock:
                    outer.attempts += 1
                    outer.bodies.append(json.loads(rest) if rest else None)
                    if outer.actions:
                        action = (
                            outer.actions.pop(0)
                            if (len(outer.actions) > 1 or not outer.repeat_last)
                            else outer.actions[0]
                        )
                    else:
                        action = reply(500, {"error": {"message": "script exhausted"}})
                with contextlib.suppress(OSError):  # the client may hang up first; that is the test's business
                    action(sock)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> Loopback:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def chunk(
    content: str | None = None,
    *,
    reasoning: str | None = None,
    finish: str | None = None,
    usage: dict | None = None,
    model: str = "m",
) -> dict[str, Any]:
    delta: dict[str, Any] = {}
    if content is not None:
        delta["content"] = content
    if reasoning is not None:
        delta["reasoning_content"] = reasoning
    out: dict[str, Any] = {
        "id": "c",
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    if usage is not None:
        out = {"id": "c", "model": model, "choices": [], "usage": usage}
    return out


COMPLETION = {
    "id": "ok",
    "model": "gpt-4o-mini",
    "object": "chat.completion",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "fine"}, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}
