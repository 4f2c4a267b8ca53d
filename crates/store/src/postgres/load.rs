//! The PostgreSQL bulk load of a whole dataset: the six tables emptied and refilled with
//! binary COPY in one transaction, the foreign keys and secondary indexes dropped for the copy
//! and re-created from their catalog definitions at the end.

use std::pin::Pin;

use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::types::Type;

use super::PgEngine;
use crate::StoreError;
use crate::dataset::{LoadBatch, LoadMessage, LoadOutcome, LoadProgress, LoadReceiver, Written};

impl PgEngine {
    /// Replaces the six tables' content with the rows streamed through `rows`, in one
    /// transaction, with binary COPY: a crash or a dropped sender rolls everything back.
    pub(crate) async fn replace_dataset_streamed(
        &self,
        rows: LoadReceiver,
        progress: LoadProgress,
    ) -> Result<LoadOutcome, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let deferred = drop_deferred(&tx).await?;
        empty_tables(&tx).await?;
        if let Copied::Abandoned = copy_rows(&tx, rows, &progress).await? {
            // Dropping the transaction (and an unfinished COPY) rolls everything back.
            return Ok(LoadOutcome::Abandoned);
        }
        progress("indexes", 0);
        deferred.restore(&tx).await?;
        tx.batch_execute(crate::changes::NEW_EPOCH).await?;
        tx.commit().await?;
        // Fresh statistics, or the planner guesses on tables it last saw empty.
        client
            .batch_execute(
                "ANALYZE artists, users, tags, user_artists, user_taggedartists, user_friends",
            )
            .await?;
        Ok(LoadOutcome::Committed)
    }
}

/// The foreign keys and secondary indexes dropped for a load, as the catalog defined them.
struct Deferred {
    /// Table, name and definition of each foreign key.
    foreign_keys: Vec<tokio_postgres::Row>,
    /// Name and `CREATE INDEX` statement of each index.
    indexes: Vec<tokio_postgres::Row>,
}

/// Drops the foreign keys and the secondary indexes of the tables to load, returning their
/// definitions.
///
/// Foreign keys and secondary indexes are dropped and re-created after the COPY: each
/// foreign key is a trigger run per row (ten times the cost of the COPY itself), while
/// re-adding it validates the whole table in one join. Their definitions are read back from
/// the catalog, so the migrations stay their only source; DDL is transactional, so a rollback
/// or crash restores them with the data.
async fn drop_deferred(tx: &deadpool_postgres::Transaction<'_>) -> Result<Deferred, StoreError> {
    let foreign_keys = tx
        .query(
            "SELECT conrelid::regclass::text, conname::text, pg_get_constraintdef(oid)
             FROM pg_constraint
             WHERE contype = 'f' AND connamespace = current_schema()::regnamespace",
            &[],
        )
        .await?;
    let indexes = tx
        .query(
            "SELECT indexname::text, indexdef FROM pg_indexes
             WHERE schemaname = current_schema()
               AND tablename IN ('user_artists', 'user_taggedartists', 'user_friends')
               AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            &[],
        )
        .await?;
    for fk in &foreign_keys {
        let (table, name): (String, String) = (fk.get(0), fk.get(1));
        tx.batch_execute(&format!("ALTER TABLE {table} DROP CONSTRAINT \"{name}\""))
            .await?;
    }
    for index in &indexes {
        let name: String = index.get(0);
        tx.batch_execute(&format!("DROP INDEX \"{name}\"")).await?;
    }
    Ok(Deferred {
        foreign_keys,
        indexes,
    })
}

impl Deferred {
    /// Re-creates the indexes, then the foreign keys, which validates every row loaded.
    async fn restore(&self, tx: &deadpool_postgres::Transaction<'_>) -> Result<(), StoreError> {
        for index in &self.indexes {
            let definition: String = index.get(1);
            tx.batch_execute(&definition).await?;
        }
        for fk in &self.foreign_keys {
            let (table, name, definition): (String, String, String) =
                (fk.get(0), fk.get(1), fk.get(2));
            tx.batch_execute(&format!(
                "ALTER TABLE {table} ADD CONSTRAINT \"{name}\" {definition}"
            ))
            .await?;
        }
        Ok(())
    }
}

/// Empties the six tables, with the index builds to come given more memory.
async fn empty_tables(tx: &deadpool_postgres::Transaction<'_>) -> Result<(), StoreError> {
    // Index builds sort in memory up to maintenance_work_mem (64 MB by default): a quarter
    // GB for this transaction makes the 100x indexes a third faster. Never lowered.
    tx.batch_execute(
        "SELECT set_config('maintenance_work_mem', GREATEST(setting::bigint, 262144) || 'kB', true)
         FROM pg_settings WHERE name = 'maintenance_work_mem'",
    )
    .await?;
    // TRUNCATE is transactional in PostgreSQL: a rollback (or a crash) restores the data.
    tx.batch_execute(
        "TRUNCATE user_friends, user_taggedartists, user_artists, tags, users, artists",
    )
    .await?;
    Ok(())
}

/// How the stream of rows ended.
enum Copied {
    /// The sender asked for the commit: every row was copied.
    All,
    /// The sender went away without asking for it.
    Abandoned,
}

/// Copies every batch that comes through `rows` into its table, until the sender asks for the
/// commit or goes away.
async fn copy_rows(
    tx: &deadpool_postgres::Transaction<'_>,
    mut rows: LoadReceiver,
    progress: &LoadProgress,
) -> Result<Copied, StoreError> {
    // One COPY at a time on a connection: the current one ends when a batch of another
    // table comes.
    let mut copy: Option<(&'static str, Pin<Box<BinaryCopyInWriter>>)> = None;
    let mut written = Written::default();
    loop {
        match rows.0.recv().await {
            None => return Ok(Copied::Abandoned),
            Some(LoadMessage::Commit) => break,
            Some(LoadMessage::Rows(batch)) => {
                let table = batch.table();
                let writer = match &mut copy {
                    Some((current, writer)) if *current == table => writer,
                    _ => {
                        if let Some((_, mut previous)) = copy.take() {
                            previous.as_mut().finish().await?;
                        }
                        let (sql, types) = copy_of(&batch);
                        let sink = tx.copy_in(sql).await?;
                        &mut copy
                            .insert((table, Box::pin(BinaryCopyInWriter::new(sink, types))))
                            .1
                    }
                };
                write_batch(writer.as_mut(), &batch).await?;
                written.add(&batch, progress);
            }
        }
    }
    if let Some((_, mut last)) = copy.take() {
        last.as_mut().finish().await?;
    }
    Ok(Copied::All)
}

/// The COPY statement and column types of a batch's table.
fn copy_of(batch: &LoadBatch) -> (&'static str, &'static [Type]) {
    match batch {
        LoadBatch::Artists(_) => (
            r#"COPY artists (id, name, url, "pictureURL") FROM STDIN (FORMAT binary)"#,
            &[Type::INT8, Type::TEXT, Type::TEXT, Type::TEXT],
        ),
        LoadBatch::Users(_) => (
            r#"COPY users ("userID") FROM STDIN (FORMAT binary)"#,
            &[Type::INT8],
        ),
        LoadBatch::Tags(_) => (
            r#"COPY tags ("tagID", "tagValue") FROM STDIN (FORMAT binary)"#,
            &[Type::INT8, Type::TEXT],
        ),
        LoadBatch::Listens(_) => (
            r#"COPY user_artists ("userID", "artistID", weight) FROM STDIN (FORMAT binary)"#,
            &[Type::INT8, Type::INT8, Type::INT8],
        ),
        LoadBatch::TagAssignments(_) => (
            r#"COPY user_taggedartists ("userID", "artistID", "tagID", "timestamp", day, month, year)
               FROM STDIN (FORMAT binary)"#,
            &[
                Type::INT8,
                Type::INT8,
                Type::INT8,
                Type::INT8,
                Type::INT4,
                Type::INT4,
                Type::INT4,
            ],
        ),
        LoadBatch::Friendships(_) => (
            r#"COPY user_friends ("userID", "friendID") FROM STDIN (FORMAT binary)"#,
            &[Type::INT8, Type::INT8],
        ),
    }
}

/// Writes a batch's rows into the COPY of its table.
async fn write_batch(
    mut w: Pin<&mut BinaryCopyInWriter>,
    batch: &LoadBatch,
) -> Result<(), StoreError> {
    match batch {
        LoadBatch::Artists(rows) => {
            for a in rows {
                w.as_mut()
                    .write(&[&a.id, &a.name, &a.url, &a.picture_url])
                    .await?;
            }
        }
        LoadBatch::Users(rows) => {
            for u in rows {
                w.as_mut().write(&[u]).await?;
            }
        }
        LoadBatch::Tags(rows) => {
            for t in rows {
                w.as_mut().write(&[&t.id, &t.value]).await?;
            }
        }
        LoadBatch::Listens(rows) => {
            for l in rows {
                w.as_mut()
                    .write(&[&l.user_id, &l.artist_id, &l.weight])
                    .await?;
            }
        }
        LoadBatch::TagAssignments(rows) => {
            for t in rows {
                // The importer validated day/month/year, so they fit in 32 bits.
                let (day, month, year) = (t.day as i32, t.month as i32, t.year as i32);
                w.as_mut()
                    .write(&[
                        &t.user_id,
                        &t.artist_id,
                        &t.tag_id,
                        &t.timestamp,
                        &day,
                        &month,
                        &year,
                    ])
                    .await?;
            }
        }
        LoadBatch::Friendships(rows) => {
            for f in rows {
                w.as_mut().write(&[&f.user_id, &f.friend_id]).await?;
            }
        }
    }
    Ok(())
}
