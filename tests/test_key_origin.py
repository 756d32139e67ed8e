"""The key only goes to MixRouter's origin (scheme, host and port of the base URL), and no attribute of any error
holds it: the message, ``body``, ``args``, ``__dict__`` (walked), and the httpx exception chained below it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import socketserver
import threading
from typing import Any

import httpx
import pytest

from langchain_mixrouter._errors import to_langchain_error
from mixrouter import AsyncMixRouterClient, MixRouterClient, MixRouterError, Timeouts
from mixrouter.video import VideoStatus, VideoTask
from tests.loopback import Loopback, chunk, delay, free_port, reply, reset, sse

KEY = "plainkey0123456789abcdef"  # no "sk-" prefix: only the exact value can catch it
MSGS = [{"role": "user", "content": "hi"}]
ECHO = {"error": {"message": f"invalid key {KEY}", "echo": {"authorization": f"Bearer {KEY}", "list": [KEY]}}}


class HeaderServer:
    """Answers every request with ``body`` and remembers each request's headers (lower-cased names)."""

    def __init__(self, body: bytes = b"video-bytes", content_type: str = "video/mp4") -> None:
        self.headers: list[dict[str, str]] = []
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                sock: socket.socket = self.request
                data = b""
                while b"\r\n\r\n" not in data:
                    got = sock.recv(65536)
                    if not got:
                        return
                    data += got
                lines = data.partition(b"\r\n\r\n")[0].decode().split("\r\n")[1:]
                outer.headers.append({k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines)})
                head = f"HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ncontent-length: {len(body)}\r\n"
                with contextlib.suppress(OSError):
                    sock.sendall(head.encode() + b"connection: close\r\n\r\n" + body)

        class TCP(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = TCP(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]

    def __enter__(self) -> HeaderServer:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def test_a_video_url_on_another_port_of_the_same_host_gets_no_key(tmp_path):
    with HeaderServer() as api, HeaderServer() as cdn:
        client = MixRouterClient(api_key=KEY, base_url=f"http://127.0.0.1:{api.port}/v1")
        task = VideoTask(id="v1", status=VideoStatus.COMPLETED, video_url=f"http://127.0.0.1:{cdn.port}/v.mp4")
        client.videos.download(task, tmp_path / "a.mp4")
        same = VideoTask(id="v2", status=VideoStatus.COMPLETED, video_url=f"http://127.0.0.1:{api.port}/files/v.mp4")
        client.videos.download(same, tmp_path / "b.mp4")
    assert "authorization" not in cdn.headers[0]  # same host, other port: another origin
    assert api.headers[0]["authorization"] == f"Bearer {KEY}"  # MixRouter's own origin
    assert (tmp_path / "a.mp4").read_bytes() == b"video-bytes"


def test_an_https_base_url_never_sends_its_key_to_plain_http_on_the_same_host():
    client = MixRouterClient(api_key=KEY, base_url="https://127.0.0.1:8443/v1")
    assert "Authorization" not in client.transport.headers_for("http://127.0.0.1:8443/v1/x")
    assert "Authorization" not in client.transport.headers_for("https://127.0.0.1:9443/v1/x")
    assert "Authorization" in client.transport.headers_for("https://127.0.0.1:8443/other")
    _, headers = client.videos._download_request(
        VideoTask(id="v", status=VideoStatus.COMPLETED, video_url="http://127.0.0.1:8443/v.mp4"), True
    )
    assert "Authorization" not in headers


def test_an_absolute_url_to_another_origin_goes_without_the_key():
    with HeaderServer(body=b"{}", content_type="application/json") as other:
        client = MixRouterClient(api_key=KEY, base_url=f"http://127.0.0.1:{free_port()}/v1")
        client.transport.request_json("GET", f"http://127.0.0.1:{other.port}/x")
    assert "authorization" not in other.headers[0]


def _holds_key(value: Any, seen: set[int], depth: int = 0) -> list[str]:
    """Paths inside ``value`` where the key appears (strings, bytes, containers, objects' ``__dict__``, httpx
    requests' headers, exception chains)."""
    if id(value) in seen or depth > 12:
        return []
    seen.add(id(value))
    if isinstance(value, str):
        return ["str"] if KEY in value else []
    if isinstance(value, bytes):
        return ["bytes"] if KEY.encode() in value else []
    if isinstance(value, dict):
        return [f"[{k!r}]{p}" for k, v in value.items() for p in _holds_key(k, seen) + _holds_key(v, seen, depth + 1)]
    if isinstance(value, (list, tuple, set)):
        return [f"[{i}]{p}" for i, v in enumerate(value) for p in _holds_key(v, seen, depth + 1)]
    if isinstance(value, httpx.Request):
        return [f".headers{p}" for p in _holds_key(dict(value.headers), seen, depth + 1)]
    if isinstance(value, httpx.Response):
        return [f".content{p}" for p in _holds_key(value.content, seen)] + [
            f".request{p}" for p in _holds_key(getattr(value, "_request", None), seen, depth + 1)
        ]
    found: list[str] = []
    if isinstance(value, BaseException):
        for attr in ("__cause__", "__context__"):
            found += [f".{attr}{p}" for p in _holds_key(getattr(value, attr), seen, depth + 1)]
        found += [f".args{p}" for p in _holds_key(value.args, seen, depth + 1)]
        found += [f"str(){p}" for p in _holds_key(str(value), seen)] + [
            f"repr(){p}" for p in _holds_key(repr(value), seen)
        ]
        request = getattr(value, "_request", None)
        found += [f".request{p}" for p in _holds_key(request, seen, depth + 1)]
    if hasattr(value, "__dict__") and not isinstance(value, type):
        found += [f".{k}{p}" for k, v in vars(value).items() for p in _holds_key(v, seen, depth + 1)]
    return found


SYNC_CASES = {
    "401 echoing the key": [reply(401, ECHO)],
    "400 echoing the key": [reply(400, ECHO)],
    "403": [reply(403, ECHO)],
    "404": [reply(404, ECHO)],
    "429": [reply(429, ECHO, {"retry-after": "0"})] * 3,
    "500": [reply(500, ECHO, {"retry-after": "0"})] * 3,
    "error object in a 200": [reply(200, ECHO)],
    "HTML page echoing the key": [reply(502, f"<html><title>{KEY}</title></html>", {"content-type": "text/html"})] * 3,
    "not JSON": [reply(200, f'{{"id": "{KEY}", "choi')],
    "dropped after sending": [reset()],
    "read timeout": [delay(2.0, reply(200, {}))],
}


@pytest.mark.parametrize("case", SYNC_CASES)
def test_no_attribute_of_an_error_holds_the_key(case):
    with Loopback(SYNC_CASES[case]) as srv:
        client = MixRouterClient(api_key=KEY, base_url=srv.base_url, timeout=Timeouts(read=0.3))
        client.transport._sleep = lambda s: None
        with pytest.raises(MixRouterError) as info:
            client.chat("gpt-4o-mini", MSGS)
    err = info.value
    assert _holds_key(err, set()) == [], case
    assert _holds_key(to_langchain_error(err), set()) == [], case  # the face's error class too


def test_connection_errors_and_their_chained_httpx_request_hold_no_key():
    client = MixRouterClient(api_key=KEY, base_url=f"http://127.0.0.1:{free_port()}/v1", max_retries=0)
    with pytest.raises(MixRouterError) as info:
        client.chat("gpt-4o-mini", MSGS)
    assert isinstance(info.value.__cause__, httpx.HTTPError)
    assert _holds_key(info.value, set()) == []


@pytest.mark.parametrize(
    "script",
    [
        [sse([chunk("a"), ECHO])],  # an error event echoing the key
        [sse([chunk("a"), f"data: {{{KEY}\n\n".encode()])],  # a garbled event holding it
        [sse([chunk("a")], reset_after=1)],  # a stream cut mid-way
    ],
    ids=["error event", "garbled event", "cut mid-stream"],
)
def test_stream_errors_hold_no_key(script):
    async def run() -> BaseException:
        client = AsyncMixRouterClient(api_key=KEY, base_url=srv.base_url)
        try:
            async for _ in client.chat_stream("gpt-4o-mini", MSGS):
                pass
        except MixRouterError as err:
            return err
        raise AssertionError("no error")

    with Loopback(script) as srv:
        err = asyncio.run(run())
    assert _holds_key(err, set()) == []


def test_values_set_later_on_an_error_are_scrubbed_too():
    err = MixRouterError("x")
    err.body = {"auth": "Bearer abcdefghijklmnop", "k": "sk-abcdefghijkl"}
    err.extra = ["sk-zyxwvutsrqpo"]
    assert "abcdefghijklmnop" not in json.dumps(err.body) and "sk-abcdefghijkl" not in json.dumps(err.body)
    assert err.extra == ["***"]


@pytest.mark.parametrize(
    ("url", "keyed"),
    [
        ("https://api.mixrouter.com/v1/files/a.png", True),
        ("http://api.mixrouter.com/v1/files/a.png", False),
        ("https://api.mixrouter.com:8443/v1/files/a.png", False),
        ("https://cdn.example.com/a.png", False),
    ],
)
def test_media_file_fetches_send_the_key_only_to_mixrouters_origin(url, keyed):
    from mixrouter import MixRouterClient
    from mixrouter._media import _fetch_args
    from mixrouter.video import Deadline

    client = MixRouterClient(api_key="sk-origin-test-0123456789", base_url="https://api.mixrouter.com/v1")
    headers = _fetch_args(client.transport, url, Deadline(None))["headers"]
    assert ("Authorization" in headers) is keyed
