"""Warnings that point at the user's line, not at ours (or at the frameworks' machinery in between)."""

from __future__ import annotations

import sys
import warnings

# Modules whose frames stand between the user's call and a warning: ours, and the frameworks' (their runnables,
# graphs, callbacks and pydantic constructors call into us).
_INTERNAL = (
    "mixrouter",
    "langchain_mixrouter",
    "llama_index_mixrouter",
    "langchain_core",
    "langchain",
    "langgraph",
    "llama_index",
    "llama_index_instrumentation",  # LlamaIndex's dispatcher wraps every LLM call
    "pydantic",
)


def _internal(module: str) -> bool:
    return any(module == pkg or module.startswith(pkg + ".") for pkg in _INTERNAL)


def user_stacklevel() -> int:
    """For the function that calls ``warnings.warn``: the ``stacklevel`` of the first frame outside these modules
    (Python 3.12's ``skip_file_prefixes``, which 3.10 lacks)."""
    frame = sys._getframe(1)  # the function that warns: stacklevel 1
    level = 1
    while frame is not None and _internal(frame.f_globals.get("__name__", "")):
        frame, level = frame.f_back, level + 1
    return level


def warn_user(message: str, category: type[Warning] = UserWarning) -> None:
    """``warnings.warn`` pointing at the user's line. Python's default filter shows each message once per line."""
    warnings.warn(message, category, stacklevel=user_stacklevel())
