"""`client.search`: granular artist search for curators (`/v1/search/artists`)."""

from __future__ import annotations

from collections.abc import Sequence

from typing_extensions import Unpack

from .._models import Page
from .._types import Paging, SearchSort, SortOrder
from ..types.artists import ArtistHit
from ._base import AsyncAPIResource, SyncAPIResource
from ._endpoint import Call, Walk, endpoint, paginated, walk
from ._util import tag_list

__all__ = ["AsyncSearch", "Search", "SearchCalls"]


class SearchCalls:
    """Search: `/v1/search/artists` (each method written once for `Search` and
    `AsyncSearch`)."""

    @endpoint(output_format=True)
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
        **paging: Unpack[Paging],
    ) -> Call[Page[ArtistHit]]:
        """Search artists by tags (all of / any of), popularity range and name
        (`GET /v1/search/artists`): a `Page[ArtistHit]`. Unknown tags are a `ValidationError`.

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
            **paging: `skip`, `after` (a cursor) and `limit` (see `Paging`).
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
        }
        return Call.read_page("/v1/search/artists", ArtistHit, paging, params)

    # The filters of `artists` again, spelled out rather than taken as **kwargs (a deliberate
    # repetition): editors and type checkers then show and check each of them.
    @paginated
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
    ) -> Walk[ArtistHit]:
        """Every artist the search finds, page after page."""
        filters = {
            "tags_all": tags_all,
            "tags_any": tags_any,
            "name": name,
            "min_listeners": min_listeners,
            "max_listeners": max_listeners,
            "min_plays": min_plays,
            "max_plays": max_plays,
            "sort": sort,
            "order": order,
        }
        return walk(SearchCalls.artists, self, page_size, **filters)


class Search(SyncAPIResource, SearchCalls):
    """Search (blocking): see `SearchCalls` for the methods."""


class AsyncSearch(AsyncAPIResource, SearchCalls):
    """Search (asyncio): the methods of `Search`, awaited."""
