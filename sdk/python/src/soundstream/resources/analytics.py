"""`client.analytics`: aggregates over the whole dataset (`/v1/analytics/*`): the summary,
rankings, the long tail of listening, tag trends and clouds, and the social graph."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, overload

from .._models import ItemList
from .._output import format_items, format_result
from .._types import ArtistRanking, Granularity, OutputFormat, UserRanking
from ..types.analytics import (
    DatasetSummary,
    ListeningDistribution,
    SocialGraph,
    TagCloudEntry,
    TagTrendPoint,
    TagUsage,
    UserActivity,
)
from ..types.artists import ArtistSummary
from ._base import AsyncAPIResource, SyncAPIResource
from ._util import tag_list

if TYPE_CHECKING:
    from pandas import DataFrame

__all__ = ["Analytics", "AsyncAnalytics"]


class Analytics(SyncAPIResource):
    """Analytics: `/v1/analytics/*`."""

    @overload
    def summary(self, *, output_format: Literal["pydantic"] = "pydantic") -> DatasetSummary: ...
    @overload
    def summary(self, *, output_format: Literal["dict"]) -> dict[str, Any]: ...
    @overload
    def summary(self, *, output_format: Literal["pandas"]) -> DataFrame: ...
    def summary(
        self, *, output_format: OutputFormat = "pydantic"
    ) -> DatasetSummary | dict[str, Any] | DataFrame:
        """Global counts, total plays, averages and the date span of tag assignments
        (`GET /v1/analytics/summary`); as a DataFrame, one row (`DatasetSummary.to_pandas`)."""
        return format_result(self._get("/v1/analytics/summary"), DatasetSummary, output_format)

    @overload
    def top_artists(
        self,
        *,
        by: ArtistRanking | None = None,
        limit: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> ItemList[ArtistSummary]: ...
    @overload
    def top_artists(
        self,
        *,
        by: ArtistRanking | None = None,
        limit: int | None = None,
        output_format: Literal["dict"],
    ) -> dict[str, Any]: ...
    @overload
    def top_artists(
        self,
        *,
        by: ArtistRanking | None = None,
        limit: int | None = None,
        output_format: Literal["pandas"],
    ) -> DataFrame: ...
    def top_artists(
        self,
        *,
        by: ArtistRanking | None = None,
        limit: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> ItemList[ArtistSummary] | dict[str, Any] | DataFrame:
        """The most played artists, or those with the most listeners; ties by id
        (`GET /v1/analytics/top-artists`).

        Args:
            by: `plays` (default) or `listeners`.
            limit: How many, 1 to 100 (default 10).
        """
        data = self._get("/v1/analytics/top-artists", {"by": by, "limit": limit})
        return format_items(data, ArtistSummary, output_format)

    @overload
    def top_tags(
        self, *, limit: int | None = None, output_format: Literal["pydantic"] = "pydantic"
    ) -> ItemList[TagUsage]: ...
    @overload
    def top_tags(
        self, *, limit: int | None = None, output_format: Literal["dict"]
    ) -> dict[str, Any]: ...
    @overload
    def top_tags(
        self, *, limit: int | None = None, output_format: Literal["pandas"]
    ) -> DataFrame: ...
    def top_tags(
        self, *, limit: int | None = None, output_format: OutputFormat = "pydantic"
    ) -> ItemList[TagUsage] | dict[str, Any] | DataFrame:
        """The most applied tags, with how many artists carry them and how many users apply
        them; ties by tag id (`GET /v1/analytics/top-tags`).

        Args:
            limit: How many, 1 to 100 (default 10).
        """
        data = self._get("/v1/analytics/top-tags", {"limit": limit})
        return format_items(data, TagUsage, output_format)

    @overload
    def active_users(
        self,
        *,
        by: UserRanking | None = None,
        limit: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> ItemList[UserActivity]: ...
    @overload
    def active_users(
        self,
        *,
        by: UserRanking | None = None,
        limit: int | None = None,
        output_format: Literal["dict"],
    ) -> dict[str, Any]: ...
    @overload
    def active_users(
        self,
        *,
        by: UserRanking | None = None,
        limit: int | None = None,
        output_format: Literal["pandas"],
    ) -> DataFrame: ...
    def active_users(
        self,
        *,
        by: UserRanking | None = None,
        limit: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> ItemList[UserActivity] | dict[str, Any] | DataFrame:
        """The most active users, each with all four measures; ties by user id
        (`GET /v1/analytics/active-users`).

        Args:
            by: `plays` (default), `artists`, `tags` or `friends`.
            limit: How many, 1 to 100 (default 10).
        """
        data = self._get("/v1/analytics/active-users", {"by": by, "limit": limit})
        return format_items(data, UserActivity, output_format)

    @overload
    def listening_distribution(
        self,
        *,
        bins_per_decade: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> ListeningDistribution: ...
    @overload
    def listening_distribution(
        self, *, bins_per_decade: int | None = None, output_format: Literal["dict"]
    ) -> dict[str, Any]: ...
    @overload
    def listening_distribution(
        self, *, bins_per_decade: int | None = None, output_format: Literal["pandas"]
    ) -> DataFrame: ...
    def listening_distribution(
        self, *, bins_per_decade: int | None = None, output_format: OutputFormat = "pydantic"
    ) -> ListeningDistribution | dict[str, Any] | DataFrame:
        """How concentrated listening is: quantiles and log-scale histograms of per-artist
        plays and per-listen play counts, top 1% / 10% shares, Gini, Lorenz curve and the
        head/long-tail split (`GET /v1/analytics/listening-distribution`).

        Args:
            bins_per_decade: Histogram bins per power of ten, 1 to 20 (default 5).
            output_format: `pydantic` (a `ListeningDistribution`), `dict` (the JSON) or
                `pandas`: the quantiles, one row per distribution; the other tidy frames
                (histograms, Lorenz curve, shares) are in `ListeningDistribution.to_frames()`.
        """
        data = self._get(
            "/v1/analytics/listening-distribution", {"bins_per_decade": bins_per_decade}
        )
        return format_result(data, ListeningDistribution, output_format)

    @overload
    def tag_trends(
        self,
        *,
        tags: str | int | Sequence[str | int] | None = None,
        granularity: Granularity | None = None,
        from_year: int | None = None,
        to_year: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> ItemList[TagTrendPoint]: ...
    @overload
    def tag_trends(
        self,
        *,
        tags: str | int | Sequence[str | int] | None = None,
        granularity: Granularity | None = None,
        from_year: int | None = None,
        to_year: int | None = None,
        output_format: Literal["dict"],
    ) -> dict[str, Any]: ...
    @overload
    def tag_trends(
        self,
        *,
        tags: str | int | Sequence[str | int] | None = None,
        granularity: Granularity | None = None,
        from_year: int | None = None,
        to_year: int | None = None,
        output_format: Literal["pandas"],
    ) -> DataFrame: ...
    def tag_trends(
        self,
        *,
        tags: str | int | Sequence[str | int] | None = None,
        granularity: Granularity | None = None,
        from_year: int | None = None,
        to_year: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> ItemList[TagTrendPoint] | dict[str, Any] | DataFrame:
        """Tag assignments per year or month, one zero-filled series per tag asked (in that
        order), or one series for all tags (`GET /v1/analytics/tag-trends`).

        Args:
            tags: Tags to follow, by value (case-insensitive) or id, at most 20.
            granularity: `year` (default) or `month`.
            from_year: First year counted (default: the first with any tag assignment).
            to_year: Last year counted (default: the last with any tag assignment).
        """
        params = {
            "tags": tag_list(tags),
            "granularity": granularity,
            "from_year": from_year,
            "to_year": to_year,
        }
        data = self._get("/v1/analytics/tag-trends", params)
        return format_items(data, TagTrendPoint, output_format)

    @overload
    def social(self, *, output_format: Literal["pydantic"] = "pydantic") -> SocialGraph: ...
    @overload
    def social(self, *, output_format: Literal["dict"]) -> dict[str, Any]: ...
    @overload
    def social(self, *, output_format: Literal["pandas"]) -> DataFrame: ...
    def social(
        self, *, output_format: OutputFormat = "pydantic"
    ) -> SocialGraph | dict[str, Any] | DataFrame:
        """The friendship graph and "friends vs diversity": degree distribution, correlations
        with their t tests, and every user's point (`GET /v1/analytics/social`).

        As a DataFrame (`output_format="pandas"` or `SocialGraph.to_pandas()`): one row per
        user; `SocialGraph.to_frames()` adds the degree distribution and the correlations.
        """
        return format_result(self._get("/v1/analytics/social"), SocialGraph, output_format)

    @overload
    def tag_cloud(
        self,
        *,
        artist_id: int | None = None,
        user_id: int | None = None,
        tags: str | int | Sequence[str | int] | None = None,
        limit: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> ItemList[TagCloudEntry]: ...
    @overload
    def tag_cloud(
        self,
        *,
        artist_id: int | None = None,
        user_id: int | None = None,
        tags: str | int | Sequence[str | int] | None = None,
        limit: int | None = None,
        output_format: Literal["dict"],
    ) -> dict[str, Any]: ...
    @overload
    def tag_cloud(
        self,
        *,
        artist_id: int | None = None,
        user_id: int | None = None,
        tags: str | int | Sequence[str | int] | None = None,
        limit: int | None = None,
        output_format: Literal["pandas"],
    ) -> DataFrame: ...
    def tag_cloud(
        self,
        *,
        artist_id: int | None = None,
        user_id: int | None = None,
        tags: str | int | Sequence[str | int] | None = None,
        limit: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> ItemList[TagCloudEntry] | dict[str, Any] | DataFrame:
        """A tag cloud: the most applied tags in one scope (everything, one artist, one user,
        or the artists carrying `tags`), with a log-scaled drawing weight
        (`GET /v1/analytics/tag-cloud`). Give at most one scope.

        Args:
            artist_id: Only the tags applied to this artist.
            user_id: Only the tags this user applied.
            tags: Only the tags that go with these (on the artists carrying them all).
            limit: How many tags, 1 to 200 (default 50).
        """
        params = {
            "artist_id": artist_id,
            "user_id": user_id,
            "tags": tag_list(tags),
            "limit": limit,
        }
        data = self._get("/v1/analytics/tag-cloud", params)
        return format_items(data, TagCloudEntry, output_format)


class AsyncAnalytics(AsyncAPIResource):
    """Analytics: `/v1/analytics/*`."""

    @overload
    async def summary(
        self, *, output_format: Literal["pydantic"] = "pydantic"
    ) -> DatasetSummary: ...
    @overload
    async def summary(self, *, output_format: Literal["dict"]) -> dict[str, Any]: ...
    @overload
    async def summary(self, *, output_format: Literal["pandas"]) -> DataFrame: ...
    async def summary(
        self, *, output_format: OutputFormat = "pydantic"
    ) -> DatasetSummary | dict[str, Any] | DataFrame:
        """Global counts, total plays, averages and the date span of tag assignments
        (`GET /v1/analytics/summary`); as a DataFrame, one row (`DatasetSummary.to_pandas`)."""
        return format_result(
            await self._get("/v1/analytics/summary"), DatasetSummary, output_format
        )

    @overload
    async def top_artists(
        self,
        *,
        by: ArtistRanking | None = None,
        limit: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> ItemList[ArtistSummary]: ...
    @overload
    async def top_artists(
        self,
        *,
        by: ArtistRanking | None = None,
        limit: int | None = None,
        output_format: Literal["dict"],
    ) -> dict[str, Any]: ...
    @overload
    async def top_artists(
        self,
        *,
        by: ArtistRanking | None = None,
        limit: int | None = None,
        output_format: Literal["pandas"],
    ) -> DataFrame: ...
    async def top_artists(
        self,
        *,
        by: ArtistRanking | None = None,
        limit: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> ItemList[ArtistSummary] | dict[str, Any] | DataFrame:
        """The most played artists, or those with the most listeners; ties by id
        (`GET /v1/analytics/top-artists`).

        Args:
            by: `plays` (default) or `listeners`.
            limit: How many, 1 to 100 (default 10).
        """
        data = await self._get("/v1/analytics/top-artists", {"by": by, "limit": limit})
        return format_items(data, ArtistSummary, output_format)

    @overload
    async def top_tags(
        self, *, limit: int | None = None, output_format: Literal["pydantic"] = "pydantic"
    ) -> ItemList[TagUsage]: ...
    @overload
    async def top_tags(
        self, *, limit: int | None = None, output_format: Literal["dict"]
    ) -> dict[str, Any]: ...
    @overload
    async def top_tags(
        self, *, limit: int | None = None, output_format: Literal["pandas"]
    ) -> DataFrame: ...
    async def top_tags(
        self, *, limit: int | None = None, output_format: OutputFormat = "pydantic"
    ) -> ItemList[TagUsage] | dict[str, Any] | DataFrame:
        """The most applied tags, with how many artists carry them and how many users apply
        them; ties by tag id (`GET /v1/analytics/top-tags`).

        Args:
            limit: How many, 1 to 100 (default 10).
        """
        data = await self._get("/v1/analytics/top-tags", {"limit": limit})
        return format_items(data, TagUsage, output_format)

    @overload
    async def active_users(
        self,
        *,
        by: UserRanking | None = None,
        limit: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> ItemList[UserActivity]: ...
    @overload
    async def active_users(
        self,
        *,
        by: UserRanking | None = None,
        limit: int | None = None,
        output_format: Literal["dict"],
    ) -> dict[str, Any]: ...
    @overload
    async def active_users(
        self,
        *,
        by: UserRanking | None = None,
        limit: int | None = None,
        output_format: Literal["pandas"],
    ) -> DataFrame: ...
    async def active_users(
        self,
        *,
        by: UserRanking | None = None,
        limit: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> ItemList[UserActivity] | dict[str, Any] | DataFrame:
        """The most active users, each with all four measures; ties by user id
        (`GET /v1/analytics/active-users`).

        Args:
            by: `plays` (default), `artists`, `tags` or `friends`.
            limit: How many, 1 to 100 (default 10).
        """
        data = await self._get("/v1/analytics/active-users", {"by": by, "limit": limit})
        return format_items(data, UserActivity, output_format)

    @overload
    async def listening_distribution(
        self,
        *,
        bins_per_decade: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> ListeningDistribution: ...
    @overload
    async def listening_distribution(
        self, *, bins_per_decade: int | None = None, output_format: Literal["dict"]
    ) -> dict[str, Any]: ...
    @overload
    async def listening_distribution(
        self, *, bins_per_decade: int | None = None, output_format: Literal["pandas"]
    ) -> DataFrame: ...
    async def listening_distribution(
        self, *, bins_per_decade: int | None = None, output_format: OutputFormat = "pydantic"
    ) -> ListeningDistribution | dict[str, Any] | DataFrame:
        """How concentrated listening is: quantiles and log-scale histograms of per-artist
        plays and per-listen play counts, top 1% / 10% shares, Gini, Lorenz curve and the
        head/long-tail split (`GET /v1/analytics/listening-distribution`).

        Args:
            bins_per_decade: Histogram bins per power of ten, 1 to 20 (default 5).
            output_format: `pydantic` (a `ListeningDistribution`), `dict` (the JSON) or
                `pandas`: the quantiles, one row per distribution; the other tidy frames
                (histograms, Lorenz curve, shares) are in `ListeningDistribution.to_frames()`.
        """
        data = await self._get(
            "/v1/analytics/listening-distribution", {"bins_per_decade": bins_per_decade}
        )
        return format_result(data, ListeningDistribution, output_format)

    @overload
    async def tag_trends(
        self,
        *,
        tags: str | int | Sequence[str | int] | None = None,
        granularity: Granularity | None = None,
        from_year: int | None = None,
        to_year: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> ItemList[TagTrendPoint]: ...
    @overload
    async def tag_trends(
        self,
        *,
        tags: str | int | Sequence[str | int] | None = None,
        granularity: Granularity | None = None,
        from_year: int | None = None,
        to_year: int | None = None,
        output_format: Literal["dict"],
    ) -> dict[str, Any]: ...
    @overload
    async def tag_trends(
        self,
        *,
        tags: str | int | Sequence[str | int] | None = None,
        granularity: Granularity | None = None,
        from_year: int | None = None,
        to_year: int | None = None,
        output_format: Literal["pandas"],
    ) -> DataFrame: ...
    async def tag_trends(
        self,
        *,
        tags: str | int | Sequence[str | int] | None = None,
        granularity: Granularity | None = None,
        from_year: int | None = None,
        to_year: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> ItemList[TagTrendPoint] | dict[str, Any] | DataFrame:
        """Tag assignments per year or month, one zero-filled series per tag asked (in that
        order), or one series for all tags (`GET /v1/analytics/tag-trends`).

        Args:
            tags: Tags to follow, by value (case-insensitive) or id, at most 20.
            granularity: `year` (default) or `month`.
            from_year: First year counted (default: the first with any tag assignment).
            to_year: Last year counted (default: the last with any tag assignment).
        """
        params = {
            "tags": tag_list(tags),
            "granularity": granularity,
            "from_year": from_year,
            "to_year": to_year,
        }
        data = await self._get("/v1/analytics/tag-trends", params)
        return format_items(data, TagTrendPoint, output_format)

    @overload
    async def social(self, *, output_format: Literal["pydantic"] = "pydantic") -> SocialGraph: ...
    @overload
    async def social(self, *, output_format: Literal["dict"]) -> dict[str, Any]: ...
    @overload
    async def social(self, *, output_format: Literal["pandas"]) -> DataFrame: ...
    async def social(
        self, *, output_format: OutputFormat = "pydantic"
    ) -> SocialGraph | dict[str, Any] | DataFrame:
        """The friendship graph and "friends vs diversity": degree distribution, correlations
        with their t tests, and every user's point (`GET /v1/analytics/social`).

        As a DataFrame (`output_format="pandas"` or `SocialGraph.to_pandas()`): one row per
        user; `SocialGraph.to_frames()` adds the degree distribution and the correlations.
        """
        return format_result(await self._get("/v1/analytics/social"), SocialGraph, output_format)

    @overload
    async def tag_cloud(
        self,
        *,
        artist_id: int | None = None,
        user_id: int | None = None,
        tags: str | int | Sequence[str | int] | None = None,
        limit: int | None = None,
        output_format: Literal["pydantic"] = "pydantic",
    ) -> ItemList[TagCloudEntry]: ...
    @overload
    async def tag_cloud(
        self,
        *,
        artist_id: int | None = None,
        user_id: int | None = None,
        tags: str | int | Sequence[str | int] | None = None,
        limit: int | None = None,
        output_format: Literal["dict"],
    ) -> dict[str, Any]: ...
    @overload
    async def tag_cloud(
        self,
        *,
        artist_id: int | None = None,
        user_id: int | None = None,
        tags: str | int | Sequence[str | int] | None = None,
        limit: int | None = None,
        output_format: Literal["pandas"],
    ) -> DataFrame: ...
    async def tag_cloud(
        self,
        *,
        artist_id: int | None = None,
        user_id: int | None = None,
        tags: str | int | Sequence[str | int] | None = None,
        limit: int | None = None,
        output_format: OutputFormat = "pydantic",
    ) -> ItemList[TagCloudEntry] | dict[str, Any] | DataFrame:
        """A tag cloud: the most applied tags in one scope (everything, one artist, one user,
        or the artists carrying `tags`), with a log-scaled drawing weight
        (`GET /v1/analytics/tag-cloud`). Give at most one scope.

        Args:
            artist_id: Only the tags applied to this artist.
            user_id: Only the tags this user applied.
            tags: Only the tags that go with these (on the artists carrying them all).
            limit: How many tags, 1 to 200 (default 50).
        """
        params = {
            "artist_id": artist_id,
            "user_id": user_id,
            "tags": tag_list(tags),
            "limit": limit,
        }
        data = await self._get("/v1/analytics/tag-cloud", params)
        return format_items(data, TagCloudEntry, output_format)
