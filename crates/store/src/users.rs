//! Queries and writes of the users area: users with their activity, the artists they play,
//! the tags they applied, their friends and the users who share their taste; creating and
//! deleting users, and the listens and friendships that link them.

use soundstream_core::change::Change;
use soundstream_core::views::users::UserSummary;
use soundstream_core::{Friendship, Listen};

use crate::tags::assignments_where;
use crate::{Committed, ForeignKey, Missing, Row, RowKey, Store, StoreError, Tx, args};

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

    /// Creates a user, with the given id or the next free one, and returns its id. Writes
    /// are serialised, so the next free id cannot be taken by another write meanwhile.
    pub async fn create_user(&self, id: Option<i64>) -> Result<Committed<i64>, StoreError> {
        self.write(move |tx| {
            let inserted = tx.query(
                r#"INSERT INTO users ("userID")
                   VALUES (COALESCE($1, (SELECT COALESCE(MAX("userID"), 0) + 1 FROM users)))
                   RETURNING "userID""#,
                args![id],
            );
            let rows = inserted.map_err(|e| e.on_row(id.map(RowKey::User)))?;
            let id = rows.first().ok_or(StoreError::NoRow)?.i64(0)?;
            Ok((id, vec![Change::UserCreated { id }]))
        })
        .await
    }

    /// Deletes a user with their listens, tag assignments and friendships (in both
    /// directions, by the foreign keys' cascades); `false` when there is no such user.
    pub async fn delete_user(&self, id: i64) -> Result<Committed<bool>, StoreError> {
        self.write(move |tx| {
            let assignments = assignments_where(tx, r#""userID""#, id)?;
            if tx.execute(r#"DELETE FROM users WHERE "userID" = $1"#, args![id])? == 0 {
                return Ok((false, vec![]));
            }
            Ok((true, vec![Change::UserDeleted { id, assignments }]))
        })
        .await
    }

    /// Sets the play count of a user for an artist, creating the listen if needed; `true`
    /// when it was created, `false` when an existing one was updated.
    ///
    /// Fails with [`StoreError::NotFound`] naming the user, else the artist, when one does
    /// not exist.
    pub async fn put_listen(&self, listen: &Listen) -> Result<Committed<bool>, StoreError> {
        let listen = *listen;
        self.write(move |tx| {
            let (user, artist) = (listen.user_id, listen.artist_id);
            let row = tx.query(
                r#"SELECT (SELECT COUNT(*) FROM users WHERE "userID" = $1),
                          (SELECT COUNT(*) FROM artists WHERE id = $2),
                          (SELECT weight FROM user_artists WHERE "userID" = $1 AND "artistID" = $2)"#,
                args![user, artist],
            )?;
            let row = row.first().ok_or(StoreError::NoRow)?;
            // One at a time: when both are missing, the user is named.
            missing(&[(row.i64(0)? == 0, ForeignKey::ListenUser, user)])?;
            missing(&[(row.i64(1)? == 0, ForeignKey::ListenArtist, artist)])?;
            let created = match row.opt_i64(2)? {
                Some(weight) if weight == listen.weight => return Ok((false, vec![])),
                Some(_) => {
                    tx.execute(
                        r#"UPDATE user_artists SET weight = $3
                           WHERE "userID" = $1 AND "artistID" = $2"#,
                        args![user, artist, listen.weight],
                    )?;
                    false
                }
                None => {
                    tx.execute(
                        r#"INSERT INTO user_artists ("userID", "artistID", weight)
                           VALUES ($1, $2, $3)"#,
                        args![user, artist, listen.weight],
                    )?;
                    true
                }
            };
            Ok((created, vec![Change::ListenPut { listen }]))
        })
        .await
    }

    /// Deletes the listen of a user for an artist; `false` when there is none (and
    /// [`StoreError::NotFound`] when the user or the artist does not exist).
    pub async fn delete_listen(
        &self,
        user_id: i64,
        artist_id: i64,
    ) -> Result<Committed<bool>, StoreError> {
        self.write(move |tx| {
            let deleted = tx.execute(
                r#"DELETE FROM user_artists WHERE "userID" = $1 AND "artistID" = $2"#,
                args![user_id, artist_id],
            )?;
            if deleted > 0 {
                return Ok((true, vec![Change::ListenDeleted { user_id, artist_id }]));
            }
            let row = tx.query(
                r#"SELECT (SELECT COUNT(*) FROM users WHERE "userID" = $1),
                          (SELECT COUNT(*) FROM artists WHERE id = $2)"#,
                args![user_id, artist_id],
            )?;
            let row = row.first().ok_or(StoreError::NoRow)?;
            missing(&[(row.i64(0)? == 0, ForeignKey::ListenUser, user_id)])?;
            missing(&[(row.i64(1)? == 0, ForeignKey::ListenArtist, artist_id)])?;
            Ok((false, vec![]))
        })
        .await
    }

    /// Makes two users friends, storing both directions in one transaction; `false` when they
    /// already were (a missing direction, which only a foreign write could leave, is restored).
    ///
    /// Fails with [`StoreError::NotFound`] naming the first user that does not exist.
    pub async fn create_friendship(
        &self,
        friendship: Friendship,
    ) -> Result<Committed<bool>, StoreError> {
        self.write(move |tx| {
            let Friendship { user_id, friend_id } = friendship;
            for (key, id) in [
                (ForeignKey::FriendshipUser, user_id),
                (ForeignKey::FriendshipFriend, friend_id),
            ] {
                let found = tx.query(r#"SELECT 1 FROM users WHERE "userID" = $1"#, args![id])?;
                missing(&[(found.is_empty(), key, id)])?;
            }
            let rows = each_direction(
                tx,
                friendship,
                r#"INSERT INTO user_friends ("userID", "friendID") VALUES ($1, $2)
                   ON CONFLICT ("userID", "friendID") DO NOTHING"#,
            )?;
            if rows.is_empty() {
                return Ok((false, vec![]));
            }
            Ok((true, vec![Change::FriendshipsAdded { rows }]))
        })
        .await
    }

    /// Ends the friendship of two users, removing both directions in one transaction; `false`
    /// when they were not friends.
    pub async fn delete_friendship(
        &self,
        friendship: Friendship,
    ) -> Result<Committed<bool>, StoreError> {
        self.write(move |tx| {
            let rows = each_direction(
                tx,
                friendship,
                r#"DELETE FROM user_friends WHERE "userID" = $1 AND "friendID" = $2"#,
            )?;
            if rows.is_empty() {
                return Ok((false, vec![]));
            }
            Ok((true, vec![Change::FriendshipsRemoved { rows }]))
        })
        .await
    }
}

/// Runs `sql` (a write taking user and friend) for both directions of a friendship, and
/// answers the directions it changed.
fn each_direction(
    tx: &mut dyn Tx,
    friendship: Friendship,
    sql: &str,
) -> Result<Vec<Friendship>, StoreError> {
    let Friendship { user_id, friend_id } = friendship;
    let reverse = Friendship {
        user_id: friend_id,
        friend_id: user_id,
    };
    let mut rows = Vec::new();
    for row in [friendship, reverse] {
        if tx.execute(sql, args![row.user_id, row.friend_id])? > 0 {
            rows.push(row);
        }
    }
    Ok(rows)
}

/// `Err(NotFound)` naming every reference `(absent, key, id)` that is `absent`, in order.
pub(crate) fn missing(checks: &[(bool, ForeignKey, i64)]) -> Result<(), StoreError> {
    let missing: Vec<Missing> = checks
        .iter()
        .filter(|c| c.0)
        .map(|&(_, key, id)| Missing { key, id })
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(StoreError::NotFound { missing })
    }
}
