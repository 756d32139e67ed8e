"""Every HTTP error names the request it came from, and a 404/405 on /v1/messages or /v1/responses says which
``route=`` to try; through the core client and from the user's side of both faces."""

from __future__ import annotations

import json
import pickle

import httpx
import pytest
from langchain_core.exceptions import ModelNotFoundError
from llama_index.core.llms import ChatMessage

from langchain_mixrouter import ChatMixRouter
from llama_index_mixrouter import MixRouterLLM
from mixrouter import (
    APIConnectionError,
    AsyncMixRouterClient,
    BadRequestError,
    InternalServerError,
    MixRouterClient,
    MixRouterError,
    NotFoundError,
    StreamError,
)
from mixrouter import errors as E
from tests.loopback import Loopback, free_port, reply
from tests.scripted import Scripted

KEY = "sk-test-4f8a9b2c7d1e6f30a5b8"
CLAUDE = "claude-sonnet-4-5-20250929"
HI = [{"role": "user", "content": "hi"}]
ROUTES = {"messages": "/v1/messages", "responses": "/v1/responses"}


def not_served(status: int) -> httpx.MockTransport:
    """What a gateway answers for an endpoint it does not serve: Gin's plain-text 404, or a 405."""

    def handle(request: httpx.Request) -> httpx.Response:
        if status == 404:
            return httpx.Response(404, text="404 page not found", headers={"content-type": "text/plain"})
        return httpx.Response(405, json={"error": {"message": "Method Not Allowed"}})

    return httpx.MockTransport(handle)


def client_for(transport: httpx.MockTransport) -> MixRouterClient:
    return MixRouterClient(api_key=KEY, max_retries=0, http_client=httpx.Client(transport=transport))


def assert_names_route(err: MixRouterError, status: int, path: str) -> None:
    text = str(err)
    assert err.status == status and (err.method, err.path, err.endpoint) == ("POST", path, f"POST {path}")
    assert text.startswith(f"[HTTP {status}] POST {path}: ")
    assert f"MixRouter did not serve {path} for this model; try route='chat'." in text
    assert KEY not in text + repr(err)


# -- the core client ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [404, 405])
@pytest.mark.parametrize("route", ["messages", "responses"])
def test_core_client_names_the_path_and_the_route_to_try(route, status):
    client = client_for(not_served(status))
    with pytest.raises(MixRouterError) as info:
        client.chat(CLAUDE, HI, route=route)
    assert_names_route(info.value, status, ROUTES[route])
    if status == 404:
        assert isinstance(info.value, NotFoundError)
        assert str(info.value) == (
            f"[HTTP 404] POST {ROUTES[route]}: 404 page not found. "
            f"MixRouter did not serve {ROUTES[route]} for this model; try route='chat'."
        )
    with pytest.raises(MixRouterError) as streamed:
        list(client.chat_stream(CLAUDE, HI, route=route))
    assert_names_route(streamed.value, status, ROUTES[route])


@pytest.mark.parametrize("route", ["messages", "responses"])
async def test_async_core_client_names_the_path_and_the_route_to_try(route):
    client = AsyncMixRouterClient(api_key=KEY, max_retries=0, http_client=httpx.AsyncClient(transport=not_served(404)))
    with pytest.raises(NotFoundError) as info:
        await client.chat(CLAUDE, HI, route=route)
    assert_names_route(info.value, 404, ROUTES[route])
    with pytest.raises(NotFoundError) as streamed:
        async for _ in client.chat_stream(CLAUDE, HI, route=route):
            pass
    assert_names_route(streamed.value, 404, ROUTES[route])


def test_a_real_socket_404_on_messages_names_the_base_path_too():
    with Loopback([reply(404, b"404 page not found", {"content-type": "text/plain"})]) as srv:
        client = MixRouterClient(api_key=KEY, base_url=srv.base_url, max_retries=0)
        with pytest.raises(NotFoundError) as info:
            client.chat(CLAUDE, HI, route="messages")
    assert_names_route(info.value, 404, "/v1/messages")


@pytest.mark.parametrize(
    ("status", "cls"),
    [(400, BadRequestError), (500, InternalServerError)],
)
def test_an_error_on_chat_completions_names_its_path_and_suggests_no_route(status, cls):
    body = {"error": {"message": "bad things", "code": "x1"}}
    client = client_for(Scripted((status, body)))
    with pytest.raises(cls) as info:
        client.chat("gpt-4o-mini", HI)
    err = info.value
    assert err.endpoint == "POST /v1/chat/completions" and err.hint is None and err.message == "bad things"
    retry = " (retrying may help)" if err.retryable else ""
    assert str(err) == f"[HTTP {status}, code=x1] POST /v1/chat/completions: bad things{retry}"


def test_a_404_on_chat_completions_names_the_path_without_a_route_hint():
    client = client_for(Scripted((404, {"error": {"message": "The model `nope` does not exist"}})))
    with pytest.raises(NotFoundError) as info:
        client.chat("nope", HI)
    assert str(info.value) == "[HTTP 404] POST /v1/chat/completions: The model `nope` does not exist"


def test_an_error_event_inside_a_stream_names_the_path():
    sse = b'data: {"choices":[{"index":0,"delta":{"content":"he"}}]}\n\ndata: {"error":{"message":"upstream died"}}\n\n'
    mock = httpx.MockTransport(
        lambda r: httpx.Response(200, content=sse, headers={"content-type": "text/event-stream"})
    )
    with pytest.raises(StreamError) as info:
        list(client_for(mock).chat_stream("gpt-4o-mini", HI))
    assert str(info.value) == "POST /v1/chat/completions: upstream died"


def test_an_error_object_in_a_200_and_a_garbled_answer_name_the_path():
    client = client_for(Scripted({"error": {"message": "quota gone", "code": "insufficient_user_quota"}}))
    with pytest.raises(E.InsufficientQuotaError) as info:
        client.chat("gpt-4o-mini", HI)
    assert info.value.endpoint == "POST /v1/chat/completions"
    garbled = client_for(httpx.MockTransport(lambda r: httpx.Response(200, content=b'{"choices": [')))
    with pytest.raises(E.ResponseDecodeError) as bad:
        garbled.embed("text-embedding-3-small", ["a"])
    assert str(bad.value).startswith("[HTTP 200] POST /v1/embeddings: MixRouter's answer is not valid JSON")


def test_connection_errors_name_the_path():
    client = MixRouterClient(api_key=KEY, base_url=f"http://127.0.0.1:{free_port()}/v1", max_retries=0)
    with pytest.raises(APIConnectionError) as info:
        client.chat(CLAUDE, HI, route="messages")
    assert str(info.value).startswith("POST /v1/messages: could not reach MixRouter:")
    assert info.value.hint is None  # no answer, so nothing is known about what is served


def test_the_path_never_carries_the_query_string():
    seen = []
    mock = httpx.MockTransport(lambda r: seen.append(r) or httpx.Response(401, json={"error": {"message": "no"}}))
    with pytest.raises(E.AuthenticationError) as info:
        client_for(mock).request("GET", "models", params={"token": "secret-in-query"})
    assert seen[0].url.query and info.value.path == "/v1/models"
    assert "secret-in-query" not in str(info.value) + repr(info.value)


def test_errors_pickle_with_the_path_and_hint():
    with pytest.raises(NotFoundError) as info:
        client_for(not_served(404)).chat(CLAUDE, HI, route="messages")
    back = pickle.loads(pickle.dumps(info.value))
    assert type(back) is NotFoundError and str(back) == str(info.value)
    assert (back.method, back.path, back.hint) == ("POST", "/v1/messages", info.value.hint)


# -- from the user's side: LangChain and LlamaIndex -------------------------------------------------------------


@pytest.mark.parametrize("status", [404, 405])
@pytest.mark.parametrize("route", ["messages", "responses"])
def test_chat_mixrouter_says_which_route_to_try(route, status):
    mock = not_served(status)
    llm = ChatMixRouter(
        model=CLAUDE,
        route=route,
        api_key=KEY,
        max_retries=0,
        http_client=httpx.Client(transport=mock),
        http_async_client=httpx.AsyncClient(transport=mock),
    )
    with pytest.raises(MixRouterError) as info:
        llm.invoke("hi")
    assert_names_route(info.value, status, ROUTES[route])
    if status == 404:
        assert isinstance(info.value, ModelNotFoundError) and isinstance(info.value, NotFoundError)
    with pytest.raises(MixRouterError) as streamed:
        list(llm.stream("hi"))
    assert_names_route(streamed.value, status, ROUTES[route])
    back = pickle.loads(pickle.dumps(info.value))
    assert str(back) == str(info.value) and type(back) is type(info.value)


async def test_chat_mixrouter_async_says_which_route_to_try():
    mock = not_served(404)
    llm = ChatMixRouter(
        model=CLAUDE, route="messages", api_key=KEY, max_retries=0, http_async_client=httpx.AsyncClient(transport=mock)
    )
    with pytest.raises(ModelNotFoundError) as info:
        await llm.ainvoke("hi")
    assert_names_route(info.value, 404, "/v1/messages")


@pytest.mark.parametrize("status", [404, 405])
@pytest.mark.parametrize("route", ["messages", "responses"])
async def test_mixrouter_llm_says_which_route_to_try(route, status):
    mock = not_served(status)
    llm = MixRouterLLM(
        model=CLAUDE,
        route=route,
        api_key=KEY,
        max_retries=0,
        http_client=httpx.Client(transport=mock),
        async_http_client=httpx.AsyncClient(transport=mock),
    )
    msgs = [ChatMessage(role="user", content="hi")]
    with pytest.raises(MixRouterError) as info:
        llm.chat(msgs)
    assert_names_route(info.value, status, ROUTES[route])
    with pytest.raises(MixRouterError) as streamed:
        list(llm.stream_chat(msgs))
    assert_names_route(streamed.value, status, ROUTES[route])
    with pytest.raises(MixRouterError) as async_info:
        await llm.achat(msgs)
    assert_names_route(async_info.value, status, ROUTES[route])


def test_chat_mixrouter_500_on_chat_completions_names_the_path_after_retries():
    t = Scripted((500, {"error": {"message": "upstream exploded"}}))
    llm = ChatMixRouter(model="gpt-4o-mini", api_key=KEY, max_retries=1, **t.clients())
    llm._client.transport._sleep = lambda s: None
    with pytest.raises(InternalServerError) as info:
        llm.invoke("hi")
    assert len(t.requests) == 2
    assert str(info.value) == "[HTTP 500] POST /v1/chat/completions: upstream exploded (retrying may help)"


def test_route_hint_rules():
    assert E.route_hint(404, "/v1/messages") == "MixRouter did not serve /v1/messages for this model; try route='chat'."
    assert E.route_hint(405, "/proxy/v1/responses/") is not None
    assert E.route_hint(400, "/v1/messages") is None and E.route_hint(404, "/v1/chat/completions") is None
    assert E.route_hint(404, None) is None
    err = E.error_from_response(404, json.dumps({"error": "gone"}).encode(), httpx.Headers())
    assert err.endpoint is None and str(err) == "[HTTP 404] gone"  # no request given: nothing invented


def _answer(payload: bytes, ctype: str = "application/json") -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(200, content=payload, headers={"content-type": ctype}))


def test_an_answer_without_choices_and_a_stream_cut_short_name_their_path():
    from mixrouter import IncompleteStreamError, ResponseDecodeError

    empty = MixRouterClient(api_key=KEY, http_client=httpx.Client(transport=_answer(b'{"id": "x", "choices": []}')))
    with pytest.raises(ResponseDecodeError) as err:
        empty.chat("gpt-4o-mini", HI)
    assert err.value.endpoint == "POST /v1/chat/completions" and "POST /v1/chat/completions" in str(err.value)
    chunk = {"id": "x", "choices": [{"index": 0, "delta": {"content": "Hel"}}]}
    cut = _answer(f"data: {json.dumps(chunk)}\n\n".encode(), "text/event-stream")
    client = MixRouterClient(api_key=KEY, http_client=httpx.Client(transport=cut))
    with pytest.raises(IncompleteStreamError) as err:
        client.chat_stream("gpt-4o-mini", HI).collect()
    assert err.value.endpoint == "POST /v1/chat/completions"
    shape = _answer(f"data: {json.dumps({'choices': [{'delta': 'oops'}]})}\n\n".encode(), "text/event-stream")
    client = MixRouterClient(api_key=KEY, http_client=httpx.Client(transport=shape))
    with pytest.raises(ResponseDecodeError) as err:
        client.chat_stream("gpt-4o-mini", HI).collect()
    assert err.value.endpoint == "POST /v1/chat/completions"
