"""The ``mixrouter`` command: chat, models and video, live (VCR) and with ``--offline`` replay."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mixrouter.cli import main
from tests.stub.videos import VIDEO_BYTES

VIDEO_ARGS = ["video", "a cat surfing at sunset", "--duration", "8"]


def test_help_everywhere():
    for argv in (["--help"], ["chat", "--help"], ["models", "--help"], ["video", "--help"]):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 0


def test_a_missing_key_is_one_clear_line(monkeypatch, capsys):
    monkeypatch.delenv("MIXROUTER_API_KEY")
    assert main(["chat", "-m", "gpt-4o-mini", "hi"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "mixrouter: no API key: set MIXROUTER_API_KEY=<your key> (or add --offline to replay recorded answers)."
    ]


def test_models_table_filters_by_capability(capsys):
    assert main(["models", "--capability", "video"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:3] == ["model", "family", "route"]
    assert any(line.startswith("sora-2 ") for line in out) and not any("gpt-4o" in line for line in out)


def test_chat_offline_streams_reasoning_apart_from_the_answer(monkeypatch, capsys):
    monkeypatch.delenv("MIXROUTER_API_KEY")
    assert main(["chat", "-m", "deepseek-chat", "--thinking", "--offline", "1+2+...+100=?"]) == 0
    out = capsys.readouterr().out
    assert out.index("The user asks") < out.index("The sum is 5050.")


@pytest.mark.vcr
def test_video_waits_downloads_and_prints_the_url(tmp_path, capsys):
    target = tmp_path / "cat.mp4"
    assert main([*VIDEO_ARGS, "--download", str(target), "--poll-interval", "0.01"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("task video_") and out[0].endswith(": queued")
    assert out[1].endswith("/content") and target.read_bytes() == VIDEO_BYTES


def test_video_offline_replays_the_same_run(monkeypatch, capsys):
    monkeypatch.delenv("MIXROUTER_API_KEY")
    assert main([*VIDEO_ARGS, "--wait", "--offline"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[1] == f"https://api.mixrouter.com/v1/videos/{out.split()[1].rstrip(':')}/content"
    assert "completed" in err or "completed" in out


def test_video_without_wait_prints_how_to_resume(monkeypatch, capsys):
    monkeypatch.delenv("MIXROUTER_API_KEY")
    assert main([*VIDEO_ARGS, "--offline"]) == 0
    assert "mixrouter video --task video_" in capsys.readouterr().out


def test_bad_video_options_are_refused_before_sending(capsys):
    assert main(["video", "x", "-m", "sora-2", "--duration", "5"]) == 1
    assert "duration=5 seconds is not accepted by 'sora-2'" in capsys.readouterr().err


def test_console_script_entry_point_runs():
    out = subprocess.run(
        [sys.executable, "-m", "mixrouter.cli", "models", "--family", "video"], capture_output=True, text=True
    )
    assert out.returncode == 0 and "veo-3.1-generate-preview" in out.stdout


def test_offline_says_what_it_needs_for_an_unrecorded_request(monkeypatch, capsys):
    monkeypatch.delenv("MIXROUTER_API_KEY")
    assert main(["chat", "-m", "gpt-4o-mini", "--offline", "something never recorded"]) == 2
    assert "was not recorded; set MIXROUTER_API_KEY to run it live" in capsys.readouterr().err


# -- newcomer papercuts (issue 17) ----------------------------------------------------------------------------------


def test_video_help_names_its_default_model(capsys):
    with pytest.raises(SystemExit):
        main(["video", "--help"])
    assert "(default veo-3.1-fast-generate-preview)" in " ".join(capsys.readouterr().out.split())


def test_models_shows_every_route_a_model_takes(capsys):
    assert main(["models"]) == 0
    rows = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()[1:]}
    claude = [row for model, row in rows.items() if model.startswith("claude-")]
    assert claude and all("  chat, messages (thinking)  " in row for row in claude)  # thinking goes to /v1/messages
    assert rows["deepseek-chat"].split()[2] == "chat" and "(thinking)" not in rows["deepseek-chat"]
    assert rows["gpt-5.1-codex"].split()[2] == "responses" and "(thinking)" not in rows["gpt-5.1-codex"]
    assert rows["sora-2"].split()[2] == "videos"


def test_video_progress_without_a_terminal_is_one_plain_line_per_step(monkeypatch, capsys):
    monkeypatch.delenv("MIXROUTER_API_KEY")
    assert main([*VIDEO_ARGS, "--wait", "--offline"]) == 0  # capsys: stderr is not a terminal
    err = capsys.readouterr().err
    assert "\r" not in err and "━" not in err  # nothing drawn for a terminal
    assert [line.split()[:2] for line in err.splitlines()] == [
        ["queued", "0%"],
        ["in_progress", "50%"],
        ["completed", "100%"],
    ]
