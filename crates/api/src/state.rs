//! What every handler shares: the store, the in-memory catalogue, a cache of computed
//! results (analytics), and facts about this server process.

use std::any::Any;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustc_hash::FxHashMap;
use soundstream_store::Store;

use crate::catalog::Catalog;
use crate::error::ApiResult;
use crate::limit::RateLimit;
use crate::recommender::RecommenderHandle;

/// How long a cached result may be served, even without a write through this server: writes
/// by another process (a second server on the same PostgreSQL) are not seen otherwise.
pub const MAX_CACHE_AGE: Duration = Duration::from_secs(60);

/// The most results the cache keeps; past it, it starts afresh.
const MAX_CACHED_RESULTS: usize = 1024;

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
    /// When this server started.
    pub started: Instant,
}

impl AppState {
    /// State over `store`, with empty caches.
    pub fn new(store: Store) -> Self {
        Self {
            catalog: Arc::new(Catalog::new(store.clone())),
            cache: Arc::new(ResultCache::default()),
            recommender: Arc::new(RecommenderHandle::default()),
            rate_limit: None,
            store,
            started: Instant::now(),
        }
    }

    /// The same state with a per-client request budget.
    pub fn with_rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(Arc::new(limit));
        self
    }

    /// The cached result for `key` if it was computed at the store's current generation,
    /// otherwise `compute`s it (results of other keys stay). `compute` may use the cache for
    /// other keys, never for its own (that would wait on itself).
    pub async fn cached<T, F, Fut>(&self, key: String, compute: F) -> ApiResult<Arc<T>>
    where
        T: Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = ApiResult<T>>,
    {
        let generation = self.store.generation();
        let stale = match self.cache.get::<T>(&key, generation) {
            Some((value, false)) => return Ok(value),
            Some((value, true)) => Some(value),
            None => None,
        };
        let gate = self.cache.gate(&key);
        // Only old (no write since): one caller recomputes, the others keep the old value
        // rather than queue behind it.
        let _computing = match (stale, gate.try_lock()) {
            (Some(value), Err(_)) => return Ok(value),
            (Some(_), Ok(guard)) => guard,
            // Missing or made obsolete by a write: one computation at a time (single flight);
            // whoever waited takes the result of the one before.
            (None, locked) => {
                let guard = match locked {
                    Ok(guard) => guard,
                    Err(_) => gate.lock().await,
                };
                if let Some((value, false)) = self.cache.get::<T>(&key, generation) {
                    return Ok(value);
                }
                guard
            }
        };
        let value = Arc::new(compute().await?);
        self.cache.put(key, generation, value.clone());
        Ok(value)
    }
}

type Entry = (u64, Instant, Arc<dyn Any + Send + Sync>);

/// Results keyed by a string (endpoint and parameters), each tagged with the store generation
/// it was computed at.
#[derive(Default)]
pub struct ResultCache {
    entries: Mutex<FxHashMap<String, Entry>>,
    gates: Mutex<FxHashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl ResultCache {
    /// The lock that serialises computations of `key`.
    fn gate(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut gates = self.gates.lock().unwrap_or_else(|e| e.into_inner());
        if gates.len() >= MAX_CACHED_RESULTS {
            gates.clear();
        }
        gates.entry(key.to_owned()).or_default().clone()
    }

    /// The entry for `key` at `generation`, and whether it is older than [`MAX_CACHE_AGE`].
    fn get<T: Send + Sync + 'static>(&self, key: &str, generation: u64) -> Option<(Arc<T>, bool)> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let (at, when, value) = entries.get(key)?;
        if *at != generation {
            return None;
        }
        let old = when.elapsed() > MAX_CACHE_AGE;
        value.clone().downcast::<T>().ok().map(|v| (v, old))
    }

    fn put<T: Send + Sync + 'static>(&self, key: String, generation: u64, value: Arc<T>) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_CACHED_RESULTS {
            entries.clear();
        }
        entries.insert(key, (generation, Instant::now(), value));
    }
}
