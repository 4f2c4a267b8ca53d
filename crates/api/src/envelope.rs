//! The envelope of every request and answer, as one tower layer: a request id, the request
//! timeout, the security headers, `Retry-After` on 503s, and the request's metrics.
//!
//! One layer instead of five because each `axum::middleware::from_fn` clones the whole stack
//! inside it on every request (it must own the service it awaits): with five of them, those
//! clones were a measurable share of a point read. A tower service calls its inner service
//! synchronously and only awaits the future, so it clones nothing.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::metrics;

/// The longest `X-Request-Id` kept from a client.
pub const MAX_REQUEST_ID: usize = 128;

const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Wraps every route (see [`Envelope`]).
#[derive(Debug, Clone, Copy)]
pub struct EnvelopeLayer {
    /// The longest a request may take; past it, a 503 in the error format.
    pub timeout: Duration,
}

impl<S> tower::Layer<S> for EnvelopeLayer {
    type Service = Envelope<S>;

    fn layer(&self, inner: S) -> Envelope<S> {
        Envelope {
            inner,
            timeout: self.timeout,
        }
    }
}

/// What every request and answer gets:
/// - a request id: the client's own `X-Request-Id` when it is short and plain (see
///   [`plain_request_id`]), else a fresh one; logged with the request (the request log inside
///   reads it) and echoed in the answer;
/// - the request timeout: a request that outlives it (a slow upload, a stuck query) is
///   cancelled with a 503 in the error format (tower-http's timeout answers an empty 408,
///   which blames the client);
/// - the security headers (`nosniff`, `DENY`, `no-referrer`) where the answer has none;
/// - `Retry-After` on every 503 (a starting server, a timeout), so that well-behaved clients
///   (the SDK's retries) wait rather than give up;
/// - the request counted by method, route template and status, and its latency recorded, for
///   every answer, guards' refusals included.
#[derive(Debug, Clone)]
pub struct Envelope<S> {
    inner: S,
    timeout: Duration,
}

type Answer = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

impl<S> tower::Service<Request> for Envelope<S>
where
    S: tower::Service<Request, Response = Response, Error = Infallible> + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Answer;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request) -> Answer {
        let id = request_id(&mut request);
        let matched = request.extensions().get::<MatchedPath>().cloned();
        let method = metrics::method_label(request.method());
        let start = Instant::now();
        let timeout = self.timeout;
        let answer = self.inner.call(request);
        Box::pin(async move {
            let route = matched.as_ref().map_or("unmatched", MatchedPath::as_str);
            let mut response = match tokio::time::timeout(timeout, answer).await {
                Ok(Ok(response)) => response,
                Err(_) => {
                    // The request log's span went with the cancelled request: said here.
                    tracing::warn!(method, %route, request_id = ?id, "request timed out");
                    timed_out(timeout)
                }
            };
            let status = response.status();
            // A 503 is a designed answer (starting, a guard, a timeout said above); other
            // server errors are worth a line at the default level, with the id to find the
            // cause logged where it happened.
            if status.is_server_error() && status != StatusCode::SERVICE_UNAVAILABLE {
                tracing::warn!(method, %route, request_id = ?id, status = status.as_u16(), "server error");
            }
            finish(&mut response, id);
            metrics::record(method, route, response.status(), start);
            Ok(response)
        })
    }
}

/// The 503 of a request cancelled at `timeout`.
fn timed_out(timeout: Duration) -> Response {
    ApiError::Status {
        status: StatusCode::SERVICE_UNAVAILABLE,
        code: "timeout",
        message: format!(
            "the request took longer than {} s and was cancelled; retry later",
            timeout.as_secs_f64()
        ),
    }
    .into_response()
}

/// The request's id: the client's when plain, else a fresh one, set on the request so that
/// the request log and the handlers see it.
fn request_id(request: &mut Request) -> HeaderValue {
    let headers = request.headers_mut();
    if plain_request_id(headers)
        && let Some(id) = headers.get(X_REQUEST_ID)
    {
        return id.clone();
    }
    let id = fresh_id();
    headers.insert(X_REQUEST_ID, id.clone());
    id
}

/// A new request id, unique in this process and across processes: 64 random bits drawn at
/// start-up and a counter (drawing 128 random bits per request, as a UUID does, was a
/// system call per request).
fn fresh_id() -> HeaderValue {
    use std::sync::LazyLock;
    use std::sync::atomic::{AtomicU64, Ordering};
    // A randomly seeded hasher (the standard library seeds it from the OS once per process).
    static PROCESS: LazyLock<u64> = LazyLock::new(|| {
        use std::hash::{BuildHasher, Hasher};
        std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish()
    });
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    uuid_shaped(*PROCESS, n)
}

/// `p` and `n` shaped as a UUID (8-4-4-4-12 hex digits), which log tools recognise; written
/// digit by digit (through `format!` it was 6 % of a point read's instructions).
fn uuid_shaped(p: u64, n: u64) -> HeaderValue {
    let mut id = [b'-'; 36];
    let groups = [
        (0, 8, p >> 32),
        (9, 4, (p >> 16) & 0xffff),
        (14, 4, p & 0xffff),
        (19, 4, (n >> 48) & 0xffff),
        (24, 12, n & 0xffff_ffff_ffff),
    ];
    for (at, digits, value) in groups {
        for i in 0..digits {
            let nibble = (value >> (4 * (digits - 1 - i))) & 0xf;
            id[at + i] = b"0123456789abcdef"[nibble as usize];
        }
    }
    HeaderValue::from_bytes(&id).unwrap_or_else(|_| HeaderValue::from_static("-"))
}

/// Whether the request's `X-Request-Id` may be kept: absent, or one value of 1 to
/// [`MAX_REQUEST_ID`] characters from `[A-Za-z0-9._-]` (a UUID, a trace id). It is echoed and
/// logged, so it must not carry a megabyte, markup or log-line breaks; a fresh id replaces it.
fn plain_request_id(headers: &axum::http::HeaderMap) -> bool {
    let mut values = headers.get_all(X_REQUEST_ID).iter();
    match (values.next(), values.next()) {
        (None, _) => true,
        (Some(id), None) => {
            (1..=MAX_REQUEST_ID).contains(&id.len())
                && id
                    .as_bytes()
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        }
        (Some(_), Some(_)) => false,
    }
}

/// The answer's envelope: its request id, the security headers, `Retry-After` on a 503.
fn finish(response: &mut Response, id: HeaderValue) {
    let status = response.status();
    let headers = response.headers_mut();
    headers.insert(X_REQUEST_ID, id);
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
    ] {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    if status == StatusCode::SERVICE_UNAVAILABLE && !headers.contains_key(header::RETRY_AFTER) {
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_ids_differ_and_are_plain() {
        let (a, b) = (fresh_id(), fresh_id());
        assert_ne!(a, b);
        assert_eq!(a.len(), 36, "{a:?}");
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(X_REQUEST_ID, a);
        assert!(plain_request_id(&headers));
    }

    #[test]
    fn ids_are_written_as_format_would() {
        for (p, n) in [(0, 0), (u64::MAX, u64::MAX), (0x0123_4567_89ab_cdef, 42)] {
            let expected = format!(
                "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
                p >> 32,
                (p >> 16) & 0xffff,
                p & 0xffff,
                (n >> 48) & 0xffff,
                n & 0xffff_ffff_ffff
            );
            assert_eq!(uuid_shaped(p, n), expected.as_str());
        }
    }

    #[test]
    fn only_one_short_plain_client_id_is_kept() {
        let kept = |values: &[&str]| {
            let mut headers = axum::http::HeaderMap::new();
            for v in values {
                headers.append(X_REQUEST_ID, HeaderValue::from_str(v).unwrap());
            }
            plain_request_id(&headers)
        };
        assert!(kept(&[]));
        assert!(kept(&["3f1c-AB_9.x"]));
        assert!(!kept(&[""]));
        assert!(!kept(&["a b"]));
        assert!(!kept(&["<script>"]));
        assert!(!kept(&["a", "b"]));
        assert!(!kept(&[&"x".repeat(MAX_REQUEST_ID + 1)]));
        assert!(kept(&[&"x".repeat(MAX_REQUEST_ID)]));
    }
}
