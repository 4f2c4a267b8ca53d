"""Response model of the friendship endpoints (the social graph's edges)."""

from __future__ import annotations

from pydantic import Field

from .._models import SoundStreamModel

__all__ = ["Friendship"]


class Friendship(SoundStreamModel):
    """A friendship between two users. It is mutual: the friend also has the user as a friend."""

    user_id: int = Field(description="One of the two users.")
    """One of the two users."""

    friend_id: int = Field(description="The other user.")
    """The other user."""
