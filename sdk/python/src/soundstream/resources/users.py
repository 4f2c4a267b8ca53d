"""`client.users`: users (`/v1/users`), what they listen to, their friends, tags and look-alikes."""

from __future__ import annotations

from typing_extensions import Unpack

from .._models import ItemList, Page
from .._types import Paging, SortOrder, UserSort
from ..types.artists import TagCount
from ..types.users import SimilarUser, UserArtist, UserSummary
from ._base import AsyncAPIResource, SyncAPIResource
from ._endpoint import Call, Walk, endpoint, paginated, walk
from ._util import path_id

__all__ = ["AsyncUsers", "UserCalls", "Users"]


class UserCalls:
    """Users and their activity: `/v1/users` and `/v1/users/{user_id}/...` (each method
    written once for `Users` and `AsyncUsers`)."""

    @endpoint(output_format=True)
    def list(
        self,
        *,
        sort: UserSort | None = None,
        order: SortOrder | None = None,
        **paging: Unpack[Paging],
    ) -> Call[Page[UserSummary]]:
        """One page of users with their activity (`GET /v1/users`): a `Page[UserSummary]`.

        Args:
            sort: `id` (default), `plays`, `artists`, `friends` or `tags` (tags applied).
            order: `asc` or `desc` (default `asc` for `id`, `desc` for the others).
            **paging: `skip`, `after` (a cursor) and `limit` (see `Paging`).
        """
        params = {"sort": sort, "order": order}
        return Call.read_page("/v1/users", UserSummary, paging, params)

    @paginated
    def iter(
        self,
        *,
        sort: UserSort | None = None,
        order: SortOrder | None = None,
        page_size: int = 500,
    ) -> Walk[UserSummary]:
        """Every user, page after page (`GET /v1/users`)."""
        return walk(UserCalls.list, self, page_size, sort=sort, order=order)

    @endpoint()
    def get(self, user_id: int) -> Call[UserSummary]:
        """One user with their activity (`GET /v1/users/{id}`)."""
        return Call.read(f"/v1/users/{path_id(user_id)}", UserSummary)

    @endpoint()
    def create(self, *, id: int | None = None) -> Call[UserSummary]:
        """Create a user with no listens, tags or friends yet (`POST /v1/users`; needs a write
        key; never retried).

        Args:
            id: Id for the user (a positive integer); the next free id when omitted.
        """
        return Call.write("POST", "/v1/users", {} if id is None else {"id": id}, UserSummary)

    @endpoint()
    def delete(self, user_id: int) -> Call[None]:
        """Delete a user with their listens, tag assignments and friendships
        (`DELETE /v1/users/{id}`)."""
        return Call.remove(f"/v1/users/{path_id(user_id)}")

    @endpoint(output_format=True)
    def artists(self, user_id: int, **paging: Unpack[Paging]) -> Call[Page[UserArtist]]:
        """The artists a user listens to with their play counts, most played first
        (`GET /v1/users/{id}/artists`)."""
        return Call.read_page(f"/v1/users/{path_id(user_id)}/artists", UserArtist, paging)

    @paginated
    def iter_artists(self, user_id: int, *, page_size: int = 500) -> Walk[UserArtist]:
        """Every artist a user listens to, page after page."""
        return walk(UserCalls.artists, self, page_size, user_id=user_id)

    @endpoint(output_format=True)
    def friends(self, user_id: int, **paging: Unpack[Paging]) -> Call[Page[UserSummary]]:
        """A user's friends with their activity, by id (`GET /v1/users/{id}/friends`)."""
        return Call.read_page(f"/v1/users/{path_id(user_id)}/friends", UserSummary, paging)

    @paginated
    def iter_friends(self, user_id: int, *, page_size: int = 500) -> Walk[UserSummary]:
        """Every friend of a user, page after page."""
        return walk(UserCalls.friends, self, page_size, user_id=user_id)

    @endpoint(output_format=True)
    def tags(self, user_id: int, **paging: Unpack[Paging]) -> Call[Page[TagCount]]:
        """The tags a user applied, with on how many artists each, most used first
        (`GET /v1/users/{id}/tags`)."""
        return Call.read_page(f"/v1/users/{path_id(user_id)}/tags", TagCount, paging)

    @paginated
    def iter_tags(self, user_id: int, *, page_size: int = 500) -> Walk[TagCount]:
        """Every tag a user applied, page after page."""
        return walk(UserCalls.tags, self, page_size, user_id=user_id)

    @endpoint(output_format=True)
    def similar(self, user_id: int, *, limit: int | None = None) -> Call[ItemList[SimilarUser]]:
        """Users who listen to the same artists, most similar first; never the user itself
        (`GET /v1/users/{id}/similar`).

        Args:
            limit: How many, 1 to 100 (default 10).
        """
        return Call.read_items(
            f"/v1/users/{path_id(user_id)}/similar", SimilarUser, {"limit": limit}
        )


class Users(SyncAPIResource, UserCalls):
    """Users and their activity (blocking): see `UserCalls` for the methods."""


class AsyncUsers(AsyncAPIResource, UserCalls):
    """Users and their activity (asyncio): the methods of `Users`, awaited."""
