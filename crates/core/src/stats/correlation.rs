//! Correlation of two samples (Pearson's, and Spearman's over average ranks) and the t test
//! of a correlation's significance.

use super::{mean, student_t_two_sided};

/// Pearson's correlation coefficient of two equally long samples; `None` when they are
/// shorter than 2, of different lengths, or one is constant.
pub fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() != y.len() || x.len() < 2 {
        return None;
    }
    let (mx, my) = (mean(x)?, mean(y)?);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (a - mx, b - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx == 0.0 || syy == 0.0 {
        return None;
    }
    Some((sxy / (sxx.sqrt() * syy.sqrt())).clamp(-1.0, 1.0))
}

/// Ranks from 1, tied values sharing the mean of the ranks they span (`[10, 20, 20, 30]`
/// ranks as `[1, 2.5, 2.5, 4]`).
pub fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Positions start..end hold ranks start+1..=end; their mean:
        let shared = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = shared;
        }
        start = end;
    }
    ranks
}

/// Spearman's rank correlation: Pearson's coefficient of the average ranks.
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() != y.len() {
        return None;
    }
    pearson(&ranks(x), &ranks(y))
}

/// The t statistic of a correlation `r` over `n` pairs: `r * sqrt((n - 2) / (1 - r^2))`;
/// `None` for n < 3 or |r| = 1 (infinite).
pub fn correlation_t(r: f64, n: usize) -> Option<f64> {
    if n < 3 || r.abs() >= 1.0 {
        return None;
    }
    Some(r * ((n - 2) as f64 / (1.0 - r * r)).sqrt())
}

/// Two-sided p-value of a correlation `r` over `n` pairs under `r = 0`, with the t test of
/// n - 2 degrees of freedom; 0 for |r| = 1, `None` for n < 3.
pub fn correlation_p_value(r: f64, n: usize) -> Option<f64> {
    if n < 3 {
        return None;
    }
    match correlation_t(r, n) {
        Some(t) => Some(student_t_two_sided(t, (n - 2) as f64)),
        None => Some(0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::close;

    #[test]
    fn the_pearson_of_a_perfect_line_is_one_and_of_a_falling_line_minus_one() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let up: Vec<f64> = x.iter().map(|v| 3.0 * v + 1.0).collect();
        let down: Vec<f64> = x.iter().map(|v| -0.5 * v + 10.0).collect();
        assert!(close(pearson(&x, &up).unwrap(), 1.0, 1e-12));
        assert!(close(pearson(&x, &down).unwrap(), -1.0, 1e-12));
    }

    #[test]
    fn the_pearson_of_a_constant_is_undefined() {
        assert_eq!(pearson(&[1.0, 2.0, 3.0], &[5.0, 5.0, 5.0]), None);
        assert_eq!(pearson(&[1.0], &[2.0]), None);
        assert_eq!(pearson(&[1.0, 2.0], &[2.0]), None);
    }

    #[test]
    fn the_pearson_of_a_small_sample_matches_a_hand_computation() {
        // x = 1, 2, 3; y = 1, 3, 2: sxy = 1, sxx = 2, syy = 2 -> r = 0.5.
        assert!(close(
            pearson(&[1.0, 2.0, 3.0], &[1.0, 3.0, 2.0]).unwrap(),
            0.5,
            1e-12
        ));
    }

    #[test]
    fn tied_values_share_the_mean_of_their_ranks() {
        assert_eq!(
            ranks(&[20.0, 10.0, 20.0, 30.0, 20.0]),
            vec![3.0, 1.0, 3.0, 5.0, 3.0]
        );
        assert_eq!(ranks(&[10.0, 20.0, 20.0, 30.0]), vec![1.0, 2.5, 2.5, 4.0]);
    }

    #[test]
    fn spearman_is_one_for_any_increasing_relation_and_handles_ties() {
        let x = [1.0, 2.0, 3.0, 4.0];
        assert!(close(
            spearman(&x, &[1.0, 8.0, 27.0, 1000.0]).unwrap(),
            1.0,
            1e-12
        ));
        // Ranks of y = [1, 2.5, 2.5, 4]: Pearson with 1..4 gives 4.5 / sqrt(5 * 4.5).
        let with_ties = spearman(&x, &[10.0, 20.0, 20.0, 30.0]).unwrap();
        assert!(close(with_ties, 4.5 / (5.0_f64 * 4.5).sqrt(), 1e-12));
    }

    #[test]
    fn a_correlations_test_has_n_minus_two_degrees_of_freedom() {
        // r = 0.5 over n = 12: t = 0.5 * sqrt(10 / 0.75) = 1.8257..., df 10.
        let t = correlation_t(0.5, 12).unwrap();
        assert!(close(t, (10.0_f64 / 0.75).sqrt() / 2.0, 1e-12));
        let p = correlation_p_value(0.5, 12).unwrap();
        assert!(close(p, student_t_two_sided(t, 10.0), 1e-15));
        assert_eq!(correlation_p_value(1.0, 12), Some(0.0));
        assert_eq!(correlation_t(1.0, 12), None);
        assert_eq!(correlation_p_value(0.5, 2), None);
    }
}
