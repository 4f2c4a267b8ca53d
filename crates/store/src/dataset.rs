//! The dataset as a whole: loading it in one atomic replacement (whole, or streamed in
//! batches as an importer reads its files), counting the tables, and the consistency checks
//! the import ends with (in `checks`).

mod checks;

use std::sync::Arc;

use rustc_hash::FxHashSet as HashSet;
use soundstream_core::{Artist, Dataset, Friendship, Listen, TableCounts, Tag, TagAssignment};
use tokio::sync::mpsc;

pub use self::checks::ConsistencyChecks;
use crate::{Engine, Store, StoreError};

/// Called during a bulk load with a table name and the rows written to it so far. After the
/// last row, `("indexes", 0)` says the load is building indexes and checking references.
pub type LoadProgress = Arc<dyn Fn(&'static str, u64) + Send + Sync>;

/// Rows of one table, one batch of a streamed load ([`Store::replace_dataset_streamed`]).
///
/// Batches may come in any order of tables, children before parents: references are checked
/// once, when the load commits. Each table is written fastest when its batches come together.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadBatch {
    /// Rows of `artists`.
    Artists(Vec<Artist>),
    /// Rows of `users`: their ids.
    Users(Vec<i64>),
    /// Rows of `tags`.
    Tags(Vec<Tag>),
    /// Rows of `user_artists`.
    Listens(Vec<Listen>),
    /// Rows of `user_taggedartists`.
    TagAssignments(Vec<TagAssignment>),
    /// Rows of `user_friends`.
    Friendships(Vec<Friendship>),
}

impl LoadBatch {
    /// The table the rows go to.
    pub fn table(&self) -> &'static str {
        match self {
            LoadBatch::Artists(_) => "artists",
            LoadBatch::Users(_) => "users",
            LoadBatch::Tags(_) => "tags",
            LoadBatch::Listens(_) => "user_artists",
            LoadBatch::TagAssignments(_) => "user_taggedartists",
            LoadBatch::Friendships(_) => "user_friends",
        }
    }

    /// How many rows the batch holds.
    pub fn len(&self) -> usize {
        match self {
            LoadBatch::Artists(rows) => rows.len(),
            LoadBatch::Users(rows) => rows.len(),
            LoadBatch::Tags(rows) => rows.len(),
            LoadBatch::Listens(rows) => rows.len(),
            LoadBatch::TagAssignments(rows) => rows.len(),
            LoadBatch::Friendships(rows) => rows.len(),
        }
    }

    /// Whether the batch holds no row.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What travels from a [`LoadSender`] to the database.
#[derive(Debug)]
pub(crate) enum LoadMessage {
    Rows(LoadBatch),
    /// Every row was sent: make them the content of the database.
    Commit,
}

/// Batches queued between the reader of the rows and the database: enough that neither waits
/// for the other at every batch, few enough that memory stays a few MB.
const LOAD_QUEUE: usize = 8;

/// Rows per batch when a whole [`Dataset`] is loaded: what [`LoadSender`]s are expected to
/// send too (one progress report and one queue slot per batch).
pub const LOAD_BATCH_ROWS: usize = 8192;

/// A channel for a streamed load: rows go into the [`LoadSender`], and
/// [`Store::replace_dataset_streamed`] writes what comes out of the [`LoadReceiver`].
pub fn load_channel() -> (LoadSender, LoadReceiver) {
    let (tx, rx) = mpsc::channel(LOAD_QUEUE);
    (LoadSender(tx), LoadReceiver(rx))
}

/// The sending half of a streamed load. Rows are written as they come; nothing is visible
/// before [`LoadSender::commit`], and dropping the sender without it rolls everything back.
#[derive(Debug)]
pub struct LoadSender(mpsc::Sender<LoadMessage>);

/// The load stopped taking rows: the database refused them or failed, and
/// [`Store::replace_dataset_streamed`] returns why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the database load stopped; its own error says why")]
pub struct LoadStopped;

impl LoadSender {
    /// Queues a batch, waiting while the queue is full.
    pub async fn send(&self, batch: LoadBatch) -> Result<(), LoadStopped> {
        self.0
            .send(LoadMessage::Rows(batch))
            .await
            .map_err(|_| LoadStopped)
    }

    /// Queues a batch from a thread outside the async runtime (a `spawn_blocking` reader),
    /// blocking while the queue is full.
    pub fn blocking_send(&self, batch: LoadBatch) -> Result<(), LoadStopped> {
        self.0
            .blocking_send(LoadMessage::Rows(batch))
            .map_err(|_| LoadStopped)
    }

    /// Ends the load: once every queued batch is written, the new rows replace the old.
    pub async fn commit(self) -> Result<(), LoadStopped> {
        self.0
            .send(LoadMessage::Commit)
            .await
            .map_err(|_| LoadStopped)
    }

    /// [`LoadSender::commit`] from a thread outside the async runtime.
    pub fn blocking_commit(self) -> Result<(), LoadStopped> {
        self.0
            .blocking_send(LoadMessage::Commit)
            .map_err(|_| LoadStopped)
    }
}

/// The receiving half of a streamed load, for [`Store::replace_dataset_streamed`].
#[derive(Debug)]
pub struct LoadReceiver(pub(crate) mpsc::Receiver<LoadMessage>);

/// Rows written so far, per table, for the progress callback.
#[derive(Default)]
pub(crate) struct Written(std::collections::HashMap<&'static str, u64>);

impl Written {
    pub(crate) fn add(&mut self, batch: &LoadBatch, progress: &LoadProgress) {
        let table = batch.table();
        let n = self.0.entry(table).or_default();
        *n += batch.len() as u64;
        progress(table, *n);
    }
}

/// The foreign keys of the six tables, checked in memory as a load's rows go by: the ids of
/// the artists, users and tags loaded, and of those the other rows name. A few MB at 100x,
/// where asking the database for each reference costs a B-tree lookup per row.
#[derive(Default)]
pub(crate) struct References {
    loaded: [HashSet<i64>; 3],
    named: [HashSet<i64>; 3],
}

const ARTISTS: usize = 0;
const USERS: usize = 1;
const TAGS: usize = 2;

impl References {
    pub(crate) fn add(&mut self, batch: &LoadBatch) {
        let [artists, users, tags] = &mut self.named;
        match batch {
            LoadBatch::Artists(rows) => self.loaded[ARTISTS].extend(rows.iter().map(|a| a.id)),
            LoadBatch::Users(rows) => self.loaded[USERS].extend(rows),
            LoadBatch::Tags(rows) => self.loaded[TAGS].extend(rows.iter().map(|t| t.id)),
            LoadBatch::Listens(rows) => {
                for l in rows {
                    users.insert(l.user_id);
                    artists.insert(l.artist_id);
                }
            }
            LoadBatch::TagAssignments(rows) => {
                for t in rows {
                    users.insert(t.user_id);
                    artists.insert(t.artist_id);
                    tags.insert(t.tag_id);
                }
            }
            LoadBatch::Friendships(rows) => {
                for f in rows {
                    users.insert(f.user_id);
                    users.insert(f.friend_id);
                }
            }
        }
    }

    /// Fails when a row names an artist, user or tag the load does not hold.
    pub(crate) fn check(&self) -> Result<(), StoreError> {
        let mut missing = Vec::new();
        for (i, what) in ["artist", "user", "tag"].into_iter().enumerate() {
            let mut ids: Vec<i64> = self.named[i].difference(&self.loaded[i]).copied().collect();
            ids.sort_unstable();
            if let Some(first) = ids.first() {
                missing.push(format!("{} {what}s, e.g. {what} {first}", ids.len()));
            }
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(StoreError::ForeignKeyViolation {
                key: None,
                detail: format!(
                    "rows of the dataset name {} that it does not hold",
                    missing.join(", ")
                ),
            })
        }
    }
}

/// How a streamed load ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadOutcome {
    /// The sender committed: the database holds the rows sent, and only them.
    Committed,
    /// The sender was dropped before committing: the database holds what it held before.
    Abandoned,
}

impl Store {
    /// Replaces everything in the six tables with `dataset`, atomically: concurrent readers
    /// and a crash at any moment see either the previous content or the new one.
    pub async fn replace_dataset(
        &self,
        dataset: Arc<Dataset>,
        progress: LoadProgress,
    ) -> Result<(), StoreError> {
        let (sender, receiver) = load_channel();
        // One load path for both entry points: the dataset is fed through the channel.
        let feed = async move {
            let ds = &*dataset;
            let batches = (ds.artists.chunks(LOAD_BATCH_ROWS))
                .map(|c| LoadBatch::Artists(c.to_vec()))
                .chain(
                    ds.users
                        .chunks(LOAD_BATCH_ROWS)
                        .map(|c| LoadBatch::Users(c.to_vec())),
                )
                .chain(
                    ds.tags
                        .chunks(LOAD_BATCH_ROWS)
                        .map(|c| LoadBatch::Tags(c.to_vec())),
                )
                .chain((ds.listens.chunks(LOAD_BATCH_ROWS)).map(|c| LoadBatch::Listens(c.to_vec())))
                .chain(
                    (ds.tag_assignments.chunks(LOAD_BATCH_ROWS))
                        .map(|c| LoadBatch::TagAssignments(c.to_vec())),
                )
                .chain(
                    (ds.friendships.chunks(LOAD_BATCH_ROWS))
                        .map(|c| LoadBatch::Friendships(c.to_vec())),
                );
            for batch in batches {
                if sender.send(batch).await.is_err() {
                    // The writer failed; its error is the load's result.
                    return;
                }
            }
            let _ = sender.commit().await;
        };
        let ((), outcome) = tokio::join!(feed, self.replace_dataset_streamed(receiver, progress));
        match outcome? {
            LoadOutcome::Committed => Ok(()),
            // The feed commits unless the writer stopped, and a stopped writer returns an error.
            LoadOutcome::Abandoned => unreachable!("a whole dataset's load is always committed"),
        }
    }

    /// Replaces everything in the six tables with the rows that come out of `rows`, as they
    /// come, atomically: nothing is visible before the sender commits; if it is dropped
    /// before, or the database refuses a row, or the process dies, the previous content stays
    /// whole. Memory stays bounded whatever the size of the dataset.
    pub async fn replace_dataset_streamed(
        &self,
        rows: LoadReceiver,
        progress: LoadProgress,
    ) -> Result<LoadOutcome, StoreError> {
        let outcome = match &*self.engine {
            Engine::Sqlite(e) => e.replace_dataset_streamed(rows, progress).await,
            Engine::Postgres(e) => e.replace_dataset_streamed(rows, progress).await,
        }?;
        if outcome == LoadOutcome::Committed {
            self.wrote();
        }
        Ok(outcome)
    }

    /// Every tag, by id.
    pub(crate) async fn all_tags(&self) -> Result<Vec<Tag>, StoreError> {
        self.query(
            r#"SELECT "tagID", "tagValue" FROM tags ORDER BY "tagID""#,
            vec![],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(Tag {
                id: r.i64(0)?,
                value: r.string(1)?,
            })
        })
        .collect()
    }

    /// Every listen, by user then artist.
    pub(crate) async fn all_listens(&self) -> Result<Vec<Listen>, StoreError> {
        self.query(
            r#"SELECT "userID", "artistID", weight FROM user_artists ORDER BY "userID", "artistID""#,
            vec![],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(Listen {
                user_id: r.i64(0)?,
                artist_id: r.i64(1)?,
                weight: r.i64(2)?,
            })
        })
        .collect()
    }

    /// Reads the six tables whole, each sorted by its key: what models are trained from.
    pub async fn load_dataset(&self) -> Result<Dataset, StoreError> {
        let artists = self
            .query(
                r#"SELECT id, name, url, "pictureURL" FROM artists ORDER BY id"#,
                vec![],
            )
            .await?
            .iter()
            .map(|r| {
                Ok(Artist {
                    id: r.i64(0)?,
                    name: r.string(1)?,
                    url: r.opt_string(2)?,
                    picture_url: r.opt_string(3)?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        let users = self
            .query(r#"SELECT "userID" FROM users ORDER BY "userID""#, vec![])
            .await?
            .iter()
            .map(|r| r.i64(0))
            .collect::<Result<_, _>>()?;
        let tags = self.all_tags().await?;
        let listens = self.all_listens().await?;
        let tag_assignments = self
            .query(
                r#"SELECT "userID", "artistID", "tagID", "timestamp", day, month, year
                   FROM user_taggedartists ORDER BY "userID", "artistID", "tagID""#,
                vec![],
            )
            .await?
            .iter()
            .map(crate::tags::tag_assignment)
            .collect::<Result<_, StoreError>>()?;
        let friendships = self
            .query(
                r#"SELECT "userID", "friendID" FROM user_friends ORDER BY "userID", "friendID""#,
                vec![],
            )
            .await?
            .iter()
            .map(|r| {
                Ok(Friendship {
                    user_id: r.i64(0)?,
                    friend_id: r.i64(1)?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(Dataset {
            artists,
            users,
            tags,
            listens,
            tag_assignments,
            friendships,
        })
    }

    /// Row counts of the six tables.
    pub async fn counts(&self) -> Result<TableCounts, StoreError> {
        let row = self
            .query_one(
                "SELECT (SELECT COUNT(*) FROM artists), (SELECT COUNT(*) FROM users),
                        (SELECT COUNT(*) FROM tags), (SELECT COUNT(*) FROM user_artists),
                        (SELECT COUNT(*) FROM user_taggedartists), (SELECT COUNT(*) FROM user_friends)",
                vec![],
            )
            .await?;
        Ok(TableCounts {
            artists: row.i64(0)?,
            users: row.i64(1)?,
            tags: row.i64(2)?,
            user_artists: row.i64(3)?,
            user_taggedartists: row.i64(4)?,
            user_friends: row.i64(5)?,
        })
    }

    /// Whether the catalogue holds no artist yet (a fresh database).
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self
            .query_opt("SELECT 1 FROM artists LIMIT 1", vec![])
            .await?
            .is_none())
    }
}
