//! Artists as the API shows them: with their audience (listeners, plays) and their tags.

use serde::{Deserialize, Serialize};

summary_and_detail! {
    /// An artist with its audience.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub struct ArtistSummary {
        /// Artist id.
        pub id: i64,
        /// Artist name, exactly as in the source data.
        pub name: String,
        /// Last.fm page of the artist, when known.
        pub url: Option<String>,
        /// Picture of the artist, when known.
        pub picture_url: Option<String>,
        /// Number of users who listen to the artist.
        pub listeners: i64,
        /// Total play count of the artist over all users.
        pub plays: i64,
    }

    /// An artist with its audience and its most applied tags.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub struct ArtistDetail {
        ..
        /// The tags applied most often to the artist (at most 10), most applied first.
        pub top_tags: Vec<TagCount>,
    }
}

impl ArtistSummary {
    /// This artist with its most applied tags.
    pub fn with_tags(self, top_tags: Vec<TagCount>) -> ArtistDetail {
        ArtistDetail {
            id: self.id,
            name: self.name,
            url: self.url,
            picture_url: self.picture_url,
            listeners: self.listeners,
            plays: self.plays,
            top_tags,
        }
    }
}

/// A tag with how many times it was applied in some scope (an artist, a user...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TagCount {
    /// Tag id.
    pub tag_id: i64,
    /// Tag text.
    pub value: String,
    /// Number of times the tag was applied in this scope.
    pub count: i64,
}

/// A user who listens to an artist, with how much.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Listener {
    /// The listener's user id.
    pub user_id: i64,
    /// The listener's play count for the artist.
    pub weight: i64,
}

/// An artist related to another one, with the strength of the relation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SimilarArtist {
    /// Artist id.
    pub id: i64,
    /// Artist name.
    pub name: String,
    /// Picture of the artist, when known.
    pub picture_url: Option<String>,
    /// Similarity under the served recommender's item-to-item model, higher is more similar
    /// (for an artist newer than the model: the cosine of the two listener sets, in [0, 1]).
    pub score: f64,
    /// Number of users who listen to both artists.
    pub shared_listeners: i64,
}

/// The fields of a new artist, or of a full replacement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtistFields {
    /// Artist name.
    pub name: String,
    /// Last.fm page of the artist.
    pub url: Option<String>,
    /// Picture of the artist.
    pub picture_url: Option<String>,
}

/// An artist found by a search, with how strongly it carries the requested tags.
// The summary's fields again (a deliberate copy, not `summary_and_detail!`): the search
// documents `name` and `plays` in its own words in the published OpenAPI document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArtistHit {
    /// Artist id.
    pub id: i64,
    /// Artist name.
    pub name: String,
    /// Last.fm page of the artist, when known.
    pub url: Option<String>,
    /// Picture of the artist, when known.
    pub picture_url: Option<String>,
    /// Number of users who listen to the artist.
    pub listeners: i64,
    /// Total play count of the artist.
    pub plays: i64,
    /// How many times the requested tags were applied to this artist, all users together
    /// (0 when the search names no tag). The `relevance` sort uses it.
    pub tag_score: i64,
}
