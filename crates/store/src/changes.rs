//! The change log: every committed write appends the [`Change`]s it made, under a sequence
//! number, in the same transaction as the write. Writes are serialised (SQLite's write lock;
//! on PostgreSQL a transaction-level advisory lock taken before anything else), so numbers
//! follow commit order without gaps. A read model applies the log in order: its own writes at
//! once, other processes' writes when it polls the log (a primary-key lookup, every 200 ms).
//!
//! An import replaces the whole content: it empties the log and bumps the dataset's epoch,
//! which tells read models to rebuild instead.

use soundstream_core::change::Change;

use crate::tx::{Mode, Tx};
use crate::{Store, StoreError, args};

/// A write's result, with what it changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Committed<T> {
    /// What the operation returns (the new id, whether it created, ...).
    pub value: T,
    /// The write's number in the change log; `None` when it changed nothing.
    pub seq: Option<u64>,
    /// What it changed, in order.
    pub changes: Vec<Change>,
    /// The dataset's epoch the write was made in.
    pub epoch: i64,
}

/// One entry of the log: the changes of one write.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedWrite {
    /// Its number.
    pub seq: u64,
    /// Its changes.
    pub changes: Vec<Change>,
}

/// Where the log stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogHead {
    /// The dataset's epoch: it changes when an import replaces the content.
    pub epoch: i64,
    /// The last write's number (0: none since the import).
    pub seq: u64,
}

/// Appends one write's changes; returns its number.
fn append(tx: &mut dyn Tx, changes: &[Change]) -> Result<u64, StoreError> {
    let body = serde_json::to_string(changes)
        .map_err(|e| StoreError::Pool(format!("cannot encode a change: {e}")))?;
    let at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    let seq = tx.query(
        "INSERT INTO changes (seq, at, body)
         SELECT COALESCE(MAX(seq), 0) + 1, $1, $2 FROM changes
         RETURNING seq",
        args![at, body],
    )?;
    let seq = seq.first().ok_or(StoreError::NoRow)?.i64(0)?;
    Ok(seq as u64)
}

/// Empties the log and starts a new epoch: run by an import inside its transaction.
pub(crate) const NEW_EPOCH: &str = "DELETE FROM changes;
     UPDATE read_model_meta SET epoch = epoch + 1;";

fn decode(seq: i64, body: &str) -> Result<LoggedWrite, StoreError> {
    let changes = serde_json::from_str(body).map_err(|e| StoreError::Decode {
        column: 1,
        expected: "a change log entry",
        found: format!("entry {seq}: {e}"),
    })?;
    Ok(LoggedWrite {
        seq: seq as u64,
        changes,
    })
}

impl Store {
    /// Runs a write: `body` does it and says what it changed, which is logged in the same
    /// transaction. Writes are serialised with every other write to this database.
    pub async fn write<T, F>(&self, body: F) -> Result<Committed<T>, StoreError>
    where
        F: FnOnce(&mut dyn Tx) -> Result<(T, Vec<Change>), StoreError> + Send + 'static,
        T: Send + 'static,
    {
        let committed = self
            .run_tx(Mode::Write, move |tx| {
                let (value, changes) = body(tx)?;
                let epoch = tx
                    .query("SELECT epoch FROM read_model_meta", vec![])?
                    .first()
                    .ok_or(StoreError::NoRow)?
                    .i64(0)?;
                let seq = if changes.is_empty() {
                    None
                } else {
                    Some(append(tx, &changes)?)
                };
                Ok(Committed {
                    value,
                    seq,
                    changes,
                    epoch,
                })
            })
            .await?;
        if committed.seq.is_some() {
            self.wrote();
        }
        Ok(committed)
    }

    /// The dataset's epoch and the log's last number.
    pub async fn log_head(&self) -> Result<LogHead, StoreError> {
        let row = self
            .query_one(
                "SELECT epoch, (SELECT COALESCE(MAX(seq), 0) FROM changes) FROM read_model_meta",
                vec![],
            )
            .await?;
        Ok(LogHead {
            epoch: row.i64(0)?,
            seq: row.i64(1)? as u64,
        })
    }

    /// The writes numbered after `seq`, in order, at most `limit`.
    pub async fn changes_after(
        &self,
        seq: u64,
        limit: u32,
    ) -> Result<Vec<LoggedWrite>, StoreError> {
        self.query(
            "SELECT seq, body FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2",
            args![seq as i64, i64::from(limit)],
        )
        .await?
        .iter()
        .map(|row| decode(row.i64(0)?, &row.string(1)?))
        .collect()
    }

    /// The first number still in the log (`None`: the log is empty). A reader whose next
    /// needed write is older has fallen behind the log and must rebuild.
    pub async fn log_start(&self) -> Result<Option<u64>, StoreError> {
        Ok(self
            .query_one("SELECT MIN(seq) FROM changes", vec![])
            .await?
            .opt_i64(0)?
            .map(|s| s as u64))
    }

    /// Forgets the writes numbered up to `seq` (the latest one is always kept, so numbering
    /// goes on). Returns how many were removed.
    pub async fn trim_changes(&self, seq: u64) -> Result<u64, StoreError> {
        // Not `execute`: trimming is housekeeping, not a write to the data.
        self.run_tx(Mode::Write, move |tx| {
            tx.execute(
                "DELETE FROM changes WHERE seq <= $1 AND seq < (SELECT MAX(seq) FROM changes)",
                args![seq as i64],
            )
        })
        .await
    }
}
