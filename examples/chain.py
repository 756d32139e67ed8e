"""A LangChain chain: prompt | ChatMixRouter | parser.  ``python examples/chain.py`` (offline without a key)."""

from __future__ import annotations

from _offline import banner, langchain_kwargs
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from langchain_mixrouter import ChatMixRouter

QUESTION = "1+2+3+...+100=?"


def main() -> str:
    prompt = ChatPromptTemplate.from_messages([("system", "You are a concise math tutor."), ("user", "{question}")])
    chain = prompt | ChatMixRouter(model="gpt-4o-mini", **langchain_kwargs()) | StrOutputParser()
    answer = chain.invoke({"question": QUESTION})
    print(f"Q: {QUESTION}\nA: {answer}")
    return answer


if __name__ == "__main__":
    banner()
    main()
