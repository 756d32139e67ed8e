"""A LangChain agent that makes a picture with MixRouterImageTool and reads its caption aloud with
MixRouterSpeechTool. The picture and the audio come back as the tool messages' artifacts (standard content blocks);
this script writes them to files (in a temporary folder unless you pass one).
``python examples/picture_agent.py [FOLDER]``"""

from __future__ import annotations

import base64
import sys
import tempfile
from pathlib import Path

from _offline import banner, langchain_kwargs
from langchain.agents import create_agent
from langchain_core.messages import ToolMessage

from langchain_mixrouter import ChatMixRouter, MixRouterImageTool, MixRouterSpeechTool


def main(folder: str | None = None) -> list[Path]:
    out = folder or tempfile.mkdtemp(prefix="mixrouter-")
    model = ChatMixRouter(model="gpt-4.1", **langchain_kwargs())
    image = MixRouterImageTool(**langchain_kwargs())
    speech = MixRouterSpeechTool(**langchain_kwargs())
    first = create_agent(model, tools=[image, speech]).invoke(
        {"messages": [("user", "Make a picture of a red fox in the snow.")]}
    )
    # Offline, the recorded stand-in model calls the first tool it is given, so this turn lists speak first;
    # a real model picks the tool by name either way.
    second = create_agent(model, tools=[speech, image]).invoke(
        {"messages": [*first["messages"], ("user", "Now read a one-line caption of the picture aloud.")]}
    )
    saved: list[Path] = []
    for message in second["messages"]:
        if isinstance(message, ToolMessage) and message.status == "success":
            for block in message.artifact:
                suffix = {"image/png": ".png", "audio/wav": ".wav", "audio/mpeg": ".mp3"}.get(block["mime_type"], "")
                path = Path(out) / f"{'picture' if block['type'] == 'image' else 'caption'}{suffix}"
                path.write_bytes(base64.b64decode(block["base64"]))
                saved.append(path)
                print(f"{message.name}: {block['type']} {block['mime_type']}, {path.stat().st_size} bytes -> {path}")
    print(second["messages"][-1].content)
    return saved


if __name__ == "__main__":
    banner()
    main(sys.argv[1] if len(sys.argv) > 1 else None)
