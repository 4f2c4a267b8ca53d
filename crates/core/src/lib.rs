//! The SoundStream domain: artists, users, tags and the behaviour that links them
//! (listens, tag assignments, friendships), as plain data with no IO.
//!
//! Every other crate speaks in these types: the importer produces a [`Dataset`], the store
//! persists it, the API and the recommender read it back. The computations over them that
//! need no IO live here too: [`stats`], and the [`analytics`] built on it.

pub mod analytics;
pub mod change;
pub mod date;
pub mod memory;
mod model;
pub mod name;
pub mod stats;
pub mod views;

pub use model::{Artist, Dataset, Friendship, Listen, TableCounts, Tag, TagAssignment};
