//! The served recommender's lifecycle: loaded from a model file or trained from the database
//! in the background (with its phase and progress for `/health/ready`), retrained after
//! writes (debounced), and swapped in atomically, so that requests never wait for training
//! and never see a half-built model. Until the first model exists, recommendations come from
//! a labelled fallback (see `routes::recommendations`).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};

use soundstream_core::views::recommendations::RecommenderStatus;
use soundstream_recommend::{Config, DataFingerprint, Phase, Progress, Recommender, TrainingData};
use soundstream_store::{Store, StoreError, TrainingRows};

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
    /// The store generation the model was trained from (0 for a model file: retrained at the
    /// first write).
    pub generation: u64,
    /// When training finished (or the file was loaded).
    pub trained_at: SystemTime,
    /// The model file it was loaded from, if any.
    pub file: Option<PathBuf>,
}

/// The model being served, swapped whole when a newer one is ready.
#[derive(Default)]
pub struct RecommenderHandle {
    current: RwLock<Option<Arc<Trained>>>,
    retraining: AtomicBool,
    progress: Arc<Progress>,
}

/// The training rows the recommender learns from.
pub fn training_data(rows: TrainingRows) -> TrainingData {
    TrainingData {
        users: rows.users,
        listens: rows.listens,
        friendships: rows.friendships,
        tag_assignments: rows.tag_assignments,
        artist_names: rows.artists.into_iter().collect(),
        tag_names: rows.tags.into_iter().collect(),
    }
}

/// Reads the training data from the store, reporting the rows read as progress.
pub async fn load_training_data(
    store: &Store,
    progress: &Progress,
) -> Result<TrainingData, StoreError> {
    progress.enter(Phase::Loading);
    let rows = store
        .training_rows(&|_table, rows| {
            // No total is known before the end: show a fraction that creeps towards 1.
            progress.set(1.0 - 1.0 / (1.0 + rows as f64 / 1e6));
        })
        .await?;
    Ok(training_data(rows))
}

impl RecommenderHandle {
    /// The model being served, if one exists.
    pub fn current(&self) -> Option<Arc<Trained>> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Serves a model trained elsewhere (a test's shared model, say).
    pub fn install(&self, trained: Arc<Trained>) {
        let old = self
            .current
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .replace(trained);
        drop(old);
        // Training's (or loading's) temporary matrices and buffers, and the previous model
        // unless a request still holds it: up to gigabytes at 100x.
        soundstream_core::memory::release();
    }

    fn next_version(&self) -> u64 {
        self.current().map_or(1, |t| t.version + 1)
    }

    /// Trains a model from the database now and serves it.
    pub async fn train(&self, store: &Store) -> Result<Arc<Trained>, TrainError> {
        let generation = store.generation();
        let data = load_training_data(store, &self.progress)
            .await
            .map_err(TrainError::Store)?;
        let progress = self.progress.clone();
        let model = tokio::task::spawn_blocking(move || {
            let model = Recommender::train_with_progress(&data, &Config::default(), &progress);
            drop(data);
            // A model just trained is scattered among training's freed temporaries, in
            // vectors grown by doubling, and the allocator cannot give those pages back: at
            // 100x the server stayed at 2.6 GB, against 2.0 GB with the same model loaded
            // from its file. Rebuilt through its serialised form (a few seconds at 100x),
            // it sits in fresh, exact allocations and the rest goes back at the swap. The
            // serialised form goes through a temporary file: held in memory, it raised the
            // peak at 100x by 270 MiB.
            model.compacted()
        })
        .await
        .map_err(TrainError::Training)?;
        let trained = Arc::new(Trained {
            model,
            version: self.next_version(),
            generation,
            trained_at: SystemTime::now(),
            file: None,
        });
        self.install(trained.clone());
        Ok(trained)
    }

    /// Loads a model file (`soundstream train --out`) and serves it.
    pub async fn load(
        &self,
        path: &Path,
    ) -> Result<Arc<Trained>, soundstream_recommend::ArtifactError> {
        let owned = path.to_owned();
        self.progress.enter(Phase::Loading);
        let (model, _info) = tokio::task::spawn_blocking(move || Recommender::load(&owned))
            .await
            .expect("the loading task does not panic")?;
        self.progress.enter(Phase::Done);
        let trained = Arc::new(Trained {
            model,
            version: self.next_version(),
            generation: 0,
            trained_at: SystemTime::now(),
            file: Some(path.to_owned()),
        });
        self.install(trained.clone());
        Ok(trained)
    }

    /// Starts the recommender in the background and returns at once: loads `model` when
    /// given (a file that cannot be used is an error here, before serving, not a silent
    /// retrain), else trains from the store; then retrains after writes. Requests are served
    /// meanwhile, by the fallback until the first model is in.
    pub async fn start(
        self: Arc<Self>,
        store: Store,
        model: Option<PathBuf>,
    ) -> Result<(), soundstream_recommend::ArtifactError> {
        if let Some(path) = &model {
            // Checked now so that a wrong path or an old file is one line at start-up.
            soundstream_recommend::artifact::read_info(path)?;
        }
        tokio::spawn(async move {
            let started = Instant::now();
            let first = match &model {
                Some(path) => self.load(path).await.map_err(|e| e.to_string()),
                None => self.train(&store).await.map_err(|e| e.to_string()),
            };
            match first {
                Ok(t) => tracing::info!(
                    version = t.version,
                    file = ?t.file,
                    seconds = started.elapsed().as_secs_f64(),
                    "recommender ready"
                ),
                Err(e) => {
                    tracing::error!(error = %e, "the first model failed; serving the fallback")
                }
            }
            self.retrain_after_writes(store).await;
        });
        Ok(())
    }

    /// What health checks report.
    pub fn status(&self) -> RecommenderStatus {
        let current = self.current();
        let progress = self.progress.report();
        let report = current.as_ref().map(|t| t.model.report());
        let validation = |name: &str| {
            report.and_then(|r| r.validation_ndcg.iter().find(|v| v.0 == name).map(|v| v.1))
        };
        RecommenderStatus {
            model_version: current.as_ref().map_or(0, |t| t.version),
            trained_at: current.as_ref().map(|t| {
                t.trained_at
                    .duration_since(SystemTime::UNIX_EPOCH)
                    .map_or(0, |d| d.as_millis() as i64)
            }),
            training_seconds: report.map(|r| r.total_seconds),
            retraining: self.retraining.load(Ordering::Relaxed),
            phase: progress.phase.as_str().to_owned(),
            progress: progress.fraction,
            models: report.map(|r| r.models.clone()).unwrap_or_default(),
            model_file: current
                .as_ref()
                .and_then(|t| t.file.as_ref().map(|f| f.display().to_string())),
            validation_ndcg: validation("hybrid"),
            validation_coverage: validation("hybrid coverage"),
        }
    }

    /// Runs forever: after writes, waits for a quiet period (or the maximum staleness), then
    /// retrains and swaps the model in. Meant for `tokio::spawn`. Meanwhile each user whose
    /// listens changed is folded in at request time (see `routes::recommendations`).
    pub async fn retrain_after_writes(self: Arc<Self>, store: Store) {
        let mut seen = store.generation();
        loop {
            tokio::time::sleep(Duration::from_millis(250)).await;
            let trained = self.current().map(|t| t.generation);
            if trained == Some(store.generation())
                || (trained == Some(0) && store.generation() == seen)
            {
                // Up to date, or a model file and no write since start-up.
                continue;
            }
            // Unseen writes: wait until they stop for a while, or until it has been too long.
            let first = Instant::now();
            self.retraining.store(true, Ordering::Relaxed);
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
            self.retraining.store(false, Ordering::Relaxed);
        }
    }
}

/// Trains from the store and writes a model file: `soundstream train --out FILE`.
pub async fn train_to_file(
    store: &Store,
    out: &Path,
    progress: Arc<Progress>,
) -> Result<soundstream_recommend::ModelInfo, TrainError> {
    let data = load_training_data(store, &progress)
        .await
        .map_err(TrainError::Store)?;
    let out = out.to_owned();
    tokio::task::spawn_blocking(move || {
        let fingerprint = DataFingerprint::of(&data);
        let model = Recommender::train_with_progress(&data, &Config::default(), &progress);
        drop(data);
        model.save(&out, fingerprint).map_err(TrainError::Artifact)
    })
    .await
    .map_err(TrainError::Training)?
}

/// Training a model (to serve, or into a model file) failed.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    /// Reading the training data failed.
    #[error("cannot read the training data: {0}")]
    Store(StoreError),
    /// The training itself stopped: its task panicked or was cancelled.
    #[error("training failed: {0}")]
    Training(tokio::task::JoinError),
    /// Writing the model failed.
    #[error("cannot write the model: {0}")]
    Artifact(soundstream_recommend::ArtifactError),
}
