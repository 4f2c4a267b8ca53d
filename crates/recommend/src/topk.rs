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
///
/// One pass with a bounded min-heap: after the first `k` entries, an entry is compared with
/// the worst kept one and almost always dropped, so a 17,632-artist vector costs one
/// comparison per entry rather than a copy and a selection of every positive one.
pub(crate) fn top_k_dense(scores: &[f32], k: usize) -> Vec<(u32, f32)> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;

    /// Orders as `best_first` does, worst first in a max-heap of `Reverse`.
    #[derive(PartialEq)]
    struct Entry(u32, f32);
    impl Eq for Entry {}
    impl PartialOrd for Entry {
        fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
            Some(self.cmp(other))
        }
    }
    impl Ord for Entry {
        fn cmp(&self, other: &Self) -> Ordering {
            // Greater is better: higher score, then lower index.
            best_first(&(other.0, other.1), &(self.0, self.1))
        }
    }

    if k == 0 {
        return Vec::new();
    }
    let mut heap: BinaryHeap<Reverse<Entry>> = BinaryHeap::with_capacity(k + 1);
    for (i, &s) in scores.iter().enumerate() {
        if !(s > 0.0 && s.is_finite()) {
            continue;
        }
        if heap.len() == k {
            let worst = &heap.peek().expect("k > 0 entries").0;
            // Later indexes lose ties, so only a strictly higher score displaces.
            if s <= worst.1 {
                continue;
            }
            heap.pop();
        }
        heap.push(Reverse(Entry(i as u32, s)));
    }
    let mut out: Vec<(u32, f32)> = heap.into_iter().map(|Reverse(e)| (e.0, e.1)).collect();
    out.sort_unstable_by(best_first);
    out
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
        // The heap keeps what a full sort keeps, ties included.
        let mut rng = crate::rng::SplitMix64::new(3);
        let v: Vec<f32> = (0..2000)
            .map(|_| (rng.next_f32() * 50.0).floor() - 10.0)
            .collect();
        for k in [1, 7, 100, 3000] {
            let full = top_k(
                v.iter()
                    .enumerate()
                    .filter(|e| *e.1 > 0.0)
                    .map(|(i, &s)| (i as u32, s))
                    .collect(),
                k,
            );
            assert_eq!(top_k_dense(&v, k), full, "k = {k}");
        }
    }
}
