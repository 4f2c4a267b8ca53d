//! The read model on a generated dataset three times the size of the real one (the same
//! shapes: Zipf popularity, capped lists, communities), on SQLite and, when
//! configured, PostgreSQL: it builds, random writes applied as deltas equal a rebuild, keyset
//! cursors walk every tag assignment once, in order, as `COUNT(*)` counts them, and search
//! pages (by cursor or by skip) put together are the whole sorted result.

use std::collections::HashSet;

use soundstream_core::{Friendship, Listen};
use soundstream_import::{ImportOptions, import_dir};
use soundstream_readmodel::live::Live;
use soundstream_readmodel::{Direction, ReadModel, SearchQuery, SearchSort, Start, dump};
use soundstream_store::{ArtistChanges, Committed, Store, StoreError, TagAssignmentFilter};

/// The 3x dataset, generated once per test process into a temporary folder.
fn dataset() -> &'static std::path::Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let config = soundstream_generate::Config {
            scale: 3.0,
            seed: 42,
            overwrite: false,
        };
        soundstream_generate::generate(&config, dir.path(), &|_| {}).unwrap();
        dir
    })
    .path()
}

async fn apply<T>(live: &Live, result: Result<Committed<T>, StoreError>) {
    match result {
        Ok(committed) => {
            live.commit(committed).await;
        }
        Err(StoreError::UniqueViolation { .. } | StoreError::NotFound { .. }) => {}
        Err(other) => panic!("unexpected store error: {other}"),
    }
}

/// A few hundred writes of every kind on ids of the generated data (a fixed sequence over ids
/// up to a little past the row counts: the generator leaves gaps, as the real data does, and a
/// write to a missing row is refused and changes nothing).
async fn writes(store: &Store, live: &Live, users: i64, artists: i64) {
    let (users, artists) = (users + users / 8, artists + artists / 8);
    for i in 0..300i64 {
        let user = 1 + (i * 7919) % users;
        let artist = 1 + (i * 104_729) % artists;
        match i % 6 {
            0 => {
                let listen = Listen {
                    user_id: user,
                    artist_id: artist,
                    weight: 1 + i,
                };
                apply(live, store.put_listen(&listen).await).await
            }
            1 => {
                apply(
                    live,
                    store.delete_listen(user, 1 + (i * 31) % artists).await,
                )
                .await
            }
            2 => {
                let changes = ArtistChanges {
                    name: Some(format!("Generated {i}")),
                    ..ArtistChanges::default()
                };
                apply(live, store.update_artist(artist, &changes).await).await
            }
            3 => {
                let friend = 1 + (user * 13 + i) % users;
                if friend != user {
                    let pair = Friendship {
                        user_id: user,
                        friend_id: friend,
                    };
                    apply(live, store.create_friendship(pair).await).await
                }
            }
            4 => apply(live, store.delete_user(1 + (i * 211) % users).await).await,
            _ => apply(live, store.delete_artist(1 + (i * 53) % artists).await).await,
        }
    }
}

/// Every hit's id of `query`, page by page (by cursor, or by skip), and in one page.
fn search_pages(model: &ReadModel, query: &SearchQuery, by_cursor: bool) -> (Vec<i64>, Vec<i64>) {
    let whole = model.search(query, &Start::Skip(0), usize::MAX).unwrap();
    let mut paged = Vec::new();
    let mut start = Start::Skip(0);
    loop {
        let page = model.search(query, &start, 37).unwrap();
        assert_eq!(page.total, whole.total);
        paged.extend(page.items.iter().map(|a| a.id));
        start = match (page.next, by_cursor) {
            (None, _) => break,
            (Some(next), true) => Start::After(next),
            (Some(_), false) => Start::Skip(paged.len()),
        };
    }
    (paged, whole.items.iter().map(|a| a.id).collect())
}

#[tokio::test]
async fn on_a_3x_dataset_deltas_equal_a_rebuild_and_cursors_walk_every_row() {
    let dir = dataset();
    for db in soundstream_store::testing::backends().await {
        let store = db.store.clone();
        let report = import_dir(&store, dir, None, ImportOptions::default())
            .await
            .unwrap();
        // Three times the real 1,892 listeners.
        assert!(report.tables.users >= 5_600, "{:?}", report.tables);
        let live = Live::new(store.clone());
        live.build().await.unwrap();
        writes(&store, &live, report.tables.users, report.tables.artists).await;
        let rebuilt = Live::new(store.clone());
        rebuilt.build().await.unwrap();
        assert_eq!(live.seq(), rebuilt.seq());
        assert!(
            live.read(dump).unwrap() == rebuilt.read(dump).unwrap(),
            "{:?}: the deltas and the rebuild disagree",
            store.backend()
        );

        // Search by the two most used tags, all of them or any, in every order: pages put
        // together are the whole result (only a page's prefix of hits is sorted).
        let top: Vec<i64> = live
            .read(|m| m.top_tags(2).iter().map(|t| t.tag_id).collect())
            .unwrap();
        for (all, any) in [(top.clone(), vec![]), (vec![], top.clone())] {
            for sort in [SearchSort::Relevance, SearchSort::Name, SearchSort::Plays] {
                for direction in [Direction::Asc, Direction::Desc] {
                    let query = SearchQuery {
                        tags_all: all.clone(),
                        tags_any: any.clone(),
                        name: None,
                        listeners: (None, None),
                        plays: (None, None),
                        sort,
                        direction,
                    };
                    for by_cursor in [true, false] {
                        let (paged, whole) =
                            live.read(|m| search_pages(m, &query, by_cursor)).unwrap();
                        assert!(whole.len() > 37, "{query:?}: {} hits", whole.len());
                        assert_eq!(paged, whole, "{query:?}, by cursor: {by_cursor}");
                    }
                }
            }
        }

        // Every tag assignment once, in (timestamp, user, artist, tag) order, by cursors.
        let filter = TagAssignmentFilter::default();
        let total = store.count_tag_assignments(&filter).await.unwrap();
        let (mut after, mut seen, mut last) = (None, HashSet::new(), None);
        loop {
            let page = store.tag_assignments(&filter, after, 0, 500).await.unwrap();
            let Some(end) = page.last() else { break };
            after = Some([end.timestamp, end.user_id, end.artist_id, end.tag_id]);
            for t in &page {
                let key = [t.timestamp, t.user_id, t.artist_id, t.tag_id];
                assert!(last < Some(key), "out of order at {key:?}");
                last = Some(key);
                assert!(seen.insert(key), "{key:?} twice");
            }
        }
        assert_eq!(seen.len() as i64, total, "{:?}", store.backend());
    }
}
