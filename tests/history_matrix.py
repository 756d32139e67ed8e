"""The models of the cross-vendor matrix, and conversations made by them through either face against the strict stub.

``PRODUCERS`` are the twelve families the issue names, each as its user would call it (thinking on where the
model has a switch). A history is made by really calling the producer (tool call, tool result, answer, next user
turn), so every artifact in it is what the package keeps from that vendor; the stub signs Claude's thinking,
Gemini's function calls and the Responses reasoning items, and checks them when they come back.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import BaseMessage, HumanMessage, ToolMessage
from langchain_core.tools import tool
from llama_index.core.base.llms.types import ChatMessage, MessageRole, ToolCallBlock
from llama_index.core.tools import FunctionTool

from tests.seams import StubWire

# model id -> settings its user passes (thinking on where the model has a switch)
PRODUCERS: dict[str, dict[str, Any]] = {
    "gpt-4o-mini": {},
    "o3": {},
    "gpt-5.2-pro": {},
    "claude-sonnet-4-5": {"thinking": True},
    "gemini-2.5-pro": {},
    "gemini-3-pro-preview": {},
    "deepseek-v4-pro": {"thinking": True},
    "deepseek-reasoner": {},
    "qwen3-max": {"thinking": True},
    "kimi-k2-thinking": {},
    "glm-4.6": {"thinking": True},
    "minimax-m2": {},
}
QUESTION = "Where are orders 42 and 43? Check both."
FOLLOW_UP = "And where is order 43?"


@tool
def lookup_order(order: int) -> str:
    """Where an order is."""
    return f"order {order} shipped"


def _order_result(order: Any) -> str:
    return f"order {order} shipped"


def _lookup_order(order: int) -> str:
    """Where an order is."""
    return _order_result(order)


LLAMA_TOOL = FunctionTool.from_defaults(fn=_lookup_order, name="lookup_order")


def langchain_history(wire: StubWire, model: str, *, finished: bool) -> list[BaseMessage]:
    """A LangChain tool-loop history made by ``model``: question, tool call, result, and (``finished``) its
    answer and the next question; else the history stops at the tool result (a switch mid-loop)."""
    llm = wire.langchain(model, **PRODUCERS[model]).bind_tools([lookup_order])
    history: list[BaseMessage] = [HumanMessage(QUESTION)]
    call = llm.invoke(history)
    assert len(call.tool_calls) == 2, f"{model} made {len(call.tool_calls)} tool calls, not two in parallel"
    history += [call]
    history += [
        ToolMessage(lookup_order.invoke(tc["args"]), tool_call_id=tc["id"], name=tc["name"]) for tc in call.tool_calls
    ]
    if finished:
        history += [llm.invoke(history), HumanMessage(FOLLOW_UP)]
    return history


def llama_history(wire: StubWire, model: str, *, finished: bool) -> list[ChatMessage]:
    """The same history through LlamaIndex (tool results as FunctionAgent writes them: no ``name``)."""
    llm = wire.llama(model, **PRODUCERS[model])
    history = [ChatMessage(role=MessageRole.USER, content=QUESTION)]
    call = llm.chat_with_tools([LLAMA_TOOL], chat_history=history, allow_parallel_tool_calls=True).message
    calls = [b for b in call.blocks if isinstance(b, ToolCallBlock)]
    assert len(calls) == 2, f"{model} made {len(calls)} tool calls, not two in parallel"
    history.append(call)
    for block in calls:
        args = block.tool_kwargs if isinstance(block.tool_kwargs, dict) else {}
        history.append(
            ChatMessage(
                role=MessageRole.TOOL,
                content=_order_result(args.get("order")),
                additional_kwargs={"tool_call_id": block.tool_call_id},
            )
        )
    if finished:
        history.append(llm.chat_with_tools([LLAMA_TOOL], chat_history=history, allow_parallel_tool_calls=True).message)
        history.append(ChatMessage(role=MessageRole.USER, content=FOLLOW_UP))
    return history
