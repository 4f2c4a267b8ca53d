//! Read models of the analytics area: what the `/v1/analytics` endpoints return, shaped for
//! plotting. The statistics that fill them are in [`crate::stats`].

use serde::{Deserialize, Serialize};

/// Global counts, totals and averages of the dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DatasetSummary {
    /// Rows in `artists`.
    pub artists: i64,
    /// Rows in `users`.
    pub users: i64,
    /// Rows in `tags`.
    pub tags: i64,
    /// Listens: rows in `user_artists`, one per (user, artist) with the user's play count.
    pub listens: i64,
    /// Tag assignments: rows in `user_taggedartists`, one per (user, artist, tag).
    pub tag_assignments: i64,
    /// Rows in `user_friends`: each friendship is stored once per direction.
    pub friendship_rows: i64,
    /// Friendships as undirected pairs {a, b} (distinct unordered pairs of the rows; half the
    /// rows when every friendship is stored in both directions).
    pub friendship_pairs: i64,
    /// Sum of every listen's play count (`weight`).
    pub total_plays: i64,
    /// Artists with at least one listen.
    pub artists_with_listeners: i64,
    /// Users with at least one listen.
    pub users_with_listens: i64,
    /// Tags applied at least once.
    pub tags_used: i64,
    /// Users who applied at least one tag.
    pub users_who_tag: i64,
    /// Users with at least one friend (in either direction of a row).
    pub users_with_friends: i64,
    /// Mean number of artists a user listens to: `listens / users` (0 without users).
    pub artists_per_user: f64,
    /// Mean number of listeners of an artist: `listens / artists` (0 without artists).
    pub listeners_per_artist: f64,
    /// Mean play count of a listen: `total_plays / listens` (0 without listens).
    pub plays_per_listen: f64,
    /// Mean number of tag assignments per user: `tag_assignments / users` (0 without users).
    pub tag_assignments_per_user: f64,
    /// Mean number of friends per user, i.e. the mean degree of the undirected friendship
    /// graph: `2 * friendship_pairs / users` (0 without users).
    pub friends_per_user: f64,
    /// Date of the earliest tag assignment (`YYYY-MM-DD`, from its stored year, month and
    /// day); null when there is none.
    pub first_tag_assignment: Option<String>,
    /// Date of the latest tag assignment (`YYYY-MM-DD`); null when there is none.
    pub last_tag_assignment: Option<String>,
}

/// A tag with how widely it is used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TagUsage {
    /// Tag id.
    pub tag_id: i64,
    /// Tag text.
    pub value: String,
    /// Number of times the tag was applied (tag assignments).
    pub usage: i64,
    /// Number of distinct artists it was applied to.
    pub artists: i64,
    /// Number of distinct users who applied it.
    pub users: i64,
}

/// What one user does in the dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserActivity {
    /// User id.
    pub user_id: i64,
    /// Sum of the user's play counts over all artists.
    pub plays: i64,
    /// Number of distinct artists the user listens to.
    pub artists: i64,
    /// Number of tag assignments the user made.
    pub tags_applied: i64,
    /// Number of distinct friends (degree in the undirected friendship graph).
    pub friends: i64,
}

/// One bin of a histogram on a log10 scale: the values `v` with `lower <= v < upper`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistogramBin {
    /// Lower bound, included: `10^(k / bins_per_decade)` for the bin's integer `k`.
    pub lower: f64,
    /// Upper bound, excluded: `10^((k + 1) / bins_per_decade)`.
    pub upper: f64,
    /// Number of values in the bin.
    pub count: i64,
}

/// Summary statistics and a log-scale histogram of a set of non-negative integer values.
///
/// Quantiles interpolate linearly between the two nearest order statistics (type 7 of
/// Hyndman & Fan, the default of NumPy and R): with the `n` values sorted ascending as
/// `x[0..n]` and `h = (n - 1) * q`, `Q(q) = x[floor h] + (h - floor h) * (x[floor h + 1] -
/// x[floor h])`. Every statistic is 0 when there are no values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Distribution {
    /// Number of values.
    pub count: i64,
    /// Sum of the values.
    pub sum: i64,
    /// How many values are 0 (they have no place on a log scale, so no histogram bin holds
    /// them).
    pub zeros: i64,
    /// Smallest value.
    pub min: i64,
    /// 10th percentile.
    pub p10: f64,
    /// 25th percentile (first quartile).
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th percentile (third quartile).
    pub p75: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Largest value.
    pub max: i64,
    /// Arithmetic mean.
    pub mean: f64,
    /// Histogram of the positive values on a log10 scale: contiguous bins (empty ones
    /// included) from the bin of the smallest positive value to the bin of the largest.
    pub histogram: Vec<HistogramBin>,
}

/// The plays held by the most played artists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopShare {
    /// The top fraction of artists, in percent (1 or 10).
    pub percent: f64,
    /// How many artists that is: `ceil(percent / 100 * artists)`.
    pub artists: i64,
    /// Their plays together.
    pub plays: i64,
    /// Their plays as a share of all plays, in [0, 1].
    pub plays_share: f64,
}

/// One point of the Lorenz curve of per-artist plays.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LorenzPoint {
    /// Share of artists, the least played first: `m / n` for the `m` least played of `n`.
    pub artists_share: f64,
    /// Share of all plays those `m` artists hold.
    pub plays_share: f64,
}

/// A group of artists in the head/long-tail split.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArtistSegment {
    /// Number of artists in the group.
    pub artists: i64,
    /// Their share of all artists, in [0, 1].
    pub artists_share: f64,
    /// Their plays together.
    pub plays: i64,
    /// Their share of all plays, in [0, 1].
    pub plays_share: f64,
}

/// How concentrated listening is: per-artist plays and per-listen play counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListeningDistribution {
    /// Histogram bins per power of ten (both histograms).
    pub bins_per_decade: i64,
    /// Total plays of each artist of the catalogue (artists nobody listens to count as 0).
    pub artist_plays: Distribution,
    /// Play count (`weight`) of each listen, i.e. of each (user, artist) pair.
    pub listen_weights: Distribution,
    /// Plays held by the top 1% of artists by plays.
    pub top_1_percent: TopShare,
    /// Plays held by the top 10% of artists by plays.
    pub top_10_percent: TopShare,
    /// Gini coefficient of per-artist plays, in [0, 1): with the `n` artists' plays sorted
    /// ascending as `x_1..x_n`, `G = 2 * sum(i * x_i) / (n * sum(x_i)) - (n + 1) / n` (0 when
    /// every artist has the same plays, `1 - 1/n` when one artist has them all). Null when
    /// there are no plays.
    pub gini: Option<f64>,
    /// Lorenz curve of per-artist plays: 101 points, for `k = 0..=100` the `m =
    /// round(k * n / 100)` least played artists (so from (0, 0) to (1, 1)). The diagonal is
    /// perfect equality; the Gini coefficient is twice the area between it and the curve.
    pub lorenz: Vec<LorenzPoint>,
    /// The share of plays that defines the head: `head_share` = 0.8.
    pub head_share: f64,
    /// The head ("superstars"): the fewest most played artists whose plays together reach at
    /// least `head_share` of all plays.
    pub head: ArtistSegment,
    /// The long tail: every other artist.
    pub tail: ArtistSegment,
}

/// Tag assignments counted in one period, for one tag or for all tags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TagTrendPoint {
    /// The period: `2009` by year, `2009-04` by month (from the assignments' stored year and
    /// month).
    pub period: String,
    /// The tag, or null for the series of all tags together.
    pub tag_id: Option<i64>,
    /// The tag's text, or null for the series of all tags together.
    pub value: Option<String>,
    /// Number of tag assignments in the period (0 for a period without any).
    pub count: i64,
    /// `count` as a share of all tag assignments of the period, in [0, 1] (0 when the period
    /// has none): the tag's popularity with the dataset's overall activity factored out.
    pub share: f64,
}

/// How many users have a given number of friends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DegreeCount {
    /// Number of friends.
    pub degree: i64,
    /// Number of users with exactly that many friends.
    pub users: i64,
}

/// A measure of how diverse a user's listening is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DiversityMeasure {
    /// Number of distinct artists the user listens to.
    DistinctArtists,
    /// Shannon entropy of the user's play shares, in bits.
    PlayEntropy,
    /// Number of distinct tags applied (by anyone) to the artists the user listens to.
    DistinctTags,
}

/// A correlation coefficient with its significance test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CorrelationTest {
    /// The coefficient `r`, in [-1, 1]; null when a variable is constant (or n < 2).
    pub r: Option<f64>,
    /// The test statistic `t = r * sqrt((n - 2) / (1 - r^2))`, with n - 2 degrees of freedom;
    /// null when `r` is null, n < 3 or |r| = 1.
    pub t: Option<f64>,
    /// Two-sided p-value of `r = 0`: `P(|T| >= |t|)` for `T` following Student's t
    /// distribution with n - 2 degrees of freedom, computed exactly (regularized incomplete
    /// beta function), not by a normal approximation. 0 when |r| = 1; null when `r` is null
    /// or n < 3. For Spearman's coefficient this t test is the usual large-sample
    /// approximation (as in SciPy), sound at this n.
    pub p_value: Option<f64>,
}

/// How the number of friends correlates with one diversity measure, over every user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiversityCorrelation {
    /// The diversity measure correlated with `friends`.
    pub measure: DiversityMeasure,
    /// Number of users (points).
    pub n: i64,
    /// Pearson's linear correlation coefficient.
    pub pearson: CorrelationTest,
    /// Spearman's rank correlation: Pearson's coefficient of the ranks, tied values sharing
    /// the mean of their ranks.
    pub spearman: CorrelationTest,
}

/// One user in the friends-vs-diversity scatter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SocialPoint {
    /// User id.
    pub user_id: i64,
    /// Number of distinct friends (degree).
    pub friends: i64,
    /// Number of distinct artists the user listens to (the dataset keeps at most each user's
    /// top 50).
    pub distinct_artists: i64,
    /// Shannon entropy of the user's play shares, in bits: `-sum(p_i * log2 p_i)` with `p_i =
    /// weight_i / plays` over the user's artists. 0 for one artist (or none), `log2(k)` for
    /// `k` artists played equally.
    pub play_entropy: f64,
    /// Number of distinct tags applied, by anyone, to the artists the user listens to.
    pub distinct_tags: i64,
    /// Sum of the user's play counts.
    pub plays: i64,
}

/// The friendship graph, and how sociability relates to the diversity of listening.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SocialGraph {
    /// Number of users (graph nodes), friends or not.
    pub users: i64,
    /// Number of friendships as undirected pairs (graph edges).
    pub friendship_pairs: i64,
    /// Users without any friend (degree 0).
    pub users_without_friends: i64,
    /// Mean degree: `2 * friendship_pairs / users`.
    pub mean_degree: f64,
    /// Median degree (mean of the two middle values for an even number of users).
    pub median_degree: f64,
    /// Largest degree.
    pub max_degree: i64,
    /// How many users have each degree, by degree ascending; only degrees some user has.
    pub degree_distribution: Vec<DegreeCount>,
    /// Correlation of `friends` with each diversity measure, over every user.
    pub correlations: Vec<DiversityCorrelation>,
    /// Every user as a point of the scatter, by user id.
    pub points: Vec<SocialPoint>,
}

/// A tag of a tag cloud, with its drawing weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TagCloudEntry {
    /// Tag id.
    pub tag_id: i64,
    /// Tag text.
    pub value: String,
    /// Number of tag assignments with this tag in the cloud's scope.
    pub count: i64,
    /// Size for drawing, in [0, 1], log-scaled over the returned tags: `(ln count - ln
    /// min) / (ln max - ln min)` with `min` and `max` the smallest and largest `count`
    /// returned (1 when they are equal). Draw with `font_size = smallest + weight * (largest
    /// - smallest)`.
    pub weight: f64,
}
