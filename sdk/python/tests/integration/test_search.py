"""`client.search` against the real server and dataset."""

from __future__ import annotations

import pytest

from soundstream import PartialPageWarning, ValidationError

from .conftest import Client, collect, resolve


async def test_thrash_metal_with_50_listeners_or_more_starts_with_metallica(client: Client) -> None:
    page = await resolve(
        client.search.artists(tags_all=["metal", "thrash metal"], min_listeners=50, limit=3)
    )

    assert page.total == 10
    assert [(a.id, a.name, a.tag_score) for a in page] == [
        (707, "Metallica", 93),
        (841, "Slayer", 51),
        (918, "Megadeth", 45),
    ]
    assert all(a.listeners >= 50 for a in page)


async def test_any_of_the_tags_and_a_single_tag_given_bare(client: Client) -> None:
    page = await resolve(client.search.artists(tags_any="tropicália"))

    assert [(a.id, a.name) for a in page] == [(5750, "Chay Suede")]


async def test_search_by_name_and_popularity_range_sorted_by_plays(client: Client) -> None:
    page = await resolve(
        client.search.artists(name="the", min_plays=100_000, sort="plays", order="desc", limit=5)
    )

    assert (page[0].name, page[0].plays) == ("The Beatles", 662_116)
    assert len(page) == 5
    assert all("the" in a.name.lower() and a.plays >= 100_000 for a in page)
    plays = [a.plays for a in page]
    assert plays == sorted(plays, reverse=True)


async def test_search_results_walk_every_page_and_come_as_a_dataframe(client: Client) -> None:
    hits = await collect(client.search.iter_artists(tags_all=["thrash metal"], page_size=100))
    df = (await resolve(client.search.artists(tags_all=["thrash metal"], limit=500))).to_pandas()

    assert len(hits) == df.attrs["total"] == len(df)
    assert "tag_score" in df.columns


async def test_a_frame_of_one_page_says_so_and_the_iterator_gives_every_match(
    client: Client,
) -> None:
    with pytest.warns(PartialPageWarning, match="50 of 2,248 rows"):
        page = (await resolve(client.search.artists(tags_all="rock"))).to_pandas()
    every = await resolve(client.search.iter_artists(tags_all="rock").to_pandas())

    assert len(page) == 50
    assert page.attrs["total"] == 2_248
    assert len(every) == every.attrs["total"] == 2_248
    assert every["artist_id"].is_unique
    assert every["tag_score"].tolist() == sorted(every["tag_score"], reverse=True)


async def test_an_unknown_tag_is_a_validation_error(client: Client) -> None:
    with pytest.raises(ValidationError) as info:
        await resolve(client.search.artists(tags_all=["no such tag, surely"]))

    assert info.value.fields
