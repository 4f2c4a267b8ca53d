"""`client.friendships`: the social graph's edges (`/v1/friendships`)."""

from __future__ import annotations

from .._output import validate
from ..types.friendships import Friendship
from ._base import AsyncAPIResource, SyncAPIResource
from ._util import path_id

__all__ = ["AsyncFriendships", "Friendships"]


class Friendships(SyncAPIResource):
    """Friendships, which are mutual. Read them with `users.friends(...)`."""

    def create(self, *, user_id: int, friend_id: int) -> Friendship:
        """Make two users friends, in both directions (`POST /v1/friendships`; needs a write
        key; never retried). `ConflictError` when they are friends already."""
        body = {"user_id": user_id, "friend_id": friend_id}
        return validate(Friendship, self._post("/v1/friendships", body))

    def delete(self, user_id: int, friend_id: int) -> None:
        """End the friendship of two users, in both directions
        (`DELETE /v1/friendships/{user_id}/{friend_id}`)."""
        self._delete(f"/v1/friendships/{path_id(user_id)}/{path_id(friend_id)}")


class AsyncFriendships(AsyncAPIResource):
    """Friendships, which are mutual. Read them with `users.friends(...)`."""

    async def create(self, *, user_id: int, friend_id: int) -> Friendship:
        """Make two users friends, in both directions (`POST /v1/friendships`; needs a write
        key; never retried). `ConflictError` when they are friends already."""
        body = {"user_id": user_id, "friend_id": friend_id}
        return validate(Friendship, await self._post("/v1/friendships", body))

    async def delete(self, user_id: int, friend_id: int) -> None:
        """End the friendship of two users, in both directions
        (`DELETE /v1/friendships/{user_id}/{friend_id}`)."""
        await self._delete(f"/v1/friendships/{path_id(user_id)}/{path_id(friend_id)}")
