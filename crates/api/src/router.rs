//! The one place that lists every route: each area's router, the OpenAPI document at
//! `/openapi.json`, Swagger UI at `/docs` (its assets embedded at build time, so it works
//! offline), and JSON errors for unknown paths and methods.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use tower_http::LatencyUnit;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

use crate::error::ApiError;
use crate::openapi::{ApiDoc, WriteSecurity};
use crate::routes::{
    analytics, artists, friendships, health, listens, recommendations, search, tag_assignments,
    tags, users,
};
use crate::{AppState, auth, limit, metrics};

/// The largest request body accepted (JSON bodies here are a few hundred bytes).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

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
        .route_layer(axum::middleware::from_fn(metrics::track))
        .route("/metrics", axum::routing::get(metrics::render))
        .merge(SwaggerUi::new("/docs").url("/openapi.json", api))
        .fallback(no_route)
        .method_not_allowed_fallback(no_method)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::require_write_key,
        ))
        // Before the key check, so a flood of bad keys is limited too.
        .layer(axum::middleware::from_fn_with_state(state.clone(), limit::limit))
        // Bodies are small JSON documents; anything bigger is a 413 in the error format.
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        // Every request gets an id (a client's own `X-Request-Id` is kept), logged with the
        // request and echoed in the response.
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
            let id = request
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            tracing::info_span!("request", method = %request.method(), uri = %request.uri(), request_id = %id)
        })
        .on_response(DefaultOnResponse::new().level(tracing::Level::INFO).latency_unit(LatencyUnit::Micros)))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}
