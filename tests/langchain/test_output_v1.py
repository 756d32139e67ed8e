"""``output_version="v1"`` round-trips a tool loop on every route (chat, messages, responses) by invoke, stream,
ainvoke and astream, through the strict stub: the second request carries the first answer's artifacts exactly,
also when the history kept only the v1 content blocks. And v1 (and v0) histories written by ChatAnthropic,
ChatOpenAI (Responses) and ChatGoogleGenerativeAI reach the target vendor with their signatures intact."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from langchain_mixrouter._convert import to_openai_messages
from tests.seams import StubWire, get_weather
from tests.stub.history_rules import gemini_signature
from tests.stub.native import signature

ROUTES = {
    "deepseek-v4-pro": ({"thinking": True}, "/v1/chat/completions"),
    "gemini-3-pro-preview": ({}, "/v1/chat/completions"),
    "claude-sonnet-4-5": ({"thinking": True}, "/v1/messages"),
    "gpt-5.2-pro": ({}, "/v1/responses"),
}
MODES = ("invoke", "stream", "ainvoke", "astream")


async def _collect(stream: Any) -> list[Any]:
    return [c async for c in stream]


def call(llm: Any, messages: list[Any], mode: str) -> AIMessage:
    if mode == "invoke":
        return llm.invoke(messages)
    if mode == "ainvoke":
        return asyncio.run(llm.ainvoke(messages))
    chunks = list(llm.stream(messages)) if mode == "stream" else asyncio.run(_collect(llm.astream(messages)))
    msg = chunks[0]
    for c in chunks[1:]:
        msg += c
    return msg


def assistant_turn(path: str, body: dict[str, Any]) -> Any:
    if path == "/v1/responses":
        return body["input"]
    return next(m for m in body["messages"] if m["role"] == "assistant")


@pytest.mark.parametrize("kept", ["everything", "v1 blocks only"])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("model", sorted(ROUTES))
def test_v1_tool_loop_round_trips_the_artifacts(model, mode, kept):
    kw, path = ROUTES[model]
    wire = StubWire()
    llm = wire.langchain(model, output_version="v1", **kw).bind_tools([get_weather])
    history: list[Any] = [HumanMessage("What is the weather in Paris? Use the tool.")]
    first = call(llm, history, mode)
    assert isinstance(first.content, list) and first.response_metadata["output_version"] == "v1"
    [tc] = first.tool_calls
    details = first.additional_kwargs.get("reasoning_details") or []
    reasoning = first.additional_kwargs.get("reasoning_content")
    signed = (first.additional_kwargs.get("tool_call_extras") or {}).get(tc["id"])
    # the v1 content itself carries each artifact
    blocks = [b for b in first.content if b["type"] == "reasoning"]
    if model == "claude-sonnet-4-5":
        [thinking] = details
        assert thinking["signature"] == signature(thinking["thinking"])
        assert blocks[0]["reasoning"] == thinking["thinking"]
        assert blocks[0]["extras"] == {"signature": thinking["signature"]}
    elif model == "gpt-5.2-pro":
        [item] = details
        assert item["encrypted_content"] and blocks[0]["id"] == item["id"]
        assert blocks[0]["extras"] == {"encrypted_content": item["encrypted_content"]}
    elif model == "gemini-3-pro-preview":
        assert signed == {"extra_content": {"google": {"thought_signature": gemini_signature(tc["id"])}}}
        [block] = [b for b in first.content if b["type"] == "tool_call"]
        assert block["extras"] == {"signature": gemini_signature(tc["id"])}
    else:
        assert reasoning and blocks[0]["reasoning"] == reasoning

    if kept == "v1 blocks only":  # a history stored as content only: the blocks alone must carry everything
        first = AIMessage(content=first.content, tool_calls=first.tool_calls, response_metadata=first.response_metadata)
    history += [first, ToolMessage(get_weather.invoke(tc["args"]), tool_call_id=tc["id"])]
    second = call(llm, history, mode)
    assert second.text and not second.tool_calls
    sent_path, body = wire.requests[-1]
    assert sent_path == path
    turn = assistant_turn(path, body)
    if model == "claude-sonnet-4-5":
        assert turn["content"][0] == thinking  # first in the turn, byte for byte (the stub checks the HMAC)
    elif model == "gpt-5.2-pro":
        assert [i for i in turn if i.get("type") == "reasoning"] == [item]
    elif model == "gemini-3-pro-preview":
        assert turn["tool_calls"][0]["extra_content"] == signed["extra_content"]
    else:
        assert turn["reasoning_content"] == reasoning


# -- histories written by other integrations ------------------------------------------------------------------------

THOUGHT = "The user wants Paris weather; I will call get_weather."
QUESTION = HumanMessage("What is the weather in Paris? Use the tool.")


def _loop(model: str, ai: AIMessage, **kw: Any) -> tuple[str, dict[str, Any]]:
    wire = StubWire()
    llm = wire.langchain(model, **kw).bind_tools([get_weather])
    answer = llm.invoke([QUESTION, ai, ToolMessage("18C", tool_call_id=ai.tool_calls[0]["id"])])
    assert answer.text
    return wire.requests[-1]


def _calls(call_id: str) -> list[dict[str, Any]]:
    return [{"name": "get_weather", "args": {"city": "Paris"}, "id": call_id, "type": "tool_call"}]


CLAUDE_V1 = AIMessage(  # ChatAnthropic(output_version="v1"), as langchain-core's anthropic translator writes it
    content=[
        {"type": "reasoning", "reasoning": THOUGHT, "extras": {"signature": signature(THOUGHT)}},
        {"type": "text", "text": "Let me check."},
        {"type": "tool_call", "id": "toolu_01A", "name": "get_weather", "args": {"city": "Paris"}},
    ],
    tool_calls=_calls("toolu_01A"),
    response_metadata={"model_provider": "anthropic", "output_version": "v1", "stop_reason": "tool_use"},
)
CLAUDE_V0 = AIMessage(  # ChatAnthropic's default content
    content=[
        {"type": "thinking", "thinking": THOUGHT, "signature": signature(THOUGHT)},
        {"type": "text", "text": "Let me check."},
        {"type": "tool_use", "id": "toolu_01A", "name": "get_weather", "input": {"city": "Paris"}},
    ],
    tool_calls=_calls("toolu_01A"),
    response_metadata={"model_provider": "anthropic"},
)


@pytest.mark.parametrize("ai", [CLAUDE_V1, CLAUDE_V0], ids=["v1", "v0"])
def test_a_chatanthropic_history_goes_back_to_claude_signed(ai):
    path, body = _loop("claude-sonnet-4-5", ai, thinking=True)
    assert path == "/v1/messages" and body["thinking"]["type"] in ("enabled", "adaptive")
    turn = body["messages"][1]
    assert turn["role"] == "assistant"
    assert turn["content"][0] == {"type": "thinking", "thinking": THOUGHT, "signature": signature(THOUGHT)}
    assert [b["type"] for b in turn["content"]] == ["thinking", "text", "tool_use"]


def test_a_redacted_block_from_chatanthropic_v1_is_kept():
    redacted = {"type": "redacted_thinking", "data": "b3BhcXVl"}
    ai = CLAUDE_V1.model_copy(update={"content": [{"type": "non_standard", "value": redacted}, *CLAUDE_V1.content]})
    sent = to_openai_messages([ai])[0]
    assert sent["reasoning_details"] == [
        redacted,
        {"type": "thinking", "thinking": THOUGHT, "signature": signature(THOUGHT)},
    ]


ITEM = {
    "type": "reasoning",
    "id": "rs_68c1",
    "summary": [{"type": "summary_text", "text": "Need the weather."}, {"type": "summary_text", "text": "Call it."}],
    "encrypted_content": "Z0FBQUFBQm9fZW5j",
}
OPENAI_V1 = AIMessage(  # ChatOpenAI(use_responses_api=True, output_version="v1"): one block per summary part
    content=[
        {
            "type": "reasoning",
            "id": "rs_68c1",
            "reasoning": "Need the weather.",
            "index": "lc_rs_305f30",
            "extras": {"encrypted_content": ITEM["encrypted_content"]},
        },
        {"type": "reasoning", "id": "rs_68c1", "reasoning": "Call it.", "index": "lc_rs_305f31"},
        {
            "type": "tool_call",
            "id": "call_Wx1",
            "name": "get_weather",
            "args": {"city": "Paris"},
            "extras": {"item_id": "fc_68c2"},
        },
    ],
    tool_calls=_calls("call_Wx1"),
    response_metadata={"model_provider": "openai", "output_version": "v1"},
)
OPENAI_RESPONSES_V1 = AIMessage(  # ChatOpenAI's default Responses content ("responses/v1")
    content=[
        {**ITEM, "index": 0},
        {
            "type": "function_call",
            "call_id": "call_Wx1",
            "id": "fc_68c2",
            "name": "get_weather",
            "arguments": '{"city": "Paris"}',
            "index": 1,
        },
    ],
    tool_calls=_calls("call_Wx1"),
    response_metadata={"model_provider": "openai"},
)
OPENAI_V03 = AIMessage(  # ChatOpenAI output_version="v0": the item in additional_kwargs
    content="",
    additional_kwargs={"reasoning": {k: v for k, v in ITEM.items() if k != "type"}},
    tool_calls=_calls("call_Wx1"),
    response_metadata={"model_provider": "openai"},
)


@pytest.mark.parametrize("ai", [OPENAI_V1, OPENAI_RESPONSES_V1, OPENAI_V03], ids=["v1", "responses/v1", "v0"])
def test_a_chatopenai_responses_history_goes_back_with_its_encrypted_item(ai):
    path, body = _loop("gpt-5.2-pro", ai)
    assert path == "/v1/responses"
    assert [i for i in body["input"] if i.get("type") == "reasoning"] == [ITEM]
    kinds = [i.get("type", "message") for i in body["input"]]
    assert kinds.index("reasoning") < kinds.index("function_call")


def _gemini(call_id: str, **kw: Any) -> AIMessage:
    return AIMessage(
        tool_calls=_calls(call_id), response_metadata={"model_provider": "google_genai", **kw.pop("meta", {})}, **kw
    )


GEMINI_CASES = {
    # langchain-google-genai keeps function-call signatures beside the calls, in v0 and v1 alike
    "signature map": lambda c: _gemini(
        c, content=[], additional_kwargs={"__gemini_function_call_thought_signatures__": {c: gemini_signature(c)}}
    ),
    "v1 tool_call extras": lambda c: _gemini(
        c,
        content=[
            {
                "type": "tool_call",
                "id": c,
                "name": "get_weather",
                "args": {"city": "Paris"},
                "extras": {"signature": gemini_signature(c)},
            }
        ],
        meta={"output_version": "v1"},
    ),
    "sidecar block": lambda c: _gemini(
        c, content=[{"type": "function_call_signature", "signature": gemini_signature(c), "index": 0}]
    ),
}


@pytest.mark.parametrize("case", sorted(GEMINI_CASES))
def test_a_chatgooglegenerativeai_history_goes_back_to_gemini_signed(case):
    ai = GEMINI_CASES[case]("call_9f2e")
    _, body = _loop("gemini-3-pro-preview", ai)
    turn = next(m for m in body["messages"] if m["role"] == "assistant")
    assert turn["tool_calls"][0]["extra_content"] == {"google": {"thought_signature": gemini_signature("call_9f2e")}}


def test_a_gemini_thought_signature_on_reasoning_is_not_taken_for_claudes():
    ai = _gemini(
        "call_9f2e",
        content=[{"type": "reasoning", "reasoning": THOUGHT, "extras": {"signature": "R2VtaW5pVGhvdWdodA=="}}],
        meta={"output_version": "v1"},
    )
    sent = to_openai_messages([ai])[0]
    assert "reasoning_details" not in sent and sent["reasoning_content"] == THOUGHT
