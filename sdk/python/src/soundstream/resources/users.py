"""`client.users`: users (`/v1/users`), what they listen to, their friends, tags and look-alikes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, overload

from .._models import ItemList, Page
from .._output import format_items, format_page, validate
from .._pagination import AsyncPageIterator, PageIterator, aiterate_pages, iterate_pages
from .._types import OutputFormat, SortOrder, UserSort
from ..types.artists import TagCount
from ..types.users import SimilarUser, UserArtist, UserSummary
from ._base import AsyncAPIResource, SyncAPIResource
from ._util import path_id

if TYPE_CHECKING:
    from pandas import DataFrame

__all__ = ["AsyncUsers", "Users"]


class Users(SyncAPIResource):
    """Users and their activity: `/v1/users` and `/v1/users/{user_id}/...`."""

    @overload
    def list(
        self,
        *,
        sort: UserSort | None = None,
        order: SortOrder | None = None,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> Page[UserSummary]: ...
    @overload
    def list(
        self,
        *,
        sort: UserSort | None = None,
        order: SortOrder | None = None,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["dict"],
    ) -> dict[str, Any]: ...
    @overload
    def list(
        self,
        *,
        sort: UserSort | None = None,
        order: SortOrder | None = None,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pandas"],
    ) -> DataFrame: ...
    def list(
        self,
        *,
        sort: UserSort | None = None,
        order: SortOrder | None = None,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> Page[UserSummary] | dict[str, Any] | DataFrame:
        """One page of users with their activity (`GET /v1/users`).

        Args:
            sort: `id` (default), `plays`, `artists`, `friends` or `tags` (tags applied).
            order: `asc` or `desc` (default `asc` for `id`, `desc` for the others).
            skip: Items to skip (default 0).
            after: Start after this cursor: the `next` of the previous page (instead of `skip`).
            limit: Page size, 1 to 500 (default 50).
            output_format: `pydantic` (a `Page[UserSummary]`), `dict` (the JSON) or `pandas`.
        """
        data = self._get(
            "/v1/users",
            {"sort": sort, "order": order, "skip": skip, "after": after, "limit": limit},
        )
        return format_page(data, UserSummary, output_format, limit=limit)

    def iter(
        self,
        *,
        sort: UserSort | None = None,
        order: SortOrder | None = None,
        page_size: int = 500,
    ) -> PageIterator[UserSummary]:
        """Every user, page after page (`GET /v1/users`)."""
        return iterate_pages(
            lambda skip, after, limit: self.list(
                sort=sort, order=order, skip=skip, after=after, limit=limit
            ),
            page_size=page_size,
        )

    def get(self, user_id: int) -> UserSummary:
        """One user with their activity (`GET /v1/users/{id}`)."""
        return validate(UserSummary, self._get(f"/v1/users/{path_id(user_id)}"))

    def create(self, *, id: int | None = None) -> UserSummary:
        """Create a user with no listens, tags or friends yet (`POST /v1/users`; needs a write
        key; never retried).

        Args:
            id: Id for the user (a positive integer); the next free id when omitted.
        """
        return validate(UserSummary, self._post("/v1/users", {} if id is None else {"id": id}))

    def delete(self, user_id: int) -> None:
        """Delete a user with their listens, tag assignments and friendships
        (`DELETE /v1/users/{id}`)."""
        self._delete(f"/v1/users/{path_id(user_id)}")

    @overload
    def artists(
        self,
        user_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> Page[UserArtist]: ...
    @overload
    def artists(
        self,
        user_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["dict"],
    ) -> dict[str, Any]: ...
    @overload
    def artists(
        self,
        user_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pandas"],
    ) -> DataFrame: ...
    def artists(
        self,
        user_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> Page[UserArtist] | dict[str, Any] | DataFrame:
        """The artists a user listens to with their play counts, most played first
        (`GET /v1/users/{id}/artists`)."""
        data = self._get(
            f"/v1/users/{path_id(user_id)}/artists", {"skip": skip, "after": after, "limit": limit}
        )
        return format_page(data, UserArtist, output_format, limit=limit)

    def iter_artists(self, user_id: int, *, page_size: int = 500) -> PageIterator[UserArtist]:
        """Every artist a user listens to, page after page."""
        return iterate_pages(
            lambda skip, after, limit: self.artists(user_id, skip=skip, after=after, limit=limit),
            page_size=page_size,
        )

    @overload
    def friends(
        self,
        user_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> Page[UserSummary]: ...
    @overload
    def friends(
        self,
        user_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["dict"],
    ) -> dict[str, Any]: ...
    @overload
    def friends(
        self,
        user_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pandas"],
    ) -> DataFrame: ...
    def friends(
        self,
        user_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> Page[UserSummary] | dict[str, Any] | DataFrame:
        """A user's friends with their activity, by id (`GET /v1/users/{id}/friends`)."""
        data = self._get(
            f"/v1/users/{path_id(user_id)}/friends", {"skip": skip, "after": after, "limit": limit}
        )
        return format_page(data, UserSummary, output_format, limit=limit)

    def iter_friends(self, user_id: int, *, page_size: int = 500) -> PageIterator[UserSummary]:
        """Every friend of a user, page after page."""
        return iterate_pages(
            lambda skip, after, limit: self.friends(user_id, skip=skip, after=after, limit=limit),
            page_size=page_size,
        )

    @overload
    def tags(
        self,
        user_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> Page[TagCount]: ...
    @overload
    def tags(
        self,
        user_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["dict"],
    ) -> dict[str, Any]: ...
    @overload
    def tags(
        self,
        user_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pandas"],
    ) -> DataFrame: ...
    def tags(
        self,
        user_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> Page[TagCount] | dict[str, Any] | DataFrame:
        """The tags a user applied, with on how many artists each, most used first
        (`GET /v1/users/{id}/tags`)."""
        data = self._get(
            f"/v1/users/{path_id(user_id)}/tags", {"skip": skip, "after": after, "limit": limit}
        )
        return format_page(data, TagCount, output_format, limit=limit)

    def iter_tags(self, user_id: int, *, page_size: int = 500) -> PageIterator[TagCount]:
        """Every tag a user applied, page after page."""
        return iterate_pages(
            lambda skip, after, limit: self.tags(user_id, skip=skip, after=after, limit=limit),
            page_size=page_size,
        )

    @overload
    def similar(
        self,
        user_id: int,
        *,
        limit: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> ItemList[SimilarUser]: ...
    @overload
    def similar(
        self, user_id: int, *, limit: int | None = None, output_format: Literal["dict"]
    ) -> dict[str, Any]: ...
    @overload
    def similar(
        self, user_id: int, *, limit: int | None = None, output_format: Literal["pandas"]
    ) -> DataFrame: ...
    def similar(
        self,
        user_id: int,
        *,
        limit: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> ItemList[SimilarUser] | dict[str, Any] | DataFrame:
        """Users who listen to the same artists, most similar first; never the user itself
        (`GET /v1/users/{id}/similar`).

        Args:
            limit: How many, 1 to 100 (default 10).
        """
        data = self._get(f"/v1/users/{path_id(user_id)}/similar", {"limit": limit})
        return format_items(data, SimilarUser, output_format)


class AsyncUsers(AsyncAPIResource):
    """Users and their activity: `/v1/users` and `/v1/users/{user_id}/...`."""

    @overload
    async def list(
        self,
        *,
        sort: UserSort | None = None,
        order: SortOrder | None = None,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> Page[UserSummary]: ...
    @overload
    async def list(
        self,
        *,
        sort: UserSort | None = None,
        order: SortOrder | None = None,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["dict"],
    ) -> dict[str, Any]: ...
    @overload
    async def list(
        self,
        *,
        sort: UserSort | None = None,
        order: SortOrder | None = None,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pandas"],
    ) -> DataFrame: ...
    async def list(
        self,
        *,
        sort: UserSort | None = None,
        order: SortOrder | None = None,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> Page[UserSummary] | dict[str, Any] | DataFrame:
        """One page of users with their activity (`GET /v1/users`).

        Args:
            sort: `id` (default), `plays`, `artists`, `friends` or `tags` (tags applied).
            order: `asc` or `desc` (default `asc` for `id`, `desc` for the others).
            skip: Items to skip (default 0).
            after: Start after this cursor: the `next` of the previous page (instead of `skip`).
            limit: Page size, 1 to 500 (default 50).
            output_format: `pydantic` (a `Page[UserSummary]`), `dict` (the JSON) or `pandas`.
        """
        data = await self._get(
            "/v1/users",
            {"sort": sort, "order": order, "skip": skip, "after": after, "limit": limit},
        )
        return format_page(data, UserSummary, output_format, limit=limit)

    def iter(
        self,
        *,
        sort: UserSort | None = None,
        order: SortOrder | None = None,
        page_size: int = 500,
    ) -> AsyncPageIterator[UserSummary]:
        """Every user, page after page (`GET /v1/users`)."""
        return aiterate_pages(
            lambda skip, after, limit: self.list(
                sort=sort, order=order, skip=skip, after=after, limit=limit
            ),
            page_size=page_size,
        )

    async def get(self, user_id: int) -> UserSummary:
        """One user with their activity (`GET /v1/users/{id}`)."""
        return validate(UserSummary, await self._get(f"/v1/users/{path_id(user_id)}"))

    async def create(self, *, id: int | None = None) -> UserSummary:
        """Create a user with no listens, tags or friends yet (`POST /v1/users`; needs a write
        key; never retried).

        Args:
            id: Id for the user (a positive integer); the next free id when omitted.
        """
        return validate(
            UserSummary, await self._post("/v1/users", {} if id is None else {"id": id})
        )

    async def delete(self, user_id: int) -> None:
        """Delete a user with their listens, tag assignments and friendships
        (`DELETE /v1/users/{id}`)."""
        await self._delete(f"/v1/users/{path_id(user_id)}")

    @overload
    async def artists(
        self,
        user_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> Page[UserArtist]: ...
    @overload
    async def artists(
        self,
        user_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["dict"],
    ) -> dict[str, Any]: ...
    @overload
    async def artists(
        self,
        user_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pandas"],
    ) -> DataFrame: ...
    async def artists(
        self,
        user_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> Page[UserArtist] | dict[str, Any] | DataFrame:
        """The artists a user listens to with their play counts, most played first
        (`GET /v1/users/{id}/artists`)."""
        data = await self._get(
            f"/v1/users/{path_id(user_id)}/artists", {"skip": skip, "after": after, "limit": limit}
        )
        return format_page(data, UserArtist, output_format, limit=limit)

    def iter_artists(self, user_id: int, *, page_size: int = 500) -> AsyncPageIterator[UserArtist]:
        """Every artist a user listens to, page after page."""
        return aiterate_pages(
            lambda skip, after, limit: self.artists(user_id, skip=skip, after=after, limit=limit),
            page_size=page_size,
        )

    @overload
    async def friends(
        self,
        user_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> Page[UserSummary]: ...
    @overload
    async def friends(
        self,
        user_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["dict"],
    ) -> dict[str, Any]: ...
    @overload
    async def friends(
        self,
        user_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pandas"],
    ) -> DataFrame: ...
    async def friends(
        self,
        user_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> Page[UserSummary] | dict[str, Any] | DataFrame:
        """A user's friends with their activity, by id (`GET /v1/users/{id}/friends`)."""
        data = await self._get(
            f"/v1/users/{path_id(user_id)}/friends", {"skip": skip, "after": after, "limit": limit}
        )
        return format_page(data, UserSummary, output_format, limit=limit)

    def iter_friends(self, user_id: int, *, page_size: int = 500) -> AsyncPageIterator[UserSummary]:
        """Every friend of a user, page after page."""
        return aiterate_pages(
            lambda skip, after, limit: self.friends(user_id, skip=skip, after=after, limit=limit),
            page_size=page_size,
        )

    @overload
    async def tags(
        self,
        user_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> Page[TagCount]: ...
    @overload
    async def tags(
        self,
        user_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["dict"],
    ) -> dict[str, Any]: ...
    @overload
    async def tags(
        self,
        user_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pandas"],
    ) -> DataFrame: ...
    async def tags(
        self,
        user_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> Page[TagCount] | dict[str, Any] | DataFrame:
        """The tags a user applied, with on how many artists each, most used first
        (`GET /v1/users/{id}/tags`)."""
        data = await self._get(
            f"/v1/users/{path_id(user_id)}/tags", {"skip": skip, "after": after, "limit": limit}
        )
        return format_page(data, TagCount, output_format, limit=limit)

    def iter_tags(self, user_id: int, *, page_size: int = 500) -> AsyncPageIterator[TagCount]:
        """Every tag a user applied, page after page."""
        return aiterate_pages(
            lambda skip, after, limit: self.tags(user_id, skip=skip, after=after, limit=limit),
            page_size=page_size,
        )

    @overload
    async def similar(
        self,
        user_id: int,
        *,
        limit: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> ItemList[SimilarUser]: ...
    @overload
    async def similar(
        self, user_id: int, *, limit: int | None = None, output_format: Literal["dict"]
    ) -> dict[str, Any]: ...
    @overload
    async def similar(
        self, user_id: int, *, limit: int | None = None, output_format: Literal["pandas"]
    ) -> DataFrame: ...
    async def similar(
        self,
        user_id: int,
        *,
        limit: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> ItemList[SimilarUser] | dict[str, Any] | DataFrame:
        """Users who listen to the same artists, most similar first; never the user itself
        (`GET /v1/users/{id}/similar`).

        Args:
            limit: How many, 1 to 100 (default 10).
        """
        data = await self._get(f"/v1/users/{path_id(user_id)}/similar", {"limit": limit})
        return format_items(data, SimilarUser, output_format)
