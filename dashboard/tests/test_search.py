"""The Search page against the live API: the table is the search's answer, with links."""

from __future__ import annotations

from soundstream import SoundStreamClient

from lib import api
from tests.apptest import assert_clean, open_page
from tests.conftest import Server


def test_tags_all_and_a_listener_floor_give_the_apis_hits(
    live: Server, sdk: SoundStreamClient
) -> None:
    at = open_page("search")
    at.multiselect(key="tags_all").set_value(["metal", "thrash metal"])
    at.number_input(key="min_listeners").set_value(50)
    at.selectbox(key="sort").set_value("plays")
    at.button[0].click().run()

    assert_clean(at)
    hits = sdk.search.artists(
        tags_all=["metal", "thrash metal"], min_listeners=50, sort="plays", limit=100
    )
    table = at.dataframe[0].value
    assert table["name"].tolist() == [h.name for h in hits]
    assert table["plays"].tolist() == [h.plays for h in hits]
    assert table["tag_score"].tolist() == [h.tag_score for h in hits]
    assert table["name"].tolist()[:3] == ["Metallica", "In Flames", "Avenged Sevenfold"]
    assert f"**{hits.total} artists** match; showing {hits.total}." in [
        m.value for m in at.markdown
    ]
    assert table["api"].iloc[0] == f"{live.base_url}/v1/artists/707"
    assert table["url"].iloc[0] == "http://www.last.fm/music/Metallica"
    files = at.get("download_button")
    assert [d.proto.label for d in files] == [
        f"Download all {hits.total} as CSV",
        f"Download all {hits.total} as Parquet",
    ]


def test_tags_any_a_name_and_a_plays_range_combine(live: Server, sdk: SoundStreamClient) -> None:
    at = open_page("search")
    at.multiselect(key="tags_any").set_value(["jazz", "bossa nova"])
    at.text_input(key="name").set_value("jo")
    at.number_input(key="min_plays").set_value(1000)
    at.number_input(key="max_plays").set_value(100_000)
    at.selectbox(key="sort").set_value("listeners")
    at.button[0].click().run()

    assert_clean(at)
    hits = sdk.search.artists(
        tags_any=["jazz", "bossa nova"],
        name="jo",
        min_plays=1000,
        max_plays=100_000,
        sort="listeners",
        limit=100,
    )
    assert hits.total > 0
    table = at.dataframe[0].value
    assert table["artist_id"].tolist() == [h.id for h in hits]
    assert all("jo" in n.lower() for n in table["name"])
    assert all(1000 <= p <= 100_000 for p in table["plays"])


def test_an_unknown_tag_gets_a_clear_message(live: Server) -> None:
    at = open_page("search")
    at.multiselect(key="tags_all").set_value(["metal", "no such tag at all"])
    at.button[0].click().run()

    assert not at.exception
    assert len(at.warning) == 1
    assert at.warning[0].value.startswith("The API rejected the request: ")
    assert "no such tag at all" in at.warning[0].value
    assert not at.dataframe


def test_the_tag_pickers_take_the_tag_typed_and_stop_at_twenty(live: Server) -> None:
    at = open_page("search")

    for key in ("tags_all", "tags_any"):
        picker = at.multiselect(key=key)
        # No "Select all matches" entry: Enter after typing a tag picks the best match, the
        # exact one first, not every fuzzy match (the browser test types "rock" + Enter).
        assert picker.proto.select_all == 0
        assert picker.proto.max_selections == 20
        assert "(up to 20)" in picker.label


def test_without_a_tag_the_tag_score_column_is_hidden(live: Server) -> None:
    at = open_page("search")
    at.text_input(key="name").set_value("metal")
    at.button[0].click().run()

    assert_clean(at)
    assert "tag_score" not in at.dataframe[0].value.columns

    at.multiselect(key="tags_all").set_value(["metal"])
    at.button[0].click().run()

    assert "tag_score" in at.dataframe[0].value.columns


def test_the_downloads_hold_every_match_not_the_rows_shown(
    live: Server, sdk: SoundStreamClient
) -> None:
    at = open_page("search")
    at.multiselect(key="tags_all").set_value(["rock"])
    at.number_input(key="limit").set_value(20)
    at.button[0].click().run()

    assert_clean(at)
    assert len(at.dataframe[0].value) == 20
    assert "**2,248 artists** match; showing 20." in [m.value for m in at.markdown]
    files = at.get("download_button")
    assert [d.proto.label for d in files] == [
        "Download all 2,248 as CSV",
        "Download all 2,248 as Parquet",
    ]
    # The files are made on click (deferred), from every page of the search.
    assert all(d.proto.deferred_file_id for d in files)
    every = api.search_all(("rock",), (), None, None, None, None, None, "relevance")
    expected = [h.id for h in sdk.search.iter_artists(tags_all=["rock"])]
    assert every["artist_id"].tolist() == expected
    assert len(expected) == 2_248
