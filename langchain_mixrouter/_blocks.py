"""Standard content blocks for MixRouter's messages, and the vendor artifacts read back from v1 blocks.

Outgoing (``msg.content_blocks`` and ``output_version="v1"``): the ``mixrouter`` translator, registered with
LangChain when this module is imported (``_convert`` imports it, so ``ChatMixRouter`` brings it; the bare
``import langchain_mixrouter`` stays light). Each entry of ``additional_kwargs["reasoning_details"]`` becomes one
``reasoning`` block in the shape the vendor's own LangChain integration writes:

* Claude's signed thinking: ``{"type": "reasoning", "reasoning": text, "extras": {"signature": ...}}`` (as
  langchain-core's anthropic translator);
* a Responses reasoning item: ``{"type": "reasoning", "id": "rs_...", "reasoning": summary, "extras":
  {"encrypted_content": ...}}`` (as the openai translator, one block per item; ``extras["summary"]`` keeps a
  summary of several parts);
* anything else (``redacted_thinking``, ``reasoning.*`` items with their ``format``): the item's text as
  ``reasoning`` and every other key, ``type`` included, in ``extras``.

Gemini's thought signature of a tool call goes in that ``tool_call`` block's ``extras["signature"]`` (the key
langchain-google-genai reads signatures from). Stream chunks carry the reasoning text as it streams and each
artifact, when it closes, as a text-less block that LangChain's v1 numbering merges into the text before it.

Incoming (``ChatMixRouter`` given a history): ``artifacts`` reads the same artifacts back from v1 blocks, ours or
another integration's (ChatAnthropic v1, ChatOpenAI Responses v1 / ``responses/v1`` / v0.3, ChatGoogleGenerativeAI's
function-call signatures), for ``_convert._assistant``; ``additional_kwargs`` win where both are present.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.messages import content as types
from langchain_core.messages.block_translators import register_translator

PROVIDER = "mixrouter"
_GOOGLE = frozenset({"google_genai", "google_vertexai"})
_TEXT_KEY = {"thinking": "thinking", "reasoning.text": "text", "reasoning.summary": "summary"}
_GEMINI_SIGNATURES = "__gemini_function_call_thought_signatures__"  # langchain-google-genai's additional_kwargs key
_WHOLE = frozenset({"thinking", "redacted_thinking", "reasoning"})  # artifacts the core streams whole, once


# -- outgoing -----------------------------------------------------------------------------------------------------


def reasoning_block(item: Mapping[str, Any], *, text: bool = True) -> types.ReasoningContentBlock:
    """One ``reasoning_details`` entry as a reasoning block (``text=False``: without its text, for a stream)."""
    kind = item.get("type")
    block: dict[str, Any] = {"type": "reasoning"}
    if kind == "thinking":
        said: Any = item.get("thinking", "")
        extras = {k: v for k, v in item.items() if k not in ("type", "thinking")}
    elif kind == "reasoning":
        summary = item.get("summary") or []
        parts = [p.get("text", "") for p in summary if isinstance(p, Mapping)]
        said = "\n\n".join(parts) if parts else None
        if item.get("id"):
            block["id"] = item["id"]
        extras = {k: v for k, v in item.items() if k not in ("type", "id", "summary")}
        if summary and summary != [{"type": "summary_text", "text": parts[0]}]:
            extras["summary"] = summary  # several parts (or an unusual shape): kept whole
    else:
        key = _TEXT_KEY.get(str(kind))
        said = item.get(key) if key else None
        if not isinstance(said, str):
            said, key = None, None
        extras = {k: v for k, v in item.items() if k != key}
    if text and isinstance(said, str):
        block["reasoning"] = said
    if extras:
        block["extras"] = extras
    return block  # type: ignore[return-value]


def _reasoning_blocks(message: BaseMessage) -> list[types.ContentBlock]:
    kwargs = message.additional_kwargs
    blocks: list[types.ContentBlock] = [
        reasoning_block(d) for d in kwargs.get("reasoning_details") or () if isinstance(d, Mapping)
    ]
    text = kwargs.get("reasoning_content")
    if isinstance(text, str) and text and not any(b.get("reasoning") for b in blocks):
        blocks.insert(0, {"type": "reasoning", "reasoning": text})
    return blocks


def _call_extras(extra: Any) -> dict[str, Any]:
    """A tool call's vendor keys as block extras: Gemini's thought signature as ``signature``."""
    if not isinstance(extra, Mapping) or not extra:
        return {}
    content = extra.get("extra_content")
    google = content.get("google") if isinstance(content, Mapping) else None
    signature = google.get("thought_signature") if isinstance(google, Mapping) else None
    if signature and dict(extra) == {"extra_content": {"google": {"thought_signature": signature}}}:
        return {"signature": signature}
    out = dict(extra)  # other keys: kept whole, so they go back as they came
    if signature:
        out["signature"] = signature
    return out


def _with_extras(block: dict[str, Any], extra: Any) -> Any:
    if extras := _call_extras(extra):
        block["extras"] = extras
    return block


def _content(message: BaseMessage) -> list[types.ContentBlock]:
    """The content itself (text, images) as LangChain's best-effort parsing reads it."""
    parsed = BaseMessage.content_blocks.fget(message)  # type: ignore[attr-defined]
    return [b for b in parsed if b.get("type") != "reasoning"]


def _tail(message: AIMessage, blocks: list[types.ContentBlock]) -> list[types.ContentBlock]:
    if refusal := message.additional_kwargs.get("refusal"):
        blocks.append({"type": "refusal", "refusal": refusal})
    return blocks


def translate_content(message: AIMessage) -> list[types.ContentBlock]:
    """Standard blocks of a MixRouter answer: reasoning (one block per artifact), the content, then tool calls."""
    extras = message.additional_kwargs.get("tool_call_extras") or {}
    blocks = _reasoning_blocks(message) + _content(message)
    for tc in message.tool_calls:
        block = {"type": "tool_call", "id": tc.get("id"), "name": tc["name"], "args": tc["args"]}
        blocks.append(_with_extras(block, extras.get(tc.get("id"))))
    for bad in message.invalid_tool_calls:
        blocks.append({k: v for k, v in bad.items() if v is not None})  # type: ignore[arg-type]
    return _tail(message, blocks)


def translate_content_chunk(message: AIMessageChunk) -> list[types.ContentBlock]:
    """Standard blocks of one stream chunk (the last chunk, or chunks added up, read as a whole message)."""
    if message.chunk_position == "last":
        return translate_content(message)
    kwargs = message.additional_kwargs
    blocks: list[types.ContentBlock] = []
    text = kwargs.get("reasoning_content")
    if isinstance(text, str) and text:
        blocks.append({"type": "reasoning", "reasoning": text})
    whole = [d for d in kwargs.get("reasoning_details") or () if isinstance(d, Mapping) and d.get("type") in _WHOLE]
    for i, item in enumerate(whole):
        block = reasoning_block(item, text=False)  # its text streamed before it
        if i:  # a second artifact in one chunk stays its own block
            block["index"] = f"lc_rd_{i}"
        blocks.append(block)
    blocks += _content(message)
    extras = kwargs.get("tool_call_extras") or {}
    for tc in message.tool_call_chunks:
        block = {"type": "tool_call_chunk", "id": tc.get("id"), "name": tc.get("name"), "args": tc.get("args")}
        if tc.get("index") is not None:
            block["index"] = tc["index"]
        blocks.append(_with_extras(block, extras.get(tc.get("id"))))
    return _tail(message, blocks)


register_translator(PROVIDER, translate_content, translate_content_chunk)


# -- incoming -----------------------------------------------------------------------------------------------------


def _artifact(block: Mapping[str, Any], provider: Any) -> dict[str, Any] | None:
    """The vendor artifact a v1 reasoning block carries (``None``: text only)."""
    extras = block.get("extras") if isinstance(block.get("extras"), Mapping) else {}
    said = block.get("reasoning")
    kind = extras.get("type")
    if isinstance(kind, str) and (kind in ("thinking", "redacted_thinking") or kind.startswith("reasoning.")):
        item = dict(extras)
        key = _TEXT_KEY.get(kind)
        if key and isinstance(said, str):
            item[key] = said
        return item
    if "encrypted_content" in extras or str(block.get("id") or "").startswith("rs_"):
        item = {"type": "reasoning", "id": block.get("id")}
        item.update({k: v for k, v in extras.items() if k != "summary"})
        parts = [{"type": "summary_text", "text": said}] if isinstance(said, str) else []
        item["summary"] = extras.get("summary", parts)
        return item
    if extras.get("signature") and provider not in _GOOGLE:  # a Gemini part's signature means nothing elsewhere
        return {"type": "thinking", "thinking": said if isinstance(said, str) else "", "signature": extras["signature"]}
    return None


def _same_item(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return a.get("type") == "reasoning" and b.get("type") == "reasoning" and bool(a.get("id")) and a["id"] == b["id"]


def artifacts(message: AIMessage) -> list[dict[str, Any]]:
    """Vendor artifacts (``reasoning_details`` entries) carried by the content blocks of a history message: v1
    reasoning blocks (ours, ChatAnthropic's, ChatOpenAI's exploded summaries), ``non_standard`` Claude blocks and
    raw Responses items (ChatOpenAI ``responses/v1``), and ChatOpenAI v0.3's ``additional_kwargs["reasoning"]``."""
    provider = message.response_metadata.get("model_provider")
    out: list[dict[str, Any]] = []
    blocks = message.content if isinstance(message.content, list) else []
    for block in blocks:
        if not isinstance(block, Mapping):
            continue
        kind = block.get("type")
        if kind == "non_standard" and isinstance(block.get("value"), Mapping):
            value = block["value"]
            item = dict(value) if value.get("type") in ("thinking", "redacted_thinking") else None
        elif kind == "reasoning" and isinstance(block.get("summary"), list):  # a raw Responses item
            item = {k: v for k, v in block.items() if k != "index"}
        elif kind == "reasoning":
            item = _artifact(block, provider)
        else:
            item = None
        if item is None:
            continue
        if out and _same_item(out[-1], item) and "encrypted_content" not in item:
            out[-1]["summary"] = [*out[-1].get("summary", []), *item.get("summary", [])]  # one item, exploded
            continue
        out.append(item)
    legacy = message.additional_kwargs.get("reasoning")
    if isinstance(legacy, Mapping) and legacy.get("type", "reasoning") == "reasoning" and legacy.get("id"):
        item = {"type": "reasoning", **legacy}
        if not any(_same_item(a, item) for a in out):
            out.append(item)
    return out


def _google_extra(signature: Any) -> dict[str, Any]:
    return {"extra_content": {"google": {"thought_signature": signature}}}


def call_extras(message: AIMessage) -> dict[str, dict[str, Any]]:
    """Per tool-call id, the vendor keys to send with the call: Gemini's thought signature from a v1 ``tool_call``
    block's extras (ours: ``signature``), or from langchain-google-genai's signature map or sidecar blocks."""
    out: dict[str, dict[str, Any]] = {}
    for block in message.content if isinstance(message.content, list) else ():
        if not isinstance(block, Mapping) or block.get("type") not in ("tool_call", "tool_call_chunk"):
            continue
        extras = block.get("extras")
        if not isinstance(extras, Mapping) or not block.get("id"):
            continue
        whole = {k: v for k, v in extras.items() if k != "signature"}
        if "extra_content" in whole:
            out[block["id"]] = whole
        elif extras.get("signature"):
            out[block["id"]] = _google_extra(extras["signature"])
    google = message.additional_kwargs.get(_GEMINI_SIGNATURES)
    if isinstance(google, Mapping):
        for call_id, signature in google.items():
            if isinstance(signature, str) and signature:
                out.setdefault(call_id, _google_extra(signature))
    sidecars = [
        b
        for b in (message.content if isinstance(message.content, list) else ())
        if isinstance(b, Mapping) and b.get("type") == "function_call_signature" and isinstance(b.get("signature"), str)
    ]
    for ordinal, block in enumerate(sidecars):  # early langchain-google-genai: by tool-call position
        position = block.get("index", ordinal)
        if isinstance(position, int) and position < len(message.tool_calls):
            call_id = message.tool_calls[position].get("id")
            if call_id:
                out.setdefault(call_id, _google_extra(block["signature"]))
    return out
