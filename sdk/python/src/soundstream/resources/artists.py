"""`client.artists`: the artist catalogue (`/v1/artists`), with audiences, tags and similar
artists."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, overload

from .._models import ItemList, Page
from .._output import format_items, format_page, validate
from .._pagination import AsyncPageIterator, PageIterator, aiterate_pages, iterate_pages
from .._types import NOT_GIVEN, ArtistSort, NotGiven, OutputFormat, SortOrder
from ..types.artists import ArtistDetail, ArtistSummary, Listener, SimilarArtist, TagCount
from ._base import AsyncAPIResource, SyncAPIResource
from ._util import patch_body, path_id

if TYPE_CHECKING:
    from pandas import DataFrame

__all__ = ["Artists", "AsyncArtists"]


class Artists(SyncAPIResource):
    """The artist catalogue: `/v1/artists` and `/v1/artists/{artist_id}/...`."""

    @overload
    def list(
        self,
        *,
        name: str | None = None,
        sort: ArtistSort | None = None,
        order: SortOrder | None = None,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> Page[ArtistSummary]: ...
    @overload
    def list(
        self,
        *,
        name: str | None = None,
        sort: ArtistSort | None = None,
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
        name: str | None = None,
        sort: ArtistSort | None = None,
        order: SortOrder | None = None,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pandas"],
    ) -> DataFrame: ...
    def list(
        self,
        *,
        name: str | None = None,
        sort: ArtistSort | None = None,
        order: SortOrder | None = None,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> Page[ArtistSummary] | dict[str, Any] | DataFrame:
        """One page of artists (`GET /v1/artists`).

        Args:
            name: Only artists whose name contains this text, case-insensitively.
            sort: Sort key: `id` (default), `name`, `listeners` or `plays`.
            order: `asc` or `desc` (default `asc` for `id` and `name`, `desc` otherwise).
            skip: Items to skip (default 0).
            after: Start after this cursor: the `next` of the previous page (instead of `skip`).
            limit: Page size, 1 to 500 (default 50).
            output_format: `pydantic` (a `Page[ArtistSummary]`), `dict` (the JSON) or `pandas`.
        """
        data = self._get(
            "/v1/artists",
            {
                "name": name,
                "sort": sort,
                "order": order,
                "skip": skip,
                "after": after,
                "limit": limit,
            },
        )
        return format_page(data, ArtistSummary, output_format, limit=limit)

    def iter(
        self,
        *,
        name: str | None = None,
        sort: ArtistSort | None = None,
        order: SortOrder | None = None,
        page_size: int = 500,
    ) -> PageIterator[ArtistSummary]:
        """Every artist matching the filters, page after page (`GET /v1/artists`)."""
        return iterate_pages(
            lambda skip, after, limit: self.list(
                name=name, sort=sort, order=order, skip=skip, after=after, limit=limit
            ),
            page_size=page_size,
        )

    def get(self, artist_id: int) -> ArtistDetail:
        """One artist with listeners, total plays and top tags (`GET /v1/artists/{id}`)."""
        return validate(ArtistDetail, self._get(f"/v1/artists/{path_id(artist_id)}"))

    def create(
        self,
        *,
        name: str,
        id: int | None = None,
        url: str | None = None,
        picture_url: str | None = None,
    ) -> ArtistDetail:
        """Create an artist (`POST /v1/artists`; needs a write key; never retried).

        Args:
            name: Artist name (1 to 500 characters).
            id: Id for the artist; the next free id when omitted.
            url: Last.fm page of the artist (an http or https URL).
            picture_url: Picture of the artist (an http or https URL).
        """
        body = {"name": name, "id": id, "url": url, "picture_url": picture_url}
        body = {key: value for key, value in body.items() if value is not None}
        return validate(ArtistDetail, self._post("/v1/artists", body))

    def update(
        self,
        artist_id: int,
        *,
        name: str | NotGiven = NOT_GIVEN,
        url: str | NotGiven | None = NOT_GIVEN,
        picture_url: str | NotGiven | None = NOT_GIVEN,
    ) -> ArtistDetail:
        """Change some fields of an artist (`PATCH /v1/artists/{id}`; never retried).

        Fields not passed stay as they are; `url=None` or `picture_url=None` clears them.
        """
        body = patch_body(name=name, url=url, picture_url=picture_url)
        return validate(ArtistDetail, self._patch(f"/v1/artists/{path_id(artist_id)}", body))

    def replace(
        self,
        artist_id: int,
        *,
        name: str,
        url: str | None = None,
        picture_url: str | None = None,
    ) -> ArtistDetail:
        """Replace every field of an artist (`PUT /v1/artists/{id}`): omitted URLs are cleared."""
        body = {"name": name, "url": url, "picture_url": picture_url}
        return validate(ArtistDetail, self._put(f"/v1/artists/{path_id(artist_id)}", body))

    def delete(self, artist_id: int) -> None:
        """Delete an artist with its listens and tag assignments (`DELETE /v1/artists/{id}`)."""
        self._delete(f"/v1/artists/{path_id(artist_id)}")

    @overload
    def listeners(
        self,
        artist_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> Page[Listener]: ...
    @overload
    def listeners(
        self,
        artist_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["dict"],
    ) -> dict[str, Any]: ...
    @overload
    def listeners(
        self,
        artist_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pandas"],
    ) -> DataFrame: ...
    def listeners(
        self,
        artist_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> Page[Listener] | dict[str, Any] | DataFrame:
        """The users who listen to an artist, most plays first (`GET .../listeners`)."""
        data = self._get(
            f"/v1/artists/{path_id(artist_id)}/listeners",
            {"skip": skip, "after": after, "limit": limit},
        )
        return format_page(data, Listener, output_format, limit=limit)

    def iter_listeners(self, artist_id: int, *, page_size: int = 500) -> PageIterator[Listener]:
        """Every listener of an artist, page after page."""
        return iterate_pages(
            lambda skip, after, limit: self.listeners(
                artist_id, skip=skip, after=after, limit=limit
            ),
            page_size=page_size,
        )

    @overload
    def tags(
        self,
        artist_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> Page[TagCount]: ...
    @overload
    def tags(
        self,
        artist_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["dict"],
    ) -> dict[str, Any]: ...
    @overload
    def tags(
        self,
        artist_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pandas"],
    ) -> DataFrame: ...
    def tags(
        self,
        artist_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> Page[TagCount] | dict[str, Any] | DataFrame:
        """The tags applied to an artist with their counts, most applied first
        (`GET .../tags`)."""
        data = self._get(
            f"/v1/artists/{path_id(artist_id)}/tags", {"skip": skip, "after": after, "limit": limit}
        )
        return format_page(data, TagCount, output_format, limit=limit)

    def iter_tags(self, artist_id: int, *, page_size: int = 500) -> PageIterator[TagCount]:
        """Every tag applied to an artist, page after page."""
        return iterate_pages(
            lambda skip, after, limit: self.tags(artist_id, skip=skip, after=after, limit=limit),
            page_size=page_size,
        )

    @overload
    def similar(
        self,
        artist_id: int,
        *,
        limit: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> ItemList[SimilarArtist]: ...
    @overload
    def similar(
        self, artist_id: int, *, limit: int | None = None, output_format: Literal["dict"]
    ) -> dict[str, Any]: ...
    @overload
    def similar(
        self, artist_id: int, *, limit: int | None = None, output_format: Literal["pandas"]
    ) -> DataFrame: ...
    def similar(
        self,
        artist_id: int,
        *,
        limit: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> ItemList[SimilarArtist] | dict[str, Any] | DataFrame:
        """Artists whose audience overlaps this one's most (`GET .../similar`).

        Args:
            limit: How many, 1 to 100 (default 10).
        """
        data = self._get(f"/v1/artists/{path_id(artist_id)}/similar", {"limit": limit})
        return format_items(data, SimilarArtist, output_format)


class AsyncArtists(AsyncAPIResource):
    """The artist catalogue: `/v1/artists` and `/v1/artists/{artist_id}/...`."""

    @overload
    async def list(
        self,
        *,
        name: str | None = None,
        sort: ArtistSort | None = None,
        order: SortOrder | None = None,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> Page[ArtistSummary]: ...
    @overload
    async def list(
        self,
        *,
        name: str | None = None,
        sort: ArtistSort | None = None,
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
        name: str | None = None,
        sort: ArtistSort | None = None,
        order: SortOrder | None = None,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pandas"],
    ) -> DataFrame: ...
    async def list(
        self,
        *,
        name: str | None = None,
        sort: ArtistSort | None = None,
        order: SortOrder | None = None,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> Page[ArtistSummary] | dict[str, Any] | DataFrame:
        """One page of artists (`GET /v1/artists`); see `Artists.list`."""
        data = await self._get(
            "/v1/artists",
            {
                "name": name,
                "sort": sort,
                "order": order,
                "skip": skip,
                "after": after,
                "limit": limit,
            },
        )
        return format_page(data, ArtistSummary, output_format, limit=limit)

    def iter(
        self,
        *,
        name: str | None = None,
        sort: ArtistSort | None = None,
        order: SortOrder | None = None,
        page_size: int = 500,
    ) -> AsyncPageIterator[ArtistSummary]:
        """Every artist matching the filters, page after page: `async for artist in ...`."""
        return aiterate_pages(
            lambda skip, after, limit: self.list(
                name=name, sort=sort, order=order, skip=skip, after=after, limit=limit
            ),
            page_size=page_size,
        )

    async def get(self, artist_id: int) -> ArtistDetail:
        """One artist with listeners, total plays and top tags (`GET /v1/artists/{id}`)."""
        return validate(ArtistDetail, await self._get(f"/v1/artists/{path_id(artist_id)}"))

    async def create(
        self,
        *,
        name: str,
        id: int | None = None,
        url: str | None = None,
        picture_url: str | None = None,
    ) -> ArtistDetail:
        """Create an artist (`POST /v1/artists`); see `Artists.create`."""
        body = {"name": name, "id": id, "url": url, "picture_url": picture_url}
        body = {key: value for key, value in body.items() if value is not None}
        return validate(ArtistDetail, await self._post("/v1/artists", body))

    async def update(
        self,
        artist_id: int,
        *,
        name: str | NotGiven = NOT_GIVEN,
        url: str | NotGiven | None = NOT_GIVEN,
        picture_url: str | NotGiven | None = NOT_GIVEN,
    ) -> ArtistDetail:
        """Change some fields of an artist (`PATCH /v1/artists/{id}`); see `Artists.update`."""
        body = patch_body(name=name, url=url, picture_url=picture_url)
        return validate(ArtistDetail, await self._patch(f"/v1/artists/{path_id(artist_id)}", body))

    async def replace(
        self,
        artist_id: int,
        *,
        name: str,
        url: str | None = None,
        picture_url: str | None = None,
    ) -> ArtistDetail:
        """Replace every field of an artist (`PUT /v1/artists/{id}`): omitted URLs are cleared."""
        body = {"name": name, "url": url, "picture_url": picture_url}
        return validate(ArtistDetail, await self._put(f"/v1/artists/{path_id(artist_id)}", body))

    async def delete(self, artist_id: int) -> None:
        """Delete an artist with its listens and tag assignments (`DELETE /v1/artists/{id}`)."""
        await self._delete(f"/v1/artists/{path_id(artist_id)}")

    @overload
    async def listeners(
        self,
        artist_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> Page[Listener]: ...
    @overload
    async def listeners(
        self,
        artist_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["dict"],
    ) -> dict[str, Any]: ...
    @overload
    async def listeners(
        self,
        artist_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pandas"],
    ) -> DataFrame: ...
    async def listeners(
        self,
        artist_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> Page[Listener] | dict[str, Any] | DataFrame:
        """The users who listen to an artist, most plays first (`GET .../listeners`)."""
        data = await self._get(
            f"/v1/artists/{path_id(artist_id)}/listeners",
            {"skip": skip, "after": after, "limit": limit},
        )
        return format_page(data, Listener, output_format, limit=limit)

    def iter_listeners(
        self, artist_id: int, *, page_size: int = 500
    ) -> AsyncPageIterator[Listener]:
        """Every listener of an artist, page after page."""
        return aiterate_pages(
            lambda skip, after, limit: self.listeners(
                artist_id, skip=skip, after=after, limit=limit
            ),
            page_size=page_size,
        )

    @overload
    async def tags(
        self,
        artist_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> Page[TagCount]: ...
    @overload
    async def tags(
        self,
        artist_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["dict"],
    ) -> dict[str, Any]: ...
    @overload
    async def tags(
        self,
        artist_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: Literal["pandas"],
    ) -> DataFrame: ...
    async def tags(
        self,
        artist_id: int,
        *,
        skip: int | None = None,
        after: str | None = None,
        limit: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> Page[TagCount] | dict[str, Any] | DataFrame:
        """The tags applied to an artist with their counts, most applied first
        (`GET .../tags`)."""
        data = await self._get(
            f"/v1/artists/{path_id(artist_id)}/tags", {"skip": skip, "after": after, "limit": limit}
        )
        return format_page(data, TagCount, output_format, limit=limit)

    def iter_tags(self, artist_id: int, *, page_size: int = 500) -> AsyncPageIterator[TagCount]:
        """Every tag applied to an artist, page after page."""
        return aiterate_pages(
            lambda skip, after, limit: self.tags(artist_id, skip=skip, after=after, limit=limit),
            page_size=page_size,
        )

    @overload
    async def similar(
        self,
        artist_id: int,
        *,
        limit: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> ItemList[SimilarArtist]: ...
    @overload
    async def similar(
        self, artist_id: int, *, limit: int | None = None, output_format: Literal["dict"]
    ) -> dict[str, Any]: ...
    @overload
    async def similar(
        self, artist_id: int, *, limit: int | None = None, output_format: Literal["pandas"]
    ) -> DataFrame: ...
    async def similar(
        self,
        artist_id: int,
        *,
        limit: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> ItemList[SimilarArtist] | dict[str, Any] | DataFrame:
        """Artists whose audience overlaps this one's most (`GET .../similar`)."""
        data = await self._get(f"/v1/artists/{path_id(artist_id)}/similar", {"limit": limit})
        return format_items(data, SimilarArtist, output_format)
