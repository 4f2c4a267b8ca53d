"""Response model of the tag-assignment endpoints (who tagged which artist with what, when)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .._models import SoundStreamModel

__all__ = ["TagAssignment"]


class TagAssignment(SoundStreamModel):
    """A tag a user applied to an artist, and when."""

    frame_columns: ClassVar[dict[str, str]] = {"timestamp": "tagged_at"}

    frame_timestamps: ClassVar[frozenset[str]] = frozenset({"timestamp"})

    user_id: int = Field(description="The user who applied the tag.")
    """The user who applied the tag."""

    artist_id: int = Field(description="The artist tagged.")
    """The artist tagged."""

    tag_id: int = Field(description="The tag applied.")
    """The tag applied."""

    timestamp: int = Field(
        description=(
            "When: milliseconds since the Unix epoch, UTC (negative before 1970). For the "
            "imported data, 00:00 UTC of the assignment's day."
        ),
    )
    """When: milliseconds since the Unix epoch, UTC (negative before 1970). For the
    imported data, 00:00 UTC of the assignment's day.
    """

    day: int = Field(description="Day of month of the assignment, 1 to 31.")
    """Day of month of the assignment, 1 to 31."""

    month: int = Field(description="Month of the assignment, 1 to 12.")
    """Month of the assignment, 1 to 12."""

    year: int = Field(description="Year of the assignment.")
    """Year of the assignment."""
