//! The listens endpoints: setting and removing the play count of a user for an artist.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use soundstream_core::Listen;
use soundstream_core::views::users::ListenView;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody, FieldError};
use crate::extract::{Json, Path, Validate, check_id};

/// The largest play count accepted.
pub const MAX_WEIGHT: i64 = 1_000_000_000;

/// The routes of this area.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(put_listen, delete_listen))
}

/// The listen addressed by the path: a user and an artist.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ListenPath {
    /// User id.
    #[param(minimum = 1)]
    pub user_id: i64,
    /// Artist id.
    #[param(minimum = 1)]
    pub artist_id: i64,
}

impl Validate for ListenPath {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        check_id("path", "user_id", self.user_id, errors);
        check_id("path", "artist_id", self.artist_id, errors);
    }
}

/// The play count to store for a user and an artist.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListenReplacement {
    /// Play count, 0 to 1,000,000,000.
    #[schema(minimum = 0, maximum = 1_000_000_000)]
    pub weight: i64,
}

impl Validate for ListenReplacement {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        if !(0..=MAX_WEIGHT).contains(&self.weight) {
            errors.push(FieldError::body(
                "weight",
                format!("must be between 0 and {MAX_WEIGHT}"),
            ));
        }
    }
}

/// Set how many times a user played an artist, creating the listen or replacing its count.
#[utoipa::path(put, path = "/v1/users/{user_id}/artists/{artist_id}", tag = "listens",
    params(ListenPath), request_body = ListenReplacement,
    responses(
        (status = 200, description = "The listen existed; its play count is replaced", body = ListenView),
        (status = 201, description = "The listen is created", body = ListenView),
        (status = 404, description = "No such user, or no such artist (the message says which)", body = ErrorBody),
        (status = 422, description = "Invalid ids or body", body = ErrorBody),
    ))]
pub async fn put_listen(
    State(state): State<AppState>,
    crate::extract::Query(_): crate::extract::Query<crate::extract::NoParams>,
    Path(p): Path<ListenPath>,
    Json(body): Json<ListenReplacement>,
) -> ApiResult<(StatusCode, axum::Json<ListenView>)> {
    let listen = Listen {
        user_id: p.user_id,
        artist_id: p.artist_id,
        weight: body.weight,
    };
    // A missing user or artist is a 404 naming it (the store checks inside the write).
    let committed = state.store.put_listen(&listen).await?;
    let created = state.model.commit(committed).await;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, axum::Json(listen.into())))
}

/// Delete the listen of a user for an artist.
#[utoipa::path(delete, path = "/v1/users/{user_id}/artists/{artist_id}", tag = "listens",
    params(ListenPath),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such user, artist or listen (the message says which)", body = ErrorBody),
        (status = 422, description = "Invalid ids", body = ErrorBody),
    ))]
pub async fn delete_listen(
    State(state): State<AppState>,
    crate::extract::Query(_): crate::extract::Query<crate::extract::NoParams>,
    Path(p): Path<ListenPath>,
) -> ApiResult<StatusCode> {
    let committed = state.store.delete_listen(p.user_id, p.artist_id).await?;
    let deleted = state.model.commit(committed).await;
    deleted.then_some(StatusCode::NO_CONTENT).ok_or_else(|| {
        ApiError::not_found(format!(
            "a listen of artist {} by user {}",
            p.artist_id, p.user_id
        ))
    })
}
