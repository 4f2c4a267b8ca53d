//! The `soundstream` binary's integration tests, one module per area, in one test binary: each
//! runs the real binary as a user or a deployment does.
//!
//! Run one area with a module filter, e.g. `cargo test -p soundstream --test cli serve::`.

mod common;

mod commands;
mod export;
mod faults;
mod hostile;
mod replicas;
mod serve;
