"""`client.listens`: a user's play count for an artist (`/v1/users/{user_id}/artists/{artist_id}`)."""

from __future__ import annotations

from ..types.listens import Listen
from ._base import AsyncAPIResource, SyncAPIResource
from ._endpoint import Call, endpoint
from ._util import path_id

__all__ = ["AsyncListens", "ListenCalls", "Listens"]


def _path(user_id: int, artist_id: int) -> str:
    return f"/v1/users/{path_id(user_id)}/artists/{path_id(artist_id)}"


def _put(_: object, user_id: int, artist_id: int, *, weight: int) -> Call[Listen]:
    return Call.write("PUT", _path(user_id, artist_id), {"weight": weight}, Listen)


class ListenCalls:
    """Listens: how many times a user played an artist. Read them with `users.artists(...)`
    and `artists.listeners(...)` (each method written once for `Listens` and `AsyncListens`)."""

    @endpoint()
    def put(self, user_id: int, artist_id: int, *, weight: int) -> Call[Listen]:
        """Set a user's play count for an artist, creating the listen or replacing its count
        (`PUT /v1/users/{user_id}/artists/{artist_id}`; needs a write key; idempotent, so
        retried).

        Args:
            weight: Play count, 0 to 1,000,000,000.
        """
        return _put(self, user_id, artist_id, weight=weight)

    @endpoint()
    def set(self, user_id: int, artist_id: int, *, weight: int) -> Call[Listen]:
        """The same as `put`: set a user's play count for an artist."""
        return _put(self, user_id, artist_id, weight=weight)

    @endpoint()
    def delete(self, user_id: int, artist_id: int) -> Call[None]:
        """Delete a user's listen of an artist
        (`DELETE /v1/users/{user_id}/artists/{artist_id}`)."""
        return Call.remove(_path(user_id, artist_id))


class Listens(SyncAPIResource, ListenCalls):
    """Listens (blocking): see `ListenCalls` for the methods."""


class AsyncListens(AsyncAPIResource, ListenCalls):
    """Listens (asyncio): the methods of `Listens`, awaited."""
