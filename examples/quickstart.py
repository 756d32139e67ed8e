"""MixRouter in five minutes: a chat call, a streamed answer with its reasoning, a tool round trip (sync + async).

    python examples/quickstart.py

With MIXROUTER_API_KEY set it calls MixRouter live; without it, it replays the bundled cassettes (no network).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import httpx

from mixrouter import AsyncMixRouterClient, MixRouterClient
from mixrouter.replay import ReplayTransport

CASSETTES = Path(__file__).resolve().parent.parent / "cassettes" / "test_documented_replay"
DIM, RESET, BOLD = ("\033[2m", "\033[0m", "\033[1m") if sys.stdout.isatty() else ("", "", "")
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city.",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}


def make_clients() -> tuple[MixRouterClient, AsyncMixRouterClient]:
    if os.environ.get("MIXROUTER_API_KEY"):
        print("live: calling MixRouter with your MIXROUTER_API_KEY")
        return MixRouterClient(), AsyncMixRouterClient()
    print("offline: no MIXROUTER_API_KEY set, replaying the bundled cassettes (set the key to run live)")
    replay = ReplayTransport(CASSETTES)
    key = "offline-replay-key"
    return (
        MixRouterClient(api_key=key, http_client=httpx.Client(transport=replay)),
        AsyncMixRouterClient(api_key=key, http_client=httpx.AsyncClient(transport=replay)),
    )


def section(title: str) -> None:
    print(f"\n{BOLD}== {title}{RESET}")


def main() -> None:
    client, aclient = make_clients()

    section("1. A chat call (gpt-4o-mini)")
    prompt = [{"role": "user", "content": [{"type": "text", "text": "1+2+3+4+...+100=?"}]}]
    result = client.chat("gpt-4o-mini", prompt, max_tokens=2000, temperature=0.8, top_p=0.1)
    print(result.text)
    print(f"{DIM}model={result.model} tokens in/out={result.usage.input_tokens}/{result.usage.output_tokens}{RESET}")

    section("2. Streamed, with the reasoning shown apart (deepseek-chat, thinking=True)")
    with client.chat_stream("deepseek-chat", prompt, thinking=True) as stream:
        in_reasoning = False
        for delta in stream:
            if delta.reasoning:
                if not in_reasoning:
                    print(f"{DIM}[thinking] ", end="")
                    in_reasoning = True
                print(delta.reasoning, end="", flush=True)
            if delta.text:
                if in_reasoning:
                    print(f"{RESET}\n[answer] ", end="")
                    in_reasoning = False
                print(delta.text, end="", flush=True)
            if delta.final:
                print(f"\n{DIM}reasoning tokens={delta.usage.reasoning_tokens}{RESET}")

    section("3. A tool round trip, async (deepseek-v4-pro, reasoning echoed back as DeepSeek requires)")

    async def tool_loop() -> None:
        history = [{"role": "user", "content": "Weather in Paris?"}]
        first = await aclient.chat("deepseek-v4-pro", history, tools=[WEATHER_TOOL], thinking=True)
        call = first.tool_calls[0]
        print(f"model asks for {call.name}({call.parsed_arguments()})")
        answer = {"temp_c": 18, "sky": "sunny"}
        history += [
            first.to_assistant_message(),
            {"role": "tool", "tool_call_id": call.id, "content": json.dumps(answer)},
        ]
        second = await aclient.chat("deepseek-v4-pro", history, tools=[WEATHER_TOOL], thinking=True)
        print(second.text)

    asyncio.run(tool_loop())


if __name__ == "__main__":
    main()
