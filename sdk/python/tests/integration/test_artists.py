"""`client.artists` against the real server and dataset."""

from __future__ import annotations

import pytest

from soundstream import ConflictError, NotFoundError, Page, ValidationError

from .conftest import Client, collect, resolve


async def test_metallica_has_224_listeners_and_371916_plays(client: Client) -> None:
    metallica = await resolve(client.artists.get(707))

    assert metallica.name == "Metallica"
    assert metallica.listeners == 224
    assert metallica.plays == 371_916
    assert metallica.url == "http://www.last.fm/music/Metallica"
    assert [(t.tag_id, t.value, t.count) for t in metallica.top_tags[:2]] == [
        (1, "metal", 48),
        (91, "thrash metal", 45),
    ]
    assert len(metallica.top_tags) == 10


async def test_the_catalogue_holds_17632_artists(client: Client) -> None:
    page = await resolve(client.artists.list(limit=3))

    assert isinstance(page, Page)
    assert page.total == 17_632
    assert [a.id for a in page] == [1, 2, 3]
    assert page.items[0].name == "MALICE MIZER"


async def test_britney_spears_has_the_most_plays(client: Client) -> None:
    page = await resolve(client.artists.list(sort="plays", limit=1))

    assert (page[0].id, page[0].name, page[0].plays) == (289, "Britney Spears", 2_393_140)


async def test_lady_gaga_has_the_most_listeners(client: Client) -> None:
    page = await resolve(client.artists.list(sort="listeners", limit=1))

    assert (page[0].id, page[0].name, page[0].listeners) == (89, "Lady Gaga", 611)


async def test_artists_filter_by_name(client: Client) -> None:
    page = await resolve(client.artists.list(name="metallica"))

    assert [(a.id, a.name) for a in page] == [(707, "Metallica")]
    assert page.total == 1


async def test_artists_as_a_dataframe(client: Client) -> None:
    df = (await resolve(client.artists.list(sort="plays", limit=5))).to_pandas()

    assert df["name"].tolist()[:2] == ["Britney Spears", "Depeche Mode"]
    assert df.attrs["total"] == 17_632
    assert {"artist_id", "name", "listeners", "plays", "url", "picture_url"} <= set(df.columns)


async def test_artists_as_dicts(client: Client) -> None:
    raw = (await resolve(client.artists.list(limit=1))).to_dict()

    assert raw["total"] == 17_632
    assert raw["items"][0]["id"] == 1


async def test_iterating_walks_every_artist(client: Client) -> None:
    artists = await collect(client.artists.iter(page_size=500))

    assert len(artists) == 17_632
    assert len({a.id for a in artists}) == 17_632


async def test_metallicas_listeners_most_plays_first(client: Client) -> None:
    page = await resolve(client.artists.listeners(707, limit=2))

    assert page.total == 224
    assert [(x.user_id, x.weight) for x in page] == [(800, 82_951), (616, 48_808)]
    everyone = await collect(client.artists.iter_listeners(707, page_size=100))
    assert len(everyone) == 224
    assert sum(x.weight for x in everyone) == 371_916


async def test_metallicas_tags_most_applied_first(client: Client) -> None:
    page = await resolve(client.artists.tags(707, limit=2))

    assert page.total == 113
    assert [(t.value, t.count) for t in page] == [("metal", 48), ("thrash metal", 45)]
    assert len(await collect(client.artists.iter_tags(707, page_size=50))) == 113


async def test_similar_artists_are_ranked_and_never_the_artist_itself(client: Client) -> None:
    similar = await resolve(client.artists.similar(707, limit=5))

    assert len(similar) == 5
    assert 707 not in [a.id for a in similar]
    scores = [a.score for a in similar]
    assert scores == sorted(scores, reverse=True)
    assert all(a.shared_listeners >= 0 for a in similar)
    df = (await resolve(client.artists.similar(707, limit=3))).to_pandas()
    assert len(df) == 3


async def test_an_unknown_artist_is_not_found(client: Client) -> None:
    with pytest.raises(NotFoundError) as info:
        await resolve(client.artists.get(4_999_999))

    assert info.value.code == "not_found"


async def test_a_limit_above_500_is_a_validation_error_naming_the_field(client: Client) -> None:
    with pytest.raises(ValidationError) as info:
        await resolve(client.artists.list(limit=501))

    assert [(f.field, f.location) for f in info.value.fields] == [("limit", "query")]


async def test_an_artist_lives_through_create_update_replace_and_delete(
    client: Client, new_id: int
) -> None:
    artist_id = new_id + 1
    created = await resolve(
        client.artists.create(id=artist_id, name="SDK Test Band", url="https://example.org/a")
    )
    try:
        assert (created.id, created.name, created.listeners, created.plays) == (
            artist_id,
            "SDK Test Band",
            0,
            0,
        )
        assert created.url == "https://example.org/a"
        assert created.top_tags == []

        with pytest.raises(ConflictError):
            await resolve(client.artists.create(id=artist_id, name="Again"))

        renamed = await resolve(client.artists.update(artist_id, name="SDK Test Band II"))
        assert renamed.name == "SDK Test Band II"
        assert renamed.url == "https://example.org/a"  # untouched: not passed

        cleared = await resolve(
            client.artists.update(artist_id, url=None, picture_url="https://example.org/p.png")
        )
        assert cleared.url is None
        assert cleared.picture_url == "https://example.org/p.png"

        replaced = await resolve(client.artists.replace(artist_id, name="SDK Replaced"))
        assert (replaced.name, replaced.url, replaced.picture_url) == ("SDK Replaced", None, None)
        assert (await resolve(client.artists.get(artist_id))).name == "SDK Replaced"
    finally:
        await resolve(client.artists.delete(artist_id))

    with pytest.raises(NotFoundError):
        await resolve(client.artists.get(artist_id))
    with pytest.raises(NotFoundError):
        await resolve(client.artists.delete(artist_id))


async def test_an_invalid_url_is_a_validation_error_on_the_body(
    client: Client, new_id: int
) -> None:
    with pytest.raises(ValidationError) as info:
        await resolve(client.artists.create(id=new_id + 2, name="Bad", url="ftp://x"))

    assert [(f.field, f.location) for f in info.value.fields] == [("url", "body")]
