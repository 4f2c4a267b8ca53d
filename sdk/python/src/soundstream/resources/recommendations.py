"""`client.recommendations`: artists recommended to a user
(`/v1/users/{user_id}/recommendations`)."""

from __future__ import annotations

from .._types import Strategy
from ..types import recommendations as types
from ._base import AsyncAPIResource, SyncAPIResource
from ._endpoint import Call, endpoint
from ._util import path_id

__all__ = ["AsyncRecommendations", "RecommendationCalls", "Recommendations"]


class RecommendationCalls:
    """Recommendations from the SoundStream recommender (each method written once for
    `Recommendations` and `AsyncRecommendations`)."""

    @endpoint(output_format=True)
    def for_user(
        self,
        user_id: int,
        *,
        limit: int = 10,
        strategy: Strategy = "hybrid",
        discovery: float | None = None,
    ) -> Call[types.Recommendations]:
        """Artists recommended to a user, best first, never one they already listen to or have
        tagged, each with a score, an explanation in words and its reasons as data
        (`GET /v1/users/{id}/recommendations`): a `Recommendations` list (`.to_pandas()`: one
        row per artist). While the server trains its first model it answers 503, which is
        retried like any 5xx of a GET.

        Args:
            limit: How many artists, 1 to 100 (default 10).
            strategy: `hybrid` (default: the blend), `collaborative` (listeners with similar
                taste), `social` (friends), `tags` (the user's tag profile) or `popular`.
            discovery: 0 to 1, trades accuracy for the long tail (scores divided by
                `(1 + listeners) ** discovery`); unset, the tuned calibration.
        """
        params = {"limit": limit, "strategy": strategy, "discovery": discovery}
        return Call.read(
            f"/v1/users/{path_id(user_id)}/recommendations", types.Recommendations, params
        )


class Recommendations(SyncAPIResource, RecommendationCalls):
    """Recommendations (blocking): see `RecommendationCalls` for the methods."""


class AsyncRecommendations(AsyncAPIResource, RecommendationCalls):
    """Recommendations (asyncio): the methods of `Recommendations`, awaited."""
