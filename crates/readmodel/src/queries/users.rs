//! Users: one with their activity, lists by id or activity, the artists a user plays, their
//! friends and tags, users with overlapping taste, and the most active users.

use soundstream_core::views::analytics::UserActivity;
use soundstream_core::views::artists::TagCount;
use soundstream_core::views::users::{SimilarUser, UserArtist, UserSummary};

use crate::cursor::{CursorError, Part, ints};
use crate::model::{Slot, UserEntry};
use crate::page::{by_count, by_id, counted_page, ranked, slice_sorted, take_page};
use crate::{Direction, ReadModel, Slice, Start, UserSort};

fn summary_of(u: &UserEntry) -> UserSummary {
    UserSummary {
        id: u.id,
        artists: u.artists.len() as i64,
        plays: u.plays as i64,
        tags_applied: i64::from(u.assignments),
        friends: i64::from(u.out_degree),
    }
}

fn activity_of(u: &UserEntry) -> UserActivity {
    UserActivity {
        user_id: u.id,
        plays: u.plays as i64,
        artists: u.artists.len() as i64,
        tags_applied: i64::from(u.assignments),
        friends: u.links.len() as i64,
    }
}

impl ReadModel {
    /// Whether the user exists.
    pub fn has_user(&self, id: i64) -> bool {
        self.state.users.slot(id).is_some()
    }

    /// The number of users.
    pub fn user_count(&self) -> usize {
        self.state.users.len()
    }

    /// The user with their activity.
    pub fn user(&self, id: i64) -> Option<UserSummary> {
        self.state.users.by_id(id).map(summary_of)
    }

    /// The user's listens as `(artist id, play count)`, by artist id.
    pub fn user_listens(&self, id: i64) -> Option<Vec<(i64, i64)>> {
        let s = &self.state;
        let u = s.users.by_id(id)?;
        let mut listens: Vec<(i64, i64)> = u
            .artists
            .iter()
            .map(|&(a, w)| (s.artists.get(a).id, i64::from(w)))
            .collect();
        listens.sort_unstable();
        Some(listens)
    }

    /// Every user's listens, for each user in id order: what a recommender is trained on.
    pub fn for_each_user_listens(&self, mut each: impl FnMut(i64, &[(i64, i64)])) {
        let mut buffer = Vec::new();
        for id in self.state.rank.user_ids.skip(Direction::Asc, 0) {
            let u = self.state.users.by_id(id).expect("ranked users exist");
            buffer.clear();
            buffer.extend(
                u.artists
                    .iter()
                    .map(|&(a, w)| (self.state.artists.get(a).id, i64::from(w))),
            );
            buffer.sort_unstable();
            each(id, &buffer);
        }
    }

    /// A page of users sorted by `sort` in `direction` (ties by id).
    pub fn users(
        &self,
        sort: UserSort,
        direction: Direction,
        start: &Start,
        limit: usize,
    ) -> Result<Slice<UserSummary>, CursorError> {
        let s = &self.state;
        let r = &s.rank;
        let scope = format!("users/{sort:?}/{direction:?}");
        let keep = |_: i64| true;
        let u32_key = |k: &[Part]| ints::<2>(k).map(|[v, id]| (v as u32, id));
        let ids = match sort {
            UserSort::Id => by_id(&r.user_ids, direction, start, &scope, false, &keep)?,
            UserSort::Plays => ranked(
                &r.user_plays,
                direction,
                start,
                &scope,
                |k| ints::<2>(k).map(|[v, id]| (v as u64, id)),
                false,
                &keep,
            )?,
            UserSort::Artists => ranked(
                &r.user_artists,
                direction,
                start,
                &scope,
                u32_key,
                false,
                &keep,
            )?,
            UserSort::Friends => ranked(
                &r.user_friends,
                direction,
                start,
                &scope,
                u32_key,
                false,
                &keep,
            )?,
            UserSort::Tags => ranked(
                &r.user_tags,
                direction,
                start,
                &scope,
                u32_key,
                false,
                &keep,
            )?,
        };
        let key_of = |id: i64| {
            let u = summary_of(s.users.by_id(id).expect("ranked users exist"));
            let value = match sort {
                UserSort::Id => return vec![Part::Int(id)],
                UserSort::Plays => u.plays,
                UserSort::Artists => u.artists,
                UserSort::Friends => u.friends,
                UserSort::Tags => u.tags_applied,
            };
            vec![Part::Int(value), Part::Int(id)]
        };
        let page = take_page(ids, limit, keep, &scope, key_of, s.users.len());
        Ok(page.map(|id| summary_of(s.users.by_id(id).expect("listed users exist"))))
    }

    /// The most active users by `by` (ties by id), each with all four measures; `Friends`
    /// counts distinct users linked in either direction.
    pub fn active_users(&self, by: UserSort, limit: usize) -> Vec<UserActivity> {
        let r = &self.state.rank;
        let ids = match by {
            UserSort::Artists => r.user_artists.skip(Direction::Desc, 0),
            UserSort::Friends => r.user_links.skip(Direction::Desc, 0),
            UserSort::Tags => r.user_tags.skip(Direction::Desc, 0),
            _ => r.user_plays.skip(Direction::Desc, 0),
        };
        ids.take(limit)
            .filter_map(|id| self.state.users.by_id(id).map(activity_of))
            .collect()
    }

    /// Every user's activity, by id.
    pub fn user_activity(&self) -> Vec<UserActivity> {
        self.state
            .rank
            .user_ids
            .skip(Direction::Asc, 0)
            .filter_map(|id| self.state.users.by_id(id).map(activity_of))
            .collect()
    }

    /// The artists a user plays, most plays first (ties by artist id); `None`: no user.
    pub fn user_artists(
        &self,
        id: i64,
        start: &Start,
        limit: usize,
    ) -> Option<Result<Slice<UserArtist>, CursorError>> {
        let s = &self.state;
        let u = s.users.by_id(id)?;
        let id_of = |a: Slot| s.artists.get(a).id;
        Some(counted_page(
            &by_count(&u.artists, id_of),
            id_of,
            start,
            limit,
            &format!("users/{id}/artists"),
            |(w, a)| {
                let artist = s.artists.get(a);
                UserArtist {
                    artist_id: artist.id,
                    name: artist.name.to_string(),
                    picture_url: artist.picture_url.as_deref().map(str::to_owned),
                    weight: i64::from(w),
                }
            },
        ))
    }

    /// The user's friends (rows user -> friend) with their activity, by id; `None`: no user.
    pub fn user_friends(
        &self,
        id: i64,
        start: &Start,
        limit: usize,
    ) -> Option<Result<Slice<UserSummary>, CursorError>> {
        let s = &self.state;
        let u = s.users.by_id(id)?;
        let mut friends: Vec<i64> = u
            .links
            .iter()
            .filter(|e| e.1 & 1 == 1)
            .map(|e| s.users.get(e.0).id)
            .collect();
        friends.sort_unstable();
        let scope = format!("users/{id}/friends");
        Some(
            slice_sorted(
                &friends,
                start,
                limit,
                &scope,
                |&f| f,
                |k| ints::<1>(k).map(|[f]| f),
                |&f| vec![Part::Int(f)],
            )
            .map(|(range, next)| Slice {
                items: friends[range]
                    .iter()
                    .filter_map(|&f| self.user(f))
                    .collect(),
                total: friends.len(),
                next,
            }),
        )
    }

    /// The tags a user applied, with how many artists each, most first (ties by tag id);
    /// `None`: no user.
    // The signature and the preamble of `user_artists` (a deliberate likeness): one page of
    // counted pairs each, the sorting and the paging shared (`by_count`, `counted_page`).
    pub fn user_tags(
        &self,
        id: i64,
        start: &Start,
        limit: usize,
    ) -> Option<Result<Slice<TagCount>, CursorError>> {
        let s = &self.state;
        let u = s.users.by_id(id)?;
        let id_of = |t: Slot| s.tags.get(t).id;
        Some(counted_page(
            &by_count(&u.tags, id_of),
            id_of,
            start,
            limit,
            &format!("users/{id}/tags"),
            |e| self.tag_count(e),
        ))
    }

    /// The tags a user applied with how often, for tag clouds; `None`: no user.
    pub fn user_tag_counts(&self, id: i64) -> Option<Vec<(i64, i64)>> {
        let s = &self.state;
        let u = s.users.by_id(id)?;
        Some(
            u.tags
                .iter()
                .map(|&(t, c)| (s.tags.get(t).id, i64::from(c)))
                .collect(),
        )
    }

    /// Users sharing artists with `id`, by cosine similarity of the two artist sets (shared /
    /// sqrt(artists A x artists B)); best first, ties by id. `None`: no user.
    pub fn similar_users(&self, id: i64, limit: usize) -> Option<Vec<SimilarUser>> {
        let s = &self.state;
        let me = s.users.slot(id)?;
        let mine = &s.users.get(me).artists;
        let mut shared: rustc_hash::FxHashMap<Slot, i64> = rustc_hash::FxHashMap::default();
        for &(artist, _) in mine {
            for &(_, other) in &s.artists.get(artist).listeners {
                if other != me {
                    *shared.entry(other).or_default() += 1;
                }
            }
        }
        let mut similar: Vec<SimilarUser> = shared
            .into_iter()
            .map(|(other, n)| {
                let theirs = s.users.get(other).artists.len();
                SimilarUser {
                    user_id: s.users.get(other).id,
                    shared_artists: n,
                    score: n as f64 / ((mine.len() * theirs) as f64).sqrt(),
                }
            })
            .collect();
        similar.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.user_id.cmp(&b.user_id)));
        similar.truncate(limit);
        Some(similar)
    }
}
