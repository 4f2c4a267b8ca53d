//! Queries and writes of the users area: users with their activity, the artists they play,
//! the tags they applied, their friends and the users who share their taste; creating and
//! deleting users, and the listens and friendships that link them.

use soundstream_core::views::Page;
use soundstream_core::views::artists::TagCount;
use soundstream_core::views::users::{UserArtist, UserSummary};
use soundstream_core::{Friendship, Listen};

use crate::{Row, Statement, Store, StoreError, args};

/// The activity columns of the user whose id is the SQL expression `u`, as correlated
/// subqueries: each one walks a primary-key range (every child table's key starts with
/// `"userID"`), so a handful of users costs a handful of index lookups.
macro_rules! user_stats_of {
    ($u:literal) => {
        concat!(
            r#"(SELECT COUNT(*) FROM user_artists x WHERE x."userID" = "#,
            $u,
            r#"),
               (SELECT CAST(COALESCE(SUM(weight), 0) AS BIGINT) FROM user_artists x
                 WHERE x."userID" = "#,
            $u,
            r#"),
               (SELECT COUNT(*) FROM user_taggedartists x WHERE x."userID" = "#,
            $u,
            r#"),
               (SELECT COUNT(*) FROM user_friends x WHERE x."userID" = "#,
            $u,
            ")"
        )
    };
}

/// A [`UserSummary`] from columns `id, artists, plays, tags_applied, friends`.
fn user_summary(r: &Row) -> Result<UserSummary, StoreError> {
    Ok(UserSummary {
        id: r.i64(0)?,
        artists: r.i64(1)?,
        plays: r.i64(2)?,
        tags_applied: r.i64(3)?,
        friends: r.i64(4)?,
    })
}

impl Store {
    /// Whether a user with this id exists.
    pub async fn user_exists(&self, id: i64) -> Result<bool, StoreError> {
        Ok(self
            .query_opt(r#"SELECT 1 FROM users WHERE "userID" = $1"#, args![id])
            .await?
            .is_some())
    }

    /// One user with their activity, or `None`.
    pub async fn user(&self, id: i64) -> Result<Option<UserSummary>, StoreError> {
        self.query_opt(
            concat!(
                r#"SELECT u."userID", "#,
                user_stats_of!(r#"u."userID""#),
                r#" FROM users u WHERE u."userID" = $1"#
            ),
            args![id],
        )
        .await?
        .as_ref()
        .map(user_summary)
        .transpose()
    }

    /// Every user with their activity, by id: one pass over each table with `GROUP BY`, for
    /// callers that cache the result (some 30 ms on SQLite for the real dataset).
    pub async fn user_stats(&self) -> Result<Vec<UserSummary>, StoreError> {
        self.query(
            r#"SELECT u."userID", COALESCE(l.artists, 0), COALESCE(l.plays, 0),
                      COALESCE(t.n, 0), COALESCE(f.n, 0)
               FROM users u
               LEFT JOIN (SELECT "userID", COUNT(*) AS artists,
                                 CAST(SUM(weight) AS BIGINT) AS plays
                          FROM user_artists GROUP BY "userID") l ON l."userID" = u."userID"
               LEFT JOIN (SELECT "userID", COUNT(*) AS n
                          FROM user_taggedartists GROUP BY "userID") t ON t."userID" = u."userID"
               LEFT JOIN (SELECT "userID", COUNT(*) AS n
                          FROM user_friends GROUP BY "userID") f ON f."userID" = u."userID"
               ORDER BY u."userID""#,
            vec![],
        )
        .await?
        .iter()
        .map(user_summary)
        .collect()
    }

    /// Creates a user, with the given id or the next free one, and returns its id.
    pub async fn create_user(&self, id: Option<i64>) -> Result<i64, StoreError> {
        // Two concurrent creations may pick the same next id; the loser retries.
        let mut attempts = 0;
        loop {
            let result = self
                .execute_returning(
                    r#"INSERT INTO users ("userID")
                       VALUES (COALESCE($1, (SELECT COALESCE(MAX("userID"), 0) + 1 FROM users)))
                       RETURNING "userID""#,
                    args![id],
                )
                .await;
            match result {
                Ok(rows) => return rows.first().ok_or(StoreError::NoRow)?.i64(0),
                Err(StoreError::UniqueViolation { .. }) if id.is_none() && attempts < 5 => {
                    attempts += 1;
                }
                Err(err) => return Err(err),
            }
        }
    }

    /// Deletes a user with their listens, tag assignments and friendships (in both
    /// directions, by the foreign keys' cascades); `false` when there is no such user.
    pub async fn delete_user(&self, id: i64) -> Result<bool, StoreError> {
        Ok(self
            .execute(r#"DELETE FROM users WHERE "userID" = $1"#, args![id])
            .await?
            > 0)
    }

    /// The artists a user listens to, most played first (ties by artist id).
    pub async fn user_artists(
        &self,
        id: i64,
        skip: i64,
        limit: i64,
    ) -> Result<Page<UserArtist>, StoreError> {
        let total = self
            .query_one(
                r#"SELECT COUNT(*) FROM user_artists WHERE "userID" = $1"#,
                args![id],
            )
            .await?
            .i64(0)?;
        let items = self
            .query(
                r#"SELECT a.id, a.name, a."pictureURL", ua.weight
                   FROM user_artists ua JOIN artists a ON a.id = ua."artistID"
                   WHERE ua."userID" = $1
                   ORDER BY ua.weight DESC, a.id LIMIT $2 OFFSET $3"#,
                args![id, limit, skip],
            )
            .await?
            .iter()
            .map(|r| {
                Ok(UserArtist {
                    artist_id: r.i64(0)?,
                    name: r.string(1)?,
                    picture_url: r.opt_string(2)?,
                    weight: r.i64(3)?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(Page {
            items,
            total,
            skip,
            limit,
        })
    }

    /// A user's friends with their activity, by id.
    pub async fn user_friends(
        &self,
        id: i64,
        skip: i64,
        limit: i64,
    ) -> Result<Page<UserSummary>, StoreError> {
        let total = self
            .query_one(
                r#"SELECT COUNT(*) FROM user_friends WHERE "userID" = $1"#,
                args![id],
            )
            .await?
            .i64(0)?;
        let items = self
            .query(
                concat!(
                    r#"SELECT f."friendID", "#,
                    user_stats_of!(r#"f."friendID""#),
                    r#" FROM user_friends f WHERE f."userID" = $1
                        ORDER BY f."friendID" LIMIT $2 OFFSET $3"#
                ),
                args![id, limit, skip],
            )
            .await?
            .iter()
            .map(user_summary)
            .collect::<Result<_, _>>()?;
        Ok(Page {
            items,
            total,
            skip,
            limit,
        })
    }

    /// The tags a user applied, with how many artists each, most used first (ties by tag id).
    pub async fn user_tags(
        &self,
        id: i64,
        skip: i64,
        limit: i64,
    ) -> Result<Page<TagCount>, StoreError> {
        let total = self
            .query_one(
                r#"SELECT COUNT(DISTINCT "tagID") FROM user_taggedartists WHERE "userID" = $1"#,
                args![id],
            )
            .await?
            .i64(0)?;
        let items = self
            .query(
                r#"SELECT t."tagID", t."tagValue", COUNT(*) AS n
                   FROM user_taggedartists ta JOIN tags t ON t."tagID" = ta."tagID"
                   WHERE ta."userID" = $1
                   GROUP BY t."tagID", t."tagValue"
                   ORDER BY n DESC, t."tagID" LIMIT $2 OFFSET $3"#,
                args![id, limit, skip],
            )
            .await?
            .iter()
            .map(|r| {
                Ok(TagCount {
                    tag_id: r.i64(0)?,
                    value: r.string(1)?,
                    count: r.i64(2)?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(Page {
            items,
            total,
            skip,
            limit,
        })
    }
    /// Sets the play count of a user for an artist, creating the listen if needed; `true`
    /// when it was created, `false` when an existing one was updated.
    ///
    /// Fails with [`StoreError::ForeignKeyViolation`] when the user or the artist does not
    /// exist.
    pub async fn put_listen(&self, listen: &Listen) -> Result<bool, StoreError> {
        // One transaction: the UPDATE tells whether the listen existed; when it did not, the
        // upsert creates it (or, on PostgreSQL, updates one inserted concurrently in between,
        // which then is reported as created too: the stored result is right either way).
        let params = args![listen.user_id, listen.artist_id, listen.weight];
        let changed = self
            .transaction(vec![
                Statement::new(
                    r#"UPDATE user_artists SET weight = $3
                       WHERE "userID" = $1 AND "artistID" = $2"#,
                    params.clone(),
                ),
                Statement::new(
                    r#"INSERT INTO user_artists ("userID", "artistID", weight) VALUES ($1, $2, $3)
                       ON CONFLICT ("userID", "artistID") DO UPDATE SET weight = excluded.weight"#,
                    params,
                ),
            ])
            .await?;
        Ok(changed.first() == Some(&0))
    }

    /// Deletes the listen of a user for an artist; `false` when there is none.
    pub async fn delete_listen(&self, user_id: i64, artist_id: i64) -> Result<bool, StoreError> {
        Ok(self
            .execute(
                r#"DELETE FROM user_artists WHERE "userID" = $1 AND "artistID" = $2"#,
                args![user_id, artist_id],
            )
            .await?
            > 0)
    }

    /// Makes two users friends, storing both directions in one transaction; `false` when they
    /// already were (a missing direction, which only a foreign write could leave, is restored).
    ///
    /// Fails with [`StoreError::ForeignKeyViolation`] when a user does not exist.
    pub async fn create_friendship(&self, friendship: Friendship) -> Result<bool, StoreError> {
        let sql = r#"INSERT INTO user_friends ("userID", "friendID") VALUES ($1, $2)
                     ON CONFLICT ("userID", "friendID") DO NOTHING"#;
        let Friendship { user_id, friend_id } = friendship;
        let changed = self
            .transaction(vec![
                Statement::new(sql, args![user_id, friend_id]),
                Statement::new(sql, args![friend_id, user_id]),
            ])
            .await?;
        Ok(changed.iter().any(|&n| n > 0))
    }

    /// Ends the friendship of two users, removing both directions in one transaction; `false`
    /// when they were not friends.
    pub async fn delete_friendship(&self, friendship: Friendship) -> Result<bool, StoreError> {
        let sql = r#"DELETE FROM user_friends WHERE "userID" = $1 AND "friendID" = $2"#;
        let Friendship { user_id, friend_id } = friendship;
        let changed = self
            .transaction(vec![
                Statement::new(sql, args![user_id, friend_id]),
                Statement::new(sql, args![friend_id, user_id]),
            ])
            .await?;
        Ok(changed.iter().any(|&n| n > 0))
    }
}
