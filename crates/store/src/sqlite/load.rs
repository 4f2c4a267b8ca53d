//! The SQLite bulk load of a whole dataset: rows streamed in batches into multi-row INSERTs,
//! in one transaction, with the secondary indexes rebuilt and the references checked at the
//! end.

use rusqlite::{Connection, TransactionBehavior};

use super::SqliteEngine;
use crate::StoreError;
use crate::dataset::{
    LoadBatch, LoadMessage, LoadOutcome, LoadProgress, LoadReceiver, References, Written,
};

impl SqliteEngine {
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
    rows: LoadReceiver,
    progress: &LoadProgress,
) -> Result<LoadOutcome, StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let indexes = drop_indexes(&tx)?;
    // Children first, so no cascade has work to do.
    tx.execute_batch(
        "DELETE FROM user_friends; DELETE FROM user_taggedartists; DELETE FROM user_artists;
         DELETE FROM tags; DELETE FROM users; DELETE FROM artists;",
    )?;
    let Some(references) = insert_rows(&tx, rows, progress)? else {
        // The sender gave up (its reader failed): nothing is committed.
        return Ok(LoadOutcome::Abandoned);
    };
    // The six tables hold exactly the rows loaded, so their foreign keys hold when every id
    // the rows name was loaded: checked in memory, where `foreign_key_check` would look each
    // reference up in a B-tree. Other tables' keys into them are SQLite's to check.
    references.check()?;
    progress("indexes", 0);
    tx.pragma_update(None, "cache_size", -SORT_CACHE_KIB)?;
    for (_, sql) in &indexes {
        tx.execute_batch(sql)?;
    }
    check_other_tables(&tx)?;
    tx.execute_batch(crate::changes::NEW_EPOCH)?;
    tx.commit()?;
    Ok(LoadOutcome::Committed)
}

/// Drops the secondary indexes of the six tables, returning the name and `CREATE INDEX`
/// statement of each.
///
/// Secondary indexes are dropped and rebuilt from sorted data at the end: three times faster
/// than maintaining them row by row. Their definitions are read back from the schema, so the
/// migrations stay their only source. DDL is transactional in SQLite, so a crash restores
/// them along with the data.
fn drop_indexes(tx: &rusqlite::Transaction<'_>) -> Result<Vec<(String, String)>, StoreError> {
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
    Ok(indexes)
}

/// Inserts every batch that comes through `rows`, until the sender asks for the commit (then
/// returns the ids the rows named, to check) or goes away (then `None`).
fn insert_rows(
    tx: &rusqlite::Transaction<'_>,
    mut rows: LoadReceiver,
    progress: &LoadProgress,
) -> Result<Option<References>, StoreError> {
    let mut references = References::default();
    let mut inserts = Inserts::prepare(tx)?;
    let mut written = Written::default();
    loop {
        // This runs on a blocking thread of the pool, where waiting is allowed.
        match rows.0.blocking_recv() {
            None => return Ok(None),
            Some(LoadMessage::Rows(batch)) => {
                inserts.write(&batch)?;
                references.add(&batch);
                written.add(&batch, progress);
            }
            Some(LoadMessage::Commit) => return Ok(Some(references)),
        }
    }
}

/// Checks the foreign keys that other tables hold into the six tables just replaced.
fn check_other_tables(tx: &rusqlite::Transaction<'_>) -> Result<(), StoreError> {
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
    Ok(())
}
