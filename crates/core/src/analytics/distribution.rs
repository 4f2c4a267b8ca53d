//! The long tail of listening: summary statistics and log-scale histograms of per-artist
//! plays and per-listen play counts, the plays of the top artists, the Gini coefficient, the
//! Lorenz curve and the head/long-tail split.

use super::share;
use crate::stats;
use crate::views::analytics::{
    ArtistSegment, Distribution, ListeningDistribution, LorenzPoint, TopShare,
};

/// The share of all plays that makes the head of the head/long-tail split.
pub const HEAD_SHARE: f64 = 0.8;
/// Segments of the Lorenz curve (it has one point more).
pub const LORENZ_STEPS: usize = 100;

/// Summary statistics and the log-scale histogram (`per_decade` bins per power of ten) of
/// non-negative integers; every statistic is 0 for no values.
pub fn distribution(values: &[i64], per_decade: u32) -> Distribution {
    let mut sorted: Vec<f64> = values.iter().map(|&v| v as f64).collect();
    sorted.sort_by(f64::total_cmp);
    let q = |p: f64| stats::quantile(&sorted, p).unwrap_or(0.0);
    Distribution {
        count: values.len() as i64,
        sum: values.iter().sum(),
        zeros: values.iter().filter(|&&v| v == 0).count() as i64,
        min: values.iter().copied().min().unwrap_or(0),
        p10: q(0.10),
        p25: q(0.25),
        p50: q(0.50),
        p75: q(0.75),
        p90: q(0.90),
        p99: q(0.99),
        max: values.iter().copied().max().unwrap_or(0),
        mean: stats::mean(&sorted).unwrap_or(0.0),
        histogram: stats::log_histogram(&sorted, per_decade),
    }
}

/// The plays of the `ceil(percent% of n)` most played artists (`descending` is sorted).
fn top_share(descending: &[i64], percent: i64, total: i64) -> TopShare {
    let n = descending.len() as i64;
    let artists = (n * percent + 99) / 100;
    let plays = descending.iter().take(artists as usize).sum();
    TopShare {
        percent: percent as f64,
        artists,
        plays,
        plays_share: share(plays, total),
    }
}

/// The concentration of listening over artists (`plays` of every artist), per-listen play
/// counts (`weights`), with histograms of `per_decade` bins per power of ten.
pub fn listening_distribution(
    plays: &[i64],
    weights: &[i64],
    per_decade: u32,
) -> ListeningDistribution {
    let total: i64 = plays.iter().sum();
    let n = plays.len() as i64;
    let mut ascending: Vec<f64> = plays.iter().map(|&p| p as f64).collect();
    ascending.sort_by(f64::total_cmp);
    let mut descending = plays.to_vec();
    descending.sort_unstable_by(|a, b| b.cmp(a));
    // The head: the fewest top artists with 5 * plays >= 4 * total, i.e. at least 80% of
    // plays, compared in integers so that the threshold is exact.
    let (mut head_artists, mut head_plays) = (0_i64, 0_i64);
    for &p in &descending {
        if 5 * head_plays >= 4 * total {
            break;
        }
        head_artists += 1;
        head_plays += p;
    }
    let segment = |artists: i64, plays: i64| ArtistSegment {
        artists,
        artists_share: share(artists, n),
        plays,
        plays_share: share(plays, total),
    };
    ListeningDistribution {
        bins_per_decade: i64::from(per_decade),
        artist_plays: distribution(plays, per_decade),
        listen_weights: distribution(weights, per_decade),
        top_1_percent: top_share(&descending, 1, total),
        top_10_percent: top_share(&descending, 10, total),
        gini: stats::gini(&ascending),
        lorenz: stats::lorenz(&ascending, LORENZ_STEPS)
            .into_iter()
            .map(|step| LorenzPoint {
                artists_share: step.values_share,
                plays_share: step.total_share,
            })
            .collect(),
        head_share: HEAD_SHARE,
        head: segment(head_artists, head_plays),
        tail: segment(n - head_artists, total - head_plays),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_head_is_the_fewest_top_artists_reaching_eighty_percent_of_plays() {
        // Plays 50, 30, 10, 5, 5 (total 100): 50 + 30 = 80 reaches 80% with two artists.
        let d = listening_distribution(&[5, 50, 10, 30, 5], &[1, 2, 3], 1);
        assert_eq!((d.head.artists, d.head.plays), (2, 80));
        assert_eq!((d.tail.artists, d.tail.plays), (3, 20));
        assert_eq!(d.head.artists_share, 0.4);
        assert_eq!(d.tail.plays_share, 0.2);
        // ceil(1% of 5) = 1 artist, ceil(10% of 5) = 1 artist: the top one.
        assert_eq!((d.top_1_percent.artists, d.top_1_percent.plays), (1, 50));
        assert_eq!(d.top_10_percent.plays_share, 0.5);
        assert_eq!(d.lorenz.len(), 101);
        assert_eq!(d.artist_plays.sum, 100);
        assert_eq!(d.listen_weights.p50, 2.0);
    }

    #[test]
    fn a_distribution_of_nothing_is_all_zeros() {
        let d = listening_distribution(&[], &[], 5);
        assert_eq!(d.gini, None);
        assert!(d.lorenz.is_empty());
        assert_eq!((d.head.artists, d.tail.artists), (0, 0));
        assert_eq!(d.artist_plays.count, 0);
        assert!(d.artist_plays.histogram.is_empty());
    }

    #[test]
    fn a_distribution_counts_zeros_apart_and_bins_the_rest_by_decade() {
        // 0, 1, 5, 10, 100: one zero; with one bin a decade, [1, 10) holds 1 and 5,
        // [10, 100) holds 10, [100, 1000) holds 100.
        let d = distribution(&[10, 0, 100, 1, 5], 1);
        assert_eq!((d.count, d.sum, d.zeros, d.min, d.max), (5, 116, 1, 0, 100));
        assert_eq!((d.p50, d.mean), (5.0, 23.2));
        // h = 4 * 0.25 = 1: the second smallest; h = 4 * 0.9 = 3.6: 10 + 0.6 * 90.
        assert_eq!(d.p25, 1.0);
        assert!((d.p90 - 64.0).abs() < 1e-9);
        let bins: Vec<(f64, f64, i64)> = d
            .histogram
            .iter()
            .map(|b| (b.lower, b.upper, b.count))
            .collect();
        assert_eq!(bins, [(1.0, 10.0, 2), (10.0, 100.0, 1), (100.0, 1000.0, 1)]);
    }

    #[test]
    fn the_top_share_rounds_the_number_of_artists_up() {
        // ceil(10% of 11) = 2 artists: 40 + 30 of 100 plays.
        let descending = [40, 30, 10, 5, 5, 4, 3, 1, 1, 1, 0];
        let top = top_share(&descending, 10, 100);
        assert_eq!((top.artists, top.plays, top.plays_share), (2, 70, 0.7));
        assert_eq!(top_share(&[], 10, 0).plays_share, 0.0);
    }
}
