//! The SoundStream recommender: collaborative filtering (EASE^R and iALS served; item-kNN and
//! RP3beta available but off by default, see the README for why), social and tag-aware models,
//! a hybrid blend tuned on a validation split, popularity and cold start, and a seeded offline
//! evaluation against two reference baselines.
//!
//! Pure: it takes plain data ([`TrainingData`], built from a [`soundstream_core::Dataset`]) and
//! does no IO. [`Recommender::train`] builds every model (seconds on the full dataset); the
//! trained [`Recommender`] answers from memory and is `Send + Sync`, so it can sit behind an
//! `Arc` and be swapped when retrained.
//!
//! ```no_run
//! # fn demo(dataset: &soundstream_core::Dataset) {
//! use soundstream_recommend::{Config, Recommender, Strategy, TrainingData};
//! let recommender = Recommender::train(&TrainingData::from_dataset(dataset), &Config::default());
//! for r in recommender.recommend(2, Strategy::Hybrid, 10).unwrap() {
//!     println!("{} {:.3} {}", r.artist_id, r.score, r.explanation);
//! }
//! # }
//! ```

pub mod artifact;
mod config;
mod data;
mod evaluate;
mod explain;
mod hybrid;
mod linalg;
mod metrics;
mod models;
mod parallel;
mod progress;
mod recommender;
mod rng;
mod split;
mod sweep;
mod topk;
mod tuning;
mod vocabulary;

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod lab;

pub use artifact::{ArtifactError, DataFingerprint, ModelInfo};
pub use config::{
    Config, EaseConfig, IalsConfig, ItemKnnConfig, Rp3betaConfig, SocialConfig, TagsConfig, Weights,
};
pub use data::TrainingData;
pub use evaluate::{
    Evaluation, EvaluationRow, K, MIN_LISTENS, MOST_POPULAR, RowKind, TEST_FRACTION, USER_KNN,
    evaluate,
};
pub use metrics::Metrics;
pub use progress::{Phase, Progress, ProgressReport};
pub use recommender::Recommender;
pub use vocabulary::{
    Answer, Reason, RecommendError, Recommendation, Request, SimilarArtist, SimilarUser, Strategy,
    TrainingReport, UnknownStrategy,
};
