"""The `mixrouter` block translator: each vendor artifact as one standard block with its signature in ``extras``,
read back unchanged; registered by the chat model's import; finish reasons normalized as langchain-core 1.8.4
reads them."""

from __future__ import annotations

import subprocess
import sys

import pytest
from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.messages.block_translators import PROVIDER_TRANSLATORS

from langchain_mixrouter._blocks import artifacts, call_extras, reasoning_block
from langchain_mixrouter._convert import finish_fields, to_openai_messages
from tests.seams import StubWire, get_weather

THINKING = {"type": "thinking", "thinking": "Gauss pairs the terms.", "signature": "c2lnbmVk"}
REDACTED = {"type": "redacted_thinking", "data": "b3BhcXVl"}
RESPONSES = {
    "type": "reasoning",
    "id": "rs_1",
    "summary": [{"type": "summary_text", "text": "Pairs."}],
    "encrypted_content": "ZW5j",
}
RESPONSES_TWO = {**RESPONSES, "id": "rs_2", "summary": [{"type": "summary_text", "text": t} for t in ("A.", "B.")]}
RESPONSES_EMPTY = {"type": "reasoning", "id": "rs_3", "summary": [], "encrypted_content": "ZW5j"}
OPENROUTER = {
    "type": "reasoning.text",
    "text": "Pairs.",
    "signature": "c2ln",
    "format": "anthropic-claude-v1",
    "index": 0,
}
ENCRYPTED = {"type": "reasoning.encrypted", "data": "ZW5j", "format": "openai-responses-v1", "id": "rs_9"}
SIG = "R2VtaW5p"
GOOGLE = {"extra_content": {"google": {"thought_signature": SIG}}}
ALL = [THINKING, REDACTED, RESPONSES, RESPONSES_TWO, RESPONSES_EMPTY, OPENROUTER, ENCRYPTED]


def ours(details=None, reasoning="", extras=None, **kw):
    kwargs = {k: v for k, v in (("reasoning_content", reasoning), ("reasoning_details", details)) if v}
    if extras:
        kwargs["tool_call_extras"] = extras
    kw.setdefault("content", "")
    return AIMessage(additional_kwargs=kwargs, response_metadata={"model_provider": "mixrouter"}, **kw)


CALL = {"name": "get_weather", "args": {"city": "Paris"}, "id": "call_1", "type": "tool_call"}


def test_without_our_translator_core_drops_signatures(monkeypatch):
    msg = ours([THINKING], reasoning=THINKING["thinking"], extras={"call_1": GOOGLE}, tool_calls=[CALL])
    monkeypatch.delitem(PROVIDER_TRANSLATORS, "mixrouter")
    fallback = msg.content_blocks
    assert fallback[0] == {"type": "reasoning", "reasoning": THINKING["thinking"]}
    assert "extras" not in fallback[1]
    monkeypatch.undo()
    blocks = msg.content_blocks
    assert blocks[0] == {"type": "reasoning", "reasoning": THINKING["thinking"], "extras": {"signature": "c2lnbmVk"}}
    assert blocks[1] == {
        **{k: CALL[k] for k in ("id", "name", "args")},
        "type": "tool_call",
        "extras": {"signature": SIG},
    }


def test_each_artifact_is_one_block_in_the_vendor_integrations_shape():
    assert reasoning_block(RESPONSES) == {
        "type": "reasoning",
        "id": "rs_1",
        "reasoning": "Pairs.",
        "extras": {"encrypted_content": "ZW5j"},
    }  # as langchain-core's openai translator writes a one-part summary
    assert reasoning_block(RESPONSES_EMPTY) == {
        "type": "reasoning",
        "id": "rs_3",
        "extras": {"encrypted_content": "ZW5j"},
    }
    assert reasoning_block(RESPONSES_TWO)["reasoning"] == "A.\n\nB."
    assert reasoning_block(REDACTED) == {"type": "reasoning", "extras": REDACTED}
    assert reasoning_block(OPENROUTER) == {
        "type": "reasoning",
        "reasoning": "Pairs.",
        "extras": {k: v for k, v in OPENROUTER.items() if k != "text"},
    }
    blocks = ours(ALL, reasoning="x").content_blocks
    assert [b["type"] for b in blocks] == ["reasoning"] * len(ALL)


def test_every_artifact_reads_back_byte_for_byte_from_v1_blocks():
    msg = ours(ALL, reasoning="x", extras={"call_1": GOOGLE}, tool_calls=[CALL], content="Done.")
    v1 = AIMessage(
        content=msg.content_blocks,  # what output_version="v1" stores; additional_kwargs dropped
        tool_calls=[CALL],
        response_metadata={"model_provider": "mixrouter", "output_version": "v1"},
    )
    assert artifacts(v1) == ALL
    assert call_extras(v1) == {"call_1": GOOGLE}
    sent = to_openai_messages([v1])[0]
    assert sent["reasoning_details"] == ALL and sent["tool_calls"][0]["extra_content"] == GOOGLE["extra_content"]
    assert sent["content"] == "Done."


def test_chunks_stream_text_then_each_artifact_without_its_text():
    text = AIMessageChunk(
        content="", additional_kwargs={"reasoning_content": "Gauss"}, response_metadata={"model_provider": "mixrouter"}
    )
    assert text.content_blocks == [{"type": "reasoning", "reasoning": "Gauss"}]
    closed = AIMessageChunk(
        content="",
        additional_kwargs={"reasoning_details": [THINKING]},
        response_metadata={"model_provider": "mixrouter"},
    )
    assert closed.content_blocks == [{"type": "reasoning", "extras": {"signature": "c2lnbmVk"}}]
    call = AIMessageChunk(
        content="",
        additional_kwargs={"tool_call_extras": {"call_1": GOOGLE}},
        tool_call_chunks=[{"name": "get_weather", "args": '{"ci', "id": "call_1", "index": 2}],
        response_metadata={"model_provider": "mixrouter"},
    )
    assert call.content_blocks == [
        {
            "type": "tool_call_chunk",
            "id": "call_1",
            "name": "get_weather",
            "args": '{"ci',
            "index": 2,
            "extras": {"signature": SIG},
        }
    ]


def test_registered_by_the_chat_model_import_and_not_by_the_bare_package():
    code = (
        "import sys\nimport langchain_mixrouter\nassert 'langchain_core.messages' not in sys.modules\n"
        "from langchain_mixrouter import ChatMixRouter\n"
        "from langchain_core.messages.block_translators import get_translator\n"
        "print(get_translator('mixrouter')['translate_content'].__module__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "langchain_mixrouter._blocks"


# -- finish reasons ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "raw", "kw", "expected"),
    [
        ("deepseek-chat", "stop", {}, {"normalized_finish_reason": "stop"}),
        ("deepseek-chat", "stop", {"tool_calls": True}, {"normalized_finish_reason": "tool_call"}),
        ("gpt-5.2", "tool_calls", {}, {"normalized_finish_reason": "tool_call"}),
        ("gpt-5.2", "length", {}, {"normalized_finish_reason": "length"}),
        ("gemini-2.5-flash", "content_filter", {}, {"normalized_finish_reason": "content_filter"}),
        ("gpt-5.2", "content_filter", {"refusal": True}, {"normalized_finish_reason": "refusal"}),
        ("gemini-2.5-flash", "MALFORMED_FUNCTION_CALL", {}, {"normalized_finish_reason": "error"}),
        ("kimi-k2", "something_new", {}, {"normalized_finish_reason": "other"}),
        ("claude-sonnet-4-5", "stop", {}, {"normalized_finish_reason": "stop", "finish_state": "complete"}),
        ("claude-sonnet-4-5", "pause_turn", {}, {"normalized_finish_reason": "other", "finish_state": "suspended"}),
        ("gpt-5.2", None, {}, {}),
    ],
)
def test_finish_fields(model, raw, kw, expected):
    assert finish_fields(model, raw, **kw) == expected


@pytest.mark.parametrize("model", ["deepseek-v4-pro", "claude-sonnet-4-5", "gpt-5.2-pro"])
@pytest.mark.parametrize("stream", [False, True])
def test_finish_fields_on_answers_as_core_reads_them(model, stream):
    wire = StubWire()
    llm = wire.langchain(model, thinking=True).bind_tools([get_weather])
    if stream:
        chunks = list(llm.stream("Weather in Paris?"))
        msg = chunks[0]
        for c in chunks[1:]:
            msg += c
    else:
        msg = llm.invoke("Weather in Paris?")
    meta = msg.response_metadata
    assert meta["finish_reason"] == "tool_calls" and meta["normalized_finish_reason"] == "tool_call"
    assert meta.get("finish_state") == ("complete" if model.startswith("claude") else None)
    assert meta["model_provider"] == "mixrouter"
    try:  # langchain-core >= 1.8.4 reads these fields for its message-finish event
        from langchain_core.language_models._finish_reason import _finish_fields
    except ImportError:
        return
    assert _finish_fields(meta, has_tool_calls=True)["normalized_finish_reason"] == "tool_call"
