"""`client.friendships` against the real server."""

from __future__ import annotations

import pytest

from soundstream import ConflictError, NotFoundError, ValidationError

from .conftest import Client, resolve


async def test_a_friendship_is_mutual_and_ends_in_both_directions(
    client: Client, new_id: int
) -> None:
    a, b = new_id + 40, new_id + 41
    await resolve(client.users.create(id=a))
    await resolve(client.users.create(id=b))
    try:
        friendship = await resolve(client.friendships.create(user_id=a, friend_id=b))
        assert (friendship.user_id, friendship.friend_id) == (a, b)
        assert [u.id for u in await resolve(client.users.friends(b))] == [a]
        with pytest.raises(ConflictError):
            await resolve(client.friendships.create(user_id=b, friend_id=a))

        await resolve(client.friendships.delete(b, a))
        assert (await resolve(client.users.friends(a))).total == 0
        with pytest.raises(NotFoundError):
            await resolve(client.friendships.delete(a, b))
    finally:
        await resolve(client.users.delete(a))
        await resolve(client.users.delete(b))


async def test_a_user_cannot_befriend_themself(client: Client) -> None:
    with pytest.raises(ValidationError):
        await resolve(client.friendships.create(user_id=2, friend_id=2))
