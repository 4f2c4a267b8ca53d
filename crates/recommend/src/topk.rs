//! Choosing the best few of many scores: every list the crate returns comes from here, with one
//! order (higher score first, ties by lower index, so results are deterministic).

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

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

/// Entries `TopK::offer_dense` checks at once against the worst kept one.
const CHUNK: usize = 32;

/// The `k` best positive, finite entries of a dense score vector, sorted best first.
pub(crate) fn top_k_dense(scores: &[f32], k: usize) -> Vec<(u32, f32)> {
    let mut best = TopK::new(k);
    best.offer_dense(0, scores);
    best.into_sorted()
}

/// The largest entry of `chunk` (NaN ignored; -inf when empty), in eight independent lanes:
/// one running maximum is a chain of dependent scalar steps (a compare-and-select is not
/// reordered by the compiler), eight of them are one vector instruction per eight entries.
fn chunk_max(chunk: &[f32]) -> f32 {
    let mut lanes = [f32::NEG_INFINITY; 8];
    let mut eights = chunk.chunks_exact(8);
    for c in &mut eights {
        for l in 0..8 {
            lanes[l] = if c[l] > lanes[l] { c[l] } else { lanes[l] };
        }
    }
    lanes
        .into_iter()
        .chain(eights.remainder().iter().copied())
        .fold(f32::NEG_INFINITY, |m, x| if x > m { x } else { m })
}

/// Orders as `best_first` does, worst first in a max-heap of `Reverse`.
#[derive(Debug, PartialEq)]
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

/// The `k` best positive, finite scores offered so far, in slices of a dense vector given in
/// index order (so that a later entry displaces a kept one only with a strictly higher score,
/// `best_first`'s tie rule): one pass with a bounded min-heap.
#[derive(Debug)]
pub(crate) struct TopK {
    k: usize,
    heap: BinaryHeap<Reverse<Entry>>,
}

impl TopK {
    pub fn new(k: usize) -> Self {
        Self {
            k,
            heap: BinaryHeap::with_capacity(k + 1),
        }
    }

    /// Offers `scores[j]` as the score of index `first + j`, for every j.
    pub fn offer_dense(&mut self, first: u32, scores: &[f32]) {
        if self.k == 0 {
            return;
        }
        // Once the heap is full, a chunk whose best entry does not beat the worst kept one is
        // skipped whole: its maximum is a branch-free reduction the compiler vectorises,
        // where the entry-by-entry test costs a few nanoseconds each (at 280,000 artists,
        // five models and 189,200 users, that was minutes). A running `TopK` fed tile after
        // tile keeps its high bar, so most later chunks are skipped.
        // Before the heap is full the bar is 0: only positive entries are kept, and most
        // models (a user's friends' artists, EASE^R's 3,000) leave most entries at 0.
        let maxima: Vec<f32> = scores.chunks(CHUNK).map(chunk_max).collect();
        // And a floor known before any entry is offered: when k chunks have a positive,
        // finite maximum of at least `floor`, k entries that will be kept are at least
        // `floor`, so no entry below it can be among the best k. In a dense vector of
        // scores in no particular order, the heap's bar rises slowly (a chunk beats it
        // about k ln(n / k) times, and each costs its 32 entries); the k-th best maximum is
        // near the final bar at once.
        let floor = self.floor(&maxima);
        for (c, chunk) in scores.chunks(CHUNK).enumerate() {
            let bar = match self.heap.peek() {
                Some(worst) if self.heap.len() == self.k => worst.0.1,
                _ => 0.0,
            };
            let m = maxima[c];
            if m <= bar || m < floor {
                continue;
            }
            for (j, &s) in chunk.iter().enumerate() {
                self.offer(first + (c * CHUNK + j) as u32, s);
            }
        }
    }

    /// The k-th largest of the positive, finite chunk `maxima` (-inf when fewer than k are).
    fn floor(&self, maxima: &[f32]) -> f32 {
        if maxima.len() < self.k {
            return f32::NEG_INFINITY;
        }
        let mut kept: Vec<f32> = maxima
            .iter()
            .copied()
            .filter(|m| *m > 0.0 && m.is_finite())
            .collect();
        if kept.len() < self.k {
            return f32::NEG_INFINITY;
        }
        let at = kept.len() - self.k;
        *kept.select_nth_unstable_by(at, f32::total_cmp).1
    }

    fn offer(&mut self, i: u32, s: f32) {
        if !(s > 0.0 && s.is_finite()) {
            return;
        }
        if self.heap.len() == self.k {
            let mut worst = self.heap.peek_mut().expect("k > 0 entries");
            // Later indexes lose ties, so only a strictly higher score displaces.
            if s <= worst.0.1 {
                return;
            }
            // Replaced in place: one sift down, where a pop and a push sifted twice.
            *worst = Reverse(Entry(i, s));
            return;
        }
        self.heap.push(Reverse(Entry(i, s)));
    }

    /// The kept entries, best first.
    pub fn into_sorted(self) -> Vec<(u32, f32)> {
        let mut out: Vec<(u32, f32)> = self.heap.into_iter().map(|Reverse(e)| (e.0, e.1)).collect();
        out.sort_unstable_by(best_first);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chunk_maximum_ignores_nan_and_reads_every_lane() {
        assert_eq!(chunk_max(&[]), f32::NEG_INFINITY);
        let mut v = vec![-1.0f32; 21];
        v[3] = f32::NAN;
        assert_eq!(chunk_max(&v), -1.0);
        for at in 0..21 {
            let mut w = v.clone();
            w[at] = 5.0;
            assert_eq!(chunk_max(&w), 5.0, "at {at}");
        }
    }

    #[test]
    fn the_best_come_first_and_ties_go_to_the_lower_index() {
        let got = top_k_dense(&[0.5, 2.0, 0.0, 2.0, -1.0, f32::NEG_INFINITY, 1.0], 3);
        assert_eq!(got, vec![(1, 2.0), (3, 2.0), (6, 1.0)]);
        assert!(top_k(vec![(0, 1.0)], 0).is_empty());
        assert_eq!(top_k_dense(&[0.0, 1.0], 5), vec![(1, 1.0)]);
        // A long vector of zeros with a few positive entries, fewer than k.
        let mut sparse = vec![0f32; 10_000];
        sparse[7_777] = 0.5;
        sparse[31] = 2.0;
        sparse[64] = f32::INFINITY;
        assert_eq!(top_k_dense(&sparse, 100), vec![(31, 2.0), (7_777, 0.5)]);
        // The heap keeps what a full sort keeps, ties included.
        let mut rng = crate::rng::SplitMix64::new(3);
        let v: Vec<f32> = (0..20_000)
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
            // Fed in uneven tiles, the same list.
            let mut running = TopK::new(k);
            for (t, tile) in v.chunks(777).enumerate() {
                running.offer_dense((t * 777) as u32, tile);
            }
            assert_eq!(running.into_sorted(), full, "k = {k}, tiled");
        }
    }
}
