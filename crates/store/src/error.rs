//! The one error type of the store, with database constraint violations told apart so the
//! layers above can map them to precise answers (a conflict, a missing reference).

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
    /// A write named rows that do not exist, e.g. `user 5` (found inside the write's own
    /// transaction, so the answer is exact).
    #[error("{} do(es) not exist", missing.join(" and "))]
    NotFound {
        /// What is missing, as "user 5" or "artist 7", in the order the write names them.
        missing: Vec<String>,
    },
    /// A UNIQUE or PRIMARY KEY constraint rejected the write.
    #[error("already exists ({detail})")]
    UniqueViolation {
        /// The engine's description of the constraint.
        detail: String,
    },
    /// A FOREIGN KEY constraint rejected the write: it references a row that does not exist.
    #[error("refers to a row that does not exist ({detail})")]
    ForeignKeyViolation {
        /// The engine's description of the constraint.
        detail: String,
    },
    /// A CHECK or NOT NULL constraint rejected the write.
    #[error("violates a constraint ({detail})")]
    CheckViolation {
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

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        use rusqlite::ffi;
        if let rusqlite::Error::SqliteFailure(code, msg) = &err {
            let detail = msg.clone().unwrap_or_else(|| err.to_string());
            match code.extended_code {
                ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                    return StoreError::UniqueViolation { detail };
                }
                ffi::SQLITE_CONSTRAINT_FOREIGNKEY => {
                    return StoreError::ForeignKeyViolation { detail };
                }
                ffi::SQLITE_CONSTRAINT_CHECK | ffi::SQLITE_CONSTRAINT_NOTNULL => {
                    return StoreError::CheckViolation { detail };
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
            let detail = match db.constraint() {
                Some(constraint) => format!("{}: {constraint}", db.message()),
                None => db.message().to_owned(),
            };
            let code = db.code();
            if *code == SqlState::UNIQUE_VIOLATION {
                return StoreError::UniqueViolation { detail };
            }
            if *code == SqlState::FOREIGN_KEY_VIOLATION {
                return StoreError::ForeignKeyViolation { detail };
            }
            if *code == SqlState::CHECK_VIOLATION || *code == SqlState::NOT_NULL_VIOLATION {
                return StoreError::CheckViolation { detail };
            }
        }
        StoreError::Postgres(err)
    }
}
