"""`client.tag_assignments`: who tagged which artist with what, and when
(`/v1/tag-assignments`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from typing_extensions import Unpack

from .._models import Page
from .._types import Paging
from ..types.tag_assignments import TagAssignment
from ._base import AsyncAPIResource, SyncAPIResource
from ._endpoint import Call, Walk, endpoint, paginated, walk
from ._util import path_id

__all__ = ["AsyncTagAssignments", "TagAssignmentCalls", "TagAssignments"]


def _timestamp_ms(timestamp: int | dt.datetime) -> int:
    """Milliseconds since the Unix epoch; a naive datetime is taken as UTC."""
    if isinstance(timestamp, dt.datetime):
        if timestamp.tzinfo is None:
            timestamp = timestamp.replace(tzinfo=dt.timezone.utc)
        return round(timestamp.timestamp() * 1000)
    return timestamp


def _new_assignment(
    user_id: int,
    artist_id: int,
    tag_id: int,
    timestamp: int | dt.datetime,
    day: int | None,
    month: int | None,
    year: int | None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "user_id": user_id,
        "artist_id": artist_id,
        "tag_id": tag_id,
        "timestamp": _timestamp_ms(timestamp),
    }
    for key, value in (("day", day), ("month", month), ("year", year)):
        if value is not None:
            body[key] = value
    return body


def _path(user_id: int, artist_id: int, tag_id: int) -> str:
    return f"/v1/tag-assignments/{path_id(user_id)}/{path_id(artist_id)}/{path_id(tag_id)}"


class TagAssignmentCalls:
    """Tag assignments: `/v1/tag-assignments` (each method written once for `TagAssignments`
    and `AsyncTagAssignments`)."""

    @endpoint(output_format=True)
    def list(
        self,
        *,
        user_id: int | None = None,
        artist_id: int | None = None,
        tag_id: int | None = None,
        from_date: dt.date | str | None = None,
        to_date: dt.date | str | None = None,
        **paging: Unpack[Paging],
    ) -> Call[Page[TagAssignment]]:
        """One page of tag assignments, earliest first (then by user, artist and tag)
        (`GET /v1/tag-assignments`): a `Page[TagAssignment]`.

        Args:
            user_id: Only assignments by this user.
            artist_id: Only assignments to this artist.
            tag_id: Only assignments of this tag.
            from_date: Only assignments on or after this day (a date or `YYYY-MM-DD`, UTC);
                the API's `from` parameter.
            to_date: Only assignments on or before this day (the whole day included); the
                API's `to` parameter.
            **paging: `skip`, `after` (a cursor) and `limit` (see `Paging`).
        """
        params = {
            "user_id": user_id,
            "artist_id": artist_id,
            "tag_id": tag_id,
            "from": from_date,
            "to": to_date,
        }
        return Call.read_page("/v1/tag-assignments", TagAssignment, paging, params)

    # The filters of `list` again, spelled out rather than taken as **kwargs (a deliberate
    # repetition): editors and type checkers then show and check each of them.
    @paginated
    def iter(
        self,
        *,
        user_id: int | None = None,
        artist_id: int | None = None,
        tag_id: int | None = None,
        from_date: dt.date | str | None = None,
        to_date: dt.date | str | None = None,
        page_size: int = 500,
    ) -> Walk[TagAssignment]:
        """Every tag assignment matching the filters, page after page."""
        filters = {"user_id": user_id, "artist_id": artist_id, "tag_id": tag_id}
        dates = {"from_date": from_date, "to_date": to_date}
        return walk(TagAssignmentCalls.list, self, page_size, **filters, **dates)

    @endpoint()
    def get(self, user_id: int, artist_id: int, tag_id: int) -> Call[TagAssignment]:
        """One tag assignment (`GET /v1/tag-assignments/{user_id}/{artist_id}/{tag_id}`)."""
        return Call.read(_path(user_id, artist_id, tag_id), TagAssignment)

    @endpoint()
    def create(
        self,
        *,
        user_id: int,
        artist_id: int,
        tag_id: int,
        timestamp: int | dt.datetime,
        day: int | None = None,
        month: int | None = None,
        year: int | None = None,
    ) -> Call[TagAssignment]:
        """Record that a user applied a tag to an artist (`POST /v1/tag-assignments`; needs a
        write key; never retried).

        Args:
            user_id: The user applying the tag (must exist).
            artist_id: The artist tagged (must exist).
            tag_id: The tag applied (must exist).
            timestamp: When: milliseconds since the Unix epoch, or a `datetime` (naive = UTC).
            day: Day of month, 1 to 31; give day, month and year together, or none of them:
                then they are the UTC date of `timestamp`.
            month: Month, 1 to 12 (with `day` and `year`).
            year: Year (with `day` and `month`).
        """
        body = _new_assignment(user_id, artist_id, tag_id, timestamp, day, month, year)
        return Call.write("POST", "/v1/tag-assignments", body, TagAssignment)

    @endpoint()
    def delete(self, user_id: int, artist_id: int, tag_id: int) -> Call[None]:
        """Delete a tag assignment (`DELETE /v1/tag-assignments/{user_id}/{artist_id}/{tag_id}`)."""
        return Call.remove(_path(user_id, artist_id, tag_id))


class TagAssignments(SyncAPIResource, TagAssignmentCalls):
    """Tag assignments (blocking): see `TagAssignmentCalls` for the methods."""


class AsyncTagAssignments(AsyncAPIResource, TagAssignmentCalls):
    """Tag assignments (asyncio): the methods of `TagAssignments`, awaited."""
