"""The content contract: the parts both faces write, and what each route and vendor does with each.

Both faces translate their message types onto these OpenAI-format messages and parts, and nothing else; the route
builders (``chat``, ``anthropic_messages``, ``responses_api``) translate them onto the wire. So the faces cannot
disagree about a part, and a vendor's treatment of a part is written down once, here.

Parts (``content`` is a string or a list of these):

| part                                                | user | system | assistant | tool result |
|-----------------------------------------------------|------|--------|-----------|-------------|
| ``{"type": "text", "text", "cache_control"?}``      | yes  | yes    | yes       | yes         |
| ``{"type": "image_url", "image_url": {"url", "detail"?}}`` | yes | -  | yes (a generated image) | yes |
| ``{"type": "file", "file": {"file_data" or "file_id", "filename"?}}`` | yes | - | - | -  |
| ``{"type": "input_audio", "input_audio": {"data", "format"}}`` / ``audio_url`` | yes | - | - | - |
| ``{"type": "video_url", "video_url": {"url"}}``     | yes  | -      | -         | -           |

Message fields beyond OpenAI's: ``is_error`` on a tool message (the tool failed), ``name`` on a tool message (the
tool's name), and the reasoning artifacts ``mixrouter.history`` handles.

What each route does with them:

* ``cache_control`` on a part: kept on /v1/messages (system, user and tool blocks) and on chat completions for
  Claude and Qwen (they cache on it); dropped elsewhere (OpenAI rejects the key; the others cache automatically).
* A text-only part list that carried cache hints: one string on chat completions for vendors without explicit
  caching (the list existed for the hints).
* An image (or a PDF) in a tool result: ``tool_result`` content blocks on /v1/messages, ``function_call_output``
  parts on /v1/responses; on chat completions (tool messages take text only) the tool message keeps the text and
  the other parts follow in a user message naming the call. A model that does not take a part's modality (an image
  for a text-only model) gets a text note saying what the tool returned instead: the result is never dropped silently.
* ``is_error``: ``is_error: true`` on /v1/messages; no field elsewhere (the content says what failed).
* ``name`` on a tool message: sent to Gemini, filled in from the call it answers when the face had none (Gemini's
  OpenAI-compatible endpoint requires it, as reported in NousResearch/hermes-agent#19728); not sent elsewhere
  (OpenAI's tool message has no ``name`` and OpenAI rejected it, langchain-ai/langchain#17537; strict
  OpenAI-compatible servers reject unknown fields).
* An image in an assistant turn (a gemini-image answer): moved to a user message right after it ("the image from
  the previous answer"), or a text note for a model that takes no images (assistant turns take text only).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._warn import warn_user
from .models import ModelInfo

__all__ = ["CACHING_FAMILIES", "DEFAULT_FILENAME", "PREVIOUS_IMAGE", "adapt_content", "text_only"]

CACHING_FAMILIES = frozenset({"anthropic", "qwen"})  # take explicit ``cache_control`` on chat completions
PREVIOUS_IMAGE = "(The image from the previous answer.)"
DEFAULT_FILENAME = "input_document"  # a file part's name when the face has none (LlamaIndex's DocumentBlock title)
_NO_IMAGE_NOTE = "[an image from an earlier answer: this model does not take images]"
_IMAGE_KINDS = frozenset({"image_url", "input_image", "image"})
_PART_INPUT = {"image_url": "image", "input_image": "image", "image": "image", "input_audio": "audio"}
_PART_INPUT |= {"audio_url": "audio", "video_url": "video"}


def text_only(parts: Sequence[Any]) -> bool:
    return all(isinstance(p, Mapping) and p.get("type") == "text" and set(p) <= {"type", "text"} for p in parts)


def _joined(parts: Sequence[Mapping[str, Any]]) -> str:
    return "".join(p.get("text") or "" for p in parts)


def _strip_cache(parts: list[Any]) -> list[Any]:
    return [{k: v for k, v in p.items() if k != "cache_control"} if isinstance(p, Mapping) else p for p in parts]


def _chat_parts(content: Any, info: ModelInfo) -> Any:
    """A part list as chat completions takes it for this vendor: without cache hints where it has none (and then
    one string when the list was only text, as a system prompt split for caching is)."""
    if not isinstance(content, list) or info.family in CACHING_FAMILIES:
        return content
    if not any(isinstance(p, Mapping) and "cache_control" in p for p in content):
        return content
    parts = _strip_cache(content)
    return _joined(parts) if text_only(parts) else parts


def _images(parts: Sequence[Any], kinds: frozenset[str] | None = _IMAGE_KINDS) -> tuple[list[Any], list[Any]]:
    """(text parts, the others): the others are the parts of ``kinds``, or every non-text part for ``None``."""
    keep, images = [], []
    for p in parts:
        kind = p.get("type") if isinstance(p, Mapping) else "text"
        moved = kind in kinds if kinds is not None else kind != "text"
        (images if moved else keep).append(p)
    return keep, images


def _takes(part: Any, info: ModelInfo) -> bool:
    need = _PART_INPUT.get(part.get("type")) if isinstance(part, Mapping) else None
    return need is None or not info.known or need in info.inputs


def _image_turn(images: list[Any], text: str, info: ModelInfo, note: str = _NO_IMAGE_NOTE) -> dict[str, Any]:
    """A user message carrying ``images`` (any parts) after ``text``; a part the model cannot take is a note."""
    kept = [p for p in images if _takes(p, info)]
    if len(kept) < len(images):  # never a silent drop: the model gets a note and the user a warning
        warn_user(f"{info.id}: {note.strip('[]')}, so it gets a note in its place.")
    if not kept:
        return {"role": "user", "content": note}
    notes = [{"type": "text", "text": note}] if len(kept) < len(images) else []
    return {"role": "user", "content": [{"type": "text", "text": text}, *kept, *notes]}


def _tool_turn(call_id: str, parts: list[Any], info: ModelInfo) -> dict[str, Any]:
    nouns = {"image": "an image", "audio": "audio", "video": "a video"}
    left = sorted({nouns[_PART_INPUT[p["type"]]] for p in parts if isinstance(p, Mapping) and not _takes(p, info)})
    note = f"[tool call {call_id} returned {' and '.join(left)}, which this model does not take]"
    return _image_turn(parts, f"What tool call {call_id} returned:", info, note)


def _assistant(msg: Mapping[str, Any], info: ModelInfo) -> list[dict[str, Any]]:
    content = msg.get("content")
    if not isinstance(content, list):
        return [dict(msg)]
    keep, images = _images(content)
    out = {**msg, "content": _joined([p for p in keep if isinstance(p, Mapping)]) or None}
    if out["content"] is None and not msg.get("tool_calls"):
        out["content"] = ""
    return [out, _image_turn(images, PREVIOUS_IMAGE, info)] if images else [out]


def _tool(
    msg: Mapping[str, Any], route: str, info: ModelInfo, names: Mapping[str, str]
) -> tuple[dict[str, Any], list[Any]]:
    """The tool message for this route, and (chat completions only) the images it had to leave out."""
    out = {k: v for k, v in msg.items() if k != "name" and (k != "is_error" or route == "messages")}
    if route == "chat" and info.family == "google":
        name = msg.get("name") or names.get(str(msg.get("tool_call_id")))
        if name:
            out["name"] = name
    content = msg.get("content")
    if not isinstance(content, list) or route != "chat":
        return out, []
    keep, media = _images(content, None)  # tool messages take text parts only
    out["content"] = _joined([p for p in keep if isinstance(p, Mapping)]) or (
        "(the result is in the next message)" if media else ""
    )
    return out, media


def adapt_content(messages: Sequence[Mapping[str, Any]], info: ModelInfo, route: str) -> list[dict[str, Any]]:
    """The messages with every part in the form ``route`` and ``info``'s vendor take (see the table above)."""
    out: list[dict[str, Any]] = []
    pending: list[tuple[str, list[Any]]] = []  # (call id, images) of tool results, sent after the run of results
    names: dict[str, str] = {}  # call id -> tool name, for vendors that want the name on the result
    for msg in messages:
        role = msg.get("role")
        if role != "tool" and pending:
            out += [_tool_turn(cid, imgs, info) for cid, imgs in pending]
            pending = []
        if role == "assistant":
            out += _assistant(msg, info)
            for call in msg.get("tool_calls") or ():
                names[str(call.get("id"))] = str((call.get("function") or {}).get("name") or "")
        elif role == "tool":
            tool, images = _tool(msg, route, info, names)
            out.append(tool)
            if images:
                pending.append((str(msg.get("tool_call_id")), images))
        elif route == "chat":
            out.append({**msg, "content": _chat_parts(msg.get("content"), info)})
        else:
            out.append(dict(msg))
    out += [_tool_turn(cid, imgs, info) for cid, imgs in pending]
    return out
