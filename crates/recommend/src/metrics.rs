//! Top-k ranking metrics with binary relevance (an artist is relevant when the user's held-out
//! listens contain it), averaged over users, and catalogue coverage.

use serde::{Deserialize, Serialize};

/// Quality of the top-k lists of one strategy, averaged over the evaluated users.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Share of the k recommended artists that the user listens to in the test split.
    pub precision: f64,
    /// Share of the user's test artists that are in the k recommended.
    pub recall: f64,
    /// Normalised discounted cumulative gain: hits near the top count more; 1 is a perfect
    /// list (as many hits as possible, all first).
    pub ndcg: f64,
    /// Mean average precision: the precision at each hit, averaged over
    /// `min(k, test artists)`.
    pub map: f64,
    /// Share of users with at least one hit.
    pub hit_rate: f64,
    /// Share of the catalogue recommended to at least one user.
    pub coverage: f64,
    /// Mean self-information of the recommended artists, in bits: `-log2((1 + listeners) /
    /// (1 + users))` with training listeners; higher means less known artists.
    pub novelty: f64,
    /// Share of the recommended slots given to long-tail artists: those outside the most
    /// played artists that together make 80 % of the training plays.
    pub long_tail: f64,
}

/// The metrics of one ranked list against the user's relevant artists, before averaging
/// (coverage is not a per-user quantity and stays 0).
pub(crate) fn score_list(ranked: &[u32], relevant: &[u32], k: usize) -> Metrics {
    if relevant.is_empty() {
        return Metrics::default();
    }
    let ranked = &ranked[..ranked.len().min(k)];
    let (mut hits, mut dcg, mut ap) = (0usize, 0f64, 0f64);
    for (rank, item) in ranked.iter().enumerate() {
        if relevant.contains(item) {
            hits += 1;
            dcg += 1.0 / ((rank + 2) as f64).log2();
            ap += hits as f64 / (rank + 1) as f64;
        }
    }
    let ideal_hits = relevant.len().min(k);
    let idcg: f64 = (0..ideal_hits).map(|r| 1.0 / ((r + 2) as f64).log2()).sum();
    Metrics {
        precision: hits as f64 / k as f64,
        recall: hits as f64 / relevant.len() as f64,
        ndcg: dcg / idcg,
        map: ap / ideal_hits as f64,
        hit_rate: if hits > 0 { 1.0 } else { 0.0 },
        ..Metrics::default()
    }
}

impl Metrics {
    pub(crate) fn add(&mut self, other: &Metrics) {
        self.precision += other.precision;
        self.recall += other.recall;
        self.ndcg += other.ndcg;
        self.map += other.map;
        self.hit_rate += other.hit_rate;
    }

    pub(crate) fn divide(&mut self, n: usize) {
        let n = n.max(1) as f64;
        self.precision /= n;
        self.recall /= n;
        self.ndcg /= n;
        self.map /= n;
        self.hit_rate /= n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn a_perfect_list_scores_one() {
        let m = score_list(&[1, 2, 3], &[1, 2, 3], 3);
        assert!(close(m.ndcg, 1.0) && close(m.map, 1.0) && close(m.precision, 1.0));
        assert!(close(m.recall, 1.0) && close(m.hit_rate, 1.0));
    }

    #[test]
    fn ndcg_and_map_of_a_known_ranking() {
        // Hits at ranks 1 and 3 of 3 recommended, 2 relevant artists.
        let m = score_list(&[7, 8, 9], &[7, 9], 3);
        let dcg = 1.0 + 1.0 / 4f64.log2();
        let idcg = 1.0 + 1.0 / 3f64.log2();
        assert!(close(m.ndcg, dcg / idcg), "{}", m.ndcg);
        assert!(close(m.map, (1.0 + 2.0 / 3.0) / 2.0), "{}", m.map);
        assert!(close(m.precision, 2.0 / 3.0));
        assert!(close(m.recall, 1.0));
    }

    #[test]
    fn a_single_hit_in_second_place() {
        // k = 10, one relevant artist, found at rank 2.
        let m = score_list(&[5, 4, 3], &[4], 10);
        assert!(close(m.ndcg, 1.0 / 3f64.log2()));
        assert!(close(m.map, 0.5));
        assert!(close(m.precision, 0.1));
        assert!(close(m.recall, 1.0));
    }

    #[test]
    fn no_hit_scores_zero_and_averages_divide() {
        let mut total = score_list(&[1, 2], &[3], 10);
        assert_eq!(total, Metrics::default());
        total.add(&score_list(&[3], &[3], 10));
        total.divide(2);
        assert!(close(total.hit_rate, 0.5) && close(total.ndcg, 0.5));
    }
}
