"""``mixrouter image`` and ``mixrouter speak``: recorded against the stub (VCR), then replayed with ``--offline``."""

from __future__ import annotations

import pytest

from mixrouter.cli import main
from tests.stub import media

IMAGE_ARGS = ["image", "a red fox in the snow", "--size", "1024x1024"]
SPEAK_ARGS = ["speak", "Hello from MixRouter", "--voice", "Cherry"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_help_for_both_commands():
    for argv in (["image", "--help"], ["speak", "--help"]):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 0


@pytest.mark.vcr
def test_image_saves_the_picture(tmp_path, capsys):
    target = tmp_path / "fox.png"
    assert main([*IMAGE_ARGS, "--out", str(target)]) == 0
    assert capsys.readouterr().out.strip() == f"saved {target} ({len(media.PNG_1X1)} bytes)"
    assert target.read_bytes().startswith(PNG_SIGNATURE)


def test_image_offline_replays_the_recorded_run(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("MIXROUTER_API_KEY")
    monkeypatch.chdir(tmp_path)
    assert main([*IMAGE_ARGS, "--offline"]) == 0  # a base64 answer without --out goes to image.png
    assert capsys.readouterr().out.startswith("saved image.png")
    assert (tmp_path / "image.png").read_bytes() == media.PNG_1X1


@pytest.mark.vcr
def test_image_edit_sends_the_file(tmp_path, capsys):
    source = tmp_path / "fox.png"
    source.write_bytes(b"FAKE-PNG the fox to edit\n")
    assert main(["image", "give the fox a red scarf", "--edit", str(source), "--out", str(tmp_path / "o.png")]) == 0
    assert (tmp_path / "o.png").read_bytes() == media.PNG_1X1


@pytest.mark.vcr
def test_speak_saves_the_audio(tmp_path, capsys):
    target = tmp_path / "hello.wav"
    assert main([*SPEAK_ARGS, "--out", str(target)]) == 0
    assert capsys.readouterr().out.strip() == f"saved {target} ({len(media.WAV_BYTES)} bytes, audio/wav)"
    assert target.read_bytes() == media.WAV_BYTES


def test_speak_offline_replays_the_recorded_run(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("MIXROUTER_API_KEY")
    monkeypatch.chdir(tmp_path)
    assert main([*SPEAK_ARGS, "--offline"]) == 0
    assert capsys.readouterr().out.startswith("saved speech.wav (44 bytes, audio/wav)")


def test_options_a_model_does_not_take_are_refused_before_sending(capsys):
    assert main(["image", "x", "-m", "dall-e-3", "-n", "2"]) == 1
    assert "'dall-e-3' makes one image per request" in capsys.readouterr().err
    assert main(["speak", "x", "--voice", "nobody"]) == 1
    assert "choose one of Cherry, Ethan" in capsys.readouterr().err
    assert main(["image", "x", "--mask", "m.png"]) == 2
    assert "--mask goes with --edit" in capsys.readouterr().err


def test_offline_says_what_it_needs_for_an_unrecorded_request(monkeypatch, capsys):
    monkeypatch.delenv("MIXROUTER_API_KEY")
    assert main(["speak", "never recorded", "--offline"]) == 2
    assert "--offline only replays recorded requests" in capsys.readouterr().err
