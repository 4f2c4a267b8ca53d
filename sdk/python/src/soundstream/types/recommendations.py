"""Response models of the recommendation endpoint (`GET /v1/users/{user_id}/recommendations`)."""

from __future__ import annotations

from pydantic import Field

from .._models import ItemList, SoundStreamModel
from .._types import Strategy

__all__ = ["RecommendationReason", "Recommendations", "RecommendedArtist"]


class RecommendationReason(SoundStreamModel):
    """Why an artist is recommended, as data: `kind` says which of the other fields is set.

    The API's schema is a union of one shape per kind; this model flattens it, so that a kind
    added by a newer server still parses (its fields are kept as extras).
    """

    kind: str = Field(
        description=("`similar_artists`, `similar_listeners`, `friends`, `tags` or `popular`.")
    )
    """`similar_artists`, `similar_listeners`, `friends`, `tags` or `popular`."""

    artist_ids: list[int] | None = Field(
        default=None,
        description=(
            "For `similar_artists`: artists the user plays that share listeners with this one, "
            "most similar first (at most three)."
        ),
    )
    """For `similar_artists`: artists the user plays that share listeners with this one, most
    similar first (at most three).
    """

    user_ids: list[int] | None = Field(
        default=None,
        description="For `friends`: friends of the user who play it, closest taste first.",
    )
    """For `friends`: friends of the user who play it, closest taste first."""

    tag_ids: list[int] | None = Field(
        default=None,
        description=(
            "For `tags`: tags of the user's profile it carries, strongest match first (at most "
            "three)."
        ),
    )
    """For `tags`: tags of the user's profile it carries, strongest match first (at most
    three).
    """

    listeners: int | None = Field(
        default=None, description="For `popular`: its number of listeners."
    )
    """For `popular`: its number of listeners."""


class RecommendedArtist(SoundStreamModel):
    """One recommended artist."""

    artist_id: int = Field(description="Artist id.")
    """Artist id."""

    name: str = Field(description="Artist name.")
    """Artist name."""

    score: float = Field(
        description="Score under the strategy: higher is better, comparable within one list only."
    )
    """Score under the strategy: higher is better, comparable within one list only."""

    explanation: str = Field(
        description=(
            'Why, in words: "because you listen to Placebo and Muse; 4 of your friends play this".'
        )
    )
    """Why, in words: "because you listen to Placebo and Muse; 4 of your friends play this"."""

    reasons: list[RecommendationReason] = Field(
        description="Why, as data, the strongest reason first."
    )
    """Why, as data, the strongest reason first."""

    picture_url: str | None = Field(default=None, description="Picture of the artist, when known.")
    """Picture of the artist, when known."""

    url: str | None = Field(default=None, description="Last.fm page of the artist, when known.")
    """Last.fm page of the artist, when known."""


class Recommendations(ItemList[RecommendedArtist]):
    """Artists recommended to a user. Iterating over it yields the recommended artists."""

    user_id: int = Field(description="The user.")
    """The user."""

    strategy: Strategy = Field(
        description="The strategy used: `hybrid`, `collaborative`, `social`, `tags` or `popular`."
    )
    """The strategy used: `hybrid`, `collaborative`, `social`, `tags` or `popular`."""

    model_version: int = Field(
        description="Version of the model that answered (it increases with each retraining)."
    )
    """Version of the model that answered (it increases with each retraining)."""

    model: str | None = Field(
        default=None,
        description="Which model answered: `hybrid` (the trained recommender, under `strategy`) "
        "or `fallback-popular` (popular artists within the user's tags, before the first model "
        "is trained). `None` from servers older than this field.",
    )
    """Which model answered: `hybrid` (the trained recommender, under `strategy`) or
    `fallback-popular` (popular artists within the user's tags, before the first model is
    trained). `None` from servers older than this field."""

    folded_in: bool = Field(
        default=False,
        description="The user's listens changed since the model was trained, and were folded "
        "in: the list already reflects them.",
    )
    """The user's listens changed since the model was trained, and were folded in: the list
    already reflects them."""

    discovery: float | None = Field(
        default=None,
        description="The discovery used, 0 to 1, when the request set one.",
    )
    """The discovery used, 0 to 1, when the request set one."""

    items: list[RecommendedArtist] = Field(
        description=(
            "The recommended artists, best first; never one the user already listens to or has "
            "tagged."
        )
    )
    """The recommended artists, best first; never one the user already listens to or has
    tagged."""
