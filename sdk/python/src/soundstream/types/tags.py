"""Response models of the tag endpoints."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .._models import SoundStreamModel

# Each model restates its OpenAPI schema field by field, with the field's description (a
# deliberate repetition of shape across models): pydantic validates what is declared.

__all__ = ["TagArtist", "TagDetail", "TagSummary"]


class TagSummary(SoundStreamModel):
    """A tag with how much it is used."""

    frame_columns: ClassVar[dict[str, str]] = {"id": "tag_id", "value": "tag"}

    id: int = Field(description="Tag id.")
    """Tag id."""

    value: str = Field(
        description=(
            "Tag text, exactly as stored; no two tags have the same text, compared case-"
            "insensitively."
        ),
    )
    """Tag text, exactly as stored; no two tags have the same text, compared case-insensitively."""

    usage: int = Field(
        description="Number of times the tag was applied (tag assignments), all users and artists together.",
    )
    """Number of times the tag was applied (tag assignments), all users and artists together."""

    artists: int = Field(description="Number of distinct artists the tag was applied to.")
    """Number of distinct artists the tag was applied to."""

    users: int = Field(description="Number of distinct users who applied the tag.")
    """Number of distinct users who applied the tag."""


class TagDetail(SoundStreamModel):
    """A tag with how much it is used and when it was first and last applied."""

    frame_columns: ClassVar[dict[str, str]] = {"id": "tag_id", "value": "tag"}

    frame_timestamps: ClassVar[frozenset[str]] = frozenset({"first_used", "last_used"})

    id: int = Field(description="Tag id.")
    """Tag id."""

    value: str = Field(description="Tag text, exactly as stored.")
    """Tag text, exactly as stored."""

    usage: int = Field(
        description="Number of times the tag was applied (tag assignments), all users and artists together.",
    )
    """Number of times the tag was applied (tag assignments), all users and artists together."""

    artists: int = Field(description="Number of distinct artists the tag was applied to.")
    """Number of distinct artists the tag was applied to."""

    users: int = Field(description="Number of distinct users who applied the tag.")
    """Number of distinct users who applied the tag."""

    first_used: int | None = Field(
        default=None,
        description=(
            "Timestamp (milliseconds since the Unix epoch, UTC, negative before 1970) of the "
            "earliest assignment of the tag; null when the tag was never applied."
        ),
    )
    """Timestamp (milliseconds since the Unix epoch, UTC, negative before 1970) of the
    earliest assignment of the tag; null when the tag was never applied.
    """

    last_used: int | None = Field(
        default=None,
        description=(
            "Timestamp (milliseconds since the Unix epoch, UTC) of the latest assignment of the "
            "tag; null when the tag was never applied."
        ),
    )
    """Timestamp (milliseconds since the Unix epoch, UTC) of the latest assignment of the
    tag; null when the tag was never applied.
    """


class TagArtist(SoundStreamModel):
    """An artist carrying a tag, with how many times the tag was applied to it."""

    artist_id: int = Field(description="Artist id.")
    """Artist id."""

    name: str = Field(description="Artist name, exactly as in the source data.")
    """Artist name, exactly as in the source data."""

    count: int = Field(description="Number of users who applied the tag to this artist.")
    """Number of users who applied the tag to this artist."""

    picture_url: str | None = Field(default=None, description="Picture of the artist, when known.")
    """Picture of the artist, when known."""
