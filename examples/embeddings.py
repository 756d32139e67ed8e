"""Embeddings: rank a few sentences by similarity to a query.  ``python examples/embeddings.py``"""

from __future__ import annotations

import math
from pathlib import Path

from _offline import banner, langchain_kwargs

from langchain_mixrouter import MixRouterEmbeddings

DOCS = [p.read_text(encoding="utf-8").strip() for p in sorted((Path(__file__).parent / "data").glob("*.md"))]


def cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)) or 1.0)


def main(query: str = "How tall is the Eiffel Tower?") -> list[str]:
    emb = MixRouterEmbeddings(model="text-embedding-3-small", **langchain_kwargs())
    vectors = emb.embed_documents(DOCS)
    q = emb.embed_query(query)
    ranked = sorted(DOCS, key=lambda d: -cosine(q, vectors[DOCS.index(d)]))
    for doc in ranked:
        print(f"{cosine(q, vectors[DOCS.index(doc)]):.3f}  {doc}")
    return ranked


if __name__ == "__main__":
    banner()
    main()
