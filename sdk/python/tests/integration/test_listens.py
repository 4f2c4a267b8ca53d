"""`client.listens` (a user's play count for an artist) against the real server."""

from __future__ import annotations

import pytest

from soundstream import NotFoundError, ValidationError

from .conftest import Client, resolve


async def test_a_listen_is_set_replaced_and_deleted(client: Client, new_id: int) -> None:
    user_id, artist_id = new_id + 20, new_id + 21
    await resolve(client.users.create(id=user_id))
    await resolve(client.artists.create(id=artist_id, name="SDK Listen Band"))
    try:
        created = await resolve(client.listens.put(user_id, artist_id, weight=12))
        assert (created.user_id, created.artist_id, created.weight) == (user_id, artist_id, 12)

        replaced = await resolve(client.listens.set(user_id, artist_id, weight=30))
        assert replaced.weight == 30
        artist = await resolve(client.artists.get(artist_id))
        assert (artist.listeners, artist.plays) == (1, 30)
        page = await resolve(client.users.artists(user_id))
        assert [(a.artist_id, a.weight) for a in page] == [(artist_id, 30)]

        await resolve(client.listens.delete(user_id, artist_id))
        assert (await resolve(client.artists.get(artist_id))).listeners == 0
        with pytest.raises(NotFoundError):
            await resolve(client.listens.delete(user_id, artist_id))
    finally:
        await resolve(client.artists.delete(artist_id))
        await resolve(client.users.delete(user_id))


async def test_a_negative_play_count_is_refused(client: Client) -> None:
    with pytest.raises(ValidationError) as info:
        await resolve(client.listens.put(2, 707, weight=-1))

    assert [(f.field, f.location) for f in info.value.fields] == [("weight", "body")]


async def test_a_listen_of_an_unknown_artist_is_not_found(client: Client) -> None:
    with pytest.raises(NotFoundError):
        await resolve(client.listens.put(2, 4_999_999, weight=1))
