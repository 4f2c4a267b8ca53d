//! Queries of the analytics area: the few whole-table scans the analytics are computed from,
//! each returning compact rows (the statistics themselves are computed in Rust, the same for
//! both engines, by `soundstream_core::stats`).
//!
//! The methods carry an `analytics_` prefix: they are bulk reads for aggregates, not the
//! per-resource reads of the other areas.

use soundstream_core::Listen;
use soundstream_core::analytics::TagCount;
use soundstream_core::views::analytics::{DatasetSummary, UserActivity};

use crate::{Store, StoreError, args};

/// How many distinct users applied one tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagUserCount {
    /// The tag's id.
    pub tag_id: i64,
    /// Distinct users who applied it.
    pub users: i64,
}

/// How many times one tag was applied in one month (from the assignments' stored year and
/// month).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagMonthCount {
    /// The tag's id.
    pub tag_id: i64,
    /// The year.
    pub year: i64,
    /// The month, 1 to 12.
    pub month: i64,
    /// Tag assignments of the tag in that month.
    pub count: i64,
}

/// A date stored as `year * 10000 + month * 100 + day`, as `YYYY-MM-DD`.
fn date_of(packed: Option<i64>) -> Option<String> {
    packed.map(|d| format!("{:04}-{:02}-{:02}", d / 10_000, d / 100 % 100, d % 100))
}

fn ratio(numerator: i64, denominator: i64) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator as f64 / denominator as f64
    }
}

impl Store {
    /// Global counts, totals, averages and the date span of tag assignments, in one query.
    pub async fn analytics_summary(&self) -> Result<DatasetSummary, StoreError> {
        // Undirected pairs are the distinct {min, max} of the rows, which counts a friendship
        // once whether it is stored in one direction or both. CASE instead of LEAST/MIN(a, b):
        // the two engines spell the scalar minimum differently.
        let r = self
            .query_one(
                r#"SELECT
                     (SELECT COUNT(*) FROM artists),
                     (SELECT COUNT(*) FROM users),
                     (SELECT COUNT(*) FROM tags),
                     (SELECT COUNT(*) FROM user_artists),
                     (SELECT CAST(COALESCE(SUM(weight), 0) AS BIGINT) FROM user_artists),
                     (SELECT COUNT(DISTINCT "artistID") FROM user_artists),
                     (SELECT COUNT(DISTINCT "userID") FROM user_artists),
                     (SELECT COUNT(*) FROM user_taggedartists),
                     (SELECT COUNT(DISTINCT "tagID") FROM user_taggedartists),
                     (SELECT COUNT(DISTINCT "userID") FROM user_taggedartists),
                     (SELECT COUNT(*) FROM user_friends),
                     (SELECT COUNT(*) FROM (
                        SELECT DISTINCT
                          CASE WHEN "userID" < "friendID" THEN "userID" ELSE "friendID" END AS low,
                          CASE WHEN "userID" < "friendID" THEN "friendID" ELSE "userID" END AS high
                        FROM user_friends) pairs),
                     (SELECT COUNT(*) FROM (
                        SELECT "userID" AS member FROM user_friends
                        UNION SELECT "friendID" FROM user_friends) members),
                     (SELECT CAST(MIN(year * 10000 + month * 100 + day) AS BIGINT)
                        FROM user_taggedartists),
                     (SELECT CAST(MAX(year * 10000 + month * 100 + day) AS BIGINT)
                        FROM user_taggedartists)"#,
                vec![],
            )
            .await?;
        let (artists, users, listens, plays) = (r.i64(0)?, r.i64(1)?, r.i64(3)?, r.i64(4)?);
        let (tag_assignments, pairs) = (r.i64(7)?, r.i64(11)?);
        Ok(DatasetSummary {
            artists,
            users,
            tags: r.i64(2)?,
            listens,
            tag_assignments,
            friendship_rows: r.i64(10)?,
            friendship_pairs: pairs,
            total_plays: plays,
            artists_with_listeners: r.i64(5)?,
            users_with_listens: r.i64(6)?,
            tags_used: r.i64(8)?,
            users_who_tag: r.i64(9)?,
            users_with_friends: r.i64(12)?,
            artists_per_user: ratio(listens, users),
            listeners_per_artist: ratio(listens, artists),
            plays_per_listen: ratio(plays, listens),
            tag_assignments_per_user: ratio(tag_assignments, users),
            friends_per_user: ratio(2 * pairs, users),
            first_tag_assignment: date_of(r.opt_i64(13)?),
            last_tag_assignment: date_of(r.opt_i64(14)?),
        })
    }

    /// Every user with plays, distinct artists, tag assignments made and distinct friends
    /// (friends in either direction of a row), by user id.
    pub async fn analytics_user_activity(&self) -> Result<Vec<UserActivity>, StoreError> {
        self.query(
            r#"SELECT u."userID", COALESCE(l.plays, 0), COALESCE(l.artists, 0),
                      COALESCE(t.assignments, 0), COALESCE(f.friends, 0)
               FROM users u
               LEFT JOIN (SELECT "userID", CAST(SUM(weight) AS BIGINT) AS plays,
                                 COUNT(*) AS artists
                          FROM user_artists GROUP BY "userID") l
                 ON l."userID" = u."userID"
               LEFT JOIN (SELECT "userID", COUNT(*) AS assignments
                          FROM user_taggedartists GROUP BY "userID") t
                 ON t."userID" = u."userID"
               LEFT JOIN (SELECT links.member, COUNT(*) AS friends
                          FROM (SELECT "userID" AS member, "friendID" AS other FROM user_friends
                                UNION
                                SELECT "friendID", "userID" FROM user_friends) links
                          GROUP BY links.member) f
                 ON f.member = u."userID"
               ORDER BY u."userID""#,
            vec![],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(UserActivity {
                user_id: r.i64(0)?,
                plays: r.i64(1)?,
                artists: r.i64(2)?,
                tags_applied: r.i64(3)?,
                friends: r.i64(4)?,
            })
        })
        .collect()
    }

    /// Every listen, by user then artist.
    pub async fn analytics_listens(&self) -> Result<Vec<Listen>, StoreError> {
        self.all_listens().await
    }

    /// The distinct users of every tag applied at least once.
    pub async fn analytics_tag_users(&self) -> Result<Vec<TagUserCount>, StoreError> {
        self.query(
            r#"SELECT "tagID", COUNT(DISTINCT "userID") FROM user_taggedartists
               GROUP BY "tagID""#,
            vec![],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(TagUserCount {
                tag_id: r.i64(0)?,
                users: r.i64(1)?,
            })
        })
        .collect()
    }

    /// Tag assignments counted by tag and month, for every month a tag was applied in.
    pub async fn analytics_tag_months(&self) -> Result<Vec<TagMonthCount>, StoreError> {
        self.query(
            r#"SELECT "tagID", year, month, COUNT(*) FROM user_taggedartists
               GROUP BY "tagID", year, month"#,
            vec![],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(TagMonthCount {
                tag_id: r.i64(0)?,
                year: r.i64(1)?,
                month: r.i64(2)?,
                count: r.i64(3)?,
            })
        })
        .collect()
    }

    /// How many times the user applied each tag they applied, or `None` when there is no
    /// such user.
    pub async fn analytics_user_tag_counts(
        &self,
        user_id: i64,
    ) -> Result<Option<Vec<TagCount>>, StoreError> {
        if self
            .query_opt(r#"SELECT 1 FROM users WHERE "userID" = $1"#, args![user_id])
            .await?
            .is_none()
        {
            return Ok(None);
        }
        let counts = self
            .query(
                r#"SELECT "tagID", COUNT(*) FROM user_taggedartists WHERE "userID" = $1
                   GROUP BY "tagID""#,
                args![user_id],
            )
            .await?
            .iter()
            .map(|r| {
                Ok(TagCount {
                    tag_id: r.i64(0)?,
                    count: r.i64(1)?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(Some(counts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_dates_read_as_iso_dates() {
        assert_eq!(date_of(Some(19_560_601)).as_deref(), Some("1956-06-01"));
        assert_eq!(date_of(Some(20_111_231)).as_deref(), Some("2011-12-31"));
        assert_eq!(date_of(None), None);
    }

    #[test]
    fn a_ratio_over_nothing_is_zero() {
        assert_eq!(ratio(5, 0), 0.0);
        assert_eq!(ratio(3, 2), 1.5);
    }
}
