//! The curators' granular search: artists by a combination of tags (all of, any of), a
//! popularity range (listeners, plays) and a name, sorted and paginated, answered from the
//! in-memory catalogue.

use axum::extract::State;
use rustc_hash::FxHashMap;
use serde::Deserialize;
use soundstream_core::views::artists::{ArtistHit, ArtistSummary};
use soundstream_core::views::{Order, Page};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::catalog::{Snapshot, fold};
use crate::error::{ApiError, ApiResult, ErrorBody, FieldError};
use crate::extract::{Query, Validate, check_page, check_range, check_text, page, split_list};
use crate::routes::artists::{ArtistSort, sort_artists};

/// The most tags one search may name in each of `tags_all` and `tags_any`.
const MAX_TAGS: usize = 20;

/// The routes of this area.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(search_artists))
}

/// What to sort search results by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
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

/// The search criteria; every criterion given must hold.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ArtistSearchQuery {
    /// Tags the artist must all carry (tag values, case-insensitive). Repeat the key or
    /// separate values with commas: `tags_all=rock,indie`.
    #[serde(default)]
    pub tags_all: Vec<String>,
    /// Tags of which the artist must carry at least one.
    #[serde(default)]
    pub tags_any: Vec<String>,
    /// Text the artist's name must contain, case-insensitively.
    pub name: Option<String>,
    /// Fewest listeners.
    #[param(minimum = 0)]
    pub min_listeners: Option<i64>,
    /// Most listeners.
    #[param(minimum = 0)]
    pub max_listeners: Option<i64>,
    /// Fewest total plays.
    #[param(minimum = 0)]
    pub min_plays: Option<i64>,
    /// Most total plays.
    #[param(minimum = 0)]
    pub max_plays: Option<i64>,
    /// Sort key (default `relevance`).
    #[param(inline)]
    pub sort: Option<SearchSort>,
    /// Sort direction (default `desc`, `asc` for `name` and `id`).
    #[param(inline)]
    pub order: Option<Order>,
    /// Items to skip (default 0).
    #[param(minimum = 0, maximum = 10_000_000)]
    pub skip: Option<i64>,
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

impl Validate for ArtistSearchQuery {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        for (field, tags) in [("tags_all", &self.tags_all), ("tags_any", &self.tags_any)] {
            let tags = split_list(tags);
            if tags.len() > MAX_TAGS {
                errors.push(FieldError::query(
                    field,
                    format!("names more than {MAX_TAGS} tags"),
                ));
            }
            for tag in &tags {
                check_text("query", field, tag, errors);
            }
        }
        if let Some(name) = &self.name {
            check_text("query", "name", name, errors);
        }
        check_range(
            ("min_listeners", self.min_listeners),
            ("max_listeners", self.max_listeners),
            errors,
        );
        check_range(
            ("min_plays", self.min_plays),
            ("max_plays", self.max_plays),
            errors,
        );
        check_page(self.skip, self.limit, errors);
    }
}

/// Tag ids for the given values, or one 422 naming every unknown value.
fn resolve(
    catalog: &Snapshot,
    field: &str,
    values: &[String],
) -> Result<Vec<i64>, Vec<FieldError>> {
    let mut ids = Vec::new();
    let mut errors = Vec::new();
    for value in split_list(values) {
        match catalog.tag_by_value(&value) {
            Some(tag) => ids.push(tag.id),
            None => errors.push(FieldError::query(
                field,
                format!("there is no tag '{value}'"),
            )),
        }
    }
    if errors.is_empty() {
        Ok(ids)
    } else {
        Err(errors)
    }
}

/// Artist index -> tag score, for the artists carrying the tags as asked.
fn tag_matches(catalog: &Snapshot, all: &[i64], any: &[i64]) -> Option<FxHashMap<usize, i64>> {
    if all.is_empty() && any.is_empty() {
        return None;
    }
    let carrying = |tag: &i64| {
        catalog
            .tag_artists
            .get(tag)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    };
    let mut scores: Option<FxHashMap<usize, i64>> = None;
    for tag in all {
        let with_tag: FxHashMap<usize, i64> = carrying(tag).iter().copied().collect();
        scores = Some(match scores {
            None => with_tag,
            Some(so_far) => so_far
                .into_iter()
                .filter_map(|(artist, score)| with_tag.get(&artist).map(|s| (artist, score + s)))
                .collect(),
        });
    }
    if !any.is_empty() {
        let mut any_scores: FxHashMap<usize, i64> = FxHashMap::default();
        for tag in any {
            for &(artist, count) in carrying(tag) {
                *any_scores.entry(artist).or_default() += count;
            }
        }
        scores = Some(match scores {
            None => any_scores,
            Some(so_far) => so_far
                .into_iter()
                .filter_map(|(artist, score)| any_scores.get(&artist).map(|s| (artist, score + s)))
                .collect(),
        });
    }
    scores
}

/// Search artists by tags (all of / any of), popularity range and name.
#[utoipa::path(get, path = "/v1/search/artists", tag = "search", params(ArtistSearchQuery),
    responses(
        (status = 200, description = "A page of matching artists", body = Page<ArtistHit>),
        (status = 422, description = "Invalid parameters or unknown tags", body = ErrorBody),
    ))]
pub async fn search_artists(
    State(state): State<AppState>,
    Query(q): Query<ArtistSearchQuery>,
) -> ApiResult<axum::Json<Page<ArtistHit>>> {
    let catalog = state.catalog.snapshot().await?;
    let all = resolve(&catalog, "tags_all", &q.tags_all);
    let any = resolve(&catalog, "tags_any", &q.tags_any);
    let (all, any) = match (all, any) {
        (Ok(all), Ok(any)) => (all, any),
        (all, any) => {
            let errors = [all.err(), any.err()]
                .into_iter()
                .flatten()
                .flatten()
                .collect();
            return Err(ApiError::Validation(errors));
        }
    };
    let scores = tag_matches(&catalog, &all, &any);
    let named: Option<Vec<bool>> = q.name.as_deref().map(|name| {
        let mut named = vec![false; catalog.artists.len()];
        for i in catalog.artists_named(&fold(name)) {
            named[i] = true;
        }
        named
    });
    let within = |value: i64, min: Option<i64>, max: Option<i64>| {
        min.is_none_or(|m| value >= m) && max.is_none_or(|m| value <= m)
    };
    let score_of = |i: usize| {
        scores
            .as_ref()
            .and_then(|s| s.get(&i).copied())
            .unwrap_or(0)
    };
    let mut hits: Vec<(usize, &ArtistSummary)> = catalog
        .artists
        .iter()
        .enumerate()
        .filter(|(i, _)| scores.as_ref().is_none_or(|s| s.contains_key(i)))
        .filter(|(_, a)| within(a.listeners, q.min_listeners, q.max_listeners))
        .filter(|(_, a)| within(a.plays, q.min_plays, q.max_plays))
        .filter(|(i, _)| named.as_ref().is_none_or(|named| named[*i]))
        .collect();
    match q.sort.unwrap_or(SearchSort::Relevance) {
        SearchSort::Relevance => {
            let desc = q.order.unwrap_or(Order::Desc) == Order::Desc;
            hits.sort_by(|(i, a), (j, b)| {
                let key = score_of(*i)
                    .cmp(&score_of(*j))
                    .then(a.listeners.cmp(&b.listeners));
                (if desc { key.reverse() } else { key }).then(a.id.cmp(&b.id))
            });
        }
        other => {
            let sort = match other {
                SearchSort::Listeners => ArtistSort::Listeners,
                SearchSort::Plays => ArtistSort::Plays,
                SearchSort::Name => ArtistSort::Name,
                _ => ArtistSort::Id,
            };
            let index: FxHashMap<i64, usize> = hits.iter().map(|(i, a)| (a.id, *i)).collect();
            let mut artists: Vec<&ArtistSummary> = hits.iter().map(|(_, a)| *a).collect();
            sort_artists(&mut artists, sort, q.order);
            hits = artists.into_iter().map(|a| (index[&a.id], a)).collect();
        }
    }
    let (skip, limit) = page(q.skip, q.limit);
    let items = hits
        .iter()
        .skip(skip as usize)
        .take(limit as usize)
        .map(|(i, a)| ArtistHit {
            id: a.id,
            name: a.name.clone(),
            url: a.url.clone(),
            picture_url: a.picture_url.clone(),
            listeners: a.listeners,
            plays: a.plays,
            tag_score: score_of(*i),
        })
        .collect();
    Ok(axum::Json(Page {
        items,
        total: hits.len() as i64,
        skip,
        limit,
    }))
}
