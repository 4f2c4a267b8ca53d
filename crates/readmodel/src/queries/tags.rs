//! Tags: one with its usage, lists by id, value or usage with a text filter, the artists a
//! tag was applied to, lookups by value, and the most applied tags.

use soundstream_core::views::analytics::TagUsage;
use soundstream_core::views::tags::{TagArtist, TagSummary};

use crate::cursor::{CursorError, Part, ints, text_and_id};
use crate::model::TagEntry;
use crate::names::fold;
use crate::page::{by_id, counted_page, ranked, take_page};
use crate::{Direction, ReadModel, Slice, Start, TagSort};

fn summary_of(t: &TagEntry) -> TagSummary {
    TagSummary {
        id: t.id,
        value: t.value.to_string(),
        usage: t.usage as i64,
        artists: t.artists.len() as i64,
        users: i64::from(t.users),
    }
}

impl ReadModel {
    /// Whether the tag exists.
    pub fn has_tag(&self, id: i64) -> bool {
        self.state.tags.slot(id).is_some()
    }

    /// The tag with its usage.
    pub fn tag(&self, id: i64) -> Option<TagSummary> {
        self.state.tags.by_id(id).map(summary_of)
    }

    /// The tag's value.
    pub fn tag_value(&self, id: i64) -> Option<String> {
        self.state.tags.by_id(id).map(|t| t.value.to_string())
    }

    /// The id of the tag with this value, compared case-insensitively.
    pub fn tag_id_by_value(&self, value: &str) -> Option<i64> {
        self.state.tag_by_folded.get(fold(value).as_str()).copied()
    }

    /// A page of tags, those whose value contains `value` when given, sorted by `sort` in
    /// `direction` (ties by id).
    pub fn tags(
        &self,
        value: Option<&str>,
        sort: TagSort,
        direction: Direction,
        start: &Start,
        limit: usize,
    ) -> Result<Slice<TagSummary>, CursorError> {
        let s = &self.state;
        let matches: Option<rustc_hash::FxHashSet<i64>> =
            value.map(|v| s.tag_values.search(&fold(v)).into_iter().collect());
        let total = matches.as_ref().map_or(s.tags.len(), |m| m.len());
        let keep = |id: i64| matches.as_ref().is_none_or(|m| m.contains(&id));
        let filtered = matches.is_some();
        let scope = format!("tags/{sort:?}/{direction:?}");
        let r = &s.rank;
        let ids = match sort {
            TagSort::Id => by_id(&r.tag_ids, direction, start, &scope, filtered, &keep)?,
            TagSort::Value => ranked(
                &r.tag_values,
                direction,
                start,
                &scope,
                |k| text_and_id(k).map(|(t, id)| (t.into_boxed_str(), id)),
                filtered,
                &keep,
            )?,
            TagSort::Usage => ranked(
                &r.tag_usage,
                direction,
                start,
                &scope,
                |k| ints::<2>(k).map(|[v, id]| (v as u64, id)),
                filtered,
                &keep,
            )?,
        };
        let key_of = |id: i64| {
            let t = s.tags.by_id(id).expect("ranked tags exist");
            match sort {
                TagSort::Id => vec![Part::Int(id)],
                TagSort::Value => vec![Part::Text(t.folded.to_string()), Part::Int(id)],
                TagSort::Usage => vec![Part::Int(t.usage as i64), Part::Int(id)],
            }
        };
        let page = take_page(ids, limit, keep, &scope, key_of, total);
        Ok(page.map(|id| summary_of(s.tags.by_id(id).expect("listed tags exist"))))
    }

    /// The artists a tag was applied to, most often first (ties by artist id); `None`: no
    /// tag.
    pub fn tag_artists(
        &self,
        id: i64,
        start: &Start,
        limit: usize,
    ) -> Option<Result<Slice<TagArtist>, CursorError>> {
        let s = &self.state;
        let t = s.tags.by_id(id)?;
        let scope = format!("tags/{id}/artists");
        Some(counted_page(
            &t.artists,
            |a| s.artists.get(a).id,
            start,
            limit,
            &scope,
            |(c, a)| {
                let artist = s.artists.get(a);
                TagArtist {
                    artist_id: artist.id,
                    name: artist.name.to_string(),
                    picture_url: artist.picture_url.as_deref().map(str::to_owned),
                    count: i64::from(c),
                }
            },
        ))
    }

    /// The most applied tags with their artists and users (ties by id).
    pub fn top_tags(&self, limit: usize) -> Vec<TagUsage> {
        let s = &self.state;
        s.rank
            .tag_usage
            .skip(Direction::Desc, 0)
            .filter_map(|id| s.tags.by_id(id))
            .filter(|t| t.usage > 0)
            .take(limit)
            .map(|t| TagUsage {
                tag_id: t.id,
                value: t.value.to_string(),
                usage: t.usage as i64,
                artists: t.artists.len() as i64,
                users: i64::from(t.users),
            })
            .collect()
    }
}

impl ReadModel {
    /// How many tag assignments match the filters, when the model keeps that count (any
    /// combination but user with artist); `None` otherwise. Ids that do not exist count 0.
    pub fn assignment_count(
        &self,
        user: Option<i64>,
        artist: Option<i64>,
        tag: Option<i64>,
    ) -> Option<u64> {
        let s = &self.state;
        let tag_slot = tag.map(|t| s.tags.slot(t));
        Some(match (user, artist, tag_slot) {
            (None, None, None) => s.totals.assignments,
            (None, None, Some(t)) => t.map_or(0, |t| s.tags.get(t).usage),
            (Some(u), None, None) => s.users.by_id(u).map_or(0, |u| u64::from(u.assignments)),
            (Some(u), None, Some(t)) => match (s.users.by_id(u), t) {
                (Some(u), Some(t)) => u
                    .tags
                    .binary_search_by_key(&t, |e| e.0)
                    .map_or(0, |i| u64::from(u.tags[i].1)),
                _ => 0,
            },
            (None, Some(a), t) => {
                let Some(artist) = s.artists.by_id(a) else {
                    return Some(0);
                };
                match t {
                    None => artist.tags.iter().map(|e| u64::from(e.0)).sum(),
                    Some(None) => 0,
                    Some(Some(t)) => artist
                        .tags
                        .iter()
                        .find(|e| e.1 == t)
                        .map_or(0, |e| u64::from(e.0)),
                }
            }
            (Some(_), Some(_), _) => return None,
        })
    }
}
