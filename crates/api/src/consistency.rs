//! How fresh a read must be. Lists, search, analytics and recommendations are answered from
//! the in-memory catalogue and a result cache, which a write makes out of date. Rebuilding
//! them for every read after every write would let a stream of writes starve the readers, so
//! reads follow *session consistency*:
//!
//! - a client that writes with an API key and reads with the same key sees its own writes at
//!   once (the key's last write is remembered here, and its reads wait for a catalogue that
//!   holds it);
//! - every other reader sees every write within [`MAX_LAG`]: an older catalogue is served while
//!   one rebuild runs in the background, and past that lag the reader waits for a fresh one.
//!
//! The requirement travels with the request as a task-local value set by the key middleware,
//! so the catalogue and the cache read it without every handler passing it along.

use std::sync::Mutex;
use std::time::Duration;

use rustc_hash::FxHashMap;

/// The longest a reader without a write of its own may be served a catalogue or result that
/// misses writes made through this server.
pub const MAX_LAG: Duration = Duration::from_secs(1);

/// Under a stream of writes, background rebuilds start at most this often.
pub const REFRESH_EVERY: Duration = Duration::from_millis(250);

tokio::task_local! {
    /// The store generation the current request must see: its key's last write (or, inside a
    /// cache computation, the generation the result will be filed under).
    static REQUIRED: u64;
}

/// The generation the current request must see; 0 when it has no write of its own.
pub fn required() -> u64 {
    REQUIRED.try_with(|g| *g).unwrap_or(0)
}

/// Runs `work` requiring the generation `generation`.
pub async fn requiring<F: Future>(generation: u64, work: F) -> F::Output {
    REQUIRED.scope(generation, work).await
}

/// The generation of each key's last write, by key id.
#[derive(Default)]
pub struct Writers {
    last_write: Mutex<FxHashMap<i64, u64>>,
}

impl Writers {
    /// Records that key `key_id` wrote, and that the store was at `generation` afterwards.
    pub fn wrote(&self, key_id: i64, generation: u64) {
        let mut map = self.last_write.lock().unwrap_or_else(|e| e.into_inner());
        let entry = map.entry(key_id).or_default();
        *entry = (*entry).max(generation);
    }

    /// The generation a request with key `key_id` must see.
    pub fn required(&self, key_id: i64) -> u64 {
        let map = self.last_write.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&key_id).copied().unwrap_or(0)
    }
}
