//! The importer on the real GroupLens files (`SOUNDSTREAM_DATA_DIR`), on SQLite and, when
//! configured, PostgreSQL: the published counts, named rows, and every rejected row explained.

use std::collections::BTreeSet;
use std::path::PathBuf;

use soundstream_import::{ImportOptions, ImportReport, import_dir};
use soundstream_store::testing::backends;
use soundstream_store::{Store, args};

fn data_dir() -> PathBuf {
    std::env::var_os("SOUNDSTREAM_DATA_DIR")
        .map(PathBuf::from)
        .expect("set SOUNDSTREAM_DATA_DIR to the hetrec2011-lastfm-2k folder to run the real-data tests")
}

async fn import(store: &Store) -> ImportReport {
    import_dir(store, &data_dir(), None, ImportOptions::default())
        .await
        .expect("the real dataset imports")
}

#[tokio::test]
async fn the_real_dataset_is_stored_with_its_published_counts() {
    for db in backends().await {
        let report = import(&db.store).await;
        let t = report.tables;
        assert_eq!(t.artists, 17_632);
        assert_eq!(t.users, 1_892);
        assert_eq!(t.tags, 11_946);
        assert_eq!(t.user_artists, 92_834);
        assert_eq!(t.user_friends, 25_434);
        // 186,479 assignments in the file; 1,538 name artists missing from artists.dat.
        assert_eq!(t.user_taggedartists, 184_941);
        let rows: Vec<_> = report
            .files
            .iter()
            .map(|f| (f.file.as_str(), f.rows))
            .collect();
        assert_eq!(
            rows,
            [
                ("artists.dat", 17_632),
                ("tags.dat", 11_946),
                ("user_artists.dat", 92_834),
                ("user_taggedartists.dat", 186_479),
                ("user_taggedartists-timestamps.dat", 0),
                ("user_friends.dat", 25_434),
            ]
        );
        assert!(report.checks.all_passed(), "{:?}", report.checks);
    }
}

#[tokio::test]
async fn the_one_unusual_name_of_the_real_data_is_kept_as_given_and_reported() {
    let read = soundstream_import::read_dataset(&data_dir()).unwrap();
    let warnings: Vec<_> = read
        .warnings
        .iter()
        .map(|w| (w.file.as_str(), w.line, w.content.as_str()))
        .collect();
    // A combining grave accent after the name: not NFC, stored as it is.
    assert_eq!(warnings, [("artists.dat", 9147, "Rihanna\\u{300}")]);
    assert!(
        read.dataset
            .artists
            .iter()
            .any(|a| a.name == "Rihanna\u{300}")
    );
}

#[tokio::test]
async fn every_rejected_row_is_a_tag_assignment_of_an_unknown_artist() {
    let db = soundstream_store::testing::sqlite().await;
    let report = import(&db.store).await;
    assert_eq!(report.rejected.len(), 1_538);
    assert!(
        report
            .rejected
            .iter()
            .all(|r| r.file == "user_taggedartists.dat" && r.kind == "unknown_artist")
    );
    let first = &report.rejected[0];
    assert_eq!(first.line, 241);
    assert_eq!(first.reason, "artist 14103 is not in artists.dat");
    assert_eq!(first.content, "8\t14103\t24\t1\t11\t2006");
    let artists: BTreeSet<&str> = report
        .rejected
        .iter()
        .map(|r| r.content.split('\t').nth(1).unwrap())
        .collect();
    assert_eq!(artists.len(), 390);
}

#[tokio::test]
async fn named_rows_come_back_byte_for_byte() {
    for db in backends().await {
        import(&db.store).await;
        let s = &db.store;
        let artist = |id: i64| async move {
            let r = s
                .query_one(
                    r#"SELECT name, url, "pictureURL" FROM artists WHERE id = $1"#,
                    args![id],
                )
                .await
                .unwrap();
            (
                r.string(0).unwrap(),
                r.opt_string(1).unwrap(),
                r.opt_string(2).unwrap(),
            )
        };
        assert_eq!(
            artist(707).await,
            (
                "Metallica".into(),
                Some("http://www.last.fm/music/Metallica".into()),
                Some("http://userserve-ak.last.fm/serve/252/7560709.jpg".into())
            )
        );
        assert_eq!(artist(1686).await.0, "\"Weird Al\" Yankovic");
        assert_eq!(artist(201).await.0, "Ленинград");
        assert_eq!(artist(64).await.0, "Röyksopp");

        let tag = |id: i64| async move {
            s.query_one(
                r#"SELECT "tagValue" FROM tags WHERE "tagID" = $1"#,
                args![id],
            )
            .await
            .unwrap()
            .string(0)
            .unwrap()
        };
        // Latin-1 bytes in tags.dat, decoded.
        assert_eq!(tag(2863).await, "tropicália");
        assert_eq!(tag(7982).await, "fußball");
        assert_eq!(tag(11213).await, "die Ärzte");

        let listens = s
            .query_one(
                r#"SELECT (SELECT weight FROM user_artists WHERE "userID" = 2 AND "artistID" = 51),
                          CAST(SUM(weight) AS BIGINT), MAX(weight) FROM user_artists"#,
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            (
                listens.i64(0).unwrap(),
                listens.i64(1).unwrap(),
                listens.i64(2).unwrap()
            ),
            (13_883, 69_183_975, 352_698)
        );

        let when = |user: i64, artist: i64, tag: i64| async move {
            let r = s
                .query_one(
                    r#"SELECT "timestamp", day, month, year FROM user_taggedartists
                       WHERE "userID" = $1 AND "artistID" = $2 AND "tagID" = $3"#,
                    args![user, artist, tag],
                )
                .await
                .unwrap();
            (
                r.i64(0).unwrap(),
                r.i64(1).unwrap(),
                r.i64(2).unwrap(),
                r.i64(3).unwrap(),
            )
        };
        assert_eq!(when(2, 52, 13).await, (1_238_544_000_000, 1, 4, 2009));
        // Dated 1956 in the source: kept, with a negative timestamp.
        assert_eq!(when(43, 1395, 39).await, (-428_716_800_000, 1, 6, 1956));

        let friends = s
            .query_one(
                r#"SELECT COUNT(*) FROM user_friends
                   WHERE ("userID" = 2 AND "friendID" = 275) OR ("userID" = 275 AND "friendID" = 2)"#,
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(friends.i64(0).unwrap(), 2);
    }
}

#[tokio::test]
async fn importing_twice_gives_the_same_database() {
    for db in backends().await {
        let first = import(&db.store).await;
        let checksum = |store: &Store| {
            let store = store.clone();
            async move {
                let r = store
                    .query_one(
                        r#"SELECT CAST(SUM(weight) AS BIGINT),
                                  (SELECT CAST(SUM("timestamp" / 1000) AS BIGINT) FROM user_taggedartists),
                                  (SELECT CAST(SUM("friendID") AS BIGINT) FROM user_friends)
                           FROM user_artists"#,
                        vec![],
                    )
                    .await
                    .unwrap();
                (r.i64(0).unwrap(), r.i64(1).unwrap(), r.i64(2).unwrap())
            }
        };
        let before = checksum(&db.store).await;
        let second = import(&db.store).await;
        assert_eq!(first.tables, second.tables);
        assert_eq!(before, checksum(&db.store).await);
    }
}
