"""`client.search`: granular artist search for curators (`/v1/search/artists`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, overload

from .._models import Page
from .._output import format_page
from .._pagination import AsyncPageIterator, PageIterator, aiterate_pages, iterate_pages
from .._types import OutputFormat, SearchSort, SortOrder
from ..types.artists import ArtistHit
from ._base import AsyncAPIResource, SyncAPIResource
from ._util import tag_list

if TYPE_CHECKING:
    from pandas import DataFrame

__all__ = ["AsyncSearch", "Search"]


class Search(SyncAPIResource):
    """Search: `/v1/search/artists`."""

    @overload
    def artists(
        self,
        *,
        tags_all: str | Sequence[str] | None = None,
        tags_any: str | Sequence[str] | None = None,
        name: str | None = None,
        min_listeners: int | None = None,
        max_listeners: int | None = None,
        min_plays: int | None = None,
        max_plays: int | None = None,
        sort: SearchSort | None = None,
        order: SortOrder | None = None,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> Page[ArtistHit]: ...
    @overload
    def artists(
        self,
        *,
        tags_all: str | Sequence[str] | None = None,
        tags_any: str | Sequence[str] | None = None,
        name: str | None = None,
        min_listeners: int | None = None,
        max_listeners: int | None = None,
        min_plays: int | None = None,
        max_plays: int | None = None,
        sort: SearchSort | None = None,
        order: SortOrder | None = None,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["dict"],
    ) -> dict[str, Any]: ...
    @overload
    def artists(
        self,
        *,
        tags_all: str | Sequence[str] | None = None,
        tags_any: str | Sequence[str] | None = None,
        name: str | None = None,
        min_listeners: int | None = None,
        max_listeners: int | None = None,
        min_plays: int | None = None,
        max_plays: int | None = None,
        sort: SearchSort | None = None,
        order: SortOrder | None = None,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pandas"],
    ) -> DataFrame: ...
    def artists(
        self,
        *,
        tags_all: str | Sequence[str] | None = None,
        tags_any: str | Sequence[str] | None = None,
        name: str | None = None,
        min_listeners: int | None = None,
        max_listeners: int | None = None,
        min_plays: int | None = None,
        max_plays: int | None = None,
        sort: SearchSort | None = None,
        order: SortOrder | None = None,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> Page[ArtistHit] | dict[str, Any] | DataFrame:
        """Search artists by tags (all of / any of), popularity range and name
        (`GET /v1/search/artists`). Unknown tags are a `ValidationError`.

        Args:
            tags_all: Tags the artist must all carry (values, case-insensitive).
            tags_any: Tags of which the artist must carry at least one.
            name: Text the artist's name must contain, case-insensitively.
            min_listeners: Fewest listeners.
            max_listeners: Most listeners.
            min_plays: Fewest total plays.
            max_plays: Most total plays.
            sort: `relevance` (default: how often the requested tags were applied),
                `listeners`, `plays`, `name` or `id`.
            order: `asc` or `desc` (default `desc`, `asc` for `name` and `id`).
            skip: Items to skip (default 0).
            after: Start after this cursor: the `next` of the previous page (instead of `skip`).
            limit: Page size, 1 to 500 (default 50).
            output_format: `pydantic` (a `Page[ArtistHit]`), `dict` (the JSON) or `pandas`.
        """
        params = {
            "tags_all": tag_list(tags_all),
            "tags_any": tag_list(tags_any),
            "name": name,
            "min_listeners": min_listeners,
            "max_listeners": max_listeners,
            "min_plays": min_plays,
            "max_plays": max_plays,
            "sort": sort,
            "order": order,
            "skip": skip,
            "after": after,
            "limit": limit,
        }
        return format_page(
            self._get("/v1/search/artists", params), ArtistHit, output_format, limit=limit
        )

    def iter_artists(
        self,
        *,
        tags_all: str | Sequence[str] | None = None,
        tags_any: str | Sequence[str] | None = None,
        name: str | None = None,
        min_listeners: int | None = None,
        max_listeners: int | None = None,
        min_plays: int | None = None,
        max_plays: int | None = None,
        sort: SearchSort | None = None,
        order: SortOrder | None = None,
        page_size: int = 500,
    ) -> PageIterator[ArtistHit]:
        """Every artist the search finds, page after page."""
        return iterate_pages(
            lambda skip, after, limit: self.artists(
                tags_all=tags_all,
                tags_any=tags_any,
                name=name,
                min_listeners=min_listeners,
                max_listeners=max_listeners,
                min_plays=min_plays,
                max_plays=max_plays,
                sort=sort,
                order=order,
                skip=skip,
                after=after,
                limit=limit,
            ),
            page_size=page_size,
        )


class AsyncSearch(AsyncAPIResource):
    """Search: `/v1/search/artists`."""

    @overload
    async def artists(
        self,
        *,
        tags_all: str | Sequence[str] | None = None,
        tags_any: str | Sequence[str] | None = None,
        name: str | None = None,
        min_listeners: int | None = None,
        max_listeners: int | None = None,
        min_plays: int | None = None,
        max_plays: int | None = None,
        sort: SearchSort | None = None,
        order: SortOrder | None = None,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> Page[ArtistHit]: ...
    @overload
    async def artists(
        self,
        *,
        tags_all: str | Sequence[str] | None = None,
        tags_any: str | Sequence[str] | None = None,
        name: str | None = None,
        min_listeners: int | None = None,
        max_listeners: int | None = None,
        min_plays: int | None = None,
        max_plays: int | None = None,
        sort: SearchSort | None = None,
        order: SortOrder | None = None,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["dict"],
    ) -> dict[str, Any]: ...
    @overload
    async def artists(
        self,
        *,
        tags_all: str | Sequence[str] | None = None,
        tags_any: str | Sequence[str] | None = None,
        name: str | None = None,
        min_listeners: int | None = None,
        max_listeners: int | None = None,
        min_plays: int | None = None,
        max_plays: int | None = None,
        sort: SearchSort | None = None,
        order: SortOrder | None = None,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pandas"],
    ) -> DataFrame: ...
    async def artists(
        self,
        *,
        tags_all: str | Sequence[str] | None = None,
        tags_any: str | Sequence[str] | None = None,
        name: str | None = None,
        min_listeners: int | None = None,
        max_listeners: int | None = None,
        min_plays: int | None = None,
        max_plays: int | None = None,
        sort: SearchSort | None = None,
        order: SortOrder | None = None,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> Page[ArtistHit] | dict[str, Any] | DataFrame:
        """Search artists by tags (all of / any of), popularity range and name
        (`GET /v1/search/artists`). Unknown tags are a `ValidationError`.

        Args:
            tags_all: Tags the artist must all carry (values, case-insensitive).
            tags_any: Tags of which the artist must carry at least one.
            name: Text the artist's name must contain, case-insensitively.
            min_listeners: Fewest listeners.
            max_listeners: Most listeners.
            min_plays: Fewest total plays.
            max_plays: Most total plays.
            sort: `relevance` (default: how often the requested tags were applied),
                `listeners`, `plays`, `name` or `id`.
            order: `asc` or `desc` (default `desc`, `asc` for `name` and `id`).
            skip: Items to skip (default 0).
            after: Start after this cursor: the `next` of the previous page (instead of `skip`).
            limit: Page size, 1 to 500 (default 50).
            output_format: `pydantic` (a `Page[ArtistHit]`), `dict` (the JSON) or `pandas`.
        """
        params = {
            "tags_all": tag_list(tags_all),
            "tags_any": tag_list(tags_any),
            "name": name,
            "min_listeners": min_listeners,
            "max_listeners": max_listeners,
            "min_plays": min_plays,
            "max_plays": max_plays,
            "sort": sort,
            "order": order,
            "skip": skip,
            "after": after,
            "limit": limit,
        }
        return format_page(
            await self._get("/v1/search/artists", params), ArtistHit, output_format, limit=limit
        )

    def iter_artists(
        self,
        *,
        tags_all: str | Sequence[str] | None = None,
        tags_any: str | Sequence[str] | None = None,
        name: str | None = None,
        min_listeners: int | None = None,
        max_listeners: int | None = None,
        min_plays: int | None = None,
        max_plays: int | None = None,
        sort: SearchSort | None = None,
        order: SortOrder | None = None,
        page_size: int = 500,
    ) -> AsyncPageIterator[ArtistHit]:
        """Every artist the search finds, page after page."""
        return aiterate_pages(
            lambda skip, after, limit: self.artists(
                tags_all=tags_all,
                tags_any=tags_any,
                name=name,
                min_listeners=min_listeners,
                max_listeners=max_listeners,
                min_plays=min_plays,
                max_plays=max_plays,
                sort=sort,
                order=order,
                skip=skip,
                after=after,
                limit=limit,
            ),
            page_size=page_size,
        )
