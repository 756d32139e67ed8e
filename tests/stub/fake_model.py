"""A deterministic stand-in *model* for recording the LangChain standard integration suite against the stub.

It answers in MixRouter's documented/inferred wire shapes (see ``documented.py``), deciding *what* to say from the
request alone: with tools it calls the named (or first) tool, with arguments built from the tool's JSON schema and
the user's words (numbers and quoted names are taken from the last user message); after a tool result it answers in
text; ``response_format`` gets a JSON object that fits the schema (JSON mode uses the keys the prompt quotes); a
thinking flag adds ``reasoning_content``; long prompts report cached tokens as OpenAI's automatic prompt caching
does. Cassettes recorded from it are labelled "fake model" in cassettes/README.md.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

_INT = re.compile(r"-?\d+")
_WORD = re.compile(r"[a-z0-9]+")
_URL = re.compile(r"https?://[^\s\"']+")
# LlamaIndex's question-answering prompt: the retrieved context between dashed rules, then "Query: ...".
_RAG = re.compile(r"-{5,}\n(.*?)\n-{5,}.*?Query: (.*?)\n", re.DOTALL)
_QUOTED = re.compile(r"['\"]([^'\"]{1,80})['\"]")
JSON_INSTRUCTION = "matches this JSON schema:\n"  # the package's JSON-mode system line (mixrouter.structured)


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text")
    return ""


def _last_user(messages: list[dict[str, Any]]) -> str:
    for m in reversed(messages):
        if m.get("role") == "user":
            return _text(m.get("content"))
    return ""


def _value(name: str, schema: dict[str, Any], user: str, defs: dict[str, Any]) -> Any:
    if "$ref" in schema:
        schema = defs.get(schema["$ref"].split("/")[-1], {})
    if "anyOf" in schema:
        schema = next((s for s in schema["anyOf"] if s.get("type") != "null"), schema["anyOf"][0])
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type", "string")
    if kind in ("integer", "number"):
        found = _INT.search(user)
        return int(found.group()) if found else 3
    if kind == "boolean":
        return True
    if kind == "array":
        return [_value(name, schema.get("items", {}), user, defs)] if schema.get("items") else []
    if kind == "object":
        return _object(schema, user, defs)
    quoted = _QUOTED.findall(user)
    if quoted and any(word in name.lower() for word in ("name", "city", "title")):
        return quoted[0]
    return f"{name.replace('_', ' ')} for: {user[:40]}".strip()


def _object(schema: dict[str, Any], user: str, defs: dict[str, Any] | None = None) -> dict[str, Any]:
    defs = {**(defs or {}), **schema.get("$defs", {}), **schema.get("definitions", {})}
    props = schema.get("properties", {})
    required = schema.get("required", list(props))
    return {k: _value(k, props[k], user, defs) for k in props if k in required}


def _rag_answer(user: str) -> str | None:
    """An extractive "reader": the context line sharing the most words with the query (``None`` if no context)."""
    found = _RAG.search(user)
    if not found:
        return None
    context, query = found.groups()
    wanted = set(_WORD.findall(query.lower()))
    lines = [line.strip() for line in context.splitlines() if line.strip()]
    if not lines:
        return None
    return max(lines, key=lambda line: len(wanted & set(_WORD.findall(line.lower()))))


def _field(key: str, value: Any) -> str:
    """A JSON field as the stand-in says it: ``temp_c 18`` for a short scalar (so an answer carries the value, as a
    real model's would), the key alone otherwise (never a cut string)."""
    if isinstance(value, (int, float, bool)) or (isinstance(value, str) and len(value) <= 20 and "://" not in value):
        return f"{key} {value}"
    return key


def _gist(result: str, limit: int = 80) -> str:
    """What the stand-in model says a tool returned: a JSON object by its keys (its text is never cut inside a
    string, and its URLs stay whole, in the "Link:" that follows), other text whole or cut at a word boundary."""
    try:
        value = json.loads(result)
    except ValueError:
        value = None
    if isinstance(value, dict) and value:
        keys = [_field(k, v) for k, v in value.items()]
        return "a JSON object with " + (", ".join(keys[:-1]) + " and " if len(keys) > 1 else "") + keys[-1]
    if len(result) <= limit:
        return result
    return result[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _usage(body: dict[str, Any], completion_text: str, reasoning: str) -> dict[str, Any]:
    prompt = max(1, len(json.dumps(body.get("messages", []), ensure_ascii=False)) // 4)
    reasoning_tokens = len(reasoning) // 4
    completion = max(1, len(completion_text) // 4) + reasoning_tokens
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "prompt_tokens_details": {"cached_tokens": (prompt // 1024) * 1024 if prompt >= 1024 else 0},
        "completion_tokens_details": {"reasoning_tokens": reasoning_tokens},
    }


def _call_id(name: str, args: str) -> str:
    return "call_" + hashlib.sha1(f"{name}{args}".encode()).hexdigest()[:16]


def thinks(body: dict[str, Any]) -> bool:
    """The vendor's flag, or a model that always (or by default) thinks; the same reading as the vendor rules."""
    try:
        from .vendor_rules import thinking_on
    except ImportError:  # pragma: no cover - run as a script's sibling
        from vendor_rules import thinking_on  # type: ignore[no-redef]
    return thinking_on(body)


def _family(body: dict[str, Any]) -> str:
    try:
        from .vendor_rules import family
    except ImportError:  # pragma: no cover - run as a script's sibling
        from vendor_rules import family  # type: ignore[no-redef]
    return family(str(body.get("model", "")))


def _gemini_signature(call_id: str) -> str:
    try:
        from .history_rules import gemini_signature
    except ImportError:  # pragma: no cover - run as a script's sibling
        from history_rules import gemini_signature  # type: ignore[no-redef]
    return gemini_signature(call_id)


def _system(messages: list[dict[str, Any]]) -> str:
    return "\n\n".join(_text(m.get("content")) for m in messages if m.get("role") in ("system", "developer"))


def prompt_schema(messages: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A JSON schema the system prompt asks the answer to match (JSON mode without an enforced schema)."""
    system = _system(messages)
    if JSON_INSTRUCTION not in system:
        return None
    value, _ = json.JSONDecoder().raw_decode(system.split(JSON_INSTRUCTION, 1)[1])
    return value


def wants_structured(body: dict[str, Any]) -> bool:
    """Structured output (a format, a schema in the prompt), tools other than the documented get_weather, or a
    named tool choice: answered by this model, not a documented page."""
    names = {(t.get("function") or {}).get("name") for t in body.get("tools") or ()}
    if (names and "get_weather" not in names) or isinstance(body.get("tool_choice"), dict):
        return True  # the documented page answers get_weather whatever was asked; a named choice is honoured here
    return bool(body.get("response_format")) or prompt_schema(body.get("messages") or []) is not None


def _json_answer(body: dict[str, Any], user: str) -> str | None:
    """JSON for a structured request: enforced (a json_schema format) comes bare; asked for only in the prompt it
    comes in a ```json fence, as Claude and Qwen do when nothing on the wire enforces JSON."""
    fmt = body.get("response_format") or {}
    schema = prompt_schema(body.get("messages", []))
    if fmt.get("type") == "json_schema":
        return json.dumps(_object(fmt["json_schema"]["schema"], user), ensure_ascii=False)
    if schema is not None:
        text = json.dumps(_object(schema, user), ensure_ascii=False)
        return text if fmt.get("type") == "json_object" else f"```json\n{text}\n```"
    if fmt.get("type") == "json_object":
        keys = [k for k in _QUOTED.findall(user) if k.isidentifier()] or ["answer"]
        return json.dumps({k: f"{k} about {user[:30]}" for k in dict.fromkeys(keys)}, ensure_ascii=False)
    return None


def answer(body: dict[str, Any]) -> dict[str, Any]:
    """A chat.completion for ``body``."""
    messages = body.get("messages", [])
    user = _last_user(messages)
    thinking = thinks(body)
    reasoning = f"The user wrote: {user[:60]}. I will answer briefly." if thinking else ""
    message: dict[str, Any] = {"role": "assistant", "content": ""}
    finish = "stop"
    tools = [t["function"] for t in body.get("tools", []) if t.get("type") == "function"]
    answered = bool(messages) and messages[-1].get("role") == "tool"
    choice = body.get("tool_choice")
    if tools and not answered and choice != "none":
        wanted = choice["function"]["name"] if isinstance(choice, dict) else tools[0]["name"]
        tool = next(t for t in tools if t["name"] == wanted)
        # "... 42 and 43? Check both.": one call per number, in parallel (else one call)
        numbers = _INT.findall(user)
        prompts = [f"{n} {user}" for n in numbers] if "both" in user.lower() and len(numbers) >= 2 else [user]
        message["tool_calls"] = []
        for prompt in prompts:
            args = json.dumps(_object(tool.get("parameters", {}), prompt), ensure_ascii=False)
            message["tool_calls"].append(
                {
                    "id": _call_id(tool["name"], args),
                    "type": "function",
                    "function": {"name": tool["name"], "arguments": args},
                }
            )
        if _family(body) == "google":  # Gemini signs its calls (ai.google.dev/gemini-api/docs/thought-signatures)
            call = message["tool_calls"][0]
            call["extra_content"] = {"google": {"thought_signature": _gemini_signature(call["id"])}}
        message["content"] = None
        finish = "tool_calls"
    elif (structured := _json_answer(body, user)) is not None:
        message["content"] = structured
    elif answered:
        result = _text(messages[-1].get("content"))
        link = _URL.search(result)
        message["content"] = f"The tool returned {_gist(result)}." + (f" Link: {link.group()}" if link else "")
    elif (extracted := _rag_answer(user)) is not None:
        message["content"] = extracted
    else:
        message["content"] = f"Hello! You said: {user[:80]}" if user else "Hello!"
    if reasoning:
        message["reasoning_content"] = reasoning
    text = message["content"] or json.dumps(message.get("tool_calls", []))
    return {
        "id": "chatcmpl-fake-" + hashlib.sha1(json.dumps(body, sort_keys=True).encode()).hexdigest()[:12],
        "object": "chat.completion",
        "created": 1766648340,
        "model": body.get("model", ""),
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": _usage(body, text, reasoning),
    }


def chunks(completion: dict[str, Any]) -> list[dict[str, Any]]:
    """The same answer as OpenAI-style stream chunks (tool arguments split in two, ids repeated)."""
    base = {k: completion[k] for k in ("id", "created", "model")}
    base["object"] = "chat.completion.chunk"
    message = completion["choices"][0]["message"]
    deltas: list[dict[str, Any]] = [{"role": "assistant", "content": ""}]
    if message.get("reasoning_content"):
        deltas.append({"reasoning_content": message["reasoning_content"]})
    content = message.get("content") or ""
    if content:
        half = len(content) // 2
        deltas += [{"content": content[:half]}, {"content": content[half:]}]
    for i, call in enumerate(message.get("tool_calls") or []):
        args = call["function"]["arguments"]
        half = len(args) // 2
        head = {"index": i, "id": call["id"], "type": "function"}
        extra = {k: v for k, v in call.items() if k not in ("id", "type", "function")}  # Gemini's extra_content
        deltas.append(
            {"tool_calls": [dict(head, **extra, function={"name": call["function"]["name"], "arguments": args[:half]})]}
        )
        deltas.append({"tool_calls": [dict(head, function={"arguments": args[half:]})]})
    out = [dict(base, choices=[{"index": 0, "delta": d, "finish_reason": None}]) for d in deltas]
    out.append(
        dict(base, choices=[{"index": 0, "delta": {}, "finish_reason": completion["choices"][0]["finish_reason"]}])
    )
    out.append(dict(base, choices=[], usage=completion["usage"]))
    return out
