"""Key, base URL, timeouts and retry settings: where they come from and how bad values are refused."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from mixrouter import AsyncMixRouterClient, MissingAPIKeyError, MixRouterClient, Timeouts
from mixrouter.config import DEFAULT_BASE_URL, RetryPolicy, resolve_api_key, resolve_base_url


def test_key_from_argument_beats_env(monkeypatch):
    monkeypatch.setenv("MIXROUTER_API_KEY", "from-env-key")
    assert resolve_api_key("from-arg-key").get_secret_value() == "from-arg-key"
    assert resolve_api_key(SecretStr("secret-arg")).get_secret_value() == "secret-arg"


def test_key_from_env(monkeypatch):
    monkeypatch.setenv("MIXROUTER_API_KEY", "from-env-key")
    assert MixRouterClient().api_key.get_secret_value() == "from-env-key"


def test_missing_key_names_the_env_var(monkeypatch):
    monkeypatch.delenv("MIXROUTER_API_KEY", raising=False)
    with pytest.raises(MissingAPIKeyError, match="MIXROUTER_API_KEY"):
        MixRouterClient()
    with pytest.raises(MissingAPIKeyError, match="MIXROUTER_API_KEY"):
        AsyncMixRouterClient(api_key="   ")


def test_base_url_default_env_and_argument(monkeypatch):
    assert resolve_base_url(None) == DEFAULT_BASE_URL == "https://api.mixrouter.com/v1"
    monkeypatch.setenv("MIXROUTER_BASE_URL", "http://127.0.0.1:9/v1/")
    assert resolve_base_url(None) == "http://127.0.0.1:9/v1"
    assert resolve_base_url("https://proxy.example/v1") == "https://proxy.example/v1"


@pytest.mark.parametrize("bad", ["api.mixrouter.com/v1", "ftp://x/v1", "https://", "https://h/v1?x=1"])
def test_malformed_base_url_is_refused(bad):
    with pytest.raises(ValueError, match="base_url"):
        MixRouterClient(api_key="k" * 10, base_url=bad)


def test_timeouts_are_finite_seconds_by_default():
    t = MixRouterClient(api_key="k" * 10).transport.timeouts
    assert (t.connect, t.read, t.stream_idle) == (10.0, 600.0, 120.0)
    one = Timeouts.coerce(30)
    assert (one.connect, one.read, one.stream_idle) == (10.0, 30.0, 30.0)
    assert Timeouts.coerce(2).connect == 2.0


@pytest.mark.parametrize("bad", [0, -1, "10", True])
def test_bad_timeout_names_the_field(bad):
    with pytest.raises(ValueError, match="timeout"):
        MixRouterClient(api_key="k" * 10, timeout=bad)
    with pytest.raises(ValueError, match=r"timeout\.stream_idle"):
        Timeouts(stream_idle=-5)


@pytest.mark.parametrize("bad", [-1, 1.5, None])
def test_bad_max_retries_names_the_field(bad):
    with pytest.raises(ValueError, match="max_retries"):
        RetryPolicy(max_retries=bad)


def test_repr_never_shows_the_key():
    client = MixRouterClient(api_key="sk-abcdefghijklmnop-secret")
    assert "sk-abcdefghijklmnop-secret" not in repr(client) + str(client) + repr(client.transport)
    assert "sk-abcdefghijklmnop-secret" not in repr(client.api_key)
