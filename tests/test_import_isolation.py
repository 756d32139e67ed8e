"""Each face imports only its own framework (and the core imports neither): checked in fresh interpreters."""

from __future__ import annotations

import subprocess
import sys

import pytest

CASES = {
    "mixrouter": ("langchain_core", "llama_index", "openai"),
    "langchain_mixrouter": ("llama_index", "openai"),
    "llama_index_mixrouter": ("langchain_core", "langchain", "openai"),
}


@pytest.mark.parametrize("package", sorted(CASES))
def test_face_does_not_import_the_other_framework(package):
    code = (
        f"import sys\nfrom {package} import *\n"  # every public class, not just the (lazy) package
        f"bad = sorted({{m.split('.')[0] for m in sys.modules}} & set({CASES[package]!r}))\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"importing {package} pulled in {out.stdout.strip()}"
