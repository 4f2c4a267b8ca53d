"""Retries: idempotent calls (GET, PUT, DELETE) are retried after a connection error, a 429 or
a 5xx, with exponential backoff and jitter, honouring Retry-After; POST and PATCH never are."""

from __future__ import annotations

import email.utils
import time

import httpx
import pytest

import soundstream
from soundstream._base_client import BaseAPIClient
from soundstream._constants import INITIAL_RETRY_DELAY, MAX_RETRY_DELAY

from .mock_api import MockAPI, artist, error_body, json_response

ARTIST_DETAIL = {**artist(707), "top_tags": []}


def unavailable() -> httpx.Response:
    return json_response(503, error_body(503, "internal", "try later"))


def test_a_get_that_meets_a_5xx_is_retried_until_it_succeeds() -> None:
    api = MockAPI(
        unavailable(),
        json_response(500, error_body(500, "internal", "oops")),
        json_response(200, ARTIST_DETAIL),
    )

    artist_detail = api.client().artists.get(707)

    assert artist_detail.id == 707
    assert len(api.requests) == 3
    assert len(api.sleeps) == 2


def test_a_get_gives_up_after_max_retries_and_raises_the_last_error() -> None:
    api = MockAPI(handler=lambda _: unavailable())

    with pytest.raises(soundstream.ServerError) as info:
        api.client(max_retries=3).artists.get(707)

    assert info.value.status_code == 503
    assert len(api.requests) == 4


def test_max_retries_zero_sends_one_request() -> None:
    api = MockAPI(handler=lambda _: unavailable())

    with pytest.raises(soundstream.ServerError):
        api.client(max_retries=0).artists.get(707)

    assert len(api.requests) == 1
    assert api.sleeps == []


@pytest.mark.parametrize(
    ("call", "method"),
    [
        (lambda c: c.artists.create(name="New"), "POST"),
        (lambda c: c.users.create(id=5_000_000), "POST"),
        (lambda c: c.friendships.create(user_id=1, friend_id=2), "POST"),
        (lambda c: c.tags.create(value="x"), "POST"),
        (lambda c: c.tag_assignments.create(user_id=1, artist_id=2, tag_id=3, timestamp=0), "POST"),
        (lambda c: c.artists.update(1, name="x"), "PATCH"),
        (lambda c: c.tags.rename(1, value="x"), "PATCH"),
    ],
)
def test_a_post_or_patch_is_never_retried(call: object, method: str) -> None:
    api = MockAPI(handler=lambda _: unavailable())

    with pytest.raises(soundstream.ServerError):
        call(api.client(max_retries=5))  # type: ignore[operator]

    assert [r.method for r in api.requests] == [method]


def test_a_post_is_not_retried_after_a_connection_error() -> None:
    api = MockAPI(handler=lambda r: httpx.ConnectError("refused", request=r))

    with pytest.raises(soundstream.APIConnectionError):
        api.client(max_retries=3).artists.create(name="New")

    assert len(api.requests) == 1


def test_a_post_is_not_retried_after_a_429() -> None:
    api = MockAPI(
        json_response(429, error_body(429, "rate_limited", "slow down"), {"Retry-After": "1"})
    )

    with pytest.raises(soundstream.RateLimitError) as info:
        api.client(max_retries=3).users.create()

    assert info.value.retry_after == 1.0
    assert len(api.requests) == 1


def test_put_and_delete_are_retried_being_idempotent() -> None:
    listen = {"user_id": 2, "artist_id": 707, "weight": 12}
    api = MockAPI(unavailable(), json_response(200, listen), unavailable(), httpx.Response(204))
    client = api.client()

    assert client.listens.put(2, 707, weight=12).weight == 12
    client.listens.delete(2, 707)

    assert [r.method for r in api.requests] == ["PUT", "PUT", "DELETE", "DELETE"]


def test_a_429_is_retried_after_the_seconds_retry_after_gives() -> None:
    api = MockAPI(
        json_response(429, error_body(429, "rate_limited", "slow down"), {"Retry-After": "2"}),
        json_response(200, ARTIST_DETAIL),
    )

    api.client().artists.get(707)

    assert api.sleeps == [2.0]


def test_retry_after_as_an_http_date_is_honoured() -> None:
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    api = MockAPI(
        json_response(503, error_body(503, "internal", "busy"), {"Retry-After": when}),
        json_response(200, ARTIST_DETAIL),
    )

    api.client().artists.get(707)

    assert len(api.sleeps) == 1
    assert 27.0 <= api.sleeps[0] <= 30.0


def test_retry_after_ms_is_honoured() -> None:
    api = MockAPI(
        json_response(429, error_body(429, "rate_limited", "slow down"), {"Retry-After-Ms": "250"}),
        json_response(200, ARTIST_DETAIL),
    )

    api.client().artists.get(707)

    assert api.sleeps == [0.25]


def test_a_retry_after_longer_than_a_minute_is_left_to_the_caller() -> None:
    api = MockAPI(
        json_response(429, error_body(429, "rate_limited", "slow down"), {"Retry-After": "3600"})
    )

    with pytest.raises(soundstream.RateLimitError) as info:
        api.client(max_retries=3).artists.get(707)

    assert info.value.retry_after == 3600.0
    assert len(api.requests) == 1
    assert api.sleeps == []


def test_connection_errors_on_a_get_are_retried_then_raised() -> None:
    api = MockAPI(handler=lambda r: httpx.ConnectError("refused", request=r))

    with pytest.raises(soundstream.APIConnectionError) as info:
        api.client(max_retries=2).artists.get(707)

    assert not isinstance(info.value, soundstream.APITimeoutError)
    assert len(api.requests) == 3
    assert "soundstream.test" in str(info.value)


def test_a_timeout_is_retried_then_raised_as_api_timeout_error() -> None:
    api = MockAPI(handler=lambda r: httpx.ReadTimeout("slow", request=r))

    with pytest.raises(soundstream.APITimeoutError) as info:
        api.client(max_retries=1).analytics.summary()

    assert isinstance(info.value, soundstream.APIConnectionError)
    assert len(api.requests) == 2


def test_a_connection_error_then_success_returns_the_answer() -> None:
    api = MockAPI(httpx.ConnectError("refused"), json_response(200, ARTIST_DETAIL))

    assert api.client().artists.get(707).id == 707
    assert len(api.requests) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
def test_client_errors_are_not_retried(status: int) -> None:
    api = MockAPI(handler=lambda _: json_response(status, error_body(status, "x", "no")))

    with pytest.raises(soundstream.APIStatusError):
        api.client(max_retries=3).artists.get(707)

    assert len(api.requests) == 1


def test_backoff_doubles_from_half_a_second_with_at_most_25_percent_jitter() -> None:
    for retries_taken in range(6):
        delay = BaseAPIClient._retry_delay(retries_taken, None)
        full = min(INITIAL_RETRY_DELAY * 2**retries_taken, MAX_RETRY_DELAY)
        assert delay is not None
        assert 0.75 * full <= delay <= full


def test_backoff_is_jittered() -> None:
    delays = {BaseAPIClient._retry_delay(1, None) for _ in range(20)}

    assert len(delays) > 1


def test_backoff_waits_grow_between_retries() -> None:
    api = MockAPI(handler=lambda _: unavailable())

    with pytest.raises(soundstream.ServerError):
        api.client(max_retries=3).artists.get(707)

    assert len(api.sleeps) == 3
    assert api.sleeps[0] <= 0.5 < 0.75 <= api.sleeps[1] <= 1.0 < 1.5 <= api.sleeps[2] <= 2.0


async def test_the_async_client_retries_a_get_on_a_5xx() -> None:
    api = MockAPI(unavailable(), json_response(200, ARTIST_DETAIL))
    async with api.async_client() as client:
        artist_detail = await client.artists.get(707)

    assert artist_detail.name == "Artist 707"
    assert len(api.requests) == 2
    assert len(api.sleeps) == 1


async def test_the_async_client_honours_retry_after() -> None:
    api = MockAPI(
        json_response(429, error_body(429, "rate_limited", "slow down"), {"Retry-After": "3"}),
        json_response(200, ARTIST_DETAIL),
    )
    async with api.async_client() as client:
        await client.artists.get(707)

    assert api.sleeps == [3.0]


async def test_the_async_client_never_retries_a_post() -> None:
    api = MockAPI(handler=lambda _: unavailable())
    async with api.async_client(max_retries=4) as client:
        with pytest.raises(soundstream.ServerError):
            await client.artists.create(name="New")

    assert len(api.requests) == 1


async def test_the_async_client_retries_connection_errors_then_raises() -> None:
    api = MockAPI(handler=lambda r: httpx.ConnectTimeout("slow", request=r))
    async with api.async_client(max_retries=2) as client:
        with pytest.raises(soundstream.APITimeoutError):
            await client.users.get(2)

    assert len(api.requests) == 3
