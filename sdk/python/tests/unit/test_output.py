"""What results turn into: pydantic envelopes by default, the JSON as dicts (`to_dict`,
`to_dicts`) or pandas DataFrames (`to_pandas`); and the deprecated `output_format=` of 0.2."""

from __future__ import annotations

from typing import Any

import pytest

from soundstream import ItemList, Page
from soundstream.types import ArtistSummary, TagTrendPoint

from .mock_api import MockAPI, artist, json_response, page

pd = pytest.importorskip("pandas")


def artists_page() -> dict[str, Any]:
    return page([artist(1, url="http://x"), artist(2)], total=17632, skip=0, limit=2)


def test_the_default_is_a_typed_page() -> None:
    api = MockAPI(json_response(200, artists_page()))

    result = api.client().artists.list(limit=2)

    assert isinstance(result, Page)
    assert all(isinstance(a, ArtistSummary) for a in result.items)
    assert (result.total, result.skip, result.limit) == (17632, 0, 2)
    assert result.has_more


def test_a_page_iterates_indexes_and_counts_its_items() -> None:
    api = MockAPI(json_response(200, artists_page()))

    result = api.client().artists.list(limit=2)

    assert [a.id for a in result] == [1, 2]
    assert len(result) == 2
    assert result[1].id == 2


def test_to_dict_gives_the_json_with_the_api_field_names() -> None:
    body = artists_page()
    api = MockAPI(json_response(200, body))

    result = api.client().artists.list(limit=2).to_dict()

    assert result == {**body, "next": None}


def test_to_dicts_gives_the_items_with_the_api_field_names() -> None:
    body = page([artist(1, url="http://x"), artist(2)])
    api = MockAPI(json_response(200, body), json_response(200, body))
    client = api.client()

    items = client.artists.list(limit=2).to_dicts()
    walked = client.artists.iter(page_size=2).to_dicts()

    assert items == body["items"]
    assert walked == body["items"]


def test_pandas_returns_one_row_per_item_with_the_page_in_attrs() -> None:
    api = MockAPI(json_response(200, artists_page()))

    df = api.client().artists.list(limit=2).to_pandas()

    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == ["artist_id", "name", "listeners", "plays", "picture_url", "url"]
    assert df["artist_id"].tolist() == [1, 2]
    assert str(df["artist_id"].dtype) == "int64"
    assert df.attrs == {"total": 17632, "skip": 0, "limit": 2, "next": None}


def test_an_empty_list_still_has_typed_columns() -> None:
    api = MockAPI(json_response(200, page([])))

    df = api.client().artists.list(name="nothing").to_pandas()

    assert len(df) == 0
    assert list(df.columns) == ["artist_id", "name", "listeners", "plays", "picture_url", "url"]
    assert str(df["plays"].dtype) == "int64"


def test_nullable_integers_become_pandas_nullable_integers() -> None:
    points = [
        {"period": "2009", "tag_id": None, "value": None, "count": 5, "share": 1.0},
        {"period": "2009", "tag_id": 73, "value": "rock", "count": 2, "share": 0.4},
    ]
    api = MockAPI(json_response(200, {"items": points}))

    df = api.client().analytics.tag_trends(tags=["rock"]).to_pandas()

    assert str(df["tag_id"].dtype) == "Int64"
    assert df["tag_id"].isna().tolist() == [True, False]
    assert df["share"].tolist() == [1.0, 0.4]


def test_top_n_lists_are_item_lists() -> None:
    points = [{"period": "2009", "count": 5, "share": 1.0}]
    api = MockAPI(json_response(200, {"items": points}), json_response(200, {"items": points}))
    client = api.client()

    items = client.analytics.tag_trends()
    raw = client.analytics.tag_trends().to_dicts()

    assert isinstance(items, ItemList)
    assert isinstance(items[0], TagTrendPoint)
    assert items[0].tag_id is None
    assert raw == [{**points[0], "tag_id": None, "value": None}]


def test_recommendations_in_pandas_keep_the_envelope_in_attrs() -> None:
    body = {
        "user_id": 2,
        "strategy": "hybrid",
        "model_version": 3,
        "model": "hybrid",
        "folded_in": False,
        "discovery": None,
        "items": [
            {
                "artist_id": 1001,
                "name": "Pet Shop Boys",
                "url": None,
                "picture_url": None,
                "score": 1.8,
                "explanation": "because you listen to Duran Duran",
                "reasons": [{"kind": "similar_artists", "artist_ids": [51]}],
            }
        ],
    }
    api = MockAPI(json_response(200, body))

    df = api.client().recommendations.for_user(2).to_pandas()

    assert df[["artist_id", "name", "score", "explanation"]].to_dict("records") == [
        {
            "artist_id": 1001,
            "name": "Pet Shop Boys",
            "score": 1.8,
            "explanation": "because you listen to Duran Duran",
        }
    ]
    assert df.attrs == {
        "user_id": 2,
        "strategy": "hybrid",
        "model_version": 3,
        "model": "hybrid",
        "folded_in": False,
        "discovery": None,
    }


def test_fields_a_newer_server_adds_are_kept() -> None:
    api = MockAPI(json_response(200, page([artist(1, mood="loud")])))
    client = api.client()

    result = client.artists.list()
    api.answers.append(json_response(200, page([artist(1, mood="loud")])))
    df = client.artists.list().to_pandas()

    assert result[0].model_extra == {"mood": "loud"}
    assert df.columns[-1] == "mood"


def test_the_deprecated_output_format_still_works_and_names_its_replacement() -> None:
    body = artists_page()
    api = MockAPI(*(json_response(200, body) for _ in range(3)))
    # Untyped, as 0.2 code that type checkers no longer accept still runs.
    artists: Any = api.client().artists

    with pytest.warns(DeprecationWarning, match=r"call \.to_pandas\(\) on the result") as caught:
        df = artists.list(limit=2, output_format="pandas")
    with pytest.warns(DeprecationWarning, match=r"\.to_dict\(\)"):
        raw = artists.list(limit=2, output_format="dict")
    with pytest.warns(DeprecationWarning, match="drop output_format"):
        typed = artists.list(limit=2, output_format="pydantic")

    # The warning points at the caller's line, not at the SDK.
    assert caught[0].filename == __file__
    assert df["artist_id"].tolist() == [1, 2]
    assert df.attrs["total"] == 17632
    assert raw == body  # unvalidated, as 0.2 returned it
    assert isinstance(typed, Page)


async def test_the_deprecated_output_format_works_on_the_async_client() -> None:
    api = MockAPI(json_response(200, {"items": [{"period": "2009", "count": 5, "share": 1.0}]}))

    analytics: Any = api.async_client().analytics

    with pytest.warns(DeprecationWarning, match="output_format= is deprecated"):
        df = await analytics.tag_trends(output_format="pandas")

    assert df["count"].tolist() == [5]


def test_an_unknown_output_format_is_refused() -> None:
    api = MockAPI(json_response(200, page([])))

    with pytest.raises(ValueError, match="output_format"):
        api.client().artists.list(output_format="csv")  # type: ignore[call-arg]
    assert api.requests == []


def test_calls_that_never_took_output_format_still_refuse_it() -> None:
    api = MockAPI(json_response(200, artist(707)))

    with pytest.raises(TypeError, match="output_format"):
        api.client().artists.get(707, output_format="pandas")  # type: ignore[call-arg]


def test_social_points_and_the_lorenz_curve_have_frames() -> None:
    point = {
        "user_id": 2,
        "friends": 13,
        "distinct_artists": 50,
        "play_entropy": 5.2,
        "distinct_tags": 1104,
        "plays": 168737,
    }
    correlation = {"r": 0.1, "t": 2.0, "p_value": 0.04}
    social = {
        "users": 1,
        "friendship_pairs": 0,
        "users_without_friends": 0,
        "mean_degree": 0.0,
        "median_degree": 0.0,
        "max_degree": 0,
        "degree_distribution": [{"degree": 13, "users": 1}],
        "correlations": [
            {"measure": "distinct_artists", "n": 1, "pearson": correlation, "spearman": correlation}
        ],
        "points": [point],
    }
    api = MockAPI(json_response(200, social))

    df = api.client().analytics.social().points_frame()

    assert df.to_dict("records") == [point]
