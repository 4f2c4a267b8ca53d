"""`client.users` against the real server and dataset."""

from __future__ import annotations

import pytest

from soundstream import ConflictError, NotFoundError

from .conftest import Client, collect, resolve


async def test_the_database_has_1892_users(client: Client) -> None:
    page = await resolve(client.users.list(limit=1))

    assert page.total == 1_892
    assert (page[0].id, page[0].artists, page[0].plays, page[0].friends) == (2, 50, 168_737, 13)


async def test_user_757_plays_the_most(client: Client) -> None:
    page = await resolve(client.users.list(sort="plays", limit=1))

    assert (page[0].id, page[0].plays) == (757, 480_039)


async def test_iterating_walks_every_user(client: Client) -> None:
    users = await collect(client.users.iter(sort="id", page_size=500))

    assert len(users) == 1_892
    assert [u.id for u in users] == sorted(u.id for u in users)


async def test_user_2_in_detail(client: Client) -> None:
    user = await resolve(client.users.get(2))

    assert (user.id, user.artists, user.plays, user.tags_applied, user.friends) == (
        2,
        50,
        168_737,
        45,
        13,
    )


async def test_user_2s_top_artist_is_duran_duran_with_13883_plays(client: Client) -> None:
    page = await resolve(client.users.artists(2, limit=1))

    assert page.total == 50
    assert (page[0].artist_id, page[0].name, page[0].weight) == (51, "Duran Duran", 13_883)
    everything = await collect(client.users.iter_artists(2, page_size=20))
    assert len(everything) == 50
    assert sum(a.weight for a in everything) == 168_737


async def test_user_2s_friends(client: Client) -> None:
    page = await resolve(client.users.friends(2, limit=2))

    assert page.total == 13
    assert [f.id for f in page] == [275, 428]
    friends = await collect(client.users.iter_friends(2, page_size=5))
    assert len(friends) == 13


async def test_user_2s_tags(client: Client) -> None:
    page = await resolve(client.users.tags(2, limit=2))

    assert page.total == 26
    assert [(t.value, t.count) for t in page] == [("chillout", 5), ("ambient", 4)]
    assert len(await collect(client.users.iter_tags(2, page_size=10))) == 26


async def test_similar_users_are_ranked_and_never_the_user(client: Client) -> None:
    similar = await resolve(client.users.similar(2, limit=5))

    assert len(similar) == 5
    assert 2 not in [u.user_id for u in similar]
    scores = [u.score for u in similar]
    assert scores == sorted(scores, reverse=True)
    df = (await resolve(client.users.similar(2, limit=5))).to_pandas()
    assert list(df.columns) == ["user_id", "shared_artists", "score"]


async def test_users_as_a_dataframe(client: Client) -> None:
    df = (await resolve(client.users.list(sort="friends", limit=3))).to_pandas()

    assert df["user_id"].tolist()[0] == 1543
    assert df["friends"].tolist()[0] == 119


async def test_a_users_artists_frame_calls_the_play_count_plays(client: Client) -> None:
    df = await resolve(client.users.iter_artists(2).to_pandas())

    assert df.columns.tolist() == ["artist_id", "name", "plays", "picture_url"]
    assert (df.loc[0, "name"], df.loc[0, "plays"]) == ("Duran Duran", 13_883)
    assert df["plays"].sum() == 168_737


async def test_a_user_lives_through_create_and_delete(client: Client, new_id: int) -> None:
    user_id = new_id + 10
    created = await resolve(client.users.create(id=user_id))
    try:
        assert (created.id, created.artists, created.plays, created.friends) == (user_id, 0, 0, 0)
        with pytest.raises(ConflictError):
            await resolve(client.users.create(id=user_id))
        assert (await resolve(client.users.get(user_id))).tags_applied == 0
    finally:
        await resolve(client.users.delete(user_id))

    with pytest.raises(NotFoundError):
        await resolve(client.users.get(user_id))


async def test_an_unknown_user_is_not_found(client: Client) -> None:
    with pytest.raises(NotFoundError):
        await resolve(client.users.artists(4_999_999))
