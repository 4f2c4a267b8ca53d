//! Item-kNN: artists are similar when the same people play them (cosine of the damped listener
//! vectors, shrunk when the overlap is small); a user's score for an artist sums the
//! similarities to the artists they play, weighted by how much they play them.

use crate::config::ItemKnnConfig;
use crate::data::{Csr, Indexed};
use crate::linalg::sparse_dot;
use crate::parallel;
use crate::topk::top_k;

#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct ItemKnn {
    /// Source artist -> (target artist, similarity), for the `neighbours` best sources of
    /// each target: scoring walks the rows of the artists a user plays.
    w: Csr,
    norms: Vec<f32>,
    shrink: f32,
    /// Whether the neighbour lists were built (the similarity is always available).
    pub trained: bool,
}

impl ItemKnn {
    pub fn fit(idx: &Indexed, cfg: &ItemKnnConfig, threads: usize) -> Self {
        let n = idx.n_items();
        let norms: Vec<f32> = (0..n)
            .map(|i| idx.iu.row(i).1.iter().map(|v| v * v).sum::<f32>().sqrt())
            .collect();
        let mut model = Self {
            w: Csr {
                ptr: vec![0; n + 1],
                ..Csr::default()
            },
            norms,
            trained: false,
            shrink: cfg.shrink,
        };
        if !cfg.enabled {
            return model;
        }
        let entries = parallel::map_ranges(n, threads, |range| {
            let mut acc = vec![0f32; n];
            let mut out = Vec::new();
            for target in range {
                for (source, s) in top_k(model.row(idx, target, &mut acc), cfg.neighbours) {
                    out.push((source, target as u32, s));
                }
            }
            out
        });
        model.w = Csr::from_entries(n, entries);
        model.trained = true;
        model
    }

    /// Similarities of artist `a` to every artist sharing a listener with it (not itself).
    /// `acc` is a zeroed scratch vector of the artist count, left zeroed.
    pub fn row(&self, idx: &Indexed, a: usize, acc: &mut [f32]) -> Vec<(u32, f32)> {
        let mut touched = Vec::new();
        let (users, xs) = idx.iu.row(a);
        for (&u, &x) in users.iter().zip(xs) {
            let (items, ys) = idx.ui.row(u as usize);
            for (&j, &y) in items.iter().zip(ys) {
                if acc[j as usize] == 0.0 {
                    touched.push(j);
                }
                acc[j as usize] += x * y;
            }
        }
        let mut scored = Vec::with_capacity(touched.len());
        for j in touched {
            let dot = std::mem::take(&mut acc[j as usize]);
            if j as usize != a {
                scored.push((
                    j,
                    dot / (self.norms[a] * self.norms[j as usize] + self.shrink),
                ));
            }
        }
        scored
    }

    /// The shrunk cosine similarity of two artists.
    pub fn similarity(&self, idx: &Indexed, a: usize, b: usize) -> f32 {
        let (ua, xa) = idx.iu.row(a);
        let (ub, xb) = idx.iu.row(b);
        let dot = sparse_dot(ua, xa, ub, xb);
        if dot == 0.0 {
            return 0.0;
        }
        dot / (self.norms[a] * self.norms[b] + self.shrink)
    }

    pub fn score(&self, items: &[u32], xs: &[f32], out: &mut [f32]) {
        for (&j, &x) in items.iter().zip(xs) {
            let (targets, sims) = self.w.row(j as usize);
            for (&i, &s) in targets.iter().zip(sims) {
                out[i as usize] += x * s;
            }
        }
    }

    pub fn bytes(&self) -> usize {
        self.w.bytes() + self.norms.len() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::two_groups;

    #[test]
    fn item_knn_recommends_within_the_users_group() {
        let idx = Indexed::build(&two_groups());
        let cfg = ItemKnnConfig {
            enabled: true,
            ..ItemKnnConfig::default()
        };
        let model = ItemKnn::fit(&idx, &cfg, 2);
        let mut out = vec![0f32; idx.n_items()];
        let (items, xs) = idx.ui.row(idx.user(1).unwrap());
        model.score(items, xs, &mut out);
        let a13 = idx.item(13).unwrap();
        assert!(out[a13] > 0.0);
        for a in 20..=23 {
            assert_eq!(
                out[idx.item(a).unwrap()],
                0.0,
                "artist {a} is in the other group"
            );
        }
        let (a10, a20) = (idx.item(10).unwrap(), idx.item(20).unwrap());
        assert!(model.similarity(&idx, a10, a13) > 0.0);
        assert_eq!(model.similarity(&idx, a10, a20), 0.0);
    }
}
