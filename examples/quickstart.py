"""MixRouter in five minutes: a LangChain chain, the same question streamed with its reasoning, a LlamaIndex query
engine over a few documents, an agent that makes a video, and one that makes a picture and reads it aloud.

    python examples/quickstart.py

With MIXROUTER_API_KEY set it calls MixRouter live; without it, it replays the recorded answers (no network).
"""

from __future__ import annotations

import sys
import time

import chain
import llamaindex_query_engine
import llamaindex_video_agent
import picture_agent
import streaming_thinking
from _offline import banner

BOLD, RESET = ("\033[1m", "\033[0m") if sys.stdout.isatty() else ("", "")


def section(title: str) -> None:
    print(f"\n{BOLD}== {title}{RESET}")


def main() -> None:
    started = time.monotonic()
    banner()
    section("1. A LangChain chain (prompt | ChatMixRouter | parser)")
    chain.main()
    section("2. The same question streamed, reasoning apart from the answer (deepseek-chat, thinking=True)")
    streaming_thinking.main(chain.QUESTION)
    section("3. A LlamaIndex query engine over examples/data (glm-4.6, thinking=True)")
    llamaindex_query_engine.main()
    section("4. A LlamaIndex agent making a video with MixRouterVideoTool")
    llamaindex_video_agent.main()
    section("5. A LangChain agent making a picture and reading it aloud (MixRouterImageTool, MixRouterSpeechTool)")
    picture_agent.main()
    print(f"\ndone in {time.monotonic() - started:.1f} s. More: examples/*.py, `mixrouter --help`, README.md")


if __name__ == "__main__":
    main()
