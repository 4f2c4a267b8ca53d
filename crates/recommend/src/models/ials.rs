//! Implicit ALS (Hu, Koren and Volinsky 2008): every (user, artist) cell is a preference of 1
//! (played) or 0 (not), trusted with confidence `1 + alpha * ln(1 + plays)`; user and artist
//! factors are fitted in alternating sweeps. Each row's k x k system is solved approximately
//! by a few conjugate-gradient steps warm-started from the previous sweep (Takacs, Pilaszy and
//! Tikk 2011), which costs k^2 + nnz * k per step instead of a k^3 factorisation, and matches
//! the exact solve after a few sweeps.

use crate::config::IalsConfig;
use crate::data::{Csr, Indexed};
use crate::linalg::{axpy, dot_f32, gram_f32};
use crate::parallel;
use crate::rng::SplitMix64;
use crate::topk::TopK;

/// Users scored together by `top_candidates`: each tile of artist factors is read once per
/// block, and the block's factors (64 x 48 floats) stay in the L1 cache.
const USER_BLOCK: usize = 64;
/// Artists per tile: a tile's scores for a block (4,096 x 64 floats, 1 MB) stay in L2.
const ITEM_TILE: usize = 4096;

#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct Ials {
    k: usize,
    /// Users x k, row-major.
    users: Vec<f32>,
    /// Artists x k, row-major.
    items: Vec<f32>,
    /// `items^T items`, k x k: the part of every user's system that does not depend on them.
    gram: Vec<f32>,
    alpha: f32,
    regularization: f32,
}

/// Factors of a model trained on other data (the validation split's), by external id: a
/// served model started from them needs fewer sweeps than one started from noise.
#[derive(Debug, Default)]
pub(crate) struct WarmStart {
    k: usize,
    /// Sorted user ids, and their factors (row-major, `k` per user).
    users: Vec<i64>,
    user_factors: Vec<f32>,
    /// Sorted artist ids, and their factors.
    items: Vec<i64>,
    item_factors: Vec<f32>,
}

impl WarmStart {
    /// The factors of `model`, trained on `idx`, kept by the ids of `idx`.
    pub fn of(model: &Ials, idx: &Indexed) -> Self {
        Self {
            k: model.k,
            users: idx.users.clone(),
            user_factors: model.users.clone(),
            items: idx.items.clone(),
            item_factors: model.items.clone(),
        }
    }

    /// Rows of `ids` (sorted) from `(known, factors)`: a known id's factors, else `fresh`.
    fn rows(
        ids: &[i64],
        known: &[i64],
        factors: &[f32],
        k: usize,
        fresh: &mut impl FnMut() -> f32,
    ) -> Vec<f32> {
        let mut out = Vec::with_capacity(ids.len() * k);
        for id in ids {
            match known.binary_search(id) {
                Ok(p) => out.extend_from_slice(&factors[p * k..(p + 1) * k]),
                Err(_) => out.extend((0..k).map(|_| fresh())),
            }
        }
        out
    }
}

impl Ials {
    #[cfg(test)]
    pub fn fit(idx: &Indexed, cfg: &IalsConfig, seed: u64, threads: usize) -> Self {
        Self::fit_from(idx, cfg, seed, threads, None)
    }

    /// `fit`, started from `warm` when it has factors of the same width and
    /// `cfg.warm_iterations` is not 0: then only that many sweeps are run (users first, against the warm artists' factors),
    /// and users or artists that `warm` does not know start from noise as in a cold fit.
    pub fn fit_from(
        idx: &Indexed,
        cfg: &IalsConfig,
        seed: u64,
        threads: usize,
        warm: Option<&WarmStart>,
    ) -> Self {
        let k = cfg.factors.max(1);
        let mut rng = SplitMix64::new(seed ^ 0x1A15);
        let mut fresh = || (rng.next_f32() - 0.5) * 0.1 / (k as f32).sqrt();
        let warm = warm.filter(|w| cfg.warm_iterations > 0 && w.k == k && !w.users.is_empty());
        let (mut users, mut items, iterations) = match warm {
            Some(w) => (
                WarmStart::rows(&idx.users, &w.users, &w.user_factors, k, &mut fresh),
                WarmStart::rows(&idx.items, &w.items, &w.item_factors, k, &mut fresh),
                cfg.warm_iterations,
            ),
            None => {
                let users = (0..idx.n_users() * k).map(|_| fresh()).collect();
                let items = (0..idx.n_items() * k).map(|_| fresh()).collect();
                (users, items, cfg.iterations)
            }
        };
        for _ in 0..iterations {
            sweep(&idx.ui, &items, &mut users, k, cfg, threads);
            sweep(&idx.iu, &users, &mut items, k, cfg, threads);
        }
        let gram = gram_f32(&items, k);
        Self {
            k,
            users,
            items,
            gram,
            alpha: cfg.alpha,
            regularization: cfg.regularization,
        }
    }

    /// Latent factors per user and artist.
    pub fn factors(&self) -> usize {
        self.k
    }

    /// Trained user `u`'s factors.
    pub fn user_factors(&self, u: usize) -> &[f32] {
        &self.users[u * self.k..(u + 1) * self.k]
    }

    /// Artist `i`'s factors.
    pub fn item_factors(&self, i: usize) -> &[f32] {
        &self.items[i * self.k..(i + 1) * self.k]
    }

    /// Fold-in: the factors of a user with these listens (artists and damped plays), the
    /// artists' factors held fixed. This is the exact solution of the user's least-squares
    /// problem in a training sweep, `(G + reg I + sum_i alpha x_i y_i y_i^T) u = sum_i (1 +
    /// alpha x_i) y_i`: one k x k Cholesky solve, tens of microseconds.
    pub fn fold_in(&self, items: &[u32], xs: &[f32]) -> Vec<f32> {
        let k = self.k;
        if items.is_empty() {
            return vec![0.0; k];
        }
        let mut a: Vec<f64> = self.gram.iter().map(|&g| f64::from(g)).collect();
        let mut b = vec![0f64; k];
        for d in 0..k {
            a[d * k + d] += f64::from(self.regularization);
        }
        for (&i, &x) in items.iter().zip(xs) {
            let y = self.item_factors(i as usize);
            let c = f64::from(self.alpha * x);
            for r in 0..k {
                let yr = f64::from(y[r]);
                b[r] += (1.0 + c) * yr;
                for (s, &ys) in y[..=r].iter().enumerate() {
                    a[r * k + s] += c * yr * f64::from(ys);
                }
            }
        }
        crate::linalg::cholesky(&mut a, k, 1).expect("G + reg I is positive definite");
        // L z = b, then L^T x = z.
        for r in 0..k {
            let s: f64 = (0..r).map(|c| a[r * k + c] * b[c]).sum();
            b[r] = (b[r] - s) / a[r * k + r];
        }
        for r in (0..k).rev() {
            let s: f64 = (r + 1..k).map(|c| a[c * k + r] * b[c]).sum();
            b[r] = (b[r] - s) / a[r * k + r];
        }
        b.into_iter().map(|v| v as f32).collect()
    }

    /// Adds the scores of user factors `x` for every artist.
    pub fn score(&self, x: &[f32], out: &mut [f32]) {
        for (o, y) in out.iter_mut().zip(self.items.chunks_exact(self.k)) {
            *o += dot_f32(x, y);
        }
    }

    /// The best `k` artists of each of `users` (trained users) by iALS score: positive scores
    /// only, never an artist the user plays or knows, best first with ties to the lower index (what
    /// `top_k_dense` of `score` keeps). Scoring one user at a time streams every artist's
    /// factors through the cache per user (54 MB at 100x: the loop is bound by memory, not
    /// arithmetic); here blocks of users share each pass over a tile of artists, as one
    /// matrix product (faer's kernels), and each user keeps a running top `k` across tiles.
    pub fn top_candidates(
        &self,
        idx: &Indexed,
        users: &[usize],
        k: usize,
        threads: usize,
    ) -> Vec<Vec<(u32, f32)>> {
        let blocks: Vec<&[usize]> = users.chunks(USER_BLOCK).collect();
        parallel::map_ranges(blocks.len(), threads, |range| {
            let mut out = Vec::new();
            let mut tile = faer::Mat::<f32>::zeros(ITEM_TILE, USER_BLOCK);
            for block in &blocks[range] {
                out.extend(self.block_candidates(idx, block, k, &mut tile));
            }
            out
        })
    }

    /// `top_candidates` of at most `USER_BLOCK` users, with `tile` as scratch.
    fn block_candidates(
        &self,
        idx: &Indexed,
        block: &[usize],
        k: usize,
        tile: &mut faer::Mat<f32>,
    ) -> Vec<Vec<(u32, f32)>> {
        let dim = self.k;
        let mut factors = Vec::with_capacity(block.len() * dim);
        for &u in block {
            factors.extend_from_slice(self.user_factors(u));
        }
        let lhs_t = faer::MatRef::from_row_major_slice(&factors, block.len(), dim).transpose();
        let mut best: Vec<TopK> = block.iter().map(|_| TopK::new(k)).collect();
        let n = self.items.len() / dim;
        for t0 in (0..n).step_by(ITEM_TILE) {
            let t1 = (t0 + ITEM_TILE).min(n);
            let items =
                faer::MatRef::from_row_major_slice(&self.items[t0 * dim..t1 * dim], t1 - t0, dim);
            // Scores of the tile's artists (rows) for the block's users (columns).
            faer::linalg::matmul::matmul(
                tile.as_mut().submatrix_mut(0, 0, t1 - t0, block.len()),
                faer::Accum::Replace,
                items,
                lhs_t,
                1.0,
                faer::Par::Seq,
            );
            for (b, &u) in block.iter().enumerate() {
                let column = tile.col_as_slice_mut(b);
                let column = &mut column[..t1 - t0];
                // Played and known artists are never candidates (see `UserRow::excluded`).
                for own in [idx.ui.row(u).0, idx.known.row(u)] {
                    let from = own.partition_point(|&i| (i as usize) < t0);
                    for &i in own[from..].iter().take_while(|&&i| (i as usize) < t1) {
                        column[i as usize - t0] = f32::NEG_INFINITY;
                    }
                }
                best[b].offer_dense(t0 as u32, column);
            }
        }
        best.into_iter().map(TopK::into_sorted).collect()
    }

    /// The dot product of two artists' factors.
    pub fn item_dot(&self, a: usize, b: usize) -> f32 {
        dot_f32(self.item_factors(a), self.item_factors(b))
    }

    /// The squared norm of an artist's factors.
    pub fn item_norm2(&self, a: usize) -> f32 {
        let x = self.item_factors(a);
        dot_f32(x, x)
    }

    pub fn bytes(&self) -> usize {
        (self.users.len() + self.items.len() + self.gram.len()) * 4
    }
}

/// Re-fits every row of `own` against the fixed factors `other`, rows of `m` giving the
/// interactions (damped plays) of each row.
fn sweep(m: &Csr, other: &[f32], own: &mut [f32], k: usize, cfg: &IalsConfig, threads: usize) {
    let g = gram_f32(other, k);
    parallel::for_row_blocks(own, k, threads, |first, rows| {
        let mut r = vec![0f32; k];
        let mut p = vec![0f32; k];
        let mut ap = vec![0f32; k];
        for (offset, x) in rows.chunks_exact_mut(k).enumerate() {
            let (cols, vals) = m.row(first + offset);
            if cols.is_empty() {
                x.fill(0.0);
                continue;
            }
            // A v = (G + reg I) v + sum_i (c_i - 1) (y_i . v) y_i;  b = sum_i c_i y_i.
            let apply = |v: &[f32], out: &mut [f32]| {
                for (a, o) in out.iter_mut().enumerate() {
                    *o = dot_f32(&g[a * k..(a + 1) * k], v) + cfg.regularization * v[a];
                }
                for (&i, &val) in cols.iter().zip(vals) {
                    let y = &other[i as usize * k..(i as usize + 1) * k];
                    axpy(out, cfg.alpha * val * dot_f32(y, v), y);
                }
            };
            apply(x, &mut ap);
            for a in 0..k {
                r[a] = -ap[a];
            }
            for (&i, &val) in cols.iter().zip(vals) {
                axpy(
                    &mut r,
                    1.0 + cfg.alpha * val,
                    &other[i as usize * k..(i as usize + 1) * k],
                );
            }
            p.copy_from_slice(&r);
            let mut rs_old = dot_f32(&r, &r);
            for _ in 0..cfg.cg_steps {
                if rs_old < 1e-12 {
                    break;
                }
                apply(&p, &mut ap);
                let step = rs_old / dot_f32(&p, &ap);
                axpy(x, step, &p);
                axpy(&mut r, -step, &ap);
                let rs_new = dot_f32(&r, &r);
                let beta = rs_new / rs_old;
                for a in 0..k {
                    p[a] = r[a] + beta * p[a];
                }
                rs_old = rs_new;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::two_groups;
    use crate::topk::top_k_dense;

    #[test]
    fn ials_prefers_the_users_own_group() {
        let idx = Indexed::build(&two_groups());
        let cfg = IalsConfig {
            factors: 4,
            iterations: 15,
            regularization: 0.1,
            ..IalsConfig::default()
        };
        let model = Ials::fit(&idx, &cfg, 1, 2);
        let mut out = vec![0f32; idx.n_items()];
        model.score(model.user_factors(idx.user(1).unwrap()), &mut out);
        let a13 = out[idx.item(13).unwrap()];
        for a in 20..=23 {
            assert!(
                a13 > 0.05 && a13 > 10.0 * out[idx.item(a).unwrap()].abs(),
                "{out:?}"
            );
        }
    }

    #[test]
    fn batched_candidates_are_the_dense_top_lists() {
        // Many artists (several tiles and blocks) from a generated matrix.
        let mut rng = SplitMix64::new(11);
        let listens: Vec<(i64, i64, i64)> = (0..150)
            .flat_map(|u| {
                let picks: Vec<i64> = (0..40).map(|_| (rng.next_f32() * 9000.0) as i64).collect();
                picks.into_iter().map(move |a| (u, a, 1 + a % 7))
            })
            .collect();
        let idx = Indexed::build(&crate::data::TrainingData {
            listens,
            ..Default::default()
        });
        assert!(idx.n_items() > ITEM_TILE && idx.n_users() > USER_BLOCK);
        let cfg = IalsConfig {
            factors: 8,
            iterations: 2,
            ..IalsConfig::default()
        };
        let model = Ials::fit(&idx, &cfg, 1, 2);
        let users: Vec<usize> = (0..idx.n_users()).rev().collect();
        let batched = model.top_candidates(&idx, &users, 25, 2);
        for (&u, got) in users.iter().zip(&batched) {
            let mut dense = vec![0f32; idx.n_items()];
            model.score(model.user_factors(u), &mut dense);
            for &i in idx.ui.row(u).0.iter().chain(idx.known.row(u)) {
                dense[i as usize] = f32::NEG_INFINITY;
            }
            let want = top_k_dense(&dense, 25);
            assert_eq!(got.len(), want.len());
            for (g, w) in got.iter().zip(&want) {
                // The same artists, up to the rounding of a different summation order.
                assert!(
                    (g.1 - w.1).abs() < 1e-5 * (1.0 + w.1.abs()),
                    "{g:?} vs {w:?}"
                );
                assert!(
                    g.0 == w.0 || (g.1 - w.1).abs() < 1e-5,
                    "{got:?} vs {want:?}"
                );
            }
        }
    }

    #[test]
    fn a_warm_start_continues_from_the_factors_it_is_given() {
        let idx = Indexed::build(&two_groups());
        let cfg = IalsConfig {
            factors: 4,
            iterations: 30,
            cg_steps: 8,
            regularization: 0.1,
            ..IalsConfig::default()
        };
        let cold = Ials::fit(&idx, &cfg, 1, 2);
        let warm = WarmStart::of(&cold, &idx);
        // Converged factors barely move in one more sweep, whatever the seed.
        let cfg = IalsConfig {
            warm_iterations: 1,
            ..cfg
        };
        let again = Ials::fit_from(&idx, &cfg, 7, 2, Some(&warm));
        for (a, b) in again.users.iter().zip(&cold.users) {
            assert!((a - b).abs() < 1e-2 * (1.0 + b.abs()), "{a} vs {b}");
        }
        // warm_iterations 0 is the cold fit, bit for bit.
        let cfg = IalsConfig {
            warm_iterations: 0,
            ..cfg
        };
        assert_eq!(
            Ials::fit_from(&idx, &cfg, 1, 2, Some(&warm)).users,
            cold.users
        );
    }

    #[test]
    fn fold_in_solves_a_users_factors_from_their_row() {
        let idx = Indexed::build(&two_groups());
        let cfg = IalsConfig {
            factors: 4,
            iterations: 30,
            cg_steps: 8,
            regularization: 0.1,
            ..IalsConfig::default()
        };
        let model = Ials::fit(&idx, &cfg, 1, 2);
        // A converged sweep solves each user's system: folding a trained row in again gives
        // (nearly) the trained factors back.
        let u = idx.user(2).unwrap();
        let (items, xs) = idx.ui.row(u);
        let folded = model.fold_in(items, xs);
        for (a, b) in folded.iter().zip(model.user_factors(u)) {
            assert!(
                (a - b).abs() < 1e-2 * (1.0 + b.abs()),
                "{folded:?} vs {:?}",
                model.user_factors(u)
            );
        }
        // A new listener of artists 20-21 only is scored into that group.
        let row = [idx.item(20).unwrap() as u32, idx.item(21).unwrap() as u32];
        let x = model.fold_in(&row, &[2.0, 2.0]);
        let mut out = vec![0f32; idx.n_items()];
        model.score(&x, &mut out);
        assert!(
            out[idx.item(22).unwrap()] > out[idx.item(13).unwrap()] + 0.1,
            "{out:?}"
        );
        assert_eq!(model.fold_in(&[], &[]), vec![0.0; 4]);
    }
}
