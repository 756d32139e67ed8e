"""A LlamaIndex FunctionAgent that makes a video with MixRouterVideoTool, with a progress bar, ending with the URL.
``python examples/llamaindex_video_agent.py``"""

from __future__ import annotations

import asyncio
import sys

from _offline import banner, live, llama_kwargs
from llama_index.core.agent.workflow import FunctionAgent

from llama_index_mixrouter import MixRouterLLM, MixRouterVideoTool, VideoProgressEvent


class Bar:
    """rich's progress bar when installed (``mixrouter[cli]``) and printing to a terminal; otherwise (no rich, or
    output to a pipe or a log, where a bar cannot redraw) one plain line per step."""

    def __init__(self) -> None:
        self.last: tuple[str, int] | None = None
        try:
            if not sys.stdout.isatty():
                raise ImportError("no terminal: plain lines")
            from rich.progress import Progress
        except ImportError:
            self.progress = None
        else:
            self.progress = Progress()
            self.task = self.progress.add_task("video", total=100)

    def __enter__(self) -> Bar:
        if self.progress is not None:
            self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()

    def show(self, event: VideoProgressEvent) -> None:
        if self.progress is not None:
            self.progress.update(self.task, description=f"video {event.status}", completed=event.progress or 0)
        elif (event.status, event.progress or 0) != self.last:  # a new step; a repeated poll adds nothing
            self.last = (event.status, event.progress or 0)
            print(f"video {event.status} {event.progress or 0}%")


async def run(poll_interval: float) -> str:
    video = MixRouterVideoTool(poll_interval=poll_interval, **llama_kwargs())
    agent = FunctionAgent(tools=[video], llm=MixRouterLLM(model="gpt-4.1", **llama_kwargs()))
    handler = agent.run("Make a short video of a paper boat on a river.")
    with Bar() as bar:
        async for event in handler.stream_events():
            if isinstance(event, VideoProgressEvent):
                bar.show(event)
    answer = str((await handler).response.content)
    print(answer)
    return answer


def main(poll_interval: float | None = None) -> str:
    return asyncio.run(run(poll_interval if poll_interval is not None else (2.0 if live() else 0.05)))


if __name__ == "__main__":
    banner()
    main()
