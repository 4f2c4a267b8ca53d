"""Every page with the API down: one clear message, no stack trace."""

from __future__ import annotations

import pytest

from tests.apptest import assert_clean, open_page
from tests.conftest import Server, free_port

PAGES = ["overview", "recommendations", "search", "tags", "social", "long_tail"]


@pytest.mark.parametrize("page", PAGES)
def test_an_unreachable_api_gets_a_clear_message(
    page: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A port nothing listens on: the SDK's connection fails at once.
    url = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("SOUNDSTREAM_API_URL", url)

    at = open_page(page)

    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [
        f"The SoundStream API at {url} is unreachable. Check that the server runs (start "
        "it with ./scripts/run, or soundstream serve) and that SOUNDSTREAM_API_URL points "
        "at it, then reload the page."
    ]
    assert not at.get("plotly_chart")


def test_answers_cached_for_one_api_are_not_served_for_another(
    live: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert_clean(open_page("long_tail"))

    monkeypatch.setenv("SOUNDSTREAM_API_URL", f"http://127.0.0.1:{free_port()}")
    at = open_page("long_tail")

    assert len(at.error) == 1
    assert "is unreachable" in at.error[0].value
