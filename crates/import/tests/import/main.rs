//! The importer's integration tests in one test binary: `fixtures` on hand-written files (no
//! dataset, no PostgreSQL: the quick tier runs them with `cargo test -p soundstream-import
//! --test import fixtures::`) and `real_dataset` on the real files.

mod fixtures;
mod real_dataset;
