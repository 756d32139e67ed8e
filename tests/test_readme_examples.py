"""Every ```python block in the README runs, against the stub server (documented shapes + the fake model)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FAKE_KEY
from tests.stub.server import serve

ROOT = Path(__file__).resolve().parent.parent
BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.DOTALL)


@pytest.fixture(scope="module")
def stub_url():
    server, url = serve()
    yield url
    server.shutdown()


@pytest.mark.parametrize("index", range(len(BLOCKS)), ids=lambda i: f"block{i}")
def test_readme_python_block_runs(index, stub_url, tmp_path):
    script = tmp_path / f"block{index}.py"
    script.write_text(BLOCKS[index], encoding="utf-8")
    env = {**os.environ, "MIXROUTER_API_KEY": FAKE_KEY, "MIXROUTER_BASE_URL": stub_url, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert FAKE_KEY not in out.stdout + out.stderr
