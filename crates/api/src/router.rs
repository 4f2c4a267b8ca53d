//! The one place that mounts every area of the API: each area's `router()` (in
//! `routes/<area>.rs`, which lists that area's routes) is merged in `routes()`, and the
//! routes outside the areas are added here: the OpenAPI document at `/openapi.json` (the
//! complete list of API routes), Swagger UI at `/docs` (its assets embedded at build time, so
//! it works offline) and `/metrics`. It also owns the JSON errors for unknown paths and
//! methods, and the HTTP guards around them all (CORS, request timeout, body limit, rate
//! limit, write keys, security headers, request ids, metrics).

use axum::Router;
use axum::extract::DefaultBodyLimit;
use std::time::Duration;

use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::IntoResponse;
use tower::util::option_layer;
use tower_http::LatencyUnit;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::trace::{DefaultOnFailure, DefaultOnResponse, TraceLayer};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

use crate::envelope::EnvelopeLayer;
use crate::error::ApiError;
use crate::openapi::{ApiDoc, Contract, WriteSecurity};
use crate::routes::{
    analytics, artists, exports, friendships, health, listens, recommendations, search,
    tag_assignments, tags, users,
};
use crate::{AppState, auth, limit, metrics};

/// The largest request body accepted (JSON bodies here are a few hundred bytes).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Settings of the HTTP layer that an operator chooses.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// The longest a request may take, body upload included; past it, a 503 in the error format.
    pub request_timeout: Duration,
    /// Browser origins allowed to call the API from their pages (CORS).
    pub cors: CorsOrigins,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(30),
            cors: CorsOrigins::List(Vec::new()),
        }
    }
}

/// Which web pages may call the API from a browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorsOrigins {
    /// Any origin (`*`): for a public read API. Credentials are never allowed with it.
    Any,
    /// Exactly these origins (`scheme://host[:port]`); an empty list closes CORS entirely.
    List(Vec<HeaderValue>),
}

impl CorsOrigins {
    /// Parses a comma-separated list: `*`, or origins such as `https://dash.example.com`.
    /// Errors say which entry is wrong and why.
    pub fn parse(list: &str) -> Result<Self, String> {
        let entries: Vec<&str> = list
            .split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .collect();
        if entries == ["*"] {
            return Ok(Self::Any);
        }
        let mut origins = Vec::with_capacity(entries.len());
        for entry in entries {
            let Some((scheme, rest)) = entry.split_once("://") else {
                return Err(format!(
                    "'{entry}' is not an origin: expected scheme://host[:port], e.g. https://dash.example.com"
                ));
            };
            if !matches!(scheme, "http" | "https") {
                return Err(format!("'{entry}': the scheme must be http or https"));
            }
            if rest.is_empty() || rest.contains(['/', '?', '#', '*', ' ']) {
                return Err(format!(
                    "'{entry}' is not an origin: only scheme://host[:port], without a path (and '*' only alone)"
                ));
            }
            let value = HeaderValue::from_str(&entry.to_ascii_lowercase())
                .map_err(|_| format!("'{entry}' holds characters an origin cannot have"))?;
            origins.push(value);
        }
        Ok(Self::List(origins))
    }

    /// The CORS layer, or none when CORS is closed: with no origin allowed there is nothing
    /// to answer or to add to a response, and the layer's per-request cost buys nothing (a
    /// browser's preflight then gets the 405 any unrouted method gets, which it refuses too).
    fn layer(&self) -> Option<CorsLayer> {
        let origin = match self {
            Self::Any => AllowOrigin::any(),
            Self::List(origins) if origins.is_empty() => return None,
            Self::List(origins) => AllowOrigin::list(origins.iter().cloned()),
        };
        let cors = CorsLayer::new()
            .allow_origin(origin)
            .allow_methods([
                Method::GET,
                Method::POST,
                Method::PUT,
                Method::PATCH,
                Method::DELETE,
            ])
            .allow_headers([
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                HeaderName::from_static("x-api-key"),
                HeaderName::from_static("x-request-id"),
            ])
            .expose_headers([
                HeaderName::from_static("x-request-id"),
                header::RETRY_AFTER,
                header::LOCATION,
                HeaderName::from_static("ratelimit-limit"),
                HeaderName::from_static("ratelimit-remaining"),
                HeaderName::from_static("ratelimit-reset"),
            ])
            .max_age(Duration::from_secs(600));
        Some(cors)
    }
}

/// Every area's routes, with their OpenAPI descriptions.
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
        .merge(exports::router())
}

/// The OpenAPI document of the API, as served at `/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    documented().1
}

fn documented() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut api) = routes().split_for_parts();
    WriteSecurity.modify(&mut api);
    Contract.modify(&mut api);
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

/// The whole application with the default HTTP settings (CORS closed, 30 s timeout).
pub fn app(state: AppState) -> Router {
    app_with(state, &HttpOptions::default())
}

/// The whole application: every route, the docs, the JSON fallbacks, and the HTTP guards.
///
/// The guards, from the outside in: the envelope (`envelope.rs`: request ids, the request
/// timeout, security headers, `Retry-After` on 503s, metrics, so that every answer is counted,
/// 401, 403, 429 and timeouts included), the request log (secrets in query strings redacted),
/// CORS, the body limit, the rate limit, then the routes, where writes need a key. The key
/// check runs on the routes' declared methods only: any other method is a 405 with `Allow`,
/// an unknown path a 404, whatever the key.
pub fn app_with(state: AppState, options: &HttpOptions) -> Router {
    let (router, api) = documented();
    router
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::require_write_key,
        ))
        .route("/metrics", axum::routing::get(metrics::render))
        .merge(SwaggerUi::new("/docs").url("/openapi.json", api))
        .fallback(no_route)
        .method_not_allowed_fallback(no_method)
        // Outside the key check: a flood of bad keys is limited too, by the address. Left out
        // when rate limiting is off (`--rate-limit 0`): a layer that only passes requests on
        // still costs a boxed future and a clone of the routes per request.
        .layer(option_layer(state.rate_limit.is_some().then(|| {
            axum::middleware::from_fn_with_state(state.clone(), limit::limit)
        })))
        // Bodies are small JSON documents; anything bigger is a 413 in the error format.
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // Outside the key check and the limits: a browser's preflight carries no key, and is
        // answered here without reaching them.
        .layer(option_layer(options.cors.layer()))
        // One log line per request at debug (`SOUNDSTREAM_LOG=debug`): at 50,000 requests a
        // second, a line and a span each cost a quarter of a point read (scripts/bench-hot-path).
        // Below debug the layer is not mounted at all (it would make a disabled span and time
        // every request for nothing). Every request is counted in /metrics; timeouts and
        // server errors are logged at warn by the envelope, with the request id.
        .layer(option_layer(access_log_enabled().then(|| {
            tower::ServiceBuilder::new()
                .map_response(axum::response::IntoResponse::into_response)
                .layer(access_log())
        })))
        .layer(EnvelopeLayer {
            timeout: options.request_timeout,
        })
        .with_state(state)
}

/// Whether the log filter lets request lines through (set by the binary before the app is
/// built; `SOUNDSTREAM_LOG=debug`, or a debug directive for any target).
fn access_log_enabled() -> bool {
    tracing::level_filters::LevelFilter::current() >= tracing::Level::DEBUG
}

/// The access log: a span per request (method, redacted target, request id) and a line with
/// the status and latency when it ends, both at debug.
fn access_log() -> TraceLayer<
    tower_http::classify::SharedClassifier<tower_http::classify::ServerErrorsAsFailures>,
    impl Fn(&axum::http::Request<axum::body::Body>) -> tracing::Span + Clone,
    tower_http::trace::DefaultOnRequest,
    DefaultOnResponse,
> {
    TraceLayer::new_for_http()
        .make_span_with(|request: &axum::http::Request<axum::body::Body>| {
            let id = request
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            let uri = redacted(request.uri());
            tracing::debug_span!("request", method = %request.method(), uri = %uri, request_id = %id)
        })
        .on_response(
            DefaultOnResponse::new()
                .level(tracing::Level::DEBUG)
                .latency_unit(LatencyUnit::Micros),
        )
        .on_failure(DefaultOnFailure::new().level(tracing::Level::DEBUG))
}

/// Whether a query parameter's name says it holds a secret (`api_key`, `token`, ...).
fn is_secret_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    [
        "key",
        "token",
        "secret",
        "password",
        "passwd",
        "auth",
        "signature",
        "session",
        "credential",
    ]
    .iter()
    .any(|word| name.contains(word))
}

/// Whether a value looks like one of this server's API keys (`ss_` and 12 hex digits).
fn looks_like_key(value: &str) -> bool {
    value.match_indices("ss_").any(|(at, _)| {
        value[at + 3..]
            .bytes()
            .take(12)
            .filter(u8::is_ascii_hexdigit)
            .count()
            == 12
    })
}

/// The request target as logged: the value of every query parameter that is named like a
/// secret or looks like an API key is replaced by `[redacted]` (a key sent as `?api_key=`
/// would otherwise sit in the logs in full).
fn redacted(uri: &axum::http::Uri) -> std::borrow::Cow<'_, str> {
    let Some(query) = uri.query() else {
        return std::borrow::Cow::Borrowed(uri.path());
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decoded_name = percent_encoding::percent_decode_str(name).decode_utf8_lossy();
            let decoded_value = percent_encoding::percent_decode_str(value).decode_utf8_lossy();
            if is_secret_name(&decoded_name) || looks_like_key(&decoded_value) {
                format!("{name}=[redacted]")
            } else {
                pair.to_owned()
            }
        })
        .collect();
    std::borrow::Cow::Owned(format!("{}?{}", uri.path(), pairs.join("&")))
}

#[cfg(test)]
mod tests {
    use super::{CorsOrigins, redacted};

    #[test]
    fn secrets_in_query_strings_are_redacted_from_logged_uris() {
        let uri = |s: &str| s.parse::<axum::http::Uri>().unwrap();
        assert_eq!(
            redacted(&uri("/v1/artists?api_key=ss_0123456789ab_cafe&limit=5")),
            "/v1/artists?api_key=[redacted]&limit=5"
        );
        assert_eq!(
            redacted(&uri("/v1/tags?Access%5FToken=x&q=ss_abcdefabcdef_00")),
            "/v1/tags?Access%5FToken=[redacted]&q=[redacted]"
        );
        assert_eq!(
            redacted(&uri("/v1/artists?name=the&limit=5")),
            "/v1/artists?name=the&limit=5"
        );
        assert_eq!(redacted(&uri("/health/live")), "/health/live");
    }

    #[test]
    fn cors_lists_parse_and_bad_entries_are_named() {
        assert_eq!(CorsOrigins::parse("*"), Ok(CorsOrigins::Any));
        assert_eq!(CorsOrigins::parse(""), Ok(CorsOrigins::List(vec![])));
        let Ok(CorsOrigins::List(list)) =
            CorsOrigins::parse("http://localhost:8501, https://Dash.example.com")
        else {
            panic!("a valid list");
        };
        assert_eq!(list, ["http://localhost:8501", "https://dash.example.com"]);
        let err = CorsOrigins::parse("http://ok.example, dash.example.com").unwrap_err();
        assert!(
            err.starts_with("'dash.example.com' is not an origin"),
            "{err}"
        );
        let err = CorsOrigins::parse("https://x.example/app").unwrap_err();
        assert!(err.contains("without a path"), "{err}");
        assert!(CorsOrigins::parse("ftp://x.example").is_err());
        assert!(CorsOrigins::parse("*, https://x.example").is_err());
    }
}
