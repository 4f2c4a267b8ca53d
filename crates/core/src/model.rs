//! The rows of the six tables of the seed schema, and the whole dataset as one value.

use serde::{Deserialize, Serialize};

/// A music artist of the Last.fm catalogue (`artists.dat`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Artist {
    /// Last.fm artist id (`artists.id`).
    pub id: i64,
    /// Artist name, exactly as in the source.
    pub name: String,
    /// Last.fm page of the artist; `None` when the source field is empty.
    pub url: Option<String>,
    /// Picture of the artist; `None` when the source field is empty (444 artists in the dataset).
    pub picture_url: Option<String>,
}

/// A free-text tag users apply to artists (`tags.dat`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// Tag id (`tags.tagID`).
    pub id: i64,
    /// Tag text, unique across tags.
    pub value: String,
}

/// How many times a user played an artist (`user_artists.dat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listen {
    /// The listener.
    pub user_id: i64,
    /// The artist listened to.
    pub artist_id: i64,
    /// Play count of the user for this artist.
    pub weight: i64,
}

/// A tag a user applied to an artist, and when (`user_taggedartists*.dat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagAssignment {
    /// The user who tagged.
    pub user_id: i64,
    /// The artist tagged.
    pub artist_id: i64,
    /// The tag applied.
    pub tag_id: i64,
    /// Milliseconds since the Unix epoch (negative before 1970).
    pub timestamp: i64,
    /// Day of month, 1-31.
    pub day: i64,
    /// Month, 1-12.
    pub month: i64,
    /// Calendar year.
    pub year: i64,
}

/// One direction of a friendship between two users (`user_friends.dat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Friendship {
    /// The user whose friend list this row belongs to.
    pub user_id: i64,
    /// The friend.
    pub friend_id: i64,
}

/// The whole dataset, ready to be stored: every row here satisfies the schema's keys and
/// references (the importer rejects, and reports, the rows that would not).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dataset {
    /// Artists, sorted by id.
    pub artists: Vec<Artist>,
    /// User ids, sorted.
    pub users: Vec<i64>,
    /// Tags, sorted by id.
    pub tags: Vec<Tag>,
    /// Listens, sorted by (user, artist).
    pub listens: Vec<Listen>,
    /// Tag assignments, sorted by (user, artist, tag).
    pub tag_assignments: Vec<TagAssignment>,
    /// Friendships, sorted by (user, friend).
    pub friendships: Vec<Friendship>,
}

impl Dataset {
    /// Row counts per table, as the store would hold them after loading this dataset.
    pub fn counts(&self) -> TableCounts {
        TableCounts {
            artists: self.artists.len() as i64,
            users: self.users.len() as i64,
            tags: self.tags.len() as i64,
            user_artists: self.listens.len() as i64,
            user_taggedartists: self.tag_assignments.len() as i64,
            user_friends: self.friendships.len() as i64,
        }
    }
}

/// Row counts of the six tables.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableCounts {
    /// Rows in `artists`.
    pub artists: i64,
    /// Rows in `users`.
    pub users: i64,
    /// Rows in `tags`.
    pub tags: i64,
    /// Rows in `user_artists` (listens).
    pub user_artists: i64,
    /// Rows in `user_taggedartists` (tag assignments).
    pub user_taggedartists: i64,
    /// Rows in `user_friends` (one row per direction).
    pub user_friends: i64,
}

impl TableCounts {
    /// Rows in all six tables together.
    pub fn total(&self) -> u64 {
        [
            self.artists,
            self.users,
            self.tags,
            self.user_artists,
            self.user_taggedartists,
            self.user_friends,
        ]
        .iter()
        .map(|&n| n.max(0) as u64)
        .sum()
    }
}
