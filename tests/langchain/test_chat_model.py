"""ChatMixRouter from the user's side: scripted answers (no network) for every parsing and wire rule."""

from __future__ import annotations

import warnings
from typing import TypedDict

import pytest
from langchain_core.exceptions import ModelAuthenticationError, ModelRateLimitError
from langchain_core.load import dumpd, dumps, load
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, ToolMessage
from pydantic import BaseModel, Field

import mixrouter
from langchain_mixrouter import ChatMixRouter
from tests.scripted import Scripted, completion, delta, usage_chunk

KEY = "test-key-abcdef123456"


def llm_for(transport: Scripted, model: str = "gpt-4o-mini", **kw) -> ChatMixRouter:
    return ChatMixRouter(model=model, api_key=KEY, max_retries=0, **transport.clients(), **kw)


def _sum(chunks: list[AIMessageChunk]) -> AIMessageChunk:
    total = chunks[0]
    for c in chunks[1:]:
        total += c
    return total


class Weather(BaseModel):
    """Weather report."""

    city: str = Field(description="City name")
    temp_c: int


# -- streaming and parsing ----------------------------------------------------------------------------------------

TOOL_STREAM = [
    delta({"role": "assistant", "reasoning_content": "need weather"}),
    delta(
        {
            "tool_calls": [
                {"index": 0, "id": "c1", "type": "function", "function": {"name": "get_weather", "arguments": ""}}
            ]
        }
    ),
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
    usage_chunk(
        prompt_tokens=20,
        completion_tokens=9,
        total_tokens=29,
        completion_tokens_details={"reasoning_tokens": 3},
        prompt_tokens_details={"cached_tokens": 8},
    ),
]
TOOL_CALLS = [
    {"id": "c1", "type": "function", "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'}},
    {"id": "c2", "type": "function", "function": {"name": "get_time", "arguments": "{}"}},
]


def test_streamed_tool_calls_aggregate_to_the_same_calls_as_invoke():
    invoked = llm_for(Scripted(completion("", tool_calls=TOOL_CALLS, finish="tool_calls")), "deepseek-chat").invoke("q")
    streamed = _sum(list(llm_for(Scripted(TOOL_STREAM), "deepseek-chat").stream("q")))
    assert streamed.tool_calls == invoked.tool_calls
    assert [tc["id"] for tc in streamed.tool_calls] == ["c1", "c2"]  # repeated ids not concatenated
    assert streamed.tool_calls[0]["args"] == {"city": "Paris"}
    assert streamed.additional_kwargs["reasoning_content"] == "need weather"


async def test_astream_matches_stream():
    chunks = [c async for c in llm_for(Scripted(TOOL_STREAM), "deepseek-chat").astream("q")]
    total = _sum(chunks)
    assert [tc["name"] for tc in total.tool_calls] == ["get_weather", "get_time"]
    assert chunks[-1].chunk_position == "last"


def test_usage_and_metadata_on_exactly_one_stream_chunk_with_same_keys_as_invoke():
    chunks = list(llm_for(Scripted(TOOL_STREAM), "deepseek-chat").stream("q"))
    with_usage = [c for c in chunks if c.usage_metadata]
    with_model = [c for c in chunks if c.response_metadata.get("model_name")]
    assert len(with_usage) == 1 and with_usage[0] is with_model[0] is chunks[-1]
    usage = with_usage[0].usage_metadata
    assert usage["input_token_details"] == {"cache_read": 8} and usage["output_token_details"] == {"reasoning": 3}
    invoked = llm_for(Scripted(completion("x")), "deepseek-chat").invoke("q")
    assert set(invoked.response_metadata) == set(chunks[-1].response_metadata)
    assert invoked.response_metadata["model_provider"] == "mixrouter"


def test_stream_usage_can_be_turned_off():
    transport = Scripted([delta({"content": "a"}), delta({}, "stop"), usage_chunk()])
    chunks = list(llm_for(transport, stream_usage=False).stream("q"))
    assert all(c.usage_metadata is None for c in chunks)
    assert "stream_options" not in transport.bodies[0]


def test_think_tags_and_content_parts_and_usage_only_last_chunk():
    text = "<think>ponder</think>\n\nanswer"
    stream = [delta({"content": [{"type": "text", "text": text[i : i + 4]}]}) for i in range(0, len(text), 4)]
    stream += [delta({}, "stop"), usage_chunk()]
    total = _sum(list(llm_for(Scripted(stream), "qwen3-max").stream("q")))
    assert total.content == "answer" and total.additional_kwargs["reasoning_content"] == "ponder"
    assert total.usage_metadata["total_tokens"] == 12


def test_malformed_arguments_become_invalid_tool_calls():
    bad = [{"id": "c9", "type": "function", "function": {"name": "f", "arguments": '{"x": '}}]
    msg = llm_for(Scripted(completion("", tool_calls=bad, finish="tool_calls"))).invoke("q")
    assert msg.tool_calls == [] and msg.invalid_tool_calls[0]["id"] == "c9"
    assert msg.invalid_tool_calls[0]["args"] == '{"x": '


def test_reasoning_as_standard_content_blocks_and_v1_output():
    msg = llm_for(Scripted(completion("5050", reasoning="Gauss")), "deepseek-chat").invoke("q")
    assert msg.additional_kwargs["reasoning_content"] == "Gauss"
    assert msg.content_blocks[0] == {"type": "reasoning", "reasoning": "Gauss"}
    v1 = llm_for(Scripted(completion("5050", reasoning="Gauss")), "deepseek-chat", output_version="v1").invoke("q")
    assert [b["type"] for b in v1.content] == ["reasoning", "text"]


# -- requests on the wire ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "kw", "expected"),
    [
        ("qwen3-max", {"thinking": True}, {"enable_thinking": True}),
        ("deepseek-chat", {"thinking": True}, {"thinking": {"type": "enabled"}}),
        ("gemini-2.5-flash", {"thinking": False}, {"thinking": {"type": "disabled"}}),
        ("o3", {"reasoning_effort": "high"}, {"reasoning_effort": "high"}),
        (
            "claude-sonnet-4-5-20250929",
            {"thinking_budget": 2048, "route": "chat"},
            {"thinking": {"type": "enabled", "budget_tokens": 2048}},
        ),
    ],
)
def test_thinking_flags_on_the_wire(model, kw, expected):
    transport = Scripted(completion("ok"))
    llm_for(transport, model, **kw).invoke("q")
    body = transport.bodies[0]
    assert {k: body[k] for k in expected} == expected


def test_per_call_kwargs_override_instance_and_extra_body_deep_merges():
    transport = Scripted(completion("ok"))
    llm = llm_for(
        transport,
        "gpt-4o",
        temperature=0.1,
        extra_body={"metadata": {"a": 1, "b": 1}},
        model_kwargs={"frequency_penalty": 0.5},
    )
    llm.invoke("q", temperature=0.9, extra_body={"metadata": {"b": 2}}, model="gpt-4.1", stop=["END"])
    body = transport.bodies[0]
    assert body["temperature"] == 0.9 and body["model"] == "gpt-4.1" and body["stop"] == ["END"]
    assert body["metadata"] == {"a": 1, "b": 2} and body["frequency_penalty"] == 0.5
    assert "max_tokens" not in body  # nothing sent unless set


def test_max_tokens_field_per_family():
    transport = Scripted(completion("ok"))
    llm_for(transport, "o3", max_tokens=50).invoke("q")
    llm_for(transport, "deepseek-chat", max_tokens=50).invoke("q")
    assert transport.bodies[0]["max_completion_tokens"] == 50 and "max_tokens" not in transport.bodies[0]
    assert transport.bodies[1]["max_tokens"] == 50


def test_tool_choice_variants():
    transport = Scripted(completion("ok"))
    llm = llm_for(transport, "gpt-4o")

    def get_weather(city: str) -> str:
        """Weather for a city."""
        return city

    for choice, expected in [
        ("auto", "auto"),
        ("none", "none"),
        ("any", "required"),
        ("required", "required"),
        ("get_weather", {"type": "function", "function": {"name": "get_weather"}}),
        (True, {"type": "function", "function": {"name": "get_weather"}}),
    ]:
        llm.bind_tools([get_weather], tool_choice=choice, parallel_tool_calls=False).invoke("q")
        assert transport.bodies[-1]["tool_choice"] == expected
        assert transport.bodies[-1]["parallel_tool_calls"] is False
    with pytest.raises(ValueError, match="not one of the tools"):
        llm.bind_tools([get_weather], tool_choice="nope")
    llm.bind_tools([Weather], strict=True).invoke("q")
    assert transport.bodies[-1]["tools"][0]["function"]["strict"] is True


def test_forced_tool_choice_is_not_forced_for_a_thinking_deepseek():
    transport = Scripted(completion("ok"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        llm_for(transport, "deepseek-reasoner").bind_tools([Weather], tool_choice="any").invoke("q")
    assert transport.bodies[0]["tool_choice"] == "auto"


def test_tool_round_trip_echoes_reasoning_and_keeps_gemini_signatures_for_gemini_only():
    calls = [
        {
            "id": "c1",
            "type": "function",
            "function": {"name": "Weather", "arguments": '{"city": "Paris", "temp_c": 1}'},
            "extra_content": {"google": {"thought_signature": "sig=="}},
        }
    ]
    for model, echoed in [("deepseek-v4-pro", True), ("gemini-2.5-flash", False)]:
        transport = Scripted(
            completion("", reasoning="plan", tool_calls=calls, finish="tool_calls"), completion("done")
        )
        llm = llm_for(transport, model, thinking=True).bind_tools([Weather])
        first = llm.invoke([HumanMessage("q")])
        llm.invoke([HumanMessage("q"), first, ToolMessage("18C", tool_call_id="c1")])
        assistant = transport.bodies[-1]["messages"][1]
        assert ("reasoning_content" in assistant) is echoed
        signature = assistant["tool_calls"][0].get("extra_content")
        # Gemini's signature goes back to Gemini only: DeepSeek cannot verify it (mixrouter.history)
        assert signature == ({"google": {"thought_signature": "sig=="}} if model.startswith("gemini") else None)
        tool = {"role": "tool", "tool_call_id": "c1", "content": "18C"}
        if model.startswith("gemini"):  # Gemini's OpenAI-compatible endpoint wants the tool's name on the result
            tool["name"] = "Weather"
        assert transport.bodies[-1]["messages"][2] == tool


def test_multimodal_parts_and_clear_error_for_unsupported_input():
    transport = Scripted(completion("ok"))
    content = [
        {"type": "text", "text": "what is this"},
        {"type": "image", "url": "https://x/cat.png"},
        {"type": "image", "base64": "aGk=", "mime_type": "image/png"},
        {"type": "video", "url": "https://x/clip.mov"},
        {"type": "audio_url", "audio_url": {"url": "https://x/a.mp3"}},
    ]
    llm_for(transport, "qwen2.5-vl-72b-instruct").invoke([HumanMessage(content=content)])
    parts = transport.bodies[0]["messages"][0]["content"]
    assert [p["type"] for p in parts] == ["text", "image_url", "image_url", "video_url", "audio_url"]
    assert parts[2]["image_url"]["url"] == "data:image/png;base64,aGk="
    with pytest.raises(ValueError, match="'deepseek-chat' does not take image input"):
        llm_for(transport, "deepseek-chat").invoke([HumanMessage(content=content[:2])])


# -- structured output ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["json_schema", "json_mode"])
def test_structured_output_json_methods_tolerate_fences(method):
    transport = Scripted(completion('```json\n{"city": "Paris", "temp_c": 18}\n```'))
    out = llm_for(transport, "gpt-4o").with_structured_output(Weather, method=method).invoke("q")
    assert out == Weather(city="Paris", temp_c=18)
    rf = transport.bodies[0]["response_format"]
    assert rf["type"] == ("json_schema" if method == "json_schema" else "json_object")


def test_structured_output_function_calling_typeddict_and_include_raw():
    class Pet(TypedDict):
        name: str

    calls = [{"id": "c1", "type": "function", "function": {"name": "Pet", "arguments": '{"name": "Rex"}'}}]
    transport = Scripted(completion("", tool_calls=calls, finish="tool_calls"))
    out = llm_for(transport, "deepseek-chat").with_structured_output(Pet, include_raw=True).invoke("q")
    assert out["parsed"] == {"name": "Rex"} and out["parsing_error"] is None and isinstance(out["raw"], AIMessage)
    assert transport.bodies[0]["tool_choice"] == {"type": "function", "function": {"name": "Pet"}}


def test_structured_output_default_method_per_model():
    transport = Scripted(completion('{"city": "Rome", "temp_c": 3}'))
    llm_for(transport, "gpt-4o-mini").with_structured_output(Weather).invoke("q")
    llm_for(transport, "kimi-k2-thinking").with_structured_output(Weather).invoke("q")
    assert transport.bodies[0]["response_format"]["type"] == "json_schema"
    assert transport.bodies[1]["response_format"] == {"type": "json_object"} and "tools" not in transport.bodies[1]


def test_structured_output_parsing_error_with_include_raw():
    transport = Scripted(completion("not json at all"))
    out = llm_for(transport, "gpt-4o").with_structured_output(Weather, include_raw=True).invoke("q")
    assert out["parsed"] is None and out["parsing_error"] is not None


# -- errors, plumbing ----------------------------------------------------------------------------------------------


def test_errors_are_langchain_and_mixrouter_errors_and_say_if_retry_helps():
    with pytest.raises(ModelRateLimitError) as info:
        llm_for(Scripted((429, {"error": {"message": "slow down"}}))).invoke("q")
    assert isinstance(info.value, mixrouter.RateLimitError) and info.value.is_retryable
    with pytest.raises(ModelAuthenticationError) as info:
        list(llm_for(Scripted((401, {"error": {"message": "无效的令牌"}}))).stream("q"))
    assert not info.value.is_retryable and "无效的令牌" in str(info.value)


def test_langchain_errors_survive_pickling():
    import pickle

    with pytest.raises(ModelRateLimitError) as info:
        llm_for(Scripted((429, {"error": {"message": "slow down", "code": "rate"}}))).invoke("q")
    back = pickle.loads(pickle.dumps(info.value))
    assert isinstance(back, ModelRateLimitError) and isinstance(back, mixrouter.RateLimitError)
    assert back.code == "rate" and back.message == "slow down"


def test_missing_key_is_a_clear_error(monkeypatch):
    monkeypatch.delenv("MIXROUTER_API_KEY", raising=False)
    with pytest.raises(ValueError, match="MIXROUTER_API_KEY"):
        ChatMixRouter(model="gpt-4o")


def test_ls_params_profile_and_token_counting():
    llm = ChatMixRouter(model="deepseek-chat", api_key=KEY, temperature=0.3, max_tokens=99)
    params = llm._get_ls_params(model="qwen3-max")
    assert params["ls_provider"] == "mixrouter" and params["ls_model_name"] == "qwen3-max"
    assert params["ls_temperature"] == 0.3 and params["ls_max_tokens"] == 99
    assert llm.profile["max_input_tokens"] == 128_000 and llm.profile["reasoning_output"] is True
    assert llm.profile["image_inputs"] is False
    assert llm.get_num_tokens_from_messages([HumanMessage("你好, how are you today?")]) > 0


def test_serialisation_round_trip_without_the_key():
    llm = ChatMixRouter(model="deepseek-chat", api_key="sk-serialise-secret-123", thinking=True, temperature=0.2)
    text = dumps(llm)
    assert "sk-serialise-secret-123" not in text and "MIXROUTER_API_KEY" in text
    back = load(
        dumpd(llm),
        valid_namespaces=["langchain_mixrouter"],
        allowed_objects=[ChatMixRouter],
        secrets_map={"MIXROUTER_API_KEY": "sk-other-key-456"},
    )
    assert isinstance(back, ChatMixRouter) and back.thinking is True and back.model_name == "deepseek-chat"
    assert "sk-serialise-secret-123" not in repr(llm) + str(llm)


def test_proxy_setting_reaches_the_transport(monkeypatch):
    explicit = ChatMixRouter(model="gpt-4o", api_key=KEY, proxy="http://127.0.0.1:3128")
    assert explicit._client.transport.proxy == "http://127.0.0.1:3128"
    monkeypatch.setenv("MIXROUTER_PROXY", "http://127.0.0.1:8888")
    from_env = ChatMixRouter(model="gpt-4o", api_key=KEY)
    assert from_env._aclient.transport.proxy == "http://127.0.0.1:8888"
    assert from_env._client.transport.client is not explicit._client.transport.client  # pooled per proxy


def test_construction_is_cheap_and_shares_the_http_pool():
    a = ChatMixRouter(model="gpt-4o", api_key=KEY)
    b = ChatMixRouter(model="qwen-max", api_key="another-key-123456")
    assert a._client.transport.client is b._client.transport.client


def test_on_llm_new_token_callbacks():
    from langchain_core.callbacks import BaseCallbackHandler

    class Tokens(BaseCallbackHandler):
        def __init__(self) -> None:
            self.tokens: list[str] = []

        def on_llm_new_token(self, token: str, **kwargs) -> None:
            self.tokens.append(token)

    handler = Tokens()
    stream = [delta({"content": "Hel"}), delta({"content": "lo"}), delta({}, "stop"), usage_chunk()]
    list(llm_for(Scripted(stream)).stream("q", config={"callbacks": [handler]}))
    assert "".join(handler.tokens) == "Hello"


def test_token_usage_in_response_metadata_as_chatopenai_has_it():
    transport = Scripted(completion("hi", usage={"prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10}))
    msg = llm_for(transport).invoke("q")
    assert msg.response_metadata["token_usage"]["prompt_tokens"] == 7
    assert msg.response_metadata["token_usage"]["completion_tokens"] == 3
