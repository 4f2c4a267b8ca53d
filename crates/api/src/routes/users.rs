//! The users endpoints: listeners with their activity (artists, plays, tags applied,
//! friends), the artists they play, their friends and tags, the users who share their taste,
//! and creating and deleting users.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use serde::Deserialize;
use soundstream_core::views::artists::TagCount;
use soundstream_core::views::users::{SimilarUser, UserArtist, UserSummary};
use soundstream_core::views::{Items, Order, Page};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use soundstream_readmodel::{Direction, UserSort};

use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody, FieldError};
use crate::extract::{Json, PageQuery, Path, Query, TopQuery, Validate, check_id};
use crate::list::{SortKey, list_query, sorting};
use crate::routes::check_new_id;

/// The routes of this area.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_user))
        .routes(routes!(get_user, delete_user))
        .routes(routes!(list_user_artists))
        .routes(routes!(list_user_friends))
        .routes(routes!(list_user_tags))
        .routes(routes!(list_similar_users))
}

/// The user addressed by the path.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct UserPath {
    /// User id.
    #[param(minimum = 1)]
    pub user_id: i64,
}

impl Validate for UserPath {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        check_id("path", "user_id", self.user_id, errors);
    }
}

list_query! {
    /// Sort and page of the user list.
    pub struct UserListQuery {
        /// Sort key (default `id`).
        // Inlined: a parameter's schema reference is not registered among the components.
        #[param(inline)]
        pub sort: Option<UserSort>,
        /// Sort direction (default `asc` for `id`, `desc` for the others).
        #[param(inline)]
        pub order: Option<Order>,
    }
}

impl Validate for UserListQuery {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        self.check_paging(errors);
    }
}

impl SortKey for UserSort {
    fn default_direction(self) -> Direction {
        match self {
            Self::Id => Direction::Asc,
            Self::Plays | Self::Artists | Self::Friends | Self::Tags => Direction::Desc,
        }
    }
}

/// List users with their activity, sorted by id, plays, artists, friends or tags applied.
#[utoipa::path(get, path = "/v1/users", tag = "users", params(UserListQuery),
    responses(
        (status = 200, description = "A page of users", body = Page<UserSummary>),
        (status = 422, description = "Invalid parameters", body = ErrorBody),
    ))]
pub async fn list_users(
    State(state): State<AppState>,
    Query(q): Query<UserListQuery>,
) -> ApiResult<crate::list::PageJson<UserSummary>> {
    let (sort, direction) = sorting(q.sort.unwrap_or(UserSort::Id), q.order);
    let window = q.window();
    window.read(&state, |m, start, limit| {
        Ok(m.users(sort, direction, start, limit))
    })
}

/// One user with their activity.
#[utoipa::path(get, path = "/v1/users/{user_id}", tag = "users", params(UserPath),
    responses(
        (status = 200, description = "The user", body = UserSummary),
        (status = 404, description = "No such user", body = ErrorBody),
        (status = 422, description = "Invalid id", body = ErrorBody),
    ))]
pub async fn get_user(
    State(state): State<AppState>,
    Path(p): Path<UserPath>,
    Query(_): Query<crate::extract::NoParams>,
) -> ApiResult<axum::Json<UserSummary>> {
    found(&state, p.user_id).map(axum::Json)
}

fn not_found(id: i64) -> ApiError {
    ApiError::not_found(format!("user {id}"))
}

fn found(state: &AppState, id: i64) -> ApiResult<UserSummary> {
    state.read(|m| m.user(id))?.ok_or_else(|| not_found(id))
}

/// A new user.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    /// Id for the user, 1 to 2^53 - 1; the next free id when omitted.
    #[schema(minimum = 1, maximum = 9_007_199_254_740_991_i64)]
    pub id: Option<i64>,
}

impl Validate for NewUser {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        if let Some(id) = self.id {
            check_id("body", "id", id, errors);
            check_new_id(id, errors);
        }
    }
}

/// Create a user, with no listens, tags or friends yet.
#[utoipa::path(post, path = "/v1/users", tag = "users", request_body = NewUser,
    responses(
        (status = 201, description = "Created; `Location` gives its URL", body = UserSummary),
        (status = 409, description = "A user with this id exists", body = ErrorBody),
        (status = 422, description = "Invalid body", body = ErrorBody),
    ))]
pub async fn create_user(
    State(state): State<AppState>,
    Query(_): Query<crate::extract::NoParams>,
    Json(new): Json<NewUser>,
) -> ApiResult<(StatusCode, HeaderMap, axum::Json<UserSummary>)> {
    // A taken id is a 409 naming the user (see `crate::error`).
    let committed = state.store.create_user(new.id).await?;
    let id = state.model.commit(committed).await;
    let mut headers = HeaderMap::new();
    if let Ok(location) = format!("/v1/users/{id}").parse() {
        headers.insert(header::LOCATION, location);
    }
    Ok((StatusCode::CREATED, headers, axum::Json(found(&state, id)?)))
}

/// Delete a user, with their listens, tag assignments and friendships (both directions).
#[utoipa::path(delete, path = "/v1/users/{user_id}", tag = "users", params(UserPath),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such user", body = ErrorBody),
        (status = 422, description = "Invalid id", body = ErrorBody),
    ))]
pub async fn delete_user(
    State(state): State<AppState>,
    Query(_): Query<crate::extract::NoParams>,
    Path(p): Path<UserPath>,
) -> ApiResult<StatusCode> {
    let committed = state.store.delete_user(p.user_id).await?;
    let deleted = state.model.commit(committed).await;
    deleted
        .then_some(StatusCode::NO_CONTENT)
        .ok_or_else(|| not_found(p.user_id))
}

/// A 404 naming the user unless it exists.
pub fn require_user(state: &AppState, id: i64) -> ApiResult<()> {
    if state.read(|m| m.has_user(id))? {
        Ok(())
    } else {
        Err(not_found(id))
    }
}

/// The artists a user listens to, most played first (ties by artist id).
#[utoipa::path(get, path = "/v1/users/{user_id}/artists", tag = "users",
    params(UserPath, PageQuery),
    responses(
        (status = 200, description = "A page of artists with the user's play counts", body = Page<UserArtist>),
        (status = 404, description = "No such user", body = ErrorBody),
        (status = 422, description = "Invalid parameters", body = ErrorBody),
    ))]
pub async fn list_user_artists(
    State(state): State<AppState>,
    Path(p): Path<UserPath>,
    Query(q): Query<PageQuery>,
) -> ApiResult<crate::list::PageJson<UserArtist>> {
    q.window().read(&state, |m, start, limit| {
        m.user_artists(p.user_id, start, limit)
            .ok_or_else(|| not_found(p.user_id))
    })
}

/// A user's friends with their activity, by id.
#[utoipa::path(get, path = "/v1/users/{user_id}/friends", tag = "users",
    params(UserPath, PageQuery),
    responses(
        (status = 200, description = "A page of friends", body = Page<UserSummary>),
        (status = 404, description = "No such user", body = ErrorBody),
        (status = 422, description = "Invalid parameters", body = ErrorBody),
    ))]
pub async fn list_user_friends(
    State(state): State<AppState>,
    Path(p): Path<UserPath>,
    Query(q): Query<PageQuery>,
) -> ApiResult<crate::list::PageJson<UserSummary>> {
    q.window().read(&state, |m, start, limit| {
        m.user_friends(p.user_id, start, limit)
            .ok_or_else(|| not_found(p.user_id))
    })
}

/// The tags a user applied, with on how many artists each, most used first.
#[utoipa::path(get, path = "/v1/users/{user_id}/tags", tag = "users",
    params(UserPath, PageQuery),
    responses(
        (status = 200, description = "A page of tags with counts", body = Page<TagCount>),
        (status = 404, description = "No such user", body = ErrorBody),
        (status = 422, description = "Invalid parameters", body = ErrorBody),
    ))]
pub async fn list_user_tags(
    State(state): State<AppState>,
    Path(p): Path<UserPath>,
    Query(q): Query<PageQuery>,
) -> ApiResult<crate::list::PageJson<TagCount>> {
    q.window().read(&state, |m, start, limit| {
        m.user_tags(p.user_id, start, limit)
            .ok_or_else(|| not_found(p.user_id))
    })
}

/// Users who listen to the same artists (cosine similarity of the two artist sets), most
/// similar first; never the user itself.
#[utoipa::path(get, path = "/v1/users/{user_id}/similar", tag = "users",
    params(UserPath, TopQuery),
    responses(
        (status = 200, description = "Similar users, most similar first", body = Items<SimilarUser>),
        (status = 404, description = "No such user", body = ErrorBody),
        (status = 422, description = "Invalid parameters", body = ErrorBody),
    ))]
pub async fn list_similar_users(
    State(state): State<AppState>,
    Path(p): Path<UserPath>,
    Query(q): Query<TopQuery>,
) -> ApiResult<axum::Json<Items<SimilarUser>>> {
    require_user(&state, p.user_id)?;
    let k = q.limit.unwrap_or(10) as usize;
    // The served model's user similarity; for a user it has not seen yet, the cosine of the
    // artist sets from the read model.
    let modelled = state.recommender.current().and_then(|trained| {
        let similar = trained.model.similar_users(p.user_id, k).ok()?;
        Some(
            similar
                .into_iter()
                .map(|s| SimilarUser {
                    user_id: s.user_id,
                    shared_artists: i64::from(s.shared_artists),
                    score: s.score,
                })
                .collect(),
        )
    });
    let items = match modelled {
        Some(items) => items,
        None => state
            .read(|m| m.similar_users(p.user_id, k))?
            .ok_or_else(|| not_found(p.user_id))?,
    };
    Ok(axum::Json(Items { items }))
}
