//! Histograms on a log10 scale: which bin a value falls in, the bins' edges, and the
//! histogram of a sample.

use crate::views::analytics::HistogramBin;

/// The log10-scale bin index of a positive value with `per_decade` bins per power of ten:
/// the `k` with `10^(k / per_decade) <= value < 10^((k + 1) / per_decade)`.
pub fn log_bin(value: f64, per_decade: u32) -> i64 {
    let mut k = (value.log10() * f64::from(per_decade)).floor() as i64;
    // Correct the floating-point rounding of log10 at the edges.
    while value < log_edge(k, per_decade) {
        k -= 1;
    }
    while value >= log_edge(k + 1, per_decade) {
        k += 1;
    }
    k
}

/// The lower edge of log10-scale bin `k`: `10^(k / per_decade)`.
pub fn log_edge(k: i64, per_decade: u32) -> f64 {
    10f64.powf(k as f64 / f64::from(per_decade))
}

/// A histogram of the positive values on a log10 scale: every bin from the smallest positive
/// value's to the largest's, empty bins included. Values of 0 or less are left out.
pub fn log_histogram(values: &[f64], per_decade: u32) -> Vec<HistogramBin> {
    let bins: Vec<i64> = values
        .iter()
        .filter(|&&v| v > 0.0)
        .map(|&v| log_bin(v, per_decade))
        .collect();
    let (Some(&first), Some(&last)) = (bins.iter().min(), bins.iter().max()) else {
        return Vec::new();
    };
    let mut counts = vec![0_i64; (last - first + 1) as usize];
    for k in bins {
        counts[(k - first) as usize] += 1;
    }
    counts
        .into_iter()
        .enumerate()
        .map(|(i, count)| {
            let k = first + i as i64;
            HistogramBin {
                lower: log_edge(k, per_decade),
                upper: log_edge(k + 1, per_decade),
                count,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_bins_put_powers_of_ten_at_the_start_of_a_bin() {
        assert_eq!(log_bin(1.0, 5), 0);
        assert_eq!(log_bin(10.0, 5), 5);
        assert_eq!(log_bin(1000.0, 5), 15);
        assert_eq!(log_bin(999.0, 5), 14);
        assert_eq!(log_bin(1_000_000.0, 4), 24);
        assert_eq!(log_bin(2.0, 1), 0);
    }

    #[test]
    fn a_log_histogram_is_contiguous_and_leaves_out_zeros() {
        let bins: Vec<(f64, f64, i64)> = log_histogram(&[0.0, 1.0, 2.0, 150.0, 100.0], 1)
            .into_iter()
            .map(|b| (b.lower, b.upper, b.count))
            .collect();
        assert_eq!(bins, [(1.0, 10.0, 2), (10.0, 100.0, 0), (100.0, 1000.0, 2)]);
        assert!(log_histogram(&[0.0], 1).is_empty());
    }
}
