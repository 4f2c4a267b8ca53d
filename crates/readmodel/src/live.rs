//! The read model a server serves from, kept current: this process's writes are applied as
//! they commit (before the writer gets its answer, so everyone here reads them at once), and
//! writes by other processes on the same database (replicas on one PostgreSQL, an import)
//! are picked up from the change log by a follower that polls it every 200 ms.
//!
//! Writes are applied in change-log order: one applier at a time, and a write numbered
//! beyond the next one expected first fetches the ones in between from the log. Readers take
//! a shared lock for the duration of one query (microseconds to milliseconds); an applier
//! takes it exclusively for the duration of one write's changes.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use soundstream_store::{Committed, Store, StoreError};

use crate::ReadModel;
use crate::load::{Progress, ProgressReport, load};

/// How often the follower looks at the change log.
pub const POLL_EVERY: Duration = Duration::from_millis(200);
/// How many log entries are kept behind the newest: a replica further behind rebuilds.
pub const KEEP_CHANGES: u64 = 100_000;
/// How often the log is trimmed.
const TRIM_EVERY: Duration = Duration::from_secs(60);
/// Log entries fetched per query while catching up.
const FETCH: u32 = 5_000;

/// What a health check shows of the read model.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    /// Whether reads are served (a model was built).
    pub ready: bool,
    /// Whether a (re)build is running, with its progress.
    pub building: Option<ProgressReport>,
    /// The dataset epoch served.
    pub epoch: i64,
    /// The last write applied.
    pub seq: u64,
    /// Seconds the last build took.
    pub build_seconds: Option<f64>,
}

/// The served read model and its upkeep.
pub struct Live {
    store: Store,
    model: RwLock<Option<ReadModel>>,
    /// One applier at a time, so writes apply in log order.
    applying: tokio::sync::Mutex<()>,
    building: Mutex<Option<Arc<Progress>>>,
    rebuild_wanted: AtomicBool,
    build_seconds: Mutex<Option<f64>>,
}

impl Live {
    /// A read model over `store`, not built yet (reads wait for [`Live::build`]).
    pub fn new(store: Store) -> Arc<Self> {
        Arc::new(Self {
            store,
            model: RwLock::new(None),
            applying: tokio::sync::Mutex::new(()),
            building: Mutex::new(None),
            rebuild_wanted: AtomicBool::new(false),
            build_seconds: Mutex::new(None),
        })
    }

    /// Serves `model` (a test's, say) as if built.
    pub fn install(&self, model: ReadModel) {
        *self.model.write().unwrap_or_else(|e| e.into_inner()) = Some(model);
    }

    /// Runs `query` on the current model; `None` before the first build.
    pub fn read<R>(&self, query: impl FnOnce(&ReadModel) -> R) -> Option<R> {
        self.model
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .map(query)
    }

    /// The last write applied (0 before the first build).
    pub fn seq(&self) -> u64 {
        self.read(ReadModel::seq).unwrap_or(0)
    }

    /// Where the model stands.
    pub fn status(&self) -> Status {
        let (ready, epoch, seq) = self
            .read(|m| (true, m.epoch(), m.seq()))
            .unwrap_or((false, 0, 0));
        Status {
            ready,
            building: self
                .building
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .as_ref()
                .map(|p| p.report()),
            epoch,
            seq,
            build_seconds: *self.build_seconds.lock().unwrap_or_else(|e| e.into_inner()),
        }
    }

    /// Builds the model from the database and serves it; the previous one (if any) is served
    /// until then. Writes committed meanwhile are applied from the log afterwards.
    pub async fn build(&self) -> Result<(), StoreError> {
        let progress = Arc::new(Progress::default());
        *self.building.lock().unwrap_or_else(|e| e.into_inner()) = Some(progress.clone());
        let started = Instant::now();
        let result = load(&self.store, progress).await;
        *self.building.lock().unwrap_or_else(|e| e.into_inner()) = None;
        let fresh = result?;
        let seconds = started.elapsed().as_secs_f64();
        tracing::info!(
            seconds,
            seq = fresh.seq(),
            epoch = fresh.epoch(),
            "read model built"
        );
        *self.build_seconds.lock().unwrap_or_else(|e| e.into_inner()) = Some(seconds);
        let _applying = self.applying.lock().await;
        let old = self
            .model
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .replace(fresh);
        // Freed outside the lock: dropping a large model takes a while.
        drop(old);
        // The build's temporary buffers and the previous model: gigabytes at 100x.
        soundstream_core::memory::release();
        self.rebuild_wanted.store(false, Ordering::Relaxed);
        Ok(())
    }

    /// Applies a write this process committed, before its answer goes out; returns its
    /// value. Failing to apply (the model diverged) schedules a rebuild; the write itself
    /// stands.
    pub async fn commit<T>(&self, committed: Committed<T>) -> T {
        let Some(seq) = committed.seq else {
            return committed.value;
        };
        let _applying = self.applying.lock().await;
        let Some((epoch, at)) = self.read(|m| (m.epoch(), m.seq())) else {
            // Not built yet: the build will read this write from the database.
            return committed.value;
        };
        if epoch != committed.epoch {
            self.rebuild_wanted.store(true, Ordering::Relaxed);
            return committed.value;
        }
        if seq <= at {
            return committed.value;
        }
        if seq > at + 1
            && let Err(e) = self.catch_up_locked(seq - 1).await
        {
            tracing::warn!(error = %e, "cannot read the change log; rebuilding the read model");
            self.rebuild_wanted.store(true, Ordering::Relaxed);
            return committed.value;
        }
        self.apply_one(seq, &committed.changes);
        committed.value
    }

    /// Applies write `seq` if it is the next one; `false` when the model diverged (it then
    /// waits for a rebuild, applying nothing more).
    fn apply_one(&self, seq: u64, changes: &[soundstream_core::change::Change]) -> bool {
        if self.rebuild_wanted.load(Ordering::Relaxed) {
            return false;
        }
        let mut guard = self.model.write().unwrap_or_else(|e| e.into_inner());
        let Some(model) = guard.as_mut() else {
            return true;
        };
        if seq != model.seq() + 1 {
            return true;
        }
        if let Err(e) = model.apply(seq, changes) {
            tracing::error!(error = %e, seq, "the read model diverged from the change log; rebuilding it");
            self.rebuild_wanted.store(true, Ordering::Relaxed);
            return false;
        }
        true
    }

    /// Applies the logged writes after the model's position, up to `until`.
    async fn catch_up_locked(&self, until: u64) -> Result<(), StoreError> {
        loop {
            let Some(at) = self.read(ReadModel::seq) else {
                return Ok(());
            };
            if at >= until {
                return Ok(());
            }
            let writes = self.store.changes_after(at, FETCH).await?;
            if writes.first().is_none_or(|w| w.seq != at + 1) {
                // The entries the model needs were trimmed (or an import replaced the data).
                self.rebuild_wanted.store(true, Ordering::Relaxed);
                return Ok(());
            }
            for write in writes.iter().take_while(|w| w.seq <= until) {
                if !self.apply_one(write.seq, &write.changes) {
                    return Ok(());
                }
            }
        }
    }

    /// One round of the follower: rebuild after an import (or a divergence), else apply what
    /// other processes wrote.
    pub async fn follow_once(&self) -> Result<(), StoreError> {
        let head = self.store.log_head().await?;
        let model = self.read(|m| (m.epoch(), m.seq()));
        let wanted = self.rebuild_wanted.load(Ordering::Relaxed);
        match model {
            None => {}
            Some((epoch, _)) if epoch != head.epoch || wanted => {
                tracing::info!(epoch = head.epoch, "rebuilding the read model");
                self.build().await?;
            }
            Some((_, seq)) if head.seq > seq => {
                let _applying = self.applying.lock().await;
                self.catch_up_locked(head.seq).await?;
            }
            Some(_) => {}
        }
        Ok(())
    }

    /// Runs forever: follows the change log and trims it. Meant for `tokio::spawn`.
    pub async fn follow(self: Arc<Self>) {
        let mut trimmed = Instant::now();
        loop {
            tokio::time::sleep(POLL_EVERY).await;
            if let Err(e) = self.follow_once().await {
                tracing::warn!(error = %e, "cannot follow the change log; retrying");
                continue;
            }
            if trimmed.elapsed() >= TRIM_EVERY {
                trimmed = Instant::now();
                let seq = self.seq();
                if seq > KEEP_CHANGES
                    && let Err(e) = self.store.trim_changes(seq - KEEP_CHANGES).await
                {
                    tracing::warn!(error = %e, "cannot trim the change log");
                }
            }
        }
    }
}
