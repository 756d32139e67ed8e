"""The core's structured-output helpers and the checks it makes for both faces."""

from __future__ import annotations

import pytest

from mixrouter import build_chat_body
from mixrouter.structured import json_instructions, parse_json_text, response_format
from mixrouter.usage import normalize_usage

OBJ = {"city": "Paris", "temp_c": 18}


@pytest.mark.parametrize(
    "text",
    [
        '{"city": "Paris", "temp_c": 18}',
        '```json\n{"city": "Paris", "temp_c": 18}\n```',
        '```\n{"city": "Paris", "temp_c": 18}```',
        '<think>format it</think>{"city": "Paris", "temp_c": 18}',
        'Here is the JSON: {"city": "Paris", "temp_c": 18} Hope it helps.',
    ],
)
def test_json_is_read_bare_fenced_after_thinking_or_after_prose(text):
    assert parse_json_text(text) == OBJ


def test_text_without_json_is_a_clear_error():
    with pytest.raises(ValueError, match="not JSON: 'I cannot help'"):
        parse_json_text("I cannot help")


def test_response_format_per_method_and_safe_names():
    assert response_format("json_mode", "X", {}) == {"type": "json_object"}
    assert response_format("function_calling", "X", {}) is None
    spec = response_format("json_schema", "my weather!", {"type": "object"}, strict=True)
    assert spec == {
        "type": "json_schema",
        "json_schema": {"name": "my_weather_", "schema": {"type": "object"}, "strict": True},
    }
    with pytest.raises(ValueError, match="method must be"):
        response_format("xml", "X", {})  # type: ignore[arg-type]
    assert '"temp_c"' in json_instructions({"properties": {"temp_c": {"type": "integer"}}})


def test_a_part_the_model_cannot_take_is_refused_by_the_core():
    msg = {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://x/y.png"}}]}
    with pytest.raises(ValueError, match=r"'deepseek-chat' does not take image input.*messages\[0\].*vision"):
        build_chat_body("deepseek-chat", [msg])
    assert build_chat_body("gpt-4o", [msg])["messages"][0]["content"][0]["type"] == "image_url"
    assert build_chat_body("acme-unlisted-model", [msg])  # unknown models are not second-guessed


def test_usage_in_openai_shape_whatever_the_dialect():
    anthropic = normalize_usage({"input_tokens": 10, "output_tokens": 5, "cache_read_input_tokens": 90})
    assert anthropic.as_openai() == {
        "prompt_tokens": 100,
        "completion_tokens": 5,
        "total_tokens": 105,
        "prompt_tokens_details": {"cached_tokens": 90},
    }
    deepseek = normalize_usage(
        {
            "prompt_tokens": 3,
            "completion_tokens": 4,
            "total_tokens": 7,
            "completion_tokens_details": {"reasoning_tokens": 2},
        }
    )
    assert deepseek.as_openai()["completion_tokens_details"] == {"reasoning_tokens": 2}


def test_a_video_part_points_to_models_that_take_video_input():
    msg = {"role": "user", "content": [{"type": "video_url", "video_url": {"url": "https://x/v.mp4"}}]}
    with pytest.raises(ValueError, match="--capability video-input"):
        build_chat_body("deepseek-chat", [msg])
