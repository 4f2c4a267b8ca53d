//! The friendship graph and "friends vs diversity": degree statistics over every user, and
//! how the number of friends correlates with the diversity of what each user listens to.

use std::collections::BTreeMap;

use super::share;
use crate::stats;
use crate::views::analytics::{
    CorrelationTest, DegreeCount, DiversityCorrelation, DiversityMeasure, SocialGraph, SocialPoint,
};

/// How to read one diversity measure off a point.
type Measure = fn(&SocialPoint) -> f64;

/// The diversity measures correlated with the number of friends, in the order reported.
const MEASURES: [(DiversityMeasure, Measure); 3] = [
    (DiversityMeasure::DistinctArtists, |p| {
        p.distinct_artists as f64
    }),
    (DiversityMeasure::PlayEntropy, |p| p.play_entropy),
    (DiversityMeasure::DistinctTags, |p| p.distinct_tags as f64),
];

/// A correlation coefficient over `n` pairs with its t test.
fn correlation_test(r: Option<f64>, n: usize) -> CorrelationTest {
    CorrelationTest {
        r,
        t: r.and_then(|r| stats::correlation_t(r, n)),
        p_value: r.and_then(|r| stats::correlation_p_value(r, n)),
    }
}

/// Degree statistics, per-user diversity and their correlations, from one point per user
/// (`points` are kept, in their order, as the scatter). Each friendship counts once at both
/// ends, so the pairs are half the sum of the degrees.
pub fn social_graph(points: Vec<SocialPoint>) -> SocialGraph {
    let n = points.len();
    let friends: Vec<f64> = points.iter().map(|p| p.friends as f64).collect();
    let correlations = MEASURES
        .into_iter()
        .map(|(measure, value)| {
            let diversity: Vec<f64> = points.iter().map(value).collect();
            DiversityCorrelation {
                measure,
                n: n as i64,
                pearson: correlation_test(stats::pearson(&friends, &diversity), n),
                spearman: correlation_test(stats::spearman(&friends, &diversity), n),
            }
        })
        .collect();

    let mut degrees: BTreeMap<i64, i64> = BTreeMap::new();
    for p in &points {
        *degrees.entry(p.friends).or_default() += 1;
    }
    let mut sorted_friends = friends;
    sorted_friends.sort_by(f64::total_cmp);
    let degree_sum: i64 = points.iter().map(|p| p.friends).sum();
    SocialGraph {
        users: n as i64,
        friendship_pairs: degree_sum / 2,
        users_without_friends: degrees.get(&0).copied().unwrap_or(0),
        mean_degree: share(degree_sum, n as i64),
        median_degree: stats::quantile(&sorted_friends, 0.5).unwrap_or(0.0),
        max_degree: degrees.keys().next_back().copied().unwrap_or(0),
        degree_distribution: degrees
            .into_iter()
            .map(|(degree, users)| DegreeCount { degree, users })
            .collect(),
        correlations,
        points,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The graph of users 1, 2, 3... given as `(friends, distinct artists, distinct tags)`,
    /// each playing their artists equally (entropy `log2` of the artists).
    fn graph_of(users: &[(i64, i64, i64)]) -> SocialGraph {
        let points = (1..)
            .zip(users)
            .map(
                |(user_id, &(friends, distinct_artists, distinct_tags))| SocialPoint {
                    user_id,
                    friends,
                    distinct_artists,
                    play_entropy: (distinct_artists as f64).log2(),
                    distinct_tags,
                    plays: 100,
                },
            )
            .collect();
        social_graph(points)
    }

    #[test]
    fn degrees_are_counted_from_both_ends_of_each_friendship() {
        // A triangle 1-2-3, and 4 alone: degrees 2, 2, 2, 0.
        let graph = graph_of(&[(2, 1, 1), (2, 2, 2), (2, 4, 3), (0, 8, 4)]);
        assert_eq!(graph.users, 4);
        assert_eq!(graph.friendship_pairs, 3);
        assert_eq!(graph.users_without_friends, 1);
        assert_eq!((graph.mean_degree, graph.median_degree), (1.5, 2.0));
        assert_eq!(graph.max_degree, 2);
        let degrees: Vec<(i64, i64)> = graph
            .degree_distribution
            .iter()
            .map(|d| (d.degree, d.users))
            .collect();
        assert_eq!(degrees, [(0, 1), (2, 3)]);
        assert_eq!(graph.points.len(), 4);
        assert_eq!(graph.points[3].user_id, 4);
    }

    #[test]
    fn friends_correlate_with_each_measure_in_a_fixed_order() {
        // Friends 0, 1, 2, 3 against artists 1, 2, 4, 8 (rising, not linearly) and tags
        // 4, 3, 2, 1 (a falling line).
        let graph = graph_of(&[(0, 1, 4), (1, 2, 3), (2, 4, 2), (3, 8, 1)]);
        let measures: Vec<DiversityMeasure> =
            graph.correlations.iter().map(|c| c.measure).collect();
        assert_eq!(
            measures,
            [
                DiversityMeasure::DistinctArtists,
                DiversityMeasure::PlayEntropy,
                DiversityMeasure::DistinctTags
            ]
        );
        let [artists, entropy, tags] = &graph.correlations[..] else {
            panic!("three correlations");
        };
        assert_eq!(artists.n, 4);
        // Artists rise with friends: Spearman's 1 (up to rounding, so a vanishing p-value);
        // Pearson's less than 1. By hand: friends' deviations -1.5, -0.5, 0.5, 1.5 and
        // artists' -2.75, -1.75, 0.25, 4.25 give sxy = 11.5, sxx = 5, syy = 28.75.
        let r = 11.5 / (5.0_f64 * 28.75).sqrt();
        assert!((artists.pearson.r.unwrap() - r).abs() < 1e-12);
        let t = r * (2.0 / (1.0 - r * r)).sqrt();
        assert!((artists.pearson.t.unwrap() - t).abs() < 1e-9);
        assert!((artists.spearman.r.unwrap() - 1.0).abs() < 1e-12);
        assert!(artists.spearman.p_value.unwrap() < 1e-6);
        // The entropy is log2 of the artists (0, 1, 2, 3): a line, like the friends.
        assert!((entropy.pearson.r.unwrap() - 1.0).abs() < 1e-12);
        assert!((tags.pearson.r.unwrap() + 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_graph_without_users_is_all_zeros_and_undefined_correlations() {
        let graph = graph_of(&[]);
        assert_eq!(
            (graph.users, graph.friendship_pairs, graph.max_degree),
            (0, 0, 0)
        );
        assert_eq!((graph.mean_degree, graph.median_degree), (0.0, 0.0));
        assert!(graph.degree_distribution.is_empty());
        assert!(
            graph
                .correlations
                .iter()
                .all(|c| c.pearson.r.is_none() && c.spearman.p_value.is_none())
        );
    }
}
