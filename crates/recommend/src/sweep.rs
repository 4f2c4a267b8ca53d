//! The blend search's inner loop: every trial of one coordinate of the coordinate ascent
//! (`hybrid::tune`) scored in one pass over the validation cases, with the same numbers as
//! `hybrid::quality` gives for each trial alone, bit for bit.
//!
//! Why: the search calls the quality of a blend hundreds of times, and it was most of the
//! training at 1x (perf). Here each case's candidate scores are laid out once per coordinate
//! as one column per model (structure of arrays, so the weighted sum of a trial is a
//! vectorisable loop over contiguous floats), the case is then ranked for every trial while
//! its pool is in cache, and NDCG takes its discounts from a table. The sums keep the order
//! of `Pool::blended` (the weighted models in component order, from 0), so the ranking, the
//! NDCG and therefore the weights chosen are exactly those of the trial-by-trial search.

use crate::config::Weights;
use crate::hybrid::{Case, N, Quality, as_array};
use crate::parallel;

/// `1 / log2(rank + 2)` for the ranks of a top `k`, as `metrics::score_list` computes them.
fn discounts(k: usize) -> Vec<f64> {
    (0..k).map(|r| 1.0 / ((r + 2) as f64).log2()).collect()
}

/// How many of a case's candidates are ranked first, in the order of a guide blend: more
/// than the k = 10 of the objective, since the trials reorder them somewhat.
const FRONT: usize = 24;

/// Per-thread buffers, reused from case to case.
struct Scratch {
    /// The case's candidates in the order they are ranked (see `load`).
    order: Vec<u32>,
    items: Vec<u32>,
    log_listeners: Vec<f32>,
    /// The case's cached calibration factors, in that order.
    cached: Vec<f32>,
    /// The weighted models' normalised scores, one column of the pool's length each.
    columns: [Vec<f32>; N],
    totals: Vec<f32>,
    factors: Vec<f32>,
    top: Vec<(u32, f32)>,
}

impl Scratch {
    fn new(k: usize) -> Self {
        Self {
            order: Vec::new(),
            items: Vec::new(),
            log_listeners: Vec::new(),
            cached: Vec::new(),
            columns: Default::default(),
            totals: Vec::new(),
            factors: Vec::new(),
            top: Vec::with_capacity(k + 1),
        }
    }
}

/// The quality of each of `trials` on the cases, as `hybrid::quality` would give it for
/// each alone. Sums are taken in case order, so the result is the same on any core count.
pub(crate) fn qualities(
    cases: &[Case],
    trials: &[Weights],
    k: usize,
    n_items: usize,
    threads: usize,
) -> Vec<Quality> {
    let discount = discounts(k);
    let words = n_items.div_ceil(64);
    let arrays: Vec<[f32; N]> = trials.iter().map(as_array).collect();
    let used: Vec<usize> = (0..N)
        .filter(|&c| arrays.iter().any(|w| w[c] != 0.0))
        .collect();
    let per_part = parallel::map_ranges(cases.len(), threads, |range| {
        let mut scratch = Scratch::new(k);
        let mut seen = vec![0u64; words * trials.len()];
        let mut ndcg = vec![0f64; range.len() * trials.len()];
        for (row, case) in cases[range].iter().enumerate() {
            scratch.load(case, &used, &arrays[0]);
            for (t, (w, array)) in trials.iter().zip(&arrays).enumerate() {
                scratch.rank(case, w, array, k);
                let seen = &mut seen[t * words..(t + 1) * words];
                for &(i, _) in &scratch.top {
                    seen[i as usize / 64] |= 1 << (i % 64);
                }
                ndcg[row * trials.len() + t] = ndcg_of(&scratch.top, &case.relevant, &discount);
            }
        }
        vec![(ndcg, seen)]
    });
    let mut totals = vec![0f64; trials.len()];
    let mut seen = vec![0u64; words * trials.len()];
    // Case by case in order, as `hybrid::quality` sums: the same floats on any core count.
    for (ndcg, part) in &per_part {
        for row in ndcg.chunks_exact(trials.len().max(1)) {
            for (total, x) in totals.iter_mut().zip(row) {
                *total += x;
            }
        }
        for (s, p) in seen.iter_mut().zip(part) {
            *s |= p;
        }
    }
    totals
        .iter()
        .zip(seen.chunks_exact(words.max(1)))
        .map(|(total, seen)| {
            let covered: u32 = seen.iter().map(|w| w.count_ones()).sum();
            Quality {
                ndcg: total / cases.len().max(1) as f64,
                coverage: f64::from(covered) / n_items.max(1) as f64,
            }
        })
        .collect()
}

impl Scratch {
    /// Lays out the case's candidates for ranking: the scores of the models in `used` as
    /// columns, the `FRONT` best candidates under `guide` (one of the trials) first. Ranked
    /// in that order, the k-th best score rises near its final level within the first few
    /// candidates and the rest are mostly passed over by one comparison, where in artist
    /// order each trial inserted about `k ln(m / k)` times.
    fn load(&mut self, case: &Case, used: &[usize], guide: &[f32; N]) {
        let pool = &case.pool;
        let guide_score = |p: usize| {
            let s: f32 = (0..N).map(|c| pool.scores[p][c] * guide[c]).sum();
            s * case.factors[p]
        };
        self.totals.clear();
        self.totals.extend((0..pool.items.len()).map(guide_score));
        self.order.clear();
        self.order.extend(0..pool.items.len() as u32);
        // Only the front needs the order: the guide's best `FRONT` first (a selection, not a
        // sort: sorting every case at every coordinate cost more than it saved).
        let totals = &self.totals;
        if self.order.len() > FRONT {
            self.order.select_nth_unstable_by(FRONT, |&a, &b| {
                totals[b as usize].total_cmp(&totals[a as usize])
            });
        }
        let order = &self.order;
        let gather = |out: &mut Vec<_>, from: &dyn Fn(usize) -> f32| {
            out.clear();
            out.extend(order.iter().map(|&p| from(p as usize)));
        };
        gather(&mut self.log_listeners, &|p| pool.log_listeners[p]);
        gather(&mut self.cached, &|p| case.factors[p]);
        for &c in used {
            gather(&mut self.columns[c], &|p| pool.scores[p][c]);
        }
        self.items.clear();
        self.items
            .extend(order.iter().map(|&p| pool.items[p as usize]));
    }

    /// Ranks the case's top `k` under `w` (`array` its model weights) into `self.top`: the
    /// list of `Pool::top_small_with`, with the same floats. That list is the top `k` by
    /// score, ties to the lower artist index, whatever order the candidates come in.
    fn rank(&mut self, case: &Case, w: &Weights, array: &[f32; N], k: usize) {
        let m = self.items.len();
        self.totals.clear();
        self.totals.resize(m, 0.0);
        for (c, &wc) in array.iter().enumerate() {
            if wc != 0.0 {
                for (t, &s) in self.totals.iter_mut().zip(&self.columns[c][..m]) {
                    *t += s * wc;
                }
            }
        }
        let factors: &[f32] = if case.factors_for == (w.calibration, w.personal_calibration) {
            &self.cached
        } else {
            let cal = case.pool.calibration(w);
            self.factors.clear();
            self.factors
                .extend(self.log_listeners.iter().map(|&lp| (-cal * lp).exp()));
            &self.factors
        };
        for (t, &f) in self.totals.iter_mut().zip(factors) {
            *t = if *t > 0.0 { *t * f } else { *t };
        }
        let top = &mut self.top;
        top.clear();
        if k == 0 {
            return;
        }
        let ahead = |a: (u32, f32), b: (u32, f32)| a.1 > b.1 || (a.1 == b.1 && a.0 < b.0);
        for (&i, &s) in self.items.iter().zip(&self.totals) {
            if s <= 0.0 || (top.len() == k && !ahead((i, s), top[k - 1])) {
                continue;
            }
            let at = top.partition_point(|&e| ahead(e, (i, s)));
            top.insert(at, (i, s));
            top.truncate(k);
        }
    }
}

/// NDCG of `top` against `relevant`, as `metrics::score_list` computes it.
fn ndcg_of(top: &[(u32, f32)], relevant: &[u32], discount: &[f64]) -> f64 {
    if relevant.is_empty() {
        return 0.0;
    }
    let mut dcg = 0f64;
    for (r, (i, _)) in top.iter().enumerate() {
        if relevant.contains(i) {
            dcg += discount[r];
        }
    }
    let idcg: f64 = discount[..relevant.len().min(discount.len())].iter().sum();
    dcg / idcg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hybrid::{Pool, quality};
    use crate::rng::SplitMix64;

    #[test]
    fn every_trial_scores_as_the_search_scored_it_alone() {
        let mut rng = SplitMix64::new(9);
        let cases: Vec<Case> = (0..40)
            .map(|u| {
                let m = 150;
                let pool = Pool {
                    items: (0..m).map(|i| i * 3 + u % 3).collect(),
                    // Coarse values, so that there are ties.
                    scores: (0..m)
                        .map(|_| [0; N].map(|_| (rng.next_f32() * 8.0).floor() / 8.0))
                        .collect(),
                    log_listeners: (0..m).map(|_| rng.next_f32() * 6.0).collect(),
                    niche: rng.next_f32() - 0.5,
                };
                let relevant = (0..5).map(|_| (rng.next_f32() * 450.0) as u32).collect();
                Case::new(pool, relevant)
            })
            .collect();
        let base = Weights {
            ials: 1.0,
            ease: 0.5,
            tags: 0.2,
            calibration: 0.1,
            ..Weights::default()
        };
        let mut trials = Vec::new();
        for g in [0.0, 0.35, 2.5] {
            trials.push(Weights { social: g, ..base });
            trials.push(Weights { ease: g, ..base });
        }
        for (b, p) in [(0.0, 0.0), (0.3, 0.0), (0.15, 0.4)] {
            trials.push(Weights {
                calibration: b,
                personal_calibration: p,
                ..base
            });
        }
        for k in [1, 10] {
            let got = qualities(&cases, &trials, k, 450, 2);
            let want: Vec<Quality> = trials
                .iter()
                .map(|w| quality(&cases, w, k, 450, 3))
                .collect();
            assert_eq!(got, want, "k = {k}");
        }
    }
}
