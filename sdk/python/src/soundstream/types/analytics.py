"""Response models of the analytics endpoints: aggregates over the whole dataset.

One module though over 500 lines: the pydantic models of the eight analytics endpoints and
their nested parts, each field documented as in the OpenAPI schemas (the conformance test
checks them against the server's document), with the DataFrame conversions they offer; one
concern, which split per endpoint would be eight small files.
"""

from __future__ import annotations

import typing
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import Field

from .._models import SoundStreamModel

# Each model restates its OpenAPI schema field by field, with the field's description (a
# deliberate repetition of shape across models): pydantic validates what is declared.

if TYPE_CHECKING:
    from pandas import DataFrame


def _pandas() -> Any:
    from .._output import _import_pandas

    return _import_pandas()


__all__ = [
    "ArtistSegment",
    "CorrelationTest",
    "DatasetSummary",
    "DegreeCount",
    "Distribution",
    "DiversityCorrelation",
    "HistogramBin",
    "ListeningDistribution",
    "LorenzPoint",
    "SocialGraph",
    "SocialPoint",
    "TagCloudEntry",
    "TagTrendPoint",
    "TagUsage",
    "TopShare",
    "UserActivity",
]


class DatasetSummary(SoundStreamModel):
    """Global counts, totals and averages of the dataset."""

    artists: int = Field(description="Rows in `artists`.")
    """Rows in `artists`."""

    users: int = Field(description="Rows in `users`.")
    """Rows in `users`."""

    tags: int = Field(description="Rows in `tags`.")
    """Rows in `tags`."""

    listens: int = Field(
        description="Listens: rows in `user_artists`, one per (user, artist) with the user's play count.",
    )
    """Listens: rows in `user_artists`, one per (user, artist) with the user's play count."""

    tag_assignments: int = Field(
        description="Tag assignments: rows in `user_taggedartists`, one per (user, artist, tag).",
    )
    """Tag assignments: rows in `user_taggedartists`, one per (user, artist, tag)."""

    friendship_rows: int = Field(
        description="Rows in `user_friends`: each friendship is stored once per direction.",
    )
    """Rows in `user_friends`: each friendship is stored once per direction."""

    friendship_pairs: int = Field(
        description=(
            "Friendships as undirected pairs {a, b} (distinct unordered pairs of the rows; half "
            "the rows when every friendship is stored in both directions)."
        ),
    )
    """Friendships as undirected pairs {a, b} (distinct unordered pairs of the rows; half the
    rows when every friendship is stored in both directions).
    """

    total_plays: int = Field(description="Sum of every listen's play count (`weight`).")
    """Sum of every listen's play count (`weight`)."""

    artists_with_listeners: int = Field(description="Artists with at least one listen.")
    """Artists with at least one listen."""

    users_with_listens: int = Field(description="Users with at least one listen.")
    """Users with at least one listen."""

    tags_used: int = Field(description="Tags applied at least once.")
    """Tags applied at least once."""

    users_who_tag: int = Field(description="Users who applied at least one tag.")
    """Users who applied at least one tag."""

    users_with_friends: int = Field(
        description="Users with at least one friend (in either direction of a row).",
    )
    """Users with at least one friend (in either direction of a row)."""

    artists_per_user: float = Field(
        description="Mean number of artists a user listens to: `listens / users` (0 without users).",
    )
    """Mean number of artists a user listens to: `listens / users` (0 without users)."""

    listeners_per_artist: float = Field(
        description="Mean number of listeners of an artist: `listens / artists` (0 without artists).",
    )
    """Mean number of listeners of an artist: `listens / artists` (0 without artists)."""

    plays_per_listen: float = Field(
        description="Mean play count of a listen: `total_plays / listens` (0 without listens).",
    )
    """Mean play count of a listen: `total_plays / listens` (0 without listens)."""

    tag_assignments_per_user: float = Field(
        description="Mean number of tag assignments per user: `tag_assignments / users` (0 without users).",
    )
    """Mean number of tag assignments per user: `tag_assignments / users` (0 without users)."""

    friends_per_user: float = Field(
        description=(
            "Mean number of friends per user, i.e. the mean degree of the undirected friendship "
            "graph: `2 * friendship_pairs / users` (0 without users)."
        ),
    )
    """Mean number of friends per user, i.e. the mean degree of the undirected friendship
    graph: `2 * friendship_pairs / users` (0 without users).
    """

    first_tag_assignment: str | None = Field(
        default=None,
        description=(
            "Date of the earliest tag assignment (`YYYY-MM-DD`, from its stored year, month and "
            "day); null when there is none."
        ),
    )
    """Date of the earliest tag assignment (`YYYY-MM-DD`, from its stored year, month and
    day); null when there is none.
    """

    last_tag_assignment: str | None = Field(
        default=None,
        description="Date of the latest tag assignment (`YYYY-MM-DD`); null when there is none.",
    )
    """Date of the latest tag assignment (`YYYY-MM-DD`); null when there is none."""

    def to_pandas(self) -> DataFrame:
        """The summary as a one-row DataFrame, one column per field; the two dates as
        `datetime64[ns, UTC]` (needs `soundstream-sdk[pandas]`)."""
        from .._output import as_timestamps, models_to_dataframe

        df = models_to_dataframe([self], DatasetSummary)
        for column in ("first_tag_assignment", "last_tag_assignment"):
            df[column] = as_timestamps(df[column])
        return df


class TagUsage(SoundStreamModel):
    """A tag with how widely it is used."""

    frame_columns: ClassVar[dict[str, str]] = {"value": "tag"}

    tag_id: int = Field(description="Tag id.")
    """Tag id."""

    value: str = Field(description="Tag text.")
    """Tag text."""

    usage: int = Field(description="Number of times the tag was applied (tag assignments).")
    """Number of times the tag was applied (tag assignments)."""

    artists: int = Field(description="Number of distinct artists it was applied to.")
    """Number of distinct artists it was applied to."""

    users: int = Field(description="Number of distinct users who applied it.")
    """Number of distinct users who applied it."""


class UserActivity(SoundStreamModel):
    """What one user does in the dataset."""

    user_id: int = Field(description="User id.")
    """User id."""

    plays: int = Field(description="Sum of the user's play counts over all artists.")
    """Sum of the user's play counts over all artists."""

    artists: int = Field(description="Number of distinct artists the user listens to.")
    """Number of distinct artists the user listens to."""

    tags_applied: int = Field(description="Number of tag assignments the user made.")
    """Number of tag assignments the user made."""

    friends: int = Field(
        description="Number of distinct friends (degree in the undirected friendship graph).",
    )
    """Number of distinct friends (degree in the undirected friendship graph)."""


class HistogramBin(SoundStreamModel):
    """One bin of a histogram on a log10 scale: the values `v` with `lower <= v < upper`."""

    lower: float = Field(
        description="Lower bound, included: `10^(k / bins_per_decade)` for the bin's integer `k`.",
    )
    """Lower bound, included: `10^(k / bins_per_decade)` for the bin's integer `k`."""

    upper: float = Field(description="Upper bound, excluded: `10^((k + 1) / bins_per_decade)`.")
    """Upper bound, excluded: `10^((k + 1) / bins_per_decade)`."""

    count: int = Field(description="Number of values in the bin.")
    """Number of values in the bin."""


class Distribution(SoundStreamModel):
    """Summary statistics and a log-scale histogram of a set of non-negative integer values.

    Quantiles interpolate linearly between the two nearest order statistics (type 7 of
    Hyndman & Fan, the default of NumPy and R): with the `n` values sorted ascending as
    `x[0..n]` and `h = (n - 1) * q`, `Q(q) = x[floor h] + (h - floor h) * (x[floor h + 1] -
    x[floor h])`. Every statistic is 0 when there are no values.
    """

    count: int = Field(description="Number of values.")
    """Number of values."""

    sum: int = Field(description="Sum of the values.")
    """Sum of the values."""

    zeros: int = Field(
        description=(
            "How many values are 0 (they have no place on a log scale, so no histogram bin holds "
            "them)."
        ),
    )
    """How many values are 0 (they have no place on a log scale, so no histogram bin holds
    them).
    """

    min: int = Field(description="Smallest value.")
    """Smallest value."""

    p10: float = Field(description="10th percentile.")
    """10th percentile."""

    p25: float = Field(description="25th percentile (first quartile).")
    """25th percentile (first quartile)."""

    p50: float = Field(description="Median.")
    """Median."""

    p75: float = Field(description="75th percentile (third quartile).")
    """75th percentile (third quartile)."""

    p90: float = Field(description="90th percentile.")
    """90th percentile."""

    p99: float = Field(description="99th percentile.")
    """99th percentile."""

    max: int = Field(description="Largest value.")
    """Largest value."""

    mean: float = Field(description="Arithmetic mean.")
    """Arithmetic mean."""

    histogram: list[HistogramBin] = Field(
        description=(
            "Histogram of the positive values on a log10 scale: contiguous bins (empty ones "
            "included) from the bin of the smallest positive value to the bin of the largest."
        ),
    )
    """Histogram of the positive values on a log10 scale: contiguous bins (empty ones
    included) from the bin of the smallest positive value to the bin of the largest.
    """


class TopShare(SoundStreamModel):
    """The plays held by the most played artists."""

    percent: float = Field(description="The top fraction of artists, in percent (1 or 10).")
    """The top fraction of artists, in percent (1 or 10)."""

    artists: int = Field(description="How many artists that is: `ceil(percent / 100 * artists)`.")
    """How many artists that is: `ceil(percent / 100 * artists)`."""

    plays: int = Field(description="Their plays together.")
    """Their plays together."""

    plays_share: float = Field(description="Their plays as a share of all plays, in [0, 1].")
    """Their plays as a share of all plays, in [0, 1]."""


class LorenzPoint(SoundStreamModel):
    """One point of the Lorenz curve of per-artist plays."""

    artists_share: float = Field(
        description="Share of artists, the least played first: `m / n` for the `m` least played of `n`.",
    )
    """Share of artists, the least played first: `m / n` for the `m` least played of `n`."""

    plays_share: float = Field(description="Share of all plays those `m` artists hold.")
    """Share of all plays those `m` artists hold."""


class ArtistSegment(SoundStreamModel):
    """A group of artists in the head/long-tail split."""

    artists: int = Field(description="Number of artists in the group.")
    """Number of artists in the group."""

    artists_share: float = Field(description="Their share of all artists, in [0, 1].")
    """Their share of all artists, in [0, 1]."""

    plays: int = Field(description="Their plays together.")
    """Their plays together."""

    plays_share: float = Field(description="Their share of all plays, in [0, 1].")
    """Their share of all plays, in [0, 1]."""


class ListeningDistribution(SoundStreamModel):
    """How concentrated listening is: per-artist plays and per-listen play counts."""

    bins_per_decade: int = Field(description="Histogram bins per power of ten (both histograms).")
    """Histogram bins per power of ten (both histograms)."""

    artist_plays: Distribution = Field(
        description="Total plays of each artist of the catalogue (artists nobody listens to count as 0).",
    )
    """Total plays of each artist of the catalogue (artists nobody listens to count as 0)."""

    listen_weights: Distribution = Field(
        description="Play count (`weight`) of each listen, i.e. of each (user, artist) pair.",
    )
    """Play count (`weight`) of each listen, i.e. of each (user, artist) pair."""

    top_1_percent: TopShare = Field(description="Plays held by the top 1% of artists by plays.")
    """Plays held by the top 1% of artists by plays."""

    top_10_percent: TopShare = Field(description="Plays held by the top 10% of artists by plays.")
    """Plays held by the top 10% of artists by plays."""

    lorenz: list[LorenzPoint] = Field(
        description=(
            "Lorenz curve of per-artist plays: 101 points, for `k = 0..=100` the `m = round(k * n"
            " / 100)` least played artists (so from (0, 0) to (1, 1)). The diagonal is perfect "
            "equality; the Gini coefficient is twice the area between it and the curve."
        ),
    )
    """Lorenz curve of per-artist plays: 101 points, for `k = 0..=100` the `m =
    round(k * n / 100)` least played artists (so from (0, 0) to (1, 1)). The diagonal is
    perfect equality; the Gini coefficient is twice the area between it and the curve.
    """

    head_share: float = Field(
        description="The share of plays that defines the head: `head_share` = 0.8.",
    )
    """The share of plays that defines the head: `head_share` = 0.8."""

    head: ArtistSegment = Field(
        description=(
            'The head ("superstars"): the fewest most played artists whose plays together reach '
            "at least `head_share` of all plays."
        ),
    )
    """The head ("superstars"): the fewest most played artists whose plays together reach at
    least `head_share` of all plays.
    """

    tail: ArtistSegment = Field(description="The long tail: every other artist.")
    """The long tail: every other artist."""

    gini: float | None = Field(
        default=None,
        description=(
            "Gini coefficient of per-artist plays, in [0, 1): with the `n` artists' plays sorted "
            "ascending as `x_1..x_n`, `G = 2 * sum(i * x_i) / (n * sum(x_i)) - (n + 1) / n` (0 "
            "when every artist has the same plays, `1 - 1/n` when one artist has them all). Null "
            "when there are no plays."
        ),
    )
    """Gini coefficient of per-artist plays, in [0, 1): with the `n` artists' plays sorted
    ascending as `x_1..x_n`, `G = 2 * sum(i * x_i) / (n * sum(x_i)) - (n + 1) / n` (0 when
    every artist has the same plays, `1 - 1/n` when one artist has them all). Null when
    there are no plays.
    """

    def lorenz_frame(self) -> DataFrame:
        """`lorenz` as a DataFrame of `artists_share` and `plays_share` (needs pandas)."""
        from .._output import models_to_dataframe

        return models_to_dataframe(self.lorenz, LorenzPoint)

    def _distributions(self) -> dict[str, Distribution]:
        return {"artist_plays": self.artist_plays, "listen_weights": self.listen_weights}

    def to_pandas(self) -> DataFrame:
        """The quantiles: one row per distribution (`distribution` is `artist_plays` or
        `listen_weights`), with `count`, `sum`, `zeros`, `min`, `p10` ... `p99`, `max` and
        `mean`. `gini`, `head_share` and `bins_per_decade` are in `df.attrs`; the other tidy
        frames are in `to_frames()` (needs `soundstream-sdk[pandas]`)."""
        from .._output import models_to_dataframe

        frames = []
        for name, distribution in self._distributions().items():
            frame = models_to_dataframe([distribution], Distribution).drop(columns="histogram")
            frames.append(frame.assign(distribution=name))
        pd = _pandas()
        df = pd.concat(frames, ignore_index=True)
        df = df[["distribution", *[c for c in df.columns if c != "distribution"]]]
        df.attrs.update(
            gini=self.gini, head_share=self.head_share, bins_per_decade=self.bins_per_decade
        )
        return typing.cast("DataFrame", df)

    def to_frames(self) -> dict[str, DataFrame]:
        """Every part as a tidy DataFrame, by name:

        - `quantiles`: `to_pandas()`, one row per distribution;
        - `histograms`: one row per bin, `distribution`, `lower`, `upper`, `count`;
        - `lorenz`: `lorenz_frame()`, 101 points;
        - `shares`: one row per group of artists, `group` (`top_1_percent`,
          `top_10_percent`, `head`, `tail`), `artists`, `plays`, `plays_share`, and
          `artists_share` (NaN for the top groups) or `percent` (NaN for head and tail).
        """
        from .._output import models_to_dataframe

        pd = _pandas()
        histograms = pd.concat(
            [
                models_to_dataframe(d.histogram, HistogramBin).assign(distribution=name)
                for name, d in self._distributions().items()
            ],
            ignore_index=True,
        )[["distribution", "lower", "upper", "count"]]
        groups = {
            "top_1_percent": self.top_1_percent.to_dict(),
            "top_10_percent": self.top_10_percent.to_dict(),
            "head": self.head.to_dict(),
            "tail": self.tail.to_dict(),
        }
        shares = pd.DataFrame.from_records(
            [{"group": group, **values} for group, values in groups.items()],
            columns=["group", "artists", "plays", "plays_share", "artists_share", "percent"],
        ).astype({"artists": "int64", "plays": "int64"})
        return {
            "quantiles": self.to_pandas(),
            "histograms": typing.cast("DataFrame", histograms),
            "lorenz": self.lorenz_frame(),
            "shares": typing.cast("DataFrame", shares),
        }


class TagTrendPoint(SoundStreamModel):
    """Tag assignments counted in one period, for one tag or for all tags."""

    frame_columns: ClassVar[dict[str, str]] = {"value": "tag"}

    period: str = Field(
        description=(
            "The period: `2009` by year, `2009-04` by month (from the assignments' stored year "
            "and month)."
        ),
    )
    """The period: `2009` by year, `2009-04` by month (from the assignments' stored year and
    month).
    """

    count: int = Field(
        description="Number of tag assignments in the period (0 for a period without any).",
    )
    """Number of tag assignments in the period (0 for a period without any)."""

    share: float = Field(
        description=(
            "`count` as a share of all tag assignments of the period, in [0, 1] (0 when the "
            "period has none): the tag's popularity with the dataset's overall activity factored "
            "out."
        ),
    )
    """`count` as a share of all tag assignments of the period, in [0, 1] (0 when the period
    has none): the tag's popularity with the dataset's overall activity factored out.
    """

    tag_id: int | None = Field(
        default=None,
        description="The tag, or null for the series of all tags together.",
    )
    """The tag, or null for the series of all tags together."""

    value: str | None = Field(
        default=None,
        description="The tag's text, or null for the series of all tags together.",
    )
    """The tag's text, or null for the series of all tags together."""


class DegreeCount(SoundStreamModel):
    """How many users have a given number of friends."""

    degree: int = Field(description="Number of friends.")
    """Number of friends."""

    users: int = Field(description="Number of users with exactly that many friends.")
    """Number of users with exactly that many friends."""


class CorrelationTest(SoundStreamModel):
    """A correlation coefficient with its significance test."""

    p_value: float | None = Field(
        default=None,
        description=(
            "Two-sided p-value of `r = 0`: `P(|T| >= |t|)` for `T` following Student's t "
            "distribution with n - 2 degrees of freedom, computed exactly (regularized incomplete"
            " beta function), not by a normal approximation. 0 when |r| = 1; null when `r` is "
            "null or n < 3. For Spearman's coefficient this t test is the usual large-sample "
            "approximation (as in SciPy), sound at this n."
        ),
    )
    """Two-sided p-value of `r = 0`: `P(|T| >= |t|)` for `T` following Student's t
    distribution with n - 2 degrees of freedom, computed exactly (regularized incomplete
    beta function), not by a normal approximation. 0 when |r| = 1; null when `r` is null
    or n < 3. For Spearman's coefficient this t test is the usual large-sample
    approximation (as in SciPy), sound at this n.
    """

    r: float | None = Field(
        default=None,
        description="The coefficient `r`, in [-1, 1]; null when a variable is constant (or n < 2).",
    )
    """The coefficient `r`, in [-1, 1]; null when a variable is constant (or n < 2)."""

    t: float | None = Field(
        default=None,
        description=(
            "The test statistic `t = r * sqrt((n - 2) / (1 - r^2))`, with n - 2 degrees of "
            "freedom; null when `r` is null, n < 3 or |r| = 1."
        ),
    )
    """The test statistic `t = r * sqrt((n - 2) / (1 - r^2))`, with n - 2 degrees of freedom;
    null when `r` is null, n < 3 or |r| = 1.
    """


class DiversityCorrelation(SoundStreamModel):
    """How the number of friends correlates with one diversity measure, over every user."""

    measure: str = Field(description="The diversity measure correlated with `friends`.")
    """The diversity measure correlated with `friends`."""

    n: int = Field(description="Number of users (points).")
    """Number of users (points)."""

    pearson: CorrelationTest = Field(description="Pearson's linear correlation coefficient.")
    """Pearson's linear correlation coefficient."""

    spearman: CorrelationTest = Field(
        description=(
            "Spearman's rank correlation: Pearson's coefficient of the ranks, tied values sharing"
            " the mean of their ranks."
        ),
    )
    """Spearman's rank correlation: Pearson's coefficient of the ranks, tied values sharing
    the mean of their ranks.
    """


class SocialPoint(SoundStreamModel):
    """One user in the friends-vs-diversity scatter."""

    user_id: int = Field(description="User id.")
    """User id."""

    friends: int = Field(description="Number of distinct friends (degree).")
    """Number of distinct friends (degree)."""

    distinct_artists: int = Field(
        description=(
            "Number of distinct artists the user listens to (the dataset keeps at most each "
            "user's top 50)."
        ),
    )
    """Number of distinct artists the user listens to (the dataset keeps at most each user's
    top 50).
    """

    play_entropy: float = Field(
        description=(
            "Shannon entropy of the user's play shares, in bits: `-sum(p_i * log2 p_i)` with `p_i"
            " = weight_i / plays` over the user's artists. 0 for one artist (or none), `log2(k)` "
            "for `k` artists played equally."
        ),
    )
    """Shannon entropy of the user's play shares, in bits: `-sum(p_i * log2 p_i)` with `p_i =
    weight_i / plays` over the user's artists. 0 for one artist (or none), `log2(k)` for
    `k` artists played equally.
    """

    distinct_tags: int = Field(
        description="Number of distinct tags applied, by anyone, to the artists the user listens to.",
    )
    """Number of distinct tags applied, by anyone, to the artists the user listens to."""

    plays: int = Field(description="Sum of the user's play counts.")
    """Sum of the user's play counts."""


class SocialGraph(SoundStreamModel):
    """The friendship graph, and how sociability relates to the diversity of listening."""

    users: int = Field(description="Number of users (graph nodes), friends or not.")
    """Number of users (graph nodes), friends or not."""

    friendship_pairs: int = Field(
        description="Number of friendships as undirected pairs (graph edges).",
    )
    """Number of friendships as undirected pairs (graph edges)."""

    users_without_friends: int = Field(description="Users without any friend (degree 0).")
    """Users without any friend (degree 0)."""

    mean_degree: float = Field(description="Mean degree: `2 * friendship_pairs / users`.")
    """Mean degree: `2 * friendship_pairs / users`."""

    median_degree: float = Field(
        description="Median degree (mean of the two middle values for an even number of users).",
    )
    """Median degree (mean of the two middle values for an even number of users)."""

    max_degree: int = Field(description="Largest degree.")
    """Largest degree."""

    degree_distribution: list[DegreeCount] = Field(
        description="How many users have each degree, by degree ascending; only degrees some user has.",
    )
    """How many users have each degree, by degree ascending; only degrees some user has."""

    correlations: list[DiversityCorrelation] = Field(
        description="Correlation of `friends` with each diversity measure, over every user.",
    )
    """Correlation of `friends` with each diversity measure, over every user."""

    points: list[SocialPoint] = Field(
        description="Every user as a point of the scatter, by user id.",
    )
    """Every user as a point of the scatter, by user id."""

    def points_frame(self) -> DataFrame:
        """`points` as a DataFrame, one row per user (needs `soundstream-sdk[pandas]`)."""
        from .._output import models_to_dataframe

        return models_to_dataframe(self.points, SocialPoint)

    def to_pandas(self) -> DataFrame:
        """One row per user (`points_frame()`): `user_id`, `friends`, `distinct_artists`,
        `play_entropy`, `distinct_tags`, `plays`. The graph's figures (`users`,
        `friendship_pairs`, `users_without_friends`, `mean_degree`, `median_degree`,
        `max_degree`) are in `df.attrs`; the other tidy frames are in `to_frames()`."""
        df = self.points_frame()
        df.attrs.update(self.model_dump(exclude={"points", "degree_distribution", "correlations"}))
        return df

    def to_frames(self) -> dict[str, DataFrame]:
        """Every part as a tidy DataFrame, by name:

        - `points`: `to_pandas()`, one row per user;
        - `degrees`: one row per degree some user has, `degree`, `users`;
        - `correlations`: one row per (measure, method), `measure`, `method` (`pearson` or
          `spearman`), `n`, `r`, `t`, `p_value`.
        """
        from .._output import models_to_dataframe

        rows = [
            {"measure": c.measure, "method": method, "n": c.n, **test.to_dict()}
            for c in self.correlations
            for method, test in (("pearson", c.pearson), ("spearman", c.spearman))
        ]
        correlations = _pandas().DataFrame.from_records(
            rows, columns=["measure", "method", "n", "r", "t", "p_value"]
        )
        correlations = correlations.astype(
            {"n": "int64", "r": "float64", "t": "float64", "p_value": "float64"}
        )
        return {
            "points": self.to_pandas(),
            "degrees": models_to_dataframe(self.degree_distribution, DegreeCount),
            "correlations": typing.cast("DataFrame", correlations),
        }


class TagCloudEntry(SoundStreamModel):
    """A tag of a tag cloud, with its drawing weight."""

    frame_columns: ClassVar[dict[str, str]] = {"value": "tag"}

    tag_id: int = Field(description="Tag id.")
    """Tag id."""

    value: str = Field(description="Tag text.")
    """Tag text."""

    count: int = Field(description="Number of tag assignments with this tag in the cloud's scope.")
    """Number of tag assignments with this tag in the cloud's scope."""

    weight: float = Field(
        description=(
            "Size for drawing, in [0, 1], log-scaled over the returned tags: `(ln count - ln min)"
            " / (ln max - ln min)` with `min` and `max` the smallest and largest `count` returned"
            " (1 when they are equal). Draw with `font_size = smallest + weight * (largest - "
            "smallest)`."
        ),
    )
    """Size for drawing, in [0, 1], log-scaled over the returned tags: `(ln count - ln
    min) / (ln max - ln min)` with `min` and `max` the smallest and largest `count`
    returned (1 when they are equal). Draw with `font_size = smallest + weight * (largest
    - smallest)`.
    """
