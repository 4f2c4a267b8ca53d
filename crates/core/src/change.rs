//! What one committed write changed, as data: the store returns a [`Change`] from every write
//! and appends it to its change log, and every in-memory read model (this process's and
//! every replica's) applies it, so that a write costs what it changes, not a rebuild.
//!
//! A change carries the *new* state of what it touched (a listen's new play count, an
//! artist's new fields), plus what a cascade removed that a read model cannot know by itself
//! (the tag assignments of a deleted artist, user or tag: read models keep counts of them,
//! not the rows).

use serde::{Deserialize, Serialize};

use crate::{Artist, Friendship, Listen, Tag};

/// The key and date of one tag assignment: what a read model needs to count it in and out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct AssignmentKey {
    /// Who applied the tag.
    pub user_id: i64,
    /// To which artist.
    pub artist_id: i64,
    /// Which tag.
    pub tag_id: i64,
    /// Year of the assignment.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u8,
    /// Day of the month, 1 to 31.
    pub day: u8,
}

/// One committed write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// An artist was created, or its fields replaced or changed: its fields now.
    ArtistPut {
        /// The artist as stored.
        artist: Artist,
    },
    /// An artist was deleted, with its listens (the read model knows them) and these tag
    /// assignments.
    ArtistDeleted {
        /// The deleted artist.
        id: i64,
        /// Its tag assignments, deleted with it.
        assignments: Vec<AssignmentKey>,
    },
    /// A user was created, with no listens, tags or friends.
    UserCreated {
        /// The new user's id.
        id: i64,
    },
    /// A user was deleted, with their listens and friendships (known to the read model) and
    /// these tag assignments.
    UserDeleted {
        /// The deleted user.
        id: i64,
        /// Their tag assignments, deleted with them.
        assignments: Vec<AssignmentKey>,
    },
    /// A tag was created or renamed: its value now.
    TagPut {
        /// The tag as stored.
        tag: Tag,
    },
    /// A tag was deleted with these assignments.
    TagDeleted {
        /// The deleted tag.
        id: i64,
        /// Its assignments, deleted with it.
        assignments: Vec<AssignmentKey>,
    },
    /// A listen was created or its play count replaced: the listen now.
    ListenPut {
        /// The listen as stored.
        listen: Listen,
    },
    /// A listen was deleted.
    ListenDeleted {
        /// Whose.
        user_id: i64,
        /// Of which artist.
        artist_id: i64,
    },
    /// A tag assignment was created.
    TagAssigned {
        /// The new assignment.
        assignment: AssignmentKey,
    },
    /// A tag assignment was deleted.
    TagUnassigned {
        /// The deleted assignment.
        assignment: AssignmentKey,
    },
    /// Friendship rows were stored (each row is one direction; the rows that existed
    /// already are not listed).
    FriendshipsAdded {
        /// The new rows.
        rows: Vec<Friendship>,
    },
    /// Friendship rows were removed.
    FriendshipsRemoved {
        /// The removed rows.
        rows: Vec<Friendship>,
    },
}
