"""Warnings that point at the user's line, not at ours (or at LangChain's / LlamaIndex's machinery in between)."""

from __future__ import annotations

import importlib.util
import os
import sys
import warnings
from functools import cache

# Packages whose frames stand between the user's call and the warning: ours and the frameworks'.
_PACKAGES = ("mixrouter", "langchain_mixrouter", "llama_index_mixrouter", "langchain_core", "langchain", "langgraph")
_NAMESPACES = ("llama_index",)


@cache
def _internal_dirs() -> tuple[str, ...]:
    dirs: list[str] = []
    for name in _PACKAGES + _NAMESPACES:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        dirs += [os.path.join(p, "") for p in (spec.submodule_search_locations or ()) if spec is not None]
    return tuple(dirs)


def warn_user(message: str, category: type[Warning] = UserWarning) -> None:
    """``warnings.warn`` with the stack level of the first frame outside these packages (Python 3.12's
    ``skip_file_prefixes``, which 3.10 lacks). Python's default filter still shows each message once per line."""
    internal = _internal_dirs()
    frame = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_code.co_filename.startswith(internal):
        frame = frame.f_back
        level += 1
    warnings.warn(message, category, stacklevel=level)
