//! The read model's integration tests in one test binary: `deltas` over the real dataset and
//! `generated` over a generated one three times its size.

mod deltas;
mod generated;
