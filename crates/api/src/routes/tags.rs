//! The tags endpoints: every tag with how much it is used (users, artists, times applied),
//! one tag with its first and last use, the artists carrying a tag, and creating (idempotently
//! on the case-insensitive value), renaming and deleting tags.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use serde::Deserialize;
use soundstream_core::views::tags::{TagArtist, TagDetail, TagSummary};
use soundstream_core::views::{Order, Page};
use soundstream_readmodel::{Direction, TagSort};
use soundstream_store::TagRename;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody, FieldError};
use crate::extract::{Json, PageQuery, Path, Query, Validate, check_id, check_text};
use crate::list::{SortKey, list_query, sorting};

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

list_query! {
    /// Filter, sort and page of the tag list.
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
    }
}

impl Validate for TagListQuery {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        if let Some(value) = &self.value {
            check_text("query", "value", value, errors);
        }
        self.check_paging(errors);
    }
}

impl SortKey for TagSort {
    fn default_direction(self) -> Direction {
        match self {
            Self::Id | Self::Value => Direction::Asc,
            Self::Usage => Direction::Desc,
        }
    }
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
) -> ApiResult<crate::list::PageJson<TagSummary>> {
    let (sort, direction) = sorting(q.sort.unwrap_or(TagSort::Id), q.order);
    let window = q.window();
    window.read(&state, |m, start, limit| {
        Ok(m.tags(q.value.as_deref(), sort, direction, start, limit))
    })
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
    Query(_): Query<crate::extract::NoParams>,
) -> ApiResult<axum::Json<TagDetail>> {
    found(&state, p.tag_id).await.map(axum::Json)
}

fn not_found(id: i64) -> ApiError {
    ApiError::not_found(format!("tag {id}"))
}

/// The tag with its usage (read model) and first and last use (two index lookups).
async fn found(state: &AppState, id: i64) -> ApiResult<TagDetail> {
    let tag = state.read(|m| m.tag(id))?.ok_or_else(|| not_found(id))?;
    let span = state.store.tag_span(id).await?;
    Ok(TagDetail {
        id: tag.id,
        value: tag.value,
        usage: tag.usage,
        artists: tag.artists,
        users: tag.users,
        first_used: span.map(|s| s.0),
        last_used: span.map(|s| s.1),
    })
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
    Query(_): Query<crate::extract::NoParams>,
    Json(new): Json<NewTag>,
) -> ApiResult<(StatusCode, HeaderMap, axum::Json<TagSummary>)> {
    let committed = state.store.create_tag(&new.value).await?;
    let (tag, created) = state.model.commit(committed).await;
    let mut headers = HeaderMap::new();
    let status = if created {
        if let Ok(location) = format!("/v1/tags/{}", tag.id).parse() {
            headers.insert(header::LOCATION, location);
        }
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let summary = state
        .read(|m| m.tag(tag.id))?
        .ok_or_else(|| not_found(tag.id))?;
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
    Query(_): Query<crate::extract::NoParams>,
    Path(p): Path<TagPath>,
    Json(patch): Json<TagPatch>,
) -> ApiResult<axum::Json<TagDetail>> {
    let committed = state.store.rename_tag(p.tag_id, &patch.value).await?;
    match state.model.commit(committed).await {
        TagRename::Renamed => found(&state, p.tag_id).await.map(axum::Json),
        TagRename::NotFound => Err(not_found(p.tag_id)),
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
    Query(_): Query<crate::extract::NoParams>,
    Path(p): Path<TagPath>,
) -> ApiResult<StatusCode> {
    let committed = state.store.delete_tag(p.tag_id).await?;
    let deleted = state.model.commit(committed).await;
    deleted
        .then_some(StatusCode::NO_CONTENT)
        .ok_or_else(|| not_found(p.tag_id))
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
) -> ApiResult<crate::list::PageJson<TagArtist>> {
    q.window().read(&state, |m, start, limit| {
        m.tag_artists(p.tag_id, start, limit)
            .ok_or_else(|| not_found(p.tag_id))
    })
}
