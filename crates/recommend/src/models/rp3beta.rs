//! RP3beta (Paudel, Christoffel, Newell and Bernstein 2017): the probability of a three-step
//! random walk user -> artist -> user -> artist, divided by the target artist's listener count
//! to the power beta, so that the walk's pull towards the most played artists is damped.

use crate::config::Rp3betaConfig;
use crate::data::{Csr, Indexed};
use crate::parallel;
use crate::topk::top_k;

#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct Rp3beta {
    /// Source artist -> (target artist, walk weight), the `neighbours` best targets per source.
    w: Csr,
    /// Exponent on the transition probabilities.
    alpha: f32,
}

impl Rp3beta {
    pub fn fit(idx: &Indexed, cfg: &Rp3betaConfig, threads: usize) -> Self {
        let n = idx.n_items();
        let row_normalised = |m: &Csr| -> Vec<f32> {
            let mut p = Vec::with_capacity(m.nnz());
            for r in 0..m.rows() {
                let vals = m.row(r).1;
                let sum: f32 = vals.iter().sum();
                p.extend(vals.iter().map(|v| (v / sum).powf(cfg.alpha)));
            }
            p
        };
        let p_ui = row_normalised(&idx.ui);
        let p_iu = row_normalised(&idx.iu);
        let penalty: Vec<f32> = idx
            .listeners
            .iter()
            .map(|&l| 1.0 / (l.max(1) as f32).powf(cfg.beta))
            .collect();
        let entries = parallel::map_ranges(n, threads, |range| {
            let mut acc = vec![0f32; n];
            let mut touched: Vec<u32> = Vec::new();
            let mut out = Vec::new();
            for source in range {
                let (users, _) = idx.iu.row(source);
                let p_from = &p_iu[idx.iu.ptr[source]..idx.iu.ptr[source + 1]];
                for (&u, &pu) in users.iter().zip(p_from) {
                    let u = u as usize;
                    let (items, _) = idx.ui.row(u);
                    let p_to = &p_ui[idx.ui.ptr[u]..idx.ui.ptr[u + 1]];
                    for (&i, &pi) in items.iter().zip(p_to) {
                        if acc[i as usize] == 0.0 {
                            touched.push(i);
                        }
                        acc[i as usize] += pu * pi;
                    }
                }
                let scored: Vec<(u32, f32)> = touched
                    .drain(..)
                    .filter_map(|i| {
                        let s = std::mem::take(&mut acc[i as usize]) * penalty[i as usize];
                        (i as usize != source).then_some((i, s))
                    })
                    .collect();
                for (target, s) in top_k(scored, cfg.neighbours) {
                    out.push((source as u32, target, s));
                }
            }
            out
        });
        Self {
            w: Csr::from_entries(n, entries),
            alpha: cfg.alpha,
        }
    }

    /// Scores from a user's row: the first step's probabilities are the row normalised.
    pub fn score(&self, items: &[u32], xs: &[f32], out: &mut [f32]) {
        let sum: f32 = xs.iter().sum();
        if sum <= 0.0 {
            return;
        }
        for (&j, &x) in items.iter().zip(xs) {
            let pj = (x / sum).powf(self.alpha);
            let (targets, ws) = self.w.row(j as usize);
            for (&i, &w) in targets.iter().zip(ws) {
                out[i as usize] += pj * w;
            }
        }
    }

    /// The walk weights from artist `a`, best first.
    pub fn neighbours(&self, a: usize) -> Vec<(u32, f32)> {
        let (targets, ws) = self.w.row(a);
        top_k(
            targets.iter().copied().zip(ws.iter().copied()).collect(),
            targets.len(),
        )
    }

    pub fn bytes(&self) -> usize {
        self.w.bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::two_groups;

    #[test]
    fn rp3beta_walks_stay_within_the_users_group() {
        let idx = Indexed::build(&two_groups());
        let model = Rp3beta::fit(&idx, &Rp3betaConfig::default(), 1);
        let mut out = vec![0f32; idx.n_items()];
        let (items, xs) = idx.ui.row(idx.user(1).unwrap());
        model.score(items, xs, &mut out);
        assert!(out[idx.item(13).unwrap()] > 0.0);
        for a in 20..=23 {
            assert_eq!(out[idx.item(a).unwrap()], 0.0);
        }
        let near = model.neighbours(idx.item(20).unwrap());
        assert_eq!(near.len(), 3);
        assert!(near.iter().all(|&(i, _)| idx.items[i as usize] > 20));
    }
}
