"""``ChatMixRouter.profile``: every key langchain-core's ``ModelProfile`` declares is filled, and every capability it
claims is proven by a real call against the loopback stub (tests/stub) for a representative model of each family
and route. A claimed key with no check here fails, so a new claim cannot land untested. create_agent and
SummarizationMiddleware read the profile: both are run with it.
"""

from __future__ import annotations

import base64
import json
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_type_hints

import httpx
import pytest
from langchain_core.language_models import ModelProfile
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.tools import tool
from pydantic import BaseModel

from langchain_mixrouter import ChatMixRouter
from mixrouter import get_model_info
from tests.stub.server import serve

KEY = "test-key-profile-0123456789"
DATA = Path(__file__).resolve().parent.parent / "data"
PNG_B64 = base64.b64encode((DATA / "gradient_16x16.png").read_bytes()).decode()
PDF_B64 = base64.b64encode((DATA / "dummy.pdf").read_bytes()).decode()
VIDEO_URL = "https://example.com/clip.mp4"
IMAGE_URL = "https://example.com/picture.png"


def _wav() -> str:
    """A tenth of a second of silence as a WAV file, base64."""
    frames = b"\0\0" * 1600
    header = b"RIFF" + struct.pack("<I", 36 + len(frames)) + b"WAVEfmt "
    header += struct.pack("<IHHIIHH", 16, 1, 1, 16000, 32000, 2, 16) + b"data" + struct.pack("<I", len(frames))
    return base64.b64encode(header + frames).decode()


WAV_B64 = _wav()

# (model, ChatMixRouter settings): one or more per family, and each route.
REPRESENTATIVES: list[tuple[str, dict[str, Any]]] = [
    ("gpt-4.1", {}),
    ("gpt-5.1", {}),
    ("gpt-5.2-pro", {}),  # /v1/responses
    ("gpt-4o-audio-preview", {}),
    ("claude-sonnet-4-5-20250929", {}),
    ("claude-sonnet-4-5-20250929", {"thinking": True}),  # /v1/messages
    ("claude-sonnet-4-5-20250929", {"route": "messages"}),
    ("gemini-2.5-flash", {}),
    ("gemini-2.5-flash-image-preview", {}),
    ("deepseek-chat", {}),
    ("deepseek-v4-pro", {}),
    ("qwen3-max", {}),
    ("qwen3-omni-flash-2025-12-01", {}),
    ("kimi-k2-0905", {}),
    ("kimi-k2-thinking", {}),
    ("glm-4.6", {}),
    ("glm-4.6v", {}),
    ("minimax-m2", {}),
    ("grok-4", {}),
    ("doubao-seed-1-6-thinking-250715", {}),
    ("ernie-x1-32k", {}),
    ("hunyuan-t1-latest", {}),
    ("SparkDesk-v4.0", {}),
    ("Ling-1T", {}),
    ("step-3", {}),
    ("SenseNova-V6-Pro", {}),
]
IDS = [m + "".join(f"[{k}={v}]" for k, v in kw.items()) for m, kw in REPRESENTATIVES]


class Recorder(httpx.HTTPTransport):
    """A real HTTP transport to the loopback stub that keeps each request's JSON body."""

    def __init__(self) -> None:
        super().__init__()
        self.bodies: list[dict[str, Any]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        if request.content:
            self.bodies.append(json.loads(request.content))
        return super().handle_request(request)


@pytest.fixture(scope="module")
def stub_url() -> Iterator[str]:
    server, url = serve()
    yield url
    server.shutdown()


@pytest.fixture
def make(stub_url: str):
    def build(model: str, **kw: Any) -> tuple[ChatMixRouter, Recorder]:
        rec = Recorder()
        llm = ChatMixRouter(
            model=model, api_key=KEY, base_url=stub_url, max_retries=0, http_client=httpx.Client(transport=rec), **kw
        )
        return llm, rec

    return build


def _dicts(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for v in value.values():
            yield from _dicts(v)
    elif isinstance(value, list):
        for v in value:
            yield from _dicts(v)


def _sent_part(rec: Recorder, types: set[str], payload: str) -> bool:
    """Whether the last request carries a content part of one of ``types`` holding ``payload``."""
    return any(d.get("type") in types and payload in json.dumps(d) for d in _dicts(rec.bodies[-1]))


def _text(msg: AIMessage) -> str:
    return msg.text if isinstance(msg.text, str) else msg.text()


@tool
def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


class Sum(BaseModel):
    total: int


IMAGE_PARTS = {"image_url", "input_image", "image"}


# -- one check per ModelProfile key that can be claimed True ------------------------------------------------------
def check_text_inputs(make, model, kw):
    llm, rec = make(model, **kw)
    llm.invoke("Say hello.")
    assert "Say hello." in json.dumps(rec.bodies[-1])


def check_text_outputs(make, model, kw):
    llm, _ = make(model, **kw)
    assert _text(llm.invoke("Say hello."))


def check_image_inputs(make, model, kw):
    llm, rec = make(model, **kw)
    block = {"type": "image", "base64": PNG_B64, "mime_type": "image/png"}
    llm.invoke([HumanMessage([{"type": "text", "text": "What is in this picture?"}, block])])
    assert _sent_part(rec, IMAGE_PARTS, PNG_B64[:64])


def check_image_url_inputs(make, model, kw):
    llm, rec = make(model, **kw)
    llm.invoke([HumanMessage([{"type": "text", "text": "Describe it."}, {"type": "image", "url": IMAGE_URL}])])
    assert _sent_part(rec, IMAGE_PARTS, IMAGE_URL)


def check_pdf_inputs(make, model, kw):
    llm, rec = make(model, **kw)
    block = {"type": "file", "base64": PDF_B64, "mime_type": "application/pdf", "filename": "dummy.pdf"}
    llm.invoke([HumanMessage([{"type": "text", "text": "Summarise this document."}, block])])
    assert _sent_part(rec, {"file", "input_file", "document"}, PDF_B64[:64])


def check_audio_inputs(make, model, kw):
    llm, rec = make(model, **kw)
    block = {"type": "audio", "base64": WAV_B64, "mime_type": "audio/wav"}
    llm.invoke([HumanMessage([{"type": "text", "text": "Describe this audio."}, block])])
    assert _sent_part(rec, {"input_audio", "audio_url"}, WAV_B64[:64])


def check_video_inputs(make, model, kw):
    llm, rec = make(model, **kw)
    llm.invoke([HumanMessage([{"type": "text", "text": "Describe this clip."}, {"type": "video", "url": VIDEO_URL}])])
    assert _sent_part(rec, {"video_url"}, VIDEO_URL)


def _tool_history(block: dict[str, Any]) -> list[Any]:
    call = {"name": "add", "args": {"a": 1, "b": 2}, "id": "call_1", "type": "tool_call"}
    return [
        HumanMessage("Add 1 and 2, then show me the result."),
        AIMessage("", tool_calls=[call]),
        ToolMessage([{"type": "text", "text": "3"}, block], tool_call_id="call_1"),
    ]


def _tool_result_carries(rec: Recorder, types: set[str], payload: str) -> None:
    """The last request carries the tool result's part (``payload``) as the tool result on /v1/messages and
    /v1/responses, and on chat completions (tool messages take text only) in the user message after it naming the
    call; never as JSON text in the tool message."""
    body = rec.bodies[-1]
    if "input" in body:  # /v1/responses
        holder = next(i for i in body["input"] if i.get("type") == "function_call_output")["output"]
    elif "system" in body or any(  # /v1/messages
        isinstance(m.get("content"), list) and any(b.get("type") == "tool_result" for b in m["content"])
        for m in body["messages"]
    ):
        turn = body["messages"][-1]["content"]
        holder = next(b for b in turn if b.get("type") == "tool_result")["content"]
    else:  # chat completions
        roles = [m["role"] for m in body["messages"]]
        at = roles.index("tool")
        assert body["messages"][at]["content"] == "3", "the tool message keeps the text only"
        follow = body["messages"][at + 1]
        assert follow["role"] == "user" and "call_1" in follow["content"][0]["text"]
        holder = follow["content"]
    assert any(isinstance(p, dict) and p.get("type") in types and payload in json.dumps(p) for p in holder), holder


def check_image_tool_message(make, model, kw):
    llm, rec = make(model, **kw)
    llm.bind_tools([add]).invoke(_tool_history({"type": "image", "base64": PNG_B64, "mime_type": "image/png"}))
    assert _sent_part(rec, IMAGE_PARTS, PNG_B64[:64])
    _tool_result_carries(rec, IMAGE_PARTS, PNG_B64[:64])


def check_pdf_tool_message(make, model, kw):
    llm, rec = make(model, **kw)
    block = {"type": "file", "base64": PDF_B64, "mime_type": "application/pdf", "filename": "dummy.pdf"}
    llm.bind_tools([add]).invoke(_tool_history(block))
    assert _sent_part(rec, {"file", "input_file", "document"}, PDF_B64[:64])
    _tool_result_carries(rec, {"file", "input_file", "document"}, PDF_B64[:64])


def check_reasoning_output(make, model, kw):
    info = get_model_info(model)
    settings = dict(kw)
    if not info.always_thinks and "thinking" not in settings:
        settings["thinking"] = True
    if info.thinking == "effort":
        settings.pop("thinking", None)
        settings["reasoning_effort"] = "high"
    llm, rec = make(model, **settings)
    msg = llm.invoke("Think step by step: what is 17 * 23?")
    if info.family == "openai" and rec.bodies[-1].get("messages"):
        # OpenAI's chat completions keep the reasoning hidden (only a token count, which the stub's fake model does
        # not invent): the flag is checked on the wire; reasoning coming back is checked on /v1/responses.
        assert rec.bodies[-1].get("reasoning_effort") == "high"
        return
    if model in STUB_HAS_NO_REASONING:
        return  # the call above went through; see STUB_HAS_NO_REASONING
    streamed = None
    for chunk in llm.stream("Think step by step: what is 17 * 23?"):
        streamed = chunk if streamed is None else streamed + chunk
    for answer in (msg, streamed):  # both ways
        details = (answer.usage_metadata or {}).get("output_token_details") or {}
        blocks = [b for b in answer.content_blocks if b.get("type") == "reasoning"]
        if answer.additional_kwargs.get("reasoning_content") or blocks or details.get("reasoning", 0) > 0:
            return
    raise AssertionError(f"no reasoning came back from {model} (invoke or stream)")


# Models that always reason, which the stub does not model as reasoning: its fake model thinks only for a flag or
# a "reasoner"/"thinking" id. xAI's grok-4 keeps its reasoning hidden (a token count only); ERNIE X1, Hunyuan T1
# and Step-3 return reasoning_content, read the same way as every other vendor's (tests/test_thinking.py).
# deepseek-v4-pro is answered with MixRouter's documented example, which shows no reasoning (deepseek-chat's thinking
# stream stands for DeepSeek).
STUB_HAS_NO_REASONING = {"grok-4", "ernie-x1-32k", "hunyuan-t1-latest", "step-3", "deepseek-v4-pro"}


def check_reasoning_effort_levels(make, model, kw):
    for level in make(model, **kw)[0].profile["reasoning_effort_levels"]:
        llm, rec = make(model, **kw, reasoning_effort=level)
        llm.invoke("What is 17 * 23?")
        assert level in json.dumps(rec.bodies[-1]), level


def check_tool_calling(make, model, kw):
    llm, _ = make(model, **kw)
    msg = llm.bind_tools([add]).invoke("What is 2 + 3? Use the add tool.")
    assert msg.tool_calls and msg.tool_calls[0]["name"] == "add"


def check_tool_choice(make, model, kw):
    for choice in ("any", "add"):
        llm, rec = make(model, **kw)
        msg = llm.bind_tools([add], tool_choice=choice).invoke("What is 2 + 3?")
        sent = rec.bodies[-1].get("tool_choice")
        assert sent not in (None, "auto"), f"tool_choice={choice!r} was not forced on the wire: {sent!r}"
        assert msg.tool_calls and msg.tool_calls[0]["name"] == "add"


def check_tool_call_streaming(make, model, kw):
    llm, _ = make(model, **kw)
    total = None
    for chunk in llm.bind_tools([add]).stream("What is 2 + 3? Use the add tool."):
        total = chunk if total is None else total + chunk
    assert total.tool_call_chunks and total.tool_calls[0]["name"] == "add"


def check_structured_output(make, model, kw):
    llm, _ = make(model, **kw)
    result = llm.with_structured_output(Sum).invoke("What is 2 + 3? Answer with the total.")
    assert isinstance(result, Sum)


def check_temperature(make, model, kw):
    llm, rec = make(model, **kw, temperature=0.3)
    llm.invoke("Say hello.")
    assert rec.bodies[-1].get("temperature") == 0.3


def check_mid_conversation_system_messages(make, model, kw):
    llm, rec = make(model, **kw)
    llm.invoke([HumanMessage("Hi."), AIMessage("Hello!"), SystemMessage("Answer in French."), HumanMessage("Bye.")])
    body = rec.bodies[-1]
    items = body.get("messages") or body.get("input")
    assert [m.get("role") for m in items][2] in ("system", "developer")


def check_image_outputs(make, model, kw):
    llm, _ = make(model, **kw)
    msg = llm.invoke("Draw a cat.")
    assert any(isinstance(b, dict) and b.get("type") in ("image_url", "image") for b in msg.content)


def check_attachment(make, model, kw):
    profile = make(model, **kw)[0].profile
    kinds = ("image_inputs", "pdf_inputs", "audio_inputs", "video_inputs")
    assert any(profile[k] for k in kinds)  # each of those is checked on its own


CHECKS = {name[len("check_") :]: fn for name, fn in dict(globals()).items() if name.startswith("check_")}
NOT_CAPABILITIES = {  # values, not claims: checked against the catalogue below
    "name",
    "status",
    "release_date",
    "last_updated",
    "open_weights",
    "max_input_tokens",
    "max_output_tokens",
    "reasoning_effort_default",
}


@pytest.mark.parametrize(("model", "kw"), REPRESENTATIVES, ids=IDS)
def test_every_model_profile_key_is_filled(make, model, kw):
    profile = make(model, **kw)[0].profile
    assert set(profile) == set(get_type_hints(ModelProfile)), "every key langchain-core declares, and only those"
    info = get_model_info(model)
    assert profile["max_input_tokens"] == info.context_window
    assert profile["max_output_tokens"] == info.max_output
    assert profile["name"] == model and profile["status"] == "active"
    assert profile["reasoning_effort_levels"] == list(info.effort_levels)
    if profile["reasoning_effort_default"]:
        assert profile["reasoning_output"] and profile["reasoning_effort_levels"]


@pytest.mark.parametrize(("model", "kw"), REPRESENTATIVES, ids=IDS)
def test_every_claimed_capability_works_against_the_stub(make, model, kw):
    profile = make(model, **kw)[0].profile
    claimed = sorted(
        k for k, v in profile.items() if k not in NOT_CAPABILITIES and v and k != "reasoning_effort_levels"
    )
    unchecked = [k for k in claimed if k not in CHECKS]
    assert not unchecked, f"claimed without a check in this file: {unchecked}"
    failures = {}
    for key in [*claimed, *(["reasoning_effort_levels"] if profile["reasoning_effort_levels"] else [])]:
        try:
            CHECKS[key](make, model, kw)
        except Exception as exc:  # report every failing claim at once
            failures[key] = f"{type(exc).__name__}: {str(exc)[:300]}"
    assert not failures, failures


def test_claims_follow_the_route_and_thinking_state(make):
    claude = make("claude-sonnet-4-5-20250929")[0].profile
    thinking = make("claude-sonnet-4-5-20250929", thinking=True)[0].profile
    assert claude["tool_choice"] and not thinking["tool_choice"]  # Claude refuses a forced tool while thinking
    assert not claude["pdf_inputs"] and thinking["pdf_inputs"]  # a document block on /v1/messages only
    assert claude["temperature"] and not thinking["temperature"]
    assert not make("deepseek-v4-pro")[0].profile["tool_choice"]  # thinks by default
    assert make("deepseek-v4-pro", thinking=False)[0].profile["tool_choice"]
    assert not make("glm-4.6")[0].profile["tool_choice"]  # Zhipu takes tool_choice "auto" only
    assert make("gpt-5.1")[0].profile["temperature"]  # reasoning "none" by default
    assert not make("gpt-5.1", reasoning_effort="high")[0].profile["temperature"]
    assert not make("o3")[0].profile["temperature"]
    assert make("gpt-5.2-pro")[0].profile["pdf_inputs"] and not make("gpt-5.2-pro")[0].profile["audio_inputs"]
    for key in ("audio_outputs", "video_outputs", "mid_conversation_tools"):
        assert not claude[key]
    # a tool result's image: every vision model on every route; its PDF: where PDFs go at all
    assert claude["image_tool_message"] and thinking["image_tool_message"]
    assert not claude["pdf_tool_message"] and thinking["pdf_tool_message"]
    assert make("gpt-4.1")[0].profile["pdf_tool_message"] and make("gpt-5.2-pro")[0].profile["pdf_tool_message"]
    text_only = make("deepseek-v4-pro")[0].profile  # a tool's image becomes a note for it: not claimed
    assert not text_only["image_tool_message"] and not text_only["pdf_tool_message"]


def test_not_a_chat_model_has_no_profile(make):
    assert make("text-embedding-3-small")[0].profile is None


def test_summarization_middleware_reads_max_input_tokens_from_the_profile(make, stub_url):
    from langchain.agents import create_agent
    from langchain.agents.middleware import SummarizationMiddleware

    llm, rec = make("moonshot-v1-8k")  # an 8,192-token context window
    middleware = SummarizationMiddleware(model=llm, trigger=("fraction", 0.5), keep=("messages", 2))
    assert middleware._get_profile_limits() == 8_192 == get_model_info("moonshot-v1-8k").context_window
    long_turn = "The policy text repeats for the summary. " * 500  # ~5,000 tokens, past half of 8,192
    history = [HumanMessage(long_turn), AIMessage("Noted."), HumanMessage(long_turn), AIMessage("Noted again.")]
    agent = create_agent(llm, [], middleware=[middleware])
    state = agent.invoke({"messages": [*history, HumanMessage("Now answer briefly: hi.")]})
    summary_requests = [b for b in rec.bodies if "summar" in json.dumps(b["messages"][:1]).lower()]
    assert summary_requests, "the trigger at half the profile's max_input_tokens did not fire"
    assert len(state["messages"]) < len(history) + 2  # the old turns were replaced by a summary


def test_summarization_middleware_stays_quiet_under_the_profiles_limit(make):
    from langchain.agents import create_agent
    from langchain.agents.middleware import SummarizationMiddleware

    llm, rec = make("gpt-4.1")  # 1,047,576 tokens: the same history is far below half of it
    middleware = SummarizationMiddleware(model=llm, trigger=("fraction", 0.5), keep=("messages", 2))
    long_turn = "The policy text repeats for the summary. " * 500
    agent = create_agent(llm, [], middleware=[middleware])
    agent.invoke({"messages": [HumanMessage(long_turn), AIMessage("Noted."), HumanMessage("hi")]})
    assert len(rec.bodies) == 1


def test_create_agent_uses_the_provider_strategy_from_the_profile(make):
    """structured_output=True: create_agent asks the model itself for the schema (no forced tool, which Claude
    refuses while thinking) and returns the object."""
    from langchain.agents import create_agent

    llm, rec = make("claude-sonnet-4-5-20250929", thinking=True)  # not in langchain's fallback name list
    agent = create_agent(llm, [add], response_format=Sum)
    state = agent.invoke({"messages": [HumanMessage("What is 2 + 3? Answer with the total.")]})
    assert isinstance(state["structured_response"], Sum)
    assert all(b.get("tool_choice") in (None, "auto", {"type": "auto"}) for b in rec.bodies)
