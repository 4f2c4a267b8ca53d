//! Tags as the API shows them: with how much they are used, the artists carrying them, and
//! the tag assignments (who applied which tag to which artist, and when).

use serde::{Deserialize, Serialize};

summary_and_detail! {
    /// A tag with how much it is used.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub struct TagSummary {
        /// Tag id.
        pub id: i64,
        pub value: String = [
            /// Tag text, exactly as stored; no two tags have the same text, compared case-insensitively.
        ] [
            /// Tag text, exactly as stored.
        ],
        /// Number of times the tag was applied (tag assignments), all users and artists together.
        pub usage: i64,
        /// Number of distinct artists the tag was applied to.
        pub artists: i64,
        /// Number of distinct users who applied the tag.
        pub users: i64,
    }

    /// A tag with how much it is used and when it was first and last applied.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub struct TagDetail {
        ..
        /// Timestamp (milliseconds since the Unix epoch, UTC, negative before 1970) of the
        /// earliest assignment of the tag; null when the tag was never applied.
        pub first_used: Option<i64>,
        /// Timestamp (milliseconds since the Unix epoch, UTC) of the latest assignment of the
        /// tag; null when the tag was never applied.
        pub last_used: Option<i64>,
    }
}

/// An artist carrying a tag, with how many times the tag was applied to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TagArtist {
    /// Artist id.
    pub artist_id: i64,
    /// Artist name, exactly as in the source data.
    pub name: String,
    /// Picture of the artist, when known.
    pub picture_url: Option<String>,
    /// Number of users who applied the tag to this artist.
    pub count: i64,
}

/// A tag a user applied to an artist, and when.
// `TagAssignment`'s fields with the API's docs and schema name (a deliberate copy): the domain
// row stays free of OpenAPI; `From` turns one into the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TagAssignmentView {
    /// The user who applied the tag.
    pub user_id: i64,
    /// The artist tagged.
    pub artist_id: i64,
    /// The tag applied.
    pub tag_id: i64,
    /// When: milliseconds since the Unix epoch, UTC (negative before 1970). For the
    /// imported data, 00:00 UTC of the assignment's day.
    pub timestamp: i64,
    /// Day of month of the assignment, 1 to 31.
    pub day: i64,
    /// Month of the assignment, 1 to 12.
    pub month: i64,
    /// Year of the assignment.
    pub year: i64,
}

impl From<crate::TagAssignment> for TagAssignmentView {
    fn from(a: crate::TagAssignment) -> Self {
        Self {
            user_id: a.user_id,
            artist_id: a.artist_id,
            tag_id: a.tag_id,
            timestamp: a.timestamp,
            day: a.day,
            month: a.month,
            year: a.year,
        }
    }
}
