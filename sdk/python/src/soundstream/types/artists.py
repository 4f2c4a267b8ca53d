"""Response models of the artist endpoints: the catalogue, audiences, tags and neighbours."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .._models import SoundStreamModel

# Each model restates its OpenAPI schema field by field, with the field's description (a
# deliberate repetition of shape across models): pydantic validates what is declared.

__all__ = ["ArtistDetail", "ArtistHit", "ArtistSummary", "Listener", "SimilarArtist", "TagCount"]


class TagCount(SoundStreamModel):
    """A tag with how many times it was applied in some scope (an artist, a user...)."""

    frame_columns: ClassVar[dict[str, str]] = {"value": "tag"}

    tag_id: int = Field(description="Tag id.")
    """Tag id."""

    value: str = Field(description="Tag text.")
    """Tag text."""

    count: int = Field(description="Number of times the tag was applied in this scope.")
    """Number of times the tag was applied in this scope."""


class ArtistSummary(SoundStreamModel):
    """An artist with its audience."""

    frame_columns: ClassVar[dict[str, str]] = {"id": "artist_id"}

    id: int = Field(description="Artist id.")
    """Artist id."""

    name: str = Field(description="Artist name, exactly as in the source data.")
    """Artist name, exactly as in the source data."""

    listeners: int = Field(description="Number of users who listen to the artist.")
    """Number of users who listen to the artist."""

    plays: int = Field(description="Total play count of the artist over all users.")
    """Total play count of the artist over all users."""

    picture_url: str | None = Field(default=None, description="Picture of the artist, when known.")
    """Picture of the artist, when known."""

    url: str | None = Field(default=None, description="Last.fm page of the artist, when known.")
    """Last.fm page of the artist, when known."""


class ArtistDetail(SoundStreamModel):
    """An artist with its audience and its most applied tags."""

    frame_columns: ClassVar[dict[str, str]] = {"id": "artist_id"}

    id: int = Field(description="Artist id.")
    """Artist id."""

    name: str = Field(description="Artist name, exactly as in the source data.")
    """Artist name, exactly as in the source data."""

    listeners: int = Field(description="Number of users who listen to the artist.")
    """Number of users who listen to the artist."""

    plays: int = Field(description="Total play count of the artist over all users.")
    """Total play count of the artist over all users."""

    top_tags: list[TagCount] = Field(
        description="The tags applied most often to the artist (at most 10), most applied first.",
    )
    """The tags applied most often to the artist (at most 10), most applied first."""

    picture_url: str | None = Field(default=None, description="Picture of the artist, when known.")
    """Picture of the artist, when known."""

    url: str | None = Field(default=None, description="Last.fm page of the artist, when known.")
    """Last.fm page of the artist, when known."""


class ArtistHit(SoundStreamModel):
    """An artist found by a search, with how strongly it carries the requested tags."""

    frame_columns: ClassVar[dict[str, str]] = {"id": "artist_id"}

    id: int = Field(description="Artist id.")
    """Artist id."""

    name: str = Field(description="Artist name.")
    """Artist name."""

    listeners: int = Field(description="Number of users who listen to the artist.")
    """Number of users who listen to the artist."""

    plays: int = Field(description="Total play count of the artist.")
    """Total play count of the artist."""

    tag_score: int = Field(
        description=(
            "How many times the requested tags were applied to this artist, all users together (0"
            " when the search names no tag). The `relevance` sort uses it."
        ),
    )
    """How many times the requested tags were applied to this artist, all users together
    (0 when the search names no tag). The `relevance` sort uses it.
    """

    picture_url: str | None = Field(default=None, description="Picture of the artist, when known.")
    """Picture of the artist, when known."""

    url: str | None = Field(default=None, description="Last.fm page of the artist, when known.")
    """Last.fm page of the artist, when known."""


class Listener(SoundStreamModel):
    """A user who listens to an artist, with how much."""

    frame_columns: ClassVar[dict[str, str]] = {"weight": "plays"}

    user_id: int = Field(description="The listener's user id.")
    """The listener's user id."""

    weight: int = Field(description="The listener's play count for the artist.")
    """The listener's play count for the artist."""


class SimilarArtist(SoundStreamModel):
    """An artist related to another one, with the strength of the relation."""

    frame_columns: ClassVar[dict[str, str]] = {"id": "artist_id"}

    id: int = Field(description="Artist id.")
    """Artist id."""

    name: str = Field(description="Artist name.")
    """Artist name."""

    score: float = Field(
        description=(
            "Similarity under the served recommender's item-to-item model, higher is more "
            "similar (for an artist newer than the model: the cosine of the two listener sets, "
            "in [0, 1])."
        ),
    )
    """Similarity under the served recommender's item-to-item model, higher is more similar
    (for an artist newer than the model: the cosine of the two listener sets, in [0, 1]).
    """

    shared_listeners: int = Field(description="Number of users who listen to both artists.")
    """Number of users who listen to both artists."""

    picture_url: str | None = Field(default=None, description="Picture of the artist, when known.")
    """Picture of the artist, when known."""
