//! Artists: one with its audience and top tags, lists by id, name, listeners or plays with a
//! name filter, an artist's listeners and tags, and artists with overlapping audiences.

use soundstream_core::views::artists::{
    ArtistDetail, ArtistSummary, Listener, SimilarArtist, TagCount,
};

use crate::cursor::{CursorError, Part, ints, text_and_id};
use crate::model::{ArtistEntry, Slot};
use crate::names::fold;
use crate::page::{by_id, counted_page, ranked, take_page};
use crate::{ArtistSort, Direction, ReadModel, Slice, Start};

impl ReadModel {
    pub(crate) fn artist_entry(&self, id: i64) -> Option<&ArtistEntry> {
        self.state.artists.by_id(id)
    }

    pub(crate) fn summary_of(a: &ArtistEntry) -> ArtistSummary {
        ArtistSummary {
            id: a.id,
            name: a.name.to_string(),
            url: a.url.as_deref().map(str::to_owned),
            picture_url: a.picture_url.as_deref().map(str::to_owned),
            listeners: a.listeners.len() as i64,
            plays: a.plays as i64,
        }
    }

    /// Whether the artist exists.
    pub fn has_artist(&self, id: i64) -> bool {
        self.state.artists.slot(id).is_some()
    }

    /// The number of artists.
    pub fn artist_count(&self) -> usize {
        self.state.artists.len()
    }

    /// The artist with its audience.
    pub fn artist_summary(&self, id: i64) -> Option<ArtistSummary> {
        self.artist_entry(id).map(Self::summary_of)
    }

    /// A tag with a count, as lists of tags serve it.
    pub(crate) fn tag_count(&self, (count, tag): (u32, Slot)) -> TagCount {
        let t = self.state.tags.get(tag);
        TagCount {
            tag_id: t.id,
            value: t.value.to_string(),
            count: i64::from(count),
        }
    }

    /// The artist with its audience and its 10 most applied tags.
    pub fn artist(&self, id: i64) -> Option<ArtistDetail> {
        let a = self.artist_entry(id)?;
        let top_tags = a.tags.iter().take(10).map(|&e| self.tag_count(e)).collect();
        Some(Self::summary_of(a).with_tags(top_tags))
    }

    /// A page of artists, those whose name contains `name` (case-insensitively) when given,
    /// sorted by `sort` in `direction` (ties by id).
    pub fn artists(
        &self,
        name: Option<&str>,
        sort: ArtistSort,
        direction: Direction,
        start: &Start,
        limit: usize,
    ) -> Result<Slice<ArtistSummary>, CursorError> {
        let s = &self.state;
        let matches: Option<rustc_hash::FxHashSet<i64>> =
            name.map(|n| s.artist_names.search(&fold(n)).into_iter().collect());
        let total = matches.as_ref().map_or(s.artists.len(), |m| m.len());
        let keep = |id: i64| matches.as_ref().is_none_or(|m| m.contains(&id));
        let filtered = matches.is_some();
        let scope = format!("artists/{sort:?}/{direction:?}");
        let page = self.artist_page(
            sort, direction, start, limit, &scope, filtered, &keep, total,
        )?;
        Ok(page.map(|id| Self::summary_of(s.artists.by_id(id).expect("listed artists exist"))))
    }

    /// A page of artist ids under `sort` in `direction` (ties by id), those `keep` passes
    /// when `filtered`: the artist list and the search by name and counts share it.
    #[expect(
        clippy::too_many_arguments,
        reason = "one page's coordinates, passed through"
    )]
    pub(crate) fn artist_page(
        &self,
        sort: ArtistSort,
        direction: Direction,
        start: &Start,
        limit: usize,
        scope: &str,
        filtered: bool,
        keep: &dyn Fn(i64) -> bool,
        total: usize,
    ) -> Result<Slice<i64>, CursorError> {
        let s = &self.state;
        let r = &s.rank;
        let ids = match sort {
            ArtistSort::Id => by_id(&r.artist_ids, direction, start, scope, filtered, keep)?,
            ArtistSort::Name => ranked(
                &r.artist_names,
                direction,
                start,
                scope,
                |k| text_and_id(k).map(|(t, id)| (t.into_boxed_str(), id)),
                filtered,
                keep,
            )?,
            ArtistSort::Listeners => ranked(
                &r.artist_listeners,
                direction,
                start,
                scope,
                |k| ints::<2>(k).map(|[v, id]| (v as u32, id)),
                filtered,
                keep,
            )?,
            ArtistSort::Plays => ranked(
                &r.artist_plays,
                direction,
                start,
                scope,
                |k| ints::<2>(k).map(|[v, id]| (v as u64, id)),
                filtered,
                keep,
            )?,
        };
        let key_of = |id: i64| {
            let a = s.artists.by_id(id).expect("ranked artists exist");
            match sort {
                ArtistSort::Id => vec![Part::Int(id)],
                ArtistSort::Name => vec![Part::Text(a.folded.to_string()), Part::Int(id)],
                ArtistSort::Listeners => vec![Part::Int(a.listeners.len() as i64), Part::Int(id)],
                ArtistSort::Plays => vec![Part::Int(a.plays as i64), Part::Int(id)],
            }
        };
        Ok(take_page(ids, limit, keep, scope, key_of, total))
    }

    /// The artists with the most plays or listeners (ties by id).
    pub fn top_artists(&self, by: ArtistSort, limit: usize) -> Vec<ArtistSummary> {
        let r = &self.state.rank;
        let ids = match by {
            ArtistSort::Listeners => r.artist_listeners.skip(Direction::Desc, 0),
            _ => r.artist_plays.skip(Direction::Desc, 0),
        };
        ids.take(limit)
            .filter_map(|id| self.artist_summary(id))
            .collect()
    }

    /// The listeners of an artist, most plays first (ties by user id); `None`: no artist.
    pub fn artist_listeners(
        &self,
        id: i64,
        start: &Start,
        limit: usize,
    ) -> Option<Result<Slice<Listener>, CursorError>> {
        let a = self.artist_entry(id)?;
        let users = &self.state.users;
        let scope = format!("artists/{id}/listeners");
        Some(counted_page(
            &a.listeners,
            |u| users.get(u).id,
            start,
            limit,
            &scope,
            |(w, u)| Listener {
                user_id: users.get(u).id,
                weight: i64::from(w),
            },
        ))
    }

    /// The tags of an artist with how often each was applied, most first (ties by tag id);
    /// `None`: no artist.
    pub fn artist_tags(
        &self,
        id: i64,
        start: &Start,
        limit: usize,
    ) -> Option<Result<Slice<TagCount>, CursorError>> {
        let a = self.artist_entry(id)?;
        let tags = &self.state.tags;
        let scope = format!("artists/{id}/tags");
        Some(counted_page(
            &a.tags,
            |t| tags.get(t).id,
            start,
            limit,
            &scope,
            |e| self.tag_count(e),
        ))
    }

    /// Artists whose audience overlaps this artist's, by cosine similarity of the two sets of
    /// listeners (shared / sqrt(listeners A x listeners B)); best first, ties by id. `None`:
    /// no artist.
    pub fn similar_artists(&self, id: i64, limit: usize) -> Option<Vec<SimilarArtist>> {
        let s = &self.state;
        let a = s.artists.slot(id)?;
        let mut shared: rustc_hash::FxHashMap<Slot, u32> = rustc_hash::FxHashMap::default();
        for &(_, user) in &s.artists.get(a).listeners {
            for &(b, _) in &s.users.get(user).artists {
                if b != a {
                    *shared.entry(b).or_default() += 1;
                }
            }
        }
        let mine = s.artists.get(a).listeners.len() as f64;
        let mut scored: Vec<(f64, i64, Slot, u32)> = shared
            .into_iter()
            .map(|(b, n)| {
                let other = s.artists.get(b);
                let theirs = other.listeners.len() as f64;
                (f64::from(n) / (mine * theirs).sqrt(), other.id, b, n)
            })
            .collect();
        let best_first = |x: &(f64, i64, Slot, u32), y: &(f64, i64, Slot, u32)| {
            y.0.total_cmp(&x.0).then(x.1.cmp(&y.1))
        };
        if scored.len() > limit {
            scored.select_nth_unstable_by(limit, best_first);
            scored.truncate(limit);
        }
        scored.sort_by(best_first);
        Some(
            scored
                .into_iter()
                .map(|(score, id, b, n)| {
                    let artist = s.artists.get(b);
                    SimilarArtist {
                        id,
                        name: artist.name.to_string(),
                        picture_url: artist.picture_url.as_deref().map(str::to_owned),
                        score,
                        shared_listeners: i64::from(n),
                    }
                })
                .collect(),
        )
    }
}

/// Tags of each artist a user's tag profile takes in.
const TAGS_PER_ARTIST: usize = 5;
/// Tags of a user's tag profile.
const PROFILE_TAGS: usize = 10;
/// Most tagged artists of each profile tag considered.
const ARTISTS_PER_TAG: usize = 200;

impl ReadModel {
    /// The most listened artists among those carrying the tags of what `user` plays (the
    /// most listened overall for a user who plays nothing), never one they play nor one of
    /// `known` (artist ids: those they tagged), most listeners first (ties by id): the
    /// recommendations' fallback before a model exists. `None`: no such user.
    pub fn popular_in_tags(
        &self,
        user: i64,
        k: usize,
        known: &[i64],
    ) -> Option<Vec<ArtistSummary>> {
        let s = &self.state;
        let u = s.users.by_id(user)?;
        let mut heard: rustc_hash::FxHashSet<Slot> = u.artists.iter().map(|e| e.0).collect();
        heard.extend(known.iter().filter_map(|&id| s.artists.slot(id)));
        // The user's tags: the tags of their artists, weighted by how often they were applied.
        let mut tags: rustc_hash::FxHashMap<Slot, u64> = rustc_hash::FxHashMap::default();
        for &(a, _) in &u.artists {
            for &(n, t) in s.artists.get(a).tags.iter().take(TAGS_PER_ARTIST) {
                *tags.entry(t).or_default() += u64::from(n);
            }
        }
        let mut tags: Vec<(Slot, u64)> = tags.into_iter().collect();
        tags.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then(s.tags.get(a.0).id.cmp(&s.tags.get(b.0).id))
        });
        tags.truncate(PROFILE_TAGS);
        let mut candidates: Vec<Slot> = tags
            .iter()
            .flat_map(|&(t, _)| {
                s.tags
                    .get(t)
                    .artists
                    .iter()
                    .take(ARTISTS_PER_TAG)
                    .map(|e| e.1)
            })
            .filter(|a| !heard.contains(a))
            .collect();
        if candidates.is_empty() {
            return Some(
                s.rank
                    .artist_listeners
                    .skip(Direction::Desc, 0)
                    .filter(|id| s.artists.slot(*id).is_some_and(|a| !heard.contains(&a)))
                    .take(k)
                    .filter_map(|id| self.artist_summary(id))
                    .collect(),
            );
        }
        candidates.sort_unstable();
        candidates.dedup();
        let key = |a: &Slot| {
            let artist = s.artists.get(*a);
            (std::cmp::Reverse(artist.listeners.len()), artist.id)
        };
        candidates.sort_by_key(key);
        Some(
            candidates
                .into_iter()
                .take(k)
                .map(|a| Self::summary_of(s.artists.get(a)))
                .collect(),
        )
    }
}
