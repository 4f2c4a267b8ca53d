//! The analytics' algorithms: from plain inputs (per-artist plays, tag assignments by month,
//! per-user social points, tag counts) to the read models of [`crate::views::analytics`].
//! Pure functions with no IO and nothing of HTTP; the API reads the inputs off its read
//! model, calls these and serializes what they return.
//!
//! One file an analysis: [`distribution`] (the long tail of listening), [`trends`] (tag use
//! over time), [`social`] (the friendship graph and friends vs diversity) and [`cloud`] (tag
//! clouds). The statistics themselves are in [`crate::stats`].

pub mod cloud;
pub mod distribution;
pub mod social;
pub mod trends;

pub use cloud::{TagCount, tag_cloud};
pub use distribution::{distribution, listening_distribution};
pub use social::social_graph;
pub use trends::{Granularity, MonthCounts, TagSeries, tag_trends};

/// `part / whole`, 0 for a `whole` of 0 (a share of nothing is none of it).
fn share(part: i64, whole: i64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}
