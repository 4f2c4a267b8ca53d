//! The dataset as a whole: loading it in one atomic replacement, counting the tables, and the
//! consistency checks the import ends with.

use std::sync::Arc;

use serde::Serialize;
use soundstream_core::{Artist, Dataset, Friendship, Listen, TableCounts, Tag, TagAssignment};

use crate::{Engine, Store, StoreError};

/// Called during a bulk load with a table name and the rows written to it so far.
pub type LoadProgress = Arc<dyn Fn(&'static str, u64) + Send + Sync>;

/// Integrity facts about the stored data; all zero on a consistent database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ConsistencyChecks {
    /// Listens whose user or artist does not exist.
    pub orphan_listens: i64,
    /// Tag assignments whose user, artist or tag does not exist.
    pub orphan_tag_assignments: i64,
    /// Friendship rows whose user or friend does not exist.
    pub orphan_friendships: i64,
    /// Tag assignments without a timestamp.
    pub null_timestamps: i64,
    /// Friendship rows (a, b) with no row (b, a).
    pub asymmetric_friendships: i64,
    /// Friendship rows of a user with themself.
    pub self_friendships: i64,
}

impl ConsistencyChecks {
    /// Whether every check passed.
    pub fn all_passed(&self) -> bool {
        *self
            == ConsistencyChecks {
                orphan_listens: 0,
                orphan_tag_assignments: 0,
                orphan_friendships: 0,
                null_timestamps: 0,
                asymmetric_friendships: 0,
                self_friendships: 0,
            }
    }
}

impl Store {
    /// Replaces everything in the six tables with `dataset`, atomically: concurrent readers
    /// and a crash at any moment see either the previous content or the new one.
    pub async fn replace_dataset(
        &self,
        dataset: Arc<Dataset>,
        progress: LoadProgress,
    ) -> Result<(), StoreError> {
        match &*self.engine {
            Engine::Sqlite(e) => e.replace_dataset(dataset, progress).await,
            Engine::Postgres(e) => e.replace_dataset(dataset, progress).await,
        }?;
        self.wrote();
        Ok(())
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
            .map(|r| {
                Ok(TagAssignment {
                    user_id: r.i64(0)?,
                    artist_id: r.i64(1)?,
                    tag_id: r.i64(2)?,
                    timestamp: r.i64(3)?,
                    day: r.i64(4)?,
                    month: r.i64(5)?,
                    year: r.i64(6)?,
                })
            })
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

    /// Runs the consistency checks. Foreign keys make the orphan counts zero by construction;
    /// they are checked anyway because a database can be edited outside SoundStream.
    pub async fn consistency_checks(&self) -> Result<ConsistencyChecks, StoreError> {
        let row = self
            .query_one(
                r#"SELECT
                  (SELECT COUNT(*) FROM user_artists ua
                     WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u."userID" = ua."userID")
                        OR NOT EXISTS (SELECT 1 FROM artists a WHERE a.id = ua."artistID")),
                  (SELECT COUNT(*) FROM user_taggedartists t
                     WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u."userID" = t."userID")
                        OR NOT EXISTS (SELECT 1 FROM artists a WHERE a.id = t."artistID")
                        OR NOT EXISTS (SELECT 1 FROM tags g WHERE g."tagID" = t."tagID")),
                  (SELECT COUNT(*) FROM user_friends f
                     WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u."userID" = f."userID")
                        OR NOT EXISTS (SELECT 1 FROM users u WHERE u."userID" = f."friendID")),
                  (SELECT COUNT(*) FROM user_taggedartists WHERE "timestamp" IS NULL),
                  (SELECT COUNT(*) FROM user_friends f
                     WHERE NOT EXISTS (SELECT 1 FROM user_friends g
                                        WHERE g."userID" = f."friendID" AND g."friendID" = f."userID")),
                  (SELECT COUNT(*) FROM user_friends WHERE "userID" = "friendID")"#,
                vec![],
            )
            .await?;
        Ok(ConsistencyChecks {
            orphan_listens: row.i64(0)?,
            orphan_tag_assignments: row.i64(1)?,
            orphan_friendships: row.i64(2)?,
            null_timestamps: row.i64(3)?,
            asymmetric_friendships: row.i64(4)?,
            self_friendships: row.i64(5)?,
        })
    }
}
