//! Blending: each model's best candidates for a user, normalised, then summed with weights;
//! and the tuning of those weights on a validation split.
//!
//! Normalisation divides a model's scores by the user's best score from that model, so every
//! model contributes values in (0, 1] whatever its scale (walk probabilities, cosines, factor
//! products): the weights then say how much each model is trusted, not how large its numbers
//! happen to be. Rank-based normalisation (`1 - rank / candidates`) was tried and lost on
//! validation (NDCG@10 0.1819 against 0.1847): the score gaps carry information. Only each model's top `candidates` artists enter the blend; an artist no model
//! ranks that high could not reach a top 10 anyway.

use crate::config::Weights;
use crate::data::Indexed;
use crate::metrics::score_list;
use crate::models::{Component, Models};
use crate::parallel;
use crate::topk::{top_k, top_k_dense};

const N: usize = Component::ALL.len();

/// One user's candidates: every artist in some model's top list, with each model's
/// normalised score (0 where the artist is not in that model's list).
#[derive(Debug, Clone, Default)]
pub(crate) struct Pool {
    pub items: Vec<u32>,
    pub scores: Vec<[f32; N]>,
}

impl Pool {
    /// Builds the pool of user `u` from the models whose weight is not zero in any of
    /// `weights`. `scratch` is a vector of the artist count.
    pub fn build(
        models: &Models,
        idx: &Indexed,
        u: usize,
        candidates: usize,
        weights: &[Weights],
        scratch: &mut [f32],
    ) -> Self {
        let own = idx.ui.row(u).0;
        let mut entries: Vec<(u32, usize, f32)> = Vec::new();
        for c in Component::ALL {
            if !models.has(c) || weights.iter().all(|w| w.get(c) == 0.0) {
                continue;
            }
            scratch.fill(0.0);
            models.score(idx, c, u, scratch);
            for &i in own {
                scratch[i as usize] = f32::NEG_INFINITY;
            }
            let top = top_k_dense(scratch, candidates);
            if let Some(&(_, best)) = top.first() {
                entries.extend(top.into_iter().map(|(i, s)| (i, c.position(), s / best)));
            }
        }
        entries.sort_unstable_by_key(|e| e.0);
        let mut pool = Pool::default();
        for (i, c, s) in entries {
            if pool.items.last() != Some(&i) {
                pool.items.push(i);
                pool.scores.push([0.0; N]);
            }
            pool.scores.last_mut().expect("pushed")[c] = s;
        }
        pool
    }

    /// The blended score of each candidate.
    fn blended(&self, w: [f32; N]) -> impl Iterator<Item = (u32, f32)> + '_ {
        self.items.iter().zip(&self.scores).map(move |(&i, s)| {
            let total: f32 = s.iter().zip(w).map(|(a, b)| a * b).sum();
            (i, total)
        })
    }

    /// The `k` best candidates under weights `w` (only those some weighted model proposed).
    pub fn rank(&self, w: &Weights, k: usize) -> Vec<(u32, f32)> {
        let w = as_array(w);
        top_k(self.blended(w).filter(|&(_, s)| s > 0.0).collect(), k)
    }

    /// This candidate's normalised score from each model.
    pub fn contributions(&self, i: u32) -> [f32; N] {
        self.items
            .binary_search(&i)
            .map_or([0.0; N], |p| self.scores[p])
    }
}

pub(crate) fn as_array(w: &Weights) -> [f32; N] {
    Component::ALL.map(|c| w.get(c))
}

/// A validation user: their pool and the artists held out (as indexes; `u32::MAX` for an
/// artist the training data has never seen, which can be relevant but never recommended).
pub(crate) struct Case {
    pub pool: Pool,
    pub relevant: Vec<u32>,
}

/// Mean NDCG@k of weights `w` over the cases. The weight search calls this hundreds of times,
/// so it ranks without allocating (see `Pool::top_small`).
pub(crate) fn mean_ndcg(cases: &[Case], w: &Weights, k: usize, threads: usize) -> f64 {
    let w = as_array(w);
    let per_case = parallel::map_ranges(cases.len(), threads, |range| {
        let mut top = Vec::with_capacity(k + 1);
        let mut ranked = Vec::with_capacity(k);
        cases[range]
            .iter()
            .map(|case| {
                case.pool.top_small(&w, k, &mut top);
                ranked.clear();
                ranked.extend(top.iter().map(|e: &(u32, f32)| e.0));
                score_list(&ranked, &case.relevant, k).ndcg
            })
            .collect()
    });
    // Summed in case order, not per thread: the same result on any number of cores, so the
    // weight search takes the same path everywhere.
    per_case.iter().sum::<f64>() / cases.len().max(1) as f64
}

impl Pool {
    /// The same list as `rank`, by insertion into `top` (for small `k`): candidates come in
    /// index order, so a later one displaces an earlier only with a strictly higher score,
    /// which is `rank`'s tie rule.
    pub fn top_small(&self, w: &[f32; N], k: usize, top: &mut Vec<(u32, f32)>) {
        top.clear();
        if k == 0 {
            return;
        }
        for (i, s) in self.blended(*w) {
            if s <= 0.0 || (top.len() == k && s <= top[k - 1].1) {
                continue;
            }
            let at = top.partition_point(|e| e.1 >= s);
            top.insert(at, (i, s));
            top.truncate(k);
        }
    }
}

/// Weights tried for each model by the coordinate ascent.
const GRID: [f32; 12] = [
    0.0, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0, 1.5, 2.5, 4.0,
];

/// Coordinate ascent on validation NDCG@k over the weights of `allowed`, starting from the best
/// single model among them (so the blend is never worse than it on validation).
pub(crate) fn tune(
    cases: &[Case],
    allowed: &[Component],
    k: usize,
    threads: usize,
) -> (Weights, f64) {
    let (mut best, mut best_ndcg) = allowed
        .iter()
        .map(|&c| {
            (
                Weights::only(c),
                mean_ndcg(cases, &Weights::only(c), k, threads),
            )
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap_or((Weights::default(), 0.0));
    for _round in 0..3 {
        let mut improved = false;
        for &c in allowed {
            for g in GRID {
                let mut w = best;
                w.set(c, g);
                if w == best || allowed.iter().all(|&c| w.get(c) == 0.0) {
                    continue;
                }
                let ndcg = mean_ndcg(cases, &w, k, threads);
                // A clear gain only: ties keep the simpler, earlier weights.
                if ndcg > best_ndcg + 1e-5 {
                    (best, best_ndcg, improved) = (w, ndcg, true);
                }
            }
        }
        if !improved {
            break;
        }
    }
    (best, best_ndcg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(rows: &[(u32, [f32; N])]) -> Pool {
        Pool {
            items: rows.iter().map(|r| r.0).collect(),
            scores: rows.iter().map(|r| r.1).collect(),
        }
    }

    #[test]
    fn the_blend_follows_the_weights() {
        let p = pool(&[
            (1, [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]),
            (2, [0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0]),
        ]);
        let mut w = Weights::only(Component::ItemKnn);
        assert_eq!(p.rank(&w, 5), vec![(1, 1.0)]);
        w.rp3beta = 2.0;
        assert_eq!(p.rank(&w, 5), vec![(2, 2.0), (1, 1.0)]);
        assert_eq!(p.contributions(2)[1], 1.0);
    }

    #[test]
    fn the_small_ranking_is_the_full_ranking() {
        let mut rng = crate::rng::SplitMix64::new(5);
        let p = Pool {
            items: (0..300).collect(),
            // Coarse values, so that there are ties.
            scores: (0..300)
                .map(|_| [0; N].map(|_| (rng.next_f32() * 4.0).floor() / 4.0))
                .collect(),
        };
        let w = Weights {
            item_knn: 1.0,
            ease: 0.5,
            tags: 0.25,
            ..Weights::default()
        };
        let mut top = Vec::new();
        for k in [1, 10, 50] {
            p.top_small(&as_array(&w), k, &mut top);
            assert_eq!(top, p.rank(&w, k));
        }
    }

    #[test]
    fn tuning_finds_the_model_that_knows_the_answers() {
        // Item-kNN always proposes the relevant artist second, social proposes it first.
        let cases: Vec<Case> = (0..20)
            .map(|u| Case {
                pool: pool(&[
                    (u * 2, [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]),
                    (u * 2 + 1, [0.9, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0]),
                ]),
                relevant: vec![u * 2 + 1],
            })
            .collect();
        let (w, ndcg) = tune(&cases, &[Component::ItemKnn, Component::Social], 10, 2);
        assert!((ndcg - 1.0).abs() < 1e-9, "{w:?} {ndcg}");
        assert!(w.social > 0.0);
    }
}
