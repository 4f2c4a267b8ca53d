//! The read model's deltas against its rebuild: after a random sequence of writes through the
//! store, each applied to a live model as it commits, the model equals one built from scratch
//! from the database. On SQLite and, when configured, PostgreSQL, over the real dataset.

use std::path::PathBuf;

use soundstream_core::views::artists::ArtistFields;
use soundstream_core::{Friendship, Listen, TagAssignment};
use soundstream_import::{ImportOptions, import_dir};
use soundstream_readmodel::live::Live;
use soundstream_readmodel::{ReadModel, dump};
use soundstream_store::{ArtistChanges, Committed, Store, StoreError};

fn data_dir() -> PathBuf {
    PathBuf::from(
        std::env::var("SOUNDSTREAM_DATA_DIR")
            .expect("SOUNDSTREAM_DATA_DIR must point at the hetrec2011-lastfm-2k folder"),
    )
}

/// A small deterministic generator (xorshift64*): the test needs reproducible choices, not
/// statistical quality.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick(&mut self, ids: &[i64]) -> i64 {
        ids[self.below(ids.len() as u64) as usize]
    }
}

/// Applies a write's result to the live model; a refused write (a conflict, a missing row)
/// is part of the sequence too, and changes nothing.
async fn apply<T>(live: &Live, result: Result<Committed<T>, StoreError>) {
    match result {
        Ok(committed) => {
            live.commit(committed).await;
        }
        Err(StoreError::UniqueViolation { .. } | StoreError::NotFound { .. }) => {}
        Err(other) => panic!("unexpected store error: {other}"),
    }
}

/// Ids of every artist, user or tag the model holds, to pick writes from.
fn ids(model: &ReadModel) -> (Vec<i64>, Vec<i64>, Vec<i64>) {
    let dumped = dump(model);
    let collect = |prefix: &str| -> Vec<i64> {
        dumped
            .lines()
            .filter_map(|l| l.strip_prefix(prefix))
            .filter_map(|rest| rest.split(' ').next()?.parse().ok())
            .collect()
    };
    (collect("artist "), collect("user "), collect("tag "))
}

/// `n` random writes through `store`, each applied to `live` as it commits: listens put and
/// deleted, artists, users and tags created, changed and deleted, tag assignments and
/// friendships made and removed.
async fn random_writes(store: &Store, live: &Live, seed: u64, n: usize) {
    let (artists, users, tags) = live.read(ids).unwrap();
    let mut w = RandomWrites {
        store,
        live,
        seed,
        rng: Rng(seed),
        artists,
        users,
        tags,
    };
    for i in 0..n {
        // (A guard that fails falls through to the last arm: a friendship write.)
        match w.rng.below(14) {
            0..=3 => w.put_listen().await,
            4 => w.delete_listen().await,
            5 => w.create_artist(i).await,
            6 => w.rename_artist(i).await,
            7 if w.rng.below(4) == 0 => w.delete_artist().await,
            8 => w.create_user().await,
            9 if w.rng.below(4) == 0 => w.delete_user().await,
            10 => w.tag_write(i).await,
            11 | 12 => w.tag_assignment_write().await,
            _ => w.friendship_write().await,
        }
    }
}

/// The writes of one random sequence, and the ids they pick from (kept up to date as rows
/// are created and deleted).
struct RandomWrites<'a> {
    store: &'a Store,
    live: &'a Live,
    seed: u64,
    rng: Rng,
    artists: Vec<i64>,
    users: Vec<i64>,
    tags: Vec<i64>,
}

impl RandomWrites<'_> {
    async fn put_listen(&mut self) {
        let rng = &mut self.rng;
        let listen = Listen {
            user_id: rng.pick(&self.users),
            artist_id: rng.pick(&self.artists),
            weight: rng.below(5) as i64 * rng.below(2000) as i64,
        };
        apply(self.live, self.store.put_listen(&listen).await).await;
    }

    async fn delete_listen(&mut self) {
        let (user, artist) = (self.rng.pick(&self.users), self.rng.pick(&self.artists));
        apply(self.live, self.store.delete_listen(user, artist).await).await;
    }

    async fn create_artist(&mut self, i: usize) {
        let fields = ArtistFields {
            name: format!("Delta Artist {}-{i}", self.seed),
            url: None,
            picture_url: Some("https://example.org/p.png".into()),
        };
        let result = self.store.create_artist(None, &fields).await;
        if let Ok(c) = &result {
            self.artists.push(c.value);
        }
        apply(self.live, result).await;
    }

    async fn rename_artist(&mut self, i: usize) {
        let changes = ArtistChanges {
            name: Some(format!("Renamed {i} {}", self.rng.below(3))),
            ..ArtistChanges::default()
        };
        apply(
            self.live,
            self.store
                .update_artist(self.rng.pick(&self.artists), &changes)
                .await,
        )
        .await;
    }

    async fn delete_artist(&mut self) {
        let id = self.rng.pick(&self.artists);
        apply(self.live, self.store.delete_artist(id).await).await;
        self.artists.retain(|&a| a != id);
    }

    async fn create_user(&mut self) {
        let result = self.store.create_user(None).await;
        if let Ok(c) = &result {
            self.users.push(c.value);
        }
        apply(self.live, result).await;
    }

    async fn delete_user(&mut self) {
        let id = self.rng.pick(&self.users);
        apply(self.live, self.store.delete_user(id).await).await;
        self.users.retain(|&u| u != id);
    }

    /// A tag created (one time in three), else renamed or deleted.
    async fn tag_write(&mut self, i: usize) {
        let (store, live, seed) = (self.store, self.live, self.seed);
        if self.rng.below(3) == 0 {
            let result = store.create_tag(&format!("delta tag {seed} {i}")).await;
            if let Ok(c) = &result {
                self.tags.push(c.value.0.id);
            }
            apply(live, result).await;
        } else if self.rng.below(2) == 0 {
            let id = self.rng.pick(&self.tags);
            apply(
                live,
                store
                    .rename_tag(id, &format!("renamed tag {seed} {i}"))
                    .await,
            )
            .await;
        } else {
            let id = self.rng.pick(&self.tags);
            apply(live, store.delete_tag(id).await).await;
            self.tags.retain(|&t| t != id);
        }
    }

    /// A random tag assignment, deleted one time in three, else created.
    async fn tag_assignment_write(&mut self) {
        let rng = &mut self.rng;
        let day = 1 + rng.below(28) as i64;
        let month = 1 + rng.below(12) as i64;
        let year = 2005 + rng.below(7) as i64;
        let a = TagAssignment {
            user_id: rng.pick(&self.users),
            artist_id: rng.pick(&self.artists),
            tag_id: rng.pick(&self.tags),
            timestamp: soundstream_core::date::midnight_utc_ms(day, month, year).unwrap(),
            day,
            month,
            year,
        };
        if rng.below(3) == 0 {
            apply(
                self.live,
                self.store
                    .delete_tag_assignment(a.user_id, a.artist_id, a.tag_id)
                    .await,
            )
            .await;
        } else {
            apply(self.live, self.store.create_tag_assignment(&a).await).await;
        }
    }

    /// A friendship between two random users (none when they are one), created or deleted.
    async fn friendship_write(&mut self) {
        let rng = &mut self.rng;
        let pair = Friendship {
            user_id: rng.pick(&self.users),
            friend_id: rng.pick(&self.users),
        };
        if pair.user_id == pair.friend_id {
            return;
        }
        if rng.below(2) == 0 {
            apply(self.live, self.store.create_friendship(pair).await).await;
        } else {
            apply(self.live, self.store.delete_friendship(pair).await).await;
        }
    }
}

#[tokio::test]
async fn a_model_that_applied_random_writes_equals_a_rebuild() {
    for db in soundstream_store::testing::backends().await {
        let store = db.store.clone();
        import_dir(&store, &data_dir(), None, ImportOptions::default())
            .await
            .unwrap();
        let live = Live::new(store.clone());
        live.build().await.unwrap();
        random_writes(&store, &live, 0x5eed_0001, 600).await;

        let rebuilt = Live::new(store.clone());
        rebuilt.build().await.unwrap();
        let (applied, fresh) = (live.read(dump).unwrap(), rebuilt.read(dump).unwrap());
        assert_eq!(live.seq(), rebuilt.seq(), "{:?}", store.backend());
        if applied != fresh {
            let first = applied
                .lines()
                .zip(fresh.lines())
                .find(|(a, b)| a != b)
                .map(|(a, b)| format!("applied: {a}\nrebuilt: {b}"));
            panic!(
                "{:?}: the deltas and the rebuild disagree\n{first:?}",
                store.backend()
            );
        }
    }
}

#[tokio::test]
async fn a_second_model_on_the_database_catches_up_from_the_change_log() {
    for db in soundstream_store::testing::backends().await {
        let store = db.store.clone();
        import_dir(&store, &data_dir(), None, ImportOptions::default())
            .await
            .unwrap();
        // Two servers on one database: one writes, the other only follows the log.
        let (writer, follower) = (Live::new(store.clone()), Live::new(store.clone()));
        writer.build().await.unwrap();
        follower.build().await.unwrap();
        random_writes(&store, &writer, 0x5eed_0002, 200).await;
        assert!(follower.seq() < writer.seq());
        follower.follow_once().await.unwrap();
        assert_eq!(follower.seq(), writer.seq());
        assert_eq!(
            follower.read(dump).unwrap(),
            writer.read(dump).unwrap(),
            "{:?}",
            store.backend()
        );
    }
}
