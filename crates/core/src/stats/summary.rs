//! Summary statistics of a sample: its mean and its quantiles.

/// The `q`-quantile (`q` in [0, 1]) of values sorted ascending, by linear interpolation
/// between the nearest order statistics (Hyndman & Fan type 7, NumPy's default).
/// `None` for no values.
pub fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let h = (n - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// The arithmetic mean; `None` for no values.
pub fn mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        None
    } else {
        Some(values.iter().sum::<f64>() / values.len() as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::close;

    #[test]
    fn quantiles_interpolate_between_order_statistics() {
        let x = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&x, 0.0), Some(1.0));
        assert_eq!(quantile(&x, 0.5), Some(2.5));
        assert_eq!(quantile(&x, 1.0), Some(4.0));
        // h = 3 * 0.1 = 0.3: 1 + 0.3 * (2 - 1).
        assert!(close(quantile(&x, 0.1).unwrap(), 1.3, 1e-12));
        assert!(close(quantile(&x, 0.75).unwrap(), 3.25, 1e-12));
        assert_eq!(quantile(&[7.0], 0.9), Some(7.0));
        assert_eq!(quantile(&[], 0.5), None);
    }
}
