//! The read model's queries, by area. Each answers in the API's view types.

pub mod analytics;
pub mod artists;
pub mod search;
pub mod tags;
pub mod users;

/// What artists are listed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArtistSort {
    /// Id.
    Id,
    /// Name, case-insensitively.
    Name,
    /// Number of listeners.
    Listeners,
    /// Total plays.
    Plays,
}

/// What users are listed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserSort {
    /// Id.
    Id,
    /// Total plays.
    Plays,
    /// Distinct artists played.
    Artists,
    /// Friendship rows from the user.
    Friends,
    /// Tag assignments made.
    Tags,
}

/// What tags are listed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagSort {
    /// Id.
    Id,
    /// Value, case-insensitively.
    Value,
    /// Times applied.
    Usage,
}
