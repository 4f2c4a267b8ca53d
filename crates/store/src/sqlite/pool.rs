//! The SQLite connection pool: deadpool with a manager of our own, which opens and sets up
//! each connection once and hands it out again without a round trip.
//!
//! deadpool-sqlite's manager checks every connection it hands out with a `SELECT` run on a
//! blocking thread: a second hop to the blocking pool on every query, about a sixth of the
//! CPU of a 500-row page at 32 connections. A SQLite connection is a handle on a local file,
//! not a socket that can go stale; the one reason to drop it is a poisoned mutex (a panic
//! inside a query), and that is checked without leaving the async task.

use std::path::PathBuf;

use deadpool::Runtime;
use deadpool::managed::{self, Metrics, RecycleError, RecycleResult};
use deadpool_sync::SyncWrapper;
use rusqlite::Connection;

/// The pool of the SQLite engine.
pub(crate) type Pool = managed::Pool<Manager>;

/// Opens connections to one database file, each set up by `configure`.
pub(crate) struct Manager {
    path: PathBuf,
    configure: fn(&mut Connection) -> rusqlite::Result<()>,
}

impl Manager {
    /// A manager of connections to `path`, each passed through `configure` when opened.
    pub(crate) fn new(
        path: PathBuf,
        configure: fn(&mut Connection) -> rusqlite::Result<()>,
    ) -> Self {
        Self { path, configure }
    }
}

impl managed::Manager for Manager {
    type Type = SyncWrapper<Connection>;
    type Error = rusqlite::Error;

    async fn create(&self) -> Result<Self::Type, Self::Error> {
        let path = self.path.clone();
        let configure = self.configure;
        SyncWrapper::new(Runtime::Tokio1, move || {
            let mut conn = Connection::open(path)?;
            configure(&mut conn)?;
            Ok(conn)
        })
        .await
    }

    async fn recycle(&self, conn: &mut Self::Type, _: &Metrics) -> RecycleResult<Self::Error> {
        if conn.is_mutex_poisoned() {
            return Err(RecycleError::message(
                "a query panicked while holding the connection",
            ));
        }
        Ok(())
    }
}
