"""MixRouter's documented examples, replayed from VCR cassettes through the public client, sync and async.

Each cassette's provenance (doc page or inferred shape) is listed in cassettes/README.md.
"""

from __future__ import annotations

import json

import pytest

from mixrouter import AsyncMixRouterClient, AuthenticationError, MixRouterClient

pytestmark = pytest.mark.vcr

SUM_PROMPT = [{"role": "user", "content": [{"type": "text", "text": "1+2+3+4+...+100=?"}]}]
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city.",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}


def _bodies(vcr) -> list[dict]:
    return [json.loads(r.body) for r in vcr.requests]


def test_gpt_4o_mini_documented_example(vcr):
    result = MixRouterClient().chat("gpt-4o-mini", SUM_PROMPT, max_tokens=2000, temperature=0.8, top_p=0.1)
    assert "5050" in result.text
    assert result.model == "gpt-4o-mini-2024-07-18"  # differs from the requested id, as documented
    assert result.finish_reason == "stop"
    assert (result.usage.input_tokens, result.usage.output_tokens, result.usage.total_tokens) == (
        19,
        116,
        135,
    )
    sent = _bodies(vcr)[0]
    assert sent["stream"] is False and "steam" not in sent
    assert sent["max_tokens"] == 2000 and "max_completion_tokens" not in sent


async def test_gpt_4o_mini_documented_example_async(vcr):
    async with AsyncMixRouterClient() as client:
        result = await client.chat("gpt-4o-mini", SUM_PROMPT, max_tokens=2000, temperature=0.8, top_p=0.1)
    assert "5050" in result.text and result.usage.total_tokens == 135


def test_claude_inline_budget_thinking_becomes_reasoning():
    result = MixRouterClient().chat("claude-opus-4-5-20251101", SUM_PROMPT, temperature=0.8, top_p=0.1, max_tokens=300)
    assert result.reasoning.startswith("\nThis is a simple arithmetic series problem")
    assert "<budget:thinking>" not in result.text and result.text.startswith("Using the formula")
    assert result.usage.input_tokens == 21  # new-api's zero input_tokens does not override prompt_tokens


def test_doubao_thinking_model_reasoning_content():
    result = MixRouterClient().chat("doubao-seed-1-6-thinking-250715", SUM_PROMPT)
    assert "高斯求和" in result.reasoning
    assert "5050" in result.text
    assert result.usage.reasoning_tokens == 260


def test_minimax_reasoning_and_cache_fields():
    result = MixRouterClient().chat(
        "minimax-m2",
        [{"content": "You are a helpful assistant", "role": "system"}, {"content": "Hi", "role": "user"}],
        max_tokens=4096,
        temperature=1,
    )
    assert result.model == "MiniMaxAI/MiniMax-M2"
    assert result.reasoning.startswith("Hmm, the user just said")
    assert result.usage.reasoning_tokens == 150 and result.usage.cache_read == 0


def test_qwen_max_keys_in_any_order():
    result = MixRouterClient().chat(
        "qwen-max",
        [
            {"role": "system", "content": "你是一个乐于解答各种问题的助手"},
            {"role": "user", "content": "你好,请介绍一下自己"},
        ],
        max_tokens=4096,
        temperature=0.7,
    )
    assert "通义千问" in result.text and result.id.startswith("chatcmpl-")


def test_deepseek_v4_pro_thinking_flag_on_the_wire(vcr):
    result = MixRouterClient().chat(
        "deepseek-v4-pro",
        [{"content": "You are a helpful assistant", "role": "system"}, {"content": "Hi", "role": "user"}],
        thinking=True,
    )
    assert _bodies(vcr)[0]["thinking"] == {"type": "enabled"}
    assert result.model == "deepseek-chat" and result.text.startswith("Hello!")


def test_gemini_image_answer_content_as_parts():
    result = MixRouterClient().chat(
        "gemini-2.5-flash-image-preview",
        [{"role": "user", "content": [{"type": "text", "text": "生成一张小狗图片"}]}],
        max_tokens=2000,
    )
    assert result.text.startswith("好的")
    assert result.content_parts[0]["type"] == "image_url"
    assert result.content_parts[0]["image_url"]["url"].endswith(".png")


def test_stream_with_reasoning_sync(vcr):
    client = MixRouterClient()
    with client.chat_stream("deepseek-chat", SUM_PROMPT, thinking=True) as stream:
        deltas = list(stream)
    assert deltas[0].reasoning and not deltas[0].text  # the first, reasoning-only chunk is kept
    assert [d for d in deltas if d.final] == [deltas[-1]]
    final = deltas[-1]
    assert final.usage.reasoning_tokens == 18 and final.finish_reason == "stop"
    result = stream.result()
    assert result.text == "The sum is 5050." and result.reasoning.startswith("The user asks")
    sent = _bodies(vcr)[0]
    assert sent["stream"] is True and sent["stream_options"] == {"include_usage": True}


async def test_stream_with_reasoning_async():
    client = AsyncMixRouterClient()
    stream = client.chat_stream("deepseek-chat", SUM_PROMPT, thinking=True)
    reasoning, text = [], []
    async for delta in stream:
        reasoning.append(delta.reasoning)
        text.append(delta.text)
    assert "".join(text) == "The sum is 5050."
    assert "".join(reasoning) == stream.result().reasoning != ""


def test_streamed_tool_call_with_repeated_ids(vcr):
    client = MixRouterClient()
    stream = client.chat_stream(
        "deepseek-v4-pro",
        [{"role": "user", "content": "Weather in Paris?"}],
        tools=[WEATHER_TOOL],
        thinking=True,
    )
    ids = [tc.id for d in stream for tc in (d.tool_calls or ()) if tc.id]
    result = stream.result()
    assert ids == ["call_0_weather"]  # repeated in every delta upstream, announced once here
    (call,) = result.tool_calls
    assert call.id == "call_0_weather" and call.name == "get_weather"
    assert call.parsed_arguments() == {"city": "Paris"}
    assert result.finish_reason == "tool_calls"


def test_tool_round_trip_echoes_reasoning_for_deepseek(vcr):
    client = MixRouterClient()
    history = [{"role": "user", "content": "Weather in Paris?"}]
    first = client.chat("deepseek-v4-pro", history, tools=[WEATHER_TOOL], thinking=True)
    assert first.tool_calls[0].name == "get_weather"
    history += [
        first.to_assistant_message(),
        {"role": "tool", "tool_call_id": first.tool_calls[0].id, "content": '{"temp_c": 18, "sky": "sunny"}'},
    ]
    second = client.chat("deepseek-v4-pro", history, tools=[WEATHER_TOOL], thinking=True)
    assert "Paris" in second.text
    assistant = _bodies(vcr)[1]["messages"][1]
    assert assistant["reasoning_content"] == "I should look up the weather."  # DeepSeek requires it back
    assert assistant["tool_calls"][0]["id"] == "call_0_weather"


async def test_tool_round_trip_async_stream(vcr):
    client = AsyncMixRouterClient()
    history = [{"role": "user", "content": "Weather in Paris?"}]
    first = await client.chat_stream("deepseek-v4-pro", history, tools=[WEATHER_TOOL], thinking=True).collect()
    history += [
        first.to_assistant_message(),
        {"role": "tool", "tool_call_id": first.tool_calls[0].id, "content": "18C sunny"},
    ]
    second = await client.chat_stream("deepseek-v4-pro", history, tools=[WEATHER_TOOL], thinking=True).collect()
    assert second.text == "It is 18°C and sunny in Paris."
    assert _bodies(vcr)[1]["messages"][1]["reasoning_content"] == "I should look up the weather."


def test_embeddings_batched(vcr):
    result = MixRouterClient().embed("text-embedding-3-small", ["alpha", "beta", "gamma"], batch_size=2)
    assert len(result.vectors) == 3 and len(vcr.requests) == 2
    assert result.usage.input_tokens > 0


async def test_embeddings_batched_async(vcr):
    result = await AsyncMixRouterClient().embed("text-embedding-3-small", ["alpha", "beta", "gamma"], batch_size=2)
    assert len(result.vectors) == 3 and len(vcr.requests) == 2
    # the batches run concurrently, so they may reach the server (and the cassette) in either order
    assert sorted(json.loads(r.body)["input"] for r in vcr.requests) == [["alpha", "beta"], ["gamma"]]


def test_invalid_key_new_api_error():
    client = MixRouterClient(api_key="sk-invalid-key-for-tests")
    with pytest.raises(AuthenticationError) as info:
        client.chat("gpt-4o-mini", SUM_PROMPT)
    err = info.value
    assert err.status == 401 and err.message == "无效的令牌"
    assert "request id" not in str(err) and "sk-invalid" not in str(err) + repr(err)
