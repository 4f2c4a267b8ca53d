//! The result cache: computed answers (analytics, rankings) keyed by endpoint and parameters,
//! each tagged with the store generation it was computed at and its age, so that
//! `AppState::cached` can tell whether it is fresh enough for a request. At most
//! [`MAX_CACHED_RESULTS`] are kept, the least recently used dropped first: many distinct
//! queries (a crawler, a fuzzer) push out the rare ones, never the ones in use.

use std::any::Any;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hashlink::LruCache;

/// The most results the cache keeps.
pub const MAX_CACHED_RESULTS: usize = 1024;

type Entry = (u64, Instant, Arc<dyn Any + Send + Sync>);

/// Results keyed by a string (endpoint and parameters), each tagged with the store generation
/// it was computed at.
pub struct ResultCache {
    entries: Mutex<LruCache<String, Entry>>,
    /// One lock per key being computed (single flight), as many as entries; a gate dropped
    /// while a computation holds it only lets a second computation start.
    gates: Mutex<LruCache<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl Default for ResultCache {
    fn default() -> Self {
        Self::with_capacity(MAX_CACHED_RESULTS)
    }
}

impl ResultCache {
    /// A cache of at most `capacity` results.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            entries: Mutex::new(LruCache::new(capacity)),
            gates: Mutex::new(LruCache::new(capacity)),
        }
    }

    /// How many results are cached.
    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The lock that serialises computations of `key`.
    pub(crate) fn gate(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut gates = self.gates.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(gate) = gates.get(key) {
            return gate.clone();
        }
        let gate = Arc::default();
        gates.insert(key.to_owned(), Arc::clone(&gate));
        gate
    }

    /// The entry for `key`: its value, the generation it was computed at, and its age. A hit
    /// makes the entry the most recently used.
    pub fn get<T: Send + Sync + 'static>(&self, key: &str) -> Option<(Arc<T>, u64, Duration)> {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let (at, when, value) = entries.get(key)?;
        let value = value.clone().downcast::<T>().ok()?;
        Some((value, *at, when.elapsed()))
    }

    /// Files `value` for `key`, computed at `generation`; the least recently used entry goes
    /// when the cache is full.
    pub fn put<T: Send + Sync + 'static>(&self, key: String, generation: u64, value: Arc<T>) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.insert(key, (generation, Instant::now(), value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_distinct_queries_push_out_the_least_recently_used_not_the_ones_in_use() {
        let cache = ResultCache::default();
        cache.put("hot".into(), 1, Arc::new(0usize));
        // 1,100 distinct queries, while one result keeps being asked for.
        for n in 0..1_100usize {
            cache.put(format!("cold {n}"), 1, Arc::new(n));
            if n % 100 == 0 {
                assert!(cache.get::<usize>("hot").is_some(), "hot lost after {n}");
            }
        }
        assert_eq!(cache.len(), MAX_CACHED_RESULTS);
        assert!(cache.get::<usize>("hot").is_some());
        // The oldest cold ones went first; the latest are all there.
        assert!(cache.get::<usize>("cold 0").is_none());
        assert!(cache.get::<usize>("cold 76").is_none());
        for n in 100..1_100usize {
            assert_eq!(
                cache.get::<usize>(&format!("cold {n}")).map(|(v, ..)| *v),
                Some(n),
                "cold {n}"
            );
        }
    }

    #[test]
    fn a_key_keeps_its_gate_while_it_is_cached() {
        let cache = ResultCache::with_capacity(2);
        let gate = cache.gate("a");
        assert!(Arc::ptr_eq(&gate, &cache.gate("a")));
        let _ = (cache.gate("b"), cache.gate("a"), cache.gate("c"));
        // "b" was the least recently used gate: a new one replaces it.
        assert!(Arc::ptr_eq(&gate, &cache.gate("a")));
    }
}
