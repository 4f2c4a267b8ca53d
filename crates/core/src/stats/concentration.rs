//! How concentrated a set of non-negative amounts is: the Gini coefficient, the Lorenz
//! curve, and the Shannon entropy of the amounts' shares.

/// The Gini coefficient of non-negative values sorted ascending: `2 * sum(i * x_i) /
/// (n * sum(x)) - (n + 1) / n` with `i` from 1. 0 for equal values, `1 - 1/n` when one
/// value holds everything. `None` for no values or a zero sum.
pub fn gini(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len() as f64;
    let total: f64 = sorted.iter().sum();
    if sorted.is_empty() || total <= 0.0 {
        return None;
    }
    let weighted: f64 = sorted
        .iter()
        .enumerate()
        .map(|(i, x)| (i + 1) as f64 * x)
        .sum();
    Some(2.0 * weighted / (n * total) - (n + 1.0) / n)
}

/// One point of a Lorenz curve: the `m` smallest of `n` values, and what they hold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LorenzStep {
    /// Their share of the values, `m / n`.
    pub values_share: f64,
    /// Their share of the values' total.
    pub total_share: f64,
}

/// The Lorenz curve of non-negative values sorted ascending, at `steps + 1` points: for
/// `k = 0..=steps`, the `m = round(k * n / steps)` smallest values. Empty for no values or
/// a zero total.
pub fn lorenz(sorted: &[f64], steps: usize) -> Vec<LorenzStep> {
    let n = sorted.len();
    let total: f64 = sorted.iter().sum();
    if n == 0 || total <= 0.0 || steps == 0 {
        return Vec::new();
    }
    let mut cumulative = Vec::with_capacity(n + 1);
    cumulative.push(0.0);
    let mut running = 0.0;
    for x in sorted {
        running += x;
        cumulative.push(running);
    }
    (0..=steps)
        .map(|k| {
            // round(k * n / steps), half up, in integers.
            let m = (2 * k * n + steps) / (2 * steps);
            LorenzStep {
                values_share: m as f64 / n as f64,
                total_share: cumulative[m] / total,
            }
        })
        .collect()
}

/// Shannon entropy in bits of the shares of non-negative weights: `-sum(p log2 p)` with
/// `p = w / sum(w)`, zero weights contributing nothing. 0 for no weights or a zero sum.
pub fn entropy_bits(weights: &[f64]) -> f64 {
    let total: f64 = weights.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    let h: f64 = weights
        .iter()
        .filter(|&&w| w > 0.0)
        .map(|&w| {
            let p = w / total;
            -p * p.log2()
        })
        .sum();
    h.max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::close;

    #[test]
    fn the_gini_of_equal_values_is_zero() {
        assert!(close(gini(&[3.0, 3.0, 3.0, 3.0]).unwrap(), 0.0, 1e-12));
    }

    #[test]
    fn the_gini_of_one_value_holding_everything_is_one_minus_one_over_n() {
        assert!(close(gini(&[0.0, 0.0, 0.0, 1.0]).unwrap(), 0.75, 1e-12));
        assert_eq!(gini(&[0.0, 0.0]), None);
        assert_eq!(gini(&[]), None);
    }

    #[test]
    fn the_gini_of_a_small_sample_matches_the_mean_difference_formula() {
        // Mean absolute difference over all ordered pairs / (2 * mean):
        // values 1, 2, 3, 4: sum |xi - xj| = 20, n^2 = 16, mean 2.5 -> 20 / 16 / 5 = 0.25.
        assert!(close(gini(&[1.0, 2.0, 3.0, 4.0]).unwrap(), 0.25, 1e-12));
    }

    #[test]
    fn the_lorenz_curve_runs_from_zero_to_one_below_the_diagonal() {
        let points = |sorted: &[f64], steps| -> Vec<(f64, f64)> {
            lorenz(sorted, steps)
                .into_iter()
                .map(|p| (p.values_share, p.total_share))
                .collect()
        };
        assert_eq!(
            points(&[0.0, 0.0, 0.0, 1.0], 4),
            [(0.0, 0.0), (0.25, 0.0), (0.5, 0.0), (0.75, 0.0), (1.0, 1.0)]
        );
        // round(1 * 3 / 2) = 2 (half up): two smallest hold 2 of 4.
        assert_eq!(
            points(&[1.0, 1.0, 2.0], 2),
            [(0.0, 0.0), (2.0 / 3.0, 0.5), (1.0, 1.0)]
        );
        assert!(lorenz(&[], 10).is_empty());
    }

    #[test]
    fn the_entropy_of_equal_shares_is_log2_of_their_number() {
        assert!(close(entropy_bits(&[5.0, 5.0, 5.0, 5.0]), 2.0, 1e-12));
        assert!(close(entropy_bits(&[7.0]), 0.0, 1e-12));
        assert!(close(entropy_bits(&[3.0, 0.0, 3.0]), 1.0, 1e-12));
        assert_eq!(entropy_bits(&[]), 0.0);
        // p = 1/4, 3/4: -(0.25 log2 0.25 + 0.75 log2 0.75).
        let h = 0.5 + 0.75 * (4.0_f64 / 3.0).log2();
        assert!(close(entropy_bits(&[1.0, 3.0]), h, 1e-12));
    }
}
