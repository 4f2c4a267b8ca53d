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

/// Everything a read model holds, in a canonical order: two models that answer every query
/// alike have equal dumps. For tests (deltas against a rebuild).
#[doc(hidden)]
pub fn dump(model: &ReadModel) -> String {
    use std::fmt::Write;
    let s = &model.state;
    let mut out = String::new();
    let artist_id = |slot: u32| s.artists.get(slot).id;
    let user_id = |slot: u32| s.users.get(slot).id;
    let tag_id = |slot: u32| s.tags.get(slot).id;
    let mut artists: Vec<_> = s.artists.iter().map(|(_, a)| a).collect();
    artists.sort_by_key(|a| a.id);
    for a in artists {
        let listeners: Vec<(u32, i64)> =
            a.listeners.iter().map(|&(w, u)| (w, user_id(u))).collect();
        let tags: Vec<(u32, i64)> = a.tags.iter().map(|&(c, t)| (c, tag_id(t))).collect();
        let _ = writeln!(
            out,
            "artist {} {:?} {:?} {:?} {:?} plays={} listeners={listeners:?} tags={tags:?}",
            a.id, a.name, a.folded, a.url, a.picture_url, a.plays
        );
    }
    let mut users: Vec<_> = s.users.iter().map(|(_, u)| u).collect();
    users.sort_by_key(|u| u.id);
    for u in users {
        let mut artists: Vec<(i64, u32)> =
            u.artists.iter().map(|&(a, w)| (artist_id(a), w)).collect();
        artists.sort_unstable();
        let mut tags: Vec<(i64, u32)> = u.tags.iter().map(|&(t, c)| (tag_id(t), c)).collect();
        tags.sort_unstable();
        let mut links: Vec<(i64, u8)> = u.links.iter().map(|&(o, d)| (user_id(o), d)).collect();
        links.sort_unstable();
        let _ = writeln!(
            out,
            "user {} plays={} artists={artists:?} tags={tags:?} assignments={} links={links:?} out={}",
            u.id, u.plays, u.assignments, u.out_degree
        );
    }
    let mut tags: Vec<_> = s.tags.iter().map(|(_, t)| t).collect();
    tags.sort_by_key(|t| t.id);
    for t in tags {
        let artists: Vec<(u32, i64)> = t.artists.iter().map(|&(c, a)| (c, artist_id(a))).collect();
        let _ = writeln!(
            out,
            "tag {} {:?} {:?} usage={} users={} artists={artists:?} months={:?}",
            t.id, t.value, t.folded, t.usage, t.users, t.months
        );
    }
    let mut folded: Vec<_> = s.tag_by_folded.iter().collect();
    folded.sort();
    let _ = writeln!(out, "tag values {folded:?}");
    let _ = writeln!(out, "totals {:?}", s.totals);
    let r = &s.rank;
    for direction in [Direction::Asc, Direction::Desc] {
        let orders: [(&str, Vec<i64>); 13] = [
            ("artist ids", r.artist_ids.skip(direction, 0).collect()),
            ("artist names", r.artist_names.skip(direction, 0).collect()),
            (
                "artist listeners",
                r.artist_listeners.skip(direction, 0).collect(),
            ),
            ("artist plays", r.artist_plays.skip(direction, 0).collect()),
            ("user ids", r.user_ids.skip(direction, 0).collect()),
            ("user plays", r.user_plays.skip(direction, 0).collect()),
            ("user artists", r.user_artists.skip(direction, 0).collect()),
            ("user friends", r.user_friends.skip(direction, 0).collect()),
            ("user links", r.user_links.skip(direction, 0).collect()),
            ("user tags", r.user_tags.skip(direction, 0).collect()),
            ("tag ids", r.tag_ids.skip(direction, 0).collect()),
            ("tag values", r.tag_values.skip(direction, 0).collect()),
            ("tag usage", r.tag_usage.skip(direction, 0).collect()),
        ];
        for (name, order) in orders {
            let _ = writeln!(out, "{name} {direction:?} {order:?}");
        }
    }
    for needle in ["", "a", "the", "rock", "x"] {
        let mut found = s.artist_names.search(needle);
        found.sort_unstable();
        let mut tags = s.tag_values.search(needle);
        tags.sort_unstable();
        let _ = writeln!(out, "search {needle:?} {found:?} {tags:?}");
    }
    out
}
