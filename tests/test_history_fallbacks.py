"""A fallback across three vendors carries the conversation: ``with_fallbacks`` and LangChain's
``ModelFallbackMiddleware`` against the strict stub, with the vendors ahead in the chain down (503)."""

from __future__ import annotations

import asyncio
import json
import warnings
from typing import Any

import httpx
import pytest
from langchain.agents import create_agent
from langchain.agents.middleware import ModelFallbackMiddleware
from langchain_core.messages import HumanMessage

from tests.history_matrix import PRODUCERS, langchain_history, lookup_order
from tests.seams import StubWire

CHAIN = ("gemini-3-pro-preview", "claude-sonnet-4-5", "deepseek-v4-pro")
_DOWN = {"error": {"message": "upstream unavailable", "type": "upstream_error", "code": "service_unavailable"}}


class DownWire(StubWire):
    """The stub, with the models in ``down`` answering 503 to a request their vendor takes. A request the vendor
    would refuse is kept in ``refused`` (``with_fallbacks`` moves on after any error, so a 400 would go unseen)."""

    def __init__(self, down: set[str]) -> None:
        super().__init__()
        self.down = down
        self.refused: list[tuple[str, bytes]] = []

    def _handle(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else {}
        answer = super()._handle(request)  # the vendor's own 400 for a request it would refuse, on any route
        if answer.status_code != 200:
            self.refused.append((body.get("model"), answer.content))
        if body.get("model") in self.down:
            return httpx.Response(503, json=_DOWN)
        return answer


def _chain(wire: DownWire) -> Any:
    first, *rest = (wire.langchain(m, max_retries=0, **PRODUCERS[m]).bind_tools([lookup_order]) for m in CHAIN)
    return first.with_fallbacks(rest)


@pytest.mark.parametrize(("down", "answers"), [({CHAIN[0]}, CHAIN[1]), ({CHAIN[0], CHAIN[1]}, CHAIN[2])])
@pytest.mark.parametrize("producer", ["gpt-4o-mini", "gpt-5.2-pro", "minimax-m2"])
def test_with_fallbacks_across_three_vendors_continues_a_foreign_tool_loop(producer, down, answers):
    history = langchain_history(StubWire(), producer, finished=False)
    wire = DownWire(down)
    chain = _chain(wire)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Claude's "thinking is off for this request" (tests/test_history_remedies)
        results = [chain.invoke(history), asyncio.run(chain.ainvoke(history))]
        streamed = list(chain.stream(history))
    for result in [*results, sum(streamed[1:], streamed[0])]:
        assert "order 43 shipped" in result.text
        assert result.response_metadata["model_name"] == answers
    tried = [body["model"] for _, body in wire.requests]
    assert tried[: len(down) + 1] == [*CHAIN[: len(down)], answers]
    assert wire.refused == []  # every vendor, down or not, was sent a request it takes


def test_model_fallback_middleware_moves_an_agents_conversation_to_the_next_vendor():
    wire = DownWire({CHAIN[0]})
    primary, *fallbacks = (wire.langchain(m, max_retries=0, **PRODUCERS[m]) for m in CHAIN)
    agent = create_agent(primary, tools=[lookup_order], middleware=[ModelFallbackMiddleware(*fallbacks)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        state = agent.invoke({"messages": [HumanMessage("Where is order 42?")]})
    assert "order 42 shipped" in state["messages"][-1].text
    models = [body["model"] for _, body in wire.requests]
    assert wire.refused == []
    turns = len(models) // 2
    assert turns >= 2 and models == [CHAIN[0], CHAIN[1]] * turns  # each model call: Gemini down, then Claude
