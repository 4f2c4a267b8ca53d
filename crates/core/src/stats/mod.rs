//! Pure statistics over slices of numbers, with no IO: what the analytics read models are
//! computed from. Every function is deterministic and documents its definition.
//!
//! One file a concern: [`summary`] (mean, quantiles), [`concentration`] (Gini, Lorenz,
//! entropy), [`correlation`] (Pearson, Spearman and their t test), [`student_t`] (the t
//! distribution and the special functions behind it) and [`histogram`] (log10 bins). Their
//! functions are re-exported here, so callers write `stats::gini`.

pub mod concentration;
pub mod correlation;
pub mod histogram;
pub mod student_t;
pub mod summary;

pub use concentration::{LorenzStep, entropy_bits, gini, lorenz};
pub use correlation::{correlation_p_value, correlation_t, pearson, ranks, spearman};
pub use histogram::{log_bin, log_edge, log_histogram};
pub use student_t::{ln_gamma, regularized_beta, student_t_two_sided};
pub use summary::{mean, quantile};

/// Whether two floats agree within an absolute tolerance (the tests' comparison).
#[cfg(test)]
fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance
}
