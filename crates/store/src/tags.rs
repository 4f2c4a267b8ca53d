//! Queries and writes of the tags area: a tag with its usage, creating (idempotently on the
//! case-folded value), renaming and deleting tags, and the tag assignments themselves, listed
//! through the table's indexes, created and deleted.

use soundstream_core::change::{AssignmentKey, Change};
use soundstream_core::views::tags::{TagAssignmentView, TagDetail};
use soundstream_core::{Tag, TagAssignment};

use crate::decode::{Cells, FromRow};
use crate::users::missing;
use crate::{Committed, ForeignKey, Row, RowKey, Store, StoreError, Tx, Value, args};

/// Which tag assignments to list; every criterion given must hold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TagAssignmentFilter {
    /// Only assignments by this user (walks the primary key).
    pub user_id: Option<i64>,
    /// Only assignments to this artist (the by-artist index).
    pub artist_id: Option<i64>,
    /// Only assignments of this tag (the by-tag index).
    pub tag_id: Option<i64>,
    /// Only assignments at or after this timestamp (ms; the by-time index).
    pub from_ms: Option<i64>,
    /// Only assignments strictly before this timestamp (ms).
    pub until_ms: Option<i64>,
}

/// Who applied a tag and when, over all its assignments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagActivity {
    /// Tag id.
    pub tag_id: i64,
    /// Number of distinct users who applied the tag.
    pub users: i64,
    /// Timestamp (ms) of the earliest assignment.
    pub first_used: i64,
    /// Timestamp (ms) of the latest assignment.
    pub last_used: i64,
}

/// What renaming a tag did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagRename {
    /// The tag now has the new value.
    Renamed,
    /// There is no tag with this id.
    NotFound,
    /// Another tag already has this value (compared case-insensitively): this one.
    Taken(Tag),
}

fn tag_of(r: &Row) -> Result<Tag, StoreError> {
    Ok(Tag {
        id: r.i64(0)?,
        value: r.string(1)?,
    })
}

/// A tag assignment, from a row of user, artist, tag, timestamp, day, month and year.
pub(crate) fn tag_assignment(r: &Row) -> Result<TagAssignment, StoreError> {
    Ok(TagAssignment {
        user_id: r.i64(0)?,
        artist_id: r.i64(1)?,
        tag_id: r.i64(2)?,
        timestamp: r.i64(3)?,
        day: r.i64(4)?,
        month: r.i64(5)?,
        year: r.i64(6)?,
    })
}

/// From the columns `"userID", "artistID", "tagID", "timestamp", day, month, year`, in order.
impl FromRow for TagAssignmentView {
    fn from_row(r: &impl Cells) -> Result<Self, StoreError> {
        Ok(TagAssignmentView {
            user_id: r.int(0)?,
            artist_id: r.int(1)?,
            tag_id: r.int(2)?,
            timestamp: r.int(3)?,
            day: r.int(4)?,
            month: r.int(5)?,
            year: r.int(6)?,
        })
    }
}

impl Store {
    /// Whether a tag with this id exists.
    pub async fn tag_exists(&self, id: i64) -> Result<bool, StoreError> {
        Ok(self
            .query_opt(r#"SELECT 1 FROM tags WHERE "tagID" = $1"#, args![id])
            .await?
            .is_some())
    }

    /// One tag with its usage and first and last use, or `None`. One pass over the tag's
    /// assignments through the by-tag index.
    pub async fn tag(&self, id: i64) -> Result<Option<TagDetail>, StoreError> {
        let Some(r) = self
            .query_opt(
                r#"SELECT t."tagID", t."tagValue", COUNT(ta."tagID"),
                          COUNT(DISTINCT ta."artistID"), COUNT(DISTINCT ta."userID"),
                          MIN(ta."timestamp"), MAX(ta."timestamp")
                   FROM tags t LEFT JOIN user_taggedartists ta ON ta."tagID" = t."tagID"
                   WHERE t."tagID" = $1
                   GROUP BY t."tagID", t."tagValue""#,
                args![id],
            )
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(TagDetail {
            id: r.i64(0)?,
            value: r.string(1)?,
            usage: r.i64(2)?,
            artists: r.i64(3)?,
            users: r.i64(4)?,
            first_used: r.opt_i64(5)?,
            last_used: r.opt_i64(6)?,
        }))
    }

    /// The tag whose value equals `value` case-insensitively (the lowest id if several do),
    /// or `None`.
    pub async fn tag_with_value(&self, value: &str) -> Result<Option<Tag>, StoreError> {
        self.query_opt(
            r#"SELECT "tagID", "tagValue" FROM tags WHERE ss_fold("tagValue") = ss_fold($1)
               ORDER BY "tagID" LIMIT 1"#,
            args![value],
        )
        .await?
        .as_ref()
        .map(tag_of)
        .transpose()
    }

    /// For every tag applied at least once: how many distinct users applied it, and its first
    /// and last use. One scan of the tag assignments, meant to be cached.
    pub async fn tag_activity(&self) -> Result<Vec<TagActivity>, StoreError> {
        self.query(
            r#"SELECT "tagID", COUNT(DISTINCT "userID"), MIN("timestamp"), MAX("timestamp")
               FROM user_taggedartists
               GROUP BY "tagID""#,
            vec![],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(TagActivity {
                tag_id: r.i64(0)?,
                users: r.i64(1)?,
                first_used: r.i64(2)?,
                last_used: r.i64(3)?,
            })
        })
        .collect()
    }

    /// The tag with this value, creating it with the next free id unless a tag with the same
    /// value, compared case-insensitively, exists. `true` when it was created. Writes are
    /// serialised, so neither the id nor the value can be taken by another write meanwhile.
    pub async fn create_tag(&self, value: &str) -> Result<Committed<(Tag, bool)>, StoreError> {
        let value = value.to_owned();
        self.write(move |tx| {
            if let Some(row) = tx
                .query(
                    r#"SELECT "tagID", "tagValue" FROM tags WHERE ss_fold("tagValue") = ss_fold($1)
                       ORDER BY "tagID" LIMIT 1"#,
                    args![value.as_str()],
                )?
                .first()
            {
                return Ok(((tag_of(row)?, false), vec![]));
            }
            let rows = tx.query(
                r#"INSERT INTO tags ("tagID", "tagValue")
                   SELECT COALESCE(MAX("tagID"), 0) + 1, $1 FROM tags
                   RETURNING "tagID""#,
                args![value.as_str()],
            )?;
            let tag = Tag {
                id: rows.first().ok_or(StoreError::NoRow)?.i64(0)?,
                value,
            };
            Ok(((tag.clone(), true), vec![Change::TagPut { tag }]))
        })
        .await
    }

    /// Gives a tag a new value, unless another tag has it (compared case-insensitively).
    pub async fn rename_tag(
        &self,
        id: i64,
        value: &str,
    ) -> Result<Committed<TagRename>, StoreError> {
        let value = value.to_owned();
        self.write(move |tx| {
            if tx
                .query(r#"SELECT 1 FROM tags WHERE "tagID" = $1"#, args![id])?
                .is_empty()
            {
                return Ok((TagRename::NotFound, vec![]));
            }
            if let Some(row) = tx
                .query(
                    r#"SELECT "tagID", "tagValue" FROM tags
                       WHERE "tagID" <> $1 AND ss_fold("tagValue") = ss_fold($2)
                       ORDER BY "tagID" LIMIT 1"#,
                    args![id, value.as_str()],
                )?
                .first()
            {
                return Ok((TagRename::Taken(tag_of(row)?), vec![]));
            }
            tx.execute(
                r#"UPDATE tags SET "tagValue" = $2 WHERE "tagID" = $1"#,
                args![id, value.as_str()],
            )?;
            let tag = Tag { id, value };
            Ok((TagRename::Renamed, vec![Change::TagPut { tag }]))
        })
        .await
    }

    /// Deletes a tag with all its assignments; `false` when there is none.
    pub async fn delete_tag(&self, id: i64) -> Result<Committed<bool>, StoreError> {
        self.write(move |tx| {
            let assignments = assignments_where(tx, r#""tagID""#, id)?;
            if tx.execute(r#"DELETE FROM tags WHERE "tagID" = $1"#, args![id])? == 0 {
                return Ok((false, vec![]));
            }
            Ok((true, vec![Change::TagDeleted { id, assignments }]))
        })
        .await
    }

    /// Up to `limit` tag assignments matching `filter`, by timestamp, then user, artist and
    /// tag: after the assignment keyed `after` (`[timestamp, user, artist, tag]`) when given,
    /// else after skipping `skip`. Each filter and the keyset condition is served by an index
    /// (the primary key's user prefix, by artist, by tag and time, by time), so a page costs
    /// the same at any depth when reached with `after`.
    pub async fn tag_assignments(
        &self,
        filter: &TagAssignmentFilter,
        after: Option<[i64; 4]>,
        skip: i64,
        limit: i64,
    ) -> Result<Vec<TagAssignmentView>, StoreError> {
        let (filter_sql, mut params) = filter_sql(filter, after);
        let n = params.len();
        params.push(limit.into());
        params.push(skip.into());
        self.query_as(
            &format!(
                r#"SELECT "userID", "artistID", "tagID", "timestamp", day, month, year
                   FROM user_taggedartists {filter_sql}
                   ORDER BY "timestamp", "userID", "artistID", "tagID"
                   LIMIT ${} OFFSET ${}"#,
                n + 1,
                n + 2
            ),
            params,
        )
        .await
    }

    /// How many tag assignments match `filter` (for the filters the read model cannot
    /// count: an index range, not a table scan).
    pub async fn count_tag_assignments(
        &self,
        filter: &TagAssignmentFilter,
    ) -> Result<i64, StoreError> {
        let (filter_sql, params) = filter_sql(filter, None);
        self.query_one(
            &format!("SELECT COUNT(*) FROM user_taggedartists {filter_sql}"),
            params,
        )
        .await?
        .i64(0)
    }

    /// The first and last time a tag was applied (timestamps), or `None` when it never was.
    pub async fn tag_span(&self, tag_id: i64) -> Result<Option<(i64, i64)>, StoreError> {
        // Two ends of one index range ("tagID", "timestamp"), not a scan of the tag's rows.
        let row = self
            .query_one(
                r#"SELECT (SELECT "timestamp" FROM user_taggedartists WHERE "tagID" = $1
                           ORDER BY "timestamp" LIMIT 1),
                          (SELECT "timestamp" FROM user_taggedartists WHERE "tagID" = $1
                           ORDER BY "timestamp" DESC LIMIT 1)"#,
                args![tag_id],
            )
            .await?;
        Ok(match (row.opt_i64(0)?, row.opt_i64(1)?) {
            (Some(first), Some(last)) => Some((first, last)),
            _ => None,
        })
    }

    /// One tag assignment, or `None`.
    pub async fn tag_assignment(
        &self,
        user_id: i64,
        artist_id: i64,
        tag_id: i64,
    ) -> Result<Option<TagAssignmentView>, StoreError> {
        Ok(self
            .query_as(
                r#"SELECT "userID", "artistID", "tagID", "timestamp", day, month, year
                   FROM user_taggedartists
                   WHERE "userID" = $1 AND "artistID" = $2 AND "tagID" = $3"#,
                args![user_id, artist_id, tag_id],
            )
            .await?
            .into_iter()
            .next())
    }

    /// Records a tag assignment. A duplicate is a [`StoreError::UniqueViolation`] naming the
    /// assignment; an unknown user, artist or tag a [`StoreError::NotFound`] naming each one
    /// missing.
    pub async fn create_tag_assignment(
        &self,
        a: &TagAssignment,
    ) -> Result<Committed<()>, StoreError> {
        let a = *a;
        self.write(move |tx| {
            let row = tx.query(
                r#"SELECT (SELECT COUNT(*) FROM users WHERE "userID" = $1),
                          (SELECT COUNT(*) FROM artists WHERE id = $2),
                          (SELECT COUNT(*) FROM tags WHERE "tagID" = $3)"#,
                args![a.user_id, a.artist_id, a.tag_id],
            )?;
            let row = row.first().ok_or(StoreError::NoRow)?;
            missing(&[
                (row.i64(0)? == 0, ForeignKey::TagAssignmentUser, a.user_id),
                (
                    row.i64(1)? == 0,
                    ForeignKey::TagAssignmentArtist,
                    a.artist_id,
                ),
                (row.i64(2)? == 0, ForeignKey::TagAssignmentTag, a.tag_id),
            ])?;
            tx.execute(
                r#"INSERT INTO user_taggedartists
                       ("userID", "artistID", "tagID", "timestamp", day, month, year)
                   VALUES ($1, $2, $3, $4, $5, $6, $7)"#,
                args![
                    a.user_id,
                    a.artist_id,
                    a.tag_id,
                    a.timestamp,
                    a.day,
                    a.month,
                    a.year
                ],
            )
            .map_err(|e| {
                e.on_row(Some(RowKey::TagAssignment {
                    user_id: a.user_id,
                    artist_id: a.artist_id,
                    tag_id: a.tag_id,
                }))
            })?;
            let assignment = AssignmentKey {
                user_id: a.user_id,
                artist_id: a.artist_id,
                tag_id: a.tag_id,
                year: a.year as i32,
                month: a.month as u8,
                day: a.day as u8,
            };
            Ok(((), vec![Change::TagAssigned { assignment }]))
        })
        .await
    }

    /// Deletes a tag assignment; `false` when there is none.
    pub async fn delete_tag_assignment(
        &self,
        user_id: i64,
        artist_id: i64,
        tag_id: i64,
    ) -> Result<Committed<bool>, StoreError> {
        self.write(move |tx| {
            let rows = tx.query(
                r#"DELETE FROM user_taggedartists
                   WHERE "userID" = $1 AND "artistID" = $2 AND "tagID" = $3
                   RETURNING year, month, day"#,
                args![user_id, artist_id, tag_id],
            )?;
            let Some(row) = rows.first() else {
                return Ok((false, vec![]));
            };
            let assignment = AssignmentKey {
                user_id,
                artist_id,
                tag_id,
                year: row.i64(0)? as i32,
                month: row.i64(1)? as u8,
                day: row.i64(2)? as u8,
            };
            Ok((true, vec![Change::TagUnassigned { assignment }]))
        })
        .await
    }
}

/// The keys and dates of the tag assignments whose `column` is `id`: what a cascade deletes.
pub(crate) fn assignments_where(
    tx: &mut dyn Tx,
    column: &str,
    id: i64,
) -> Result<Vec<AssignmentKey>, StoreError> {
    // `column` is one of three fixed names chosen by the callers; the id is a parameter.
    let sql = format!(
        r#"SELECT "userID", "artistID", "tagID", year, month, day
           FROM user_taggedartists WHERE {column} = $1"#
    );
    tx.query(&sql, args![id])?
        .iter()
        .map(|r| {
            Ok(AssignmentKey {
                user_id: r.i64(0)?,
                artist_id: r.i64(1)?,
                tag_id: r.i64(2)?,
                year: r.i64(3)? as i32,
                month: r.i64(4)? as u8,
                day: r.i64(5)? as u8,
            })
        })
        .collect()
}

/// The WHERE clause of a filtered (and keyset-positioned) read of the tag assignments, with
/// its parameters. Only the fixed conditions below enter the SQL text; every value is a
/// parameter.
fn filter_sql(filter: &TagAssignmentFilter, after: Option<[i64; 4]>) -> (String, Vec<Value>) {
    let mut conditions = Vec::new();
    let mut params: Vec<Value> = Vec::new();
    let criteria = [
        (r#""userID" ="#, filter.user_id),
        (r#""artistID" ="#, filter.artist_id),
        (r#""tagID" ="#, filter.tag_id),
        (r#""timestamp" >="#, filter.from_ms),
        (r#""timestamp" <"#, filter.until_ms),
    ];
    for (condition, value) in criteria {
        if let Some(value) = value {
            params.push(value.into());
            conditions.push(format!("{condition} ${}", params.len()));
        }
    }
    if let Some(key) = after {
        let n = params.len();
        params.extend(key.iter().map(|&v| Value::from(v)));
        conditions.push(format!(
            r#"("timestamp", "userID", "artistID", "tagID") > (${}, ${}, ${}, ${})"#,
            n + 1,
            n + 2,
            n + 3,
            n + 4
        ));
    }
    let sql = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    (sql, params)
}
