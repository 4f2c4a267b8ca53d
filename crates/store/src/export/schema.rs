//! The stable export schema: the exportable tables, each one's columns in order with their
//! types and meaning (the published contract), and the one SQL statement that reads each.

/// A table that can be exported.
// Whole, in one file. The API documents its path parameter with this type: the `///` docs are
// the OpenAPI description, the snake_case names (`name()`) the values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(rename_all = "snake_case")
)]
pub enum ExportTable {
    /// Every artist with its audience.
    Artists,
    /// Every user with their activity.
    Users,
    /// Every tag with its usage.
    Tags,
    /// Every listen: a user's play count for an artist.
    Listens,
    /// Every tag assignment, with the artist's name and the tag's text joined in.
    TagAssignments,
    /// Every friendship, in both directions.
    Friendships,
}

/// The type of an export column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// A 64-bit signed integer.
    Int64,
    /// UTF-8 text.
    Utf8,
    /// An instant as milliseconds since the Unix epoch (negative before 1970), in UTC.
    TimestampMsUtc,
}

/// One column of an export: its name, type and meaning. This is the published contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportColumn {
    /// The column's name.
    pub name: &'static str,
    /// Its type.
    pub kind: ColumnKind,
    /// Whether it may hold NULL.
    pub nullable: bool,
    /// What it holds, in one line (for the API's documentation).
    pub description: &'static str,
}

const fn col(name: &'static str, kind: ColumnKind, description: &'static str) -> ExportColumn {
    ExportColumn {
        name,
        kind,
        nullable: false,
        description,
    }
}

const fn nullable(name: &'static str, description: &'static str) -> ExportColumn {
    ExportColumn {
        name,
        kind: ColumnKind::Utf8,
        nullable: true,
        description,
    }
}

use ColumnKind::{Int64, TimestampMsUtc, Utf8};

const ARTISTS: &[ExportColumn] = &[
    col("artist_id", Int64, "Artist id."),
    col("name", Utf8, "Artist name, exactly as in the source data."),
    nullable("url", "The artist's Last.fm page, when known."),
    nullable("picture_url", "Picture of the artist, when known."),
    col(
        "listeners",
        Int64,
        "Number of users who listen to the artist.",
    ),
    col(
        "plays",
        Int64,
        "Total play count of the artist over all its listeners.",
    ),
];

const USERS: &[ExportColumn] = &[
    col("user_id", Int64, "User id."),
    col("artists", Int64, "Number of artists the user listens to."),
    col(
        "plays",
        Int64,
        "Total play count of the user over all their artists.",
    ),
    col("friends", Int64, "Number of friends of the user."),
    col(
        "tags_applied",
        Int64,
        "Number of tag assignments the user made (one per tag applied to an artist).",
    ),
];

const TAGS: &[ExportColumn] = &[
    col("tag_id", Int64, "Tag id."),
    col("tag", Utf8, "Tag text, exactly as stored."),
    col(
        "usage",
        Int64,
        "Number of times the tag was applied (tag assignments).",
    ),
    col(
        "artists",
        Int64,
        "Number of distinct artists the tag was applied to.",
    ),
];

const LISTENS: &[ExportColumn] = &[
    col("user_id", Int64, "User id."),
    col("artist_id", Int64, "Artist id."),
    col(
        "plays",
        Int64,
        "The user's play count for the artist (`weight` in the API's listen resource).",
    ),
];

const TAG_ASSIGNMENTS: &[ExportColumn] = &[
    col("user_id", Int64, "Who applied the tag."),
    col("artist_id", Int64, "The artist tagged."),
    col("artist_name", Utf8, "The artist's name."),
    col("tag_id", Int64, "The tag applied."),
    col("tag", Utf8, "The tag's text."),
    col(
        "tagged_at",
        TimestampMsUtc,
        "When (UTC, millisecond precision; 00:00 of the day when only the date is known).",
    ),
];

const FRIENDSHIPS: &[ExportColumn] = &[
    col("user_id", Int64, "A user."),
    col(
        "friend_id",
        Int64,
        "One of their friends (each friendship appears in both directions).",
    ),
];

impl ExportTable {
    /// Every exportable table, in the order the documentation lists them.
    pub const ALL: [ExportTable; 6] = [
        ExportTable::Artists,
        ExportTable::Users,
        ExportTable::Tags,
        ExportTable::Listens,
        ExportTable::TagAssignments,
        ExportTable::Friendships,
    ];

    /// The table's name in URLs, file names and the command line (`tag_assignments`).
    pub fn name(self) -> &'static str {
        match self {
            ExportTable::Artists => "artists",
            ExportTable::Users => "users",
            ExportTable::Tags => "tags",
            ExportTable::Listens => "listens",
            ExportTable::TagAssignments => "tag_assignments",
            ExportTable::Friendships => "friendships",
        }
    }

    /// The table named `name`, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }

    /// What a row of the table is, in one line.
    pub fn description(self) -> &'static str {
        match self {
            ExportTable::Artists => "one row per artist, with its audience; by artist_id",
            ExportTable::Users => "one row per user, with their activity; by user_id",
            ExportTable::Tags => "one row per tag, with its usage; by tag_id",
            ExportTable::Listens => {
                "one row per (user, artist) with the user's play count; by user_id, artist_id"
            }
            ExportTable::TagAssignments => {
                "one row per tag a user applied to an artist, names joined in; by user_id, artist_id, tag_id"
            }
            ExportTable::Friendships => {
                "one row per friendship and direction; by user_id, friend_id"
            }
        }
    }

    /// The table's columns, in order: the stable export schema.
    pub fn columns(self) -> &'static [ExportColumn] {
        match self {
            ExportTable::Artists => ARTISTS,
            ExportTable::Users => USERS,
            ExportTable::Tags => TAGS,
            ExportTable::Listens => LISTENS,
            ExportTable::TagAssignments => TAG_ASSIGNMENTS,
            ExportTable::Friendships => FRIENDSHIPS,
        }
    }

    /// The one statement that reads the table, columns as in [`Self::columns`], in key order,
    /// in SQL both engines run. Aggregates are correlated subqueries: each walks an index
    /// range of its row, so rows stream out as they are found, where a `GROUP BY` join would
    /// first aggregate the whole child table.
    pub(super) fn sql(self) -> &'static str {
        match self {
            ExportTable::Artists => {
                r#"SELECT a.id, a.name, a.url, a."pictureURL",
                          (SELECT COUNT(*) FROM user_artists l WHERE l."artistID" = a.id),
                          (SELECT CAST(COALESCE(SUM(l.weight), 0) AS BIGINT)
                           FROM user_artists l WHERE l."artistID" = a.id)
                   FROM artists a ORDER BY a.id"#
            }
            ExportTable::Users => {
                r#"SELECT u."userID",
                          (SELECT COUNT(*) FROM user_artists x WHERE x."userID" = u."userID"),
                          (SELECT CAST(COALESCE(SUM(x.weight), 0) AS BIGINT)
                           FROM user_artists x WHERE x."userID" = u."userID"),
                          (SELECT COUNT(*) FROM user_friends x WHERE x."userID" = u."userID"),
                          (SELECT COUNT(*) FROM user_taggedartists x WHERE x."userID" = u."userID")
                   FROM users u ORDER BY u."userID""#
            }
            ExportTable::Tags => {
                r#"SELECT t."tagID", t."tagValue",
                          (SELECT COUNT(*) FROM user_taggedartists x WHERE x."tagID" = t."tagID"),
                          (SELECT COUNT(DISTINCT x."artistID") FROM user_taggedartists x
                           WHERE x."tagID" = t."tagID")
                   FROM tags t ORDER BY t."tagID""#
            }
            ExportTable::Listens => {
                r#"SELECT "userID", "artistID", weight FROM user_artists
                   ORDER BY "userID", "artistID""#
            }
            // Inner joins lose nothing: foreign keys guarantee the artist and the tag.
            ExportTable::TagAssignments => {
                r#"SELECT ta."userID", ta."artistID", a.name, ta."tagID", t."tagValue",
                          ta."timestamp"
                   FROM user_taggedartists ta
                   JOIN artists a ON a.id = ta."artistID"
                   JOIN tags t ON t."tagID" = ta."tagID"
                   ORDER BY ta."userID", ta."artistID", ta."tagID""#
            }
            ExportTable::Friendships => {
                r#"SELECT "userID", "friendID" FROM user_friends ORDER BY "userID", "friendID""#
            }
        }
    }
}

impl std::fmt::Display for ExportTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
