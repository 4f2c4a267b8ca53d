"""Auto-pagination: `iter*` methods walk every page of a `skip`/`limit` list."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .mock_api import MockAPI, artist, json_response, page


def paged_artists(count: int) -> MockAPI:
    """A fake `/v1/artists` holding `count` artists, honouring skip and limit."""
    everything = [artist(i) for i in range(1, count + 1)]

    def handler(request: httpx.Request) -> httpx.Response:
        skip = int(request.url.params.get("skip", 0))
        limit = int(request.url.params.get("limit", 50))
        return json_response(
            200, page(everything[skip : skip + limit], total=count, skip=skip, limit=limit)
        )

    return MockAPI(handler=handler)


def skips(api: MockAPI) -> list[tuple[int, int]]:
    return [(int(r.url.params["skip"]), int(r.url.params["limit"])) for r in api.requests]


def test_iter_walks_every_page_in_order() -> None:
    api = paged_artists(1234)

    ids = [a.id for a in api.client().artists.iter()]

    assert ids == list(range(1, 1235))
    assert skips(api) == [(0, 500), (500, 500), (1000, 500)]


def test_iter_passes_the_filters_to_every_page() -> None:
    api = paged_artists(7)

    names = [
        a.name for a in api.client().artists.iter(name="x", sort="plays", order="asc", page_size=3)
    ]

    assert len(names) == 7
    assert skips(api) == [(0, 3), (3, 3), (6, 3)]
    for request in api.requests:
        assert request.url.params["name"] == "x"
        assert request.url.params["sort"] == "plays"
        assert request.url.params["order"] == "asc"


def test_iter_over_an_exact_multiple_of_the_page_size_stops_without_an_empty_request() -> None:
    api = paged_artists(6)

    assert len(list(api.client().artists.iter(page_size=3))) == 6
    assert skips(api) == [(0, 3), (3, 3)]


def test_iter_over_an_empty_list_makes_one_request() -> None:
    api = paged_artists(0)

    assert list(api.client().artists.iter()) == []
    assert len(api.requests) == 1


def test_iter_stops_at_an_empty_page_even_if_total_promised_more() -> None:
    api = MockAPI(
        json_response(200, page([artist(1), artist(2)], total=10, limit=2)),
        json_response(200, page([], total=10, skip=2, limit=2)),
    )

    assert [a.id for a in api.client().artists.iter(page_size=2)] == [1, 2]
    assert len(api.requests) == 2


def test_iter_is_lazy() -> None:
    api = paged_artists(1000)

    iterator = api.client().artists.iter(page_size=10)
    assert api.requests == []
    first = next(iterator)

    assert first.id == 1
    assert len(api.requests) == 1


@pytest.mark.parametrize("page_size", [0, 501, -1])
def test_a_page_size_the_api_would_reject_fails_before_any_request(page_size: int) -> None:
    api = paged_artists(10)

    with pytest.raises(ValueError, match="page_size"):
        api.client().artists.iter(page_size=page_size)

    assert api.requests == []


def sub_list(item: dict[str, Any]) -> MockAPI:
    """A fake list endpoint of 3 copies of `item`, whatever the path."""

    def handler(request: httpx.Request) -> httpx.Response:
        skip = int(request.url.params["skip"])
        items = [item] * max(0, min(3 - skip, int(request.url.params["limit"])))
        return json_response(200, page(items, total=3, skip=skip))

    return MockAPI(handler=handler)


@pytest.mark.parametrize(
    ("walk", "item", "path"),
    [
        (
            lambda c: c.artists.iter_listeners(707, page_size=2),
            {"user_id": 1, "weight": 2},
            "/v1/artists/707/listeners",
        ),
        (
            lambda c: c.artists.iter_tags(707, page_size=2),
            {"tag_id": 1, "value": "metal", "count": 2},
            "/v1/artists/707/tags",
        ),
        (
            lambda c: c.users.iter(page_size=2),
            {"id": 1, "artists": 1, "plays": 1, "tags_applied": 0, "friends": 0},
            "/v1/users",
        ),
        (
            lambda c: c.users.iter_artists(2, page_size=2),
            {"artist_id": 51, "name": "Duran Duran", "weight": 1},
            "/v1/users/2/artists",
        ),
        (
            lambda c: c.users.iter_friends(2, page_size=2),
            {"id": 1, "artists": 1, "plays": 1, "tags_applied": 0, "friends": 0},
            "/v1/users/2/friends",
        ),
        (
            lambda c: c.users.iter_tags(2, page_size=2),
            {"tag_id": 1, "value": "metal", "count": 2},
            "/v1/users/2/tags",
        ),
        (
            lambda c: c.tags.iter(page_size=2),
            {"id": 1, "value": "metal", "usage": 1, "artists": 1, "users": 1},
            "/v1/tags",
        ),
        (
            lambda c: c.tags.iter_artists(73, page_size=2),
            {"artist_id": 1, "name": "x", "count": 1},
            "/v1/tags/73/artists",
        ),
        (
            lambda c: c.tag_assignments.iter(user_id=2, page_size=2),
            {
                "user_id": 2,
                "artist_id": 1,
                "tag_id": 1,
                "timestamp": 0,
                "day": 1,
                "month": 1,
                "year": 1970,
            },
            "/v1/tag-assignments",
        ),
        (
            lambda c: c.search.iter_artists(tags_all=["metal"], page_size=2),
            {**artist(1), "tag_score": 3},
            "/v1/search/artists",
        ),
    ],
)
def test_every_paginated_list_has_an_iterator(walk: Any, item: dict[str, Any], path: str) -> None:
    api = sub_list(item)

    items = list(walk(api.client()))

    assert len(items) == 3
    assert {r.url.path for r in api.requests} == {path}
    assert skips(api) == [(0, 2), (2, 2)]


async def test_async_iter_walks_every_page() -> None:
    api = paged_artists(1001)

    async with api.async_client() as client:
        ids = [a.id async for a in client.artists.iter()]

    assert ids == list(range(1, 1002))
    assert skips(api) == [(0, 500), (500, 500), (1000, 500)]


async def test_async_iterators_of_sub_lists_walk_every_page() -> None:
    api = sub_list({"user_id": 1, "weight": 2})

    async with api.async_client() as client:
        listeners = [x async for x in client.artists.iter_listeners(707, page_size=2)]

    assert len(listeners) == 3


async def test_async_iter_rejects_a_bad_page_size_at_once() -> None:
    api = paged_artists(1)

    async with api.async_client() as client:
        with pytest.raises(ValueError, match="page_size"):
            client.users.iter(page_size=1000)
