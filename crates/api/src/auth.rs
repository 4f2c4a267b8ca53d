//! Who may write: every POST, PUT, PATCH and DELETE needs an API key with the `write` scope,
//! sent as `Authorization: Bearer <key>` or `X-API-Key: <key>`. Reads stay public. A missing
//! or unknown key is a 401, a read-only key a 403, both in the common error format.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use soundstream_store::{ApiKey, KeyScope};

use crate::AppState;
use crate::error::ApiError;

/// The API key a request presented, if any.
pub fn presented_key(headers: &HeaderMap) -> Option<&str> {
    if let Some(value) = headers.get("x-api-key").and_then(|v| v.to_str().ok()) {
        return Some(value.trim());
    }
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
}

fn unauthorized(message: &str) -> Response {
    let mut response = ApiError::Status {
        status: StatusCode::UNAUTHORIZED,
        code: "unauthorized",
        message: message.to_owned(),
    }
    .into_response();
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Middleware: lets reads through and checks the key of every write. The key found is put in
/// the request's extensions for what follows (rate limits, logs), and its last write sets how
/// fresh its reads must be.
pub async fn require_write_key(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let key: Option<ApiKey> = match presented_key(request.headers()) {
        Some(presented) => match state.store.verify_key(presented).await {
            Ok(Some(key)) => Some(key),
            Ok(None) => return unauthorized("the API key is unknown or revoked"),
            Err(e) => return ApiError::from(e).into_response(),
        },
        None => None,
    };
    if is_write(request.method()) {
        match &key {
            None => {
                return unauthorized(
                    "writes need an API key: send `Authorization: Bearer <key>` or `X-API-Key: <key>` \
                     (an operator creates one with `soundstream keys create`)",
                );
            }
            Some(key) if key.scope != KeyScope::Write => {
                return ApiError::Status {
                    status: StatusCode::FORBIDDEN,
                    code: "forbidden",
                    message: format!(
                        "API key {} is read-only; writes need a write key",
                        key.prefix
                    ),
                }
                .into_response();
            }
            Some(_) => {}
        }
    }
    let Some(key) = key else {
        return next.run(request).await;
    };
    // Session consistency (consistency.rs): this key's reads see its own writes.
    let (id, write) = (key.id, is_write(request.method()));
    request.extensions_mut().insert(key);
    request.extensions_mut().insert(state.writers.required(id));
    let response = next.run(request).await;
    if write && response.status().is_success() {
        state.writers.wrote(id, state.model.seq());
    }
    response
}
