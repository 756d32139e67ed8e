"""Images and speech in the core: ``client.images.generate`` / ``edit`` and ``client.audio.speech``, sync and async.

The replays (``cassettes/test_media/``) were recorded against the strict stub (``tests/stub/media.py``); the other
tests run the stub in-process or a scripted transport.
"""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from mixrouter import AsyncMixRouterClient, BadRequestError, MixRouterClient
from mixrouter._media import encode_multipart
from mixrouter.errors import AuthenticationError, DeadlineExceededError
from mixrouter.images import build_edit_fields, build_image_body
from mixrouter.speech import build_speech_body
from mixrouter.video import Deadline
from tests.scripted import Scripted
from tests.stub import media
from tests.stub.server import mock_transport

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def stub_client(**kw) -> MixRouterClient:
    return MixRouterClient(
        api_key="test-key-abcdef123456", http_client=httpx.Client(transport=mock_transport()), max_retries=0, **kw
    )


def astub_client() -> AsyncMixRouterClient:
    transport = mock_transport()
    return AsyncMixRouterClient(
        api_key="test-key-abcdef123456", http_client=httpx.AsyncClient(transport=transport), max_retries=0
    )


class NoNetwork(httpx.MockTransport):
    """Fails the test if anything is sent."""

    def __init__(self) -> None:
        super().__init__(lambda request: pytest.fail(f"sent {request.method} {request.url}"))


def quiet_client() -> MixRouterClient:
    return MixRouterClient(api_key="test-key-abcdef123456", http_client=httpx.Client(transport=NoNetwork()))


# -- replays: what the client sends and how it reads the answer ------------------------------------------------------


@pytest.mark.vcr
def test_gpt_image_generation_answers_base64_and_saves_a_png(vcr, tmp_path):
    result = MixRouterClient().images.generate(
        "gpt-image-1", "a red fox in the snow", size="1024x1024", quality="low", save_to=tmp_path / "fox.png"
    )
    assert json.loads(vcr.requests[0].body) == {
        "model": "gpt-image-1",
        "prompt": "a red fox in the snow",
        "size": "1024x1024",
        "quality": "low",
    }
    assert vcr.requests[0].path == "/v1/images/generations"
    image = result.images[0]
    assert image.url is None and image.mime_type == "image/png"
    assert (tmp_path / "fox.png").read_bytes().startswith(PNG_SIGNATURE) and result.paths == [tmp_path / "fox.png"]
    assert result.usage is not None and result.usage.output_tokens == 272


@pytest.mark.vcr
async def test_gpt_image_generation_async_makes_several_numbered_files(tmp_path):
    result = await AsyncMixRouterClient().images.generate("gpt-image-1.5", "two owls", n=2, save_to=tmp_path / "o.png")
    assert [p.name for p in result.paths] == ["o-1.png", "o-2.png"]
    assert all(p.read_bytes().startswith(PNG_SIGNATURE) for p in result.paths)


@pytest.mark.vcr
def test_dall_e_3_answers_a_url_fetched_only_when_saving(tmp_path):
    sent: list[str] = []
    hooks = {"request": [lambda request: sent.append(f"{request.method} {request.url.path}")]}
    client = MixRouterClient(http_client=httpx.Client(event_hooks=hooks))
    result = client.images.generate("dall-e-3", "a lighthouse at dusk", size="1792x1024", quality="hd")
    url = result.images[0].url
    assert "/v1/images/files/" in url and result.images[0].revised_prompt  # api.mixrouter.com on replay
    assert sent == ["POST /v1/images/generations"]  # no fetch without save_to
    saved = client.images.generate(
        "dall-e-3", "a lighthouse at dusk", size="1792x1024", quality="hd", save_to=tmp_path / "l.png"
    )
    assert saved.paths[0].read_bytes() == media.HOSTED_IMAGE
    assert sent[1:] == ["POST /v1/images/generations", f"GET {httpx.URL(url).path}"]


@pytest.mark.vcr
def test_gpt_image_edit_is_a_deterministic_multipart_form(vcr, tmp_path):
    source = tmp_path / "fox.png"
    source.write_bytes(b"FAKE-PNG the fox to edit\n")
    result = MixRouterClient().images.edit(
        "gpt-image-1", source, "give the fox a red scarf", size="1024x1536", input_fidelity="high"
    )
    request = vcr.requests[0]
    assert request.path == "/v1/images/edits"
    assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=mixrouter-")
    fields, files = media.parse_multipart(request.body, request.headers["Content-Type"])
    assert fields == {
        "model": "gpt-image-1",
        "prompt": "give the fox a red scarf",
        "size": "1024x1536",
        "input_fidelity": "high",
    }
    assert files["image"] == [("fox.png", "image/png", b"FAKE-PNG the fox to edit\n")]
    assert result.images[0].data.startswith(PNG_SIGNATURE)


@pytest.mark.vcr
async def test_gpt_image_edit_async_with_a_mask():
    result = await AsyncMixRouterClient().images.edit(
        "gpt-image-1.5", ("room.png", b"FAKE-PNG room\n"), "paint the wall blue", mask=("mask.png", b"FAKE-PNG mask\n")
    )
    assert result.images[0].mime_type == "image/png"


@pytest.mark.vcr
def test_gemini_image_model_answers_through_chat_with_an_image_part(vcr):
    result = MixRouterClient().images.generate("gemini-2.5-flash-image-preview", "生成一张小狗图片")
    assert vcr.requests[0].path == "/v1/chat/completions"
    assert json.loads(vcr.requests[0].body)["messages"] == [{"role": "user", "content": "生成一张小狗图片"}]
    assert result.images[0].url.endswith(".png") and result.images[0].mime_type == "image/png"  # documented, P24
    assert result.text.startswith("好的")


@pytest.mark.vcr
def test_qwen_tts_documented_envelope_links_a_wav_that_is_fetched(vcr, tmp_path):
    speech = MixRouterClient().audio.speech(
        "qwen3-tts-flash", "Hello from MixRouter", voice="cherry", save_to=tmp_path / "hi.wav"
    )
    body = json.loads(vcr.requests[0].body)
    assert body["input"] == "Hello from MixRouter" and body["voice"] == "Cherry" and body["response_format"] == "wav"
    assert body["audio"] == {"voice": "Cherry", "format": "wav"}  # the documented (P25) fields too
    assert "/v1/audio/files/" in speech.url and speech.mime_type == "audio/wav"
    assert (tmp_path / "hi.wav").read_bytes() == media.WAV_BYTES == speech.audio
    assert [r.method for r in vcr.requests] == ["POST", "GET"]


@pytest.mark.vcr
async def test_openai_tts_answers_the_audio_bytes_async():
    speech = await AsyncMixRouterClient().audio.speech("gpt-4o-mini-tts", "Hello", voice="coral", format="mp3")
    assert speech.audio == media.MP3_BYTES and speech.mime_type == "audio/mpeg" and speech.url is None


@pytest.mark.vcr
def test_openais_audio_models_speak_in_a_chat_answer(vcr):
    speech = MixRouterClient().audio.speech("gpt-audio", "Hello from MixRouter", voice="coral", format="wav")
    body = json.loads(vcr.requests[0].body)
    assert vcr.requests[0].path == "/v1/chat/completions"
    assert body["modalities"] == ["text", "audio"] and body["audio"] == {"voice": "coral", "format": "wav"}
    assert body["messages"][-1] == {"role": "user", "content": "Hello from MixRouter"}
    assert speech.audio == media.WAV_BYTES and speech.mime_type == "audio/wav" and speech.voice == "coral"
    assert speech.raw["choices"][0]["message"]["audio"]["transcript"] == "Hello from MixRouter"


# -- checked before any request --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "options", "message"),
    [
        ("dall-e-3", {"n": 2}, "'dall-e-3' makes one image per request: n must be 1"),
        (
            "gpt-image-1",
            {"size": "512x512"},
            "size='512x512' is not accepted by 'gpt-image-1'; choose one of 1024x1024",
        ),
        ("gpt-image-1", {"quality": "hd"}, "choose one of low, medium, high, auto"),
        ("dall-e-3", {"size": "1536x1024"}, "choose one of 1024x1024, 1792x1024, 1024x1792"),
        ("gpt-image-1", {"response_format": "url"}, "always answers with base64 images"),
        ("gpt-image-1", {"n": 11}, "choose 1 to 10"),
        ("dall-e-3", {"background": "transparent"}, "'dall-e-3' takes no background option"),
        ("flux-1-kontext-pro", {"size": "1024x1024"}, "choose one of 1:1, 16:9"),
        ("gemini-2.5-flash-image", {"size": "1024x1024"}, "makes pictures through chat and takes no size option"),
        ("gpt-image-1", {"output_compression": 50}, "output_compression applies to jpeg and webp only"),
    ],
)
def test_image_options_a_model_does_not_take_are_refused_naming_the_allowed_ones(model, options, message):
    with pytest.raises(ValueError) as info:
        quiet_client().images.generate(model, "a cat", **options)
    assert message in str(info.value)


def test_edit_checks_come_first_too(tmp_path):
    with pytest.raises(ValueError, match=r"'dall-e-3' does not edit images; use one of gpt-image-1, gpt-image-1\.5"):
        quiet_client().images.edit("dall-e-3", b"FAKE", "x")
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(ValueError, match=r"text/plain; MixRouter edits PNG, JPEG or WebP"):
        quiet_client().images.edit("gpt-image-1", text, "x")
    with pytest.raises(ValueError, match="no such file"):
        quiet_client().images.edit("gpt-image-1", tmp_path / "missing.png", "x")


@pytest.mark.parametrize(
    ("model", "options", "message"),
    [
        ("gpt-4o-mini-tts", {"voice": "bob"}, "voice='bob' is not a voice of 'gpt-4o-mini-tts'; choose one of alloy"),
        ("qwen3-tts-flash", {"voice": "alloy"}, "choose one of Cherry, Ethan"),
        ("qwen3-tts-flash", {"format": "mp3"}, "format='mp3' is not made by 'qwen3-tts-flash'; choose one of wav"),
        ("tts-1", {"voice": "alloy", "speed": 9}, "speed=9 is outside what 'tts-1' takes (0.25 to 4)"),
        ("qwen3-tts-flash", {"speed": 1.5}, "'qwen3-tts-flash' takes no speed option"),
        ("tts-1", {"voice": "alloy", "instructions": "cheerful"}, "only gpt-4o-mini-tts does"),
        ("gpt-audio", {"voice": "bob"}, "voice='bob' is not a voice of 'gpt-audio'; choose one of alloy"),
        ("gpt-4o-audio-preview", {"speed": 1.2}, "'gpt-4o-audio-preview' takes no speed option"),
        ("some-new-tts", {}, "give a voice for 'some-new-tts'"),
    ],
)
def test_speech_options_a_model_does_not_take_are_refused(model, options, message):
    with pytest.raises(ValueError) as info:
        quiet_client().audio.speech(model, "Hello", **options)
    assert message in str(info.value)


def test_unknown_image_models_pass_options_through_and_validate_false_skips_checks():
    assert build_image_body("imagineart-1.5-preview", "x", size="999x999", n=4) == {
        "model": "imagineart-1.5-preview",
        "prompt": "x",
        "n": 4,
        "size": "999x999",
    }
    assert build_image_body("dall-e-3", "x", n=2, validate=False)["n"] == 2
    assert build_image_body("flux-1-kontext-pro", "x", size="16:9")["aspect_ratio"] == "16:9"
    assert build_speech_body("eleven_v3", "hi", voice="my-own-voice-id")["voice"] == "my-own-voice-id"


# -- the stub is as strict as the real APIs: what the checks spare it ------------------------------------------------


def test_the_stub_refuses_dall_e_3_n_2_with_openais_message_when_checks_are_off():
    with pytest.raises(BadRequestError) as info:
        stub_client().images.generate("dall-e-3", "x", n=2, validate=False)
    err = info.value
    assert err.message == "You must provide n=1 for this model." and err.endpoint == "POST /v1/images/generations"


def test_the_stub_refuses_what_openai_refuses():
    with pytest.raises(BadRequestError, match="Unknown parameter: 'response_format'"):
        stub_client().images.generate("gpt-image-1", "x", response_format="url", validate=False)
    with pytest.raises(BadRequestError, match=r"Invalid value: '512x512'\. Supported values are: '1024x1024'"):
        stub_client().images.generate("gpt-image-1", "x", size="512x512", validate=False)
    with pytest.raises(BadRequestError, match="Invalid value: 'ogg'"):
        stub_client().audio.speech("tts-1", "x", voice="alloy", format="ogg", validate=False)
    with pytest.raises(BadRequestError, match="Missing required parameter: 'voice'"):
        stub_client().audio.speech("some-new-tts", "x", validate=False)
    form, ctype = encode_multipart([("model", "dall-e-3"), ("prompt", "x")], [("image", "a.png", b"x", "image/png")])
    status, _, body = media.respond("POST", "/v1/images/edits", {"content-type": ctype}, form, "")
    assert status == 400 and "must be one of gpt-image-1" in json.loads(body)["error"]["message"]
    status, _, body = media.respond("POST", "/v1/images/edits", {"content-type": "application/json"}, {}, "")
    assert status == 400 and "expected multipart/form-data" in json.loads(body)["error"]["message"]


def test_the_gateways_message_comes_through_and_the_key_never_does():
    client = MixRouterClient(
        api_key="sk-invalid-key-for-tests", http_client=httpx.Client(transport=mock_transport()), max_retries=0
    )
    with pytest.raises(AuthenticationError) as info:
        client.audio.speech("qwen3-tts-flash", "Hello")
    assert "无效的令牌" in str(info.value) and "sk-invalid" not in str(info.value)
    assert info.value.endpoint == "POST /v1/audio/speech"


def test_a_failed_speech_envelope_raises_its_message():
    t = Scripted({"data": None, "message": "voice quota exhausted", "success": False})
    client = MixRouterClient(api_key="test-key-abcdef123456", http_client=httpx.Client(transport=t))
    with pytest.raises(Exception, match="voice quota exhausted"):
        client.audio.speech("qwen3-tts-flash", "Hello")


# -- transport: time limits, retries, keys ---------------------------------------------------------------------------


def test_one_deadline_bounds_the_request_and_the_fetch():
    now = [0.0]

    def answer(request: httpx.Request) -> httpx.Response:
        now[0] += 10  # the generation "took" 10 of the 5 seconds allowed
        return httpx.Response(200, json={"data": [{"url": "https://cdn.example.com/a.png"}]})

    client = MixRouterClient(
        api_key="test-key-abcdef123456", http_client=httpx.Client(transport=httpx.MockTransport(answer))
    )
    with pytest.raises(DeadlineExceededError, match="before the file could be fetched") as info:
        client.images.generate("dall-e-3", "x", save_to="never.png", timeout=Deadline(5, clock=lambda: now[0]))
    assert info.value.path == "https://cdn.example.com/a.png"


def test_retries_apply_and_a_cdn_link_is_fetched_without_the_key(tmp_path):
    t = Scripted(
        (503, {"error": {"message": "busy"}}),
        {"data": [{"url": "https://cdn.example.com/a.png"}]},
        b"FAKE-PNG from the cdn",
    )
    client = MixRouterClient(api_key="test-key-abcdef123456", http_client=httpx.Client(transport=t), max_retries=1)
    client.transport._sleep = lambda s: None
    result = client.images.generate("dall-e-3", "x", save_to=tmp_path / "a.png")
    assert result.paths[0].read_bytes() == b"FAKE-PNG from the cdn"
    assert [r.url.host for r in t.requests] == ["api.mixrouter.com", "api.mixrouter.com", "cdn.example.com"]
    assert "authorization" in t.requests[0].headers and "authorization" not in t.requests[2].headers


def test_multipart_bodies_are_the_same_bytes_every_time():
    fields = build_edit_fields("gpt-image-1", "x", n=2, quality="high")
    one = encode_multipart(fields, [("image", "a.png", b"abc", "image/png")])
    two = encode_multipart(fields, [("image", "a.png", b"abc", "image/png")])
    other = encode_multipart(fields, [("image", "a.png", b"abd", "image/png")])
    assert one == two and one[1] != other[1]
    parsed = media.parse_multipart(*one)
    assert parsed == (
        {"model": "gpt-image-1", "prompt": "x", "n": "2", "quality": "high"},
        {"image": [("a.png", "image/png", b"abc")]},
    )


def test_several_images_go_as_image_brackets():
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"data": [{"b64_json": base64.b64encode(media.PNG_1X1).decode()}]})

    client = MixRouterClient(
        api_key="test-key-abcdef123456", http_client=httpx.Client(transport=httpx.MockTransport(answer))
    )
    client.images.edit("gpt-image-1", [b"FAKE1", b"FAKE2"], "merge them")
    _, files = media.parse_multipart(sent[0].content, sent[0].headers["content-type"])
    assert [(name, data) for name, _, data in files["image[]"]] == [("image.png", b"FAKE1"), ("image.png", b"FAKE2")]


async def test_async_speech_and_images_against_the_stub(tmp_path):
    client = astub_client()
    speech = await client.audio.speech("qwen3-tts-flash", "Hi", save_to=tmp_path / "hi.wav")
    assert speech.voice == "Cherry" and (tmp_path / "hi.wav").read_bytes() == media.WAV_BYTES
    result = await client.images.generate("dall-e-3", "x", response_format="b64_json")
    assert result.images[0].data == media.PNG_1X1


def test_base64_speech_in_json_and_a_data_url_picture_in_chat_are_read_too():
    wav = base64.b64encode(media.WAV_BYTES).decode()
    t = Scripted({"data": {"b64_json": wav}, "success": True})
    speech = MixRouterClient(api_key="test-key-abcdef123456", http_client=httpx.Client(transport=t)).audio.speech(
        "eleven_v3", "Hi", voice="my-voice"
    )
    assert speech.audio == media.WAV_BYTES and speech.mime_type == "audio/wav" and speech.url is None
    png = base64.b64encode(media.PNG_1X1).decode()
    answer = {"choices": [{"message": {"role": "assistant", "content": f"Here: ![fox](data:image/png;base64,{png})"}}]}
    t = Scripted(answer)
    result = MixRouterClient(api_key="test-key-abcdef123456", http_client=httpx.Client(transport=t)).images.generate(
        "gemini-3-pro-image-preview", "a fox"
    )
    assert result.images[0].data == media.PNG_1X1 and result.text == "Here:"
