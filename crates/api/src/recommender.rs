//! The served recommender's lifecycle: trained from the database at start-up, held in memory,
//! retrained in the background after writes (debounced), and swapped in atomically, so that
//! requests never wait for training and never see a half-built model.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};

use soundstream_core::views::recommendations::RecommenderStatus;
use soundstream_recommend::{Config, Recommender, TrainingData};
use soundstream_store::{Store, StoreError};

/// How long the data must stay unchanged after a write before retraining starts: a burst of
/// writes costs one retraining, not one per write.
pub const QUIET_PERIOD: Duration = Duration::from_secs(2);
/// Retrain anyway once this long has passed since the first unseen write.
pub const MAX_STALENESS: Duration = Duration::from_secs(30);

/// A trained model and where it came from.
pub struct Trained {
    /// The model.
    pub model: Recommender,
    /// Increases with each training.
    pub version: u64,
    /// The store generation the model was trained from.
    pub generation: u64,
    /// When training finished.
    pub trained_at: SystemTime,
}

/// The model being served, swapped whole when a newer one is ready.
#[derive(Default)]
pub struct RecommenderHandle {
    current: RwLock<Option<Arc<Trained>>>,
    retraining: std::sync::atomic::AtomicBool,
}

impl RecommenderHandle {
    /// The model being served, if one was trained.
    pub fn current(&self) -> Option<Arc<Trained>> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Serves a model trained elsewhere (a test's shared model, say).
    pub fn install(&self, trained: Arc<Trained>) {
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(trained);
    }

    /// Trains a model from the database now and serves it.
    pub async fn train(&self, store: &Store) -> Result<Arc<Trained>, StoreError> {
        let generation = store.generation();
        let dataset = store.load_dataset().await?;
        let model = tokio::task::spawn_blocking(move || {
            Recommender::train(&TrainingData::from_dataset(&dataset), &Config::default())
        })
        .await
        .map_err(|e| StoreError::Pool(format!("training failed: {e}")))?;
        let version = self.current().map_or(1, |t| t.version + 1);
        let trained = Arc::new(Trained {
            model,
            version,
            generation,
            trained_at: SystemTime::now(),
        });
        self.install(trained.clone());
        Ok(trained)
    }

    /// What health checks report.
    pub fn status(&self) -> RecommenderStatus {
        let current = self.current();
        RecommenderStatus {
            model_version: current.as_ref().map_or(0, |t| t.version),
            trained_at: current.as_ref().map(|t| {
                t.trained_at
                    .duration_since(SystemTime::UNIX_EPOCH)
                    .map_or(0, |d| d.as_millis() as i64)
            }),
            training_seconds: current.as_ref().map(|t| t.model.report().total_seconds),
            retraining: self.retraining.load(std::sync::atomic::Ordering::Relaxed),
        }
    }

    /// Runs forever: after writes, waits for a quiet period (or the maximum staleness), then
    /// retrains and swaps the model in. Meant for `tokio::spawn`.
    pub async fn retrain_after_writes(self: Arc<Self>, store: Store) {
        let mut seen = store.generation();
        loop {
            tokio::time::sleep(Duration::from_millis(250)).await;
            let trained = self.current().map(|t| t.generation);
            if trained == Some(store.generation()) {
                continue;
            }
            // Unseen writes: wait until they stop for a while, or until it has been too long.
            let first = Instant::now();
            self.retraining
                .store(true, std::sync::atomic::Ordering::Relaxed);
            loop {
                let now = store.generation();
                if now == seen && first.elapsed() >= QUIET_PERIOD {
                    break;
                }
                if first.elapsed() >= MAX_STALENESS {
                    break;
                }
                seen = now;
                tokio::time::sleep(QUIET_PERIOD / 4).await;
            }
            match self.train(&store).await {
                Ok(t) => tracing::info!(
                    version = t.version,
                    seconds = t.model.report().total_seconds,
                    "recommender retrained after writes"
                ),
                Err(e) => tracing::error!(error = %e, "recommender retraining failed"),
            }
            self.retraining
                .store(false, std::sync::atomic::Ordering::Relaxed);
        }
    }
}
