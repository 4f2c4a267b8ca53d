//! The state of the recommender as the API serves it. The recommendations themselves are
//! served by the API crate (`routes/recommendations.rs`), over the recommender's own
//! vocabulary (`soundstream_recommend::Reason`).

use serde::{Deserialize, Serialize};

/// The state of the recommender, for health checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecommenderStatus {
    /// Version of the model being served (0: none trained yet).
    pub model_version: u64,
    /// When it was trained, in milliseconds since the epoch.
    pub trained_at: Option<i64>,
    /// How long its training took, in seconds.
    pub training_seconds: Option<f64>,
    /// Whether a retraining is pending or running after writes.
    pub retraining: bool,
    /// What training is doing now: `waiting`, `loading`, `indexing`, `validation_models`,
    /// `tuning`, `models`, `precomputing` or `done`.
    pub phase: String,
    /// How far through that phase, 0 to 1.
    pub progress: f64,
    /// The models of the served model, in the form the data's size chose (EASE^R dual or
    /// primal over the most listened artists, iALS factors, ...).
    pub models: Vec<String>,
    /// The model file the served model was loaded from, if any.
    pub model_file: Option<String>,
    /// Validation NDCG@10 of the served blend when it was trained.
    pub validation_ndcg: Option<f64>,
    /// Validation catalogue coverage@10 of the served blend.
    pub validation_coverage: Option<f64>,
}
