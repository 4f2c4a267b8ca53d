//! What every handler shares: the store, the in-memory catalogue, a cache of computed
//! results (analytics), and facts about this server process.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use soundstream_store::Store;

use crate::auth::Keys;
pub use crate::cache::ResultCache;
use crate::catalog::Catalog;
use crate::consistency::{self, MAX_LAG, REFRESH_EVERY, Writers};
use crate::error::ApiResult;
use crate::limit::RateLimit;
use crate::recommender::RecommenderHandle;

/// How long a cached result may be served, even without a write through this server: writes
/// by another process (a second server on the same PostgreSQL) are not seen otherwise.
pub const MAX_CACHE_AGE: Duration = Duration::from_secs(60);

/// The shared state of the API, cloned into every handler (each field is a pointer).
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// The in-memory catalogue (artists, tags, tag usage) for lists, search and analytics.
    pub catalog: Arc<Catalog>,
    /// Computed results, valid until the next write.
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
}

impl AppState {
    /// State over `store`, with empty caches.
    pub fn new(store: Store) -> Self {
        Self {
            catalog: Arc::new(Catalog::new(store.clone())),
            cache: Arc::new(ResultCache::default()),
            recommender: Arc::new(RecommenderHandle::default()),
            rate_limit: None,
            keys: Arc::default(),
            store,
            started: Instant::now(),
            writers: Arc::default(),
        }
    }

    /// The same state with a per-client request budget.
    pub fn with_rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(Arc::new(limit));
        self
    }

    /// The cached result for `key` if it is fresh enough for this request (see
    /// `consistency`: it holds every write, or the caller's own and lags the others by less
    /// than [`MAX_LAG`]), otherwise `compute`s it (results of other keys stay). `compute`
    /// runs requiring the current generation, so what it files is as fresh as its tag says.
    /// It may use the cache for other keys, never for its own (that would wait on itself).
    pub async fn cached<T, F, Fut>(&self, key: String, compute: F) -> ApiResult<Arc<T>>
    where
        T: Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = ApiResult<T>>,
    {
        let generation = self.store.generation();
        let required = consistency::required();
        let acceptable = |at: u64, age: Duration| {
            (at >= generation && age < MAX_CACHE_AGE) || (at >= required && age < MAX_LAG)
        };
        // A value that may be served, and whether one caller should compute a fresher one.
        let usable = match self.cache.get::<T>(&key) {
            Some((value, at, age)) if at >= generation => Some((value, age >= MAX_CACHE_AGE)),
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
        let value = Arc::new(consistency::requiring(generation, compute()).await?);
        self.cache.put(key, generation, value.clone());
        Ok(value)
    }
}
