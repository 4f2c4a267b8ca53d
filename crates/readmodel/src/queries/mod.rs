//! The read model's queries, by area. Each answers in the API's view types.

pub mod analytics;
pub mod artists;
pub mod search;
pub mod tags;
pub mod users;

// The API takes these as its `sort` parameters: their `///` docs are the OpenAPI
// descriptions, their lowercase names the values.

/// What to sort artists by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ArtistSort {
    /// Artist id.
    Id,
    /// Name, case-insensitively.
    Name,
    /// Number of listeners.
    Listeners,
    /// Total plays.
    Plays,
}

/// What to sort users by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum UserSort {
    /// User id.
    Id,
    /// Total plays.
    Plays,
    /// Number of artists listened to.
    Artists,
    /// Number of friends (friendship rows from the user).
    Friends,
    /// Number of tag assignments made.
    Tags,
}

/// What to sort tags by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum TagSort {
    /// Tag id.
    Id,
    /// Tag text, case-insensitively.
    Value,
    /// Number of times the tag was applied.
    Usage,
}
