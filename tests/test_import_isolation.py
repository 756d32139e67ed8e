"""Each face imports only its own framework (and the core imports neither): checked in fresh interpreters."""

from __future__ import annotations

import subprocess
import sys

import pytest

CASES = {
    "mixrouter": ("langchain_core", "llama_index", "openai"),
    "langchain_mixrouter": ("llama_index", "openai"),
    "llama_index_mixrouter": ("langchain_core", "langchain", "openai"),
}


@pytest.mark.parametrize("package", sorted(CASES))
def test_face_does_not_import_the_other_framework(package):
    code = (
        f"import sys\nfrom {package} import *\n"  # every public class, not just the (lazy) package
        f"bad = sorted({{m.split('.')[0] for m in sys.modules}} & set({CASES[package]!r}))\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"importing {package} pulled in {out.stdout.strip()}"


# What the embeddings alone must not load: the chat model and what only it needs (LangChain's chat-model base,
# output parsers; LlamaIndex's LLM face). Both the submodule and the package's lazy attribute are checked.
EMBEDDINGS_ONLY = {
    "import langchain_mixrouter.embeddings": (
        "langchain_mixrouter.chat_models",
        "langchain_mixrouter._structured",
        "langchain_core.output_parsers",
        "langchain_core.language_models.chat_models",
    ),
    "from langchain_mixrouter import MixRouterEmbeddings": (
        "langchain_mixrouter.chat_models",
        "langchain_core.output_parsers",
    ),
    "import llama_index_mixrouter.embeddings": ("llama_index_mixrouter.llm", "llama_index_mixrouter._structured"),
    "from llama_index_mixrouter import MixRouterEmbedding": ("llama_index_mixrouter.llm",),
}


@pytest.mark.parametrize("statement", sorted(EMBEDDINGS_ONLY))
def test_the_embeddings_alone_do_not_load_the_chat_model(statement):
    code = f"import sys\n{statement}\nprint(','.join(sorted(set({EMBEDDINGS_ONLY[statement]!r}) & set(sys.modules))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"`{statement}` loaded {out.stdout.strip()}"
