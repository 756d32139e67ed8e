"""The content contract (``mixrouter.content``), from both faces.

1. Every part type, written in each face's own vocabulary, becomes the *same* core message (the faces cannot
   disagree), and an answer (reasoning, tool calls, a generated image) comes back through ``to_ai_message`` /
   ``to_chat_response`` and out through ``to_openai_messages`` as the core message it was.
2. Each route's and vendor's treatment of each part, end to end through the strict stub (``tests/seams.py``) from
   both faces: the exact body received, and the stub's acceptance (it refuses what each vendor refuses).

What a face cannot say, and so is not compared: LlamaIndex has no OpenAI file id (``DocumentBlock`` is bytes, a
path or a URL) and no ``status`` on a tool message (``additional_kwargs={"is_error": True}`` is this package's
convention); LangChain has no document URL on chat completions (langchain-core refuses ``{"type": "file", "url"}``
there, LlamaIndex fetches it); LlamaIndex's ``AudioBlock`` needs ``format=`` where LangChain reads the MIME type.
"""

from __future__ import annotations

import base64
import functools
import http.server
import json
import struct
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.tools import tool
from llama_index.core.base.llms.types import (
    AudioBlock,
    CacheControl,
    CachePoint,
    ChatMessage,
    DocumentBlock,
    ImageBlock,
    TextBlock,
    ThinkingBlock,
    ToolCallBlock,
    VideoBlock,
)
from llama_index.core.tools import FunctionTool

from langchain_mixrouter._convert import to_ai_message
from langchain_mixrouter._convert import to_openai_messages as lc_core
from llama_index_mixrouter._convert import to_chat_response
from llama_index_mixrouter._convert import to_openai_messages as li_core
from mixrouter import ChatResult
from mixrouter.chat import ToolCall
from mixrouter.content import DEFAULT_FILENAME, PREVIOUS_IMAGE
from tests.seams import StubWire

DATA = Path(__file__).resolve().parent / "data"
PNG = (DATA / "gradient_16x16.png").read_bytes()
PDF = (DATA / "dummy.pdf").read_bytes()
PNG_B64 = base64.b64encode(PNG).decode()
PDF_B64 = base64.b64encode(PDF).decode()
PNG_URL = f"data:image/png;base64,{PNG_B64}"
PDF_URL = f"data:application/pdf;base64,{PDF_B64}"
IMAGE_AT = "https://example.com/picture.png"
AUDIO_AT = "https://example.com/sound.wav"
VIDEO_AT = "https://example.com/clip.mp4"
EPHEMERAL = {"type": "ephemeral"}


def _wav() -> bytes:
    frames = b"\x00\x01" * 800
    fmt = struct.pack("<4sI4s4sIHHIIHH", b"RIFF", 36 + len(frames), b"WAVE", b"fmt ", 16, 1, 1, 16000, 32000, 2, 16)
    return fmt + struct.pack("<4sI", b"data", len(frames)) + frames


WAV = _wav()
WAV_B64 = base64.b64encode(WAV).decode()
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
MP4_B64 = base64.b64encode(MP4).decode()


@pytest.fixture(scope="module")
def pdf_server() -> Iterator[str]:
    """A loopback HTTP server serving tests/data (a URL-only DocumentBlock is fetched from it)."""
    handler = functools.partial(_QuietHandler, directory=str(DATA))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


def _user(*blocks: Any) -> ChatMessage:
    return ChatMessage(role="user", blocks=list(blocks))


def _same(lc_messages: list[Any], li_messages: list[Any], expected: list[dict[str, Any]]) -> None:
    """Both faces write exactly ``expected``."""
    assert lc_core(lc_messages) == expected, "LangChain"
    assert li_core(li_messages) == expected, "LlamaIndex"


# -- 1. face → core, every part, both faces equal -----------------------------------------------------------------


def test_text_with_cache_control_on_user_and_system():
    text = {"type": "text", "text": "Long policy.", "cache_control": EPHEMERAL}
    cached = CachePoint(cache_control=CacheControl(type="ephemeral"))
    _same(
        [SystemMessage([text]), HumanMessage([text, "Question?"])],
        [
            ChatMessage(role="system", blocks=[TextBlock(text="Long policy."), cached]),
            _user(TextBlock(text="Long policy."), cached, TextBlock(text="Question?")),
        ],
        [
            {"role": "system", "content": [text]},
            {"role": "user", "content": [text, {"type": "text", "text": "Question?"}]},
        ],
    )


def test_cache_ttl_other_than_the_default_is_kept_by_both():
    text = {"type": "text", "text": "Policy.", "cache_control": {"type": "ephemeral", "ttl": "1h"}}
    hour = CachePoint(cache_control=CacheControl(type="ephemeral", ttl="1h"))
    _same([HumanMessage([text])], [_user(TextBlock(text="Policy."), hour)], [{"role": "user", "content": [text]}])


def test_plain_text_is_a_string_in_both():
    _same(
        [SystemMessage("Be terse."), HumanMessage("Hi")],
        [ChatMessage(role="system", content="Be terse."), _user(TextBlock(text="Hi"))],
        [{"role": "system", "content": "Be terse."}, {"role": "user", "content": "Hi"}],
    )


def test_a_text_only_part_list_is_langchains_to_keep():
    """LlamaIndex cannot tell ``content="Hi"`` from ``blocks=[TextBlock("Hi")]`` (they are the same message), so
    it always writes a string; LangChain can, and a user's part list stays a list (vendors read both the same)."""
    assert lc_core([HumanMessage([{"type": "text", "text": "Hi"}])]) == [
        {"role": "user", "content": [{"type": "text", "text": "Hi"}]}
    ]
    assert li_core([ChatMessage(role="user", content="Hi")]) == [{"role": "user", "content": "Hi"}]


IMAGE_URL_PART = {"type": "image_url", "image_url": {"url": IMAGE_AT}}
IMAGE_B64_PART = {"type": "image_url", "image_url": {"url": PNG_URL}}


@pytest.mark.parametrize(
    "block",
    [
        {"type": "image_url", "image_url": {"url": IMAGE_AT}},  # v0 / OpenAI format
        {"type": "image", "url": IMAGE_AT},  # v1
        {"type": "image", "source_type": "url", "url": IMAGE_AT},  # v0 standard block
        {"type": "image", "source": {"type": "url", "url": IMAGE_AT}},  # Anthropic-style
    ],
    ids=["image_url", "v1-url", "v0-url", "anthropic-url"],
)
def test_image_by_url(block):
    _same([HumanMessage([block])], [_user(ImageBlock(url=IMAGE_AT))], [{"role": "user", "content": [IMAGE_URL_PART]}])


@pytest.mark.parametrize(
    "block",
    [
        {"type": "image_url", "image_url": {"url": PNG_URL}},
        {"type": "image", "base64": PNG_B64, "mime_type": "image/png"},
        {"type": "image", "source_type": "base64", "data": PNG_B64, "mime_type": "image/png"},
        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": PNG_B64}},
    ],
    ids=["image_url-data", "v1-base64", "v0-base64", "anthropic-base64"],
)
def test_image_inline(block):
    li = _user(ImageBlock(image=PNG, image_mimetype="image/png"))
    _same([HumanMessage([block])], [li], [{"role": "user", "content": [IMAGE_B64_PART]}])


def test_image_detail_is_kept_by_both():
    part = {"type": "image_url", "image_url": {"url": IMAGE_AT, "detail": "low"}}
    _same(
        [HumanMessage([part])], [_user(ImageBlock(url=IMAGE_AT, detail="low"))], [{"role": "user", "content": [part]}]
    )


def _file(name: str) -> dict[str, Any]:
    return {"type": "file", "file": {"file_data": PDF_URL, "filename": name}}


@pytest.mark.parametrize(
    "block",
    [
        {"type": "file", "file": {"file_data": PDF_URL, "filename": "dummy.pdf"}},  # OpenAI format
        {"type": "file", "base64": PDF_B64, "mime_type": "application/pdf", "filename": "dummy.pdf"},  # v1
    ],
    ids=["openai-file", "v1-base64"],
)
def test_pdf_with_a_name(block, pdf_server):
    for li in (
        DocumentBlock(data=PDF, title="dummy.pdf"),
        DocumentBlock(path=DATA / "dummy.pdf", title="dummy.pdf"),
        DocumentBlock(url=f"{pdf_server}/dummy.pdf", title="dummy.pdf"),  # fetched (no route takes a PDF URL)
    ):
        _same([HumanMessage([block])], [_user(li)], [{"role": "user", "content": [_file("dummy.pdf")]}])


def test_pdf_without_a_name_gets_the_same_default_in_both(pdf_server):
    block = {"type": "file", "base64": PDF_B64, "mime_type": "application/pdf"}
    expected = [{"role": "user", "content": [_file(DEFAULT_FILENAME)]}]
    _same([HumanMessage([block])], [_user(DocumentBlock(data=PDF))], expected)
    assert li_core([_user(DocumentBlock(url=f"{pdf_server}/dummy.pdf"))]) == expected


def test_pdf_url_that_cannot_be_fetched_says_which():
    with pytest.raises(ValueError, match="could not read the DocumentBlock's url"):
        li_core([_user(DocumentBlock(url="http://127.0.0.1:9/missing.pdf"))])


def test_pdf_by_openai_file_id_is_langchain_only():
    part = {"type": "file", "file": {"file_id": "file-abc"}}
    assert lc_core([HumanMessage([part])]) == [{"role": "user", "content": [part]}]
    assert lc_core([HumanMessage([{"type": "file", "file_id": "file-abc"}])]) == [{"role": "user", "content": [part]}]


def test_audio_inline_and_by_url():
    inline = {"type": "input_audio", "input_audio": {"data": WAV_B64, "format": "wav"}}
    for block in (inline, {"type": "audio", "base64": WAV_B64, "mime_type": "audio/wav"}):
        _same(
            [HumanMessage([block])],
            [_user(AudioBlock(audio=WAV, format="wav"))],
            [{"role": "user", "content": [inline]}],
        )
    by_url = {"type": "audio_url", "audio_url": {"url": AUDIO_AT}}
    for block in (by_url, {"type": "audio", "url": AUDIO_AT}):
        _same([HumanMessage([block])], [_user(AudioBlock(url=AUDIO_AT))], [{"role": "user", "content": [by_url]}])


def test_video_by_url_and_inline():
    by_url = {"type": "video_url", "video_url": {"url": VIDEO_AT}}
    for block in (by_url, {"type": "video", "url": VIDEO_AT}):
        _same([HumanMessage([block])], [_user(VideoBlock(url=VIDEO_AT))], [{"role": "user", "content": [by_url]}])
    inline = {"type": "video_url", "video_url": {"url": f"data:video/mp4;base64,{MP4_B64}"}}
    _same(
        [HumanMessage([{"type": "video", "base64": MP4_B64, "mime_type": "video/mp4"}])],
        [_user(VideoBlock(video=MP4, video_mimetype="video/mp4"))],
        [{"role": "user", "content": [inline]}],
    )


CALL = {"id": "call_1", "type": "function", "function": {"name": "add", "arguments": '{"a": 1, "b": 2}'}}
LC_CALL = AIMessage("", tool_calls=[{"name": "add", "args": {"a": 1, "b": 2}, "id": "call_1", "type": "tool_call"}])
LI_CALL = ChatMessage(
    role="assistant", blocks=[ToolCallBlock(tool_call_id="call_1", tool_name="add", tool_kwargs={"a": 1, "b": 2})]
)
CALL_TURN = {"role": "assistant", "content": None, "tool_calls": [CALL]}


def _li_tool(*blocks: Any, **kwargs: Any) -> ChatMessage:
    return ChatMessage(role="tool", blocks=list(blocks), additional_kwargs={"tool_call_id": "call_1", **kwargs})


def test_tool_call():
    _same([LC_CALL], [LI_CALL], [CALL_TURN])


@pytest.mark.parametrize(
    ("lc", "li", "core"),
    [
        (ToolMessage("3", tool_call_id="call_1"), _li_tool(TextBlock(text="3")), {"content": "3"}),
        (
            ToolMessage([{"type": "text", "text": "3"}, {"type": "text", "text": "!"}], tool_call_id="call_1"),
            _li_tool(TextBlock(text="3"), TextBlock(text="!")),
            {"content": "3!"},
        ),
        (
            ToolMessage(
                [{"type": "text", "text": "A plot:"}, {"type": "image", "base64": PNG_B64, "mime_type": "image/png"}],
                tool_call_id="call_1",
            ),
            _li_tool(TextBlock(text="A plot:"), ImageBlock(image=PNG, image_mimetype="image/png")),
            {"content": [{"type": "text", "text": "A plot:"}, IMAGE_B64_PART]},
        ),
        (
            ToolMessage(
                [{"type": "file", "base64": PDF_B64, "mime_type": "application/pdf", "filename": "dummy.pdf"}],
                tool_call_id="call_1",
            ),
            _li_tool(DocumentBlock(data=PDF, title="dummy.pdf")),
            {"content": [_file("dummy.pdf")]},
        ),
        (
            ToolMessage("division by zero", tool_call_id="call_1", status="error"),
            _li_tool(TextBlock(text="division by zero"), is_error=True),
            {"content": "division by zero", "is_error": True},
        ),
        (
            ToolMessage("3", tool_call_id="call_1", name="add"),
            _li_tool(TextBlock(text="3"), name="add"),
            {"content": "3", "name": "add"},
        ),
    ],
    ids=["string", "text-list", "image", "pdf", "error", "named"],
)
def test_tool_result(lc, li, core):
    _same([LC_CALL, lc], [LI_CALL, li], [CALL_TURN, {"role": "tool", "tool_call_id": "call_1", **core}])


def test_a_tools_raw_list_is_its_json_text_in_langchain():
    """A tool returning a list of records (not content blocks): LangChain's ToolMessage holds the list itself,
    LlamaIndex only ever has the text; the core gets the JSON text from both."""
    records = [{"city": "Paris", "temp": 18}]
    text = json.dumps(records, ensure_ascii=False)
    _same(
        [LC_CALL, ToolMessage(records, tool_call_id="call_1")],
        [LI_CALL, _li_tool(TextBlock(text=text))],
        [CALL_TURN, {"role": "tool", "tool_call_id": "call_1", "content": text}],
    )


SIGNED = {"type": "thinking", "thinking": "1 + 2 is 3.", "signature": "sig-abc"}
RESULTS = {
    "reasoning": ChatResult(text="3", reasoning="1 + 2 is 3.", reasoning_details=[SIGNED]),
    "reasoning-and-call": ChatResult(
        reasoning="Use the tool.",
        tool_calls=[ToolCall(id="call_1", name="add", arguments='{"a": 1, "b": 2}')],
        reasoning_details=[SIGNED],
    ),
    "gemini-signed-call": ChatResult(
        tool_calls=[
            ToolCall(
                id="call_1",
                name="add",
                arguments='{"a": 1, "b": 2}',
                extra={"extra_content": {"google": {"thought_signature": "c2ln"}}},
            )
        ]
    ),
    "text": ChatResult(text="Hello."),
}


@pytest.mark.parametrize("name", list(RESULTS))
def test_an_answer_round_trips_through_both_faces(name):
    """core answer → face message → core message: what ``ChatResult.to_assistant_message`` says it is."""
    result = RESULTS[name]
    expected = [result.to_assistant_message()]
    assert lc_core([to_ai_message(result, "some-model")]) == expected, "LangChain"
    assert li_core([to_chat_response(result).message]) == expected, "LlamaIndex"


def test_an_answer_with_an_image_round_trips_through_both_faces():
    """A gemini-image answer: LangChain used to drop the image, LlamaIndex to raise "assistant messages take text
    only". Both now keep it as the same core message."""
    result = ChatResult(text="Here is a cat.", content_parts=[{"type": "image_url", "image_url": {"url": PNG_URL}}])
    expected = [{"role": "assistant", "content": [{"type": "text", "text": "Here is a cat."}, IMAGE_B64_PART]}]
    lc = to_ai_message(result, "gemini-2.5-flash-image-preview")
    li = to_chat_response(result).message
    assert lc.content == expected[0]["content"]
    assert [type(b) for b in li.blocks] == [TextBlock, ImageBlock] and str(li.blocks[1].url) == PNG_URL
    assert lc_core([lc]) == expected == li_core([li])
    # an image alone (no text)
    only = ChatResult(content_parts=[{"type": "image_url", "image_url": {"url": PNG_URL}}])
    expected = [{"role": "assistant", "content": [IMAGE_B64_PART]}]
    assert lc_core([to_ai_message(only, "m")]) == expected == li_core([to_chat_response(only).message])


def test_reasoning_written_by_hand_in_each_face():
    _same(
        [AIMessage("3", additional_kwargs={"reasoning_content": "1 + 2 is 3.", "reasoning_details": [SIGNED]})],
        [
            ChatMessage(
                role="assistant",
                blocks=[
                    ThinkingBlock(content="1 + 2 is 3.", additional_information={"reasoning_details": [SIGNED]}),
                    TextBlock(text="3"),
                ],
            )
        ],
        [{"role": "assistant", "content": "3", "reasoning_content": "1 + 2 is 3.", "reasoning_details": [SIGNED]}],
    )


# -- 2. each route's and vendor's treatment, through the strict stub, from both faces -----------------------------

CLAUDE = "claude-sonnet-4-5-20250929"


@tool
def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


def _li_add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


LI_ADD = FunctionTool.from_defaults(_li_add, name="add")


def _sent(body: dict[str, Any]) -> dict[str, Any]:
    """What carries the conversation: system + messages (Messages), messages (chat) or input (Responses)."""
    return {k: body[k] for k in ("system", "messages", "input") if k in body}


def _run(model: str, kw: dict[str, Any], lc: list[Any], li: list[Any], *, tools: bool = False) -> dict[str, Any]:
    """Both faces send the conversation; the stub takes both; the two bodies carry the same conversation."""
    lc_wire, li_wire = StubWire(), StubWire()
    llm = lc_wire.langchain(model, **kw)
    (llm.bind_tools([add]) if tools else llm).invoke(lc)
    if tools:
        li_wire.llama(model, **kw).chat_with_tools([LI_ADD], chat_history=li)
    else:
        li_wire.llama(model, **kw).chat(li)
    assert lc_wire.last_path == li_wire.last_path
    sent = _sent(lc_wire.last)
    assert sent == _sent(li_wire.last), "the faces disagree on the wire"
    return {"path": lc_wire.last_path, **sent}


CACHED_SYSTEM_LC = [
    SystemMessage([{"type": "text", "text": "You are terse.", "cache_control": EPHEMERAL}]),
    HumanMessage("Hi."),
]
CACHED_SYSTEM_LI = [
    ChatMessage(
        role="system",
        blocks=[TextBlock(text="You are terse."), CachePoint(cache_control=CacheControl(type="ephemeral"))],
    ),
    ChatMessage(role="user", content="Hi."),
]


@pytest.mark.parametrize("kw", [{"route": "messages"}, {"thinking": True}], ids=["route=messages", "thinking"])
def test_system_cache_control_reaches_claude_on_messages(kw):
    sent = _run(CLAUDE, kw, CACHED_SYSTEM_LC, CACHED_SYSTEM_LI)
    assert sent["path"] == "/v1/messages"
    assert sent["system"] == [{"type": "text", "text": "You are terse.", "cache_control": EPHEMERAL}]


def test_system_cache_control_is_dropped_for_openai():
    sent = _run("gpt-4o-mini", {}, CACHED_SYSTEM_LC, CACHED_SYSTEM_LI)
    assert sent["messages"] == [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Hi."}]
    assert "cache_control" not in json.dumps(sent)


@pytest.mark.parametrize("model", ["qwen3-max", CLAUDE])
def test_system_cache_control_is_kept_on_chat_for_vendors_that_cache_on_it(model):
    sent = _run(model, {}, CACHED_SYSTEM_LC, CACHED_SYSTEM_LI)
    assert sent["path"] == "/v1/chat/completions"
    assert sent["messages"][0] == {
        "role": "system",
        "content": [{"type": "text", "text": "You are terse.", "cache_control": EPHEMERAL}],
    }


def _tool_history(lc_result: ToolMessage, li_result: ChatMessage) -> tuple[list[Any], list[Any]]:
    return (
        [HumanMessage("Add 1 and 2."), LC_CALL, lc_result],
        [ChatMessage(role="user", content="Add 1 and 2."), LI_CALL, li_result],
    )


ERROR = _tool_history(
    ToolMessage("division by zero", tool_call_id="call_1", status="error"),
    _li_tool(TextBlock(text="division by zero"), is_error=True),
)
IMAGE = _tool_history(
    ToolMessage(
        [{"type": "text", "text": "A plot:"}, {"type": "image", "base64": PNG_B64, "mime_type": "image/png"}],
        tool_call_id="call_1",
    ),
    _li_tool(TextBlock(text="A plot:"), ImageBlock(image=PNG, image_mimetype="image/png")),
)
PDF_RESULT = _tool_history(
    ToolMessage(
        [
            {"type": "text", "text": "The report:"},
            {"type": "file", "base64": PDF_B64, "mime_type": "application/pdf", "filename": "dummy.pdf"},
        ],
        tool_call_id="call_1",
    ),
    _li_tool(TextBlock(text="The report:"), DocumentBlock(data=PDF, title="dummy.pdf")),
)
USE = {"type": "tool_use", "id": "call_1", "name": "add", "input": {"a": 1, "b": 2}}
RESP_CALL = {"type": "function_call", "call_id": "call_1", "name": "add", "arguments": '{"a": 1, "b": 2}'}


def test_tool_error_is_is_error_on_claude_messages():
    sent = _run(CLAUDE, {"route": "messages"}, *ERROR, tools=True)
    assert sent["messages"][-1] == {
        "role": "user",
        "content": [{"type": "tool_result", "tool_use_id": "call_1", "content": "division by zero", "is_error": True}],
    }


@pytest.mark.parametrize("model", ["gpt-4o-mini", "gpt-5.2-pro", "gemini-2.5-pro"])
def test_tool_error_has_no_field_on_chat_and_responses(model):
    sent = _run(model, {}, *ERROR, tools=True)
    assert "is_error" not in json.dumps(sent)
    last = (sent.get("messages") or sent.get("input"))[-1]
    assert last.get("content", last.get("output")) == "division by zero"


def test_image_in_a_tool_result_on_claude_messages():
    sent = _run(CLAUDE, {"route": "messages"}, *IMAGE, tools=True)
    image = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": PNG_B64}}
    assert sent["messages"][1:] == [
        {"role": "assistant", "content": [USE]},
        {
            "role": "user",
            "content": [
                {
                    "type": "tool_result",
                    "tool_use_id": "call_1",
                    "content": [{"type": "text", "text": "A plot:"}, image],
                }
            ],
        },
    ]


def test_image_in_a_tool_result_on_responses():
    sent = _run("gpt-5.2-pro", {}, *IMAGE, tools=True)
    assert sent["input"][1:] == [
        RESP_CALL,
        {
            "type": "function_call_output",
            "call_id": "call_1",
            "output": [{"type": "input_text", "text": "A plot:"}, {"type": "input_image", "image_url": PNG_URL}],
        },
    ]


@pytest.mark.parametrize("model", ["gpt-4o-mini", "gemini-2.5-pro"])
def test_image_in_a_tool_result_on_chat_follows_in_a_user_message(model):
    """OpenAI's tool messages take text parts only (the stub refuses an image there): the text stays, the image
    follows in a user message naming the call."""
    sent = _run(model, {}, *IMAGE, tools=True)
    tool_msg = {"role": "tool", "tool_call_id": "call_1", "content": "A plot:"}
    if model.startswith("gemini"):
        tool_msg["name"] = "add"
    assert sent["messages"][2:] == [
        tool_msg,
        {"role": "user", "content": [{"type": "text", "text": "What tool call call_1 returned:"}, IMAGE_B64_PART]},
    ]


def test_image_in_a_tool_result_for_a_model_without_vision_is_a_note():
    """deepseek-v4-pro takes text only: the image is a note saying so and the user is warned, never a silent drop
    (and no error: the tool, not the user, chose to return an image)."""
    with pytest.warns(UserWarning, match="deepseek-v4-pro: tool call call_1 returned an image, which this model"):
        sent = _run("deepseek-v4-pro", {}, *IMAGE, tools=True)
    assert sent["messages"][2:] == [
        {"role": "tool", "tool_call_id": "call_1", "content": "A plot:"},
        {"role": "user", "content": "[tool call call_1 returned an image, which this model does not take]"},
    ]
    assert PNG_B64 not in json.dumps(sent)


def test_an_image_a_user_sends_to_a_model_without_vision_is_still_refused():
    with pytest.raises(ValueError, match="does not take image input"):
        StubWire().langchain("deepseek-v4-pro").invoke([HumanMessage([{"type": "image", "url": IMAGE_AT}])])


def test_pdf_in_a_tool_result_on_each_route():
    document = {"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": PDF_B64}}
    claude = _run(CLAUDE, {"route": "messages"}, *PDF_RESULT, tools=True)
    assert claude["messages"][-1]["content"] == [
        {"type": "tool_result", "tool_use_id": "call_1", "content": [{"type": "text", "text": "The report:"}, document]}
    ]
    responses = _run("gpt-5.2-pro", {}, *PDF_RESULT, tools=True)
    assert responses["input"][-1]["output"] == [
        {"type": "input_text", "text": "The report:"},
        {"type": "input_file", "file_data": PDF_URL, "filename": "dummy.pdf"},
    ]
    chat = _run("gpt-4o-mini", {}, *PDF_RESULT, tools=True)
    assert chat["messages"][2:] == [
        {"role": "tool", "tool_call_id": "call_1", "content": "The report:"},
        {"role": "user", "content": [{"type": "text", "text": "What tool call call_1 returned:"}, _file("dummy.pdf")]},
    ]


def test_tool_name_goes_to_gemini_only():
    """LangChain's ToolMessage has the tool's name; a LlamaIndex tool message has none, and the core fills it
    from the call it answers for Gemini (which requires it). OpenAI rejects ``name`` on a tool message."""
    lc = [HumanMessage("Add 1 and 2."), LC_CALL, ToolMessage("3", tool_call_id="call_1", name="add")]
    li = [ChatMessage(role="user", content="Add 1 and 2."), LI_CALL, _li_tool(TextBlock(text="3"))]
    gemini = _run("gemini-2.5-pro", {}, lc, li, tools=True)
    assert gemini["messages"][-1] == {"role": "tool", "tool_call_id": "call_1", "content": "3", "name": "add"}
    openai = _run("gpt-4o-mini", {}, lc, li, tools=True)
    assert openai["messages"][-1] == {"role": "tool", "tool_call_id": "call_1", "content": "3"}


GEMINI_IMAGE = ChatResult(text="Here is a cat.", content_parts=[{"type": "image_url", "image_url": {"url": PNG_URL}}])


def _image_answer_history() -> tuple[list[Any], list[Any]]:
    return (
        [HumanMessage("Draw a cat."), to_ai_message(GEMINI_IMAGE, "gemini-2.5-flash-image"), HumanMessage("Bluer.")],
        [
            ChatMessage(role="user", content="Draw a cat."),
            to_chat_response(GEMINI_IMAGE).message,
            ChatMessage(role="user", content="Bluer."),
        ],
    )


@pytest.mark.parametrize("model", ["gpt-4o-mini", "gemini-2.5-pro"])
def test_a_gemini_image_answer_continues_on_chat(model):
    sent = _run(model, {}, *_image_answer_history())
    assert sent["messages"] == [
        {"role": "user", "content": "Draw a cat."},
        {"role": "assistant", "content": "Here is a cat."},
        {"role": "user", "content": [{"type": "text", "text": PREVIOUS_IMAGE}, IMAGE_B64_PART]},
        {"role": "user", "content": "Bluer."},
    ]


def test_a_gemini_image_answer_continues_on_claude_messages():
    sent = _run(CLAUDE, {"route": "messages"}, *_image_answer_history())
    image = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": PNG_B64}}
    assert sent["messages"] == [
        {"role": "user", "content": [{"type": "text", "text": "Draw a cat."}]},
        {"role": "assistant", "content": [{"type": "text", "text": "Here is a cat."}]},
        {
            "role": "user",
            "content": [{"type": "text", "text": PREVIOUS_IMAGE}, image, {"type": "text", "text": "Bluer."}],
        },
    ]


def test_a_gemini_image_answer_continues_on_a_model_without_vision_as_a_note():
    with pytest.warns(UserWarning, match="deepseek-v4-pro: an image from an earlier answer"):
        sent = _run("deepseek-v4-pro", {}, *_image_answer_history())
    assert sent["messages"][2] == {
        "role": "user",
        "content": "[an image from an earlier answer: this model does not take images]",
    }


def test_the_core_client_puts_a_generated_image_back_in_the_history_too():
    """``ChatResult.to_assistant_message`` (the core client's history) keeps the image, as both faces do, and the
    next model gets it in a user message after the answer."""
    import httpx

    from mixrouter import MixRouterClient
    from tests.conftest import FAKE_KEY

    result = ChatResult(text="Here is a cat.", content_parts=[{"type": "image_url", "image_url": {"url": PNG_URL}}])
    assert [result.to_assistant_message()] == lc_core([to_ai_message(result, "m")])
    wire = StubWire()
    client = MixRouterClient(api_key=FAKE_KEY, http_client=httpx.Client(transport=wire.transport), max_retries=0)
    history = [{"role": "user", "content": "Draw a cat."}, result.to_assistant_message()]
    client.chat("gpt-4o-mini", [*history, {"role": "user", "content": "Make it bluer."}])
    sent = wire.last["messages"]
    assert sent[1] == {"role": "assistant", "content": "Here is a cat."}
    assert sent[2]["role"] == "user" and sent[2]["content"][1] == IMAGE_B64_PART
