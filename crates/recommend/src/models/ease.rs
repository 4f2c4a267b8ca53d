//! EASE^R (Steck 2019) over the whole catalogue, in its dual form.
//!
//! EASE^R learns an artist x artist matrix `B = I - P / diag(P)` with
//! `P = (X^T X + lambda I)^-1`: 17,632 artists would need a 17,632^2 inverse (2.5 GB, minutes).
//! With fewer users (m) than artists, Woodbury's identity gives
//! `P = (I - X^T K^-1 X) / lambda` with `K = X X^T + lambda I`, an m x m matrix, and then
//! `x_u P = (K^-1 X)_u` for every training user u. So a user's score for an unplayed artist is
//! `-(K^-1 X)_{u,i} / P_ii`, and `P_ii = (1 - x_i^T K^-1 x_i) / lambda` needs only the
//! artist's listeners. The model is K^-1 (m^2 floats) and the diagonal: exact EASE^R, on
//! every artist, for the price of a 1,892 x 1,892 inverse.

use crate::config::EaseConfig;
use crate::data::Indexed;
use crate::linalg::spd_inverse;

#[derive(Debug)]
pub(crate) struct Ease {
    m: usize,
    lambda: f32,
    /// K^-1, users x users.
    kinv: Vec<f32>,
    /// `-1 / P_ii` per artist.
    neg_inv_diag: Vec<f32>,
}

impl Ease {
    pub fn fit(idx: &Indexed, cfg: &EaseConfig, threads: usize) -> Self {
        let m = idx.n_users();
        let lambda = f64::from(cfg.lambda);
        // K = X X^T + lambda I, lower triangle (artist by artist: each adds its listeners'
        // pairwise products; rows of iu are sorted, so (a, b) with b <= a is lower).
        let mut k = vec![0f64; m * m];
        for j in 0..idx.n_items() {
            let (users, xs) = idx.iu.row(j);
            for (a, (&ua, &xa)) in users.iter().zip(xs).enumerate() {
                let row = &mut k[ua as usize * m..ua as usize * m + m];
                for (&ub, &xb) in users[..=a].iter().zip(&xs[..=a]) {
                    row[ub as usize] += f64::from(xa) * f64::from(xb);
                }
            }
        }
        for u in 0..m {
            k[u * m + u] += lambda;
        }
        let kinv = spd_inverse(k, m, threads)
            .expect("X X^T + lambda I is positive definite for lambda > 0");
        let neg_inv_diag = (0..idx.n_items())
            .map(|j| {
                let (users, xs) = idx.iu.row(j);
                let mut q = 0f64;
                for (&ua, &xa) in users.iter().zip(xs) {
                    let row = &kinv[ua as usize * m..ua as usize * m + m];
                    let s: f64 = users
                        .iter()
                        .zip(xs)
                        .map(|(&ub, &xb)| row[ub as usize] * f64::from(xb))
                        .sum();
                    q += f64::from(xa) * s;
                }
                let p = (1.0 - q) / lambda;
                (-1.0 / p) as f32
            })
            .collect();
        Self {
            m,
            lambda: cfg.lambda,
            kinv: kinv.into_iter().map(|v| v as f32).collect(),
            neg_inv_diag,
        }
    }

    pub fn score(&self, idx: &Indexed, u: usize, out: &mut [f32]) {
        // (K^-1 X)_u = sum over users v of K^-1_{uv} x_v, then scaled per artist. The scaled
        // values of the user's own artists are meaningless (their B_ii = 0 term is missing),
        // but they are never recommended.
        let row = &self.kinv[u * self.m..(u + 1) * self.m];
        let mut acc = vec![0f32; out.len()];
        for (v, &c) in row.iter().enumerate() {
            if c == 0.0 {
                continue;
            }
            let (items, xs) = idx.ui.row(v);
            for (&i, &x) in items.iter().zip(xs) {
                acc[i as usize] += c * x;
            }
        }
        for ((o, a), d) in out.iter_mut().zip(acc).zip(&self.neg_inv_diag) {
            *o += a * d;
        }
    }

    /// Row `a` of B: how much playing artist `a` predicts each other artist.
    pub fn neighbours(&self, idx: &Indexed, a: usize) -> Vec<(u32, f32)> {
        // P_a. = (e_a - x_a^T K^-1 X) / lambda; B_aj = -P_aj / P_jj.
        let mut t = vec![0f32; self.m];
        let (users, xs) = idx.iu.row(a);
        for (&v, &x) in users.iter().zip(xs) {
            crate::linalg::axpy(
                &mut t,
                x,
                &self.kinv[v as usize * self.m..(v as usize + 1) * self.m],
            );
        }
        let mut p = vec![0f32; idx.n_items()];
        for (v, &c) in t.iter().enumerate() {
            if c == 0.0 {
                continue;
            }
            let (items, ys) = idx.ui.row(v);
            for (&i, &y) in items.iter().zip(ys) {
                p[i as usize] -= c * y;
            }
        }
        p.iter()
            .enumerate()
            .filter(|&(j, &pj)| j != a && pj != 0.0)
            .map(|(j, &pj)| (j as u32, pj / self.lambda * self.neg_inv_diag[j]))
            .collect()
    }

    /// Partial correlation of users `u` and `v` given all the others: `-K^-1_uv /
    /// sqrt(K^-1_uu K^-1_vv)`. EASE^R scores for `u` with `v`'s listens weighted by
    /// `-K^-1_uv`, so this says how much `v`'s taste shapes `u`'s recommendations.
    pub fn partial_correlation(&self, u: usize, v: usize) -> f32 {
        let m = self.m;
        -self.kinv[u * m + v] / (self.kinv[u * m + u] * self.kinv[v * m + v]).sqrt()
    }

    pub fn bytes(&self) -> usize {
        (self.kinv.len() + self.neg_inv_diag.len()) * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::two_groups;

    /// The primal EASE^R on a tiny matrix, by brute force, for comparison.
    fn primal_scores(idx: &Indexed, lambda: f64, u: usize) -> Vec<f64> {
        let n = idx.n_items();
        let mut g = vec![0f64; n * n];
        for v in 0..idx.n_users() {
            let (items, xs) = idx.ui.row(v);
            for (&a, &xa) in items.iter().zip(xs) {
                for (&b, &xb) in items.iter().zip(xs) {
                    g[a as usize * n + b as usize] += f64::from(xa) * f64::from(xb);
                }
            }
        }
        for i in 0..n {
            g[i * n + i] += lambda;
        }
        let p = spd_inverse(g, n, 1).unwrap();
        let (items, xs) = idx.ui.row(u);
        (0..n)
            .map(|i| {
                items
                    .iter()
                    .zip(xs)
                    .filter(|&(&j, _)| j as usize != i)
                    .map(|(&j, &x)| f64::from(x) * -p[j as usize * n + i] / p[i * n + i])
                    .sum()
            })
            .collect()
    }

    #[test]
    fn the_dual_form_gives_the_primal_scores() {
        let idx = Indexed::build(&two_groups());
        let model = Ease::fit(
            &idx,
            &EaseConfig {
                enabled: true,
                lambda: 3.0,
            },
            2,
        );
        let u = idx.user(1).unwrap();
        let mut out = vec![0f32; idx.n_items()];
        model.score(&idx, u, &mut out);
        let want = primal_scores(&idx, 3.0, u);
        let own = idx.ui.row(u).0;
        for i in 0..idx.n_items() {
            if !own.contains(&(i as u32)) {
                assert!(
                    (f64::from(out[i]) - want[i]).abs() < 1e-4,
                    "{i}: {out:?} vs {want:?}"
                );
            }
        }
        assert!(out[idx.item(13).unwrap()] > 0.1);
        // Row 20 of B points at 21-23 only.
        let near = model.neighbours(&idx, idx.item(20).unwrap());
        assert!(near.iter().all(|&(j, _)| idx.items[j as usize] > 20));
        assert_eq!(near.len(), 3);
    }
}
