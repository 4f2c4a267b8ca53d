"""`client.friendships`: the social graph's edges (`/v1/friendships`)."""

from __future__ import annotations

from ..types.friendships import Friendship
from ._base import AsyncAPIResource, SyncAPIResource
from ._endpoint import Call, endpoint
from ._util import path_id

__all__ = ["AsyncFriendships", "FriendshipCalls", "Friendships"]


class FriendshipCalls:
    """Friendships, which are mutual. Read them with `users.friends(...)` (each method written
    once for `Friendships` and `AsyncFriendships`)."""

    @endpoint()
    def create(self, *, user_id: int, friend_id: int) -> Call[Friendship]:
        """Make two users friends, in both directions (`POST /v1/friendships`; needs a write
        key; never retried). `ConflictError` when they are friends already."""
        body = {"user_id": user_id, "friend_id": friend_id}
        return Call.write("POST", "/v1/friendships", body, Friendship)

    @endpoint()
    def delete(self, user_id: int, friend_id: int) -> Call[None]:
        """End the friendship of two users, in both directions
        (`DELETE /v1/friendships/{user_id}/{friend_id}`)."""
        return Call.remove(f"/v1/friendships/{path_id(user_id)}/{path_id(friend_id)}")


class Friendships(SyncAPIResource, FriendshipCalls):
    """Friendships (blocking): see `FriendshipCalls` for the methods."""


class AsyncFriendships(AsyncAPIResource, FriendshipCalls):
    """Friendships (asyncio): the methods of `Friendships`, awaited."""
