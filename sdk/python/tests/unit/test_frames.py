"""DataFrames everywhere: every iterator's `.to_pandas()`, every analytics result's frames, one
column name for one thing (`plays`, `artist_id`, `tag`, `tagged_at`...), timestamps as
`datetime64[ns, UTC]`, and a warning rather than a silent first page."""

from __future__ import annotations

import warnings
from typing import Any

import httpx
import pandas as pd
import pytest

import soundstream
from soundstream import PageIterator

from .mock_api import MockAPI, artist, json_response, page


def paged(items: list[dict[str, Any]]) -> MockAPI:
    """A list endpoint over `items` that honours `skip` and `limit`."""

    def handler(request: httpx.Request) -> httpx.Response:
        skip = int(request.url.params.get("skip", 0))
        limit = int(request.url.params.get("limit", 50))
        return json_response(
            200, page(items[skip : skip + limit], total=len(items), skip=skip, limit=limit)
        )

    return MockAPI(handler=handler)


def assignment(i: int) -> dict[str, Any]:
    return {
        "user_id": 2,
        "artist_id": 52 + i,
        "tag_id": 13,
        "timestamp": 1238544000000 if i else -428716800000,
        "day": 1,
        "month": 4 if i else 6,
        "year": 2009 if i else 1956,
    }


def test_an_iterator_reads_every_page_into_one_typed_frame() -> None:
    api = paged([artist(i) for i in range(1, 8)])

    df = api.client().artists.iter(page_size=3).to_pandas()

    assert df["artist_id"].tolist() == list(range(1, 8))
    assert str(df["plays"].dtype) == "int64"
    assert df.attrs["total"] == 7
    assert [r.url.params["skip"] for r in api.requests] == ["0", "3", "6"]


def test_to_pandas_takes_what_the_iteration_has_not_yet_yielded() -> None:
    api = paged([artist(i) for i in range(1, 8)])
    items = api.client().artists.iter(page_size=3)

    first = [next(items).id, next(items).id]
    rest = items.to_pandas()

    assert first == [1, 2]
    assert rest["artist_id"].tolist() == [3, 4, 5, 6, 7]
    assert isinstance(items, PageIterator)


def test_an_empty_walk_still_has_the_columns() -> None:
    api = paged([])

    df = api.client().tag_assignments.iter().to_pandas()

    assert len(df) == 0
    assert list(df.columns) == [
        "user_id",
        "artist_id",
        "tag_id",
        "tagged_at",
        "day",
        "month",
        "year",
    ]
    assert str(df["tagged_at"].dtype) == "datetime64[ns, UTC]"


def test_tag_assignment_times_are_utc_datetimes_in_frames() -> None:
    api = paged([assignment(0), assignment(1)])

    df = api.client().tag_assignments.list(limit=10).to_pandas()

    assert str(df["tagged_at"].dtype) == "datetime64[ns, UTC]"
    assert df["tagged_at"].tolist() == [
        pd.Timestamp("1956-06-01", tz="UTC"),
        pd.Timestamp("2009-04-01", tz="UTC"),
    ]
    assert "timestamp" not in df.columns


def test_play_counts_are_plays_in_every_frame() -> None:
    user_artist = {"artist_id": 51, "name": "Duran Duran", "weight": 13883, "picture_url": None}
    listener = {"user_id": 2, "weight": 13883}
    api = MockAPI(json_response(200, page([user_artist])), json_response(200, page([listener])))
    client = api.client()

    mine = client.users.artists(2, limit=1).to_pandas()
    theirs = client.artists.listeners(51, limit=1).to_pandas()

    assert mine.columns.tolist() == ["artist_id", "name", "plays", "picture_url"]
    assert theirs.columns.tolist() == ["user_id", "plays"]
    assert mine["plays"].tolist() == theirs["plays"].tolist() == [13883]


def test_ids_and_tag_texts_have_one_name_in_every_frame() -> None:
    user = {"id": 2, "artists": 50, "plays": 168737, "tags_applied": 0, "friends": 7}
    tag = {"id": 73, "value": "rock", "usage": 7459, "artists": 2248, "users": 671}
    api = MockAPI(json_response(200, page([user])), json_response(200, page([tag])))
    client = api.client()

    users = client.users.list(limit=1).to_pandas()
    tags = client.tags.list(limit=1).to_pandas()

    assert users.columns[0] == "user_id"
    assert tags.columns.tolist()[:2] == ["tag_id", "tag"]


async def test_the_async_iterator_reads_every_page_into_one_frame() -> None:
    api = paged([artist(i) for i in range(1, 6)])
    client = api.async_client()

    df = await client.artists.iter(page_size=2).to_pandas()
    listed = await client.artists.iter(page_size=2).to_list()

    assert df["artist_id"].tolist() == [1, 2, 3, 4, 5]
    assert [a.id for a in listed] == [1, 2, 3, 4, 5]


def test_a_frame_of_the_first_page_only_warns_and_gives_the_total() -> None:
    api = paged([{**artist(i), "tag_score": 0} for i in range(1, 96)])

    with pytest.warns(soundstream.PartialPageWarning, match="50 of 95 rows"):
        df = api.client().search.artists(tags_all="rock").to_pandas()

    assert len(df) == 50
    assert df.attrs["total"] == 95


def test_no_warning_when_a_page_size_was_asked_or_every_row_came() -> None:
    api = paged([{**artist(i), "tag_score": 0} for i in range(1, 96)])
    client = api.client()

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        asked = client.search.artists(tags_all="rock", limit=10).to_pandas()
        whole = client.search.iter_artists(tags_all="rock").to_pandas()

    assert len(asked) == 10
    assert len(whole) == whole.attrs["total"] == 95


def test_progress_counts_the_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    from tqdm import auto

    seen: list[int] = []
    totals: list[int | None] = []

    class FakeBar:
        def __init__(self, **kwargs: Any) -> None:
            self.total: int | None = kwargs.get("total")

        def update(self, n: int) -> None:
            seen.append(n)

        def refresh(self) -> None:
            totals.append(self.total)

        def close(self) -> None: ...

    monkeypatch.setattr(auto, "tqdm", FakeBar)
    api = paged([artist(i) for i in range(1, 8)])

    api.client().artists.iter(page_size=3).to_pandas(progress=True)

    assert seen == [3, 3, 1]
    assert set(totals) == {7}


SUMMARY = {
    "artists": 17632,
    "users": 1892,
    "tags": 11946,
    "listens": 92834,
    "tag_assignments": 186479,
    "friendship_rows": 25434,
    "friendship_pairs": 12717,
    "total_plays": 69183975,
    "artists_with_listeners": 17632,
    "users_with_listens": 1892,
    "tags_used": 9749,
    "users_who_tag": 1892,
    "users_with_friends": 1892,
    "artists_per_user": 49.07,
    "listeners_per_artist": 5.27,
    "plays_per_listen": 745.24,
    "tag_assignments_per_user": 98.56,
    "friends_per_user": 13.44,
    "first_tag_assignment": "1956-05-01",
    "last_tag_assignment": "2011-05-09",
}


def distribution(values: list[int]) -> dict[str, Any]:
    return {
        "count": len(values),
        "sum": sum(values),
        "zeros": 0,
        "min": min(values),
        "p10": 1.0,
        "p25": 2.0,
        "p50": 3.0,
        "p75": 4.0,
        "p90": 5.0,
        "p99": 6.0,
        "max": max(values),
        "mean": sum(values) / len(values),
        "histogram": [
            {"lower": 1.0, "upper": 10.0, "count": 2},
            {"lower": 10.0, "upper": 100.0, "count": 1},
        ],
    }


def segment(artists: int, plays: int) -> dict[str, Any]:
    return {"artists": artists, "artists_share": 0.5, "plays": plays, "plays_share": 0.5}


LISTENING = {
    "bins_per_decade": 1,
    "artist_plays": distribution([1, 5, 50]),
    "listen_weights": distribution([2, 3, 20]),
    "top_1_percent": {"percent": 1.0, "artists": 1, "plays": 50, "plays_share": 0.89},
    "top_10_percent": {"percent": 10.0, "artists": 1, "plays": 50, "plays_share": 0.89},
    "lorenz": [
        {"artists_share": 0.0, "plays_share": 0.0},
        {"artists_share": 1.0, "plays_share": 1.0},
    ],
    "head_share": 0.8,
    "head": segment(1, 50),
    "tail": segment(2, 6),
    "gini": 0.55,
}


def correlation(r: float) -> dict[str, Any]:
    return {"r": r, "t": 1.0, "p_value": 0.01}


SOCIAL = {
    "users": 2,
    "friendship_pairs": 1,
    "users_without_friends": 0,
    "mean_degree": 1.0,
    "median_degree": 1.0,
    "max_degree": 1,
    "degree_distribution": [{"degree": 1, "users": 2}],
    "correlations": [
        {
            "measure": "distinct_tags",
            "n": 2,
            "pearson": correlation(0.379),
            "spearman": correlation(0.395),
        }
    ],
    "points": [
        {
            "user_id": u,
            "friends": 1,
            "distinct_artists": 50,
            "play_entropy": 4.2,
            "distinct_tags": 300 + u,
            "plays": 1000,
        }
        for u in (2, 3)
    ],
}


def test_the_summary_is_a_one_row_frame_with_dates() -> None:
    api = MockAPI(json_response(200, SUMMARY), json_response(200, SUMMARY))
    client = api.client()

    df = client.analytics.summary().to_pandas()
    same = client.analytics.summary().to_pandas()

    assert len(df) == 1
    assert df.loc[0, "listens"] == 92834
    assert str(df["first_tag_assignment"].dtype) == "datetime64[ns, UTC]"
    assert df.loc[0, "last_tag_assignment"] == pd.Timestamp("2011-05-09", tz="UTC")
    pd.testing.assert_frame_equal(df, same)


def test_the_listening_distribution_is_four_tidy_frames() -> None:
    api = MockAPI(json_response(200, LISTENING), json_response(200, LISTENING))
    client = api.client()

    quantiles = client.analytics.listening_distribution().to_pandas()
    frames = client.analytics.listening_distribution().to_frames()

    assert quantiles["distribution"].tolist() == ["artist_plays", "listen_weights"]
    assert quantiles.loc[0, "max"] == 50
    assert "histogram" not in quantiles.columns
    assert quantiles.attrs["gini"] == 0.55
    assert set(frames) == {"quantiles", "histograms", "lorenz", "shares"}
    assert frames["histograms"].columns.tolist() == ["distribution", "lower", "upper", "count"]
    assert len(frames["histograms"]) == 4
    assert frames["shares"]["group"].tolist() == ["top_1_percent", "top_10_percent", "head", "tail"]
    assert frames["shares"]["plays"].tolist() == [50, 50, 50, 6]
    assert len(frames["lorenz"]) == 2


def test_the_social_graph_is_one_row_per_user_plus_degrees_and_correlations() -> None:
    api = MockAPI(json_response(200, SOCIAL), json_response(200, SOCIAL))
    client = api.client()

    points = client.analytics.social().to_pandas()
    frames = client.analytics.social().to_frames()

    assert points["user_id"].tolist() == [2, 3]
    assert points.attrs["friendship_pairs"] == 1
    assert set(frames) == {"points", "degrees", "correlations"}
    correlations = frames["correlations"]
    assert correlations[["measure", "method"]].values.tolist() == [
        ["distinct_tags", "pearson"],
        ["distinct_tags", "spearman"],
    ]
    assert correlations["r"].tolist() == [0.379, 0.395]
    assert frames["degrees"].to_dict("records") == [{"degree": 1, "users": 2}]


def test_the_analytics_dicts_are_the_json() -> None:
    api = MockAPI(json_response(200, SOCIAL))

    assert api.client().analytics.social().to_dict() == SOCIAL
