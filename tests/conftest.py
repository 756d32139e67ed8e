"""Shared test wiring: hermetic environment, VCR cassettes (scrubbed, matched on JSON body), fake keys.

Replay is the default and needs no network (sockets are blocked by pytest-socket except loopback). Recording is
one command, see ``tests/record_cassettes.py``:

* ``python tests/record_cassettes.py``          re-record from the local stub that serves documented shapes;
* ``python tests/record_cassettes.py --live``   re-record from MixRouter itself (needs ``MIXROUTER_API_KEY``).
"""

from __future__ import annotations

import gzip
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from vcr.persisters.filesystem import CassetteNotFoundError, FilesystemPersister
from vcr.serialize import deserialize, serialize

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "cassettes"
CANONICAL_BASE = "https://api.mixrouter.com/v1"
FAKE_KEY = "test-key-0123456789-not-real"
RECORD_MODE = os.environ.get("MIXROUTER_RECORD", "")  # "", "stub" or "live"

_KEEP_REQUEST_HEADERS = {"content-type", "accept"}
_KEEP_RESPONSE_HEADERS = {"content-type"}
_SECRET_IN_TEXT = re.compile(r"(?i)\(request id:[^)]*\)|\bsk-[A-Za-z0-9._\-]{6,}")


@pytest.fixture(autouse=True)
def _hermetic_env(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Tests see a fake key and the canonical base URL unless cassettes are being recorded."""
    if RECORD_MODE == "live":
        monkeypatch.delenv("MIXROUTER_BASE_URL", raising=False)
        return
    if RECORD_MODE == "stub":
        monkeypatch.setenv("MIXROUTER_API_KEY", FAKE_KEY)
        return
    monkeypatch.setenv("MIXROUTER_API_KEY", FAKE_KEY)
    monkeypatch.delenv("MIXROUTER_BASE_URL", raising=False)


def _scrub_text(text: str) -> str:
    return _SECRET_IN_TEXT.sub(
        lambda m: "(request id: <scrubbed>)" if m.group(0).startswith("(") else "sk-<scrubbed>", text
    )


def _before_record_request(request: Any) -> Any:
    stub_base = os.environ.get("MIXROUTER_BASE_URL")
    if RECORD_MODE == "stub" and stub_base and request.uri.startswith(stub_base):
        request.uri = CANONICAL_BASE + request.uri[len(stub_base) :]
    if RECORD_MODE == "stub" and stub_base and request.body and stub_base.encode() in request.body:
        request.body = request.body.replace(stub_base.encode(), CANONICAL_BASE.encode())  # e.g. a video URL echoed
    for name in list(request.headers):
        if name.lower() not in _KEEP_REQUEST_HEADERS:
            del request.headers[name]
    return request


def _before_record_response(response: dict[str, Any]) -> dict[str, Any]:
    response["headers"] = {k: v for k, v in response["headers"].items() if k.lower() in _KEEP_RESPONSE_HEADERS}
    body = response.get("body", {}).get("string")
    if isinstance(body, bytes):
        text = body.decode("utf-8", "replace")
        scrubbed = _scrub_text(text)
        stub_base = os.environ.get("MIXROUTER_BASE_URL")
        if RECORD_MODE == "stub" and stub_base:  # links the stub made to itself (video URLs) point at MixRouter
            scrubbed = scrubbed.replace(stub_base, CANONICAL_BASE)
        if scrubbed != text:
            response["body"]["string"] = scrubbed.encode("utf-8")
    return response


def _json_body(r1: Any, r2: Any) -> None:
    """Match request bodies as JSON (key order and whitespace do not matter; values do)."""
    b1, b2 = r1.body or b"", r2.body or b""
    try:
        j1 = json.loads(b1) if b1 else None
        j2 = json.loads(b2) if b2 else None
    except ValueError:
        assert b1 == b2
        return
    assert j1 == j2, f"request body differs from the cassette's:\n{j1}\n!=\n{j2}"


class GzipAwarePersister(FilesystemPersister):
    """vcrpy's file persister is text-only; ``*.gz`` cassettes (the LangChain standard suite's yaml.gz) are
    gzipped here, everything else is left to vcrpy as it is."""

    @classmethod
    def load_cassette(cls, cassette_path: Any, serializer: Any) -> Any:
        path = Path(cassette_path)
        if path.suffix != ".gz":
            return super().load_cassette(path, serializer)
        # While recording, never load the old file: pytest-recording's "rewrite" deletes only ``<name>.yaml`` (it
        # ignores path_transformer), so a stale ``.yaml.gz`` would otherwise be replayed and kept.
        if RECORD_MODE or not path.is_file():
            raise CassetteNotFoundError()
        return deserialize(gzip.decompress(path.read_bytes()).decode("utf-8"), serializer)

    @staticmethod
    def save_cassette(cassette_path: Any, cassette_dict: Any, serializer: Any) -> None:
        path = Path(cassette_path)
        if path.suffix != ".gz":
            FilesystemPersister.save_cassette(path, cassette_dict, serializer)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(serialize(cassette_dict, serializer).encode("utf-8"), mtime=0))


def pytest_recording_configure(config: Any, vcr: Any) -> None:
    vcr.register_matcher("json_body", _json_body)
    vcr.register_persister(GzipAwarePersister)


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {
        "before_record_request": _before_record_request,
        "before_record_response": _before_record_response,
        "match_on": ["method", "scheme", "host", "port", "path", "query", "json_body"],
        "decode_compressed_response": True,
        "allow_playback_repeats": False,
        # JSON, not YAML: the package's own replay transport (mixrouter.replay, used by the offline quickstart)
        # reads these files with the standard library only.
        "serializer": "json",
        "path_transformer": lambda path: path if path.endswith(".json") else path + ".json",
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    """One folder per test module under the top-level ``cassettes/`` (absolute, so any working directory works)."""
    return str(CASSETTES / request.module.__name__.split(".")[-1])
