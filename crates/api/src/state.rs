//! What every handler shares: the store, the read model, a cache of computed results
//! (analytics), and facts about this server process.
//!
//! A write does not drop cached results: [`AppState::cached`] serves one while it holds every
//! write and is younger than [`MAX_CACHE_AGE`], or while it holds the requester's own writes
//! and is younger than [`MAX_LAG`]; otherwise it is recomputed, by one caller at a time.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use soundstream_store::Store;

use soundstream_readmodel::ReadModel;
use soundstream_readmodel::live::Live;

use crate::auth::Keys;
pub use crate::cache::ResultCache;
use crate::consistency::{Freshness, MAX_LAG, REFRESH_EVERY, Writers};
use crate::error::{ApiError, ApiResult};
use crate::limit::RateLimit;
use crate::recommender::RecommenderHandle;

/// The age at which a cached result that holds every write is recomputed: a bound on what a
/// missed change (a bug, a write bypassing the log) can cost. Past it, the result is still
/// served to callers that find its recomputation under way.
pub const MAX_CACHE_AGE: Duration = Duration::from_secs(60);

/// The shared state of the API, cloned into every handler and middleware: one pointer, so a
/// clone is one atomic increment (a request clones it a few times; cloning each field was a
/// measurable share of a point read). Its fields are [`Shared`]'s, reached through `Deref`.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`AppState`] points to.
#[derive(Clone)]
pub struct Shared {
    /// The database.
    pub store: Store,
    /// The read model: every list, search, ranking and analytics input.
    pub model: Arc<Live>,
    /// Computed results, each tagged with the write it holds.
    pub cache: Arc<ResultCache>,
    /// The recommender being served (trained at start-up, retrained after writes).
    pub recommender: Arc<RecommenderHandle>,
    /// The per-client request budget, when one is set.
    pub rate_limit: Option<Arc<RateLimit>>,
    /// The API keys verified lately.
    pub keys: Arc<Keys>,
    /// When this server started.
    pub started: Instant,
    /// Each API key's last write, for read-your-writes.
    pub writers: Arc<Writers>,
    /// What the server is doing while it starts.
    pub startup: Arc<Startup>,
}

/// What a starting server is doing, beyond building its read model.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Phase {
    /// Nothing beyond the read model (which reports its own progress).
    #[default]
    Serving,
    /// Importing the dataset into an empty database.
    Importing,
    /// Start-up failed; the server answers health checks with why.
    Failed(String),
}

/// The start-up phase, shared with the task that runs it.
#[derive(Debug, Default)]
pub struct Startup {
    phase: Mutex<Phase>,
}

impl Startup {
    /// The current phase.
    pub fn phase(&self) -> Phase {
        self.phase.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Moves to `phase`.
    pub fn set(&self, phase: Phase) {
        *self.phase.lock().unwrap_or_else(|e| e.into_inner()) = phase;
    }
}

impl AppState {
    /// State over `store`, with empty caches.
    pub fn new(store: Store) -> Self {
        Self(Arc::new(Shared {
            model: Live::new(store.clone()),
            cache: Arc::new(ResultCache::default()),
            recommender: Arc::new(RecommenderHandle::default()),
            rate_limit: None,
            keys: Arc::default(),
            store,
            started: Instant::now(),
            writers: Arc::default(),
            startup: Arc::default(),
        }))
    }

    /// State over `store` with its read model built: ready to serve reads at once (tests, and
    /// tools that embed the API).
    pub async fn start(store: Store) -> ApiResult<Self> {
        let state = Self::new(store);
        state.model.build().await?;
        Ok(state)
    }

    /// The same state with a per-client request budget.
    pub fn with_rate_limit(mut self, limit: RateLimit) -> Self {
        Arc::make_mut(&mut self.0).rate_limit = Some(Arc::new(limit));
        self
    }

    /// Runs `query` on the read model; a 503 while it is being built for the first time.
    pub fn read<R>(&self, query: impl FnOnce(&ReadModel) -> R) -> ApiResult<R> {
        self.model.read(query).ok_or_else(starting)
    }

    /// The cached result for `key` if it is fresh enough for this request (it holds every
    /// write and is younger than [`MAX_CACHE_AGE`], or holds `fresh`'s and misses others for
    /// less than [`MAX_LAG`]), otherwise `compute`s it from the read model (results of other
    /// keys stay). One caller computes at a time; a result due for a refresh (past
    /// [`MAX_CACHE_AGE`], or past [`REFRESH_EVERY`] while it misses writes) is still served to
    /// the callers that find that computation under way.
    pub async fn cached<T, F>(&self, key: String, fresh: Freshness, compute: F) -> ApiResult<Arc<T>>
    where
        T: Send + Sync + 'static,
        F: FnOnce(&ReadModel) -> ApiResult<T>,
    {
        let seq = self.model.read(ReadModel::seq).ok_or_else(starting)?;
        let acceptable = |at: u64, age: Duration| {
            (at >= seq && age < MAX_CACHE_AGE) || (at >= fresh.seq && age < MAX_LAG)
        };
        // A value that may be served, and whether one caller should compute a fresher one.
        let usable = match self.cache.get::<T>(&key) {
            Some((value, at, age)) if at >= seq => Some((value, age >= MAX_CACHE_AGE)),
            Some((value, at, age)) if acceptable(at, age) => Some((value, age >= REFRESH_EVERY)),
            _ => None,
        };
        let gate = self.cache.gate(&key);
        let _computing = match (usable, gate.try_lock()) {
            (Some((value, false)), _) => return Ok(value),
            // Someone is computing already: keep the usable value rather than queue.
            (Some((value, true)), Err(_)) => return Ok(value),
            (Some((_, true)), Ok(guard)) => guard,
            // Missing or too old: one computation at a time (single flight); whoever waited
            // takes the result of the one before when it is fresh enough.
            (None, locked) => {
                let guard = match locked {
                    Ok(guard) => guard,
                    Err(_) => gate.lock().await,
                };
                if let Some((value, at, age)) = self.cache.get::<T>(&key)
                    && acceptable(at, age)
                {
                    return Ok(value);
                }
                guard
            }
        };
        let (at, value) = self
            .model
            .read(|m| (m.seq(), compute(m)))
            .ok_or_else(starting)?;
        let value = Arc::new(value?);
        self.cache.put(key, at, value.clone());
        Ok(value)
    }
}

/// The answer while the read model is first built.
pub fn starting() -> ApiError {
    ApiError::Status {
        status: axum::http::StatusCode::SERVICE_UNAVAILABLE,
        code: "starting",
        message: "the server is starting: its read model is being built; /health/ready shows the progress"
            .into(),
    }
}
