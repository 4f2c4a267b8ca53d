//! The SQLite engine: a pool of connections to one database file in WAL mode, each set up
//! the same way (foreign keys on, busy timeout, the `ss_fold` function), the SQLite
//! migrations, and (in `load`) the bulk load of a whole dataset, streamed in batches, in one
//! transaction.

mod load;
mod pool;

use std::path::PathBuf;

use rusqlite::functions::FunctionFlags;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, TransactionBehavior, params_from_iter};

use self::pool::{Manager, Pool};
use crate::decode::FromRow;
use crate::value::to_sqlite_placeholders;
use crate::{Row, Statement, StoreError, Value};

// The PostgreSQL migrations say the same in that dialect (a deliberate twin: one set per
// engine); the files cannot carry a comment, as refinery checksums each applied migration.
mod migrations {
    refinery::embed_migrations!("migrations/sqlite");
}

/// Connections kept open. SQLite serialises writers anyway; more readers than cores buys little.
const POOL_SIZE: usize = 8;

/// The file path of a `sqlite://` or `sqlite:` URL; `None` when the URL is not SQLite's.
pub(crate) fn path_of_url(url: &str) -> Option<Result<PathBuf, StoreError>> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let bad = |reason: &str| {
        Some(Err(StoreError::BadUrl {
            url: url.to_owned(),
            reason: reason.to_owned(),
        }))
    };
    if rest.is_empty() {
        return bad("it names no file; use sqlite://soundstream.db or sqlite:///absolute/path.db");
    }
    if rest.contains(":memory:") || rest.contains("mode=memory") {
        return bad(
            "in-memory SQLite is not supported (every pooled connection would see its own empty database); use a file path",
        );
    }
    if rest.contains('?') {
        return bad("SQLite URL options are not supported; give only the file path");
    }
    Some(Ok(PathBuf::from(rest)))
}

/// Applies the per-connection settings every SQLite connection of the store must have.
fn configure(conn: &mut Connection) -> rusqlite::Result<()> {
    // Foreign keys are off by default in SQLite and are a per-connection setting: this is the
    // one place that guarantees them on every connection.
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 5000;",
    )?;
    conn.set_prepared_statement_cache_capacity(256);
    conn.create_scalar_function(
        "ss_fold",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| Ok(ctx.get::<Option<String>>(0)?.map(|s| s.to_lowercase())),
    )
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(v) => ValueRef::Integer(*v),
            Value::Real(v) => ValueRef::Real(*v),
            Value::Text(v) => ValueRef::Text(v.as_bytes()),
        }))
    }
}

pub(crate) fn to_row(row: &rusqlite::Row<'_>, columns: usize) -> Result<Row, StoreError> {
    let mut values = Vec::with_capacity(columns);
    for column in 0..columns {
        values.push(match row.get_ref(column)? {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(v) => Value::Int(v),
            ValueRef::Real(v) => Value::Real(v),
            ValueRef::Text(bytes) => Value::Text(String::from_utf8(bytes.to_vec()).map_err(
                |_| StoreError::Decode {
                    column,
                    expected: "UTF-8 text",
                    found: "invalid UTF-8".into(),
                },
            )?),
            ValueRef::Blob(_) => {
                return Err(StoreError::Decode {
                    column,
                    expected: "integer, real or text",
                    found: "blob".into(),
                });
            }
        });
    }
    Ok(Row(values))
}

#[derive(Clone)]
pub(crate) struct SqliteEngine {
    pool: Pool,
}

impl SqliteEngine {
    pub(crate) async fn open(path: PathBuf) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && !dir.is_dir()
        {
            return Err(StoreError::BadUrl {
                url: format!("sqlite://{}", path.display()),
                reason: format!("folder {} does not exist; create it first", dir.display()),
            });
        }
        let pool = Pool::builder(Manager::new(path, configure))
            .max_size(POOL_SIZE)
            .runtime(deadpool::Runtime::Tokio1)
            .build()
            .map_err(|e| StoreError::Pool(e.to_string()))?;
        let engine = Self { pool };
        engine
            .with_conn(|conn| {
                migrations::migrations::runner()
                    .run(conn)
                    .map(drop)
                    .map_err(|e| StoreError::Migration(e.to_string()))
            })
            .await?;
        Ok(engine)
    }

    /// Runs `f` on a pooled connection, on a blocking thread.
    pub(crate) async fn with_conn<R, F>(&self, f: F) -> Result<R, StoreError>
    where
        F: FnOnce(&mut Connection) -> Result<R, StoreError> + Send + 'static,
        R: Send + 'static,
    {
        let conn = self
            .pool
            .get()
            .await
            .map_err(|e| StoreError::Pool(e.to_string()))?;
        conn.interact(f)
            .await
            .map_err(|e| StoreError::Pool(e.to_string()))?
    }

    // The same methods as the PostgreSQL engine's, over this engine's pool (the engine twin).
    pub(crate) fn pool_status(&self) -> (usize, usize, usize) {
        let status = self.pool.status();
        (status.size, status.available, status.max_size)
    }

    pub(crate) async fn query(
        &self,
        sql: &str,
        params: Vec<Value>,
    ) -> Result<Vec<Row>, StoreError> {
        let sql = to_sqlite_placeholders(sql);
        self.with_conn(move |conn| {
            let mut stmt = conn.prepare_cached(&sql)?;
            let columns = stmt.column_count();
            let mut rows = stmt.query(params_from_iter(params.iter()))?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                out.push(to_row(row, columns)?);
            }
            Ok(out)
        })
        .await
    }

    pub(crate) async fn query_as<T: FromRow>(
        &self,
        sql: &str,
        params: Vec<Value>,
    ) -> Result<Vec<T>, StoreError> {
        let sql = to_sqlite_placeholders(sql);
        self.with_conn(move |conn| {
            let mut stmt = conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(params_from_iter(params.iter()))?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                out.push(T::from_row(row)?);
            }
            Ok(out)
        })
        .await
    }

    pub(crate) async fn execute(&self, sql: &str, params: Vec<Value>) -> Result<u64, StoreError> {
        let sql = to_sqlite_placeholders(sql);
        self.with_conn(move |conn| {
            let changed = conn
                .prepare_cached(&sql)?
                .execute(params_from_iter(params.iter()))?;
            Ok(changed as u64)
        })
        .await
    }

    pub(crate) async fn transaction(
        &self,
        statements: Vec<Statement>,
    ) -> Result<Vec<u64>, StoreError> {
        self.with_conn(move |conn| {
            // IMMEDIATE takes the write lock up front, so two writers queue on busy_timeout
            // instead of one failing when it upgrades from a read.
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut changed = Vec::with_capacity(statements.len());
            for s in &statements {
                let sql = to_sqlite_placeholders(&s.sql);
                let n = tx
                    .prepare_cached(&sql)?
                    .execute(params_from_iter(s.params.iter()))?;
                changed.push(n as u64);
            }
            tx.commit()?;
            Ok(changed)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_a_file() {
        assert_eq!(
            path_of_url("sqlite://soundstream.db").unwrap().unwrap(),
            PathBuf::from("soundstream.db")
        );
        assert_eq!(
            path_of_url("sqlite:///var/lib/ss.db").unwrap().unwrap(),
            PathBuf::from("/var/lib/ss.db")
        );
        assert!(path_of_url("postgres://x").is_none());
    }

    #[test]
    fn unusable_sqlite_urls_say_why() {
        for url in ["sqlite://", "sqlite::memory:", "sqlite://a.db?mode=ro"] {
            let err = path_of_url(url).unwrap().unwrap_err().to_string();
            assert!(err.contains(url), "{err}");
        }
    }
}
