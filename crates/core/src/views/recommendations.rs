//! Recommendations as the API serves them: artists suggested to a user with a score and the
//! reasons, in words and as data, and the state of the recommender.

use serde::{Deserialize, Serialize};

/// Why an artist is recommended, as data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RecommendationReason {
    /// Artists the user plays that share listeners with this one.
    SimilarArtists {
        /// Those artists' ids, most similar first (at most three).
        artist_ids: Vec<i64>,
    },
    /// Listeners with taste like the user's play it (a latent or multi-step match).
    SimilarListeners,
    /// Friends of the user play it.
    Friends {
        /// Those friends' user ids, closest taste first.
        user_ids: Vec<i64>,
    },
    /// It carries tags of the user's profile.
    Tags {
        /// Those tags' ids, strongest match first (at most three).
        tag_ids: Vec<i64>,
    },
    /// It is among the most listened artists.
    Popular {
        /// Its number of listeners.
        listeners: i64,
    },
}

/// One recommended artist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecommendedArtist {
    /// Artist id.
    pub artist_id: i64,
    /// Artist name.
    pub name: String,
    /// Last.fm page of the artist, when known.
    pub url: Option<String>,
    /// Picture of the artist, when known.
    pub picture_url: Option<String>,
    /// Score under the strategy: higher is better, comparable within one list only.
    pub score: f64,
    /// Why, in words: "because you listen to Placebo and Muse; 4 of your friends play this".
    pub explanation: String,
    /// Why, as data, the strongest reason first.
    pub reasons: Vec<RecommendationReason>,
}

/// Artists recommended to a user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Recommendations {
    /// The user.
    pub user_id: i64,
    /// The strategy used: `hybrid`, `collaborative`, `social`, `tags` or `popular`.
    pub strategy: String,
    /// Version of the model that answered (it increases with each retraining; 0 for the
    /// fallback).
    pub model_version: u64,
    /// Which model answered: `hybrid` (the trained recommender, under `strategy`) or
    /// `fallback-popular` (popular artists within the tags of what the user plays, while no
    /// model is trained yet).
    pub model: String,
    /// The user's listens changed since the model was trained, and were folded in: the list
    /// already reflects them.
    pub folded_in: bool,
    /// The discovery used, 0 to 1 (the exponent of the popularity calibration), when the
    /// request set one.
    pub discovery: Option<f64>,
    /// The recommended artists, best first; never one the user already listens to.
    pub items: Vec<RecommendedArtist>,
}

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
