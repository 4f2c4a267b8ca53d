//! Liveness and readiness: is the process up, and can it answer (database reachable, data
//! loaded)? Readiness answers 503 until both hold, so an orchestrator routes no traffic before.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use soundstream_core::views::recommendations::RecommenderStatus;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

/// The process is up.
#[derive(Debug, Serialize, ToSchema)]
pub struct Liveness {
    /// Always `ok`.
    pub status: String,
    /// Server version.
    pub version: String,
    /// Seconds since the server started.
    pub uptime_seconds: u64,
}

/// Whether the server can answer requests.
#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    /// `ready`, or `not_ready` (with a 503).
    pub status: String,
    /// Server version.
    pub version: String,
    /// The database engine: `sqlite` or `postgres`.
    pub database: String,
    /// Whether the database answered.
    pub database_reachable: bool,
    /// Whether the dataset is loaded (the catalogue holds artists).
    pub data_loaded: bool,
    /// Artists in the database, when reachable.
    pub artists: Option<i64>,
    /// Why the server is not ready, when it is not.
    pub reason: Option<String>,
    /// The recommender: model version, when and how fast it was trained.
    pub recommender: RecommenderStatus,
}

/// The routes of this area (at the root, not under `/v1`).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(live))
        .routes(routes!(ready))
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/health/live", tag = "health",
    responses((status = 200, description = "The process is up", body = Liveness)))]
pub async fn live(State(state): State<AppState>) -> Json<Liveness> {
    Json(Liveness {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        uptime_seconds: state.started.elapsed().as_secs(),
    })
}

/// Readiness: the database is reachable and the dataset is loaded.
#[utoipa::path(get, path = "/health/ready", tag = "health",
    responses(
        (status = 200, description = "Ready to serve", body = Readiness),
        (status = 503, description = "Not ready: database unreachable or empty", body = Readiness),
    ))]
pub async fn ready(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    let database = format!("{:?}", state.store.backend()).to_lowercase();
    let (reachable, artists, reason) = match state
        .store
        .query_one("SELECT COUNT(*) FROM artists", vec![])
        .await
        .and_then(|r| r.i64(0))
    {
        Ok(0) => (
            true,
            Some(0),
            Some("the database holds no artist: run `soundstream import`".to_owned()),
        ),
        Ok(n) => (true, Some(n), None),
        Err(e) => {
            tracing::warn!(error = %e, "readiness: database unreachable");
            (false, None, Some("the database does not answer".to_owned()))
        }
    };
    let ready = reason.is_none();
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(Readiness {
            status: if ready { "ready" } else { "not_ready" }.into(),
            version: env!("CARGO_PKG_VERSION").into(),
            database,
            database_reachable: reachable,
            data_loaded: artists.is_some_and(|n| n > 0),
            artists,
            reason,
            recommender: state.recommender.status(),
        }),
    )
}
