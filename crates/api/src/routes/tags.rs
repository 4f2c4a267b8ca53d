//! The tags endpoints: every tag with how much it is used (users, artists, times applied),
//! one tag with its first and last use, the artists carrying a tag, and creating (idempotently
//! on the case-insensitive value), renaming and deleting tags.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use rustc_hash::FxHashMap;
use serde::Deserialize;
use soundstream_core::views::tags::{TagArtist, TagDetail, TagSummary};
use soundstream_core::views::{Order, Page};
use soundstream_store::{TagActivity, TagRename};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::catalog::fold;
use crate::error::{ApiError, ApiResult, ErrorBody, FieldError};
use crate::extract::{
    Json, PageQuery, Path, Query, Validate, check_id, check_page, check_text, page,
};

/// The routes of this area.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_tags, create_tag))
        .routes(routes!(get_tag, update_tag, delete_tag))
        .routes(routes!(list_tag_artists))
}

/// The tag addressed by the path.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct TagPath {
    /// Tag id.
    #[param(minimum = 1)]
    pub tag_id: i64,
}

impl Validate for TagPath {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        check_id("path", "tag_id", self.tag_id, errors);
    }
}

/// What to sort tags by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TagSort {
    /// Tag id.
    Id,
    /// Tag text, case-insensitively.
    Value,
    /// Number of times the tag was applied.
    Usage,
}

/// Filter, sort and page of the tag list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TagListQuery {
    /// Only tags whose text contains this text, case-insensitively.
    pub value: Option<String>,
    /// Sort key (default `id`).
    // Inlined: a parameter's schema reference is not registered among the components.
    #[param(inline)]
    pub sort: Option<TagSort>,
    /// Sort direction (default `asc` for `id` and `value`, `desc` for `usage`).
    #[param(inline)]
    pub order: Option<Order>,
    /// Items to skip (default 0).
    #[param(minimum = 0, maximum = 10_000_000)]
    pub skip: Option<i64>,
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

impl Validate for TagListQuery {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        if let Some(value) = &self.value {
            check_text("query", "value", value, errors);
        }
        check_page(self.skip, self.limit, errors);
    }
}

/// Every tag with its usage and first and last use, by id: the tag list and a tag's detail
/// are answered from this, computed once per store generation.
struct TagStats {
    /// Every tag, by id.
    tags: Vec<TagDetail>,
    /// Folded tag values, index for index with `tags`.
    folded: Vec<String>,
    /// Index in `tags` of each tag id.
    index: FxHashMap<i64, usize>,
    /// Indexes into `tags` in ascending (value, id) order.
    by_value: Vec<usize>,
    /// Indexes into `tags` in ascending (usage, id) order.
    by_usage: Vec<usize>,
}

/// The usage of every tag. Times applied and artists come from the catalogue's tag -> artists
/// counts; distinct users and first and last use need one grouped scan of the assignments.
/// Both are redone only after a write (or when the cache expires), never per request.
async fn tag_stats(state: &AppState) -> ApiResult<Arc<TagStats>> {
    state
        .cached("tags:stats".into(), || async {
            let catalog = state.catalog.snapshot().await?;
            let activity: FxHashMap<i64, TagActivity> = state
                .store
                .tag_activity()
                .await?
                .into_iter()
                .map(|a| (a.tag_id, a))
                .collect();
            let tags: Vec<TagDetail> = catalog
                .tags
                .iter()
                .map(|tag| {
                    let carrying = catalog
                        .tag_artists
                        .get(&tag.id)
                        .map(Vec::as_slice)
                        .unwrap_or(&[]);
                    let activity = activity.get(&tag.id);
                    TagDetail {
                        id: tag.id,
                        value: tag.value.clone(),
                        usage: carrying.iter().map(|&(_, count)| count).sum(),
                        artists: carrying.len() as i64,
                        users: activity.map_or(0, |a| a.users),
                        first_used: activity.map(|a| a.first_used),
                        last_used: activity.map(|a| a.last_used),
                    }
                })
                .collect();
            let folded: Vec<String> = tags.iter().map(|t| fold(&t.value)).collect();
            let index = tags.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
            // Sorted once per build, so a list request only filters and slices.
            let mut by_value: Vec<usize> = (0..tags.len()).collect();
            by_value.sort_by(|&a, &b| folded[a].cmp(&folded[b]).then(tags[a].id.cmp(&tags[b].id)));
            let mut by_usage: Vec<usize> = (0..tags.len()).collect();
            by_usage.sort_by(|&a, &b| {
                tags[a]
                    .usage
                    .cmp(&tags[b].usage)
                    .then(tags[a].id.cmp(&tags[b].id))
            });
            Ok(TagStats {
                tags,
                folded,
                index,
                by_value,
                by_usage,
            })
        })
        .await
}

/// List tags with their usage, filtered by text and sorted by id, text or usage.
#[utoipa::path(get, path = "/v1/tags", tag = "tags", params(TagListQuery),
    responses(
        (status = 200, description = "A page of tags", body = Page<TagSummary>),
        (status = 422, description = "Invalid parameters", body = ErrorBody),
    ))]
pub async fn list_tags(
    State(state): State<AppState>,
    Query(q): Query<TagListQuery>,
) -> ApiResult<axum::Json<Page<TagSummary>>> {
    let stats = tag_stats(&state).await?;
    let needle = q.value.as_deref().map(fold);
    let sort = q.sort.unwrap_or(TagSort::Id);
    let order = q.order.unwrap_or(match sort {
        TagSort::Id | TagSort::Value => Order::Asc,
        TagSort::Usage => Order::Desc,
    });
    // Tags are kept by id; the other orders are precomputed (ascending, ties by id).
    let ascending: Box<dyn Iterator<Item = usize> + '_> = match sort {
        TagSort::Id => Box::new(0..stats.tags.len()),
        TagSort::Value => Box::new(stats.by_value.iter().copied()),
        TagSort::Usage => Box::new(stats.by_usage.iter().copied()),
    };
    let mut matching: Vec<usize> = ascending
        .filter(|&i| {
            needle
                .as_ref()
                .is_none_or(|n| stats.folded[i].contains(n.as_str()))
        })
        .collect();
    if order == Order::Desc {
        // Reversed, equal keys come by descending id: turn each run of ties back, so ties
        // stay by ascending id and pages are stable (linear, no second sort).
        matching.reverse();
        let same = |a: usize, b: usize| match sort {
            TagSort::Id => false,
            TagSort::Value => stats.folded[a] == stats.folded[b],
            TagSort::Usage => stats.tags[a].usage == stats.tags[b].usage,
        };
        let mut start = 0;
        for end in 1..=matching.len() {
            if end == matching.len() || !same(matching[start], matching[end]) {
                matching[start..end].reverse();
                start = end;
            }
        }
    }
    let (skip, limit) = page(q.skip, q.limit);
    Ok(axum::Json(Page {
        items: matching
            .iter()
            .skip(skip as usize)
            .take(limit as usize)
            .map(|&i| TagSummary::from(stats.tags[i].clone()))
            .collect(),
        total: matching.len() as i64,
        skip,
        limit,
    }))
}

/// One tag with its usage and when it was first and last applied.
#[utoipa::path(get, path = "/v1/tags/{tag_id}", tag = "tags", params(TagPath),
    responses(
        (status = 200, description = "The tag", body = TagDetail),
        (status = 404, description = "No such tag", body = ErrorBody),
        (status = 422, description = "Invalid id", body = ErrorBody),
    ))]
pub async fn get_tag(
    State(state): State<AppState>,
    Path(p): Path<TagPath>,
    Query(_): Query<crate::routes::analytics::NoParams>,
) -> ApiResult<axum::Json<TagDetail>> {
    let stats = tag_stats(&state).await?;
    stats
        .index
        .get(&p.tag_id)
        .map(|&i| axum::Json(stats.tags[i].clone()))
        .ok_or_else(|| ApiError::not_found(format!("tag {}", p.tag_id)))
}

/// The tag as stored, for the answer to a write (the cached statistics catch up on next read).
async fn found(state: &AppState, id: i64) -> ApiResult<TagDetail> {
    state
        .store
        .tag(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("tag {id}")))
}

/// The text of a new or renamed tag.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTag {
    /// Tag text (1 to 500 characters, no commas, no spaces at either end). Unique,
    /// compared case-insensitively.
    pub value: String,
}

/// A tag's new text.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TagPatch {
    /// New tag text (1 to 500 characters, no commas, no spaces at either end); no other tag
    /// may have it, compared case-insensitively.
    pub value: String,
}

/// Checks a tag text: what `check_text` checks, and what search needs to find the tag again.
fn check_value(value: &str, errors: &mut Vec<FieldError>) {
    let before = errors.len();
    check_text("body", "value", value, errors);
    if errors.len() > before {
        return;
    }
    if value.contains(',') {
        // Search takes lists of tags separated by commas (`tags_all=rock,indie`): a tag
        // with a comma could never be searched for.
        errors.push(FieldError::body(
            "value",
            "must not contain commas (search separates tags with commas)",
        ));
    } else if value.trim() != value {
        // Search trims every tag it is given: " rock" would be looked up as "rock".
        errors.push(FieldError::body(
            "value",
            "must not start or end with spaces",
        ));
    }
}

impl Validate for NewTag {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        check_value(&self.value, errors);
    }
}

impl Validate for TagPatch {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        check_value(&self.value, errors);
    }
}

/// Create a tag, or get the tag that already has this text.
///
/// Idempotent on the text, compared case-insensitively as search compares tags: when a tag
/// with the same text exists (`Rock` for `rock`), it is returned with 200 and nothing is
/// created.
#[utoipa::path(post, path = "/v1/tags", tag = "tags", request_body = NewTag,
    responses(
        (status = 201, description = "Created; `Location` gives its URL", body = TagSummary),
        (status = 200, description = "A tag with this text, compared case-insensitively, already exists: that tag", body = TagSummary),
        (status = 422, description = "Invalid body", body = ErrorBody),
    ))]
pub async fn create_tag(
    State(state): State<AppState>,
    Query(_): Query<crate::routes::analytics::NoParams>,
    Json(new): Json<NewTag>,
) -> ApiResult<(StatusCode, HeaderMap, axum::Json<TagSummary>)> {
    let (tag, created) = state.store.create_tag(&new.value).await?;
    let mut headers = HeaderMap::new();
    let status = if created {
        if let Ok(location) = format!("/v1/tags/{}", tag.id).parse() {
            headers.insert(header::LOCATION, location);
        }
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let summary = TagSummary::from(found(&state, tag.id).await?);
    Ok((status, headers, axum::Json(summary)))
}

/// Rename a tag.
#[utoipa::path(patch, path = "/v1/tags/{tag_id}", tag = "tags", params(TagPath),
    request_body = TagPatch,
    responses(
        (status = 200, description = "The tag as renamed", body = TagDetail),
        (status = 404, description = "No such tag", body = ErrorBody),
        (status = 409, description = "Another tag has this text, compared case-insensitively", body = ErrorBody),
        (status = 422, description = "Invalid id or body", body = ErrorBody),
    ))]
pub async fn update_tag(
    State(state): State<AppState>,
    Query(_): Query<crate::routes::analytics::NoParams>,
    Path(p): Path<TagPath>,
    Json(patch): Json<TagPatch>,
) -> ApiResult<axum::Json<TagDetail>> {
    match state.store.rename_tag(p.tag_id, &patch.value).await? {
        TagRename::Renamed => found(&state, p.tag_id).await.map(axum::Json),
        TagRename::NotFound => Err(ApiError::not_found(format!("tag {}", p.tag_id))),
        TagRename::Taken(other) => Err(ApiError::Conflict {
            message: format!("tag {} already has the text '{}'", other.id, other.value),
        }),
    }
}

/// Delete a tag, with every assignment of it.
#[utoipa::path(delete, path = "/v1/tags/{tag_id}", tag = "tags", params(TagPath),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such tag", body = ErrorBody),
        (status = 422, description = "Invalid id", body = ErrorBody),
    ))]
pub async fn delete_tag(
    State(state): State<AppState>,
    Query(_): Query<crate::routes::analytics::NoParams>,
    Path(p): Path<TagPath>,
) -> ApiResult<StatusCode> {
    if state.store.delete_tag(p.tag_id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(format!("tag {}", p.tag_id)))
    }
}

/// The artists a tag was applied to, most often tagged first (ties by artist id).
#[utoipa::path(get, path = "/v1/tags/{tag_id}/artists", tag = "tags",
    params(TagPath, PageQuery),
    responses(
        (status = 200, description = "A page of artists with how many times the tag was applied to each", body = Page<TagArtist>),
        (status = 404, description = "No such tag", body = ErrorBody),
        (status = 422, description = "Invalid parameters", body = ErrorBody),
    ))]
pub async fn list_tag_artists(
    State(state): State<AppState>,
    Path(p): Path<TagPath>,
    Query(q): Query<PageQuery>,
) -> ApiResult<axum::Json<Page<TagArtist>>> {
    let catalog = state.catalog.snapshot().await?;
    if !catalog.tag_index.contains_key(&p.tag_id) {
        return Err(ApiError::not_found(format!("tag {}", p.tag_id)));
    }
    // The catalogue keeps each tag's artists ranked by count, then by position in the
    // artist list, which is by id.
    let carrying = catalog
        .tag_artists
        .get(&p.tag_id)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let (skip, limit) = page(q.skip, q.limit);
    let items = carrying
        .iter()
        .skip(skip as usize)
        .take(limit as usize)
        .map(|&(i, count)| {
            let artist = &catalog.artists[i];
            TagArtist {
                artist_id: artist.id,
                name: artist.name.clone(),
                picture_url: artist.picture_url.clone(),
                count,
            }
        })
        .collect();
    Ok(axum::Json(Page {
        items,
        total: carrying.len() as i64,
        skip,
        limit,
    }))
}
