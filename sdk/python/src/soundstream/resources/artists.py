"""`client.artists`: the artist catalogue (`/v1/artists`), with audiences, tags and similar
artists."""

from __future__ import annotations

from typing_extensions import Unpack

from .._models import ItemList, Page
from .._types import NOT_GIVEN, ArtistSort, NotGiven, Paging, SortOrder
from ..types.artists import ArtistDetail, ArtistSummary, Listener, SimilarArtist, TagCount
from ._base import AsyncAPIResource, SyncAPIResource
from ._endpoint import Call, Walk, endpoint, paginated, walk
from ._util import patch_body, path_id

__all__ = ["ArtistCalls", "Artists", "AsyncArtists"]


class ArtistCalls:
    """The artist catalogue: `/v1/artists` and `/v1/artists/{artist_id}/...` (each method
    written once for `Artists` and `AsyncArtists`)."""

    @endpoint(output_format=True)
    def list(
        self,
        *,
        name: str | None = None,
        sort: ArtistSort | None = None,
        order: SortOrder | None = None,
        **paging: Unpack[Paging],
    ) -> Call[Page[ArtistSummary]]:
        """One page of artists (`GET /v1/artists`): a `Page[ArtistSummary]`.

        Args:
            name: Only artists whose name contains this text, case-insensitively.
            sort: Sort key: `id` (default), `name`, `listeners` or `plays`.
            order: `asc` or `desc` (default `asc` for `id` and `name`, `desc` otherwise).
            **paging: `skip`, `after` (a cursor) and `limit` (see `Paging`).
        """
        params = {"name": name, "sort": sort, "order": order}
        return Call.read_page("/v1/artists", ArtistSummary, paging, params)

    @paginated
    def iter(
        self,
        *,
        name: str | None = None,
        sort: ArtistSort | None = None,
        order: SortOrder | None = None,
        page_size: int = 500,
    ) -> Walk[ArtistSummary]:
        """Every artist matching the filters, page after page (`GET /v1/artists`)."""
        return walk(ArtistCalls.list, self, page_size, name=name, sort=sort, order=order)

    @endpoint()
    def get(self, artist_id: int) -> Call[ArtistDetail]:
        """One artist with listeners, total plays and top tags (`GET /v1/artists/{id}`)."""
        return Call.read(f"/v1/artists/{path_id(artist_id)}", ArtistDetail)

    @endpoint()
    def create(
        self,
        *,
        name: str,
        id: int | None = None,
        url: str | None = None,
        picture_url: str | None = None,
    ) -> Call[ArtistDetail]:
        """Create an artist (`POST /v1/artists`; needs a write key; never retried).

        Args:
            name: Artist name (1 to 500 characters).
            id: Id for the artist; the next free id when omitted.
            url: Last.fm page of the artist (an http or https URL).
            picture_url: Picture of the artist (an http or https URL).
        """
        body = {"name": name, "id": id, "url": url, "picture_url": picture_url}
        body = {key: value for key, value in body.items() if value is not None}
        return Call.write("POST", "/v1/artists", body, ArtistDetail)

    @endpoint()
    def update(
        self,
        artist_id: int,
        *,
        name: str | NotGiven = NOT_GIVEN,
        url: str | NotGiven | None = NOT_GIVEN,
        picture_url: str | NotGiven | None = NOT_GIVEN,
    ) -> Call[ArtistDetail]:
        """Change some fields of an artist (`PATCH /v1/artists/{id}`; never retried).

        Fields not passed stay as they are; `url=None` or `picture_url=None` clears them.
        """
        body = patch_body(name=name, url=url, picture_url=picture_url)
        return Call.write("PATCH", f"/v1/artists/{path_id(artist_id)}", body, ArtistDetail)

    @endpoint()
    def replace(
        self,
        artist_id: int,
        *,
        name: str,
        url: str | None = None,
        picture_url: str | None = None,
    ) -> Call[ArtistDetail]:
        """Replace every field of an artist (`PUT /v1/artists/{id}`): omitted URLs are cleared."""
        body = {"name": name, "url": url, "picture_url": picture_url}
        return Call.write("PUT", f"/v1/artists/{path_id(artist_id)}", body, ArtistDetail)

    @endpoint()
    def delete(self, artist_id: int) -> Call[None]:
        """Delete an artist with its listens and tag assignments (`DELETE /v1/artists/{id}`)."""
        return Call.remove(f"/v1/artists/{path_id(artist_id)}")

    @endpoint(output_format=True)
    def listeners(self, artist_id: int, **paging: Unpack[Paging]) -> Call[Page[Listener]]:
        """The users who listen to an artist, most plays first (`GET .../listeners`)."""
        return Call.read_page(f"/v1/artists/{path_id(artist_id)}/listeners", Listener, paging)

    @paginated
    def iter_listeners(self, artist_id: int, *, page_size: int = 500) -> Walk[Listener]:
        """Every listener of an artist, page after page."""
        return walk(ArtistCalls.listeners, self, page_size, artist_id=artist_id)

    @endpoint(output_format=True)
    def tags(self, artist_id: int, **paging: Unpack[Paging]) -> Call[Page[TagCount]]:
        """The tags applied to an artist with their counts, most applied first
        (`GET .../tags`)."""
        return Call.read_page(f"/v1/artists/{path_id(artist_id)}/tags", TagCount, paging)

    @paginated
    def iter_tags(self, artist_id: int, *, page_size: int = 500) -> Walk[TagCount]:
        """Every tag applied to an artist, page after page."""
        return walk(ArtistCalls.tags, self, page_size, artist_id=artist_id)

    @endpoint(output_format=True)
    def similar(self, artist_id: int, *, limit: int | None = None) -> Call[ItemList[SimilarArtist]]:
        """Artists whose audience overlaps this one's most (`GET .../similar`).

        Args:
            limit: How many, 1 to 100 (default 10).
        """
        path = f"/v1/artists/{path_id(artist_id)}/similar"
        return Call.read_items(path, SimilarArtist, {"limit": limit})


class Artists(SyncAPIResource, ArtistCalls):
    """The artist catalogue (blocking): see `ArtistCalls` for the methods."""


class AsyncArtists(AsyncAPIResource, ArtistCalls):
    """The artist catalogue (asyncio): the methods of `Artists`, awaited."""
