//! The storage suite: every test runs on SQLite (a real file) and, when
//! `SOUNDSTREAM_TEST_POSTGRES_URL` is set, on PostgreSQL (a fresh schema per test), so both
//! engines are held to the same behaviour.
//!
//! One file though over 500 lines: one area (the store's contract, held on both engines), and
//! a crate with one area has one test file (`CONTRIBUTING.md`).

use std::sync::Arc;

use soundstream_core::views::artists::ArtistFields;
use soundstream_core::views::tags::TagAssignmentView;
use soundstream_core::{Artist, Dataset, Friendship, Listen, Tag, TagAssignment};
use soundstream_store::testing::backends;
use soundstream_store::{
    Backend, Check, ForeignKey, LoadBatch, LoadOutcome, RowKey, Statement, Store, StoreError,
    TagAssignmentFilter, UniqueKey, args, load_channel,
};

fn small_dataset() -> Dataset {
    Dataset {
        artists: vec![
            Artist {
                id: 1,
                name: "\"Weird Al\" Yankovic".into(),
                url: Some("http://www.last.fm/music/%22Weird+Al%22+Yankovic".into()),
                picture_url: None,
            },
            Artist {
                id: 2,
                name: "Ленинград".into(),
                url: Some("http://www.last.fm/music/x".into()),
                picture_url: Some("http://userserve-ak.last.fm/serve/252/1.jpg".into()),
            },
            Artist {
                id: 3,
                name: "Röyksopp".into(),
                url: None,
                picture_url: None,
            },
        ],
        users: vec![10, 11, 12],
        tags: vec![
            Tag {
                id: 1,
                value: "tropicália".into(),
            },
            Tag {
                id: 2,
                value: "rock".into(),
            },
        ],
        listens: vec![
            Listen {
                user_id: 10,
                artist_id: 1,
                weight: 352_698,
            },
            Listen {
                user_id: 10,
                artist_id: 2,
                weight: 1,
            },
            Listen {
                user_id: 11,
                artist_id: 2,
                weight: 7,
            },
        ],
        tag_assignments: vec![
            TagAssignment {
                user_id: 10,
                artist_id: 2,
                tag_id: 1,
                timestamp: -441_849_600_000,
                day: 1,
                month: 1,
                year: 1956,
            },
            TagAssignment {
                user_id: 11,
                artist_id: 1,
                tag_id: 2,
                timestamp: 1_238_544_000_000,
                day: 1,
                month: 4,
                year: 2009,
            },
        ],
        friendships: vec![
            Friendship {
                user_id: 10,
                friend_id: 11,
            },
            Friendship {
                user_id: 11,
                friend_id: 10,
            },
        ],
    }
}

async fn load(store: &Store, ds: Dataset) {
    store
        .replace_dataset(Arc::new(ds), Arc::new(|_, _| {}))
        .await
        .unwrap();
}

#[tokio::test]
async fn the_schema_has_the_seed_tables_and_columns_exactly() {
    for db in backends().await {
        let sql = match db.store.backend() {
            Backend::Sqlite => {
                "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
                 WHERE m.type = 'table' AND m.name IN
                   ('artists', 'users', 'tags', 'user_artists', 'user_taggedartists', 'user_friends')
                 ORDER BY m.name, p.cid"
            }
            Backend::Postgres => {
                "SELECT table_name::text, column_name::text FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name IN
                   ('artists', 'users', 'tags', 'user_artists', 'user_taggedartists', 'user_friends')
                 ORDER BY table_name, ordinal_position"
            }
        };
        let columns: Vec<String> = db
            .store
            .query(sql, vec![])
            .await
            .unwrap()
            .iter()
            .map(|r| format!("{}.{}", r.string(0).unwrap(), r.string(1).unwrap()))
            .collect();
        assert_eq!(
            columns,
            [
                "artists.id",
                "artists.name",
                "artists.url",
                "artists.pictureURL",
                "tags.tagID",
                "tags.tagValue",
                "user_artists.userID",
                "user_artists.artistID",
                "user_artists.weight",
                "user_friends.userID",
                "user_friends.friendID",
                "user_taggedartists.userID",
                "user_taggedartists.artistID",
                "user_taggedartists.tagID",
                "user_taggedartists.timestamp",
                "user_taggedartists.day",
                "user_taggedartists.month",
                "user_taggedartists.year",
                "users.userID",
            ],
            "{:?}",
            db.store.backend()
        );
    }
}

#[tokio::test]
async fn foreign_keys_are_enforced_on_every_pooled_connection() {
    for db in backends().await {
        load(&db.store, small_dataset()).await;
        // More concurrent attempts than the pool has connections, so every connection serves one.
        let attempts = (0..24).map(|i| {
            let store = db.store.clone();
            tokio::spawn(async move {
                store
                    .execute(
                        r#"INSERT INTO user_artists ("userID", "artistID", weight) VALUES ($1, $2, $3)"#,
                        args![10_i64, 9_000 + i as i64, 1_i64],
                    )
                    .await
            })
        });
        for attempt in attempts {
            let err = attempt.await.unwrap().unwrap_err();
            assert!(
                matches!(err, StoreError::ForeignKeyViolation { .. }),
                "{:?}: {err}",
                db.store.backend()
            );
        }
    }
}

#[tokio::test]
async fn deleting_an_artist_cascades_to_its_listens_and_tag_assignments() {
    for db in backends().await {
        load(&db.store, small_dataset()).await;
        let deleted = db
            .store
            .execute("DELETE FROM artists WHERE id = $1", args![1_i64])
            .await
            .unwrap();
        assert_eq!(deleted, 1);
        let counts = db.store.counts().await.unwrap();
        assert_eq!((counts.user_artists, counts.user_taggedartists), (2, 1));
    }
}

#[tokio::test]
async fn tag_assignments_read_the_same_typed_rows_on_both_engines() {
    for db in backends().await {
        load(&db.store, small_dataset()).await;
        let all = TagAssignmentFilter::default();
        let first = db.store.tag_assignments(&all, None, 0, 1).await.unwrap();
        let a = small_dataset().tag_assignments[0];
        let expected = TagAssignmentView {
            user_id: a.user_id,
            artist_id: a.artist_id,
            tag_id: a.tag_id,
            timestamp: a.timestamp,
            day: a.day,
            month: a.month,
            year: a.year,
        };
        assert_eq!(first, vec![expected], "{:?}", db.store.backend());
        let key = [a.timestamp, a.user_id, a.artist_id, a.tag_id];
        let rest = db
            .store
            .tag_assignments(&all, Some(key), 0, 10)
            .await
            .unwrap();
        assert_eq!(rest.len(), 1);
        assert_eq!((rest[0].user_id, rest[0].year), (11, 2009));
        let one = db.store.tag_assignment(10, 2, 1).await.unwrap();
        assert_eq!(one, Some(expected));
        assert_eq!(db.store.tag_assignment(10, 2, 2).await.unwrap(), None);
    }
}

#[tokio::test]
async fn deleting_a_user_cascades_to_friendships_in_both_directions() {
    for db in backends().await {
        load(&db.store, small_dataset()).await;
        db.store
            .execute(r#"DELETE FROM users WHERE "userID" = $1"#, args![11_i64])
            .await
            .unwrap();
        let counts = db.store.counts().await.unwrap();
        assert_eq!(
            (counts.users, counts.user_friends, counts.user_artists),
            (2, 0, 2)
        );
    }
}

#[tokio::test]
async fn a_duplicate_tag_value_is_a_unique_violation() {
    for db in backends().await {
        load(&db.store, small_dataset()).await;
        let err = db
            .store
            .execute(
                r#"INSERT INTO tags ("tagID", "tagValue") VALUES ($1, $2)"#,
                args![99_i64, "rock"],
            )
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::UniqueViolation { .. }), "{err}");
    }
}

#[tokio::test]
async fn a_negative_weight_and_a_self_friendship_violate_checks() {
    for db in backends().await {
        load(&db.store, small_dataset()).await;
        let err = db
            .store
            .execute(
                r#"INSERT INTO user_artists ("userID", "artistID", weight) VALUES ($1, $2, $3)"#,
                args![12_i64, 3_i64, -1_i64],
            )
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::CheckViolation { .. }), "{err}");
        let err = db
            .store
            .execute(
                r#"INSERT INTO user_friends ("userID", "friendID") VALUES ($1, $1)"#,
                args![12_i64],
            )
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::CheckViolation { .. }), "{err}");
    }
}

#[tokio::test]
async fn loading_twice_replaces_the_content_without_duplicates() {
    for db in backends().await {
        load(&db.store, small_dataset()).await;
        load(&db.store, small_dataset()).await;
        let counts = db.store.counts().await.unwrap();
        assert_eq!(counts, small_dataset().counts());

        let mut smaller = small_dataset();
        smaller.artists.truncate(2);
        smaller.listens.truncate(1);
        load(&db.store, smaller.clone()).await;
        assert_eq!(db.store.counts().await.unwrap(), smaller.counts());
    }
}

#[tokio::test]
async fn a_load_that_breaks_a_reference_changes_nothing() {
    for db in backends().await {
        load(&db.store, small_dataset()).await;
        let mut broken = small_dataset();
        broken.listens.push(Listen {
            user_id: 10,
            artist_id: 404,
            weight: 1,
        });
        let err = db
            .store
            .replace_dataset(Arc::new(broken), Arc::new(|_, _| {}))
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::ForeignKeyViolation { .. }),
            "{err}"
        );
        assert_eq!(db.store.counts().await.unwrap(), small_dataset().counts());
        // The indexes dropped during the load came back with the rollback.
        assert_eq!(index_count(&db.store).await, 5);
    }
}

async fn index_count(store: &Store) -> i64 {
    let sql = match store.backend() {
        Backend::Sqlite => {
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        }
        Backend::Postgres => {
            "SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname LIKE '%\\_by\\_%'"
        }
    };
    store.query_one(sql, vec![]).await.unwrap().i64(0).unwrap()
}

#[tokio::test]
async fn text_and_numbers_come_back_exactly() {
    for db in backends().await {
        load(&db.store, small_dataset()).await;
        let rows = db
            .store
            .query(
                r#"SELECT id, name, url, "pictureURL" FROM artists ORDER BY id"#,
                vec![],
            )
            .await
            .unwrap();
        let artists: Vec<Artist> = rows
            .iter()
            .map(|r| Artist {
                id: r.i64(0).unwrap(),
                name: r.string(1).unwrap(),
                url: r.opt_string(2).unwrap(),
                picture_url: r.opt_string(3).unwrap(),
            })
            .collect();
        assert_eq!(artists, small_dataset().artists);
        let row = db
            .store
            .query_one(
                r#"SELECT "timestamp", day, month, year FROM user_taggedartists WHERE "userID" = $1"#,
                args![10_i64],
            )
            .await
            .unwrap();
        assert_eq!(row.i64(0).unwrap(), -441_849_600_000);
        assert_eq!(
            (
                row.i64(1).unwrap(),
                row.i64(2).unwrap(),
                row.i64(3).unwrap()
            ),
            (1, 1, 1956)
        );
    }
}

#[tokio::test]
async fn placeholders_bind_by_number_not_by_position() {
    for db in backends().await {
        let row = db
            .store
            .query_one(
                "SELECT CAST($2 AS BIGINT) - CAST($1 AS BIGINT)",
                args![1_i64, 10_i64],
            )
            .await
            .unwrap();
        assert_eq!(row.i64(0).unwrap(), 9);
    }
}

#[tokio::test]
async fn case_insensitive_search_folds_non_ascii_letters() {
    for db in backends().await {
        load(&db.store, small_dataset()).await;
        let rows = db
            .store
            .query(
                "SELECT id FROM artists WHERE ss_fold(name) LIKE '%' || ss_fold($1) || '%' ORDER BY id",
                args!["ЛЕНИН"],
            )
            .await
            .unwrap();
        assert_eq!(rows.len(), 1, "{:?}", db.store.backend());
        assert_eq!(rows[0].i64(0).unwrap(), 2);
    }
}

#[tokio::test]
async fn a_failing_statement_rolls_back_the_whole_transaction() {
    for db in backends().await {
        load(&db.store, small_dataset()).await;
        let err = db
            .store
            .transaction(vec![
                Statement::new(
                    r#"INSERT INTO user_friends ("userID", "friendID") VALUES ($1, $2)"#,
                    args![10_i64, 12_i64],
                ),
                Statement::new(
                    r#"INSERT INTO user_friends ("userID", "friendID") VALUES ($1, $2)"#,
                    args![12_i64, 404_i64],
                ),
            ])
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::ForeignKeyViolation { .. }),
            "{err}"
        );
        assert_eq!(db.store.counts().await.unwrap().user_friends, 2);
    }
}

#[tokio::test]
async fn consistency_checks_pass_on_consistent_data_and_see_asymmetry() {
    for db in backends().await {
        load(&db.store, small_dataset()).await;
        assert!(db.store.consistency_checks().await.unwrap().all_passed());
        db.store
            .execute(
                r#"INSERT INTO user_friends ("userID", "friendID") VALUES ($1, $2)"#,
                args![12_i64, 10_i64],
            )
            .await
            .unwrap();
        let checks = db.store.consistency_checks().await.unwrap();
        assert_eq!(checks.asymmetric_friendships, 1);
        assert!(!checks.all_passed());
    }
}

#[tokio::test]
async fn reopening_a_database_keeps_its_data_and_migrations() {
    for db in backends().await {
        load(&db.store, small_dataset()).await;
        let again = Store::connect(&db.url).await.unwrap();
        assert_eq!(again.counts().await.unwrap(), small_dataset().counts());
        assert!(!again.is_empty().await.unwrap());
    }
}

#[tokio::test]
async fn a_database_url_with_an_unknown_scheme_is_refused_with_the_fix() {
    let err = Store::connect("mysql://localhost/x")
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("sqlite://") && err.contains("postgres://"),
        "{err}"
    );
}

#[tokio::test]
async fn a_loaded_dataset_reads_back_whole_and_in_key_order() {
    for db in backends().await {
        load(&db.store, small_dataset()).await;
        assert_eq!(
            db.store.load_dataset().await.unwrap(),
            small_dataset(),
            "{:?}",
            db.store.backend()
        );
    }
}

#[tokio::test]
async fn a_postgresql_database_that_is_not_utf8_is_refused_in_one_line() {
    let Ok(base) = std::env::var("SOUNDSTREAM_TEST_POSTGRES_URL") else {
        return;
    };
    let (client, conn) = tokio_postgres::connect(&base, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let name = format!("ss_ascii_{}", std::process::id());
    // One statement per call: several in one string run as a transaction, which these refuse.
    client
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .await
        .unwrap();
    client
        .batch_execute(&format!(
            "CREATE DATABASE {name} ENCODING 'SQL_ASCII' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'"
        ))
        .await
        .unwrap();
    let (server, _) = base.rsplit_once('/').unwrap();
    let Err(err) = Store::connect(&format!("{server}/{name}")).await else {
        panic!("a SQL_ASCII database must be refused");
    };
    client
        .batch_execute(&format!("DROP DATABASE {name}"))
        .await
        .unwrap();
    let text = err.to_string();
    assert!(
        matches!(err, StoreError::BadUrl { .. })
            && text.contains("encoding is SQL_ASCII")
            && text.contains("ENCODING 'UTF8'"),
        "{text}"
    );
}

/// The batches of `ds`, children first and with the listens in two runs, as a streamed load
/// may send them.
fn batches_children_first(ds: &Dataset) -> Vec<LoadBatch> {
    let (first, rest) = ds.listens.split_at(1);
    vec![
        LoadBatch::Listens(first.to_vec()),
        LoadBatch::Friendships(ds.friendships.clone()),
        LoadBatch::TagAssignments(ds.tag_assignments.clone()),
        LoadBatch::Artists(ds.artists.clone()),
        LoadBatch::Listens(rest.to_vec()),
        LoadBatch::Tags(ds.tags.clone()),
        LoadBatch::Users(ds.users.clone()),
    ]
}

#[tokio::test]
async fn a_streamed_load_takes_children_before_parents_and_a_table_in_several_runs() {
    for db in backends().await {
        let (sender, receiver) = load_channel();
        let feed = async move {
            for batch in batches_children_first(&small_dataset()) {
                sender.send(batch).await.unwrap();
            }
            sender.commit().await.unwrap();
        };
        let (_, outcome) = tokio::join!(
            feed,
            db.store
                .replace_dataset_streamed(receiver, Arc::new(|_, _| {}))
        );
        assert_eq!(outcome.unwrap(), LoadOutcome::Committed);
        assert_eq!(db.store.load_dataset().await.unwrap(), small_dataset());
        assert_eq!(index_count(&db.store).await, 5);
    }
}

#[tokio::test]
async fn a_streamed_load_whose_sender_goes_without_committing_changes_nothing() {
    for db in backends().await {
        load(&db.store, small_dataset()).await;
        let mut other = small_dataset();
        other.artists.truncate(1);
        other.listens.clear();
        other.tag_assignments.clear();
        let (sender, receiver) = load_channel();
        let feed = async move {
            sender
                .send(LoadBatch::Artists(other.artists.clone()))
                .await
                .unwrap();
            sender
                .send(LoadBatch::Users(other.users.clone()))
                .await
                .unwrap();
            // A reader that fails mid-way drops its sender.
            drop(sender);
        };
        let (_, outcome) = tokio::join!(
            feed,
            db.store
                .replace_dataset_streamed(receiver, Arc::new(|_, _| {}))
        );
        assert_eq!(outcome.unwrap(), LoadOutcome::Abandoned);
        assert_eq!(db.store.load_dataset().await.unwrap(), small_dataset());
        assert_eq!(index_count(&db.store).await, 5);
        // And the database takes the next load.
        load(&db.store, small_dataset()).await;
    }
}

#[tokio::test]
async fn a_load_whose_rows_name_an_absent_parent_says_which() {
    for db in backends().await {
        let mut broken = small_dataset();
        broken.users.retain(|&u| u != 11);
        broken.tags.retain(|t| t.id != 2);
        let err = db
            .store
            .replace_dataset(Arc::new(broken), Arc::new(|_, _| {}))
            .await
            .unwrap_err();
        let StoreError::ForeignKeyViolation { detail, .. } = &err else {
            panic!("{err}");
        };
        if db.store.backend() == Backend::Sqlite {
            // Checked in memory: every missing parent is counted and one is named.
            assert!(
                detail.contains("1 users, e.g. user 11") && detail.contains("1 tags, e.g. tag 2"),
                "{detail}"
            );
        }
        assert!(db.store.is_empty().await.unwrap());
    }
}

#[tokio::test]
async fn a_load_that_drops_a_row_another_table_refers_to_changes_nothing() {
    for db in backends().await {
        load(&db.store, small_dataset()).await;
        // A table of some later feature that refers to a user.
        db.store
            .execute(
                r#"CREATE TABLE user_notes ("userID" BIGINT NOT NULL REFERENCES users ("userID"), note TEXT)"#,
                vec![],
            )
            .await
            .unwrap();
        db.store
            .execute(
                r#"INSERT INTO user_notes ("userID", note) VALUES ($1, $2)"#,
                args![12_i64, "kept"],
            )
            .await
            .unwrap();
        let mut without_12 = small_dataset();
        without_12.users.retain(|&u| u != 12);
        let err = db
            .store
            .replace_dataset(Arc::new(without_12), Arc::new(|_, _| {}))
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::ForeignKeyViolation { .. }),
            "{err}"
        );
        assert_eq!(db.store.load_dataset().await.unwrap(), small_dataset());
        assert_eq!(index_count(&db.store).await, 5);
    }
}

/// Runs `sql` on the database with its foreign keys not enforced, as an edit made outside
/// SoundStream could.
async fn without_foreign_keys(db: &soundstream_store::testing::TestDb, sql: &str) {
    match db.store.backend() {
        Backend::Sqlite => {
            let path = db.url.strip_prefix("sqlite://").unwrap().to_owned();
            let sql = sql.to_owned();
            tokio::task::spawn_blocking(move || {
                let conn = rusqlite::Connection::open(path).unwrap();
                conn.execute_batch(&format!("PRAGMA foreign_keys = OFF; {sql}"))
                    .unwrap();
            })
            .await
            .unwrap();
        }
        Backend::Postgres => {
            let (client, conn) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(conn);
            // Foreign keys are triggers, which a replica role does not fire.
            client
                .batch_execute(&format!(
                    "SET session_replication_role = replica; {sql}; SET session_replication_role = DEFAULT"
                ))
                .await
                .unwrap();
        }
    }
}

#[tokio::test]
async fn consistency_checks_count_each_orphan_row_once_whichever_parents_it_lacks() {
    for db in backends().await {
        load(&db.store, small_dataset()).await;
        without_foreign_keys(
            &db,
            r#"INSERT INTO user_artists ("userID", "artistID", weight) VALUES (99, 404, 1), (10, 3, 1), (12, 404, 1);
               INSERT INTO user_taggedartists ("userID", "artistID", "tagID", "timestamp", day, month, year)
                 VALUES (99, 404, 404, 0, 1, 1, 1970), (12, 3, 404, 0, 1, 1, 1970);
               INSERT INTO user_friends ("userID", "friendID") VALUES (10, 99)"#,
        )
        .await;
        let checks = db.store.consistency_checks().await.unwrap();
        assert_eq!(
            (
                checks.orphan_listens,
                checks.orphan_tag_assignments,
                checks.orphan_friendships,
                checks.asymmetric_friendships
            ),
            (2, 2, 1, 1),
            "{:?}",
            db.store.backend()
        );
    }
}

#[tokio::test]
async fn a_load_of_many_rows_per_table_comes_back_whole() {
    // More rows than one multi-row statement takes, and a remainder, in every table.
    let artists: Vec<Artist> = (1..=150)
        .map(|id| Artist {
            id,
            name: format!("Artist {id} \"ü\""),
            url: (id % 3 != 0).then(|| format!("http://a/{id}")),
            picture_url: (id % 2 == 0).then(|| format!("http://p/{id}")),
        })
        .collect();
    let users: Vec<i64> = (1..=70).collect();
    let tags: Vec<Tag> = (1..=90)
        .map(|id| Tag {
            id,
            value: format!("tag {id}"),
        })
        .collect();
    let mut listens = Vec::new();
    let mut tag_assignments = Vec::new();
    let mut friendships = Vec::new();
    for &u in &users {
        for a in (u..u + 5).map(|a| a % 150 + 1) {
            listens.push(Listen {
                user_id: u,
                artist_id: a,
                weight: u * a,
            });
            tag_assignments.push(TagAssignment {
                user_id: u,
                artist_id: a,
                tag_id: (u + a) % 90 + 1,
                timestamp: -1_000 * u * a,
                day: 31,
                month: 12,
                year: 1969,
            });
        }
        let friend = u % 70 + 1;
        friendships.push(Friendship {
            user_id: u,
            friend_id: friend,
        });
        friendships.push(Friendship {
            user_id: friend,
            friend_id: u,
        });
    }
    listens.sort_unstable_by_key(|l| (l.user_id, l.artist_id));
    tag_assignments.sort_unstable_by_key(|t| (t.user_id, t.artist_id, t.tag_id));
    friendships.sort_unstable();
    let dataset = Dataset {
        artists,
        users,
        tags,
        listens,
        tag_assignments,
        friendships,
    };
    for db in backends().await {
        load(&db.store, dataset.clone()).await;
        assert_eq!(db.store.load_dataset().await.unwrap(), dataset);
    }
}

/// Runs `sql` (which must fail) and returns its error.
async fn violation(store: &Store, sql: &str) -> StoreError {
    store.execute(sql, vec![]).await.unwrap_err()
}

#[tokio::test]
async fn every_unique_key_and_check_is_named_alike_on_both_engines() {
    for db in backends().await {
        load(&db.store, small_dataset()).await;
        let assignment = r#"INSERT INTO user_taggedartists
            ("userID", "artistID", "tagID", "timestamp", day, month, year)"#;
        for (sql, expected) in [
            (
                r#"INSERT INTO users ("userID") VALUES (10)"#,
                UniqueKey::User,
            ),
            (
                "INSERT INTO artists (id, name) VALUES (1, 'x')",
                UniqueKey::Artist,
            ),
            (
                r#"INSERT INTO tags ("tagID", "tagValue") VALUES (1, 'x')"#,
                UniqueKey::Tag,
            ),
            (
                r#"INSERT INTO tags ("tagID", "tagValue") VALUES (99, 'rock')"#,
                UniqueKey::TagValue,
            ),
            (
                r#"INSERT INTO user_artists ("userID", "artistID", weight) VALUES (10, 1, 5)"#,
                UniqueKey::Listen,
            ),
            (
                &format!("{assignment} VALUES (10, 2, 1, 0, 1, 1, 1970)"),
                UniqueKey::TagAssignment,
            ),
            (
                r#"INSERT INTO user_friends ("userID", "friendID") VALUES (10, 11)"#,
                UniqueKey::Friendship,
            ),
        ] {
            let err = violation(&db.store, sql).await;
            assert!(
                matches!(err, StoreError::UniqueViolation { key: Some(key), row: None, .. } if key == expected),
                "{:?}: {sql}: {err:?}",
                db.store.backend()
            );
        }
        for (sql, expected) in [
            (
                r#"INSERT INTO user_artists ("userID", "artistID", weight) VALUES (12, 3, -1)"#,
                Check::ListenWeight,
            ),
            (
                &format!("{assignment} VALUES (12, 3, 1, 0, 32, 1, 1970)"),
                Check::TagAssignmentDay,
            ),
            (
                &format!("{assignment} VALUES (12, 3, 1, 0, 1, 13, 1970)"),
                Check::TagAssignmentMonth,
            ),
            (
                r#"INSERT INTO user_friends ("userID", "friendID") VALUES (12, 12)"#,
                Check::NotOwnFriend,
            ),
        ] {
            let err = violation(&db.store, sql).await;
            assert!(
                matches!(err, StoreError::CheckViolation { check: Some(check), .. } if check == expected),
                "{:?}: {sql}: {err:?}",
                db.store.backend()
            );
        }
    }
}

#[tokio::test]
async fn a_broken_foreign_key_is_named_where_the_engine_says_which() {
    for db in backends().await {
        load(&db.store, small_dataset()).await;
        let assignment = r#"INSERT INTO user_taggedartists
            ("userID", "artistID", "tagID", "timestamp", day, month, year)"#;
        for (sql, expected) in [
            (
                r#"INSERT INTO user_artists ("userID", "artistID", weight) VALUES (404, 3, 1)"#,
                ForeignKey::ListenUser,
            ),
            (
                r#"INSERT INTO user_artists ("userID", "artistID", weight) VALUES (12, 404, 1)"#,
                ForeignKey::ListenArtist,
            ),
            (
                &format!("{assignment} VALUES (404, 3, 1, 0, 1, 1, 1970)"),
                ForeignKey::TagAssignmentUser,
            ),
            (
                &format!("{assignment} VALUES (12, 404, 1, 0, 1, 1, 1970)"),
                ForeignKey::TagAssignmentArtist,
            ),
            (
                &format!("{assignment} VALUES (12, 3, 404, 0, 1, 1, 1970)"),
                ForeignKey::TagAssignmentTag,
            ),
            (
                r#"INSERT INTO user_friends ("userID", "friendID") VALUES (404, 12)"#,
                ForeignKey::FriendshipUser,
            ),
            (
                r#"INSERT INTO user_friends ("userID", "friendID") VALUES (12, 404)"#,
                ForeignKey::FriendshipFriend,
            ),
        ] {
            let StoreError::ForeignKeyViolation { key, .. } = violation(&db.store, sql).await
            else {
                panic!("{sql}");
            };
            // SQLite's report is "FOREIGN KEY constraint failed", whichever key.
            let named = (db.store.backend() == Backend::Postgres).then_some(expected);
            assert_eq!(key, named, "{:?}: {sql}", db.store.backend());
        }
    }
}

#[tokio::test]
async fn a_write_naming_absent_rows_names_each_with_its_field() {
    for db in backends().await {
        load(&db.store, small_dataset()).await;
        let missing = |err: StoreError| match err {
            StoreError::NotFound { missing } => missing
                .iter()
                .map(|m| (m.key.field(), m.to_string()))
                .collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        let listen = Listen {
            user_id: 12,
            artist_id: 404,
            weight: 1,
        };
        let err = db.store.put_listen(&listen).await.unwrap_err();
        assert_eq!(missing(err), [("artist_id", "artist 404".to_owned())]);
        let friendship = Friendship {
            user_id: 12,
            friend_id: 405,
        };
        let err = db.store.create_friendship(friendship).await.unwrap_err();
        assert_eq!(missing(err), [("friend_id", "user 405".to_owned())]);
        let assignment = TagAssignment {
            user_id: 404,
            artist_id: 3,
            tag_id: 406,
            timestamp: 0,
            day: 1,
            month: 1,
            year: 1970,
        };
        let err = db
            .store
            .create_tag_assignment(&assignment)
            .await
            .unwrap_err();
        assert_eq!(
            missing(err),
            [
                ("user_id", "user 404".to_owned()),
                ("tag_id", "tag 406".to_owned())
            ]
        );
    }
}

#[tokio::test]
async fn a_write_adding_a_row_that_exists_names_the_row() {
    for db in backends().await {
        load(&db.store, small_dataset()).await;
        let err = db.store.create_user(Some(10)).await.unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::UniqueViolation {
                    key: Some(UniqueKey::User),
                    row: Some(RowKey::User(10)),
                    ..
                }
            ),
            "{err:?}"
        );
        let err = db
            .store
            .create_artist(
                Some(3),
                &ArtistFields {
                    name: "Again".into(),
                    url: None,
                    picture_url: None,
                },
            )
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::UniqueViolation {
                    row: Some(RowKey::Artist(3)),
                    ..
                }
            ),
            "{err:?}"
        );
        let again = small_dataset().tag_assignments[0];
        let err = db.store.create_tag_assignment(&again).await.unwrap_err();
        let row = RowKey::TagAssignment {
            user_id: 10,
            artist_id: 2,
            tag_id: 1,
        };
        assert!(
            matches!(err, StoreError::UniqueViolation { row: Some(r), .. } if r == row),
            "{err:?}"
        );
    }
}
