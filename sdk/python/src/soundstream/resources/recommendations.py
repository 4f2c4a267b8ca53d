"""`client.recommendations`: artists recommended to a user
(`/v1/users/{user_id}/recommendations`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, overload

from .._output import format_list
from .._types import OutputFormat, Strategy
from ..types import recommendations as types
from ._base import AsyncAPIResource, SyncAPIResource
from ._util import path_id

if TYPE_CHECKING:
    from pandas import DataFrame

__all__ = ["AsyncRecommendations", "Recommendations"]


class Recommendations(SyncAPIResource):
    """Recommendations from the SoundStream recommender."""

    @overload
    def for_user(
        self,
        user_id: int,
        *,
        limit: int = 10,
        strategy: Strategy = "hybrid",
        discovery: float | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> types.Recommendations: ...
    @overload
    def for_user(
        self,
        user_id: int,
        *,
        limit: int = 10,
        strategy: Strategy = "hybrid",
        discovery: float | None = None,
        output_format: Literal["dict"],
    ) -> dict[str, Any]: ...
    @overload
    def for_user(
        self,
        user_id: int,
        *,
        limit: int = 10,
        strategy: Strategy = "hybrid",
        discovery: float | None = None,
        output_format: Literal["pandas"],
    ) -> DataFrame: ...
    def for_user(
        self,
        user_id: int,
        *,
        limit: int = 10,
        strategy: Strategy = "hybrid",
        discovery: float | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> types.Recommendations | dict[str, Any] | DataFrame:
        """Artists recommended to a user, best first, never one they already listen to, each
        with a score, an explanation in words and its reasons as data
        (`GET /v1/users/{id}/recommendations`). While the server trains its first model it
        answers 503, which is retried like any 5xx of a GET.

        Args:
            limit: How many artists, 1 to 100 (default 10).
            strategy: `hybrid` (default: the blend), `collaborative` (listeners with similar
                taste), `social` (friends), `tags` (the user's tag profile) or `popular`.
            discovery: 0 to 1, trades accuracy for the long tail (scores divided by
                `(1 + listeners) ** discovery`); unset, the tuned calibration.
        """
        data = self._get(
            f"/v1/users/{path_id(user_id)}/recommendations",
            {"limit": limit, "strategy": strategy, "discovery": discovery},
        )
        return format_list(data, types.Recommendations, output_format)


class AsyncRecommendations(AsyncAPIResource):
    """Recommendations from the SoundStream recommender."""

    @overload
    async def for_user(
        self,
        user_id: int,
        *,
        limit: int = 10,
        strategy: Strategy = "hybrid",
        discovery: float | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> types.Recommendations: ...
    @overload
    async def for_user(
        self,
        user_id: int,
        *,
        limit: int = 10,
        strategy: Strategy = "hybrid",
        discovery: float | None = None,
        output_format: Literal["dict"],
    ) -> dict[str, Any]: ...
    @overload
    async def for_user(
        self,
        user_id: int,
        *,
        limit: int = 10,
        strategy: Strategy = "hybrid",
        discovery: float | None = None,
        output_format: Literal["pandas"],
    ) -> DataFrame: ...
    async def for_user(
        self,
        user_id: int,
        *,
        limit: int = 10,
        strategy: Strategy = "hybrid",
        discovery: float | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> types.Recommendations | dict[str, Any] | DataFrame:
        """Artists recommended to a user, best first, never one they already listen to, each
        with a score, an explanation in words and its reasons as data
        (`GET /v1/users/{id}/recommendations`). While the server trains its first model it
        answers 503, which is retried like any 5xx of a GET.

        Args:
            limit: How many artists, 1 to 100 (default 10).
            strategy: `hybrid` (default: the blend), `collaborative` (listeners with similar
                taste), `social` (friends), `tags` (the user's tag profile) or `popular`.
            discovery: 0 to 1, trades accuracy for the long tail (scores divided by
                `(1 + listeners) ** discovery`); unset, the tuned calibration.
        """
        data = await self._get(
            f"/v1/users/{path_id(user_id)}/recommendations",
            {"limit": limit, "strategy": strategy, "discovery": discovery},
        )
        return format_list(data, types.Recommendations, output_format)
