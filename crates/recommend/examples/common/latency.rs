//! Timing `recommend` for every user: shared by `examples/latency.rs` and the bench.

use std::time::{Duration, Instant};

use soundstream_recommend::{Recommender, Strategy};

/// How long `recommend` takes for each of `users` (10 artists under `strategy`); each answer
/// must be non-empty.
pub fn recommend_latencies(rec: &Recommender, users: &[i64], strategy: Strategy) -> Vec<Duration> {
    users
        .iter()
        .map(|&u| {
            let start = Instant::now();
            let got = rec.recommend(u, strategy, 10).expect("known user");
            let elapsed = start.elapsed();
            assert!(!got.is_empty());
            elapsed
        })
        .collect()
}
