"""Response model of the listen endpoints (a user's play count for an artist)."""

from __future__ import annotations

from pydantic import Field

from .._models import SoundStreamModel

__all__ = ["Listen"]


class Listen(SoundStreamModel):
    """How many times a user played an artist."""

    user_id: int = Field(description="The listener's user id.")
    """The listener's user id."""

    artist_id: int = Field(description="The artist's id.")
    """The artist's id."""

    weight: int = Field(description="Play count of the user for the artist.")
    """Play count of the user for the artist."""
