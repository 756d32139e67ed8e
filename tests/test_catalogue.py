"""The model catalogue covers MixRouter's documented model list; unknown ids still work."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mixrouter.models import CATALOGUE, family_of, get_model_info, list_models

PAGE = Path(__file__).parent / "data" / "mixrouter_model_list_page.txt"  # copy of shared/seeds/002 (doc page P27)
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9._\-]*$")


def documented_ids() -> list[str]:
    ids = []
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        item = line.strip()
        if not item.startswith("•"):
            continue
        item = re.sub(r"\((仅支持/v1/responses|视觉理解|多模态|google格式)\)$", "", item[1:].strip())
        item = item.removesuffix("提交图生视频任务")
        if _ID.match(item) and item not in {
            "mixrouter",
            "gemini",
            "anthropic",
            "openai",
            "deepseek",
            "qwen",
            "OpenAI",
            "Google",
            "Anthropic",
            "DeepSeek",
            "MiniMax",
            "Moonshot",
            "xAI",
            "BFL",
            "ImagineArt",
            "Elevenlabs",
            "Vidu",
            "sora",
            "pixverse",
            "serper",
            "Realtime",
            "thinking",
            "code_execution",
            "responses",
        }:
            ids.append(item)
    return ids


def test_page_parser_finds_the_list():
    ids = documented_ids()
    assert len(ids) > 100 and "gpt-5.2-pro" in ids and "qwen3-vl-235b-a22b-thinking" in ids and "viduq2-pro" in ids


@pytest.mark.parametrize("model_id", documented_ids())
def test_every_documented_model_is_catalogued(model_id):
    info = get_model_info(model_id)
    assert info.known, f"{model_id} is on MixRouter's model list but not in the catalogue"
    assert info.family != "unknown"


def test_responses_only_models_are_marked():
    assert get_model_info("gpt-5.2-pro").route == "responses"
    assert get_model_info("gpt-5.1-codex").route == "responses"
    assert get_model_info("gpt-4o-mini").route == "chat"


def test_rows_have_sane_numbers():
    for info in CATALOGUE.values():
        if info.route in ("chat", "responses"):
            assert info.context_window >= 8_192, info.id
            assert info.max_output and 0 < info.max_output <= info.context_window, info.id


def test_unknown_model_gets_family_defaults():
    info = get_model_info("deepseek-v9-ultra")
    assert not info.known and info.family == "deepseek" and info.thinking == "type"
    assert get_model_info("o7-mini").max_tokens_field == "max_completion_tokens"
    odd = get_model_info("someone/brand-new-model")
    assert odd.family == "unknown" and odd.thinking == "none" and odd.context_window > 0
    assert family_of("Qwen3-Next") == "qwen" and get_model_info("GPT-4O-MINI").known


def test_overrides_and_filters():
    assert get_model_info("gpt-4o", context_window=999).context_window == 999
    assert {m.id for m in list_models(capability="video")} >= {"sora-2", "veo-3.1-generate-preview"}
    assert all(m.supports_thinking for m in list_models(capability="thinking"))
    assert all(m.family == "qwen" for m in list_models(family="qwen"))
    with pytest.raises(ValueError, match="capability"):
        list_models(capability="teleport")


def test_structured_output_default_per_model():
    assert get_model_info("gpt-4o-mini").structured_output_method == "json_schema"
    assert get_model_info("deepseek-chat").structured_output_method == "function_calling"
    assert get_model_info("deepseek-reasoner").structured_output_method == "json_mode"
    assert get_model_info("kimi-k2-thinking").structured_output_method == "json_mode"
