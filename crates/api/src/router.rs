//! The one place that lists every route: each area's router, the OpenAPI document at
//! `/openapi.json`, Swagger UI at `/docs` (its assets embedded at build time, so it works
//! offline), and JSON errors for unknown paths and methods.

use axum::Router;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use tower_http::trace::TraceLayer;
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

use crate::error::ApiError;
use crate::openapi::{ApiDoc, WriteSecurity};
use crate::routes::{
    analytics, artists, friendships, health, listens, recommendations, search, tag_assignments,
    tags, users,
};
use crate::{AppState, auth};

fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(health::router())
        .merge(artists::router())
        .merge(users::router())
        .merge(tags::router())
        .merge(listens::router())
        .merge(tag_assignments::router())
        .merge(friendships::router())
        .merge(recommendations::router())
        .merge(search::router())
        .merge(analytics::router())
}

/// The OpenAPI document of the API, as served at `/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    documented().1
}

fn documented() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut api) = routes().split_for_parts();
    WriteSecurity.modify(&mut api);
    (router, api)
}

async fn no_route() -> impl IntoResponse {
    ApiError::Status {
        status: StatusCode::NOT_FOUND,
        code: "not_found",
        message: "no such endpoint; see /docs for the API".into(),
    }
}

async fn no_method() -> impl IntoResponse {
    ApiError::Status {
        status: StatusCode::METHOD_NOT_ALLOWED,
        code: "method_not_allowed",
        message: "this endpoint does not accept this method; see /docs".into(),
    }
}

/// The whole application: every route, the docs, and the JSON fallbacks.
pub fn app(state: AppState) -> Router {
    let (router, api) = documented();
    router
        .merge(SwaggerUi::new("/docs").url("/openapi.json", api))
        .fallback(no_route)
        .method_not_allowed_fallback(no_method)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::require_write_key,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
