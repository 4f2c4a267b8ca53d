//! What the recommender trains from, read lean: ids, plays and names only (no URLs, no tag
//! timestamps), in keyset-paged chunks so that no query result ever holds more than
//! [`CHUNK`] rows. `load_dataset` reads every column of every table in one result per table;
//! at 100x (8.8 M listens, 16.8 M tag assignments) its intermediate rows alone would take
//! gigabytes.

use crate::{Row, Store, StoreError, Value};

/// Rows per query.
const CHUNK: i64 = 100_000;

/// The rows a recommender learns from, each table sorted by its key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrainingRows {
    /// Every user id.
    pub users: Vec<i64>,
    /// Every artist: id and name.
    pub artists: Vec<(i64, String)>,
    /// Every tag: id and value.
    pub tags: Vec<(i64, String)>,
    /// `(user, artist, plays)`.
    pub listens: Vec<(i64, i64, i64)>,
    /// `(user, friend)`.
    pub friendships: Vec<(i64, i64)>,
    /// `(user, artist, tag)`.
    pub tag_assignments: Vec<(i64, i64, i64)>,
}

impl Store {
    /// Reads the training rows; `progress(table, rows so far)` is called after each chunk.
    pub async fn training_rows(
        &self,
        progress: &(dyn Fn(&'static str, usize) + Send + Sync),
    ) -> Result<TrainingRows, StoreError> {
        Ok(TrainingRows {
            users: self
                .read_chunked(
                    ("users", progress),
                    r#"SELECT "userID" FROM users WHERE "userID" > $1 ORDER BY "userID" LIMIT $2"#,
                    |r| r.i64(0),
                    |&u| vec![u],
                )
                .await?,
            artists: self
                .read_chunked(
                    ("artists", progress),
                    "SELECT id, name FROM artists WHERE id > $1 ORDER BY id LIMIT $2",
                    |r| Ok((r.i64(0)?, r.string(1)?)),
                    |a| vec![a.0],
                )
                .await?,
            tags: self
                .read_chunked(
                    ("tags", progress),
                    r#"SELECT "tagID", "tagValue" FROM tags WHERE "tagID" > $1 ORDER BY "tagID" LIMIT $2"#,
                    |r| Ok((r.i64(0)?, r.string(1)?)),
                    |t| vec![t.0],
                )
                .await?,
            listens: self
                .read_chunked(
                    ("listens", progress),
                    r#"SELECT "userID", "artistID", weight FROM user_artists
                       WHERE ("userID", "artistID") > ($1, $2)
                       ORDER BY "userID", "artistID" LIMIT $3"#,
                    |r| Ok((r.i64(0)?, r.i64(1)?, r.i64(2)?)),
                    |l| vec![l.0, l.1],
                )
                .await?,
            friendships: self
                .read_chunked(
                    ("friendships", progress),
                    r#"SELECT "userID", "friendID" FROM user_friends
                       WHERE ("userID", "friendID") > ($1, $2)
                       ORDER BY "userID", "friendID" LIMIT $3"#,
                    |r| Ok((r.i64(0)?, r.i64(1)?)),
                    |f| vec![f.0, f.1],
                )
                .await?,
            tag_assignments: self
                .read_chunked(
                    ("tag_assignments", progress),
                    r#"SELECT "userID", "artistID", "tagID" FROM user_taggedartists
                       WHERE ("userID", "artistID", "tagID") > ($1, $2, $3)
                       ORDER BY "userID", "artistID", "tagID" LIMIT $4"#,
                    |r| Ok((r.i64(0)?, r.i64(1)?, r.i64(2)?)),
                    |t| vec![t.0, t.1, t.2],
                )
                .await?,
        })
    }

    /// Every row of a keyset-paged query, [`CHUNK`] rows a query: `sql` takes the key of the
    /// last row read (`$1`..`$k`, starting below every key) and the chunk size (`$k+1`);
    /// `key` gives a decoded row's key. `progress` is told the rows read after each chunk.
    async fn read_chunked<T>(
        &self,
        (table, progress): (&'static str, &(dyn Fn(&'static str, usize) + Send + Sync)),
        sql: &str,
        decode: impl Fn(&Row) -> Result<T, StoreError>,
        key: impl Fn(&T) -> Vec<i64>,
    ) -> Result<Vec<T>, StoreError> {
        let mut out: Vec<T> = Vec::new();
        // Below every key to start with, one value per placeholder but the chunk size's.
        let mut after = vec![i64::MIN; sql.matches('$').count() - 1];
        loop {
            let mut params: Vec<Value> = after.iter().map(|&k| Value::Int(k)).collect();
            params.push(Value::Int(CHUNK));
            let rows = self.query(sql, params).await?;
            for r in &rows {
                out.push(decode(r)?);
            }
            progress(table, out.len());
            match out.last() {
                Some(last) if rows.len() as i64 == CHUNK => after = key(last),
                _ => break,
            }
        }
        Ok(out)
    }
}
