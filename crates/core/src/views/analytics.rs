//! Read models of the analytics area (what the `/v1/analytics` endpoints return, shaped for
//! plotting), and [`stats`], the pure statistics that fill them.

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

/// Pure statistics over slices of numbers, with no IO: what the analytics read models are
/// computed from. Every function is deterministic and documents its definition.
pub mod stats {
    /// The `q`-quantile (`q` in [0, 1]) of values sorted ascending, by linear interpolation
    /// between the nearest order statistics (Hyndman & Fan type 7, NumPy's default).
    /// `None` for no values.
    pub fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
        let n = sorted.len();
        if n == 0 {
            return None;
        }
        let h = (n - 1) as f64 * q.clamp(0.0, 1.0);
        let lo = h.floor() as usize;
        let hi = (lo + 1).min(n - 1);
        Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
    }

    /// The arithmetic mean; `None` for no values.
    pub fn mean(values: &[f64]) -> Option<f64> {
        if values.is_empty() {
            None
        } else {
            Some(values.iter().sum::<f64>() / values.len() as f64)
        }
    }

    /// The Gini coefficient of non-negative values sorted ascending: `2 * sum(i * x_i) /
    /// (n * sum(x)) - (n + 1) / n` with `i` from 1. 0 for equal values, `1 - 1/n` when one
    /// value holds everything. `None` for no values or a zero sum.
    pub fn gini(sorted: &[f64]) -> Option<f64> {
        let n = sorted.len() as f64;
        let total: f64 = sorted.iter().sum();
        if sorted.is_empty() || total <= 0.0 {
            return None;
        }
        let weighted: f64 = sorted
            .iter()
            .enumerate()
            .map(|(i, x)| (i + 1) as f64 * x)
            .sum();
        Some(2.0 * weighted / (n * total) - (n + 1.0) / n)
    }

    /// The Lorenz curve of non-negative values sorted ascending, at `steps + 1` points: for
    /// `k = 0..=steps`, the share `m / n` of the `m = round(k * n / steps)` smallest values and
    /// the share of the total they hold. Empty for no values or a zero total.
    pub fn lorenz(sorted: &[f64], steps: usize) -> Vec<(f64, f64)> {
        let n = sorted.len();
        let total: f64 = sorted.iter().sum();
        if n == 0 || total <= 0.0 || steps == 0 {
            return Vec::new();
        }
        let mut cumulative = Vec::with_capacity(n + 1);
        cumulative.push(0.0);
        let mut running = 0.0;
        for x in sorted {
            running += x;
            cumulative.push(running);
        }
        (0..=steps)
            .map(|k| {
                // round(k * n / steps), half up, in integers.
                let m = (2 * k * n + steps) / (2 * steps);
                (m as f64 / n as f64, cumulative[m] / total)
            })
            .collect()
    }

    /// Pearson's correlation coefficient of two equally long samples; `None` when they are
    /// shorter than 2, of different lengths, or one is constant.
    pub fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
        if x.len() != y.len() || x.len() < 2 {
            return None;
        }
        let (mx, my) = (mean(x)?, mean(y)?);
        let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
        for (a, b) in x.iter().zip(y) {
            let (dx, dy) = (a - mx, b - my);
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if sxx == 0.0 || syy == 0.0 {
            return None;
        }
        Some((sxy / (sxx.sqrt() * syy.sqrt())).clamp(-1.0, 1.0))
    }

    /// Ranks from 1, tied values sharing the mean of the ranks they span (`[10, 20, 20, 30]`
    /// ranks as `[1, 2.5, 2.5, 4]`).
    pub fn ranks(values: &[f64]) -> Vec<f64> {
        let mut order: Vec<usize> = (0..values.len()).collect();
        order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
        let mut ranks = vec![0.0; values.len()];
        let mut start = 0;
        while start < order.len() {
            let mut end = start + 1;
            while end < order.len() && values[order[end]] == values[order[start]] {
                end += 1;
            }
            // Positions start..end hold ranks start+1..=end; their mean:
            let shared = (start + 1 + end) as f64 / 2.0;
            for &i in &order[start..end] {
                ranks[i] = shared;
            }
            start = end;
        }
        ranks
    }

    /// Spearman's rank correlation: Pearson's coefficient of the average ranks.
    pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
        if x.len() != y.len() {
            return None;
        }
        pearson(&ranks(x), &ranks(y))
    }

    /// Shannon entropy in bits of the shares of non-negative weights: `-sum(p log2 p)` with
    /// `p = w / sum(w)`, zero weights contributing nothing. 0 for no weights or a zero sum.
    pub fn entropy_bits(weights: &[f64]) -> f64 {
        let total: f64 = weights.iter().sum();
        if total <= 0.0 {
            return 0.0;
        }
        let h: f64 = weights
            .iter()
            .filter(|&&w| w > 0.0)
            .map(|&w| {
                let p = w / total;
                -p * p.log2()
            })
            .sum();
        h.max(0.0)
    }

    /// The t statistic of a correlation `r` over `n` pairs: `r * sqrt((n - 2) / (1 - r^2))`;
    /// `None` for n < 3 or |r| = 1 (infinite).
    pub fn correlation_t(r: f64, n: usize) -> Option<f64> {
        if n < 3 || r.abs() >= 1.0 {
            return None;
        }
        Some(r * ((n - 2) as f64 / (1.0 - r * r)).sqrt())
    }

    /// Two-sided p-value of a correlation `r` over `n` pairs under `r = 0`, with the t test of
    /// n - 2 degrees of freedom; 0 for |r| = 1, `None` for n < 3.
    pub fn correlation_p_value(r: f64, n: usize) -> Option<f64> {
        if n < 3 {
            return None;
        }
        match correlation_t(r, n) {
            Some(t) => Some(student_t_two_sided(t, (n - 2) as f64)),
            None => Some(0.0),
        }
    }

    /// `P(|T| >= |t|)` for `T` following Student's t distribution with `df` degrees of freedom:
    /// the regularized incomplete beta function `I_x(df/2, 1/2)` at `x = df / (df + t^2)`.
    /// Relative error about 1e-10 up to df = 1e5 (tested); beyond, `ln Γ` of huge arguments
    /// loses digits, and a normal approximation would serve better.
    pub fn student_t_two_sided(t: f64, df: f64) -> f64 {
        if t.is_nan() || df <= 0.0 {
            return f64::NAN;
        }
        if t.is_infinite() {
            return 0.0;
        }
        regularized_beta(df / 2.0, 0.5, df / (df + t * t)).clamp(0.0, 1.0)
    }

    /// `ln Γ(x)` for `x > 0`, by the Lanczos approximation (g = 7, 9 terms; relative error
    /// about 1e-15).
    pub fn ln_gamma(x: f64) -> f64 {
        const COEFFICIENTS: [f64; 9] = [
            0.999_999_999_999_809_9,
            676.520_368_121_885_1,
            -1_259.139_216_722_402_8,
            771.323_428_777_653_1,
            -176.615_029_162_140_6,
            12.507_343_278_686_905,
            -0.138_571_095_265_720_12,
            9.984_369_578_019_572e-6,
            1.505_632_735_149_311_6e-7,
        ];
        if x < 0.5 {
            // Reflection: Γ(x) Γ(1 - x) = π / sin(πx).
            return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln()
                - ln_gamma(1.0 - x);
        }
        let x = x - 1.0;
        let mut sum = COEFFICIENTS[0];
        for (i, c) in COEFFICIENTS.iter().enumerate().skip(1) {
            sum += c / (x + i as f64);
        }
        let t = x + 7.5;
        0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
    }

    /// The regularized incomplete beta function `I_x(a, b)` for `a, b > 0` and `x` in [0, 1],
    /// by its continued fraction (modified Lentz), on the side of `x` where it converges fast.
    pub fn regularized_beta(a: f64, b: f64, x: f64) -> f64 {
        if x <= 0.0 {
            return 0.0;
        }
        if x >= 1.0 {
            return 1.0;
        }
        let front =
            (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (-x).ln_1p()).exp();
        if x < (a + 1.0) / (a + b + 2.0) {
            front * beta_fraction(a, b, x) / a
        } else {
            1.0 - front * beta_fraction(b, a, 1.0 - x) / b
        }
    }

    /// The continued fraction of the incomplete beta function (Numerical Recipes' `betacf`).
    fn beta_fraction(a: f64, b: f64, x: f64) -> f64 {
        const TINY: f64 = 1e-300;
        const EPSILON: f64 = 1e-16;
        let guard = |v: f64| if v.abs() < TINY { TINY } else { v };
        let mut c = 1.0;
        let mut d = 1.0 / guard(1.0 - (a + b) * x / (a + 1.0));
        let mut h = d;
        for m in 1..100_000 {
            let m = f64::from(m);
            let even = m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m));
            d = 1.0 / guard(1.0 + even * d);
            c = guard(1.0 + even / c);
            h *= d * c;
            let odd = -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0));
            d = 1.0 / guard(1.0 + odd * d);
            c = guard(1.0 + odd / c);
            let step = d * c;
            h *= step;
            if (step - 1.0).abs() < EPSILON {
                break;
            }
        }
        h
    }

    /// The log10-scale bin index of a positive value with `per_decade` bins per power of ten:
    /// the `k` with `10^(k / per_decade) <= value < 10^((k + 1) / per_decade)`.
    pub fn log_bin(value: f64, per_decade: u32) -> i64 {
        let mut k = (value.log10() * f64::from(per_decade)).floor() as i64;
        // Correct the floating-point rounding of log10 at the edges.
        while value < log_edge(k, per_decade) {
            k -= 1;
        }
        while value >= log_edge(k + 1, per_decade) {
            k += 1;
        }
        k
    }

    /// The lower edge of log10-scale bin `k`: `10^(k / per_decade)`.
    pub fn log_edge(k: i64, per_decade: u32) -> f64 {
        10f64.powf(k as f64 / f64::from(per_decade))
    }

    /// A histogram of the positive values on a log10 scale: `(lower, upper, count)` for every
    /// bin from the smallest positive value's to the largest's, empty bins included. Values
    /// of 0 or less are left out.
    pub fn log_histogram(values: &[f64], per_decade: u32) -> Vec<(f64, f64, i64)> {
        let bins: Vec<i64> = values
            .iter()
            .filter(|&&v| v > 0.0)
            .map(|&v| log_bin(v, per_decade))
            .collect();
        let (Some(&first), Some(&last)) = (bins.iter().min(), bins.iter().max()) else {
            return Vec::new();
        };
        let mut counts = vec![0_i64; (last - first + 1) as usize];
        for k in bins {
            counts[(k - first) as usize] += 1;
        }
        counts
            .into_iter()
            .enumerate()
            .map(|(i, count)| {
                let k = first + i as i64;
                (log_edge(k, per_decade), log_edge(k + 1, per_decade), count)
            })
            .collect()
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn close(a: f64, b: f64, tolerance: f64) -> bool {
            (a - b).abs() <= tolerance
        }

        #[test]
        fn quantiles_interpolate_between_order_statistics() {
            let x = [1.0, 2.0, 3.0, 4.0];
            assert_eq!(quantile(&x, 0.0), Some(1.0));
            assert_eq!(quantile(&x, 0.5), Some(2.5));
            assert_eq!(quantile(&x, 1.0), Some(4.0));
            // h = 3 * 0.1 = 0.3: 1 + 0.3 * (2 - 1).
            assert!(close(quantile(&x, 0.1).unwrap(), 1.3, 1e-12));
            assert!(close(quantile(&x, 0.75).unwrap(), 3.25, 1e-12));
            assert_eq!(quantile(&[7.0], 0.9), Some(7.0));
            assert_eq!(quantile(&[], 0.5), None);
        }

        #[test]
        fn the_gini_of_equal_values_is_zero() {
            assert!(close(gini(&[3.0, 3.0, 3.0, 3.0]).unwrap(), 0.0, 1e-12));
        }

        #[test]
        fn the_gini_of_one_value_holding_everything_is_one_minus_one_over_n() {
            assert!(close(gini(&[0.0, 0.0, 0.0, 1.0]).unwrap(), 0.75, 1e-12));
            assert_eq!(gini(&[0.0, 0.0]), None);
            assert_eq!(gini(&[]), None);
        }

        #[test]
        fn the_gini_of_a_small_sample_matches_the_mean_difference_formula() {
            // Mean absolute difference over all ordered pairs / (2 * mean):
            // values 1, 2, 3, 4: sum |xi - xj| = 20, n^2 = 16, mean 2.5 -> 20 / 16 / 5 = 0.25.
            assert!(close(gini(&[1.0, 2.0, 3.0, 4.0]).unwrap(), 0.25, 1e-12));
        }

        #[test]
        fn the_lorenz_curve_runs_from_zero_to_one_below_the_diagonal() {
            let curve = lorenz(&[0.0, 0.0, 0.0, 1.0], 4);
            assert_eq!(
                curve,
                vec![(0.0, 0.0), (0.25, 0.0), (0.5, 0.0), (0.75, 0.0), (1.0, 1.0)]
            );
            let curve = lorenz(&[1.0, 1.0, 2.0], 2);
            // round(1 * 3 / 2) = 2 (half up): two smallest hold 2 of 4.
            assert_eq!(curve, vec![(0.0, 0.0), (2.0 / 3.0, 0.5), (1.0, 1.0)]);
            assert!(lorenz(&[], 10).is_empty());
        }

        #[test]
        fn the_pearson_of_a_perfect_line_is_one_and_of_a_falling_line_minus_one() {
            let x = [1.0, 2.0, 3.0, 4.0, 5.0];
            let up: Vec<f64> = x.iter().map(|v| 3.0 * v + 1.0).collect();
            let down: Vec<f64> = x.iter().map(|v| -0.5 * v + 10.0).collect();
            assert!(close(pearson(&x, &up).unwrap(), 1.0, 1e-12));
            assert!(close(pearson(&x, &down).unwrap(), -1.0, 1e-12));
        }

        #[test]
        fn the_pearson_of_a_constant_is_undefined() {
            assert_eq!(pearson(&[1.0, 2.0, 3.0], &[5.0, 5.0, 5.0]), None);
            assert_eq!(pearson(&[1.0], &[2.0]), None);
            assert_eq!(pearson(&[1.0, 2.0], &[2.0]), None);
        }

        #[test]
        fn the_pearson_of_a_small_sample_matches_a_hand_computation() {
            // x = 1, 2, 3; y = 1, 3, 2: sxy = 1, sxx = 2, syy = 2 -> r = 0.5.
            assert!(close(
                pearson(&[1.0, 2.0, 3.0], &[1.0, 3.0, 2.0]).unwrap(),
                0.5,
                1e-12
            ));
        }

        #[test]
        fn tied_values_share_the_mean_of_their_ranks() {
            assert_eq!(
                ranks(&[20.0, 10.0, 20.0, 30.0, 20.0]),
                vec![3.0, 1.0, 3.0, 5.0, 3.0]
            );
            assert_eq!(ranks(&[10.0, 20.0, 20.0, 30.0]), vec![1.0, 2.5, 2.5, 4.0]);
        }

        #[test]
        fn spearman_is_one_for_any_increasing_relation_and_handles_ties() {
            let x = [1.0, 2.0, 3.0, 4.0];
            assert!(close(
                spearman(&x, &[1.0, 8.0, 27.0, 1000.0]).unwrap(),
                1.0,
                1e-12
            ));
            // Ranks of y = [1, 2.5, 2.5, 4]: Pearson with 1..4 gives 4.5 / sqrt(5 * 4.5).
            let with_ties = spearman(&x, &[10.0, 20.0, 20.0, 30.0]).unwrap();
            assert!(close(with_ties, 4.5 / (5.0_f64 * 4.5).sqrt(), 1e-12));
        }

        #[test]
        fn the_entropy_of_equal_shares_is_log2_of_their_number() {
            assert!(close(entropy_bits(&[5.0, 5.0, 5.0, 5.0]), 2.0, 1e-12));
            assert!(close(entropy_bits(&[7.0]), 0.0, 1e-12));
            assert!(close(entropy_bits(&[3.0, 0.0, 3.0]), 1.0, 1e-12));
            assert_eq!(entropy_bits(&[]), 0.0);
            // p = 1/4, 3/4: -(0.25 log2 0.25 + 0.75 log2 0.75).
            let h = 0.5 + 0.75 * (4.0_f64 / 3.0).log2();
            assert!(close(entropy_bits(&[1.0, 3.0]), h, 1e-12));
        }

        #[test]
        fn ln_gamma_matches_factorials() {
            assert!(close(ln_gamma(1.0), 0.0, 1e-13));
            assert!(close(ln_gamma(5.0), 24f64.ln(), 1e-13));
            assert!(close(
                ln_gamma(0.5),
                std::f64::consts::PI.sqrt().ln(),
                1e-13
            ));
            // ln 100! = 363.739375555563490...
            assert!(close(ln_gamma(101.0), 363.739_375_555_563_5, 1e-10));
        }

        #[test]
        fn student_t_p_values_match_the_closed_forms_for_one_two_and_three_degrees_of_freedom() {
            use std::f64::consts::PI;
            for t in [0.0, 0.3, 1.0, 2.5, 12.0, -4.0] {
                let a: f64 = t;
                let one = 1.0 - 2.0 / PI * a.abs().atan();
                let two = 1.0 - a.abs() / (2.0 + a * a).sqrt();
                let s = a.abs() / 3f64.sqrt();
                let three = 1.0 - 2.0 / PI * (s / (1.0 + s * s) + s.atan());
                assert!(close(student_t_two_sided(t, 1.0), one, 1e-13), "t={t}");
                assert!(close(student_t_two_sided(t, 2.0), two, 1e-13), "t={t}");
                assert!(close(student_t_two_sided(t, 3.0), three, 1e-13), "t={t}");
            }
        }

        #[test]
        fn student_t_p_values_with_many_degrees_of_freedom_match_reference_values() {
            // The classic two-sided 5% critical values: t(10) = 2.228138851986 and t(1000) =
            // 1.9623390808264.
            assert!(close(
                student_t_two_sided(2.228_138_851_986, 10.0),
                0.05,
                1e-11
            ));
            assert!(close(
                student_t_two_sided(1.962_339_080_826_4, 1000.0),
                0.05,
                1e-9
            ));
            // At the social endpoint's df (n = 1,892 users), against a numerical integration of
            // the t density (Simpson, 400,000 steps); tiny p-values stay accurate relatively.
            for (t, df, reference) in [
                (1.96, 1e5, 0.049_998_563_193_27),
                (0.5, 1890.0, 0.617_133_284_544_9),
                (4.0, 1890.0, 6.578_268_169_95e-5),
                (10.0, 1890.0, 5.611_653_773_39e-23),
            ] {
                let p = student_t_two_sided(t, df);
                assert!((p / reference - 1.0).abs() < 1e-9, "t={t} df={df}: {p}");
            }
        }

        #[test]
        fn a_correlations_test_has_n_minus_two_degrees_of_freedom() {
            // r = 0.5 over n = 12: t = 0.5 * sqrt(10 / 0.75) = 1.8257..., df 10.
            let t = correlation_t(0.5, 12).unwrap();
            assert!(close(t, (10.0_f64 / 0.75).sqrt() / 2.0, 1e-12));
            let p = correlation_p_value(0.5, 12).unwrap();
            assert!(close(p, student_t_two_sided(t, 10.0), 1e-15));
            assert_eq!(correlation_p_value(1.0, 12), Some(0.0));
            assert_eq!(correlation_t(1.0, 12), None);
            assert_eq!(correlation_p_value(0.5, 2), None);
        }

        #[test]
        fn log_bins_put_powers_of_ten_at_the_start_of_a_bin() {
            assert_eq!(log_bin(1.0, 5), 0);
            assert_eq!(log_bin(10.0, 5), 5);
            assert_eq!(log_bin(1000.0, 5), 15);
            assert_eq!(log_bin(999.0, 5), 14);
            assert_eq!(log_bin(1_000_000.0, 4), 24);
            assert_eq!(log_bin(2.0, 1), 0);
        }

        #[test]
        fn a_log_histogram_is_contiguous_and_leaves_out_zeros() {
            let hist = log_histogram(&[0.0, 1.0, 2.0, 150.0, 100.0], 1);
            assert_eq!(
                hist,
                vec![(1.0, 10.0, 2), (10.0, 100.0, 0), (100.0, 1000.0, 2)]
            );
            assert!(log_histogram(&[0.0], 1).is_empty());
        }
    }
}
