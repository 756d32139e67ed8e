"""MixRouterLLM from the user's side: scripted answers (no network) for every LlamaIndex entry point."""

from __future__ import annotations

import json
import logging
import pickle
import warnings

import pytest
from llama_index.core.base.llms.types import (
    AudioBlock,
    ChatMessage,
    ImageBlock,
    TextBlock,
    ThinkingBlock,
    ToolCallBlock,
    VideoBlock,
)
from llama_index.core.callbacks import CallbackManager, TokenCountingHandler
from llama_index.core.instrumentation import get_dispatcher
from llama_index.core.instrumentation.event_handlers import BaseEventHandler
from llama_index.core.instrumentation.events.llm import (
    LLMChatEndEvent,
    LLMChatInProgressEvent,
    LLMChatStartEvent,
    LLMCompletionEndEvent,
)
from llama_index.core.prompts import PromptTemplate
from llama_index.core.rate_limiter import TokenBucketRateLimiter
from llama_index.core.tools import FunctionTool
from pydantic import BaseModel

import mixrouter
from llama_index_mixrouter import MixRouterEmbedding, MixRouterLLM
from tests.data import PNG_PATH
from tests.scripted import Scripted, completion, delta, llama_clients, usage_chunk

KEY = "test-key-abcdef123456"


def llm_for(transport: Scripted, model: str = "gpt-4o-mini", **kw) -> MixRouterLLM:
    return MixRouterLLM(model=model, api_key=KEY, max_retries=0, **llama_clients(transport), **kw)


def user(text: str) -> list[ChatMessage]:
    return [ChatMessage(role="user", content=text)]


def get_weather(city: str) -> str:
    """Current weather for a city."""
    return json.dumps({"city": city, "temp_c": 18})


def get_time(zone: str = "UTC") -> str:
    """Current time in a time zone."""
    return "12:00"


WEATHER = FunctionTool.from_defaults(fn=get_weather)
TIME = FunctionTool.from_defaults(fn=get_time)

REASONING_FIRST = [  # the first chunk carries only reasoning (OpenAI's async path drops it)
    delta({"role": "assistant", "reasoning_content": "Add "}),
    delta({"reasoning_content": "them."}),
    delta({"content": "The sum "}),
    delta({"content": "is 5050."}),
    delta({}, "stop"),
    usage_chunk(
        prompt_tokens=12, completion_tokens=30, total_tokens=42, completion_tokens_details={"reasoning_tokens": 18}
    ),
]
TOOL_STREAM = [  # ids repeated in every piece, and two calls in one delta
    delta({"role": "assistant", "reasoning_content": "need weather"}),
    delta({"tool_calls": [{"index": 0, "id": "c1", "type": "function", "function": {"name": "get_weather"}}]}),
    delta({"tool_calls": [{"index": 0, "id": "c1", "function": {"arguments": '{"city": "Pa'}}]}),
    delta(
        {
            "tool_calls": [
                {"index": 0, "id": "c1", "function": {"arguments": 'ris"}'}},
                {"index": 1, "id": "c2", "type": "function", "function": {"name": "get_time", "arguments": "{}"}},
            ]
        }
    ),
    delta({}, "tool_calls"),
    usage_chunk(prompt_tokens=20, completion_tokens=9, total_tokens=29),
]
TOOL_CALLS = [
    {"id": "c1", "type": "function", "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'}},
    {"id": "c2", "type": "function", "function": {"name": "get_time", "arguments": "{}"}},
]


# -- metadata and construction ------------------------------------------------------------------------------------


def test_metadata_comes_from_the_catalogue():
    info = mixrouter.get_model_info("deepseek-v4-pro")
    meta = llm_for(Scripted(completion("x")), "deepseek-v4-pro").metadata
    assert meta.is_chat_model and meta.is_function_calling_model
    assert meta.context_window == info.context_window and meta.model_name == "deepseek-v4-pro"
    assert 0 < meta.num_output <= meta.context_window // 4
    assert not llm_for(Scripted(completion("x")), "gemini-2.5-flash-image").metadata.is_function_calling_model
    assert llm_for(Scripted(completion("x")), max_tokens=777).metadata.num_output == 777


def test_unknown_model_gets_safe_defaults_and_one_warning():
    with pytest.warns(UserWarning, match="not in MixRouter's model list"):
        meta = llm_for(Scripted(completion("x")), "acme-llm-unlisted-1").metadata
    assert meta.context_window > 0 and meta.num_output > 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        llm_for(Scripted(completion("x")), "acme-llm-unlisted-1")  # only once per model id
    overridden = llm_for(Scripted(completion("x")), "acme-llm-unlisted-1", context_window=50_000)
    assert overridden.metadata.context_window == 50_000


def test_a_video_model_is_refused_with_a_pointer():
    with pytest.raises(ValueError, match=r"videos model.*MixRouterVideoTool"):
        MixRouterLLM(model="sora-2", api_key=KEY)


def test_missing_key_names_the_variable(monkeypatch):
    monkeypatch.delenv("MIXROUTER_API_KEY")
    with pytest.raises(mixrouter.MissingAPIKeyError, match="MIXROUTER_API_KEY"):
        MixRouterLLM(model="gpt-4o-mini")


def test_key_is_in_no_dict_json_repr_or_payload_and_serialisation_round_trips(monkeypatch):
    llm = llm_for(Scripted(completion("x")), "deepseek-chat", thinking=True, extra_body={"a": {"b": 1}})
    for text in (str(llm.to_dict()), llm.to_json(), repr(llm), str(llm), str(llm.to_payload())):
        assert KEY not in text
    monkeypatch.setenv("MIXROUTER_API_KEY", "env-key-0000000001")
    back = MixRouterLLM.from_json(llm.to_json())
    assert back.model == "deepseek-chat" and back.thinking is True and back.extra_body == {"a": {"b": 1}}
    assert back.api_key.get_secret_value() == "env-key-0000000001"
    again = pickle.loads(pickle.dumps(MixRouterLLM(model="deepseek-chat", api_key=KEY)))
    assert again.model == "deepseek-chat" and again.api_key.get_secret_value() == KEY


def test_key_is_in_no_event_or_debug_log(caplog):
    events = []

    class Handler(BaseEventHandler):
        def handle(self, event, **kwargs):
            events.append(event)

    handler = Handler()
    get_dispatcher().add_event_handler(handler)
    try:
        with caplog.at_level(logging.DEBUG):
            llm = llm_for(Scripted(completion("a"), REASONING_FIRST), "deepseek-chat")
            llm.chat(user("q"))
            list(llm.stream_chat(user("q")))
    finally:
        get_dispatcher().event_handlers.remove(handler)
    assert len(events) > 4 and caplog.records
    dumped = " ".join(repr(e) + e.model_dump_json() for e in events) + caplog.text
    assert KEY not in dumped


# -- chat and complete --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_chat_puts_reasoning_first_and_usage_where_llamaindex_reads_it(mode):
    answer = completion(
        "It is 5050.",
        reasoning="Gauss.",
        usage={
            "prompt_tokens": 10,
            "completion_tokens": 20,
            "total_tokens": 30,
            "prompt_tokens_details": {"cached_tokens": 4},
            "completion_tokens_details": {"reasoning_tokens": 6},
        },
    )
    llm = llm_for(Scripted(answer), "deepseek-chat", thinking=True)
    r = llm.chat(user("sum?")) if mode == "sync" else await llm.achat(user("sum?"))
    first = r.message.blocks[0]
    assert isinstance(first, ThinkingBlock) and first.content == "Gauss." and first.num_tokens == 6
    assert r.message.content == "It is 5050."
    assert r.raw["usage"]["prompt_tokens"] == 10 and r.raw["usage"]["completion_tokens"] == 20
    assert r.additional_kwargs["prompt_tokens"] == 10 and r.additional_kwargs["cached_tokens"] == 4
    assert r.additional_kwargs["reasoning_tokens"] == 6 and r.additional_kwargs["finish_reason"] == "stop"


def test_nothing_is_sent_unless_set_and_per_call_kwargs_win():
    t = Scripted(completion("a"))
    plain = llm_for(t)
    plain.chat(user("q"))
    assert not {"temperature", "max_tokens", "top_p", "seed"} & set(t.bodies[0])
    tuned = llm_for(
        t,
        temperature=0.2,
        max_tokens=100,
        additional_kwargs={"temperature": 0.5, "frequency_penalty": 0.1},
        extra_body={"metadata": {"a": 1, "b": 1}},
    )
    tuned.chat(user("q"))
    assert t.bodies[1]["temperature"] == 0.5 and t.bodies[1]["max_tokens"] == 100  # additional_kwargs > fields
    tuned.chat(user("q"), temperature=0.9, extra_body={"metadata": {"b": 2}})
    body = t.bodies[2]
    assert body["temperature"] == 0.9 and body["frequency_penalty"] == 0.1  # per call > additional_kwargs
    assert body["metadata"] == {"a": 1, "b": 2}  # extra_body deep-merged, the call's value wins


def test_thinking_switch_maps_to_each_vendor_flag():
    t = Scripted(completion("a"))
    llm_for(t, "deepseek-chat", thinking=True).chat(user("q"))
    llm_for(t, "qwen-plus", thinking=False).chat(user("q"))
    llm_for(t, "o3").chat(user("q"), reasoning_effort="high")
    assert t.bodies[0]["thinking"] == {"type": "enabled"}
    assert t.bodies[1]["enable_thinking"] is False
    assert t.bodies[2]["reasoning_effort"] == "high"


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_complete_returns_text_usage_and_completion_events(mode):
    llm = llm_for(Scripted(completion("Paris.")))
    seen = []

    class Handler(BaseEventHandler):
        def handle(self, event, **kwargs):
            seen.append(type(event))

    handler = Handler()
    get_dispatcher().add_event_handler(handler)
    try:
        r = llm.complete("Capital of France?") if mode == "sync" else await llm.acomplete("Capital of France?")
    finally:
        get_dispatcher().event_handlers.remove(handler)
    assert r.text == "Paris." and r.raw["usage"]["total_tokens"] == 12
    assert LLMCompletionEndEvent in seen


DIALECTS = {  # message shapes seen behind MixRouter, all read the same way
    "reasoning_content": ({"content": "Yes.", "reasoning_content": "r"}, "r"),
    "reasoning (OpenRouter/vLLM)": ({"content": "Yes.", "reasoning": "r"}, "r"),
    "reasoning_details": ({"content": "Yes.", "reasoning_details": [{"type": "reasoning.text", "text": "r"}]}, "r"),
    "think tag": ({"content": "<think>r</think>Yes."}, "r"),
    "content parts": ({"content": [{"type": "text", "text": "Ye"}, {"type": "text", "text": "s."}]}, None),
}


@pytest.mark.parametrize("name", sorted(DIALECTS))
def test_every_reasoning_and_content_dialect_is_read(name):
    message, reasoning = DIALECTS[name]
    answer = completion("")
    answer["choices"][0]["message"] = {"role": "assistant", **message}
    r = llm_for(Scripted(answer), "deepseek-chat").chat(user("q"))
    assert r.message.content == "Yes."
    thinking = [b for b in r.message.blocks if isinstance(b, ThinkingBlock)]
    assert [b.content for b in thinking] == ([reasoning] if reasoning else [])


def test_tool_arguments_sent_as_an_object_are_read():
    call = [{"id": "c1", "type": "function", "function": {"name": "get_weather", "arguments": {"city": "Oslo"}}}]
    llm = llm_for(Scripted(completion(None, tool_calls=call, finish="tool_calls")))
    [selection] = llm.get_tool_calls_from_response(llm.chat(user("q")))
    assert selection.tool_kwargs == {"city": "Oslo"}


def test_inline_think_tags_become_a_thinking_block():
    r = llm_for(Scripted(completion("<think>quick check</think>Yes.")), "minimax-m2").chat(user("q"))
    assert r.message.blocks[0].content == "quick check" and r.message.content == "Yes."


# -- streaming ------------------------------------------------------------------------------------------------------


async def _chunks(llm: MixRouterLLM, mode: str, messages, **kw):
    if mode == "sync":
        return list(llm.stream_chat(messages, **kw))
    return [c async for c in await llm.astream_chat(messages, **kw)]


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_stream_keeps_the_reasoning_only_first_chunk_and_ends_with_usage(mode):
    chunks = await _chunks(llm_for(Scripted(REASONING_FIRST), "deepseek-chat", thinking=True), mode, user("q"))
    thinking = [c.additional_kwargs.get("thinking_delta") for c in chunks]
    assert "".join(t for t in thinking if t) == "Add them."  # nothing dropped, sync and async alike
    assert "".join(c.delta or "" for c in chunks) == "The sum is 5050."  # reasoning never in the answer text
    last = chunks[-1]
    assert last.message.blocks[0].content == "Add them." and last.message.blocks[0].num_tokens == 18
    assert last.message.content == "The sum is 5050."
    assert last.raw["usage"]["prompt_tokens"] == 12 and last.additional_kwargs["completion_tokens"] == 30
    assert all(c.message.content == "".join(x.delta or "" for x in chunks[: i + 1]) for i, c in enumerate(chunks))


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_streamed_tool_calls_merge_by_index_like_the_non_streamed_answer(mode):
    llm = llm_for(Scripted(TOOL_STREAM), "deepseek-chat")
    chunks = await _chunks(llm, mode, user("weather and time?"), tools=[WEATHER.metadata.to_openai_tool()])
    streamed = llm.get_tool_calls_from_response(chunks[-1])
    invoked = llm_for(Scripted(completion("", tool_calls=TOOL_CALLS, finish="tool_calls")), "deepseek-chat")
    direct = invoked.get_tool_calls_from_response(invoked.chat(user("q")))
    as_tuples = [(s.tool_id, s.tool_name, s.tool_kwargs) for s in streamed]
    assert as_tuples == [(s.tool_id, s.tool_name, s.tool_kwargs) for s in direct]
    assert as_tuples == [("c1", "get_weather", {"city": "Paris"}), ("c2", "get_time", {})]  # ids not doubled
    partial = llm.get_tool_calls_from_response(chunks[2], error_on_no_tool_call=False)
    assert partial[0].tool_name == "get_weather" and "city" in partial[0].tool_kwargs  # partial JSON tolerated
    final_blocks = [b for b in chunks[-1].message.blocks if isinstance(b, ToolCallBlock)]
    assert final_blocks[0].tool_kwargs == {"city": "Paris"}  # the last chunk is ready to go back in the history


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_stream_complete_yields_answer_deltas(mode):
    llm = llm_for(Scripted(REASONING_FIRST), "deepseek-chat", thinking=True)
    chunks = list(llm.stream_complete("q")) if mode == "sync" else [c async for c in await llm.astream_complete("q")]
    assert "".join(c.delta or "" for c in chunks) == "The sum is 5050." and chunks[-1].text == "The sum is 5050."
    assert chunks[-1].raw["usage"]["total_tokens"] == 42


def test_stream_events_and_token_counting_see_every_chunk_and_the_usage():
    counter = TokenCountingHandler()
    llm = llm_for(Scripted(REASONING_FIRST), "deepseek-chat", callback_manager=CallbackManager([counter]))
    events = []

    class Handler(BaseEventHandler):
        def handle(self, event, **kwargs):
            events.append(type(event))

    handler = Handler()
    get_dispatcher().add_event_handler(handler)
    try:
        chunks = list(llm.stream_chat(user("q")))
    finally:
        get_dispatcher().event_handlers.remove(handler)
    assert events.count(LLMChatInProgressEvent) == len(chunks)
    assert events[0] is LLMChatStartEvent and LLMChatEndEvent in events
    assert (counter.prompt_llm_token_count, counter.completion_llm_token_count) == (12, 30)


def test_token_counting_on_chat():
    counter = TokenCountingHandler()
    llm = llm_for(Scripted(completion("a")), callback_manager=CallbackManager([counter]))
    llm.chat(user("q"))
    assert counter.total_llm_token_count == 12


def test_rate_limiter_is_taken_for_every_call():
    class Counting(TokenBucketRateLimiter):
        calls: int = 0

        def acquire(self, *a, **k):
            self.calls += 1
            return super().acquire(*a, **k)

    limiter = Counting(requests_per_minute=6000)
    llm = llm_for(Scripted(completion("a")), rate_limiter=limiter)
    llm.chat(user("q"))
    llm.complete("q")
    assert limiter.calls == 2


# -- tools ------------------------------------------------------------------------------------------------------------


def test_prepare_chat_with_tools_builds_the_request_without_touching_the_history():
    llm = llm_for(Scripted(completion("a")))
    history = [ChatMessage(role="system", content="be brief")]
    kw = llm._prepare_chat_with_tools([WEATHER, TIME], "weather?", chat_history=history, tool_required=True)
    assert len(history) == 1 and len(kw["messages"]) == 2  # the caller's list is not appended to
    assert kw["tool_choice"] == "required" and kw["parallel_tool_calls"] is False
    assert [t["function"]["name"] for t in kw["tools"]] == ["get_weather", "get_time"]
    named = llm._prepare_chat_with_tools([WEATHER], "w", tool_choice="get_weather", allow_parallel_tool_calls=True)
    assert named["tool_choice"] == "get_weather"  # spelled as given; the core writes each route's form
    assert "parallel_tool_calls" not in named
    with pytest.raises(ValueError, match="not one of the tools"):
        llm._prepare_chat_with_tools([WEATHER], "w", tool_choice="get_stock")


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_chat_with_tools_keeps_one_call_unless_parallel_is_allowed(mode):
    answer = completion("", tool_calls=TOOL_CALLS, finish="tool_calls")
    llm = llm_for(Scripted(answer))
    call = llm.chat_with_tools if mode == "sync" else llm.achat_with_tools
    one, both = call([WEATHER, TIME], "both?"), call([WEATHER, TIME], "both?", allow_parallel_tool_calls=True)
    if mode == "async":
        one, both = await one, await both
    assert [s.tool_name for s in llm.get_tool_calls_from_response(one)] == ["get_weather"]
    assert len(llm.get_tool_calls_from_response(both)) == 2


def test_no_tool_call_is_an_error_only_when_asked():
    llm = llm_for(Scripted(completion("just text")))
    r = llm.chat(user("q"))
    assert llm.get_tool_calls_from_response(r, error_on_no_tool_call=False) == []
    with pytest.raises(ValueError, match="without a tool call"):
        llm.get_tool_calls_from_response(r)


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_predict_and_call_runs_the_tool(mode):
    call = [{"id": "c1", "type": "function", "function": {"name": "get_weather", "arguments": '{"city": "Oslo"}'}}]
    llm = llm_for(Scripted(completion("", tool_calls=call, finish="tool_calls")))
    if mode == "sync":
        out = llm.predict_and_call([WEATHER], "weather in Oslo?")
    else:
        out = await llm.apredict_and_call([WEATHER], "weather in Oslo?")
    assert json.loads(out.response) == {"city": "Oslo", "temp_c": 18}


def test_reasoning_goes_back_on_tool_turns_for_deepseek_and_not_for_openai():
    turn = ChatMessage(
        role="assistant",
        blocks=[
            ThinkingBlock(content="look it up"),
            ToolCallBlock(tool_call_id="c1", tool_name="get_weather", tool_kwargs={"city": "Paris"}),
        ],
    )
    history = [
        *user("weather?"),
        turn,
        ChatMessage(role="tool", content="18C", additional_kwargs={"tool_call_id": "c1"}),
    ]
    t = Scripted(completion("18C in Paris"))
    llm_for(t, "deepseek-v4-pro", thinking=True).chat(history)
    llm_for(t, "gpt-4o").chat(history)
    deepseek, openai = t.bodies[0]["messages"][1], t.bodies[1]["messages"][1]
    assert deepseek["reasoning_content"] == "look it up"
    assert deepseek["tool_calls"][0]["function"] == {"name": "get_weather", "arguments": '{"city": "Paris"}'}
    assert "reasoning_content" not in openai and openai["content"] is None


def test_forced_tool_choice_is_downgraded_for_thinking_claude():
    t = Scripted(completion("", tool_calls=TOOL_CALLS[:1], finish="tool_calls"))
    llm = llm_for(t, "claude-sonnet-4-5-20250929", thinking=True, route="chat")
    with pytest.warns(UserWarning, match="tool_choice"):
        llm.chat_with_tools([WEATHER], "weather?", tool_required=True)
    assert t.bodies[0]["tool_choice"] == "auto"


def test_gemini_thought_signatures_on_tool_calls_go_back_unchanged():
    sig = {"extra_content": {"google": {"thought_signature": "abc=="}}}
    call = [{**TOOL_CALLS[0], **sig}]
    t = Scripted(completion("", tool_calls=call, finish="tool_calls"), completion("done"))
    llm = llm_for(t, "gemini-2.5-flash")
    first = llm.chat_with_tools([WEATHER], "weather?")
    tool_msg = ChatMessage(role="tool", content="18C", additional_kwargs={"tool_call_id": "c1"})
    llm.chat([*user("weather?"), first.message, tool_msg])
    assert t.bodies[1]["messages"][1]["tool_calls"][0]["extra_content"] == sig["extra_content"]


# -- structured output ------------------------------------------------------------------------------------------


class Weather(BaseModel):
    city: str
    temp_c: int


PROMPT = PromptTemplate("Weather for {city} as JSON.")


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_structured_predict_uses_json_schema_and_reads_fenced_json(mode):
    t = Scripted(completion('```json\n{"city": "Paris", "temp_c": 18}\n```'))
    llm = llm_for(t, "gpt-4o-mini")
    if mode == "sync":
        out = llm.structured_predict(Weather, PROMPT, city="Paris")
    else:
        out = await llm.astructured_predict(Weather, PROMPT, city="Paris")
    assert out == Weather(city="Paris", temp_c=18)
    assert t.bodies[0]["response_format"]["type"] == "json_schema" and "tools" not in t.bodies[0]


def test_structured_predict_uses_a_forced_tool_where_there_is_no_json_schema():
    call = [
        {"id": "c1", "type": "function", "function": {"name": "Weather", "arguments": '{"city":"Oslo","temp_c":3}'}}
    ]
    t = Scripted(completion("", tool_calls=call, finish="tool_calls"))
    out = llm_for(t, "deepseek-chat").structured_predict(Weather, PROMPT, city="Oslo")
    assert out == Weather(city="Oslo", temp_c=3)
    assert t.bodies[0]["tool_choice"] == {"type": "function", "function": {"name": "Weather"}}


def test_structured_predict_uses_json_mode_for_thinking_models_that_refuse_forced_tools():
    t = Scripted(completion('Here it is: {"city": "Rome", "temp_c": 25}', reasoning="fmt"))
    out = llm_for(t, "kimi-k2-thinking").structured_predict(Weather, PROMPT, city="Rome")
    assert out == Weather(city="Rome", temp_c=25)
    assert t.bodies[0]["response_format"] == {"type": "json_object"}
    assert "temp_c" in t.bodies[0]["messages"][0]["content"]  # the schema travels in the prompt


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_stream_structured_predict_ends_with_the_object(mode):
    pieces = ['```json\n{"city": "Pa', 'ris", "temp', '_c": 18}\n```']
    t = Scripted([delta({"content": p}) for p in pieces] + [delta({}, "stop")])
    llm = llm_for(t, "gpt-4o-mini")
    if mode == "sync":
        parts = list(llm.stream_structured_predict(Weather, PROMPT, city="Paris"))
    else:
        parts = [p async for p in await llm.astream_structured_predict(Weather, PROMPT, city="Paris")]
    assert parts[-1].city == "Paris" and parts[-1].temp_c == 18
    assert parts[0].city == "Pa"  # partial objects while streaming


def test_as_structured_llm_chat():
    t = Scripted(completion('{"city": "Paris", "temp_c": 18}'))
    sllm = llm_for(t, "gpt-4o-mini").as_structured_llm(Weather)
    r = sllm.chat(user("Weather in Paris"))
    assert r.raw == Weather(city="Paris", temp_c=18) and json.loads(r.message.content)["city"] == "Paris"


# -- multimodal ---------------------------------------------------------------------------------------------------


def test_image_blocks_by_url_path_and_bytes():
    t = Scripted(completion("a gradient"))
    blocks = [
        TextBlock(text="what is this?"),
        ImageBlock(url="https://example.com/cat.png", detail="low"),
        ImageBlock(path=PNG_PATH),
        ImageBlock(image=PNG_PATH.read_bytes()),
    ]
    llm_for(t, "gpt-4o-mini").chat([ChatMessage(role="user", blocks=blocks)])
    parts = t.bodies[0]["messages"][0]["content"]
    assert parts[1] == {"type": "image_url", "image_url": {"url": "https://example.com/cat.png", "detail": "low"}}
    assert parts[2]["image_url"]["url"].startswith("data:image/png;base64,iVBOR")
    assert parts[3]["image_url"]["url"] == parts[2]["image_url"]["url"]


def test_video_and_audio_urls_become_mixrouter_parts():
    t = Scripted(completion("a clip"))
    blocks = [VideoBlock(url="https://example.com/v.mp4"), AudioBlock(url="https://example.com/a.mp3")]
    llm_for(t, "gemini-2.5-flash").chat([ChatMessage(role="user", blocks=blocks)])
    parts = t.bodies[0]["messages"][0]["content"]
    assert parts == [
        {"type": "video_url", "video_url": {"url": "https://example.com/v.mp4"}},
        {"type": "audio_url", "audio_url": {"url": "https://example.com/a.mp3"}},
    ]


def test_a_block_the_model_cannot_take_is_refused_before_sending():
    t = Scripted(completion("x"))
    msg = ChatMessage(role="user", blocks=[TextBlock(text="?"), VideoBlock(url="https://example.com/v.mp4")])
    with pytest.raises(ValueError, match="'deepseek-chat' does not take video input"):
        llm_for(t, "deepseek-chat").chat([msg])
    assert t.bodies == []


# -- errors ---------------------------------------------------------------------------------------------------------


def test_errors_are_typed_and_carry_no_key():
    t = Scripted((401, {"error": {"message": "invalid key", "type": "new_api_error", "code": "invalid_key"}}))
    with pytest.raises(mixrouter.AuthenticationError) as info:
        llm_for(t).chat(user("q"))
    assert "invalid key" in str(info.value) and KEY not in str(info.value) and KEY not in repr(info.value)


# -- embeddings -------------------------------------------------------------------------------------------------


def _embedding_answer(n: int) -> dict:
    return {
        "object": "list",
        "data": [{"object": "embedding", "index": i, "embedding": [float(i), 1.0]} for i in range(n)],
        "model": "text-embedding-3-small",
        "usage": {"prompt_tokens": n, "total_tokens": n},
    }


def test_embedding_batches_and_keeps_order():
    t = Scripted(_embedding_answer(2), _embedding_answer(1))
    emb = MixRouterEmbedding(api_key=KEY, embed_batch_size=2, **llama_clients(t))
    vectors = emb.get_text_embedding_batch(["a", "b", "c"])
    assert [b["input"] for b in t.bodies] == [["a", "b"], ["c"]]
    assert vectors == [[0.0, 1.0], [1.0, 1.0], [0.0, 1.0]]
    assert KEY not in emb.to_json() and emb.model_name == "text-embedding-3-small"


async def test_embedding_async_query():
    t = Scripted(_embedding_answer(1))
    emb = MixRouterEmbedding(model="text-embedding-3-large", api_key=KEY, **llama_clients(t))
    assert await emb.aget_query_embedding("hello") == [0.0, 1.0]
    assert t.bodies[0]["model"] == "text-embedding-3-large"


def test_tool_calls_kept_in_additional_kwargs_by_other_integrations_are_read_and_sent_back():
    from llama_index.core.base.llms.types import ChatResponse

    legacy = ChatMessage(role="assistant", content="", additional_kwargs={"tool_calls": [TOOL_CALLS[0]]})
    llm = llm_for(Scripted(completion("done")))
    [selection] = llm.get_tool_calls_from_response(ChatResponse(message=legacy))
    assert (selection.tool_id, selection.tool_name, selection.tool_kwargs) == ("c1", "get_weather", {"city": "Paris"})
    t = Scripted(completion("done"))
    tool_msg = ChatMessage(role="tool", content="18C", additional_kwargs={"tool_call_id": "c1"})
    llm_for(t).chat([*user("weather?"), legacy, tool_msg])
    assert t.bodies[0]["messages"][1]["tool_calls"][0]["function"]["arguments"] == '{"city": "Paris"}'
