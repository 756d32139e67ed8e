"""A LlamaIndex query engine over the bundled documents (examples/data), answered by MixRouterLLM with thinking on.
``python examples/llamaindex_query_engine.py``"""

from __future__ import annotations

from pathlib import Path

from _offline import banner, llama_kwargs
from llama_index.core import SimpleDirectoryReader, VectorStoreIndex

from llama_index_mixrouter import MixRouterEmbedding, MixRouterLLM

DATA = Path(__file__).resolve().parent / "data"


def main(question: str = "How tall is the Eiffel Tower?") -> str:
    documents = SimpleDirectoryReader(str(DATA), filename_as_id=True).load_data()
    for doc in documents:  # ids and metadata without local paths, so requests are the same on every machine
        doc.id_ = Path(doc.metadata["file_name"]).stem
        doc.metadata = {"file_name": doc.metadata["file_name"]}
    index = VectorStoreIndex.from_documents(documents, embed_model=MixRouterEmbedding(**llama_kwargs()))
    engine = index.as_query_engine(
        llm=MixRouterLLM(model="glm-4.6", thinking=True, **llama_kwargs()), similarity_top_k=1
    )
    response = engine.query(question)
    print(f"Q: {question}\nA: {response}")
    print(f"source: {response.source_nodes[0].node.metadata['file_name']}")
    return str(response)


if __name__ == "__main__":
    banner()
    main()
