"""Response models of the user endpoints: users, what they listen to, who resembles them."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .._models import SoundStreamModel

# Each model restates its OpenAPI schema field by field, with the field's description (a
# deliberate repetition of shape across models): pydantic validates what is declared.

__all__ = ["SimilarUser", "UserArtist", "UserSummary"]


class UserSummary(SoundStreamModel):
    """A user with their activity."""

    frame_columns: ClassVar[dict[str, str]] = {"id": "user_id"}

    id: int = Field(description="User id.")
    """User id."""

    artists: int = Field(description="Number of artists the user listens to.")
    """Number of artists the user listens to."""

    plays: int = Field(description="Total play count of the user over all their artists.")
    """Total play count of the user over all their artists."""

    tags_applied: int = Field(
        description="Number of tag assignments the user made (one per tag applied to an artist).",
    )
    """Number of tag assignments the user made (one per tag applied to an artist)."""

    friends: int = Field(description="Number of friends of the user.")
    """Number of friends of the user."""


class UserArtist(SoundStreamModel):
    """An artist a user listens to, with how much."""

    frame_columns: ClassVar[dict[str, str]] = {"weight": "plays"}

    artist_id: int = Field(description="Artist id.")
    """Artist id."""

    name: str = Field(description="Artist name, exactly as in the source data.")
    """Artist name, exactly as in the source data."""

    weight: int = Field(description="The user's play count for the artist.")
    """The user's play count for the artist."""

    picture_url: str | None = Field(default=None, description="Picture of the artist, when known.")
    """Picture of the artist, when known."""


class SimilarUser(SoundStreamModel):
    """A user whose taste overlaps another user's, with the strength of the overlap."""

    user_id: int = Field(description="The similar user's id.")
    """The similar user's id."""

    shared_artists: int = Field(description="Number of artists both users listen to.")
    """Number of artists both users listen to."""

    score: float = Field(
        description="Similarity in [0, 1]: cosine of the two users' artist sets, shared / sqrt(|A| * |B|).",
    )
    """Similarity in [0, 1]: cosine of the two users' artist sets, shared / sqrt(|A| * |B|)."""
