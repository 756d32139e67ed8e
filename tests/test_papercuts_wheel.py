"""Issue 17: ``mixrouter chat --offline`` works from a built wheel, not only from a checkout.

The wheel ships every JSON cassette as ``mixrouter/_cassettes/`` (pyproject's package-dir maps the top-level
``cassettes/`` there, so the repo keeps one copy that ``tests/record_cassettes.py`` re-records in place). Built here
without the network from a copy of the project, installed into a folder of its own, and run from outside the repo.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from mixrouter.replay import ReplayTransport, bundled_cassettes, cassette_files, load_interactions

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("mixrouter", "langchain_mixrouter", "llama_index_mixrouter")
PROJECT = ("pyproject.toml", "README.md", "cassettes", *PACKAGES)


def _setuptools_builds_wheels() -> bool:
    if importlib.util.find_spec("setuptools") is None:
        return False
    from importlib.metadata import version

    major, minor = (int(part) for part in version("setuptools").split(".")[:2])
    return (major, minor) >= (70, 1)  # bdist_wheel without the separate `wheel` package


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    if not _setuptools_builds_wheels():
        pytest.skip("building a wheel offline needs setuptools>=70.1 here (the dev extra installs it)")
    src = tmp_path_factory.mktemp("src")
    for name in PROJECT:  # a copy, so the build leaves no build/ or egg-info in the working tree
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, src / name)
    out = tmp_path_factory.mktemp("wheel")
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q", str(src)]
    done = subprocess.run([*cmd, "-w", str(out)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    (found,) = out.glob("mixrouter-*.whl")
    return found


def test_the_wheel_ships_every_cassette_offline_replay_reads_and_every_module(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    cassettes = [p.relative_to(ROOT / "cassettes").as_posix() for p in cassette_files(ROOT / "cassettes")]
    assert cassettes and not [c for c in cassettes if f"mixrouter/_cassettes/{c}" not in names]
    assert "mixrouter/_cassettes/README.md" in names  # their provenance goes with them
    modules = [p.relative_to(ROOT).as_posix() for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")]
    assert not [m for m in modules if "__pycache__" not in m and m not in names]  # no subpackage left out


def test_mixrouter_chat_offline_runs_from_the_installed_wheel(wheel, tmp_path):
    target = tmp_path / "site"
    install = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target", str(target)]
    done = subprocess.run([*install, str(wheel)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    env = {k: v for k, v in os.environ.items() if not k.startswith("MIXROUTER_")}
    env["PYTHONPATH"] = str(target)  # ahead of the dev install (an editable finder comes after sys.path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, *argv], cwd=elsewhere, env=env, capture_output=True, text=True)

    where = run("-c", "import mixrouter.replay as r; print(r.__file__); print(r.bundled_cassettes())")
    module, cassettes = where.stdout.split()
    assert module.startswith(str(target)) and cassettes == str(target / "mixrouter" / "_cassettes")
    chat = run("-m", "mixrouter", "chat", "-m", "deepseek-chat", "--thinking", "--offline", "1+2+...+100=?")
    assert chat.returncode == 0, chat.stderr
    assert chat.stdout.index("The user asks") < chat.stdout.index("The sum is 5050.")


def test_a_checkout_finds_its_cassettes_folder():
    assert Path(str(bundled_cassettes())) == ROOT / "cassettes"  # this test runs from the source tree


def test_replay_reads_cassettes_from_a_zipped_install_too(tmp_path):
    archive = tmp_path / "site.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in cassette_files(ROOT / "cassettes" / "test_cli"):
            zf.write(path, f"mixrouter/_cassettes/test_cli/{path.name}")
    zipped = zipfile.Path(archive, "mixrouter/_cassettes/")
    assert [p.name for p in cassette_files(zipped)] == [p.name for p in cassette_files(ROOT / "cassettes" / "test_cli")]
    assert ReplayTransport(zipped).table == load_interactions(cassette_files(ROOT / "cassettes" / "test_cli"))
    assert ReplayTransport(zipped).table  # something to replay
