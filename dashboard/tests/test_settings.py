"""Where the dashboard finds the API: the SDK's variable, its former name, the default."""

from __future__ import annotations

import pytest

from lib.settings import DEFAULT_API_URL, settings


@pytest.fixture(autouse=True)
def clean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOUNDSTREAM_API_URL", raising=False)
    monkeypatch.delenv("SOUNDSTREAM_BASE_URL", raising=False)
    monkeypatch.delenv("SOUNDSTREAM_API_KEY", raising=False)


def test_the_default_is_the_local_server() -> None:
    assert settings().api_url == DEFAULT_API_URL == "http://127.0.0.1:8000"
    assert settings().api_key is None


def test_soundstream_api_url_wins_over_its_former_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOUNDSTREAM_BASE_URL", "http://old:1")
    assert settings().api_url == "http://old:1"

    monkeypatch.setenv("SOUNDSTREAM_API_URL", "http://new:2/")
    assert settings().api_url == "http://new:2"
