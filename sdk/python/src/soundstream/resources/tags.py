"""`client.tags`: the free-text tags applied to artists (`/v1/tags`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, overload

from .._models import Page
from .._output import format_page, validate
from .._pagination import AsyncPageIterator, PageIterator, aiterate_pages, iterate_pages
from .._types import OutputFormat, SortOrder, TagSort
from ..types.tags import TagArtist, TagDetail, TagSummary
from ._base import AsyncAPIResource, SyncAPIResource
from ._util import path_id

if TYPE_CHECKING:
    from pandas import DataFrame

__all__ = ["AsyncTags", "Tags"]


class Tags(SyncAPIResource):
    """Tags with their usage: `/v1/tags` and `/v1/tags/{tag_id}/...`."""

    @overload
    def list(
        self,
        *,
        value: str | None = None,
        sort: TagSort | None = None,
        order: SortOrder | None = None,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> Page[TagSummary]: ...
    @overload
    def list(
        self,
        *,
        value: str | None = None,
        sort: TagSort | None = None,
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
        value: str | None = None,
        sort: TagSort | None = None,
        order: SortOrder | None = None,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pandas"],
    ) -> DataFrame: ...
    def list(
        self,
        *,
        value: str | None = None,
        sort: TagSort | None = None,
        order: SortOrder | None = None,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> Page[TagSummary] | dict[str, Any] | DataFrame:
        """One page of tags with their usage (`GET /v1/tags`).

        Args:
            value: Only tags whose text contains this text, case-insensitively.
            sort: `id` (default), `value` or `usage`.
            order: `asc` or `desc` (default `asc` for `id` and `value`, `desc` for `usage`).
            skip: Items to skip (default 0).
            after: Start after this cursor: the `next` of the previous page (instead of `skip`).
            limit: Page size, 1 to 500 (default 50).
            output_format: `pydantic` (a `Page[TagSummary]`), `dict` (the JSON) or `pandas`.
        """
        data = self._get(
            "/v1/tags",
            {
                "value": value,
                "sort": sort,
                "order": order,
                "skip": skip,
                "after": after,
                "limit": limit,
            },
        )
        return format_page(data, TagSummary, output_format, limit=limit)

    def iter(
        self,
        *,
        value: str | None = None,
        sort: TagSort | None = None,
        order: SortOrder | None = None,
        page_size: int = 500,
    ) -> PageIterator[TagSummary]:
        """Every tag matching the filter, page after page (`GET /v1/tags`)."""
        return iterate_pages(
            lambda skip, after, limit: self.list(
                value=value, sort=sort, order=order, skip=skip, after=after, limit=limit
            ),
            page_size=page_size,
        )

    def get(self, tag_id: int) -> TagDetail:
        """One tag with its usage and when it was first and last applied
        (`GET /v1/tags/{id}`)."""
        return validate(TagDetail, self._get(f"/v1/tags/{path_id(tag_id)}"))

    def create(self, *, value: str) -> TagSummary:
        """Create a tag, or get the one that already has this text, compared case-insensitively
        (`POST /v1/tags`; needs a write key; never retried, though the API makes it idempotent).

        Args:
            value: Tag text (1 to 500 characters, no commas, no spaces at either end).
        """
        return validate(TagSummary, self._post("/v1/tags", {"value": value}))

    def rename(self, tag_id: int, *, value: str) -> TagDetail:
        """Change a tag's text (`PATCH /v1/tags/{id}`); `ConflictError` when another tag has
        it, compared case-insensitively."""
        return validate(TagDetail, self._patch(f"/v1/tags/{path_id(tag_id)}", {"value": value}))

    def delete(self, tag_id: int) -> None:
        """Delete a tag with every assignment of it (`DELETE /v1/tags/{id}`)."""
        self._delete(f"/v1/tags/{path_id(tag_id)}")

    @overload
    def artists(
        self,
        tag_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> Page[TagArtist]: ...
    @overload
    def artists(
        self,
        tag_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["dict"],
    ) -> dict[str, Any]: ...
    @overload
    def artists(
        self,
        tag_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pandas"],
    ) -> DataFrame: ...
    def artists(
        self,
        tag_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> Page[TagArtist] | dict[str, Any] | DataFrame:
        """The artists a tag was applied to, most often tagged first
        (`GET /v1/tags/{id}/artists`)."""
        data = self._get(
            f"/v1/tags/{path_id(tag_id)}/artists", {"skip": skip, "after": after, "limit": limit}
        )
        return format_page(data, TagArtist, output_format, limit=limit)

    def iter_artists(self, tag_id: int, *, page_size: int = 500) -> PageIterator[TagArtist]:
        """Every artist a tag was applied to, page after page."""
        return iterate_pages(
            lambda skip, after, limit: self.artists(tag_id, skip=skip, after=after, limit=limit),
            page_size=page_size,
        )


class AsyncTags(AsyncAPIResource):
    """Tags with their usage: `/v1/tags` and `/v1/tags/{tag_id}/...`."""

    @overload
    async def list(
        self,
        *,
        value: str | None = None,
        sort: TagSort | None = None,
        order: SortOrder | None = None,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> Page[TagSummary]: ...
    @overload
    async def list(
        self,
        *,
        value: str | None = None,
        sort: TagSort | None = None,
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
        value: str | None = None,
        sort: TagSort | None = None,
        order: SortOrder | None = None,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pandas"],
    ) -> DataFrame: ...
    async def list(
        self,
        *,
        value: str | None = None,
        sort: TagSort | None = None,
        order: SortOrder | None = None,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> Page[TagSummary] | dict[str, Any] | DataFrame:
        """One page of tags with their usage (`GET /v1/tags`).

        Args:
            value: Only tags whose text contains this text, case-insensitively.
            sort: `id` (default), `value` or `usage`.
            order: `asc` or `desc` (default `asc` for `id` and `value`, `desc` for `usage`).
            skip: Items to skip (default 0).
            after: Start after this cursor: the `next` of the previous page (instead of `skip`).
            limit: Page size, 1 to 500 (default 50).
            output_format: `pydantic` (a `Page[TagSummary]`), `dict` (the JSON) or `pandas`.
        """
        data = await self._get(
            "/v1/tags",
            {
                "value": value,
                "sort": sort,
                "order": order,
                "skip": skip,
                "after": after,
                "limit": limit,
            },
        )
        return format_page(data, TagSummary, output_format, limit=limit)

    def iter(
        self,
        *,
        value: str | None = None,
        sort: TagSort | None = None,
        order: SortOrder | None = None,
        page_size: int = 500,
    ) -> AsyncPageIterator[TagSummary]:
        """Every tag matching the filter, page after page (`GET /v1/tags`)."""
        return aiterate_pages(
            lambda skip, after, limit: self.list(
                value=value, sort=sort, order=order, skip=skip, after=after, limit=limit
            ),
            page_size=page_size,
        )

    async def get(self, tag_id: int) -> TagDetail:
        """One tag with its usage and when it was first and last applied
        (`GET /v1/tags/{id}`)."""
        return validate(TagDetail, await self._get(f"/v1/tags/{path_id(tag_id)}"))

    async def create(self, *, value: str) -> TagSummary:
        """Create a tag, or get the one that already has this text, compared case-insensitively
        (`POST /v1/tags`; needs a write key; never retried, though the API makes it idempotent).

        Args:
            value: Tag text (1 to 500 characters, no commas, no spaces at either end).
        """
        return validate(TagSummary, await self._post("/v1/tags", {"value": value}))

    async def rename(self, tag_id: int, *, value: str) -> TagDetail:
        """Change a tag's text (`PATCH /v1/tags/{id}`); `ConflictError` when another tag has
        it, compared case-insensitively."""
        return validate(
            TagDetail, await self._patch(f"/v1/tags/{path_id(tag_id)}", {"value": value})
        )

    async def delete(self, tag_id: int) -> None:
        """Delete a tag with every assignment of it (`DELETE /v1/tags/{id}`)."""
        await self._delete(f"/v1/tags/{path_id(tag_id)}")

    @overload
    async def artists(
        self,
        tag_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> Page[TagArtist]: ...
    @overload
    async def artists(
        self,
        tag_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["dict"],
    ) -> dict[str, Any]: ...
    @overload
    async def artists(
        self,
        tag_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pandas"],
    ) -> DataFrame: ...
    async def artists(
        self,
        tag_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> Page[TagArtist] | dict[str, Any] | DataFrame:
        """The artists a tag was applied to, most often tagged first
        (`GET /v1/tags/{id}/artists`)."""
        data = await self._get(
            f"/v1/tags/{path_id(tag_id)}/artists", {"skip": skip, "after": after, "limit": limit}
        )
        return format_page(data, TagArtist, output_format, limit=limit)

    def iter_artists(self, tag_id: int, *, page_size: int = 500) -> AsyncPageIterator[TagArtist]:
        """Every artist a tag was applied to, page after page."""
        return aiterate_pages(
            lambda skip, after, limit: self.artists(tag_id, skip=skip, after=after, limit=limit),
            page_size=page_size,
        )
