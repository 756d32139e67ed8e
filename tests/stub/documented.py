"""MixRouter's documented response examples (shared/research/mixrouter_api.md), served by ``tests/stub/server.py``
so cassettes can be recorded from documented shapes. Each entry names its source page; shapes that MixRouter does
not document (SSE chunks, tool calls, embeddings, errors) follow the conventions in research §8 and are marked
INFERRED. Text is shortened where noted; structure and field names are as documented.
"""

from __future__ import annotations

import math
import re
from typing import Any

NEW_API_FULL_USAGE_ZERO = {
    "prompt_tokens_details": {"cached_tokens": 0, "text_tokens": 0, "audio_tokens": 0, "image_tokens": 0},
    "completion_tokens_details": {"text_tokens": 0, "audio_tokens": 0, "reasoning_tokens": 0},
    "output_tokens_details": {"text_tokens": 0, "audio_tokens": 0, "reasoning_tokens": 0},
    "input_tokens": 0,
    "output_tokens": 0,
    "input_tokens_details": None,
    "claude_cache_creation_5_m_tokens": 0,
    "claude_cache_creation_1_h_tokens": 0,
}

# model id -> (source, chat.completion body)
CHAT: dict[str, tuple[str, dict[str, Any]]] = {
    "gpt-4o-mini": (
        "P13 https://mixrouter.apifox.cn/gpt-4o-mini-399337955e0",
        {
            "id": "chatcmpl-CqaE04p8lM9SbUT7SpjnAR1v3GPmD",
            "object": "chat.completion",
            "created": 1766648340,
            "model": "gpt-4o-mini-2024-07-18",
            "choices": [
                {
                    "index": 0,
                    "message": {
                        "role": "assistant",
                        "content": "The sum of the first \\( n \\) natural numbers ... So, the sum "
                        "\\( 1 + 2 + 3 + \\ldots + 100 = 5050 \\).",
                        "refusal": None,
                        "annotations": [],
                    },
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": {
                "prompt_tokens": 19,
                "completion_tokens": 116,
                "total_tokens": 135,
                "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                "completion_tokens_details": {
                    "reasoning_tokens": 0,
                    "audio_tokens": 0,
                    "accepted_prediction_tokens": 0,
                    "rejected_prediction_tokens": 0,
                },
            },
            "system_fingerprint": "fp_f97eff32c5",
        },
    ),
    "claude-opus-4-5-20251101": (
        "P3 https://mixrouter.apifox.cn/openai%E6%A0%BC%E5%BC%8F-388140263e0 (seed 001)",
        {
            "id": "msg_01YHGPdhsgE5NjPyVF8tfKkK",
            "model": "claude-opus-4-5-20251101",
            "object": "chat.completion",
            "created": 1765209435,
            "choices": [
                {
                    "index": 0,
                    "message": {
                        "role": "assistant",
                        "content": "<budget:thinking>\nThis is a simple arithmetic series problem. I need to find "
                        "the sum 1+2+3+...+100.\n</budget:thinking>\n\nUsing the formula for the sum of an "
                        "arithmetic series: S = n(n+1)/2\n\nFor n = 100:\nS = 100 × 101 / 2 = **5050**",
                    },
                    "finish_reason": "stop",
                }
            ],
            "usage": {
                "prompt_tokens": 21,
                "completion_tokens": 87,
                "total_tokens": 108,
                **NEW_API_FULL_USAGE_ZERO,
            },
        },
    ),
    "doubao-seed-1-6-thinking-250715": (
        "P8 https://mixrouter.apifox.cn/chatcompletions-390533192e0 (answer shortened; usage cut in the archive, "
        "completed with the P27 schema's keys)",
        {
            "choices": [
                {
                    "finish_reason": "stop",
                    "index": 0,
                    "logprobs": None,
                    "message": {
                        "content": "**结论**:1+2+3+…+100 = 5050。",
                        "reasoning_content": "\n用户现在问的是1加到100的和是多少,首先我得回忆一下高斯求和的公式对吧。",
                        "role": "assistant",
                    },
                }
            ],
            "created": 1765547023,
            "id": "021765547013146aafb70253f86f133b2b849e439c9606481f7d7",
            "model": "doubao-seed-1-6-thinking-250715",
            "service_tier": "default",
            "object": "chat.completion",
            "usage": {
                "completion_tokens": 412,
                "prompt_tokens": 20,
                "total_tokens": 432,
                "prompt_tokens_details": {"cached_tokens": 0},
                "completion_tokens_details": {"reasoning_tokens": 260},
            },
        },
    ),
    "minimax-m2": (
        "P18 https://mixrouter.apifox.cn/minimax-m2-399337991e0 (reasoning shortened)",
        {
            "id": "019b681a731ae556e91034b0d09d632e",
            "object": "chat.completion",
            "created": 1766978122,
            "model": "MiniMaxAI/MiniMax-M2",
            "choices": [
                {
                    "index": 0,
                    "message": {
                        "role": "assistant",
                        "content": "\n\nHello! 🌟 I'm happy to help — just tell me what you're thinking or where "
                        "I can assist today.😊",
                        "reasoning_content": 'Hmm, the user just said "Hi" - it\'s a simple greeting.',
                    },
                    "finish_reason": "stop",
                }
            ],
            "usage": {
                "prompt_tokens": 22,
                "completion_tokens": 174,
                "total_tokens": 196,
                "completion_tokens_details": {"reasoning_tokens": 150},
                "prompt_tokens_details": {"cached_tokens": 0},
                "prompt_cache_hit_tokens": 0,
                "prompt_cache_miss_tokens": 22,
            },
            "system_fingerprint": "",
        },
    ),
    "qwen-max": (
        "P19 https://mixrouter.apifox.cn/qwen-max-399338011e0",
        {
            "choices": [
                {
                    "message": {
                        "content": "你好!我是来自阿里云的超大规模语言模型,我叫通义千问。",
                        "role": "assistant",
                    },
                    "finish_reason": "stop",
                    "index": 0,
                    "logprobs": None,
                }
            ],
            "object": "chat.completion",
            "usage": {
                "prompt_tokens": 42,
                "completion_tokens": 59,
                "total_tokens": 101,
                "prompt_tokens_details": {"cached_tokens": 0},
            },
            "created": 1767060209,
            "system_fingerprint": None,
            "model": "qwen-max",
            "id": "chatcmpl-9654fc2e-f6ce-931b-a5bc-bcea421a40db",
        },
    ),
    "deepseek-v4-pro": (
        "P30 https://mixrouter.apifox.cn/deepseek-v4-pro-451221035e0",
        {
            "id": "8f60adda-44b7-4299-b56e-8fa82d128323",
            "object": "chat.completion",
            "created": 1766977227,
            "model": "deepseek-chat",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": "Hello! How can I assist you today? 😊"},
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": {
                "prompt_tokens": 10,
                "completion_tokens": 11,
                "total_tokens": 21,
                "prompt_tokens_details": {"cached_tokens": 0},
                "prompt_cache_hit_tokens": 0,
                "prompt_cache_miss_tokens": 10,
            },
            "system_fingerprint": "fp_eaab8d114b_prod0820_fp8_kvcache",
        },
    ),
    "gemini-2.5-flash-image-preview": (
        "P24 https://mixrouter.apifox.cn/gemini-2-5-flash-image-preview-399338047e0",
        {
            "id": "chatcmpl-toio20251229013114218363759bWYFmq3s",
            "model": "gemini-2.5-flash-image-preview",
            "object": "chat.completion",
            "created": 1766971890,
            "choices": [
                {
                    "index": 0,
                    "message": {
                        "role": "assistant",
                        "content": [
                            {"type": "text", "text": "好的,这是一张小狗的图片。 "},
                            {
                                "type": "image_url",
                                "image_url": {
                                    "url": "https://toiotech.s3.cn-northwest-1.amazonaws.com.cn/images/"
                                    "1766971890734657957-dAgesLAfLH.png",
                                    "detail": "",
                                    "MimeType": "image/png",
                                },
                            },
                        ],
                    },
                    "finish_reason": "stop",
                }
            ],
            "usage": {
                "prompt_tokens": 1817,
                "completion_tokens": 1300,
                "total_tokens": 3117,
                **NEW_API_FULL_USAGE_ZERO,
            },
        },
    ),
}

# Streams: MixRouter documents no chunk example (P11). INFERRED from the OpenAI/new-api convention (research §8.3):
# chunks with ``delta``, ``reasoning_content`` deltas for reasoning models, a usage-only last chunk with empty
# choices when ``stream_options.include_usage`` is set, then ``data: [DONE]``.
STREAM_SOURCE = "INFERRED (research §8.3): OpenAI-style SSE; answer text from the model's documented page"


def reasoning_stream(model: str) -> list[dict[str, Any]]:
    """deepseek-chat with thinking on: reasoning deltas (the first chunk carries only reasoning), then the answer."""
    base = {
        "id": "3f1a9c2e-0d4b-4e8a-9a51-2b7c0e6d8f10",
        "object": "chat.completion.chunk",
        "created": 1766977300,
        "model": model,
    }
    pieces: list[dict[str, Any]] = [
        {"role": "assistant", "content": None, "reasoning_content": "The user asks for 1+...+100. "},
        {"reasoning_content": "Gauss: n(n+1)/2 = 5050."},
        {"content": "The sum is "},
        {"content": "5050."},
    ]
    chunks = [dict(base, choices=[{"index": 0, "delta": d, "finish_reason": None}]) for d in pieces]
    chunks.append(dict(base, choices=[{"index": 0, "delta": {}, "finish_reason": "stop"}]))
    chunks.append(
        dict(
            base,
            choices=[],
            usage={
                "prompt_tokens": 12,
                "completion_tokens": 30,
                "total_tokens": 42,
                "prompt_tokens_details": {"cached_tokens": 0},
                "completion_tokens_details": {"reasoning_tokens": 18},
                "prompt_cache_hit_tokens": 0,
                "prompt_cache_miss_tokens": 12,
            },
        )
    )
    return chunks


def tool_call_stream(model: str) -> list[dict[str, Any]]:
    """A thinking model calling a tool: reasoning, then a tool call whose arguments arrive in pieces, with the id
    repeated in every piece (as DeepSeek and Qwen do)."""
    base = {
        "id": "9b2e4d61-7c3a-4f0e-8d15-6a9f3c2b1e07",
        "object": "chat.completion.chunk",
        "created": 1766977400,
        "model": model,
    }
    call = {"index": 0, "id": "call_0_weather", "type": "function"}
    pieces: list[dict[str, Any]] = [
        {"role": "assistant", "reasoning_content": "I should look up the weather."},
        {"tool_calls": [dict(call, function={"name": "get_weather", "arguments": ""})]},
        {"tool_calls": [dict(call, function={"arguments": '{"city": '})]},
        {"tool_calls": [dict(call, function={"arguments": '"Paris"}'})]},
    ]
    chunks = [dict(base, choices=[{"index": 0, "delta": d, "finish_reason": None}]) for d in pieces]
    chunks.append(dict(base, choices=[{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]))
    chunks.append(
        dict(
            base,
            choices=[],
            usage={
                "prompt_tokens": 80,
                "completion_tokens": 25,
                "total_tokens": 105,
                "completion_tokens_details": {"reasoning_tokens": 9},
            },
        )
    )
    return chunks


def tool_call_completion(model: str) -> dict[str, Any]:
    """INFERRED (OpenAI convention): a non-streamed tool call from a thinking model."""
    return {
        "id": "5c7d2a10-3e4f-4b6a-9c8d-0e1f2a3b4c5d",
        "object": "chat.completion",
        "created": 1766977500,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": "",
                    "reasoning_content": "I should look up the weather.",
                    "tool_calls": [
                        {
                            "id": "call_0_weather",
                            "type": "function",
                            "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
                        }
                    ],
                },
                "finish_reason": "tool_calls",
            }
        ],
        "usage": {
            "prompt_tokens": 80,
            "completion_tokens": 25,
            "total_tokens": 105,
            "completion_tokens_details": {"reasoning_tokens": 9},
        },
    }


def final_answer_completion(model: str) -> dict[str, Any]:
    return {
        "id": "6d8e3b21-4f50-4c7b-8d9e-1f2a3b4c5d6e",
        "object": "chat.completion",
        "created": 1766977510,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": "It is 18°C and sunny in Paris.",
                    "reasoning_content": "The tool says 18C sunny.",
                },
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 120, "completion_tokens": 20, "total_tokens": 140},
    }


EMBEDDINGS_SOURCE = "INFERRED: OpenAI /v1/embeddings shape (MixRouter lists the models, the page is menu-only)"


def embeddings(model: str, texts: list[str]) -> dict[str, Any]:
    """INFERRED shape. Vectors are a hashed bag of words (16 floats, unit length), so texts sharing words are
    close and a vector index retrieves sensibly; real models return 1536/3072 floats."""
    dims = 16
    data = []
    for i, text in enumerate(texts):
        vec = [0.0] * dims
        for word in re.findall(r"[a-z0-9]+", text.lower()):
            vec[sum(map(ord, word)) % dims] += 1.0
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        data.append({"object": "embedding", "index": i, "embedding": [round(v / norm, 4) for v in vec]})
    tokens = sum(max(1, len(t) // 4) for t in texts)
    return {
        "object": "list",
        "data": data,
        "model": model,
        "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
    }


ERROR_SOURCE = "INFERRED (research §8.2): new-api error shape"
INVALID_KEY = {
    "error": {
        "message": "无效的令牌 (request id: 20251226074613833316175pDor54M8)",
        "type": "new_api_error",
        "code": "",
    }
}
