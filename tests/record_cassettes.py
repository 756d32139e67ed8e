"""Re-record every VCR cassette with one command, no code change.

    python tests/record_cassettes.py            # from the local stub serving MixRouter's documented shapes
    python tests/record_cassettes.py --live     # from https://api.mixrouter.com (MIXROUTER_API_KEY must be set)

Extra arguments go to pytest (e.g. ``-k stream`` to re-record a few). Headers are dropped and request ids / keys
scrubbed by ``tests/conftest.py`` before anything is written; ``tests/test_secrets.py`` then checks the result.
After a live recording, update the provenance column in ``cassettes/README.md`` to "live".
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    live = "--live" in argv
    extra = [a for a in argv if a != "--live"]
    env = dict(os.environ)
    server = None
    if live:
        if not env.get("MIXROUTER_API_KEY"):
            print("set MIXROUTER_API_KEY to record from the live API", file=sys.stderr)
            return 2
        env["MIXROUTER_RECORD"] = "live"
        from urllib.parse import urlsplit

        host = urlsplit(env.get("MIXROUTER_BASE_URL") or "https://api.mixrouter.com/v1").hostname
        extra = [
            f"--allow-hosts=127.0.0.1,localhost,{host}",
            *extra,
        ]  # pytest-socket: let the live host through
    else:
        sys.path.insert(0, str(ROOT))
        from tests.stub.server import serve

        server, base = serve()
        env["MIXROUTER_RECORD"] = "stub"
        env["MIXROUTER_BASE_URL"] = base
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        str(ROOT / "tests"),
        "-m",
        "vcr",
        "--record-mode=rewrite",
        "--force-enable-socket",
        "-p",
        "no:cacheprovider",
        "-q",
        *extra,
    ]
    try:
        return subprocess.call(cmd, env=env, cwd=ROOT)
    finally:
        if server is not None:
            server.shutdown()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
