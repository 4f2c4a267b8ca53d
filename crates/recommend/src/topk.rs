//! Choosing the best few of many scores: every list the crate returns comes from here, with one
//! order (higher score first, ties by lower index, so results are deterministic).

use std::cmp::Ordering;

/// Best first; ties by index.
pub(crate) fn best_first(a: &(u32, f32), b: &(u32, f32)) -> Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

/// The `k` best of `scored`, sorted best first.
pub(crate) fn top_k(mut scored: Vec<(u32, f32)>, k: usize) -> Vec<(u32, f32)> {
    if scored.len() > k {
        if k == 0 {
            return Vec::new();
        }
        scored.select_nth_unstable_by(k - 1, best_first);
        scored.truncate(k);
    }
    scored.sort_unstable_by(best_first);
    scored
}

/// The `k` best positive, finite entries of a dense score vector, sorted best first.
pub(crate) fn top_k_dense(scores: &[f32], k: usize) -> Vec<(u32, f32)> {
    let scored = scores
        .iter()
        .enumerate()
        .filter(|&(_, &s)| s > 0.0 && s.is_finite())
        .map(|(i, &s)| (i as u32, s))
        .collect();
    top_k(scored, k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_best_come_first_and_ties_go_to_the_lower_index() {
        let got = top_k_dense(&[0.5, 2.0, 0.0, 2.0, -1.0, f32::NEG_INFINITY, 1.0], 3);
        assert_eq!(got, vec![(1, 2.0), (3, 2.0), (6, 1.0)]);
        assert!(top_k(vec![(0, 1.0)], 0).is_empty());
        assert_eq!(top_k_dense(&[0.0, 1.0], 5), vec![(1, 1.0)]);
    }
}
