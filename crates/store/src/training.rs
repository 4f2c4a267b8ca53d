//! What the recommender trains from, read lean: ids, plays and names only (no URLs, no tag
//! timestamps), in keyset-paged chunks so that no query result ever holds more than
//! [`CHUNK`] rows. `load_dataset` reads every column of every table in one result per table;
//! at 100x (8.8 M listens, 16.8 M tag assignments) its intermediate rows alone would take
//! gigabytes.

use crate::{Store, StoreError, Value};

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
        let mut out = TrainingRows::default();
        let mut after = i64::MIN;
        loop {
            let rows = self
                .query(
                    r#"SELECT "userID" FROM users WHERE "userID" > $1 ORDER BY "userID" LIMIT $2"#,
                    vec![Value::Int(after), Value::Int(CHUNK)],
                )
                .await?;
            for r in &rows {
                out.users.push(r.i64(0)?);
            }
            progress("users", out.users.len());
            match out.users.last() {
                Some(&last) if rows.len() as i64 == CHUNK => after = last,
                _ => break,
            }
        }
        let mut after = i64::MIN;
        loop {
            let rows = self
                .query(
                    "SELECT id, name FROM artists WHERE id > $1 ORDER BY id LIMIT $2",
                    vec![Value::Int(after), Value::Int(CHUNK)],
                )
                .await?;
            for r in &rows {
                out.artists.push((r.i64(0)?, r.string(1)?));
            }
            progress("artists", out.artists.len());
            match out.artists.last() {
                Some(last) if rows.len() as i64 == CHUNK => after = last.0,
                _ => break,
            }
        }
        let mut after = i64::MIN;
        loop {
            let rows = self
                .query(
                    r#"SELECT "tagID", "tagValue" FROM tags WHERE "tagID" > $1 ORDER BY "tagID" LIMIT $2"#,
                    vec![Value::Int(after), Value::Int(CHUNK)],
                )
                .await?;
            for r in &rows {
                out.tags.push((r.i64(0)?, r.string(1)?));
            }
            progress("tags", out.tags.len());
            match out.tags.last() {
                Some(last) if rows.len() as i64 == CHUNK => after = last.0,
                _ => break,
            }
        }
        let mut after = (i64::MIN, i64::MIN);
        loop {
            let rows = self
                .query(
                    r#"SELECT "userID", "artistID", weight FROM user_artists
                       WHERE ("userID", "artistID") > ($1, $2)
                       ORDER BY "userID", "artistID" LIMIT $3"#,
                    vec![Value::Int(after.0), Value::Int(after.1), Value::Int(CHUNK)],
                )
                .await?;
            for r in &rows {
                out.listens.push((r.i64(0)?, r.i64(1)?, r.i64(2)?));
            }
            progress("listens", out.listens.len());
            match out.listens.last() {
                Some(last) if rows.len() as i64 == CHUNK => after = (last.0, last.1),
                _ => break,
            }
        }
        let mut after = (i64::MIN, i64::MIN);
        loop {
            let rows = self
                .query(
                    r#"SELECT "userID", "friendID" FROM user_friends
                       WHERE ("userID", "friendID") > ($1, $2)
                       ORDER BY "userID", "friendID" LIMIT $3"#,
                    vec![Value::Int(after.0), Value::Int(after.1), Value::Int(CHUNK)],
                )
                .await?;
            for r in &rows {
                out.friendships.push((r.i64(0)?, r.i64(1)?));
            }
            progress("friendships", out.friendships.len());
            match out.friendships.last() {
                Some(&last) if rows.len() as i64 == CHUNK => after = last,
                _ => break,
            }
        }
        let mut after = (i64::MIN, i64::MIN, i64::MIN);
        loop {
            let rows = self
                .query(
                    r#"SELECT "userID", "artistID", "tagID" FROM user_taggedartists
                       WHERE ("userID", "artistID", "tagID") > ($1, $2, $3)
                       ORDER BY "userID", "artistID", "tagID" LIMIT $4"#,
                    vec![
                        Value::Int(after.0),
                        Value::Int(after.1),
                        Value::Int(after.2),
                        Value::Int(CHUNK),
                    ],
                )
                .await?;
            for r in &rows {
                out.tag_assignments.push((r.i64(0)?, r.i64(1)?, r.i64(2)?));
            }
            progress("tag_assignments", out.tag_assignments.len());
            match out.tag_assignments.last() {
                Some(&last) if rows.len() as i64 == CHUNK => after = last,
                _ => break,
            }
        }
        Ok(out)
    }
}
