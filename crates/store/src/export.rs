//! Whole tables read out in batches of rows, for the bulk exports: the stable export schema
//! (each table's columns, in order, with their types and meaning) and the streaming of its
//! rows from SQLite (a blocking task stepping one statement) or PostgreSQL (a row stream),
//! batch by batch through a small bounded channel, so an export of any size holds a few
//! batches in memory at most.
//!
//! Each export is one SQL statement, so it sees one snapshot of the database (a writer that
//! commits meanwhile is in the export entirely or not at all), and rows come in key order.
//! Batches are columnar, in the layout Arrow uses (text as one buffer plus offsets), so the
//! encoder above turns them into Arrow arrays without copying them.
//!
//! The schema is in `schema`; this module streams the rows.

mod schema;

use std::pin::pin;

use futures_util::StreamExt;
use tokio::sync::{Semaphore, SemaphorePermit, mpsc};

pub use self::schema::{ColumnKind, ExportColumn, ExportTable};
use crate::{Engine, Store, StoreError};

/// Rows per batch when the caller has no reason to choose: big enough that per-batch costs
/// (a Parquet row group, a channel hand-over) vanish, small enough to stay a few MiB.
pub const DEFAULT_BATCH_ROWS: usize = 65_536;

/// A batch is cut early once its text passes this many bytes, so long names cannot make a
/// batch big (and Arrow's 32-bit text offsets cannot overflow).
const MAX_BATCH_TEXT_BYTES: usize = 64 << 20;

/// Batches read ahead of the encoder: the database and the encoder work in parallel, and
/// memory stays at a few batches whatever the table's size.
const BATCHES_IN_FLIGHT: usize = 2;

/// Exports running at once. Each holds a database connection for its whole duration (a
/// slow client keeps it longer), and the SQLite pool has 8: the other requests must keep
/// theirs. Further exports wait for a slot (within the request timeout).
pub const MAX_CONCURRENT_EXPORTS: usize = 4;

static EXPORT_SLOTS: Semaphore = Semaphore::const_new(MAX_CONCURRENT_EXPORTS);

/// One column of a [`RowBatch`], laid out as Arrow lays it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnData {
    /// Integers, or timestamps in milliseconds.
    Int64(Vec<i64>),
    /// Text values.
    Utf8(TextColumn),
}

/// Text values as one buffer and the offsets of each value in it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TextColumn {
    /// Every value, one after another.
    pub data: String,
    /// Where each value starts in `data`, then where the last ends: one more than the rows,
    /// from 0. A NULL is an empty value.
    pub offsets: Vec<i32>,
    /// Which rows hold a value (`false` for NULL); `None` when every row does.
    pub valid: Option<Vec<bool>>,
}

impl TextColumn {
    /// The value of row `i` (`None` for NULL).
    pub fn get(&self, i: usize) -> Option<&str> {
        if self.valid.as_ref().is_some_and(|v| !v[i]) {
            return None;
        }
        Some(&self.data[self.offsets[i] as usize..self.offsets[i + 1] as usize])
    }
}

/// Consecutive rows of an exported table, column by column, in the order of
/// [`ExportTable::columns`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowBatch {
    /// Number of rows.
    pub rows: usize,
    /// One entry per column.
    pub columns: Vec<ColumnData>,
}

/// Fills a [`RowBatch`] one value at a time, checking each against the schema.
struct BatchBuilder {
    columns: &'static [ExportColumn],
    capacity: usize,
    rows: usize,
    text_bytes: usize,
    data: Vec<ColumnData>,
}

impl BatchBuilder {
    fn new(table: ExportTable, capacity: usize) -> Self {
        let columns = table.columns();
        let mut builder = Self {
            columns,
            capacity,
            rows: 0,
            text_bytes: 0,
            data: Vec::new(),
        };
        builder.data = builder.empty_columns();
        builder
    }

    fn empty_columns(&self) -> Vec<ColumnData> {
        self.columns
            .iter()
            .map(|c| match c.kind {
                ColumnKind::Int64 | ColumnKind::TimestampMsUtc => {
                    ColumnData::Int64(Vec::with_capacity(self.capacity))
                }
                ColumnKind::Utf8 => {
                    let mut offsets = Vec::with_capacity(self.capacity + 1);
                    offsets.push(0);
                    ColumnData::Utf8(TextColumn {
                        data: String::new(),
                        offsets,
                        valid: None,
                    })
                }
            })
            .collect()
    }

    fn null_in(&self, column: usize) -> StoreError {
        StoreError::Decode {
            column,
            expected: "a value (the export schema says this column is never NULL)",
            found: "NULL".into(),
        }
    }

    fn int(&mut self, column: usize, value: Option<i64>) -> Result<(), StoreError> {
        let value = value.ok_or_else(|| self.null_in(column))?;
        match &mut self.data[column] {
            ColumnData::Int64(values) => values.push(value),
            ColumnData::Utf8(_) => unreachable!("columns follow the schema"),
        }
        Ok(())
    }

    fn text(&mut self, column: usize, value: Option<&str>) -> Result<(), StoreError> {
        if value.is_none() && !self.columns[column].nullable {
            return Err(self.null_in(column));
        }
        let rows = self.rows;
        let ColumnData::Utf8(text) = &mut self.data[column] else {
            unreachable!("columns follow the schema")
        };
        let value = match value {
            Some(v) => {
                if let Some(valid) = &mut text.valid {
                    valid.push(true);
                }
                v
            }
            None => {
                // Validity is kept only once a NULL shows up: most columns have none.
                text.valid
                    .get_or_insert_with(|| vec![true; rows])
                    .push(false);
                ""
            }
        };
        text.data.push_str(value);
        let end = i32::try_from(text.data.len()).map_err(|_| StoreError::Decode {
            column,
            expected: "text under 2 GiB per batch",
            found: format!("{} bytes", text.data.len()),
        })?;
        text.offsets.push(end);
        self.text_bytes += value.len();
        Ok(())
    }

    /// Ends the current row; `true` when the batch is full.
    fn end_row(&mut self) -> bool {
        self.rows += 1;
        self.rows >= self.capacity || self.text_bytes >= MAX_BATCH_TEXT_BYTES
    }

    /// The rows so far, leaving the builder empty.
    fn take(&mut self) -> RowBatch {
        let empty = self.empty_columns();
        let columns = std::mem::replace(&mut self.data, empty);
        let rows = std::mem::take(&mut self.rows);
        self.text_bytes = 0;
        RowBatch { rows, columns }
    }
}

/// What the reading task sends: a batch, the end of the table (`Ok(None)`), or an error. The
/// explicit end tells a finished table from a reader that died (a panic drops the sender):
/// a cut-short export must never pass for a whole one.
type Message = Result<Option<RowBatch>, StoreError>;
type Sender = mpsc::Sender<Message>;

/// The batches of one export, as the database produces them. Dropping it stops the export
/// (the reading task sees the channel closed and ends, releasing its connection).
pub struct RowBatches {
    table: ExportTable,
    rx: mpsc::Receiver<Message>,
    first: Option<RowBatch>,
    ended: bool,
}

impl std::fmt::Debug for RowBatches {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RowBatches")
            .field("table", &self.table)
            .finish_non_exhaustive()
    }
}

impl RowBatches {
    /// The table being exported.
    pub fn table(&self) -> ExportTable {
        self.table
    }

    /// Waits for the database's first answer (the first batch, or the end of an empty
    /// table) and keeps it for [`Self::next`]; an error here (the statement failed to start)
    /// can still become an HTTP error status, before any byte of the body is sent.
    pub async fn started(&mut self) -> Result<(), StoreError> {
        if self.first.is_none() && !self.ended {
            let message = self.rx.recv().await;
            match self.receive(message) {
                Some(Ok(batch)) => self.first = Some(batch),
                Some(Err(e)) => return Err(e),
                None => {}
            }
        }
        Ok(())
    }

    /// The next batch, `None` at the end of the table.
    pub async fn next(&mut self) -> Option<Result<RowBatch, StoreError>> {
        if let Some(first) = self.first.take() {
            return Some(Ok(first));
        }
        if self.ended {
            return None;
        }
        let message = self.rx.recv().await;
        self.receive(message)
    }

    /// [`Self::next`] for a blocking thread (an encoder): never call it on an async task.
    pub fn blocking_next(&mut self) -> Option<Result<RowBatch, StoreError>> {
        if let Some(first) = self.first.take() {
            return Some(Ok(first));
        }
        if self.ended {
            return None;
        }
        let message = self.rx.blocking_recv();
        self.receive(message)
    }

    fn receive(&mut self, message: Option<Message>) -> Option<Result<RowBatch, StoreError>> {
        match message {
            Some(Ok(Some(batch))) => Some(Ok(batch)),
            Some(Ok(None)) => {
                self.ended = true;
                None
            }
            Some(Err(e)) => {
                self.ended = true;
                Some(Err(e))
            }
            None => {
                self.ended = true;
                Some(Err(StoreError::ExportInterrupted))
            }
        }
    }
}

impl Store {
    /// Streams the whole of `table` in batches of `batch_rows` rows (the last one shorter),
    /// in key order, from one snapshot of the database. Waits for a free export slot first
    /// (at most [`MAX_CONCURRENT_EXPORTS`] run at once). The rows are read by a task of their
    /// own as the batches are taken.
    pub async fn export(
        &self,
        table: ExportTable,
        batch_rows: usize,
    ) -> Result<RowBatches, StoreError> {
        let batch_rows = batch_rows.max(1);
        let permit = EXPORT_SLOTS
            .acquire()
            .await
            .map_err(|e| StoreError::Pool(e.to_string()))?;
        let (tx, rx) = mpsc::channel(BATCHES_IN_FLIGHT);
        match &*self.engine {
            Engine::Sqlite(engine) => {
                let engine = engine.clone();
                tokio::spawn(async move {
                    let _permit: SemaphorePermit<'static> = permit;
                    let sending = tx.clone();
                    let result = engine
                        .with_conn(move |conn| read_sqlite(conn, table, batch_rows, &sending))
                        .await;
                    if let Err(e) = result {
                        let _ = tx.send(Err(e)).await;
                    }
                });
            }
            Engine::Postgres(engine) => {
                let engine = engine.clone();
                tokio::spawn(async move {
                    let _permit: SemaphorePermit<'static> = permit;
                    if let Err(e) = read_postgres(&engine, table, batch_rows, &tx).await {
                        let _ = tx.send(Err(e)).await;
                    }
                });
            }
        }
        Ok(RowBatches {
            table,
            rx,
            first: None,
            ended: false,
        })
    }
}

/// Steps the table's statement on a blocking thread, handing over each full batch; stops
/// early, without error, when the receiver is gone.
fn read_sqlite(
    conn: &mut rusqlite::Connection,
    table: ExportTable,
    batch_rows: usize,
    tx: &Sender,
) -> Result<(), StoreError> {
    use rusqlite::types::ValueRef;
    let mut stmt = conn.prepare(table.sql())?;
    let mut rows = stmt.query([])?;
    let mut batch = BatchBuilder::new(table, batch_rows);
    let columns = table.columns();
    while let Some(row) = rows.next()? {
        for (i, column) in columns.iter().enumerate() {
            let value = row.get_ref(i)?;
            match (column.kind, value) {
                (_, ValueRef::Null) if column.kind == ColumnKind::Utf8 => batch.text(i, None)?,
                (_, ValueRef::Null) => batch.int(i, None)?,
                (ColumnKind::Int64 | ColumnKind::TimestampMsUtc, ValueRef::Integer(v)) => {
                    batch.int(i, Some(v))?
                }
                (ColumnKind::Utf8, ValueRef::Text(bytes)) => {
                    let text = std::str::from_utf8(bytes).map_err(|_| StoreError::Decode {
                        column: i,
                        expected: "UTF-8 text",
                        found: "invalid UTF-8".into(),
                    })?;
                    batch.text(i, Some(text))?
                }
                (_, other) => {
                    return Err(StoreError::Decode {
                        column: i,
                        expected: match column.kind {
                            ColumnKind::Utf8 => "text",
                            _ => "an integer",
                        },
                        found: format!("{:?}", other.data_type()),
                    });
                }
            }
        }
        if batch.end_row() && tx.blocking_send(Ok(Some(batch.take()))).is_err() {
            return Ok(());
        }
    }
    if batch.rows > 0 && tx.blocking_send(Ok(Some(batch.take()))).is_err() {
        return Ok(());
    }
    let _ = tx.blocking_send(Ok(None));
    Ok(())
}

/// Reads the table's statement as a row stream (tokio-postgres reads the socket only as fast
/// as rows are taken, so the server waits for a slow client rather than filling memory).
async fn read_postgres(
    engine: &crate::postgres::PgEngine,
    table: ExportTable,
    batch_rows: usize,
    tx: &Sender,
) -> Result<(), StoreError> {
    let client = engine.client().await?;
    let statement = client.prepare(table.sql()).await?;
    let rows = client
        .query_raw(
            &statement,
            std::iter::empty::<&(dyn tokio_postgres::types::ToSql + Sync)>(),
        )
        .await?;
    let mut rows = pin!(rows);
    let mut batch = BatchBuilder::new(table, batch_rows);
    let columns = table.columns();
    while let Some(row) = rows.next().await {
        let row = row?;
        for (i, column) in columns.iter().enumerate() {
            match column.kind {
                ColumnKind::Int64 | ColumnKind::TimestampMsUtc => batch.int(i, row.try_get(i)?)?,
                ColumnKind::Utf8 => batch.text(i, row.try_get(i)?)?,
            }
        }
        if batch.end_row() && tx.send(Ok(Some(batch.take()))).await.is_err() {
            // The reader is gone: close this connection rather than hand it back to the
            // pool, which would first drain the rest of the result set.
            drop(deadpool_postgres::Object::take(client));
            return Ok(());
        }
    }
    if batch.rows > 0 && tx.send(Ok(Some(batch.take()))).await.is_err() {
        return Ok(());
    }
    let _ = tx.send(Ok(None)).await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_names_round_trip_and_columns_are_unique() {
        for table in ExportTable::ALL {
            assert_eq!(ExportTable::from_name(table.name()), Some(table));
            let mut names: Vec<_> = table.columns().iter().map(|c| c.name).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), table.columns().len(), "{table}");
        }
        assert_eq!(ExportTable::from_name("tag-assignments"), None);
    }

    #[test]
    fn a_builder_lays_out_text_with_offsets_and_nulls_and_cuts_full_batches() {
        let mut b = BatchBuilder::new(ExportTable::Artists, 2);
        for (id, url) in [(1, Some("http://a")), (2, None)] {
            b.int(0, Some(id)).unwrap();
            b.text(1, Some("\"Weird Al\" Yankovic")).unwrap();
            b.text(2, url).unwrap();
            b.text(3, Some("")).unwrap();
            b.int(4, Some(3)).unwrap();
            b.int(5, Some(7)).unwrap();
            let full = b.end_row();
            assert_eq!(full, id == 2);
        }
        let batch = b.take();
        assert_eq!(batch.rows, 2);
        let ColumnData::Utf8(url) = &batch.columns[2] else {
            panic!("url is text")
        };
        assert_eq!(url.offsets, [0, 8, 8]);
        assert_eq!(url.valid, Some(vec![true, false]));
        assert_eq!((url.get(0), url.get(1)), (Some("http://a"), None));
        let ColumnData::Utf8(picture) = &batch.columns[3] else {
            panic!("picture_url is text")
        };
        assert_eq!((picture.valid.as_ref(), picture.get(1)), (None, Some("")));
        assert_eq!(b.take().rows, 0);
    }

    #[tokio::test]
    async fn a_reader_that_dies_without_saying_so_is_an_error_not_the_end() {
        let (tx, rx) = mpsc::channel(2);
        let mut batches = RowBatches {
            table: ExportTable::Friendships,
            rx,
            first: None,
            ended: false,
        };
        let mut builder = BatchBuilder::new(ExportTable::Friendships, 8);
        builder.int(0, Some(2)).unwrap();
        builder.int(1, Some(275)).unwrap();
        builder.end_row();
        tx.send(Ok(Some(builder.take()))).await.unwrap();
        drop(tx);
        batches.started().await.unwrap();
        assert_eq!(batches.next().await.unwrap().unwrap().rows, 1);
        assert!(matches!(
            batches.next().await,
            Some(Err(StoreError::ExportInterrupted))
        ));
        assert!(batches.next().await.is_none());
    }

    #[test]
    fn a_null_where_the_schema_forbids_it_is_an_error() {
        let mut b = BatchBuilder::new(ExportTable::Artists, 8);
        assert!(b.int(0, None).is_err());
        assert!(b.text(1, None).is_err());
    }
}
