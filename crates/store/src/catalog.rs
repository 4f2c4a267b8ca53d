//! The bulk reads the API's in-memory catalogue is built from: every artist with its
//! audience, every tag, how often each tag was applied to each artist, and every listen.

use soundstream_core::views::artists::ArtistSummary;
use soundstream_core::{Listen, Tag};

use crate::artists::artist_summary;
use crate::{Store, StoreError};

/// Everything the in-memory catalogue is built from.
#[derive(Debug, Clone, Default)]
pub struct CatalogData {
    /// Every artist with listeners and plays, by id.
    pub artists: Vec<ArtistSummary>,
    /// Every tag, by id.
    pub tags: Vec<Tag>,
    /// `(tag id, artist id, times applied)` for every tag applied to an artist.
    pub tag_artists: Vec<(i64, i64, i64)>,
    /// Every listen, by user then artist.
    pub listens: Vec<Listen>,
}

impl Store {
    /// Reads the catalogue's data: four scans, a few tens of milliseconds on the full dataset.
    pub async fn catalog_data(&self) -> Result<CatalogData, StoreError> {
        let artists = self
            .query(
                r#"SELECT a.id, a.name, a.url, a."pictureURL",
                          COALESCE(s.listeners, 0), COALESCE(s.plays, 0)
                   FROM artists a
                   LEFT JOIN (SELECT "artistID", COUNT(*) AS listeners,
                                     CAST(SUM(weight) AS BIGINT) AS plays
                              FROM user_artists GROUP BY "artistID") s
                     ON s."artistID" = a.id
                   ORDER BY a.id"#,
                vec![],
            )
            .await?
            .iter()
            .map(artist_summary)
            .collect::<Result<_, StoreError>>()?;
        let tags = self.all_tags().await?;
        let tag_artists = self
            .query(
                r#"SELECT "tagID", "artistID", COUNT(*) FROM user_taggedartists
                   GROUP BY "tagID", "artistID""#,
                vec![],
            )
            .await?
            .iter()
            .map(|r| Ok((r.i64(0)?, r.i64(1)?, r.i64(2)?)))
            .collect::<Result<_, StoreError>>()?;
        let listens = self.all_listens().await?;
        Ok(CatalogData {
            artists,
            tags,
            tag_artists,
            listens,
        })
    }
}
