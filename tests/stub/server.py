"""A small MixRouter stand-in that serves documented shapes (see ``documented.py``).

Used to (re)record cassettes offline: ``python tests/record_cassettes.py`` starts it on 127.0.0.1 and runs the
VCR tests against it, rewriting its address to https://api.mixrouter.com in the cassettes. Also usable in-process
as an ``httpx.MockTransport`` via ``mock_transport()``.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

try:  # run as a module (tests.stub.server) or as a script's sibling
    from . import documented as doc
    from . import fake_model, media, native, vendor_rules, videos
except ImportError:  # pragma: no cover
    import documented as doc  # type: ignore[no-redef]
    import fake_model  # type: ignore[no-redef]
    import media  # type: ignore[no-redef]
    import native  # type: ignore[no-redef]
    import vendor_rules  # type: ignore[no-redef]
    import videos  # type: ignore[no-redef]

INVALID_KEYS = {"sk-invalid-key-for-tests"}
# Models whose answers come from MixRouter's documented examples; every other model is answered by fake_model.
DOCUMENTED_MODELS = set(doc.CHAT) | {"deepseek-chat", "deepseek-v4-pro"}


def _sse(chunks: list[dict[str, Any]]) -> bytes:
    out = [b"data: " + json.dumps(c, ensure_ascii=False).encode() + b"\n\n" for c in chunks]
    out.append(b"data: [DONE]\n\n")
    return b"".join(out)


def _stream_from_completion(completion: dict[str, Any]) -> list[dict[str, Any]]:
    """Split a documented completion into OpenAI-style chunks (INFERRED chunking, documented content)."""
    base = {k: completion[k] for k in ("id", "created", "model") if k in completion}
    base["object"] = "chat.completion.chunk"
    message = completion["choices"][0]["message"]
    content = message.get("content") or ""
    if isinstance(content, list):
        content = "".join(p.get("text", "") for p in content if p.get("type") == "text")
    deltas: list[dict[str, Any]] = []
    reasoning = message.get("reasoning_content")
    if reasoning:
        half = len(reasoning) // 2
        deltas += [
            {"role": "assistant", "reasoning_content": reasoning[:half]},
            {"reasoning_content": reasoning[half:]},
        ]
    half = len(content) // 2
    deltas += [{"content": content[:half]}, {"content": content[half:]}]
    if not reasoning:
        deltas[0]["role"] = "assistant"
    chunks = [dict(base, choices=[{"index": 0, "delta": d, "finish_reason": None}]) for d in deltas]
    chunks.append(dict(base, choices=[{"index": 0, "delta": {}, "finish_reason": "stop"}]))
    chunks.append(dict(base, choices=[], usage=completion.get("usage")))
    return chunks


def respond(
    method: str, path: str, headers: dict[str, str], body: dict[str, Any] | None, base: str = ""
) -> tuple[int, str, bytes]:
    """(status, content type, body bytes) for one request. ``base`` is the stub's own URL (for video links)."""
    auth = headers.get("authorization", "")
    if not auth.startswith("Bearer ") or auth[7:] in INVALID_KEYS:
        return 401, "application/json", json.dumps(doc.INVALID_KEY, ensure_ascii=False).encode()
    body = body or {}
    if "/videos" in path:
        return videos.respond(method, path, body, base)
    if "/images/" in path or "/audio/" in path or media.speaks_in_chat(path, body):  # images and speech
        return media.respond(method, path, headers, body, base)
    model = body.get("model", "")
    if method == "POST" and path.endswith("/embeddings"):
        texts = body.get("input") or []
        return 200, "application/json", json.dumps(doc.embeddings(model, list(texts))).encode()
    if method == "POST" and path.endswith("/responses"):
        return native.responses(body)
    if method == "POST" and path.endswith("/messages"):
        return native.messages(body)
    if method == "POST" and path.endswith("/chat/completions") and model in native.RESPONSES_ONLY:
        return native.chat_route_refusal(model)
    if method == "POST" and path.endswith("/chat/completions") and (refusal := vendor_rules.check(body)):
        return refusal
    if (
        method == "POST"
        and path.endswith("/chat/completions")
        and (model not in DOCUMENTED_MODELS or fake_model.wants_structured(body))
    ):
        completion = fake_model.answer(body)
        if body.get("stream"):
            return 200, "text/event-stream", _sse(fake_model.chunks(completion))
        return 200, "application/json", json.dumps(completion, ensure_ascii=False).encode()
    if method == "POST" and path.endswith("/chat/completions"):
        stream = bool(body.get("stream"))
        messages = body.get("messages") or []
        if body.get("tools"):
            answered = bool(messages) and messages[-1].get("role") == "tool"
            completion = doc.final_answer_completion(model) if answered else doc.tool_call_completion(model)
            if not stream:
                return 200, "application/json", json.dumps(completion, ensure_ascii=False).encode()
            chunks = _stream_from_completion(completion) if answered else doc.tool_call_stream(model)
            return 200, "text/event-stream", _sse(chunks)
        if model in doc.CHAT:
            completion = doc.CHAT[model][1]
        elif stream and body.get("thinking", {}).get("type") == "enabled":
            return 200, "text/event-stream", _sse(doc.reasoning_stream(model))
        else:
            completion = dict(doc.CHAT["gpt-4o-mini"][1], model=model)
        if stream:
            return 200, "text/event-stream", _sse(_stream_from_completion(completion))
        return 200, "application/json", json.dumps(completion, ensure_ascii=False).encode()
    return (
        404,
        "application/json",
        json.dumps({"error": {"message": f"no route {path}", "code": "not_found"}}).encode(),
    )


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _handle(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = raw if "multipart/" in self.headers.get("content-type", "") else json.loads(raw) if raw else None
        headers = {k.lower(): v for k, v in self.headers.items()}
        base = f"http://{self.server.server_address[0]}:{self.server.server_address[1]}/v1"
        status, ctype, payload = respond(self.command, self.path.split("?")[0], headers, body, base)
        self.send_response(status)
        self.send_header("content-type", ctype)
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _handle

    def log_message(self, *args: Any) -> None:  # quiet
        pass


def serve(port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    """Start the stub in a thread on 127.0.0.1; returns (server, base_url ending in /v1)."""
    server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/v1"


def mock_transport():
    """The stub as an in-process ``httpx.MockTransport`` (sync and async)."""
    import httpx

    def handler(request: httpx.Request) -> httpx.Response:
        multipart = "multipart/" in request.headers.get("content-type", "")
        body = request.content if multipart else json.loads(request.content) if request.content else None
        base = f"{request.url.scheme}://{request.url.netloc.decode()}/v1"
        status, ctype, payload = respond(request.method, request.url.path, dict(request.headers), body, base)
        return httpx.Response(status, content=payload, headers={"content-type": ctype})

    return httpx.MockTransport(handler)


if __name__ == "__main__":  # pragma: no cover
    srv, url = serve(8765)
    print(f"stub MixRouter on {url}")
    srv.serve_forever()
