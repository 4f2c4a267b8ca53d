//! The friendships endpoints: making two users friends and ending a friendship. A friendship
//! is mutual, so both directions are written, or removed, together in one transaction.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use soundstream_core::Friendship;
use soundstream_core::views::users::FriendshipView;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody, FieldError};
use crate::extract::{Json, Path, Validate, check_id};

/// The routes of this area.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_friendship))
        .routes(routes!(delete_friendship))
}

/// Pushes the errors of a pair of users: ids positive and different.
fn check_pair(location: &str, user_id: i64, friend_id: i64, errors: &mut Vec<FieldError>) {
    check_id(location, "user_id", user_id, errors);
    check_id(location, "friend_id", friend_id, errors);
    if user_id == friend_id {
        errors.push(FieldError {
            field: "friend_id".into(),
            location: location.into(),
            reason: "must differ from user_id: a user cannot be their own friend".into(),
        });
    }
}

/// A new friendship.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFriendship {
    /// One of the two users.
    #[schema(minimum = 1)]
    pub user_id: i64,
    /// The other user (not `user_id`).
    #[schema(minimum = 1)]
    pub friend_id: i64,
}

impl Validate for NewFriendship {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        check_pair("body", self.user_id, self.friend_id, errors);
    }
}

/// The friendship addressed by the path, in either order.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct FriendshipPath {
    /// One of the two users.
    #[param(minimum = 1)]
    pub user_id: i64,
    /// The other user.
    #[param(minimum = 1)]
    pub friend_id: i64,
}

impl Validate for FriendshipPath {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        check_pair("path", self.user_id, self.friend_id, errors);
    }
}

/// Make two users friends: each appears in the other's friends.
#[utoipa::path(post, path = "/v1/friendships", tag = "friendships",
    request_body = NewFriendship,
    responses(
        (status = 201, description = "Created, in both directions", body = FriendshipView),
        (status = 404, description = "No such user (the message says which)", body = ErrorBody),
        (status = 409, description = "The users are already friends", body = ErrorBody),
        (status = 422, description = "Invalid body, or a user befriending themself", body = ErrorBody),
    ))]
pub async fn create_friendship(
    State(state): State<AppState>,
    crate::extract::Query(_): crate::extract::Query<crate::extract::NoParams>,
    Json(new): Json<NewFriendship>,
) -> ApiResult<(StatusCode, axum::Json<FriendshipView>)> {
    let friendship = Friendship {
        user_id: new.user_id,
        friend_id: new.friend_id,
    };
    // A missing user is a 404 naming it (the store checks inside the write).
    let committed = state.store.create_friendship(friendship).await?;
    if state.model.commit(committed).await {
        Ok((StatusCode::CREATED, axum::Json(friendship.into())))
    } else {
        Err(ApiError::Conflict {
            message: format!(
                "users {} and {} are already friends",
                new.user_id, new.friend_id
            ),
        })
    }
}

/// End the friendship of two users, in both directions.
#[utoipa::path(delete, path = "/v1/friendships/{user_id}/{friend_id}", tag = "friendships",
    params(FriendshipPath),
    responses(
        (status = 204, description = "Deleted, in both directions"),
        (status = 404, description = "The users are not friends", body = ErrorBody),
        (status = 422, description = "Invalid ids", body = ErrorBody),
    ))]
pub async fn delete_friendship(
    State(state): State<AppState>,
    crate::extract::Query(_): crate::extract::Query<crate::extract::NoParams>,
    Path(p): Path<FriendshipPath>,
) -> ApiResult<StatusCode> {
    let friendship = Friendship {
        user_id: p.user_id,
        friend_id: p.friend_id,
    };
    let committed = state.store.delete_friendship(friendship).await?;
    let deleted = state.model.commit(committed).await;
    deleted.then_some(StatusCode::NO_CONTENT).ok_or_else(|| {
        ApiError::not_found(format!(
            "a friendship between users {} and {}",
            p.user_id, p.friend_id
        ))
    })
}
