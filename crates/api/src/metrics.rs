//! Prometheus metrics at `/metrics`: request counts and latency histograms per route, the
//! database pool, and the recommender's model version and training time.

use std::collections::HashMap;
use std::sync::{OnceLock, RwLock};
use std::time::Instant;

use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::response::IntoResponse;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::AppState;

/// Latency buckets, in seconds: from 100 µs (answers from memory) to 2.5 s.
const BUCKETS: &[f64] = &[
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

/// The process-wide recorder, installed on first use (a process has one global recorder,
/// however many apps it builds, as tests do).
fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full("http_request_duration_seconds".into()),
                BUCKETS,
            )
            .expect("static, non-empty buckets")
            .build_recorder();
        let handle = recorder.handle();
        // Another recorder already installed (a host program's) keeps the metrics; /metrics
        // then shows ours empty rather than failing.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// Installs the process-wide recorder, so that what is counted before the first request
/// (refused connections) is kept.
pub fn install() {
    handle();
}

/// The method as a label: one of the standard ones, or `other` (a client may send any token
/// as a method, and each would otherwise become a series of its own).
pub(crate) fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        Method::TRACE => "TRACE",
        Method::CONNECT => "CONNECT",
        _ => "other",
    }
}

/// Counts a request by method, route template and status, and records its latency (called by
/// the envelope, outside the key check, the rate limit and the timeout, so that their 401,
/// 403, 429 and 503 answers are counted). Paths that match no route share the `unmatched`
/// label, so that the number of series stays bounded whatever clients ask for.
pub(crate) fn record(method: &'static str, route: &str, status: StatusCode, start: Instant) {
    let elapsed = start.elapsed().as_secs_f64();
    let status = status.as_u16();
    if let Some(series) = SERIES
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .get(route)
        .and_then(|list| {
            list.iter()
                .find(|s| s.method == method && s.status == status)
        })
    {
        series.requests.increment(1);
        series.latency.record(elapsed);
        return;
    }
    handle();
    let series = Series {
        method,
        status,
        requests: metrics::counter!("http_requests_total", "method" => method, "route" => route.to_owned(), "status" => status.to_string()),
        latency: metrics::histogram!("http_request_duration_seconds", "method" => method, "route" => route.to_owned()),
    };
    series.requests.increment(1);
    series.latency.record(elapsed);
    SERIES
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .entry(route.into())
        .or_default()
        .push(series);
}

/// The series of one method and status of a route, registered with the recorder once.
/// Registering them on every request (the labels built, the key hashed, the registry
/// searched, twice) was 6 % of a point read's instructions.
struct Series {
    method: &'static str,
    status: u16,
    requests: metrics::Counter,
    latency: metrics::Histogram,
}

/// Every series recorded so far, by route template (as bounded as the series themselves).
static SERIES: std::sync::LazyLock<RwLock<HashMap<Box<str>, Vec<Series>>>> =
    std::sync::LazyLock::new(Default::default);

/// The metrics in Prometheus' text format.
pub async fn render(State(state): State<AppState>) -> impl IntoResponse {
    let pool = state.store.pool_status();
    metrics::gauge!("soundstream_db_pool_connections").set(pool.size as f64);
    metrics::gauge!("soundstream_db_pool_idle_connections").set(pool.available as f64);
    metrics::gauge!("soundstream_db_pool_max_connections").set(pool.max as f64);
    let recommender = state.recommender.status();
    metrics::gauge!("soundstream_recommender_model_version").set(recommender.model_version as f64);
    if let Some(seconds) = recommender.training_seconds {
        metrics::gauge!("soundstream_recommender_training_seconds").set(seconds);
    }
    metrics::gauge!("soundstream_uptime_seconds").set(state.started.elapsed().as_secs_f64());
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle().render(),
    )
}
