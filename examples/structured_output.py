"""Structured output: a pydantic object from the model (json_schema, a forced tool or JSON mode, chosen per model).
``python examples/structured_output.py``"""

from __future__ import annotations

from _offline import banner, langchain_kwargs
from pydantic import BaseModel, Field

from langchain_mixrouter import ChatMixRouter


class Weather(BaseModel):
    """A weather report."""

    city: str = Field(description="the city")
    temp_c: int = Field(description="temperature in °C")


def main() -> Weather:
    llm = ChatMixRouter(model="gpt-4.1", **langchain_kwargs()).with_structured_output(Weather)
    report = llm.invoke("It is 18 degrees in 'Paris' today.")
    print(repr(report))
    return report


if __name__ == "__main__":
    banner()
    main()
