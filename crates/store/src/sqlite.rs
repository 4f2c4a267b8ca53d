//! The SQLite engine: a pool of connections to one database file in WAL mode, each set up
//! the same way (foreign keys on, busy timeout, the `ss_fold` function), the SQLite
//! migrations, and the bulk load of a whole dataset, streamed in batches, in one transaction.

use std::path::PathBuf;

use deadpool_sqlite::{Config, Hook, HookError, Pool, Runtime};
use rusqlite::functions::FunctionFlags;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, TransactionBehavior, params_from_iter};

use crate::dataset::{
    LoadBatch, LoadMessage, LoadOutcome, LoadProgress, LoadReceiver, References, Written,
};
use crate::value::to_sqlite_placeholders;
use crate::{Row, Statement, StoreError, Value};

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
        let pool = Config::new(&path)
            .builder(Runtime::Tokio1)
            .map_err(|e| StoreError::Pool(e.to_string()))?
            .max_size(POOL_SIZE)
            .post_create(Hook::async_fn(|conn, _| {
                Box::pin(async move {
                    conn.interact(configure)
                        .await
                        .map_err(|e| HookError::message(e.to_string()))?
                        .map_err(HookError::Backend)
                })
            }))
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

    /// Replaces the whole content of the six tables with the rows streamed through `rows`, in
    /// one transaction: a reader sees the old data or the new, and a crash mid-way leaves the
    /// old data intact.
    pub(crate) async fn replace_dataset_streamed(
        &self,
        rows: LoadReceiver,
        progress: LoadProgress,
    ) -> Result<LoadOutcome, StoreError> {
        self.with_conn(move |conn| {
            // A big transaction spills dirty pages to the WAL when the cache is full, which is
            // allowed and still atomic. Rows arrive grouped by user, so the pages being
            // written are few; the cache only needs the tables' interior pages.
            conn.pragma_update(None, "cache_size", -ROWS_CACHE_KIB)?;
            // Foreign keys are switched off for this one transaction and verified in full by
            // `foreign_key_check` before it commits, so nothing inconsistent is ever committed.
            // With them on, SQLite deletes the old rows one by one and checks every new row
            // separately (three lookups per tag assignment); off, the old tables are truncated
            // and rows may come children first. This transaction holds the write lock, so no
            // other writer can slip in meanwhile.
            conn.pragma_update(None, "foreign_keys", false)?;
            let result = load(conn, rows, &progress);
            conn.pragma_update(None, "foreign_keys", true)?;
            conn.pragma_update(None, "cache_size", -2000)?;
            let outcome = result?;
            if outcome == LoadOutcome::Committed {
                // The whole dataset went through the WAL; move it into the database file now
                // rather than at some reader's commit, and give the WAL's disk space back.
                conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            }
            Ok(outcome)
        })
        .await
    }
}

/// Page cache of the loading connection while rows stream in, in KiB.
const ROWS_CACHE_KIB: i64 = 32_768;

/// Page cache while the indexes are built, in KiB. SQLite's sorter sorts runs as large as the
/// cache in memory before merging them: runs of a few MB fit the CPU's caches, and took a
/// quarter less CPU than 128 MB runs for the 10x indexes (3.0-3.5 s against 4.1-4.4 s), with
/// 23 MB of memory instead of 216 MB.
const SORT_CACHE_KIB: i64 = 4096;

/// Rows per INSERT statement of a load: one statement runs its setup (a write cursor opened
/// and closed, a step and a reset) once for all of them.
const ROWS_PER_INSERT: usize = 64;

/// The inserts of one table, prepared once for the whole load: for `ROWS_PER_INSERT` rows,
/// and for one (a batch's remainder).
struct Insert<'tx> {
    many: rusqlite::Statement<'tx>,
    one: rusqlite::Statement<'tx>,
    columns: usize,
}

impl<'tx> Insert<'tx> {
    fn prepare(
        tx: &'tx rusqlite::Transaction<'_>,
        table: &str,
        columns: &[&str],
    ) -> Result<Self, StoreError> {
        let values = |rows: usize| {
            (0..rows)
                .map(|r| {
                    let params: Vec<String> = (1..=columns.len())
                        .map(|c| format!("?{}", r * columns.len() + c))
                        .collect();
                    format!("({})", params.join(", "))
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let sql = |rows| {
            format!(
                "INSERT INTO {table} ({}) VALUES {}",
                columns.join(", "),
                values(rows)
            )
        };
        Ok(Self {
            many: tx.prepare(&sql(ROWS_PER_INSERT))?,
            one: tx.prepare(&sql(1))?,
            columns: columns.len(),
        })
    }

    /// Inserts `rows`, `bind` setting one row's parameters from the index of its first.
    fn rows<T>(
        &mut self,
        rows: &[T],
        bind: impl Fn(&mut rusqlite::Statement<'tx>, usize, &T) -> rusqlite::Result<()>,
    ) -> Result<(), StoreError> {
        let mut chunks = rows.chunks_exact(ROWS_PER_INSERT);
        for chunk in &mut chunks {
            for (i, row) in chunk.iter().enumerate() {
                bind(&mut self.many, i * self.columns + 1, row)?;
            }
            self.many.raw_execute()?;
        }
        for row in chunks.remainder() {
            bind(&mut self.one, 1, row)?;
            self.one.raw_execute()?;
        }
        Ok(())
    }
}

/// The inserts of the six tables.
struct Inserts<'tx> {
    artists: Insert<'tx>,
    users: Insert<'tx>,
    tags: Insert<'tx>,
    listens: Insert<'tx>,
    tag_assignments: Insert<'tx>,
    friendships: Insert<'tx>,
}

impl<'tx> Inserts<'tx> {
    fn prepare(tx: &'tx rusqlite::Transaction<'_>) -> Result<Self, StoreError> {
        Ok(Self {
            artists: Insert::prepare(tx, "artists", &["id", "name", "url", r#""pictureURL""#])?,
            users: Insert::prepare(tx, "users", &[r#""userID""#])?,
            tags: Insert::prepare(tx, "tags", &[r#""tagID""#, r#""tagValue""#])?,
            listens: Insert::prepare(
                tx,
                "user_artists",
                &[r#""userID""#, r#""artistID""#, "weight"],
            )?,
            tag_assignments: Insert::prepare(
                tx,
                "user_taggedartists",
                &[
                    r#""userID""#,
                    r#""artistID""#,
                    r#""tagID""#,
                    r#""timestamp""#,
                    "day",
                    "month",
                    "year",
                ],
            )?,
            friendships: Insert::prepare(tx, "user_friends", &[r#""userID""#, r#""friendID""#])?,
        })
    }

    fn write(&mut self, batch: &LoadBatch) -> Result<(), StoreError> {
        match batch {
            LoadBatch::Artists(rows) => self.artists.rows(rows, |s, i, a| {
                s.raw_bind_parameter(i, a.id)?;
                s.raw_bind_parameter(i + 1, &a.name)?;
                s.raw_bind_parameter(i + 2, &a.url)?;
                s.raw_bind_parameter(i + 3, &a.picture_url)
            }),
            LoadBatch::Users(rows) => self.users.rows(rows, |s, i, u| s.raw_bind_parameter(i, u)),
            LoadBatch::Tags(rows) => self.tags.rows(rows, |s, i, t| {
                s.raw_bind_parameter(i, t.id)?;
                s.raw_bind_parameter(i + 1, &t.value)
            }),
            LoadBatch::Listens(rows) => self.listens.rows(rows, |s, i, l| {
                s.raw_bind_parameter(i, l.user_id)?;
                s.raw_bind_parameter(i + 1, l.artist_id)?;
                s.raw_bind_parameter(i + 2, l.weight)
            }),
            LoadBatch::TagAssignments(rows) => self.tag_assignments.rows(rows, |s, i, t| {
                for (k, v) in [
                    t.user_id,
                    t.artist_id,
                    t.tag_id,
                    t.timestamp,
                    t.day,
                    t.month,
                    t.year,
                ]
                .into_iter()
                .enumerate()
                {
                    s.raw_bind_parameter(i + k, v)?;
                }
                Ok(())
            }),
            LoadBatch::Friendships(rows) => self.friendships.rows(rows, |s, i, f| {
                s.raw_bind_parameter(i, f.user_id)?;
                s.raw_bind_parameter(i + 1, f.friend_id)
            }),
        }
    }
}

/// The body of [`SqliteEngine::replace_dataset_streamed`], on a connection with foreign keys
/// off. Returning before the commit drops the transaction, which rolls it back.
fn load(
    conn: &mut Connection,
    mut rows: LoadReceiver,
    progress: &LoadProgress,
) -> Result<LoadOutcome, StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Secondary indexes are dropped and rebuilt from sorted data at the end: three times
    // faster than maintaining them row by row. Their definitions are read back from the
    // schema, so the migrations stay their only source. DDL is transactional in SQLite, so a
    // crash restores them along with the data.
    let indexes: Vec<(String, String)> = tx
        .prepare(
            "SELECT name, sql FROM sqlite_master
             WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN
               ('artists', 'users', 'tags', 'user_artists', 'user_taggedartists', 'user_friends')",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (name, _) in &indexes {
        tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
    }
    // Children first, so no cascade has work to do.
    tx.execute_batch(
        "DELETE FROM user_friends; DELETE FROM user_taggedartists; DELETE FROM user_artists;
         DELETE FROM tags; DELETE FROM users; DELETE FROM artists;",
    )?;
    let mut references = References::default();
    {
        let mut inserts = Inserts::prepare(&tx)?;
        let mut written = Written::default();
        loop {
            // This runs on a blocking thread of the pool, where waiting is allowed.
            match rows.0.blocking_recv() {
                // The sender gave up (its reader failed): nothing is committed.
                None => return Ok(LoadOutcome::Abandoned),
                Some(LoadMessage::Rows(batch)) => {
                    inserts.write(&batch)?;
                    references.add(&batch);
                    written.add(&batch, progress);
                }
                Some(LoadMessage::Commit) => break,
            }
        }
    }
    // The six tables hold exactly the rows loaded, so their foreign keys hold when every id
    // the rows name was loaded: checked in memory, where `foreign_key_check` would look each
    // reference up in a B-tree. Other tables' keys into them are SQLite's to check.
    references.check()?;
    progress("indexes", 0);
    tx.pragma_update(None, "cache_size", -SORT_CACHE_KIB)?;
    for (_, sql) in &indexes {
        tx.execute_batch(sql)?;
    }
    let others: Vec<String> = tx
        .prepare(
            r"SELECT name FROM sqlite_master
              WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name NOT IN
                ('artists', 'users', 'tags', 'user_artists', 'user_taggedartists', 'user_friends')",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for table in &others {
        let violations: i64 = tx.query_row(
            "SELECT COUNT(*) FROM pragma_foreign_key_check(?1)",
            [table],
            |r| r.get(0),
        )?;
        if violations > 0 {
            return Err(StoreError::ForeignKeyViolation {
                key: None,
                detail: format!(
                    "{violations} rows of {table} refer to rows the dataset does not hold"
                ),
            });
        }
    }
    tx.execute_batch(crate::changes::NEW_EPOCH)?;
    tx.commit()?;
    Ok(LoadOutcome::Committed)
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
