//! The one place that lists every route: each area's router, the OpenAPI document at
//! `/openapi.json`, Swagger UI at `/docs` (its assets embedded at build time, so it works
//! offline), and JSON errors for unknown paths and methods.

use axum::Router;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

use crate::AppState;
use crate::error::ApiError;
use crate::openapi::ApiDoc;
use crate::routes::{
    analytics, artists, friendships, health, listens, search, tag_assignments, tags, users,
};

fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(health::router())
        .merge(artists::router())
        .merge(users::router())
        .merge(tags::router())
        .merge(listens::router())
        .merge(tag_assignments::router())
        .merge(friendships::router())
        .merge(search::router())
        .merge(analytics::router())
}

/// The OpenAPI document of the API, as served at `/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    routes().split_for_parts().1
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
    let (router, api) = routes().split_for_parts();
    router
        .merge(SwaggerUi::new("/docs").url("/openapi.json", api))
        .fallback(no_route)
        .method_not_allowed_fallback(no_method)
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
