"""`client.analytics`: aggregates over the whole dataset (`/v1/analytics/*`): the summary,
rankings, the long tail of listening, tag trends and clouds, and the social graph."""

from __future__ import annotations

from collections.abc import Sequence

from .._models import ItemList
from .._types import ArtistRanking, Granularity, UserRanking
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
from ._endpoint import Call, endpoint
from ._util import tag_list

__all__ = ["Analytics", "AnalyticsCalls", "AsyncAnalytics"]


class AnalyticsCalls:
    """Analytics: `/v1/analytics/*` (each method written once for `Analytics` and
    `AsyncAnalytics`). Every result has `.to_pandas()`; the lists `.to_dicts()` too."""

    @endpoint(output_format=True)
    def summary(self) -> Call[DatasetSummary]:
        """Global counts, total plays, averages and the date span of tag assignments
        (`GET /v1/analytics/summary`); as a DataFrame, one row (`DatasetSummary.to_pandas`)."""
        return Call.read("/v1/analytics/summary", DatasetSummary)

    @endpoint(output_format=True)
    def top_artists(
        self, *, by: ArtistRanking | None = None, limit: int | None = None
    ) -> Call[ItemList[ArtistSummary]]:
        """The most played artists, or those with the most listeners; ties by id
        (`GET /v1/analytics/top-artists`).

        Args:
            by: `plays` (default) or `listeners`.
            limit: How many, 1 to 100 (default 10).
        """
        params = {"by": by, "limit": limit}
        return Call.read_items("/v1/analytics/top-artists", ArtistSummary, params)

    @endpoint(output_format=True)
    def top_tags(self, *, limit: int | None = None) -> Call[ItemList[TagUsage]]:
        """The most applied tags, with how many artists carry them and how many users apply
        them; ties by tag id (`GET /v1/analytics/top-tags`).

        Args:
            limit: How many, 1 to 100 (default 10).
        """
        return Call.read_items("/v1/analytics/top-tags", TagUsage, {"limit": limit})

    @endpoint(output_format=True)
    def active_users(
        self, *, by: UserRanking | None = None, limit: int | None = None
    ) -> Call[ItemList[UserActivity]]:
        """The most active users, each with all four measures; ties by user id
        (`GET /v1/analytics/active-users`).

        Args:
            by: `plays` (default), `artists`, `tags` or `friends`.
            limit: How many, 1 to 100 (default 10).
        """
        params = {"by": by, "limit": limit}
        return Call.read_items("/v1/analytics/active-users", UserActivity, params)

    @endpoint(output_format=True)
    def listening_distribution(
        self, *, bins_per_decade: int | None = None
    ) -> Call[ListeningDistribution]:
        """How concentrated listening is: quantiles and log-scale histograms of per-artist
        plays and per-listen play counts, top 1% / 10% shares, Gini, Lorenz curve and the
        head/long-tail split (`GET /v1/analytics/listening-distribution`).

        `.to_pandas()` gives the quantiles, one row per distribution; `.to_frames()` the other
        tidy frames (histograms, Lorenz curve, shares).

        Args:
            bins_per_decade: Histogram bins per power of ten, 1 to 20 (default 5).
        """
        params = {"bins_per_decade": bins_per_decade}
        return Call.read("/v1/analytics/listening-distribution", ListeningDistribution, params)

    @endpoint(output_format=True)
    def tag_trends(
        self,
        *,
        tags: str | int | Sequence[str | int] | None = None,
        granularity: Granularity | None = None,
        from_year: int | None = None,
        to_year: int | None = None,
    ) -> Call[ItemList[TagTrendPoint]]:
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
        return Call.read_items("/v1/analytics/tag-trends", TagTrendPoint, params)

    @endpoint(output_format=True)
    def social(self) -> Call[SocialGraph]:
        """The friendship graph and "friends vs diversity": degree distribution, correlations
        with their t tests, and every user's point (`GET /v1/analytics/social`).

        `.to_pandas()`: one row per user; `.to_frames()` adds the degree distribution and the
        correlations.
        """
        return Call.read("/v1/analytics/social", SocialGraph)

    @endpoint(output_format=True)
    def tag_cloud(
        self,
        *,
        artist_id: int | None = None,
        user_id: int | None = None,
        tags: str | int | Sequence[str | int] | None = None,
        limit: int | None = None,
    ) -> Call[ItemList[TagCloudEntry]]:
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
        return Call.read_items("/v1/analytics/tag-cloud", TagCloudEntry, params)


class Analytics(SyncAPIResource, AnalyticsCalls):
    """Analytics (blocking): see `AnalyticsCalls` for the methods."""


class AsyncAnalytics(AsyncAPIResource, AnalyticsCalls):
    """Analytics (asyncio): the methods of `Analytics`, awaited."""
