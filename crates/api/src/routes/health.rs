//! Liveness and readiness: is the process up, and can it answer (database reachable, read
//! model built)? Liveness answers from the first moment; readiness answers 503 with the
//! start-up phase and its progress (importing, building the read model) until reads are
//! served, so an orchestrator routes no traffic before. The recommender trains afterwards,
//! in the background, and shows its own state.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use soundstream_core::views::recommendations::RecommenderStatus;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::state::Phase;

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
    /// Whether the dataset is loaded (the read model holds artists).
    pub data_loaded: bool,
    /// Artists in the read model, once built.
    pub artists: Option<i64>,
    /// What the server is doing: `importing` (the dataset, into an empty database),
    /// `building_read_model`, `ready` (reads are served), or `failed`.
    pub phase: String,
    /// Why the server is not ready, when it is not.
    pub reason: Option<String>,
    /// The in-memory read model: built or building, and the last write it holds.
    pub read_model: ReadModelStatus,
    /// The recommender: model version, when and how fast it was trained.
    pub recommender: RecommenderStatus,
}

/// The read model, for health checks.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadModelStatus {
    /// Whether reads are served from it.
    pub ready: bool,
    /// The table being read while a (re)build runs.
    pub building_table: Option<String>,
    /// Rows read so far by the running build.
    pub building_rows: Option<u64>,
    /// Rows the running build reads in all.
    pub building_total: Option<u64>,
    /// The last change-log entry (write) applied.
    pub seq: u64,
    /// The dataset epoch served (an import starts a new one).
    pub epoch: i64,
    /// Seconds the last build took.
    pub build_seconds: Option<f64>,
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
    let reachable = match state.store.query_opt("SELECT 1", vec![]).await {
        Ok(_) => true,
        Err(e) => {
            tracing::warn!(error = %e, "readiness: database unreachable");
            false
        }
    };
    let model = state.model.status();
    let artists = state.model.read(|m| m.artist_count() as i64);
    let startup = state.startup.phase();
    let (phase, reason) = match (&startup, model.ready) {
        (Phase::Failed(why), _) => ("failed", Some(why.clone())),
        (Phase::Importing, _) => (
            "importing",
            Some("the database is empty: the dataset is being imported".to_owned()),
        ),
        (_, false) => (
            "building_read_model",
            Some("the read model is being built from the database".to_owned()),
        ),
        (_, true) if !reachable => ("ready", Some("the database does not answer".to_owned())),
        (_, true) if artists == Some(0) => (
            "ready",
            Some("the database holds no artist: run `soundstream import`".to_owned()),
        ),
        (_, true) => ("ready", None),
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
            phase: phase.into(),
            reason,
            read_model: ReadModelStatus {
                ready: model.ready,
                building_table: model.building.as_ref().map(|b| b.table.to_owned()),
                building_rows: model.building.as_ref().map(|b| b.rows),
                building_total: model.building.as_ref().map(|b| b.total),
                seq: model.seq,
                epoch: model.epoch,
                build_seconds: model.build_seconds,
            },
            recommender: state.recommender.status(),
        }),
    )
}
