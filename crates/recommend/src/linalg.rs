//! The dense linear algebra the models need, written out rather than taken from a crate: dot
//! products shaped so the compiler vectorises them, and the inverse of a symmetric positive
//! definite matrix (EASE^R needs one of the size of the user count).
//!
//! Rust keeps floating-point additions in program order, so a plain `zip().map().sum()` dot
//! product cannot use SIMD lanes; summing into eight independent accumulators can.

use crate::parallel;

const LANES: usize = 8;

/// `a . b` over the shorter length.
pub(crate) fn dot_f32(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [0f32; LANES];
    let (ca, cb) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for l in 0..LANES {
            acc[l] += x[l] * y[l];
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// `a . b` over the shorter length.
pub(crate) fn dot_f64(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [0f64; LANES];
    let (ca, cb) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let tail: f64 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for l in 0..LANES {
            acc[l] += x[l] * y[l];
        }
    }
    acc.iter().sum::<f64>() + tail
}

/// `y += a * x`.
pub(crate) fn axpy(y: &mut [f32], a: f32, x: &[f32]) {
    for (y, x) in y.iter_mut().zip(x) {
        *y += a * x;
    }
}

/// The matrix is not positive definite: the pivot of this row is not positive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NotPositiveDefinite(pub usize);

/// Rows per block of the Cholesky factorisation: the block's rows (32 x n doubles) stay in
/// the L2 cache while every finished row streams past them once.
const BLOCK: usize = 32;

/// Factors the row-major `n x n` matrix `a` in place as `L L^T`, reading and writing only its
/// lower triangle (the upper one is left as it was).
pub(crate) fn cholesky(a: &mut [f64], n: usize, threads: usize) -> Result<(), NotPositiveDefinite> {
    for i0 in (0..n).step_by(BLOCK) {
        let i1 = (i0 + BLOCK).min(n);
        let (done, rest) = a.split_at_mut(i0 * n);
        let block = &mut rest[..(i1 - i0) * n];
        // The block's columns left of it, from the finished rows: rows are independent here.
        if i0 > 0 {
            parallel::for_row_blocks(block, n, threads, |_, rows| {
                for j in 0..i0 {
                    let lj = &done[j * n..j * n + j];
                    let ljj = done[j * n + j];
                    for row in rows.chunks_mut(n) {
                        row[j] = (row[j] - dot_f64(&row[..j], lj)) / ljj;
                    }
                }
            });
        }
        // The block's own lower triangle, row after row.
        for r in 0..(i1 - i0) {
            let i = i0 + r;
            let (above, below) = block.split_at_mut(r * n);
            let row = &mut below[..n];
            for j in i0..i {
                let lj = &above[(j - i0) * n..(j - i0) * n + n];
                row[j] = (row[j] - dot_f64(&row[..j], &lj[..j])) / lj[j];
            }
            let d = row[i] - dot_f64(&row[..i], &row[..i]);
            if d <= 0.0 || !d.is_finite() {
                return Err(NotPositiveDefinite(i));
            }
            row[i] = d.sqrt();
        }
    }
    Ok(())
}

/// Right-hand sides solved together by the inverse: each step of the substitution is then an
/// update of eight contiguous doubles, which vectorises, instead of a single one.
const RHS: usize = 8;

/// The inverse of the symmetric positive definite row-major `n x n` matrix `a` (only its lower
/// triangle is read), by Cholesky and then forward and back substitution on the identity,
/// eight columns at a time. Only the lower triangle of each column block is computed (the
/// substitutions start and stop at the block), the upper one is its mirror: n^3/2 multiply-adds
/// in all.
pub(crate) fn spd_inverse(
    mut a: Vec<f64>,
    n: usize,
    threads: usize,
) -> Result<Vec<f64>, NotPositiveDefinite> {
    cholesky(&mut a, n, threads)?;
    let l = a;
    let mut lt = vec![0f64; n * n];
    for i in 0..n {
        for k in 0..=i {
            lt[k * n + i] = l[i * n + k];
        }
    }
    let blocks: Vec<usize> = (0..n).step_by(RHS).collect();
    let threads = threads.clamp(1, blocks.len().max(1));
    // Early blocks cost the most: deal them out round-robin so the threads finish together.
    let solved: Vec<Vec<(usize, Vec<f64>)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (l, lt, blocks) = (&l, &lt, &blocks);
                s.spawn(move || {
                    blocks
                        .iter()
                        .skip(t)
                        .step_by(threads)
                        .map(|&c0| (c0, solve_block(l, lt, n, c0)))
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a worker thread panicked"))
            .collect()
    });
    let mut inverse = l;
    for (c0, x) in solved.into_iter().flatten() {
        let width = RHS.min(n - c0);
        for (r, xi) in x.chunks_exact(RHS).enumerate() {
            let i = c0 + r;
            for (c, &v) in xi[..width].iter().enumerate() {
                inverse[i * n + c0 + c] = v;
                inverse[(c0 + c) * n + i] = v;
            }
        }
    }
    Ok(inverse)
}

/// Columns `c0..c0 + 8` of the inverse, rows `c0..n` (row `r` of the result is row `c0 + r`).
fn solve_block(l: &[f64], lt: &[f64], n: usize, c0: usize) -> Vec<f64> {
    let rows = n - c0;
    let mut y = vec![0f64; rows * RHS];
    // Forward: L y = e_c; rows above c0 of y are zero, so the sums start at c0.
    for i in c0..n {
        let mut acc = [0f64; RHS];
        if i - c0 < RHS {
            acc[i - c0] = 1.0;
        }
        let li = &l[i * n + c0..i * n + i];
        for (&lik, yk) in li.iter().zip(y.chunks_exact(RHS)) {
            for c in 0..RHS {
                acc[c] -= lik * yk[c];
            }
        }
        let d = l[i * n + i];
        let yi = &mut y[(i - c0) * RHS..(i - c0 + 1) * RHS];
        for c in 0..RHS {
            yi[c] = acc[c] / d;
        }
    }
    // Back: L^T x = y, from the last row up to c0 (rows above are not needed).
    for i in (c0..n).rev() {
        let (head, tail) = y.split_at_mut((i - c0 + 1) * RHS);
        let xi = &mut head[(i - c0) * RHS..];
        let mut acc = [0f64; RHS];
        acc.copy_from_slice(xi);
        let lti = &lt[i * n + i + 1..i * n + n];
        for (&lki, xk) in lti.iter().zip(tail.chunks_exact(RHS)) {
            for c in 0..RHS {
                acc[c] -= lki * xk[c];
            }
        }
        let d = l[i * n + i];
        for c in 0..RHS {
            xi[c] = acc[c] / d;
        }
    }
    y
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SplitMix64;

    #[test]
    fn dot_products_match_the_plain_sum() {
        let a: Vec<f64> = (0..19).map(f64::from).collect();
        let b: Vec<f64> = (0..19).map(|x| f64::from(x) * 0.5).collect();
        let want: f64 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((dot_f64(&a, &b) - want).abs() < 1e-9);
        let af: Vec<f32> = a.iter().map(|&x| x as f32).collect();
        let bf: Vec<f32> = b.iter().map(|&x| x as f32).collect();
        assert!((f64::from(dot_f32(&af, &bf)) - want).abs() < 1e-3);
    }

    #[test]
    fn the_inverse_of_a_random_spd_matrix_times_it_is_the_identity() {
        // Sizes across the block boundaries (32 rows, 8 right-hand sides).
        for n in [1, 7, 33, 70] {
            let mut rng = SplitMix64::new(n as u64);
            let m: Vec<f64> = (0..n * n)
                .map(|_| f64::from(rng.next_f32()) - 0.5)
                .collect();
            let mut a = vec![0f64; n * n];
            for i in 0..n {
                for j in 0..n {
                    a[i * n + j] = (0..n).map(|k| m[i * n + k] * m[j * n + k]).sum::<f64>()
                        + if i == j { 0.5 } else { 0.0 };
                }
            }
            let inv = spd_inverse(a.clone(), n, 2).expect("positive definite");
            for i in 0..n {
                for j in 0..n {
                    let p: f64 = (0..n).map(|k| a[i * n + k] * inv[k * n + j]).sum();
                    let want = if i == j { 1.0 } else { 0.0 };
                    assert!((p - want).abs() < 1e-8, "n={n} ({i},{j}) = {p}");
                }
            }
        }
    }

    #[test]
    fn a_matrix_that_is_not_positive_definite_is_refused() {
        let a = vec![1.0, 2.0, 2.0, 1.0];
        assert_eq!(spd_inverse(a, 2, 1), Err(NotPositiveDefinite(1)));
    }
}
