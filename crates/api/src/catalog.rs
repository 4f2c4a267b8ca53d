//! The in-memory catalogue: every artist with its audience, every tag, which artists carry
//! which tag how often, and who listens to what. Lists, search and analytics that would scan tables are answered
//! from it in microseconds. It is rebuilt (one build at a time) after writes, as fresh as each
//! reader needs (see `consistency`), and at most every minute regardless.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use rustc_hash::FxHashMap;
use soundstream_core::Tag;
use soundstream_core::views::artists::ArtistSummary;
use soundstream_store::Store;

use crate::consistency::{MAX_LAG, REFRESH_EVERY};
use crate::error::{ApiError, ApiResult};
use crate::state::MAX_CACHE_AGE;

/// Case-folds text for case-insensitive matching, as the store's `ss_fold` does.
pub fn fold(text: &str) -> String {
    text.to_lowercase()
}

/// One consistent view of the catalogue.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// The store generation this view was read at.
    pub generation: u64,
    /// When it was built.
    pub built: Option<Instant>,
    /// Every artist, by id.
    pub artists: Vec<ArtistSummary>,
    /// The folded names joined by newlines, for one fast substring scan over all of them.
    names_blob: String,
    /// Where each artist's folded name starts in `names_blob`.
    name_starts: Vec<usize>,
    /// Index in `artists` of each artist id.
    pub artist_index: FxHashMap<i64, usize>,
    /// Every tag, by id.
    pub tags: Vec<Tag>,
    /// Index in `tags` of each tag id.
    pub tag_index: FxHashMap<i64, usize>,
    /// Index in `tags` of each folded tag value.
    pub tag_by_value: FxHashMap<String, usize>,
    /// For each tag id: (index in `artists`, times applied), most applied first.
    pub tag_artists: FxHashMap<i64, Vec<(usize, i64)>>,
    /// For each artist (by index in `artists`): (index in `tags`, times applied), most
    /// applied first, ties by tag id.
    pub artist_tags: Vec<Vec<(usize, i64)>>,
    /// For each artist (by index in `artists`): (user id, weight), most plays first, ties by
    /// user id.
    pub artist_listeners: Vec<Vec<(i64, i64)>>,
    /// For each user id: (index in `artists`, weight), by artist id.
    pub user_artists: FxHashMap<i64, Vec<(usize, i64)>>,
}

impl Snapshot {
    /// The artist with this id.
    pub fn artist(&self, id: i64) -> Option<&ArtistSummary> {
        self.artist_index.get(&id).map(|&i| &self.artists[i])
    }

    /// Indexes (ascending) of the artists whose folded name contains `needle` (folded too):
    /// one SIMD substring scan over all names instead of one search per name.
    pub fn artists_named(&self, needle: &str) -> Vec<usize> {
        let mut found: Vec<usize> = Vec::new();
        for at in memchr::memmem::find_iter(self.names_blob.as_bytes(), needle.as_bytes()) {
            let i = self.name_starts.partition_point(|&start| start <= at) - 1;
            if found.last() != Some(&i) {
                found.push(i);
            }
        }
        found
    }

    /// The index in `artists` of the artist with this id.
    pub fn artist_position(&self, id: i64) -> Option<usize> {
        self.artist_index.get(&id).copied()
    }

    /// The tag with this value, compared case-insensitively.
    pub fn tag_by_value(&self, value: &str) -> Option<&Tag> {
        self.tag_by_value.get(&fold(value)).map(|&i| &self.tags[i])
    }

    async fn build(store: &Store) -> ApiResult<Self> {
        let generation = store.generation();
        let data = store.catalog_data().await.map_err(ApiError::from)?;
        let folded_names: Vec<String> = data.artists.iter().map(|a| fold(&a.name)).collect();
        let mut names_blob = String::new();
        let mut name_starts = Vec::with_capacity(folded_names.len());
        for name in &folded_names {
            name_starts.push(names_blob.len());
            // A newline cannot occur in a search needle (control characters are rejected),
            // so no match spans two names.
            names_blob.push_str(&name.replace('\n', " "));
            names_blob.push('\n');
        }
        let artist_index = data
            .artists
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id, i))
            .collect::<FxHashMap<_, _>>();
        let tag_index: FxHashMap<i64, usize> = data
            .tags
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id, i))
            .collect();
        let tag_by_value = data
            .tags
            .iter()
            .enumerate()
            .map(|(i, t)| (fold(&t.value), i))
            .collect();
        let mut tag_artists: FxHashMap<i64, Vec<(usize, i64)>> = FxHashMap::default();
        let mut artist_tags = vec![Vec::new(); data.artists.len()];
        for (tag, artist, count) in data.tag_artists {
            if let (Some(&a), Some(&t)) = (artist_index.get(&artist), tag_index.get(&tag)) {
                tag_artists.entry(tag).or_default().push((a, count));
                artist_tags[a].push((t, count));
            }
        }
        // Indexes follow ids (both lists are sorted by id), so index order is id order.
        for list in tag_artists.values_mut().chain(artist_tags.iter_mut()) {
            list.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        }
        let mut artist_listeners = vec![Vec::new(); data.artists.len()];
        let mut user_artists: FxHashMap<i64, Vec<(usize, i64)>> = FxHashMap::default();
        for listen in data.listens {
            let (user, artist, weight) = (listen.user_id, listen.artist_id, listen.weight);
            if let Some(&a) = artist_index.get(&artist) {
                artist_listeners[a].push((user, weight));
                user_artists.entry(user).or_default().push((a, weight));
            }
        }
        for list in &mut artist_listeners {
            list.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        }
        Ok(Self {
            generation,
            built: Some(Instant::now()),
            artists: data.artists,
            names_blob,
            name_starts,
            artist_index,
            tags: data.tags,
            tag_index,
            tag_by_value,
            tag_artists,
            artist_tags,
            artist_listeners,
            user_artists,
        })
    }

    /// How long ago it was built (`None`: never).
    fn age(&self) -> Option<Duration> {
        self.built.map(|b| b.elapsed())
    }

    /// Whether this snapshot was built, from a read that began at `generation` or later.
    fn covers(&self, generation: u64) -> bool {
        self.built.is_some() && self.generation >= generation
    }

    fn is_current(&self, generation: u64) -> bool {
        self.covers(generation) && self.built.is_some_and(|b| b.elapsed() < MAX_CACHE_AGE)
    }
}

/// The catalogue: the current snapshot and the lock that lets one rebuild run at a time.
pub struct Catalog {
    store: Store,
    current: RwLock<Arc<Snapshot>>,
    rebuilding: tokio::sync::Mutex<()>,
}

impl Catalog {
    /// An empty catalogue over `store`; the first read builds it.
    pub fn new(store: Store) -> Self {
        Self {
            store,
            current: RwLock::new(Arc::new(Snapshot::default())),
            rebuilding: tokio::sync::Mutex::new(()),
        }
    }

    fn current(&self) -> Arc<Snapshot> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// A snapshot fresh enough for the current request (see `consistency`): one holding
    /// every write made through this server, or, failing that, one holding the caller's own
    /// writes and at most [`MAX_LAG`] old, while one rebuild runs in the background. Only
    /// when neither exists does the reader wait for a rebuild. A snapshot merely older than
    /// the maximum age (writes by another process are possible) is served while it refreshes.
    ///
    /// Rebuilds are shared: readers queue for the one rebuild lock, and a snapshot built after
    /// a reader arrived serves it, so a reader waits for two builds at most.
    pub async fn snapshot(self: &Arc<Self>) -> ApiResult<Arc<Snapshot>> {
        let arrived = self.store.generation();
        let required = crate::consistency::required();
        let acceptable =
            |s: &Snapshot| s.covers(arrived) || (s.covers(required) && s.age() < Some(MAX_LAG));
        let snapshot = self.current();
        if acceptable(&snapshot) {
            // Behind the writes: refresh, but at most every REFRESH_EVERY, so that a stream of
            // writes does not keep a core rebuilding. Up to date but old: refresh for writes
            // made by other processes.
            let refresh = if snapshot.covers(arrived) {
                !snapshot.is_current(arrived)
            } else {
                snapshot.age() >= Some(REFRESH_EVERY)
            };
            if refresh {
                self.refresh_in_background();
            }
            return Ok(snapshot);
        }
        let _guard = self.rebuilding.lock().await;
        let snapshot = self.current();
        if acceptable(&snapshot) {
            return Ok(snapshot);
        }
        self.rebuild().await
    }

    async fn rebuild(&self) -> ApiResult<Arc<Snapshot>> {
        let fresh = Arc::new(Snapshot::build(&self.store).await?);
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = fresh.clone();
        Ok(fresh)
    }

    fn refresh_in_background(self: &Arc<Self>) {
        let catalog = self.clone();
        tokio::spawn(async move {
            // Whoever holds the lock is already rebuilding.
            let Ok(_guard) = catalog.rebuilding.try_lock() else {
                return;
            };
            if catalog.current().is_current(catalog.store.generation()) {
                return;
            }
            if let Err(e) = catalog.rebuild().await {
                tracing::warn!(error = %e, "catalogue refresh failed; serving the previous one");
            }
        });
    }
}
