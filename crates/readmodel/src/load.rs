//! Building the read model from the database: one read transaction (one snapshot) streams
//! every table into a [`Builder`], row by row, never holding a table's rows at once, and
//! notes the change log's position at that snapshot, so the model continues from there.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use soundstream_store::{Row, Store, StoreError, Tx};

use crate::{Builder, ReadModel};

/// How far a build has come, for health checks.
#[derive(Debug, Default)]
pub struct Progress {
    table: Mutex<&'static str>,
    rows: AtomicU64,
    total: AtomicU64,
}

/// A copy of [`Progress`] at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressReport {
    /// The table being read.
    pub table: &'static str,
    /// Rows read so far, over every table.
    pub rows: u64,
    /// Rows to read in all.
    pub total: u64,
}

impl Progress {
    /// Where the build stands.
    pub fn report(&self) -> ProgressReport {
        ProgressReport {
            table: *self.table.lock().unwrap_or_else(|e| e.into_inner()),
            rows: self.rows.load(Ordering::Relaxed),
            total: self.total.load(Ordering::Relaxed),
        }
    }

    fn start(&self, table: &'static str) {
        *self.table.lock().unwrap_or_else(|e| e.into_inner()) = table;
    }

    fn row(&self) {
        self.rows.fetch_add(1, Ordering::Relaxed);
    }
}

fn scan(
    tx: &mut dyn Tx,
    progress: &Progress,
    table: &'static str,
    sql: &str,
    mut each: impl FnMut(&Row) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    progress.start(table);
    tx.for_each(sql, vec![], &mut |row| {
        progress.row();
        each(&row)
    })
}

/// Builds the read model from `store`, reporting into `progress`.
pub async fn load(store: &Store, progress: Arc<Progress>) -> Result<ReadModel, StoreError> {
    store
        .read(move |tx| {
            let (epoch, seq) = log_head(tx)?;
            let (listens, friendships) = count_rows(tx, &progress)?;
            let mut b = Builder::new();
            b.expect(listens as usize, friendships as usize);
            let p = &*progress;
            scan_entities(tx, p, &mut b)?;
            scan_relations(tx, p, &mut b)?;
            if b.skipped() > 0 {
                tracing::warn!(
                    rows = b.skipped(),
                    "rows naming missing entities were skipped"
                );
            }
            p.start("indexes");
            Ok(b.finish(epoch, seq))
        })
        .await
}

/// The model's epoch and the change log's position at this snapshot.
fn log_head(tx: &mut dyn Tx) -> Result<(i64, u64), StoreError> {
    let head = tx.query(
        "SELECT epoch, (SELECT COALESCE(MAX(seq), 0) FROM changes) FROM read_model_meta",
        vec![],
    )?;
    let head = head.first().ok_or(StoreError::NoRow)?;
    Ok((head.i64(0)?, head.i64(1)? as u64))
}

/// Counts the rows to read into `progress`; returns the listens and friendship rows, which
/// the builder reserves room for.
fn count_rows(tx: &mut dyn Tx, progress: &Progress) -> Result<(u64, u64), StoreError> {
    let counts = tx.query(
        "SELECT (SELECT COUNT(*) FROM artists) + (SELECT COUNT(*) FROM users)
              + (SELECT COUNT(*) FROM tags) + (SELECT COUNT(*) FROM user_taggedartists),
                (SELECT COUNT(*) FROM user_artists), (SELECT COUNT(*) FROM user_friends)",
        vec![],
    )?;
    let counts = counts.first().ok_or(StoreError::NoRow)?;
    let count = |i| counts.i64(i).map(|n| n.max(0) as u64);
    let (listens, friendships) = (count(1)?, count(2)?);
    progress
        .total
        .store(count(0)? + listens + friendships, Ordering::Relaxed);
    Ok((listens, friendships))
}

/// Artists, users and tags, each table in id order.
fn scan_entities(tx: &mut dyn Tx, p: &Progress, b: &mut Builder) -> Result<(), StoreError> {
    scan(
        tx,
        p,
        "artists",
        r#"SELECT id, name, url, "pictureURL" FROM artists ORDER BY id"#,
        |r| {
            b.artist(
                r.i64(0)?,
                &r.string(1)?,
                r.opt_string(2)?.as_deref(),
                r.opt_string(3)?.as_deref(),
            );
            Ok(())
        },
    )?;
    scan(
        tx,
        p,
        "users",
        r#"SELECT "userID" FROM users ORDER BY "userID""#,
        |r| {
            b.user(r.i64(0)?);
            Ok(())
        },
    )?;
    scan(
        tx,
        p,
        "tags",
        r#"SELECT "tagID", "tagValue" FROM tags ORDER BY "tagID""#,
        |r| {
            b.tag(r.i64(0)?, &r.string(1)?);
            Ok(())
        },
    )
}

/// Listens, tag assignments and friendships, in no particular order.
fn scan_relations(tx: &mut dyn Tx, p: &Progress, b: &mut Builder) -> Result<(), StoreError> {
    scan(
        tx,
        p,
        "listens",
        r#"SELECT "userID", "artistID", weight FROM user_artists"#,
        |r| {
            b.listen(r.i64(0)?, r.i64(1)?, r.i64(2)?);
            Ok(())
        },
    )?;
    scan(
        tx,
        p,
        "tag assignments",
        r#"SELECT "userID", "artistID", "tagID", year, month, day FROM user_taggedartists"#,
        |r| {
            let date = (r.i64(3)? as i32, r.i64(4)? as u8, r.i64(5)? as u8);
            b.assignment(r.i64(0)?, r.i64(1)?, r.i64(2)?, date);
            Ok(())
        },
    )?;
    scan(
        tx,
        p,
        "friendships",
        r#"SELECT "userID", "friendID" FROM user_friends"#,
        |r| {
            b.friendship(r.i64(0)?, r.i64(1)?);
            Ok(())
        },
    )
}
