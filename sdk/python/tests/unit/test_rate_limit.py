"""Rate limits: the `RateLimit-*` headers of every answer are kept as `client.rate_limit`, and a
429 is retried after `Retry-After`, else after `RateLimit-Reset`; a connection error names the
address and how to start a server."""

from __future__ import annotations

import time

import httpx
import pytest

import soundstream
from soundstream import RateLimit

from .mock_api import BASE_URL, MockAPI, artist, error_body, json_response

ARTIST_DETAIL = {**artist(707), "top_tags": []}


def limited(limit: int, remaining: int, reset: str, *, prefix: str = "") -> dict[str, str]:
    return {
        f"{prefix}RateLimit-Limit": str(limit),
        f"{prefix}RateLimit-Remaining": str(remaining),
        f"{prefix}RateLimit-Reset": reset,
    }


def too_many(headers: dict[str, str]) -> httpx.Response:
    return json_response(429, error_body(429, "rate_limited", "slow down"), headers)


def test_the_client_has_no_limits_before_an_answer_carries_them() -> None:
    api = MockAPI(json_response(200, ARTIST_DETAIL))
    client = api.client()

    assert client.rate_limit is None
    client.artists.get(707)
    assert client.rate_limit is None


def test_every_answer_updates_the_last_seen_limits() -> None:
    api = MockAPI(
        json_response(200, ARTIST_DETAIL, limited(100, 99, "60")),
        json_response(200, ARTIST_DETAIL, limited(100, 98, "59")),
    )
    client = api.client()

    client.artists.get(707)
    first = client.rate_limit
    client.artists.get(707)

    assert isinstance(first, RateLimit)
    assert (first.limit, first.remaining, first.reset) == (100, 99, 60.0)
    assert client.rate_limit is not None
    assert (client.rate_limit.limit, client.rate_limit.remaining) == (100, 98)
    assert 58.0 <= client.rate_limit.seconds_until_reset() <= 59.0


def test_an_error_answer_updates_the_limits_too() -> None:
    api = MockAPI(json_response(404, error_body(404, "not_found", "no"), limited(10, 3, "5")))
    client = api.client()

    with pytest.raises(soundstream.NotFoundError):
        client.artists.get(1)

    assert client.rate_limit is not None
    assert client.rate_limit.remaining == 3


def test_the_x_forms_and_a_unix_time_reset_are_read() -> None:
    # GitHub's X-RateLimit-Reset is a Unix time, not a delay.
    reset_at = int(time.time()) + 30
    api = MockAPI(
        json_response(200, ARTIST_DETAIL, limited(5000, 4999, str(reset_at), prefix="X-"))
    )
    client = api.client()

    client.artists.get(707)

    assert client.rate_limit is not None
    assert client.rate_limit.limit == 5000
    assert 28.0 <= client.rate_limit.reset <= 30.0


def test_malformed_limits_are_ignored() -> None:
    api = MockAPI(json_response(200, ARTIST_DETAIL, {"RateLimit-Limit": "lots"}))
    client = api.client()

    client.artists.get(707)

    assert client.rate_limit is None


def test_a_429_without_retry_after_waits_until_the_window_resets() -> None:
    api = MockAPI(too_many(limited(10, 0, "7")), json_response(200, ARTIST_DETAIL))
    client = api.client()

    client.artists.get(707)

    assert api.sleeps == [7.0]
    assert len(api.requests) == 2


def test_retry_after_wins_over_the_reset() -> None:
    api = MockAPI(
        too_many({**limited(10, 0, "7"), "Retry-After": "2"}), json_response(200, ARTIST_DETAIL)
    )

    api.client().artists.get(707)

    assert api.sleeps == [2.0]


def test_a_reset_too_far_away_is_the_callers_to_wait() -> None:
    api = MockAPI(too_many(limited(10, 0, "3600")))

    with pytest.raises(soundstream.RateLimitError) as info:
        api.client().artists.get(707)

    assert len(api.requests) == 1
    assert info.value.retry_after == 3600.0
    assert info.value.rate_limit is not None
    assert info.value.rate_limit.remaining == 0


async def test_the_async_client_keeps_and_honours_the_limits_too() -> None:
    api = MockAPI(
        too_many(limited(10, 0, "4")), json_response(200, ARTIST_DETAIL, limited(10, 9, "60"))
    )
    client = api.async_client()

    await client.artists.get(707)

    assert api.sleeps == [4.0]
    assert client.rate_limit is not None
    assert client.rate_limit.remaining == 9


def test_a_refused_connection_names_the_address_and_how_to_start_a_server() -> None:
    api = MockAPI(handler=lambda r: httpx.ConnectError("[Errno 111] Connection refused", request=r))

    with pytest.raises(soundstream.APIConnectionError) as info:
        api.client(max_retries=0).artists.get(707)

    message = str(info.value)
    assert f"could not reach the SoundStream API at {BASE_URL}" in message
    assert "Connection refused" in message
    assert "./scripts/run" in message
    assert "soundstream serve" in message
    assert "SOUNDSTREAM_API_URL" in message


def test_a_connect_timeout_says_the_same() -> None:
    api = MockAPI(handler=lambda r: httpx.ConnectTimeout("timed out", request=r))

    with pytest.raises(soundstream.APITimeoutError) as info:
        api.client(max_retries=0).artists.get(707)

    assert f"could not connect to the SoundStream API at {BASE_URL}" in str(info.value)
    assert "./scripts/run" in str(info.value)
