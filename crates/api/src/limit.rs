//! Rate limiting: each client (its API key when it sends one, otherwise its address) may make
//! so many requests per second, with a burst of as many; past that, a 429 in the common error
//! format with `Retry-After`. Behind a reverse proxy every client shares the proxy's address,
//! so there the limit is effectively per key.

use std::net::SocketAddr;
use std::num::NonZeroU32;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::AppState;
use crate::auth::presented_key;
use crate::error::ApiError;

/// A per-client request budget.
pub struct RateLimit {
    limiter: DefaultKeyedRateLimiter<String>,
    per_second: NonZeroU32,
}

impl RateLimit {
    /// `per_second` requests a second per client, in bursts of as many.
    pub fn per_second(per_second: NonZeroU32) -> Self {
        Self {
            limiter: RateLimiter::keyed(Quota::per_second(per_second)),
            per_second,
        }
    }

    /// The configured rate.
    pub fn rate(&self) -> NonZeroU32 {
        self.per_second
    }
}

/// Who a request counts against: the key's public prefix, or the client address.
fn client(request: &Request) -> String {
    if let Some(key) = presented_key(request.headers()) {
        return format!("key:{}", key.get(..15).unwrap_or(key));
    }
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(
            || "addr:unknown".to_owned(),
            |c| format!("addr:{}", c.0.ip()),
        )
}

/// Middleware: spends one request of the client's budget, or answers 429.
pub async fn limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(limit) = &state.rate_limit else {
        return next.run(request).await;
    };
    match limit.limiter.check_key(&client(&request)) {
        Ok(()) => next.run(request).await,
        Err(not_until) => {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            let mut response = ApiError::Status {
                status: StatusCode::TOO_MANY_REQUESTS,
                code: "rate_limited",
                message: format!(
                    "more than {} requests a second; retry in {seconds} s",
                    limit.per_second
                ),
            }
            .into_response();
            if let Ok(value) = HeaderValue::from_str(&seconds.max(1).to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
    }
}
