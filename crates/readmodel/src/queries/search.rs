//! The curators' granular search: artists by a combination of tags (all of, any of), a
//! popularity range (listeners, plays) and a name, sorted and paged.
//!
//! Without tags the matches are read off the rankings in order, filtered as they go; with
//! tags, the candidates are the tagged artists (the tag lists bound the work), scored by how
//! often the tags were applied, then sorted.

use std::cmp::Reverse;

use rustc_hash::{FxHashMap, FxHashSet};
use soundstream_core::views::artists::ArtistHit;

use crate::cursor::{Cursor, CursorError, Part, ints, text_and_id};
use crate::model::{ArtistEntry, Slot};
use crate::names::fold;
use crate::{ArtistSort, Direction, ReadModel, Slice, Start};

/// What to sort search results by.
// The API takes this as the search's `sort` parameter: see `ArtistSort`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum SearchSort {
    /// Tag score, then listeners (the default).
    Relevance,
    /// Number of listeners.
    Listeners,
    /// Total plays.
    Plays,
    /// Name, case-insensitively.
    Name,
    /// Artist id.
    Id,
}

/// The criteria of a search; every criterion given must hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// Tag ids the artist must all carry.
    pub tags_all: Vec<i64>,
    /// Tag ids of which the artist must carry one.
    pub tags_any: Vec<i64>,
    /// Text the name must contain, case-insensitively.
    pub name: Option<String>,
    /// Listeners, at least and at most.
    pub listeners: (Option<i64>, Option<i64>),
    /// Plays, at least and at most.
    pub plays: (Option<i64>, Option<i64>),
    /// Sort key.
    pub sort: SearchSort,
    /// Sort direction.
    pub direction: Direction,
}

/// The sort key of one hit, ascending in the order served.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum HitKey {
    Num(i64, i64, i64),
    Name(Box<str>, i64),
    NameDesc(Reverse<Box<str>>, i64),
}

impl HitKey {
    fn parts(&self) -> Vec<Part> {
        match self {
            HitKey::Num(a, b, id) => vec![Part::Int(*a), Part::Int(*b), Part::Int(*id)],
            HitKey::Name(t, id) | HitKey::NameDesc(Reverse(t), id) => {
                vec![Part::Text(t.to_string()), Part::Int(*id)]
            }
        }
    }

    /// The key a cursor of a search sorted by `sort` holds.
    fn decode(k: &[Part], sort: SearchSort, desc: bool) -> Result<Self, CursorError> {
        Ok(match sort {
            SearchSort::Name => {
                let (t, id) = text_and_id(k)?;
                if desc {
                    HitKey::NameDesc(Reverse(t.into_boxed_str()), id)
                } else {
                    HitKey::Name(t.into_boxed_str(), id)
                }
            }
            _ => {
                let [a, b, id] = ints::<3>(k)?;
                HitKey::Num(a, b, id)
            }
        })
    }
}

fn within(value: i64, (min, max): (Option<i64>, Option<i64>)) -> bool {
    min.is_none_or(|m| value >= m) && max.is_none_or(|m| value <= m)
}

/// The criteria of a search other than tags, with the ids its name matches.
struct Filter<'q> {
    query: &'q SearchQuery,
    named: Option<FxHashSet<i64>>,
}

impl Filter<'_> {
    /// Whether artist `a` meets the popularity ranges and the name.
    fn passes(&self, a: &ArtistEntry) -> bool {
        within(a.listeners.len() as i64, self.query.listeners)
            && within(a.plays as i64, self.query.plays)
            && self.named.as_ref().is_none_or(|n| n.contains(&a.id))
    }
}

/// Artist `a` as a search hit with its tag score.
fn hit(a: &ArtistEntry, score: i64) -> ArtistHit {
    let summary = ReadModel::summary_of(a);
    ArtistHit {
        id: summary.id,
        name: summary.name,
        url: summary.url,
        picture_url: summary.picture_url,
        listeners: summary.listeners,
        plays: summary.plays,
        tag_score: score,
    }
}

impl ReadModel {
    /// `(artist slot, tag score)` of the artists carrying the tags as asked, in no order;
    /// `None` without tags.
    fn tag_scores(&self, all: &[i64], any: &[i64]) -> Option<Vec<(Slot, i64)>> {
        if all.is_empty() && any.is_empty() {
            return None;
        }
        let s = &self.state;
        let carrying = |tag: &i64| s.tags.by_id(*tag).map_or(&[][..], |t| t.artists.as_slice());
        // The candidates, with their score so far and how many of the tags (after the first
        // list) carry them. The first list is the rarest tag of `all` (the candidates can
        // only shrink from there), else the union of `any`.
        let mut all: Vec<&[(u32, Slot)]> = all.iter().map(carrying).collect();
        all.sort_by_key(|list| list.len());
        type Candidates = FxHashMap<Slot, (i64, usize)>;
        let (mut candidates, others): (Candidates, &[&[(u32, Slot)]]) = match all.split_first() {
            Some((rarest, others)) => (
                rarest
                    .iter()
                    .map(|&(c, a)| (a, (i64::from(c), 0)))
                    .collect(),
                others,
            ),
            None => {
                let mut union = FxHashMap::default();
                for tag in any {
                    for &(c, a) in carrying(tag) {
                        union.entry(a).or_insert((0, 0)).0 += i64::from(c);
                    }
                }
                return Some(
                    union
                        .into_iter()
                        .map(|(a, (score, _))| (a, score))
                        .collect(),
                );
            }
        };
        // Each other tag of `all` adds its counts to the candidates it carries; those some
        // tag does not carry drop out at the end.
        for (n, list) in others.iter().enumerate() {
            for &(c, a) in *list {
                if let Some((score, seen)) = candidates.get_mut(&a)
                    && *seen == n
                {
                    *score += i64::from(c);
                    *seen = n + 1;
                }
            }
        }
        let mut needed = others.len();
        // With `any` too: one of its tags must carry the candidate; each that does adds its
        // count (marked once, so the candidate counts as carried by one more list).
        if !any.is_empty() {
            for tag in any {
                for &(c, a) in carrying(tag) {
                    if let Some((score, seen)) = candidates.get_mut(&a)
                        && *seen >= needed
                    {
                        *score += i64::from(c);
                        *seen = needed + 1;
                    }
                }
            }
            needed += 1;
        }
        Some(
            candidates
                .into_iter()
                .filter(|(_, (_, seen))| *seen == needed)
                .map(|(a, (score, _))| (a, score))
                .collect(),
        )
    }

    /// A page of the artists matching `query`.
    pub fn search(
        &self,
        query: &SearchQuery,
        start: &Start,
        limit: usize,
    ) -> Result<Slice<ArtistHit>, CursorError> {
        let filter = Filter {
            query,
            named: query.name.as_deref().map(|n| {
                self.state
                    .artist_names
                    .search(&fold(n))
                    .into_iter()
                    .collect()
            }),
        };
        let scope = format!("search/{:?}/{:?}", query.sort, query.direction);
        match self.tag_scores(&query.tags_all, &query.tags_any) {
            None => self.search_ranked(&filter, &scope, start, limit),
            Some(scores) => self.search_scored(&filter, scores, &scope, start, limit),
        }
    }

    /// A search without tags: every score is 0, so relevance is listeners; the page is read
    /// off the ranking of the sort, filtered as it goes.
    fn search_ranked(
        &self,
        filter: &Filter<'_>,
        scope: &str,
        start: &Start,
        limit: usize,
    ) -> Result<Slice<ArtistHit>, CursorError> {
        let s = &self.state;
        let query = filter.query;
        let total = if query.name.is_none()
            && query.listeners == (None, None)
            && query.plays == (None, None)
        {
            s.artists.len()
        } else if let Some(named) = &filter.named {
            named
                .iter()
                .filter(|id| s.artists.by_id(**id).is_some_and(|a| filter.passes(a)))
                .count()
        } else {
            s.artists.iter().filter(|(_, a)| filter.passes(a)).count()
        };
        let sort = match query.sort {
            SearchSort::Relevance | SearchSort::Listeners => ArtistSort::Listeners,
            SearchSort::Plays => ArtistSort::Plays,
            SearchSort::Name => ArtistSort::Name,
            SearchSort::Id => ArtistSort::Id,
        };
        let keep = |id: i64| s.artists.by_id(id).is_some_and(|a| filter.passes(a));
        let page = self.artist_page(
            sort,
            query.direction,
            start,
            limit,
            scope,
            true,
            &keep,
            total,
        )?;
        Ok(page.map(|id| hit(s.artists.by_id(id).expect("listed artists exist"), 0)))
    }

    /// A search by tags: the scored candidates that pass the filter, keyed by the sort; only
    /// the hits up to the page's end are put in order.
    // The parameters of `search_ranked` again, plus the scores (a deliberate likeness): the two
    // ways to answer a page.
    fn search_scored(
        &self,
        filter: &Filter<'_>,
        scores: Vec<(Slot, i64)>,
        scope: &str,
        start: &Start,
        limit: usize,
    ) -> Result<Slice<ArtistHit>, CursorError> {
        let s = &self.state;
        let query = filter.query;
        let desc = query.direction == Direction::Desc;
        let sign = |v: i64| if desc { -v } else { v };
        let mut hits: Vec<(HitKey, Slot, i64)> = scores
            .into_iter()
            .filter(|(a, _)| filter.passes(s.artists.get(*a)))
            .map(|(slot, score)| {
                let a = s.artists.get(slot);
                let listeners = a.listeners.len() as i64;
                let key = match query.sort {
                    SearchSort::Relevance => HitKey::Num(sign(score), sign(listeners), a.id),
                    SearchSort::Listeners => HitKey::Num(sign(listeners), 0, a.id),
                    SearchSort::Plays => HitKey::Num(sign(a.plays as i64), 0, a.id),
                    SearchSort::Id => HitKey::Num(sign(a.id), 0, 0),
                    SearchSort::Name if desc => HitKey::NameDesc(Reverse(a.folded.clone()), a.id),
                    SearchSort::Name => HitKey::Name(a.folded.clone(), a.id),
                };
                (key, slot, score)
            })
            .collect();
        // A page needs only the hits up to its end in order: those are selected, then sorted
        // (sorting every hit was most of a search by popular tags at 100x).
        let total = hits.len();
        let from = match start {
            Start::Skip(skip) => *skip,
            Start::After(token) => {
                let after = HitKey::decode(&Cursor::decode(token, scope)?, query.sort, desc)?;
                hits.retain(|h| h.0 > after);
                0
            }
        };
        let remaining = hits.len();
        let end = from.saturating_add(limit).min(remaining);
        let order = |x: &(HitKey, Slot, i64), y: &(HitKey, Slot, i64)| x.0.cmp(&y.0);
        if end > 0 && end < remaining {
            hits.select_nth_unstable_by(end - 1, order);
            hits.truncate(end);
        }
        hits.sort_unstable_by(order);
        let from = from.min(end);
        let next = (end < remaining && end > from)
            .then(|| Cursor::new(scope.to_owned(), hits[end - 1].0.parts()).encode());
        Ok(Slice {
            items: hits[from..end]
                .iter()
                .map(|&(_, slot, score)| hit(s.artists.get(slot), score))
                .collect(),
            total,
            next,
        })
    }
}
