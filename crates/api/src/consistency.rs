//! How fresh a read must be. Lists, search, rankings and point reads come from the read
//! model, which every write made through this server updates before its answer goes out: a
//! client reads its own writes, and everyone else's, at once. Writes made through other
//! servers on the same database arrive through the change log within a second.
//!
//! What can lag is the result cache (analytics, whose computation reads the whole model):
//! a cached result may be served while it misses writes less than [`MAX_LAG`] old, except to
//! a client whose own last write it misses. That client's requirement travels with its
//! request as a [`Freshness`], put there by the key middleware and passed explicitly by the
//! handlers that read the cache.

use std::sync::Mutex;
use std::time::Duration;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use rustc_hash::FxHashMap;

/// The longest a cached result may miss a write, for a reader without a write of its own.
pub const MAX_LAG: Duration = Duration::from_secs(1);

/// Under a stream of writes, cached results are recomputed in the background at most this
/// often.
pub const REFRESH_EVERY: Duration = Duration::from_millis(250);

/// The change-log position a request must see: its key's last write (0: none).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Freshness {
    /// The write the answer must hold.
    pub seq: u64,
}

impl<S: Send + Sync> FromRequestParts<S> for Freshness {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Freshness>()
            .copied()
            .unwrap_or_default())
    }
}

/// The change-log position of each key's last write, by key id.
#[derive(Default)]
pub struct Writers {
    last_write: Mutex<FxHashMap<i64, u64>>,
}

impl Writers {
    /// Records that key `key_id` wrote, and that the read model was at `seq` afterwards.
    pub fn wrote(&self, key_id: i64, seq: u64) {
        let mut map = self.last_write.lock().unwrap_or_else(|e| e.into_inner());
        let entry = map.entry(key_id).or_default();
        *entry = (*entry).max(seq);
    }

    /// What a request with key `key_id` must see.
    pub fn required(&self, key_id: i64) -> Freshness {
        let map = self.last_write.lock().unwrap_or_else(|e| e.into_inner());
        Freshness {
            seq: map.get(&key_id).copied().unwrap_or(0),
        }
    }
}
