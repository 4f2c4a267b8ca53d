//! SoundStream's storage layer: one [`Store`] over two engines, SQLite (the embedded
//! default, one file in WAL mode) and PostgreSQL, chosen by the database URL's scheme.
//!
//! Queries are written once in the SQL both engines accept, with `$1` placeholders and
//! parameters bound as [`Value`]s (never spliced into the text). Each engine module owns its
//! connection pool, its migrations and its bulk-load path; everything above them is shared.

mod analytics;
mod artists;
mod catalog;
mod changes;
mod dataset;
mod decode;
mod error;
pub mod export;
mod keys;
mod postgres;
mod sqlite;
mod tags;
#[cfg(feature = "testing")]
pub mod testing;
mod training;
mod tx;
mod users;
mod value;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

pub use analytics::{TagMonthCount, TagUserCount};
pub use artists::ArtistChanges;
pub use catalog::CatalogData;
pub use changes::{Committed, LogHead, LoggedWrite};
pub use dataset::{
    ConsistencyChecks, LOAD_BATCH_ROWS, LoadBatch, LoadOutcome, LoadProgress, LoadReceiver,
    LoadSender, LoadStopped, load_channel,
};
pub use error::{Check, ForeignKey, Missing, RowKey, StoreError, UniqueKey};
pub use keys::{ApiKey, KeyScope};
pub use tags::{TagActivity, TagAssignmentFilter, TagRename};
pub use training::TrainingRows;
pub use tx::Tx;
pub use value::{Row, Value};

/// Which database engine a [`Store`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// Embedded SQLite file.
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

/// One SQL statement with its parameters, for [`Store::transaction`].
#[derive(Debug, Clone)]
pub struct Statement {
    /// SQL text with `$1`-style placeholders.
    pub sql: String,
    /// Parameters, in placeholder order.
    pub params: Vec<Value>,
}

impl Statement {
    /// A statement from its SQL and parameters.
    pub fn new(sql: impl Into<String>, params: Vec<Value>) -> Self {
        Self {
            sql: sql.into(),
            params,
        }
    }
}

/// The state of the connection pool, for metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStatus {
    /// Connections open.
    pub size: usize,
    /// Open connections not in use.
    pub available: usize,
    /// The most connections the pool opens.
    pub max: usize,
}

#[derive(Clone)]
enum Engine {
    Sqlite(sqlite::SqliteEngine),
    Postgres(postgres::PgEngine),
}

/// The database of SoundStream, shared cheaply between tasks (`Clone` is a pointer copy).
#[derive(Clone)]
pub struct Store {
    engine: Arc<Engine>,
    /// Bumped after every write through this store: caches built from the data remember the
    /// generation they saw and rebuild when it moved.
    generation: Arc<AtomicU64>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend())
            .finish()
    }
}

impl Store {
    /// Opens the database at `url` and brings its schema up to date.
    ///
    /// `sqlite://PATH` (relative or absolute, created if missing) or
    /// `postgres://USER:PASSWORD@HOST:PORT/DB` (`postgresql://` too).
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let engine = if let Some(path) = sqlite::path_of_url(url) {
            Engine::Sqlite(sqlite::SqliteEngine::open(path?).await?)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Engine::Postgres(postgres::PgEngine::connect(url).await?)
        } else {
            return Err(StoreError::BadUrl {
                url: url.to_owned(),
                reason: "the scheme must be sqlite:// or postgres://".into(),
            });
        };
        Ok(Self {
            engine: Arc::new(engine),
            generation: Arc::new(AtomicU64::new(1)),
        })
    }

    /// The write generation: it changes after every write made through this store (or its
    /// clones). Writes made by other processes are not seen; caches also expire by age.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Connections of the pool: open, idle and the most allowed.
    pub fn pool_status(&self) -> PoolStatus {
        let (size, available, max) = match &*self.engine {
            Engine::Sqlite(e) => e.pool_status(),
            Engine::Postgres(e) => e.pool_status(),
        };
        PoolStatus {
            size,
            available,
            max,
        }
    }

    fn wrote(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// The engine this store runs on.
    pub fn backend(&self) -> Backend {
        match &*self.engine {
            Engine::Sqlite(_) => Backend::Sqlite,
            Engine::Postgres(_) => Backend::Postgres,
        }
    }

    /// Runs a query and returns every row.
    pub async fn query(&self, sql: &str, params: Vec<Value>) -> Result<Vec<Row>, StoreError> {
        match &*self.engine {
            Engine::Sqlite(e) => e.query(sql, params).await,
            Engine::Postgres(e) => e.query(sql, params).await,
        }
    }

    /// Runs a query and decodes every row straight into a `T` (see [`decode`]).
    pub(crate) async fn query_as<T: decode::FromRow>(
        &self,
        sql: &str,
        params: Vec<Value>,
    ) -> Result<Vec<T>, StoreError> {
        match &*self.engine {
            Engine::Sqlite(e) => e.query_as(sql, params).await,
            Engine::Postgres(e) => e.query_as(sql, params).await,
        }
    }

    /// Runs a query expected to return at most one row.
    pub async fn query_opt(
        &self,
        sql: &str,
        params: Vec<Value>,
    ) -> Result<Option<Row>, StoreError> {
        Ok(self.query(sql, params).await?.into_iter().next())
    }

    /// Runs a query that returns exactly one row (an aggregate, say).
    pub async fn query_one(&self, sql: &str, params: Vec<Value>) -> Result<Row, StoreError> {
        self.query_opt(sql, params).await?.ok_or(StoreError::NoRow)
    }

    /// Runs a writing statement and returns the number of rows it changed.
    pub async fn execute(&self, sql: &str, params: Vec<Value>) -> Result<u64, StoreError> {
        let changed = match &*self.engine {
            Engine::Sqlite(e) => e.execute(sql, params).await,
            Engine::Postgres(e) => e.execute(sql, params).await,
        }?;
        self.wrote();
        Ok(changed)
    }

    /// Runs a writing statement with a `RETURNING` clause and returns its rows.
    pub async fn execute_returning(
        &self,
        sql: &str,
        params: Vec<Value>,
    ) -> Result<Vec<Row>, StoreError> {
        let rows = self.query(sql, params).await?;
        self.wrote();
        Ok(rows)
    }

    /// Runs writing statements in one transaction: all of them take effect or none does.
    /// Returns the rows changed by each.
    pub async fn transaction(&self, statements: Vec<Statement>) -> Result<Vec<u64>, StoreError> {
        let changed = match &*self.engine {
            Engine::Sqlite(e) => e.transaction(statements).await,
            Engine::Postgres(e) => e.transaction(statements).await,
        }?;
        self.wrote();
        Ok(changed)
    }
}
