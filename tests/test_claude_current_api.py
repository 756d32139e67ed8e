"""Claude's thinking and structured output follow Anthropic's current API per model, from the user's side.

Older Claude (Sonnet 4.5, Opus 4.5, Sonnet 4, 3.7) keeps ``thinking: {"type": "enabled", "budget_tokens": N}``;
Opus/Sonnet 4.6 and later take ``thinking: {"type": "adaptive"}`` with ``output_config.effort``, and from Opus 4.7
on ``display: "summarized"`` (Anthropic's default there hides the thinking text). Newer Claude on ``/v1/messages``
answers structured output through ``output_config.format``. The catalogue decides per model id, so an id MixRouter
does not list yet (claude-sonnet-4-7, claude-opus-5) gets the same. Every case runs both faces against the strict
stub (``tests/stub/native.py``, ``vendor_rules.claude_problem``: Anthropic's 400 for what the model refuses) and
asserts the exact body it received.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from llama_index.core.base.llms.types import ChatMessage
from llama_index.core.prompts import PromptTemplate
from pydantic import BaseModel, Field

from mixrouter import BadRequestError
from mixrouter.models import get_model_info
from tests.seams import StubWire, system_text

PROMPT = "Extract the person: 'Alice' is 30 years old."
FRAME = {"model", "messages", "stream", "system"}  # checked apart from the rest of the body


class Person(BaseModel):
    """A person mentioned in the text."""

    name: str
    age: int


ALICE = Person(name="Alice", age=30)
PERSON_SCHEMA = {  # what Anthropic's output_config.format gets for Person: the object closed
    "description": "A person mentioned in the text.",
    "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
    "required": ["name", "age"],
    "title": "Person",
    "type": "object",
    "additionalProperties": False,
}  # as LangChain's convert_to_json_schema writes it; LlamaIndex sends pydantic's, property titles kept
PERSON_SCHEMA_LLAMA = {**Person.model_json_schema(), "additionalProperties": False}


# -- the catalogue decides per model id -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("model", "mode", "efforts", "display", "native"),
    [
        # listed by MixRouter: budget thinking as before; Opus 4.5 also takes output_config.effort (documented)
        ("claude-sonnet-4-5-20250929", "budget", (), None, False),
        ("claude-opus-4-5-20251101", "budget", ("low", "medium", "high"), None, False),
        ("claude-sonnet-4-20250514", "budget", (), None, False),
        ("claude-opus-4-20250514", "budget", (), None, False),
        # not listed: chosen from the id
        ("claude-3-7-sonnet-20250219", "budget", (), None, False),
        ("claude-haiku-4-5", "budget", (), None, False),
        ("claude-sonnet-4-6", "adaptive", ("low", "medium", "high", "max"), None, True),
        ("claude-opus-4-6", "adaptive", ("low", "medium", "high", "max"), None, True),
        ("claude-opus-4-7", "adaptive_only", ("low", "medium", "high", "xhigh", "max"), "summarized", True),
        ("claude-sonnet-4-7", "adaptive_only", ("low", "medium", "high", "xhigh", "max"), "summarized", True),
        ("claude-opus-5", "adaptive_only", ("low", "medium", "high", "xhigh", "max"), "summarized", True),
        ("claude-opus-5-20270101", "adaptive_only", ("low", "medium", "high", "xhigh", "max"), "summarized", True),
        ("claude-mythos-preview", "adaptive_only", ("low", "medium", "high", "max"), "summarized", True),
    ],
)
def test_the_catalogue_picks_claudes_thinking_and_structured_output_from_the_id(model, mode, efforts, display, native):
    info = get_model_info(model)
    assert info.family == "anthropic" and info.thinking == "budget"
    assert (info.claude_thinking, info.effort_levels, info.thinking_display) == (mode, efforts, display)
    assert info.native_json_schema is native
    assert info.structured_method(True) == ("json_schema" if native else "json_mode")  # thinking: /v1/messages
    assert info.structured_method(False) == "function_calling"  # thinking off: chat completions, a forced tool
    assert info.structured_method(False, "messages") == ("json_schema" if native else "function_calling")


# -- thinking: the exact body, both faces, invoke and stream ---------------------------------------------------------
# (model, settings, the body apart from FRAME)
THINKING = [
    (
        "claude-sonnet-4-5-20250929",
        {"thinking": True},
        {"thinking": {"type": "enabled", "budget_tokens": 1024}, "max_tokens": 5120},
    ),
    (
        "claude-sonnet-4-5-20250929",
        {"thinking_budget": 2048},
        {"thinking": {"type": "enabled", "budget_tokens": 2048}, "max_tokens": 6144},
    ),
    (
        "claude-3-7-sonnet-20250219",
        {"thinking": True},
        {"thinking": {"type": "enabled", "budget_tokens": 1024}, "max_tokens": 5120},
    ),
    (
        "claude-opus-4-5-20251101",
        {"thinking": True, "reasoning_effort": "low"},
        {
            "thinking": {"type": "enabled", "budget_tokens": 1024},
            "output_config": {"effort": "low"},
            "max_tokens": 5120,
        },
    ),
    ("claude-sonnet-4-6", {"thinking": True}, {"thinking": {"type": "adaptive"}, "max_tokens": 16000}),
    (
        "claude-sonnet-4-6",
        {"reasoning_effort": "medium"},
        {"thinking": {"type": "adaptive"}, "output_config": {"effort": "medium"}, "max_tokens": 16000},
    ),
    (
        "claude-opus-4-7",
        {"thinking": True, "reasoning_effort": "xhigh"},
        {
            "thinking": {"type": "adaptive", "display": "summarized"},
            "output_config": {"effort": "xhigh"},
            "max_tokens": 16000,
        },
    ),
    (
        "claude-opus-5",
        {"thinking": True, "max_tokens": 3000},
        {"thinking": {"type": "adaptive", "display": "summarized"}, "max_tokens": 3000},
    ),
]
THINKING_IDS = [f"{m}-{'-'.join(f'{k}={v}' for k, v in s.items())}" for m, s, _ in THINKING]


def _rest(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in FRAME}


@pytest.mark.parametrize(("model", "settings", "rest"), THINKING, ids=THINKING_IDS)
@pytest.mark.parametrize("entry", ["invoke", "stream", "ainvoke"])
async def test_langchain_thinking_per_model(model, settings, rest, entry):
    wire = StubWire()
    llm = wire.langchain(model, **settings)
    if entry == "invoke":
        msg = llm.invoke("Is 5050 prime?")
    elif entry == "ainvoke":
        msg = await llm.ainvoke("Is 5050 prime?")
    else:
        chunks = list(llm.stream("Is 5050 prime?"))
        msg = chunks[0]
        for chunk in chunks[1:]:
            msg += chunk
    assert wire.last_path == "/v1/messages"
    assert _rest(wire.last) == rest and wire.last["stream"] is (entry == "stream")
    # The reasoning comes back as text: on Opus 4.7 on only because display "summarized" was asked.
    assert msg.additional_kwargs.get("reasoning_content") and msg.text
    block = msg.additional_kwargs["reasoning_details"][0]
    assert block["type"] == "thinking" and block["signature"]


@pytest.mark.parametrize(("model", "settings", "rest"), THINKING, ids=THINKING_IDS)
@pytest.mark.parametrize("entry", ["chat", "stream_chat"])
def test_llama_thinking_per_model(model, settings, rest, entry):
    wire = StubWire()
    llm = wire.llama(model, **settings)
    msgs = [ChatMessage(role="user", content="Is 5050 prime?")]
    if entry == "chat":
        reasoning = llm.chat(msgs).message.blocks[0].content
    else:
        reasoning = "".join(r.additional_kwargs.get("thinking_delta") or "" for r in llm.stream_chat(msgs))
    assert wire.last_path == "/v1/messages"
    assert _rest(wire.last) == rest and wire.last["stream"] is (entry == "stream_chat")
    assert reasoning


def test_a_tool_loop_with_adaptive_thinking_sends_the_signed_block_back():
    from langchain_core.messages import HumanMessage, ToolMessage

    from tests.seams import get_weather

    wire = StubWire()
    bound = wire.langchain("claude-opus-4-7", reasoning_effort="low").bind_tools([get_weather])
    history: list[Any] = [HumanMessage("Weather in 'Paris'?")]
    first = bound.invoke(history)
    call = first.tool_calls[0]
    history += [first, ToolMessage(get_weather.invoke(call["args"]), tool_call_id=call["id"])]
    assert bound.invoke(history).text  # the stub refuses a tool turn without its signed thinking block
    assert wire.last["messages"][1]["content"][0]["type"] == "thinking"


def test_thinking_off_on_newer_claude():
    wire = StubWire()
    wire.langchain("claude-sonnet-4-6", route="messages", thinking=False).invoke("hi")
    assert wire.last["thinking"] == {"type": "disabled"}
    wire.langchain("claude-opus-4-7", route="messages", thinking=False).invoke("hi")
    assert "thinking" not in wire.last and "output_config" not in wire.last  # no flag: no thinking there


# -- a budget on an adaptive model: sent with a warning on 4.6, refused where Anthropic refuses it -------------------
def _budget_warnings(face: str) -> tuple[StubWire, list[warnings.WarningMessage]]:
    wire = StubWire()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if face == "langchain":
            wire.langchain("claude-sonnet-4-6", thinking_budget=2048).invoke("hi")
        else:
            wire.llama("claude-opus-4-6", thinking_budget=2048).chat([ChatMessage(role="user", content="hi")])
    return wire, [w for w in caught if issubclass(w.category, FutureWarning) and "budget_tokens" in str(w.message)]


@pytest.mark.parametrize("face", ["langchain", "llama"])
def test_a_budget_on_claude_4_6_is_sent_as_asked_with_a_warning(face):
    wire, mine = _budget_warnings(face)
    assert wire.last["thinking"] == {"type": "enabled", "budget_tokens": 2048}  # Anthropic still takes it on 4.6
    assert len(mine) == 1 and "budget_tokens is deprecated" in str(mine[0].message)
    assert "effort='low'|'medium'|'high'|'max'" in str(mine[0].message)


def test_the_budget_warning_points_at_the_users_line_langchain():
    _, mine = _budget_warnings("langchain")
    assert mine[0].filename == __file__


def test_the_budget_warning_points_at_the_users_line_llama():
    _, mine = _budget_warnings("llama")
    assert mine[0].filename == __file__


@pytest.mark.parametrize("model", ["claude-opus-4-7", "claude-opus-5"])
def test_a_budget_on_an_adaptive_only_model_is_refused_before_sending(model):
    wire = StubWire()
    with pytest.raises(ValueError, match=r"adaptive thinking only.*effort='low'\|'medium'\|'high'\|'xhigh'\|'max'"):
        wire.langchain(model, thinking_budget=4096).invoke("hi")
    with pytest.raises(ValueError, match=r"adaptive thinking only"):
        wire.llama(model).chat([ChatMessage(role="user", content="hi")], thinking_budget=4096)
    assert wire.requests == []


@pytest.mark.parametrize(
    ("model", "effort", "message"),
    [
        ("claude-sonnet-4-5-20250929", "low", "has no reasoning effort levels"),
        ("claude-sonnet-4-6", "xhigh", r"accepts effort \['low', 'medium', 'high', 'max'\], not 'xhigh'"),
        ("claude-opus-4-5-20251101", "max", r"accepts effort \['low', 'medium', 'high'\], not 'max'"),
    ],
)
def test_an_effort_the_model_does_not_take_is_refused_before_sending(model, effort, message):
    wire = StubWire()
    with pytest.raises(ValueError, match=message):
        wire.langchain(model).invoke("hi", reasoning_effort=effort)
    assert wire.requests == []


# -- the stub refuses what Anthropic refuses (so a green test above means the body was right) ------------------------
@pytest.mark.parametrize(
    ("model", "extra_body", "says"),
    [
        ("claude-sonnet-4-5-20250929", {"thinking": {"type": "adaptive"}}, "adaptive thinking is not supported"),
        ("claude-opus-4-7", {"thinking": {"type": "enabled", "budget_tokens": 2048}}, '"thinking.type.enabled" is not'),
        ("claude-sonnet-4-5-20250929", {"output_config": {"effort": "low"}}, "effort is not supported"),
        ("claude-sonnet-4-6", {"output_config": {"effort": "xhigh"}}, "output_config.effort: Input should be"),
        (
            "claude-sonnet-4-20250514",
            {"output_config": {"format": {"type": "json_schema", "schema": {"type": "string"}}}},
            "structured outputs are not supported",
        ),
        (
            "claude-sonnet-4-6",
            {"output_config": {"format": {"type": "json_schema", "schema": {"type": "object", "properties": {}}}}},
            "'additionalProperties' must be explicitly set to false",
        ),
    ],
)
def test_the_stub_answers_a_refused_claude_body_with_anthropics_400(model, extra_body, says):
    wire = StubWire()
    with pytest.raises(BadRequestError, match=says):
        wire.langchain(model, route="messages").invoke("hi", extra_body=extra_body)
    assert wire.last_path == "/v1/messages"


def test_on_chat_completions_newer_claude_gets_the_same_anthropic_fields_inferred():
    wire = StubWire()
    wire.langchain("claude-sonnet-4-6", route="chat", reasoning_effort="low").invoke("hi")
    assert wire.last_path == "/v1/chat/completions"
    assert wire.last["thinking"] == {"type": "adaptive"} and wire.last["output_config"] == {"effort": "low"}
    wire.langchain("claude-sonnet-4-5-20250929", route="chat", thinking=True).invoke("hi")
    assert wire.last["thinking"] == {"type": "enabled", "budget_tokens": 1024} and "output_config" not in wire.last
    with pytest.raises(
        BadRequestError, match=r'"thinking\.type\.enabled" is not supported'
    ):  # the rule holds there too
        wire.langchain("claude-opus-4-7", route="chat").invoke("hi", extra_body={"thinking": {"type": "enabled"}})


# -- structured output: native output_config.format on newer Claude -------------------------------------------------
NATIVE = [
    ("claude-sonnet-4-6", {"thinking": True}, {"type": "adaptive"}),
    ("claude-opus-4-7", {"reasoning_effort": "low"}, {"type": "adaptive", "display": "summarized"}),
    ("claude-sonnet-4-7", {"thinking": True}, {"type": "adaptive", "display": "summarized"}),
]


def _native_body(
    thinking: dict[str, Any], effort: str | None, schema: dict[str, Any] = PERSON_SCHEMA
) -> dict[str, Any]:
    config: dict[str, Any] = {"effort": effort} if effort else {}
    config["format"] = {"type": "json_schema", "schema": schema}
    return {"thinking": thinking, "output_config": config, "max_tokens": 16000}


@pytest.mark.parametrize(("model", "settings", "thinking"), NATIVE, ids=[m for m, _, _ in NATIVE])
@pytest.mark.parametrize("mode", ["invoke", "stream", "include_raw"])
def test_langchain_with_structured_output_on_newer_claude_is_output_config_format(model, settings, thinking, mode):
    wire = StubWire()
    llm = wire.langchain(model, **settings)
    if mode == "invoke":
        assert llm.with_structured_output(Person).invoke(PROMPT) == ALICE
    elif mode == "stream":
        assert list(llm.with_structured_output(Person).stream(PROMPT))[-1] == ALICE
    else:
        raw = llm.with_structured_output(Person, include_raw=True).invoke(PROMPT)
        assert raw["parsed"] == ALICE and raw["parsing_error"] is None
        assert raw["raw"].response_metadata["structured_output_method"] == "json_schema"  # the label
        assert raw["raw"].text == '{"name": "Alice", "age": 30}'  # enforced: bare JSON, no fence
    assert wire.last_path == "/v1/messages"
    assert _rest(wire.last) == _native_body(thinking, settings.get("reasoning_effort"))
    assert "JSON schema" not in system_text(wire.last)  # not the prompt-only path any more
    assert "tools" not in wire.last


LI_PROMPT = PromptTemplate("Extract the person: {text}")


@pytest.mark.parametrize(("model", "settings", "thinking"), NATIVE, ids=[m for m, _, _ in NATIVE])
async def test_llama_structured_predict_on_newer_claude_is_output_config_format(model, settings, thinking):
    wire = StubWire()
    llm = wire.llama(model, **settings)
    expected = _native_body(thinking, settings.get("reasoning_effort"), PERSON_SCHEMA_LLAMA)
    assert llm.structured_predict(Person, LI_PROMPT, text="'Alice' is 30 years old.") == ALICE
    assert wire.last_path == "/v1/messages" and _rest(wire.last) == expected
    assert await llm.astructured_predict(Person, LI_PROMPT, text="'Alice' is 30 years old.") == ALICE
    parts = list(llm.stream_structured_predict(Person, LI_PROMPT, text="'Alice' is 30 years old."))
    assert parts[-1] == ALICE and all(p is not None for p in parts)
    assert _rest(wire.last) == expected and wire.last["stream"] is True


def test_route_messages_with_thinking_off_uses_output_config_format_too():
    wire = StubWire()
    out = wire.langchain("claude-opus-4-6", route="messages").with_structured_output(Person).invoke(PROMPT)
    assert out == ALICE
    assert _rest(wire.last) == {
        "output_config": {"format": {"type": "json_schema", "schema": PERSON_SCHEMA}},
        "max_tokens": 4096,
    }


def test_older_claude_keeps_its_structured_output_path():
    wire = StubWire()
    assert (
        wire.langchain("claude-sonnet-4-5-20250929", thinking=True).with_structured_output(Person).invoke(PROMPT)
        == ALICE
    )
    assert "output_config" not in wire.last and "matches this JSON schema" in system_text(wire.last)
    assert wire.langchain("claude-sonnet-4-6").with_structured_output(Person).invoke(PROMPT) == ALICE
    assert wire.last_path == "/v1/chat/completions"  # thinking off: chat completions, a forced tool as before
    assert wire.last["tool_choice"] == {"type": "function", "function": {"name": "Person"}}


class Team(BaseModel):
    """A team."""

    name: str
    size: int = Field(ge=1, le=12)
    members: list[Person]


def test_a_nested_schema_is_closed_everywhere_and_unsupported_constraints_move_to_the_description():
    wire = StubWire()
    llm = wire.langchain("claude-sonnet-4-6", thinking=True)
    assert isinstance(llm.with_structured_output(Team).invoke("Team 'Reds' of 2: 'Alice' is 30."), Team)
    schema = wire.last["output_config"]["format"]["schema"]
    assert (
        schema["additionalProperties"] is False
        and schema["properties"]["members"]["items"]["additionalProperties"] is False
    )
    assert schema["properties"]["size"] == {"type": "integer", "description": "{maximum: 12, minimum: 1}"}
    out = llm.with_structured_output(Team.model_json_schema()).invoke("Team 'Reds' of 2: 'Alice' is 30.")  # a dict
    assert set(out) == {"name", "size", "members"}
    schema = wire.last["output_config"]["format"]["schema"]
    assert schema["$defs"]["Person"]["additionalProperties"] is False and schema["additionalProperties"] is False


def test_create_agent_response_format_on_newer_claude_goes_native():
    from langchain.agents import create_agent

    wire = StubWire()
    agent = create_agent(model=wire.langchain("claude-sonnet-4-6", thinking=True), response_format=Person)
    state = agent.invoke({"messages": [{"role": "user", "content": PROMPT}]})
    assert state["structured_response"] == ALICE
    assert wire.last["output_config"]["format"]["type"] == "json_schema"
