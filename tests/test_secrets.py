"""No key, cookie or request id in cassettes, errors, reprs or logs."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import httpx
import pytest

from mixrouter import AsyncMixRouterClient, MixRouterClient, MixRouterError
from tests.loopback import Loopback, reply

CASSETTES = Path(__file__).resolve().parent.parent / "cassettes"
KEY = "sk-live-4f8a9b2c7d1e6f30a5b8c9d2e7f1a4b6"
SECRET_PATTERNS = {
    "api key": re.compile(r"\bsk-[A-Za-z0-9]{12,}"),
    "bearer token": re.compile(r"(?i)bearer\s+[A-Za-z0-9._\-]{8,}"),
    "authorization header": re.compile(r"(?im)^\s*authorization:"),
    "cookie": re.compile(r"(?i)\b(set-)?cookie\b"),
    "request id header": re.compile(r"(?i)x-(oneapi-|new-api-)?request-id"),
    "request id in a message": re.compile(r"(?i)request id:\s*(?!<scrubbed>)[A-Za-z0-9]"),
}


def _cassette_files() -> list[Path]:
    return sorted(p for p in CASSETTES.rglob("*") if p.suffix in (".yaml", ".gz", ".json"))


def _text(path: Path) -> str:
    if path.suffix == ".gz":
        import gzip

        return gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
    return path.read_text(encoding="utf-8", errors="replace")


def test_there_are_cassettes_to_scan():
    assert len(_cassette_files()) >= 10


@pytest.mark.parametrize("path", _cassette_files(), ids=lambda p: str(p.relative_to(CASSETTES)))
def test_cassette_holds_no_secret(path):
    text = _text(path)
    found = [name for name, pattern in SECRET_PATTERNS.items() if pattern.search(text)]
    assert not found, f"{path.name} contains: {found}"


def test_the_scanner_catches_what_it_looks_for():
    leaky = "Authorization:\n - Bearer sk-abcdefghijklmnop1234\nset-cookie: a=b\nx-request-id: 9\n(request id: 2025abc)"
    assert {name for name, p in SECRET_PATTERNS.items() if p.search(leaky)} == set(SECRET_PATTERNS)


def test_key_absent_from_errors_reprs_and_debug_logs(caplog):
    caplog.set_level(logging.DEBUG)
    body = {
        "error": {
            "message": f"Incorrect API key provided: {KEY} (request id: 20251226abc)",
            "code": "bad_key",
        }
    }
    with Loopback([reply(401, body, {"x-request-id": "req-123", "set-cookie": "sid=1"})]) as srv:
        client = MixRouterClient(api_key=KEY, base_url=srv.base_url, max_retries=0)
        with pytest.raises(MixRouterError) as info:
            client.chat("gpt-4o-mini", [{"role": "user", "content": "hi"}])
    err = info.value
    produced = " ".join([str(err), repr(err), repr(client), repr(client.transport), caplog.text])
    assert KEY not in produced and KEY[3:20] not in produced
    assert "20251226abc" not in str(err) + repr(err) and "req-123" not in str(err) + repr(err)
    assert err.request_id == "req-123"  # still there for a support ticket


async def test_key_absent_from_async_errors(caplog):
    caplog.set_level(logging.DEBUG)
    with Loopback([reply(403, {"error": {"message": f"key {KEY} may not use this model"}})]) as srv:
        client = AsyncMixRouterClient(api_key=KEY, base_url=srv.base_url, max_retries=0)
        with pytest.raises(MixRouterError) as info:
            await client.chat("gpt-4o-mini", [{"role": "user", "content": "hi"}])
    assert KEY not in str(info.value) + repr(info.value) + caplog.text


def test_key_absent_from_transport_exceptions():
    client = MixRouterClient(api_key=KEY, base_url="http://127.0.0.1:1/v1", max_retries=0)
    with pytest.raises(MixRouterError) as info:
        client.chat("gpt-4o-mini", [{"role": "user", "content": "hi"}])
    chain = [info.value, info.value.__cause__]
    assert all(KEY not in str(e) + repr(e) for e in chain if e is not None)
    assert isinstance(info.value.__cause__, httpx.ConnectError)
