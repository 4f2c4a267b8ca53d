"""`client.tags` against the real server and dataset."""

from __future__ import annotations

import pytest

from soundstream import ConflictError, NotFoundError, ValidationError

from .conftest import Client, collect, resolve


async def test_the_database_has_11946_tags_and_rock_is_the_most_used(client: Client) -> None:
    page = await resolve(client.tags.list(sort="usage", limit=2))

    assert page.total == 11_946
    assert [(t.id, t.value, t.usage) for t in page] == [(73, "rock", 7_459), (24, "pop", 5_401)]


async def test_tag_2863_is_tropicalia_read_from_latin_1(client: Client) -> None:
    tag = await resolve(client.tags.get(2863))

    assert tag.value == "tropicália"
    assert (tag.usage, tag.artists, tag.users) == (1, 1, 1)


async def test_rock_in_detail(client: Client) -> None:
    rock = await resolve(client.tags.get(73))

    assert (rock.value, rock.usage, rock.artists, rock.users) == ("rock", 7_459, 2_248, 671)
    assert rock.first_used == 1_122_854_400_000  # 2005-08-01
    assert rock.last_used == 1_304_899_200_000  # 2011-05-09


async def test_tags_filter_by_text(client: Client) -> None:
    page = await resolve(client.tags.list(value="tropic"))

    assert [t.value for t in page] == ["tropicália", "tropical", "freak folk tropicalia"]


async def test_iterating_walks_every_tag(client: Client) -> None:
    tags = await collect(client.tags.iter())

    assert len(tags) == 11_946


async def test_the_artists_tagged_rock_most_often_first(client: Client) -> None:
    page = await resolve(client.tags.artists(73, limit=2))

    assert page.total == 2_248
    assert [(a.artist_id, a.name, a.count) for a in page] == [
        (227, "The Beatles", 67),
        (190, "Muse", 65),
    ]
    assert len(await collect(client.tags.iter_artists(2863))) == 1


async def test_tags_as_a_dataframe(client: Client) -> None:
    df = (await resolve(client.tags.list(sort="usage", limit=10))).to_pandas()

    assert df["tag"].tolist()[:2] == ["rock", "pop"]
    assert list(df.columns) == ["tag_id", "tag", "usage", "artists", "users"]


async def test_a_tag_lives_through_create_rename_and_delete(client: Client, new_id: int) -> None:
    value = f"sdk test tag {new_id}"
    created = await resolve(client.tags.create(value=value))
    try:
        assert (created.value, created.usage, created.artists, created.users) == (value, 0, 0, 0)
        again = await resolve(client.tags.create(value=value.upper()))
        assert again.id == created.id  # idempotent on the text, case-insensitively

        renamed = await resolve(client.tags.rename(created.id, value=value + " renamed"))
        assert renamed.value == value + " renamed"
        assert renamed.first_used is None

        with pytest.raises(ConflictError):
            await resolve(client.tags.rename(created.id, value="ROCK"))
    finally:
        await resolve(client.tags.delete(created.id))

    with pytest.raises(NotFoundError):
        await resolve(client.tags.get(created.id))


async def test_a_tag_with_a_comma_is_refused(client: Client) -> None:
    with pytest.raises(ValidationError) as info:
        await resolve(client.tags.create(value="a,b"))

    assert info.value.fields[0].field == "value"
