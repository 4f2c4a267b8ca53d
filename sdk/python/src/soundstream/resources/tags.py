"""`client.tags`: the free-text tags applied to artists (`/v1/tags`)."""

from __future__ import annotations

from typing_extensions import Unpack

from .._models import Page
from .._types import Paging, SortOrder, TagSort
from ..types.tags import TagArtist, TagDetail, TagSummary
from ._base import AsyncAPIResource, SyncAPIResource
from ._endpoint import Call, Walk, endpoint, paginated, walk
from ._util import path_id

__all__ = ["AsyncTags", "TagCalls", "Tags"]


class TagCalls:
    """Tags with their usage: `/v1/tags` and `/v1/tags/{tag_id}/...` (each method written once
    for `Tags` and `AsyncTags`)."""

    @endpoint(output_format=True)
    def list(
        self,
        *,
        value: str | None = None,
        sort: TagSort | None = None,
        order: SortOrder | None = None,
        **paging: Unpack[Paging],
    ) -> Call[Page[TagSummary]]:
        """One page of tags with their usage (`GET /v1/tags`): a `Page[TagSummary]`.

        Args:
            value: Only tags whose text contains this text, case-insensitively.
            sort: `id` (default), `value` or `usage`.
            order: `asc` or `desc` (default `asc` for `id` and `value`, `desc` for `usage`).
            **paging: `skip`, `after` (a cursor) and `limit` (see `Paging`).
        """
        params = {"value": value, "sort": sort, "order": order}
        return Call.read_page("/v1/tags", TagSummary, paging, params)

    @paginated
    def iter(
        self,
        *,
        value: str | None = None,
        sort: TagSort | None = None,
        order: SortOrder | None = None,
        page_size: int = 500,
    ) -> Walk[TagSummary]:
        """Every tag matching the filter, page after page (`GET /v1/tags`)."""
        return walk(TagCalls.list, self, page_size, value=value, sort=sort, order=order)

    @endpoint()
    def get(self, tag_id: int) -> Call[TagDetail]:
        """One tag with its usage and when it was first and last applied
        (`GET /v1/tags/{id}`)."""
        return Call.read(f"/v1/tags/{path_id(tag_id)}", TagDetail)

    @endpoint()
    def create(self, *, value: str) -> Call[TagSummary]:
        """Create a tag, or get the one that already has this text, compared case-insensitively
        (`POST /v1/tags`; needs a write key; never retried, though the API makes it idempotent).

        Args:
            value: Tag text (1 to 500 characters, no commas, no spaces at either end).
        """
        return Call.write("POST", "/v1/tags", {"value": value}, TagSummary)

    @endpoint()
    def rename(self, tag_id: int, *, value: str) -> Call[TagDetail]:
        """Change a tag's text (`PATCH /v1/tags/{id}`); `ConflictError` when another tag has
        it, compared case-insensitively."""
        return Call.write("PATCH", f"/v1/tags/{path_id(tag_id)}", {"value": value}, TagDetail)

    @endpoint()
    def delete(self, tag_id: int) -> Call[None]:
        """Delete a tag with every assignment of it (`DELETE /v1/tags/{id}`)."""
        return Call.remove(f"/v1/tags/{path_id(tag_id)}")

    @endpoint(output_format=True)
    def artists(self, tag_id: int, **paging: Unpack[Paging]) -> Call[Page[TagArtist]]:
        """The artists a tag was applied to, most often tagged first
        (`GET /v1/tags/{id}/artists`)."""
        return Call.read_page(f"/v1/tags/{path_id(tag_id)}/artists", TagArtist, paging)

    @paginated
    def iter_artists(self, tag_id: int, *, page_size: int = 500) -> Walk[TagArtist]:
        """Every artist a tag was applied to, page after page."""
        return walk(TagCalls.artists, self, page_size, tag_id=tag_id)


class Tags(SyncAPIResource, TagCalls):
    """Tags (blocking): see `TagCalls` for the methods."""


class AsyncTags(AsyncAPIResource, TagCalls):
    """Tags (asyncio): the methods of `Tags`, awaited."""
