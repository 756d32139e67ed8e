"""Streaming with thinking on: the reasoning is shown apart from the answer.

python examples/streaming_thinking.py
"""

from __future__ import annotations

import sys

from _offline import banner, langchain_kwargs

from langchain_mixrouter import ChatMixRouter

DIM, RESET = ("\033[2m", "\033[0m") if sys.stdout.isatty() else ("", "")


def main(question: str = "1+2+3+...+100=?") -> tuple[str, str]:
    llm = ChatMixRouter(model="deepseek-chat", thinking=True, **langchain_kwargs())
    reasoning, answer = [], []
    for chunk in llm.stream(question):
        piece = chunk.additional_kwargs.get("reasoning_content", "")
        if piece:
            print(f"{DIM}{'' if reasoning else '[thinking] '}{piece}{RESET}", end="", flush=True)
            reasoning.append(piece)
        if chunk.content:
            print(f"{'' if answer else chr(10) + '[answer] '}{chunk.content}", end="", flush=True)
            answer.append(chunk.content)
        if chunk.usage_metadata:
            details = chunk.usage_metadata.get("output_token_details", {})
            print(f"\n{DIM}reasoning tokens: {details.get('reasoning', 0)}{RESET}")
    return "".join(reasoning), "".join(answer)


if __name__ == "__main__":
    banner()
    main()
