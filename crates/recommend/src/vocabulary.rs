//! The recommender's vocabulary: what a caller asks ([`Strategy`], [`Request`]) and gets back
//! ([`Answer`], [`Recommendation`] with its [`Reason`]s, [`SimilarArtist`], [`SimilarUser`]),
//! what training reports ([`TrainingReport`]), and the errors ([`RecommendError`],
//! [`UnknownStrategy`]). The API serves these types; `recommender.rs` produces them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::config::Weights;

/// How to recommend.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// The tuned blend of every model (collaborative, social, tags, popularity): the default.
    #[default]
    Hybrid,
    /// The tuned blend of the collaborative models (what similar listeners play).
    Collaborative,
    /// What the user's friends play.
    Social,
    /// Artists matching the user's tags.
    Tags,
    /// The most listened artists.
    Popular,
}

impl Strategy {
    /// Every strategy, the default first.
    pub const ALL: [Strategy; 5] = [
        Strategy::Hybrid,
        Strategy::Collaborative,
        Strategy::Social,
        Strategy::Tags,
        Strategy::Popular,
    ];

    /// The strategy's name, as parsed by `FromStr` and serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::Hybrid => "hybrid",
            Strategy::Collaborative => "collaborative",
            Strategy::Social => "social",
            Strategy::Tags => "tags",
            Strategy::Popular => "popular",
        }
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The name is not one of the strategies.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown strategy {0:?}: expected hybrid, collaborative, social, tags or popular")]
pub struct UnknownStrategy(pub String);

impl FromStr for Strategy {
    type Err = UnknownStrategy;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Strategy::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| UnknownStrategy(s.to_owned()))
    }
}

/// A request the recommender cannot answer (the API maps both to 404).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecommendError {
    /// No such user in the training data.
    #[error("unknown user {0}")]
    UnknownUser(i64),
    /// No such artist in the training data.
    #[error("unknown artist {0}")]
    UnknownArtist(i64),
}

/// Why an artist is recommended, as data.
// The API serves this type as is, under the schema name `RecommendationReason`: its `///` docs
// are the OpenAPI descriptions. The explanation says the same in words (`explain.rs`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(as = RecommendationReason)
)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// Artists the user plays that share listeners with this one.
    SimilarArtists {
        /// Those artists' ids, most similar first (at most three).
        artist_ids: Vec<i64>,
    },
    /// Listeners with taste like the user's play it (a latent or multi-step match).
    // No single artist the user plays shares its listeners: a latent-factor or multi-step match.
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
        // Described as the API always has (int64): every u32 is one.
        #[cfg_attr(feature = "openapi", schema(value_type = i64))]
        listeners: u32,
    },
}

/// One recommended artist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// The artist.
    pub artist_id: i64,
    /// Blended, normalised score: higher is better, comparable within one list only (0 for an
    /// artist that only fills a list no model could fill).
    pub score: f64,
    /// Why, in words: "because you listen to Placebo and Muse; 4 of your friends play this".
    pub explanation: String,
    /// Why, as data, the strongest reason first.
    pub because: Vec<Reason>,
}

/// An artist similar to another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimilarArtist {
    /// The similar artist.
    pub artist_id: i64,
    /// Similarity under the model that produced it (see `TrainingReport::similar_artists`):
    /// higher is more similar.
    pub score: f64,
    /// Listeners the two artists have in common.
    pub shared_listeners: u32,
}

/// A user similar to another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimilarUser {
    /// The similar user.
    pub user_id: i64,
    /// Similarity (see `TrainingReport::similar_users`), higher is more similar.
    pub score: f64,
    /// Artists both users play.
    pub shared_artists: u32,
}

/// What training did and measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingReport {
    /// Seconds per model (trained on all the data), in training order.
    pub model_seconds: Vec<(String, f64)>,
    /// Seconds spent tuning: the validation models and the weight search.
    pub tuning_seconds: f64,
    /// Seconds spent ranking every user's served list ahead of requests.
    pub precompute_seconds: f64,
    /// Seconds for the whole of `Recommender::train`.
    pub total_seconds: f64,
    /// Validation NDCG@10 of each model alone and of the two blends (empty when the weights
    /// were given, not tuned).
    pub validation_ndcg: Vec<(String, f64)>,
    /// The hybrid's weights.
    pub hybrid: Weights,
    /// The collaborative blend's weights.
    pub collaborative: Weights,
    /// The models trained, in the form the data's size chose (EASE^R dual or primal, ...).
    pub models: Vec<String>,
    /// The model behind `similar_artists`: the item-to-item model that did best on
    /// validation.
    pub similar_artists: String,
    /// How `similar_users` scores.
    pub similar_users: String,
    /// Approximate heap size of the trained recommender, in bytes.
    pub model_bytes: usize,
}

/// What to recommend: see [`crate::Recommender::answer`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Request<'a> {
    /// The strategy.
    pub strategy: Strategy,
    /// How many artists.
    pub k: usize,
    /// Discovery, 0 to 1: the popularity calibration exponent (scores are divided by
    /// `(1 + listeners)^discovery`), replacing the tuned one. `None`: as tuned.
    pub discovery: Option<f32>,
    /// The user's listens now, `(artist, plays)`: when they differ from what training saw,
    /// the user is folded in. `None`: as trained.
    pub listens: Option<&'a [(i64, i64)]>,
}

impl Request<'_> {
    /// `k` artists under `strategy`, as trained.
    pub fn new(strategy: Strategy, k: usize) -> Self {
        Self {
            strategy,
            k,
            discovery: None,
            listens: None,
        }
    }
}

/// Recommendations, and how they were made.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The artists, best first.
    pub recommendations: Vec<Recommendation>,
    /// The user's current listens differed from their training row: they were folded in.
    pub folded_in: bool,
    /// The list was ranked at training time (the served default for a trained user).
    pub precomputed: bool,
}
