"""A LangChain tool-calling agent (``create_agent``) with a thinking DeepSeek model: the reasoning is sent back on
the tool turn, as DeepSeek requires.  ``python examples/tool_agent.py``"""

from __future__ import annotations

import json

from _offline import banner, langchain_kwargs
from langchain.agents import create_agent
from langchain_core.tools import tool

from langchain_mixrouter import ChatMixRouter


@tool
def get_weather(city: str) -> str:
    """Current weather for a city."""
    return json.dumps({"city": city, "temp_c": 18, "sky": "sunny"})


def main() -> str:
    agent = create_agent(ChatMixRouter(model="deepseek-v4-pro", thinking=True, **langchain_kwargs()), [get_weather])
    result = agent.invoke({"messages": [("user", "Weather in Paris?")]})
    for message in result["messages"][1:]:
        for call in getattr(message, "tool_calls", []):
            print(f"calls {call['name']}({call['args']})")
    answer = result["messages"][-1].content
    print(answer)
    return answer


if __name__ == "__main__":
    banner()
    main()
