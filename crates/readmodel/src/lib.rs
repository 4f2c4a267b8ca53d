//! SoundStream's read model: every artist, user and tag in memory with the counts, rankings
//! and indexes that lists, search, rankings and analytics are answered from, in microseconds
//! to milliseconds at 100 times the Last.fm dataset.
//!
//! It has one way in per origin of data: [`Builder`] fills it from a scan of the database
//! (at start-up, after an import, or to recover), and [`ReadModel::apply`] applies the
//! [`Change`]s of one committed write, in time proportional to what the write changed. The
//! two must agree: a model that applied a sequence of writes equals one built from their
//! result (the crate's tests check it on random writes). [`live::Live`] keeps one current
//! for a server: this process's writes at once, other processes' (replicas on one
//! PostgreSQL) from the database's change log within a second.
//!
//! Queries answer in the API's view types (`soundstream_core::views`); the HTTP layer only
//! parses requests and wraps these answers.

mod apply;
mod build;
pub mod cursor;
pub mod live;
pub mod load;
mod model;
pub mod names;
mod page;
pub mod queries;
pub mod ranking;

pub use apply::Diverged;
pub use build::Builder;
pub use page::{Slice, Start};
pub use queries::analytics::{Scope as CloudScope, TagMonths};
pub use queries::search::{SearchQuery, SearchSort};
pub use queries::{ArtistSort, TagSort, UserSort};
pub use ranking::Direction;

use soundstream_core::change::Change;

use crate::model::State;

/// The in-memory read model at one position of the change log.
#[derive(Debug, Clone, Default)]
pub struct ReadModel {
    state: State,
    /// The dataset's epoch it was built from (an import starts a new one).
    epoch: i64,
    /// The last write of the change log it holds.
    seq: u64,
}

impl ReadModel {
    /// The dataset epoch this model belongs to.
    pub fn epoch(&self) -> i64 {
        self.epoch
    }

    /// The last write (change log number) this model holds.
    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// Applies the changes of write number `seq`, which must be the one after [`Self::seq`].
    /// On [`Diverged`] the model is left part-way and must be rebuilt.
    pub fn apply(&mut self, seq: u64, changes: &[Change]) -> Result<(), Diverged> {
        for change in changes {
            self.state.apply(change)?;
        }
        self.seq = seq;
        Ok(())
    }

    /// Counts of what the model holds: artists, users, tags, listens, tag assignments and
    /// friendship rows.
    pub fn counts(&self) -> soundstream_core::TableCounts {
        let s = &self.state;
        soundstream_core::TableCounts {
            artists: s.artists.len() as i64,
            users: s.users.len() as i64,
            tags: s.tags.len() as i64,
            user_artists: s.totals.listens as i64,
            user_taggedartists: s.totals.assignments as i64,
            user_friends: s.totals.friendship_rows as i64,
        }
    }
}
