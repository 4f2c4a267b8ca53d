//! Where accepted rows go: the [`Sink`] trait, the in-memory [`DatasetSink`], and the
//! batching of rows table by table before they are sent.

use soundstream_core::{Artist, Dataset, Friendship, Listen, Tag, TagAssignment};
use soundstream_store::{LOAD_BATCH_ROWS, LoadBatch};

use crate::ImportError;

/// Where accepted rows go.
pub(crate) trait Sink {
    /// Takes a batch of one table's rows; fails when the receiver stopped taking them.
    fn write(&mut self, batch: LoadBatch) -> Result<(), Stopped>;
}

/// The sink stopped taking rows (the database failed; its error says why).
#[derive(Debug)]
pub(crate) struct Stopped;

/// Why streaming the dataset stopped.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The files could not be read.
    Import(ImportError),
    /// The sink stopped.
    Stopped,
}

impl From<ImportError> for Failure {
    fn from(e: ImportError) -> Self {
        Failure::Import(e)
    }
}

impl From<Stopped> for Failure {
    fn from(_: Stopped) -> Self {
        Failure::Stopped
    }
}

/// A [`Sink`] that keeps every row: the whole dataset in memory, for callers that want it.
#[derive(Default)]
pub(crate) struct DatasetSink(pub Dataset);

impl Sink for DatasetSink {
    fn write(&mut self, batch: LoadBatch) -> Result<(), Stopped> {
        let ds = &mut self.0;
        match batch {
            LoadBatch::Artists(rows) => ds.artists.extend(rows),
            LoadBatch::Users(rows) => ds.users.extend(rows),
            LoadBatch::Tags(rows) => ds.tags.extend(rows),
            LoadBatch::Listens(rows) => ds.listens.extend(rows),
            LoadBatch::TagAssignments(rows) => ds.tag_assignments.extend(rows),
            LoadBatch::Friendships(rows) => ds.friendships.extend(rows),
        }
        Ok(())
    }
}

impl DatasetSink {
    /// The dataset, every table sorted by its key.
    pub fn into_sorted(self) -> Dataset {
        let mut ds = self.0;
        ds.artists.sort_unstable_by_key(|a| a.id);
        ds.users.sort_unstable();
        ds.tags.sort_unstable_by_key(|t| t.id);
        ds.listens
            .sort_unstable_by_key(|l| (l.user_id, l.artist_id));
        (ds.tag_assignments).sort_unstable_by_key(|a| (a.user_id, a.artist_id, a.tag_id));
        ds.friendships.sort_unstable();
        ds
    }
}

/// A row type of one table, collected into that table's batches.
pub(super) trait TableRow: Sized {
    fn rows(batch: &mut LoadBatch) -> Option<&mut Vec<Self>>;
    fn batch(rows: Vec<Self>) -> LoadBatch;
}

macro_rules! table_row {
    ($row:ty, $variant:ident) => {
        impl TableRow for $row {
            fn rows(batch: &mut LoadBatch) -> Option<&mut Vec<Self>> {
                match batch {
                    LoadBatch::$variant(rows) => Some(rows),
                    _ => None,
                }
            }
            fn batch(rows: Vec<Self>) -> LoadBatch {
                LoadBatch::$variant(rows)
            }
        }
    };
}
table_row!(Artist, Artists);
table_row!(i64, Users);
table_row!(Tag, Tags);
table_row!(Listen, Listens);
table_row!(TagAssignment, TagAssignments);
table_row!(Friendship, Friendships);

/// Rows collected into batches of one table, sent when full or when another table begins.
pub(super) struct Batches<'s> {
    sink: &'s mut dyn Sink,
    batch: Option<LoadBatch>,
}

impl<'s> Batches<'s> {
    /// No batch begun yet.
    pub(super) fn new(sink: &'s mut dyn Sink) -> Self {
        Batches { sink, batch: None }
    }

    /// Adds a row to the current batch, sending that batch first when it holds another
    /// table's rows, and after when it is full.
    pub(super) fn push<R: TableRow>(&mut self, row: R) -> Result<(), Stopped> {
        if let Some(rows) = self.batch.as_mut().and_then(R::rows) {
            rows.push(row);
            if rows.len() >= LOAD_BATCH_ROWS {
                self.flush()?;
            }
            return Ok(());
        }
        self.flush()?;
        let mut rows = Vec::with_capacity(LOAD_BATCH_ROWS);
        rows.push(row);
        self.batch = Some(R::batch(rows));
        Ok(())
    }

    /// Sends the current batch, if any.
    pub(super) fn flush(&mut self) -> Result<(), Stopped> {
        match self.batch.take() {
            Some(batch) => self.sink.write(batch),
            None => Ok(()),
        }
    }
}
