//! Tag clouds: the most counted tags of a scope, with a log-scaled drawing weight.

use crate::views::analytics::TagCloudEntry;

/// How many tag assignments of a scope carry one tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagCount {
    /// The tag's id.
    pub tag_id: i64,
    /// Its tag assignments in the scope.
    pub count: i64,
}

/// The `limit` most counted tags with a count of at least 1, most first (ties by id), each
/// with its text (`value_of` its id) and a weight in [0, 1]:
/// `(ln count - ln min) / (ln max - ln min)` over the tags returned, 1 for all when their
/// counts are equal. Logarithms, because tag use is heavy-tailed: linear weights would draw
/// all but the top few at the smallest size.
pub fn tag_cloud(
    counts: Vec<TagCount>,
    limit: usize,
    value_of: impl Fn(i64) -> String,
) -> Vec<TagCloudEntry> {
    let mut counts: Vec<TagCount> = counts.into_iter().filter(|c| c.count > 0).collect();
    counts.sort_by(|a, b| b.count.cmp(&a.count).then(a.tag_id.cmp(&b.tag_id)));
    counts.truncate(limit);
    let (Some(most), Some(least)) = (counts.first(), counts.last()) else {
        return Vec::new();
    };
    let (max, min) = ((most.count as f64).ln(), (least.count as f64).ln());
    let span = max - min;
    counts
        .into_iter()
        .map(|TagCount { tag_id, count }| TagCloudEntry {
            tag_id,
            value: value_of(tag_id),
            count,
            weight: if span > 0.0 {
                ((count as f64).ln() - min) / span
            } else {
                1.0
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(pairs: &[(i64, i64)]) -> Vec<TagCount> {
        pairs
            .iter()
            .map(|&(tag_id, count)| TagCount { tag_id, count })
            .collect()
    }

    #[test]
    fn a_cloud_keeps_the_most_counted_tags_with_log_weights() {
        // Counts 100, 10 and 1: ln-scaled they sit at 1, 1/2 and 0.
        let cloud = tag_cloud(counts(&[(3, 10), (1, 1), (2, 100), (4, 0)]), 10, |id| {
            format!("tag {id}")
        });
        let rows: Vec<(i64, &str, i64)> = cloud
            .iter()
            .map(|e| (e.tag_id, e.value.as_str(), e.count))
            .collect();
        assert_eq!(rows, [(2, "tag 2", 100), (3, "tag 3", 10), (1, "tag 1", 1)]);
        let weights: Vec<f64> = cloud.iter().map(|e| e.weight).collect();
        assert_eq!(weights[0], 1.0);
        assert!((weights[1] - 0.5).abs() < 1e-12);
        assert_eq!(weights[2], 0.0);
    }

    #[test]
    fn ties_go_by_tag_id_and_the_limit_cuts_before_weighing() {
        // The limit keeps 5 and 9 (count 4, by id); their equal counts weigh 1.
        let cloud = tag_cloud(counts(&[(9, 4), (5, 4), (7, 2)]), 2, |_| String::new());
        let rows: Vec<(i64, f64)> = cloud.iter().map(|e| (e.tag_id, e.weight)).collect();
        assert_eq!(rows, [(5, 1.0), (9, 1.0)]);
    }

    #[test]
    fn a_cloud_of_no_counts_is_empty() {
        assert!(tag_cloud(counts(&[(1, 0)]), 10, |_| String::new()).is_empty());
        assert!(tag_cloud(Vec::new(), 10, |_| String::new()).is_empty());
    }
}
