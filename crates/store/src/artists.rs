//! Queries and writes of the artists area: one artist with its audience and tags, and the
//! artist's own fields. (Lists and rankings are served from the API's in-memory catalogue.)

use soundstream_core::Artist;
use soundstream_core::change::Change;
use soundstream_core::views::artists::{ArtistDetail, ArtistFields, ArtistSummary, TagCount};

use crate::tags::assignments_where;
use crate::{Committed, Row, RowKey, Store, StoreError, args};

/// A partial update of an artist: `None` leaves a field as it is; for the optional fields,
/// `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArtistChanges {
    /// New name.
    pub name: Option<String>,
    /// New Last.fm page, or `Some(None)` to clear it.
    pub url: Option<Option<String>>,
    /// New picture, or `Some(None)` to clear it.
    pub picture_url: Option<Option<String>>,
}

/// An artist with its audience, from a row of id, name, url, picture, listeners and plays.
pub(crate) fn artist_summary(r: &Row) -> Result<ArtistSummary, StoreError> {
    Ok(ArtistSummary {
        id: r.i64(0)?,
        name: r.string(1)?,
        url: r.opt_string(2)?,
        picture_url: r.opt_string(3)?,
        listeners: r.i64(4)?,
        plays: r.i64(5)?,
    })
}

fn tag_count(r: &Row) -> Result<TagCount, StoreError> {
    Ok(TagCount {
        tag_id: r.i64(0)?,
        value: r.string(1)?,
        count: r.i64(2)?,
    })
}

impl Store {
    /// Whether an artist with this id exists.
    pub async fn artist_exists(&self, id: i64) -> Result<bool, StoreError> {
        Ok(self
            .query_opt("SELECT 1 FROM artists WHERE id = $1", args![id])
            .await?
            .is_some())
    }

    /// One artist with its audience and top 10 tags, or `None`.
    pub async fn artist(&self, id: i64) -> Result<Option<ArtistDetail>, StoreError> {
        let Some(r) = self
            .query_opt(
                r#"SELECT a.id, a.name, a.url, a."pictureURL",
                          (SELECT COUNT(*) FROM user_artists ua WHERE ua."artistID" = a.id),
                          (SELECT CAST(COALESCE(SUM(weight), 0) AS BIGINT)
                             FROM user_artists ua WHERE ua."artistID" = a.id)
                   FROM artists a WHERE a.id = $1"#,
                args![id],
            )
            .await?
        else {
            return Ok(None);
        };
        let top_tags = self
            .query(
                r#"SELECT t."tagID", t."tagValue", COUNT(*) AS n
                   FROM user_taggedartists ta JOIN tags t ON t."tagID" = ta."tagID"
                   WHERE ta."artistID" = $1
                   GROUP BY t."tagID", t."tagValue"
                   ORDER BY n DESC, t."tagID" LIMIT 10"#,
                args![id],
            )
            .await?
            .iter()
            .map(tag_count)
            .collect::<Result<_, _>>()?;
        Ok(Some(artist_summary(&r)?.with_tags(top_tags)))
    }

    /// Creates an artist, with the given id or the next free one, and returns its id. Writes
    /// are serialised, so the next free id cannot be taken by another write meanwhile.
    pub async fn create_artist(
        &self,
        id: Option<i64>,
        fields: &ArtistFields,
    ) -> Result<Committed<i64>, StoreError> {
        let fields = fields.clone();
        self.write(move |tx| {
            let inserted = tx.query(
                r#"INSERT INTO artists (id, name, url, "pictureURL")
                   VALUES (COALESCE($1, (SELECT COALESCE(MAX(id), 0) + 1 FROM artists)), $2, $3, $4)
                   RETURNING id"#,
                args![
                    id,
                    fields.name.as_str(),
                    fields.url.clone(),
                    fields.picture_url.clone()
                ],
            );
            let rows = inserted.map_err(|e| e.on_row(id.map(RowKey::Artist)))?;
            let id = rows.first().ok_or(StoreError::NoRow)?.i64(0)?;
            let artist = Artist {
                id,
                name: fields.name,
                url: fields.url,
                picture_url: fields.picture_url,
            };
            Ok((id, vec![Change::ArtistPut { artist }]))
        })
        .await
    }

    /// Replaces an artist's fields; `false` when there is no such artist.
    pub async fn replace_artist(
        &self,
        id: i64,
        fields: &ArtistFields,
    ) -> Result<Committed<bool>, StoreError> {
        let fields = fields.clone();
        self.write(move |tx| {
            let changed = tx.execute(
                r#"UPDATE artists SET name = $2, url = $3, "pictureURL" = $4 WHERE id = $1"#,
                args![
                    id,
                    fields.name.as_str(),
                    fields.url.clone(),
                    fields.picture_url.clone()
                ],
            )?;
            if changed == 0 {
                return Ok((false, vec![]));
            }
            let artist = Artist {
                id,
                name: fields.name,
                url: fields.url,
                picture_url: fields.picture_url,
            };
            Ok((true, vec![Change::ArtistPut { artist }]))
        })
        .await
    }

    /// Changes the given fields of an artist; `false` when there is no such artist.
    pub async fn update_artist(
        &self,
        id: i64,
        changes: &ArtistChanges,
    ) -> Result<Committed<bool>, StoreError> {
        // Only column names chosen here enter the SQL text; every value is a parameter.
        let mut sets = Vec::new();
        let mut params = args![id];
        if let Some(name) = &changes.name {
            params.push(name.as_str().into());
            sets.push(format!("name = ${}", params.len()));
        }
        if let Some(url) = &changes.url {
            params.push(url.clone().into());
            sets.push(format!("url = ${}", params.len()));
        }
        if let Some(picture) = &changes.picture_url {
            params.push(picture.clone().into());
            sets.push(format!(r#""pictureURL" = ${}"#, params.len()));
        }
        self.write(move |tx| {
            if !sets.is_empty() {
                let sql = format!("UPDATE artists SET {} WHERE id = $1", sets.join(", "));
                if tx.execute(&sql, params)? == 0 {
                    return Ok((false, vec![]));
                }
            }
            let Some(row) = tx
                .query(
                    r#"SELECT id, name, url, "pictureURL" FROM artists WHERE id = $1"#,
                    args![id],
                )?
                .into_iter()
                .next()
            else {
                return Ok((false, vec![]));
            };
            if sets.is_empty() {
                return Ok((true, vec![]));
            }
            let artist = Artist {
                id: row.i64(0)?,
                name: row.string(1)?,
                url: row.opt_string(2)?,
                picture_url: row.opt_string(3)?,
            };
            Ok((true, vec![Change::ArtistPut { artist }]))
        })
        .await
    }

    /// Deletes an artist with its listens and tag assignments (by the foreign keys'
    /// cascades); `false` when there is no such artist.
    pub async fn delete_artist(&self, id: i64) -> Result<Committed<bool>, StoreError> {
        self.write(move |tx| {
            let assignments = assignments_where(tx, r#""artistID""#, id)?;
            if tx.execute("DELETE FROM artists WHERE id = $1", args![id])? == 0 {
                return Ok((false, vec![]));
            }
            Ok((true, vec![Change::ArtistDeleted { id, assignments }]))
        })
        .await
    }
}
