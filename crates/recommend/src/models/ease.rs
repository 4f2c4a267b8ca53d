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
use crate::models::UserRow;

/// EASE^R as trained: in its dual form when the users are few enough, else in its primal
/// form over the most listened artists only (see `EaseConfig`).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub(crate) enum Ease {
    /// Over every artist, through the users x users inverse.
    Dual(Dual),
    /// Over the `max_items` most listened artists, through their artists x artists inverse.
    Primal(Primal),
}

impl Ease {
    pub fn fit(idx: &Indexed, cfg: &EaseConfig, threads: usize) -> Self {
        if idx.n_users() <= cfg.max_dual_users {
            Ease::Dual(Dual::fit(idx, cfg))
        } else {
            Ease::Primal(Primal::fit(idx, cfg, threads))
        }
    }

    /// Which form was trained, for the report.
    pub fn form(&self) -> String {
        match self {
            Ease::Dual(d) => format!("dual ({} users)", d.m),
            Ease::Primal(p) => format!("primal over the {} most listened artists", p.items.len()),
        }
    }

    pub fn score(&self, idx: &Indexed, row: &UserRow<'_>, out: &mut [f32]) {
        match (self, row.user) {
            (Ease::Dual(d), Some(u)) if row.trained => d.score(idx, u, out),
            (Ease::Dual(d), _) => d.score_row(idx, row.items, row.values, out),
            (Ease::Primal(p), _) => p.score(row.items, row.values, out),
        }
    }

    /// Row `a` of B: how much playing artist `a` predicts each other artist.
    pub fn neighbours(&self, idx: &Indexed, a: usize) -> Vec<(u32, f32)> {
        match self {
            Ease::Dual(d) => d.neighbours(idx, a),
            Ease::Primal(p) => p.neighbours(a),
        }
    }

    /// The partial correlation of two users (dual form only).
    pub fn partial_correlation(&self, u: usize, v: usize) -> Option<f32> {
        match self {
            Ease::Dual(d) => Some(d.partial_correlation(u, v)),
            Ease::Primal(_) => None,
        }
    }

    pub fn bytes(&self) -> usize {
        match self {
            Ease::Dual(d) => d.bytes(),
            Ease::Primal(p) => p.bytes(),
        }
    }
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct Dual {
    m: usize,
    /// K^-1, users x users (K built from the columns of X scaled by `1 / sqrt(lambda_i)`).
    kinv: Vec<f32>,
    /// `-1 / (1 - q_i)` per artist, the factor that turns `(K^-1 X)_ui` into a score.
    neg_inv_diag: Vec<f32>,
    /// `1 / lambda_i` per artist: its own regularisation.
    inv_lambda: Vec<f32>,
}

impl Dual {
    pub fn fit(idx: &Indexed, cfg: &EaseConfig) -> Self {
        let m = idx.n_users();
        // Each artist's own regularisation, lambda_i = lambda + rho * G_ii (Steck's emphasised
        // denoising, EDLAE): a popular artist is penalised more, which keeps the model from
        // explaining every taste by the head of the catalogue. With X~ = X D, D = diag(1 /
        // sqrt(lambda_i)), the dual matrix is K = X~ X~^T + I.
        let inv_lambda: Vec<f32> = (0..idx.n_items())
            .map(|j| {
                let g: f32 = idx.iu.row(j).1.iter().map(|x| x * x).sum();
                1.0 / (cfg.lambda + cfg.item_regularization * g)
            })
            .collect();
        // K, lower triangle (artist by artist: each adds its listeners' pairwise products;
        // rows of iu are sorted, so (a, b) with b <= a is lower).
        let mut k = vec![0f64; m * m];
        for (j, &d2) in inv_lambda.iter().enumerate() {
            let (users, xs) = idx.iu.row(j);
            let d2 = f64::from(d2);
            for (a, (&ua, &xa)) in users.iter().zip(xs).enumerate() {
                let row = &mut k[ua as usize * m..ua as usize * m + m];
                let xa = f64::from(xa) * d2;
                for (&ub, &xb) in users[..=a].iter().zip(&xs[..=a]) {
                    row[ub as usize] += xa * f64::from(xb);
                }
            }
        }
        for u in 0..m {
            k[u * m + u] += 1.0;
        }
        let kinv = spd_inverse(k, m).expect("X~ X~^T + I is positive definite");
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
                let q = q * f64::from(inv_lambda[j]);
                (-1.0 / (1.0 - q)) as f32
            })
            .collect();
        Self {
            m,
            kinv: kinv.into_iter().map(|v| v as f32).collect(),
            neg_inv_diag,
            inv_lambda,
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

    /// Scores for a row that is not a trained user's (fold-in): with `x~ = x D`,
    /// `x P = x~ (I - X~^T K^-1 X~) D`, so for an artist j the row does not hold the score is
    /// `(w^T X)_j / (1 - q_j)` with `w = K^-1 X~ x~`: one users-vector product with K^-1.
    pub fn score_row(&self, idx: &Indexed, items: &[u32], xs: &[f32], out: &mut [f32]) {
        let mut t = vec![0f32; self.m];
        for (&i, &x) in items.iter().zip(xs) {
            let c = x * self.inv_lambda[i as usize];
            let (users, ys) = idx.iu.row(i as usize);
            for (&v, &y) in users.iter().zip(ys) {
                t[v as usize] += c * y;
            }
        }
        let mut acc = vec![0f32; out.len()];
        for v in 0..self.m {
            let w = crate::linalg::dot_f32(&self.kinv[v * self.m..(v + 1) * self.m], &t);
            if w == 0.0 {
                continue;
            }
            let (its, ys) = idx.ui.row(v);
            for (&i, &y) in its.iter().zip(ys) {
                acc[i as usize] += w * y;
            }
        }
        for ((o, a), d) in out.iter_mut().zip(acc).zip(&self.neg_inv_diag) {
            *o -= a * d;
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
            .map(|(j, &pj)| (j as u32, pj * self.inv_lambda[a] * self.neg_inv_diag[j]))
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

/// EASE^R in its primal form over a bounded set of artists (the most listened): the
/// artists x artists Gram matrix of those columns, its inverse P, and `B = I - P / diag(P)`
/// kept dense. Its cost grows with the listens (the Gram matrix) and with `max_items^3`,
/// never with the users; artists outside the set are neither scored nor used as evidence.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct Primal {
    /// The artists modelled, by index.
    items: Vec<u32>,
    /// Position of each artist in `items`, `u32::MAX` when not modelled.
    position: Vec<u32>,
    /// B, row-major, `items.len()` squared, zero diagonal.
    b: Vec<f32>,
}

impl Primal {
    pub fn fit(idx: &Indexed, cfg: &EaseConfig, threads: usize) -> Self {
        let mut items: Vec<u32> = (0..idx.n_items() as u32).collect();
        items.sort_by(|&a, &b| {
            idx.listeners[b as usize]
                .cmp(&idx.listeners[a as usize])
                .then(a.cmp(&b))
        });
        items.truncate(cfg.max_items.min(idx.n_items()));
        items.sort_unstable();
        let n = items.len();
        let mut position = vec![u32::MAX; idx.n_items()];
        for (p, &i) in items.iter().enumerate() {
            position[i as usize] = p as u32;
        }
        // G = X_S^T X_S, lower triangle, summed user by user (each thread its own matrix:
        // the users' rows are short, so scattering into one shared matrix would contend).
        let gram = crate::parallel::map_ranges(idx.n_users(), threads.min(2), |range| {
            let mut g = vec![0f64; n * n];
            let mut row: Vec<(usize, f64)> = Vec::new();
            for u in range {
                row.clear();
                let (its, xs) = idx.ui.row(u);
                row.extend(its.iter().zip(xs).filter_map(|(&i, &x)| {
                    let p = position[i as usize];
                    (p != u32::MAX).then_some((p as usize, f64::from(x)))
                }));
                for (a, &(pa, xa)) in row.iter().enumerate() {
                    let g_row = &mut g[pa * n..pa * n + n];
                    for &(pb, xb) in &row[..=a] {
                        g_row[pb] += xa * xb;
                    }
                }
            }
            vec![g]
        });
        let mut g = vec![0f64; n * n];
        for part in gram {
            for (s, p) in g.iter_mut().zip(part) {
                *s += p;
            }
        }
        for d in 0..n {
            let gd = g[d * n + d];
            g[d * n + d] += f64::from(cfg.lambda) + f64::from(cfg.item_regularization) * gd;
        }
        let p = spd_inverse(g, n).expect("G + Lambda is positive definite");
        let mut b = vec![0f32; n * n];
        for r in 0..n {
            for c in 0..n {
                if r != c {
                    b[r * n + c] = (-p[r * n + c] / p[c * n + c]) as f32;
                }
            }
        }
        Self { items, position, b }
    }

    pub fn score(&self, items: &[u32], xs: &[f32], out: &mut [f32]) {
        let n = self.items.len();
        let mut acc = vec![0f32; n];
        for (&i, &x) in items.iter().zip(xs) {
            let p = self.position[i as usize];
            if p != u32::MAX {
                crate::linalg::axpy(&mut acc, x, &self.b[p as usize * n..(p as usize + 1) * n]);
            }
        }
        for (&i, a) in self.items.iter().zip(acc) {
            out[i as usize] += a;
        }
    }

    pub fn neighbours(&self, a: usize) -> Vec<(u32, f32)> {
        let n = self.items.len();
        let p = self.position[a];
        if p == u32::MAX {
            return Vec::new();
        }
        self.b[p as usize * n..(p as usize + 1) * n]
            .iter()
            .zip(&self.items)
            .filter(|&(&w, &j)| w != 0.0 && j as usize != a)
            .map(|(&w, &j)| (j, w))
            .collect()
    }

    pub fn bytes(&self) -> usize {
        (self.items.len() + self.position.len() + self.b.len()) * 4
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
        let p = spd_inverse(g, n).unwrap();
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
        let model = Dual::fit(
            &idx,
            &EaseConfig {
                enabled: true,
                lambda: 3.0,
                item_regularization: 0.0,
                ..EaseConfig::default()
            },
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

    #[test]
    fn the_dual_and_primal_forms_agree_with_per_artist_regularisation() {
        let idx = Indexed::build(&two_groups());
        let cfg = EaseConfig {
            enabled: true,
            lambda: 3.0,
            item_regularization: 0.5,
            max_items: usize::MAX,
            ..EaseConfig::default()
        };
        let dual = Dual::fit(&idx, &cfg);
        let primal = Primal::fit(&idx, &cfg, 2);
        for user in [1, 4] {
            let u = idx.user(user).unwrap();
            let (items, xs) = idx.ui.row(u);
            let (mut a, mut b, mut c) = (
                vec![0f32; idx.n_items()],
                vec![0f32; idx.n_items()],
                vec![0f32; idx.n_items()],
            );
            dual.score(&idx, u, &mut a);
            primal.score(items, xs, &mut b);
            // The fold-in formula on a trained row is the trained user's answer.
            dual.score_row(&idx, items, xs, &mut c);
            for i in 0..idx.n_items() {
                if !items.contains(&(i as u32)) {
                    assert!((a[i] - b[i]).abs() < 1e-3, "{a:?} vs {b:?}");
                    assert!((a[i] - c[i]).abs() < 1e-3, "{a:?} vs {c:?}");
                }
            }
        }
    }

    #[test]
    fn the_primal_form_keeps_only_the_most_listened_artists() {
        let idx = Indexed::build(&two_groups());
        let cfg = EaseConfig {
            max_items: 4,
            max_dual_users: 0,
            ..EaseConfig::default()
        };
        let Ease::Primal(model) = Ease::fit(&idx, &cfg, 1) else {
            panic!("more users than max_dual_users: the primal form")
        };
        assert_eq!(model.items.len(), 4);
        // Artists 10-12 have 3 listeners, 20-23 3 as well, 13 only 2: ties by index.
        assert!(model.items.iter().all(|&i| idx.items[i as usize] <= 20));
        assert!(model.neighbours(idx.item(13).unwrap()).is_empty());
    }
}
