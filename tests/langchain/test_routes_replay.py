"""One ChatMixRouter, three MixRouter endpoints: the same chain, streamed reasoning and tool loop for a chat
model (gpt-4o-mini), a Responses-only model (gpt-5.2-pro) and Claude with thinking (/v1/messages).

Replayed from cassettes recorded against ``tests/stub`` (Responses and Messages shapes inferred from OpenAI's and
Anthropic's published formats; provenance in cassettes/README.md). The stub enforces the rules the real APIs
enforce, so a recording only exists if the echo of reasoning was right.
"""

from __future__ import annotations

import json

import pytest
from langchain.agents import create_agent
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.tools import tool

from langchain_mixrouter import ChatMixRouter
from mixrouter import BadRequestError

pytestmark = pytest.mark.vcr

PROMPT = ChatPromptTemplate.from_messages([("system", "You are a helpful assistant"), ("user", "{question}")])
# (model, settings, endpoint path, whether it reasons)
MODELS = [
    pytest.param("gpt-4o-mini", {}, "/chat/completions", False, id="chat"),
    pytest.param("gpt-5.2-pro", {}, "/responses", True, id="responses"),
    pytest.param("claude-sonnet-4-5-20250929", {"thinking": True}, "/messages", True, id="messages"),
]


@tool
def get_weather(city: str) -> str:
    """Current weather for a city."""
    return json.dumps({"city": city, "temp_c": 18, "sky": "sunny"})


def _echoed_reasoning(path: str, body: dict) -> list[dict]:
    """What the second request of a tool loop sent back of the first answer's reasoning."""
    if path == "/messages":
        assistant = next(m for m in body["messages"] if m["role"] == "assistant")
        return [b for b in assistant["content"] if b["type"] == "thinking"]
    if path == "/responses":
        kinds = [i.get("type") for i in body["input"]]
        assert kinds.index("reasoning") < kinds.index("function_call")  # the reasoning item precedes its call
        return [i for i in body["input"] if i.get("type") == "reasoning"]
    return [m for m in body["messages"] if m.get("reasoning_content")]


@pytest.mark.parametrize(("model", "settings", "path", "reasons"), MODELS)
def test_chain_invoke(vcr, model, settings, path, reasons):
    answer = (PROMPT | ChatMixRouter(model=model, **settings) | StrOutputParser()).invoke({"question": "1+2+...+100=?"})
    assert answer and "The user wrote" not in answer  # the text, never the reasoning
    assert vcr.requests[0].path.endswith(path)


@pytest.mark.parametrize(("model", "settings", "path", "reasons"), MODELS)
async def test_chain_astream_with_reasoning(vcr, model, settings, path, reasons):
    llm = ChatMixRouter(model=model, **settings)
    chunks = [c async for c in (PROMPT | llm).astream({"question": "Say hello"})]
    total = chunks[0]
    for c in chunks[1:]:
        total += c
    reasoning = total.additional_kwargs.get("reasoning_content", "")
    assert bool(reasoning) is reasons and "The user wrote" not in total.text
    assert total.text  # gpt-4o-mini's answer is the stub's documented text; the others echo the prompt
    if reasons:
        assert total.text == "Hello! You said: Say hello"
    assert total.usage_metadata["total_tokens"] > 0  # usage arrives on the stream for every route
    if reasons:
        first_reasoning = next(i for i, c in enumerate(chunks) if c.additional_kwargs.get("reasoning_content"))
        first_text = next(i for i, c in enumerate(chunks) if c.text)
        assert first_reasoning < first_text
        assert total.content_blocks[0]["type"] == "reasoning"
    assert vcr.requests[0].path.endswith(path)


@pytest.mark.parametrize(("model", "settings", "path", "reasons"), MODELS)
def test_streamed_tool_loop_sends_reasoning_back(vcr, model, settings, path, reasons):
    llm = ChatMixRouter(model=model, **settings).bind_tools([get_weather])
    history = [HumanMessage("Weather in 'Paris'?")]
    first = None
    for chunk in llm.stream(history):
        first = chunk if first is None else first + chunk
    call = first.tool_calls[0]
    assert call["name"] == "get_weather" and call["args"] == {"city": "Paris"}
    history += [first, ToolMessage(get_weather.invoke(call["args"]), tool_call_id=call["id"])]
    final = llm.invoke(history)
    assert "18" in final.text and not final.tool_calls
    echoed = _echoed_reasoning(path, json.loads(vcr.requests[1].body))
    assert bool(echoed) is (reasons and path != "/chat/completions")
    if path == "/messages":  # the signed block goes back byte for byte (the stub checks the signature too)
        assert echoed == first.additional_kwargs["reasoning_details"]
    if path == "/responses":
        assert echoed[0]["encrypted_content"] == first.additional_kwargs["reasoning_details"][0]["encrypted_content"]


@pytest.mark.parametrize(("model", "settings", "path", "reasons"), MODELS)
def test_agent_tool_loop(vcr, model, settings, path, reasons):
    agent = create_agent(ChatMixRouter(model=model, **settings), tools=[get_weather])
    state = agent.invoke({"messages": [HumanMessage("Weather in 'Paris'?")]})
    kinds = [type(m).__name__ for m in state["messages"]]
    assert kinds == ["HumanMessage", "AIMessage", "ToolMessage", "AIMessage"]
    assert json.loads(state["messages"][2].content)["city"] == "Paris"
    assert "18" in state["messages"][-1].text
    assert all(r.path.endswith(path) for r in vcr.requests)
    if reasons:
        assert (
            isinstance(state["messages"][1], AIMessage) and state["messages"][1].additional_kwargs["reasoning_details"]
        )


def test_route_option_forces_an_endpoint(vcr):
    """Claude without thinking stays on /chat/completions; route="messages" sends it natively anyway."""
    ChatMixRouter(model="claude-sonnet-4-5-20250929").invoke("Hi")
    ChatMixRouter(model="claude-sonnet-4-5-20250929", route="messages").invoke("Hi")
    assert [r.path.rsplit("/", 1)[-1] for r in vcr.requests] == ["completions", "messages"]
    assert json.loads(vcr.requests[1].body)["max_tokens"] == 4096  # required there: a default is always sent


def test_responses_only_model_forced_onto_chat_fails_clearly():
    with pytest.raises(BadRequestError, match="only supported on /v1/responses"):
        ChatMixRouter(model="gpt-5.2-pro", route="chat", max_retries=0).invoke("Hi")


def test_claude_error_in_anthropic_shape_is_read():
    """A 400 in Anthropic's error shape, straight from /v1/messages: the message reaches the user."""
    llm = ChatMixRouter(
        model="claude-sonnet-4-5-20250929", thinking=True, extra_body={"thinking": {"budget_tokens": 512}}
    )
    with pytest.raises(BadRequestError, match="greater than or equal to 1024"):
        llm.invoke("Hi")
