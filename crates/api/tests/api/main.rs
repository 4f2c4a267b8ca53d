//! The API's integration tests, one module per area, in one test binary: the real dataset is
//! imported once per engine for all of them (see `common`), not once per area.
//!
//! Run one area with a module filter, e.g. `cargo test -p soundstream-api --test api tags::`.

mod common;

mod analytics;
mod artists;
mod auth;
mod bad_input;
mod contract;
mod exports;
mod hostile;
mod http;
mod names;
mod recommendations;
mod search;
mod tags;
mod users;
