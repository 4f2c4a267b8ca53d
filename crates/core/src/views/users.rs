//! Users as the API shows them: with their listening and social activity, the artists they
//! play, the users who share their taste, and the listens and friendships that link them.

use serde::{Deserialize, Serialize};

use crate::{Friendship, Listen};

/// A user with their activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserSummary {
    /// User id.
    pub id: i64,
    /// Number of artists the user listens to.
    pub artists: i64,
    /// Total play count of the user over all their artists.
    pub plays: i64,
    /// Number of tag assignments the user made (one per tag applied to an artist).
    pub tags_applied: i64,
    /// Number of friends of the user.
    pub friends: i64,
}

/// An artist a user listens to, with how much.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserArtist {
    /// Artist id.
    pub artist_id: i64,
    /// Artist name, exactly as in the source data.
    pub name: String,
    /// Picture of the artist, when known.
    pub picture_url: Option<String>,
    /// The user's play count for the artist.
    pub weight: i64,
}

/// A user whose taste overlaps another user's, with the strength of the overlap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SimilarUser {
    /// The similar user's id.
    pub user_id: i64,
    /// Number of artists both users listen to.
    pub shared_artists: i64,
    /// Similarity in [0, 1]: cosine of the two users' artist sets, shared / sqrt(|A| * |B|).
    pub score: f64,
}

/// How many times a user played an artist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Listen))]
pub struct ListenView {
    /// The listener's user id.
    pub user_id: i64,
    /// The artist's id.
    pub artist_id: i64,
    /// Play count of the user for the artist.
    pub weight: i64,
}

impl From<Listen> for ListenView {
    fn from(l: Listen) -> Self {
        Self {
            user_id: l.user_id,
            artist_id: l.artist_id,
            weight: l.weight,
        }
    }
}

/// A friendship between two users. It is mutual: the friend also has the user as a friend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Friendship))]
pub struct FriendshipView {
    /// One of the two users.
    pub user_id: i64,
    /// The other user.
    pub friend_id: i64,
}

impl From<Friendship> for FriendshipView {
    fn from(f: Friendship) -> Self {
        Self {
            user_id: f.user_id,
            friend_id: f.friend_id,
        }
    }
}
