"""Shared type aliases: the enumerations of query parameters, the output formats, and the
`NOT_GIVEN` sentinel that tells "leave this field as it is" apart from `None` ("clear it")."""

from __future__ import annotations

from typing import Literal, TypedDict, final

from typing_extensions import override

__all__ = [
    "NOT_GIVEN",
    "ArtistRanking",
    "ArtistSort",
    "ExportFormat",
    "ExportReadFormat",
    "ExportTable",
    "Granularity",
    "NotGiven",
    "OutputFormat",
    "Paging",
    "SearchSort",
    "SortOrder",
    "Strategy",
    "TagSort",
    "UserRanking",
    "UserSort",
]

OutputFormat = Literal["pydantic", "dict", "pandas"]
"""Deprecated with the `output_format=` keyword it typed (removed in 0.4): results are typed
models with `.to_pandas()`, `.to_dict()` and `.to_dicts()`."""


class Paging(TypedDict, total=False):
    """Which page of a list to get: the keyword arguments every paginated list call takes
    (`client.artists.list(limit=100, after=page.next)`)."""

    skip: int | None
    """Items to skip (default 0)."""
    after: str | None
    """Start after this cursor: the `next` of the previous page (instead of `skip`); a
    cursor costs the same at any depth."""
    limit: int | None
    """Page size, 1 to 500 (default 50)."""


SortOrder = Literal["asc", "desc"]
"""Which way a list is sorted."""

ArtistSort = Literal["id", "name", "listeners", "plays"]
"""What `artists.list` sorts by."""

UserSort = Literal["id", "plays", "artists", "friends", "tags"]
"""What `users.list` sorts by."""

TagSort = Literal["id", "value", "usage"]
"""What `tags.list` sorts by."""

SearchSort = Literal["relevance", "listeners", "plays", "name", "id"]
"""What `search.artists` sorts by."""

ArtistRanking = Literal["plays", "listeners"]
"""What `analytics.top_artists` ranks by."""

UserRanking = Literal["plays", "artists", "tags", "friends"]
"""What `analytics.active_users` ranks by."""

Granularity = Literal["year", "month"]
"""The period of `analytics.tag_trends`."""

ExportTable = Literal["artists", "users", "tags", "listens", "tag_assignments", "friendships"]
"""The tables `client.exports` serves whole (`GET /v1/exports/{table}`)."""

ExportFormat = Literal["parquet", "arrow", "csv"]
"""The file formats of an export: Parquet, an Arrow IPC stream, or CSV (UTF-8)."""

ExportReadFormat = Literal["arrow", "parquet"]
"""The formats `exports.to_arrow` / `to_pandas` read back with their types (CSV has none)."""

Strategy = Literal["hybrid", "collaborative", "social", "tags", "popular"]
"""The recommender strategy of `recommendations.for_user`."""


@final
class NotGiven:
    """The type of `NOT_GIVEN`: an argument the caller did not pass.

    PATCH-like methods need it because `None` is a meaningful value there (it clears a URL),
    so "not passed" cannot be spelled `None`.
    """

    def __bool__(self) -> bool:
        return False

    @override
    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()
"""Sentinel default: the field is left out of the request."""
