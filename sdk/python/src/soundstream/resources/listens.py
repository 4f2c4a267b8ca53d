"""`client.listens`: a user's play count for an artist (`/v1/users/{user_id}/artists/{artist_id}`)."""

from __future__ import annotations

from .._output import validate
from ..types.listens import Listen
from ._base import AsyncAPIResource, SyncAPIResource
from ._util import path_id

__all__ = ["AsyncListens", "Listens"]


class Listens(SyncAPIResource):
    """Listens: how many times a user played an artist. Read them with `users.artists(...)`
    and `artists.listeners(...)`."""

    def put(self, user_id: int, artist_id: int, *, weight: int) -> Listen:
        """Set a user's play count for an artist, creating the listen or replacing its count
        (`PUT /v1/users/{user_id}/artists/{artist_id}`; needs a write key; idempotent, so
        retried).

        Args:
            weight: Play count, 0 to 1,000,000,000.
        """
        path = f"/v1/users/{path_id(user_id)}/artists/{path_id(artist_id)}"
        return validate(Listen, self._put(path, {"weight": weight}))

    def set(self, user_id: int, artist_id: int, *, weight: int) -> Listen:
        """The same as `put`: set a user's play count for an artist."""
        return self.put(user_id, artist_id, weight=weight)

    def delete(self, user_id: int, artist_id: int) -> None:
        """Delete a user's listen of an artist
        (`DELETE /v1/users/{user_id}/artists/{artist_id}`)."""
        self._delete(f"/v1/users/{path_id(user_id)}/artists/{path_id(artist_id)}")


class AsyncListens(AsyncAPIResource):
    """Listens: how many times a user played an artist. Read them with `users.artists(...)`
    and `artists.listeners(...)`."""

    async def put(self, user_id: int, artist_id: int, *, weight: int) -> Listen:
        """Set a user's play count for an artist, creating the listen or replacing its count
        (`PUT /v1/users/{user_id}/artists/{artist_id}`; needs a write key; idempotent, so
        retried).

        Args:
            weight: Play count, 0 to 1,000,000,000.
        """
        path = f"/v1/users/{path_id(user_id)}/artists/{path_id(artist_id)}"
        return validate(Listen, await self._put(path, {"weight": weight}))

    async def set(self, user_id: int, artist_id: int, *, weight: int) -> Listen:
        """The same as `put`: set a user's play count for an artist."""
        return await self.put(user_id, artist_id, weight=weight)

    async def delete(self, user_id: int, artist_id: int) -> None:
        """Delete a user's listen of an artist
        (`DELETE /v1/users/{user_id}/artists/{artist_id}`)."""
        await self._delete(f"/v1/users/{path_id(user_id)}/artists/{path_id(artist_id)}")
