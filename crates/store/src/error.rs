//! The one error type of the store, with each database constraint violation named by the
//! constraint that failed ([`UniqueKey`], [`ForeignKey`], [`Check`]), so that the layers above
//! map it to a precise answer (a conflict on this key, a missing user) without asking again.
//!
//! Both engines map to the same variants here and only here: PostgreSQL names the constraint
//! (the default names of the V1 schema, which the bulk load keeps when it drops and re-adds
//! the foreign keys), SQLite quotes the columns of a unique key and the expression of a CHECK.
//! SQLite does not say which foreign key failed, which is one reason the writes check the rows
//! they refer to first, in their own transaction (see [`StoreError::NotFound`]).

use std::fmt;

/// A key that keeps rows unique: a PRIMARY KEY or UNIQUE constraint of the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UniqueKey {
    /// `users ("userID")`: the user id is taken.
    User,
    /// `artists (id)`: the artist id is taken.
    Artist,
    /// `tags ("tagID")`: the tag id is taken.
    Tag,
    /// `tags ("tagValue")`: another tag has this exact text.
    TagValue,
    /// `user_artists ("userID", "artistID")`: one listen per user and artist.
    Listen,
    /// `user_taggedartists ("userID", "artistID", "tagID")`: a user applies a tag to an
    /// artist once.
    TagAssignment,
    /// `user_friends ("userID", "friendID")`: one row per direction of a friendship.
    Friendship,
}

/// A column that must name an existing row: a FOREIGN KEY constraint of the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForeignKey {
    /// `user_artists ("userID")`: the listen's user.
    ListenUser,
    /// `user_artists ("artistID")`: the artist listened to.
    ListenArtist,
    /// `user_taggedartists ("userID")`: the user applying the tag.
    TagAssignmentUser,
    /// `user_taggedartists ("artistID")`: the artist tagged.
    TagAssignmentArtist,
    /// `user_taggedartists ("tagID")`: the tag applied.
    TagAssignmentTag,
    /// `user_friends ("userID")`: one of the two friends.
    FriendshipUser,
    /// `user_friends ("friendID")`: the other friend.
    FriendshipFriend,
}

impl ForeignKey {
    /// The field that holds the reference, as the domain types and the API name it
    /// (`user_id`, `artist_id`, `tag_id`, `friend_id`).
    pub fn field(self) -> &'static str {
        match self {
            Self::ListenUser | Self::TagAssignmentUser | Self::FriendshipUser => "user_id",
            Self::ListenArtist | Self::TagAssignmentArtist => "artist_id",
            Self::TagAssignmentTag => "tag_id",
            Self::FriendshipFriend => "friend_id",
        }
    }

    /// What the reference names, as messages say it: `user`, `artist` or `tag`.
    pub fn target(self) -> &'static str {
        match self {
            Self::ListenUser
            | Self::TagAssignmentUser
            | Self::FriendshipUser
            | Self::FriendshipFriend => "user",
            Self::ListenArtist | Self::TagAssignmentArtist => "artist",
            Self::TagAssignmentTag => "tag",
        }
    }
}

/// A CHECK constraint of the schema: a value out of its range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// `user_artists (weight >= 0)`.
    ListenWeight,
    /// `user_taggedartists (day BETWEEN 1 AND 31)`.
    TagAssignmentDay,
    /// `user_taggedartists (month BETWEEN 1 AND 12)`.
    TagAssignmentMonth,
    /// `user_friends ("userID" <> "friendID")`: nobody is their own friend.
    NotOwnFriend,
}

impl Check {
    /// The field whose value the check rejects, as the domain types and the API name it.
    pub fn field(self) -> &'static str {
        match self {
            Self::ListenWeight => "weight",
            Self::TagAssignmentDay => "day",
            Self::TagAssignmentMonth => "month",
            Self::NotOwnFriend => "friend_id",
        }
    }
}

/// A row named by its key, as the write adding it names it: the row a unique key found there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKey {
    /// A user.
    User(i64),
    /// An artist.
    Artist(i64),
    /// A tag assignment: a user applied a tag to an artist.
    TagAssignment {
        /// The user who applied the tag.
        user_id: i64,
        /// The artist tagged.
        artist_id: i64,
        /// The tag applied.
        tag_id: i64,
    },
}

impl RowKey {
    /// The unique key that holds this row's key.
    pub fn unique_key(self) -> UniqueKey {
        match self {
            Self::User(_) => UniqueKey::User,
            Self::Artist(_) => UniqueKey::Artist,
            Self::TagAssignment { .. } => UniqueKey::TagAssignment,
        }
    }
}

/// A reference of a write to a row that does not exist: `user 5` in the `user_id` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Missing {
    /// The foreign key the write would break: which field, naming which kind of row.
    pub key: ForeignKey,
    /// The id it names.
    pub id: i64,
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.key.target(), self.id)
    }
}

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL cannot be used.
    #[error("bad database URL '{url}': {reason}")]
    BadUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it and how to fix it.
        reason: String,
    },
    /// The database server could not be reached or refused the connection.
    #[error(
        "cannot connect to {url}: {reason}; check that the server runs and the URL's host, port, user, password and database"
    )]
    Unreachable {
        /// The URL, password hidden.
        url: String,
        /// The driver's reason, with its causes (refused, timed out, authentication failed).
        reason: String,
    },
    /// A write named rows that do not exist, e.g. `user 5` in `user_id`. The writes look
    /// their references up inside their own transaction, before writing: the answer is exact
    /// (writes are serialised) and names every missing row, where a foreign key violation
    /// names at most one (PostgreSQL) or none (SQLite).
    #[error("{} do(es) not exist", joined(missing))]
    NotFound {
        /// Each missing row with the foreign key it would break, in the order the write
        /// names them.
        missing: Vec<Missing>,
    },
    /// A UNIQUE or PRIMARY KEY constraint rejected the write.
    #[error("already exists ({detail})")]
    UniqueViolation {
        /// The key, when it is one of the schema's (`None` for a table of a later feature).
        key: Option<UniqueKey>,
        /// The row the write was adding, when the write says so (the engines' reports do not
        /// all hold the values): see `StoreError::on_row`.
        row: Option<RowKey>,
        /// The engine's description of the constraint.
        detail: String,
    },
    /// A FOREIGN KEY constraint rejected the write: it references a row that does not exist.
    #[error("refers to a row that does not exist ({detail})")]
    ForeignKeyViolation {
        /// The key, when the engine names it (PostgreSQL does, SQLite never) and it is one of
        /// the schema's.
        key: Option<ForeignKey>,
        /// The engine's description of the constraint.
        detail: String,
    },
    /// A CHECK or NOT NULL constraint rejected the write.
    #[error("violates a constraint ({detail})")]
    CheckViolation {
        /// The check, when it is one of the schema's named ones (`None` for NOT NULL).
        check: Option<Check>,
        /// The engine's description of the constraint.
        detail: String,
    },
    /// A query expected to return a row returned none.
    #[error("the query returned no row")]
    NoRow,
    /// A column did not hold the type the code expected.
    #[error("column {column}: expected {expected}, found {found}")]
    Decode {
        /// Zero-based column index.
        column: usize,
        /// The type the code asked for.
        expected: &'static str,
        /// What the row held.
        found: String,
    },
    /// Applying the schema migrations failed.
    #[error("schema migration failed: {0}")]
    Migration(String),
    /// No connection could be had from the pool.
    #[error("database connection unavailable: {0}")]
    Pool(String),
    /// The task reading an export stopped before the end of the table without an error
    /// (it panicked); the rows sent so far are not the whole table.
    #[error("the export's reader stopped before the end of the table")]
    ExportInterrupted,
    /// Any other SQLite error.
    #[error("sqlite: {0}")]
    Sqlite(rusqlite::Error),
    /// Any other PostgreSQL error.
    #[error("postgres: {0}")]
    Postgres(tokio_postgres::Error),
}

impl StoreError {
    /// This error, saying which row was already there when it is a violation of `row`'s
    /// key: the write that was adding `row` knows its values, which SQLite's report lacks.
    pub(crate) fn on_row(self, row: Option<RowKey>) -> Self {
        match (self, row) {
            (
                Self::UniqueViolation {
                    key: Some(key),
                    detail,
                    ..
                },
                Some(row),
            ) if key == row.unique_key() => Self::UniqueViolation {
                key: Some(key),
                row: Some(row),
                detail,
            },
            (other, _) => other,
        }
    }
}

/// `user 5 and artist 7`.
fn joined(missing: &[Missing]) -> String {
    let names: Vec<String> = missing.iter().map(Missing::to_string).collect();
    names.join(" and ")
}

/// How each engine reports a constraint: PostgreSQL by its name, SQLite by what its message
/// quotes after "constraint failed: " (a unique key's columns, a CHECK's expression; nothing
/// for a foreign key, hence the empty texts below). The storage tests hold both engines to
/// every row of these tables.
struct Reported {
    postgres: &'static str,
    sqlite: &'static str,
}

const fn reported(postgres: &'static str, sqlite: &'static str) -> Reported {
    Reported { postgres, sqlite }
}

/// The unique keys of the schema as the engines report them.
const UNIQUE_KEYS: [(UniqueKey, Reported); 7] = [
    (UniqueKey::User, reported("users_pkey", "users.userID")),
    (UniqueKey::Artist, reported("artists_pkey", "artists.id")),
    (UniqueKey::Tag, reported("tags_pkey", "tags.tagID")),
    (
        UniqueKey::TagValue,
        reported("tags_tagValue_key", "tags.tagValue"),
    ),
    (
        UniqueKey::Listen,
        reported(
            "user_artists_pkey",
            "user_artists.userID, user_artists.artistID",
        ),
    ),
    (
        UniqueKey::TagAssignment,
        reported(
            "user_taggedartists_pkey",
            "user_taggedartists.userID, user_taggedartists.artistID, user_taggedartists.tagID",
        ),
    ),
    (
        UniqueKey::Friendship,
        reported(
            "user_friends_pkey",
            "user_friends.userID, user_friends.friendID",
        ),
    ),
];

/// The foreign keys of the schema as PostgreSQL names them (SQLite does not say which).
const FOREIGN_KEYS: [(ForeignKey, Reported); 7] = [
    (
        ForeignKey::ListenUser,
        reported("user_artists_userID_fkey", ""),
    ),
    (
        ForeignKey::ListenArtist,
        reported("user_artists_artistID_fkey", ""),
    ),
    (
        ForeignKey::TagAssignmentUser,
        reported("user_taggedartists_userID_fkey", ""),
    ),
    (
        ForeignKey::TagAssignmentArtist,
        reported("user_taggedartists_artistID_fkey", ""),
    ),
    (
        ForeignKey::TagAssignmentTag,
        reported("user_taggedartists_tagID_fkey", ""),
    ),
    (
        ForeignKey::FriendshipUser,
        reported("user_friends_userID_fkey", ""),
    ),
    (
        ForeignKey::FriendshipFriend,
        reported("user_friends_friendID_fkey", ""),
    ),
];

/// The CHECK constraints of the schema as the engines report them.
const CHECKS: [(Check, Reported); 4] = [
    (
        Check::ListenWeight,
        reported("user_artists_weight_check", "weight >= 0"),
    ),
    (
        Check::TagAssignmentDay,
        reported("user_taggedartists_day_check", "day BETWEEN 1 AND 31"),
    ),
    (
        Check::TagAssignmentMonth,
        reported("user_taggedartists_month_check", "month BETWEEN 1 AND 12"),
    ),
    // The bundled SQLite quotes this one, written as a table constraint, by its first
    // column only; user_friends has no other CHECK for it to be mistaken for.
    (
        Check::NotOwnFriend,
        reported("user_friends_check", "userID"),
    ),
];

/// The constraint of `table` that PostgreSQL calls `name`.
fn by_postgres_name<K: Copy>(table: &[(K, Reported)], name: Option<&str>) -> Option<K> {
    let name = name?;
    table
        .iter()
        .find(|(_, r)| r.postgres == name)
        .map(|(k, _)| *k)
}

/// The constraint of `table` whose SQLite message is `message`.
fn by_sqlite_message<K: Copy>(table: &[(K, Reported)], message: Option<&str>) -> Option<K> {
    let (_, quoted) = message?.split_once("constraint failed: ")?;
    table
        .iter()
        .find(|(_, r)| !r.sqlite.is_empty() && r.sqlite == quoted)
        .map(|(k, _)| *k)
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        use rusqlite::ffi;
        if let rusqlite::Error::SqliteFailure(code, msg) = &err {
            let message = msg.as_deref();
            let detail = msg.clone().unwrap_or_else(|| err.to_string());
            match code.extended_code {
                ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                    let key = by_sqlite_message(&UNIQUE_KEYS, message);
                    return StoreError::UniqueViolation {
                        key,
                        row: None,
                        detail,
                    };
                }
                ffi::SQLITE_CONSTRAINT_FOREIGNKEY => {
                    // SQLite's message is "FOREIGN KEY constraint failed", whichever key.
                    return StoreError::ForeignKeyViolation { key: None, detail };
                }
                ffi::SQLITE_CONSTRAINT_CHECK | ffi::SQLITE_CONSTRAINT_NOTNULL => {
                    let check = by_sqlite_message(&CHECKS, message);
                    return StoreError::CheckViolation { check, detail };
                }
                _ => {}
            }
        }
        StoreError::Sqlite(err)
    }
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(err: tokio_postgres::Error) -> Self {
        use tokio_postgres::error::SqlState;
        if let Some(db) = err.as_db_error() {
            let name = db.constraint();
            let detail = match name {
                Some(constraint) => format!("{}: {constraint}", db.message()),
                None => db.message().to_owned(),
            };
            let code = db.code();
            if *code == SqlState::UNIQUE_VIOLATION {
                let key = by_postgres_name(&UNIQUE_KEYS, name);
                return StoreError::UniqueViolation {
                    key,
                    row: None,
                    detail,
                };
            }
            if *code == SqlState::FOREIGN_KEY_VIOLATION {
                let key = by_postgres_name(&FOREIGN_KEYS, name);
                return StoreError::ForeignKeyViolation { key, detail };
            }
            if *code == SqlState::CHECK_VIOLATION || *code == SqlState::NOT_NULL_VIOLATION {
                let check = by_postgres_name(&CHECKS, name);
                return StoreError::CheckViolation { check, detail };
            }
        }
        StoreError::Postgres(err)
    }
}
