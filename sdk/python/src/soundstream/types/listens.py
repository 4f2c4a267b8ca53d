"""Response model of the listen endpoints (a user's play count for an artist)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .._models import SoundStreamModel

__all__ = ["Listen"]


class Listen(SoundStreamModel):
    """How many times a user played an artist."""

    frame_columns: ClassVar[dict[str, str]] = {"weight": "plays"}

    user_id: int = Field(description="The listener's user id.")
    """The listener's user id."""

    artist_id: int = Field(description="The artist's id.")
    """The artist's id."""

    weight: int = Field(description="Play count of the user for the artist.")
    """Play count of the user for the artist."""
