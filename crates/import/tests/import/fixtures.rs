//! The importer on small hand-written files that carry each quirk of the real dataset (and
//! some it could have): every row ends up stored exactly or reported with file, line, reason.

use std::path::Path;

use soundstream_import::{ImportError, ImportOptions, import_dir, read_dataset};
use soundstream_store::testing::backends;

/// Writes `files` into `dir`: (name, bytes).
fn write(dir: &Path, files: &[(&str, &[u8])]) {
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

const ARTISTS: &[u8] = b"id\tname\turl\tpictureURL\n\
1\tMALICE MIZER\thttp://www.last.fm/music/MALICE+MIZER\thttp://userserve-ak.last.fm/serve/252/10808.jpg\n\
2\t\"Weird Al\" Yankovic\thttp://www.last.fm/music/%22Weird+Al%22+Yankovic\t\n\
2\tDuplicate\thttp://x\thttp://y\n\
3\t\thttp://x\thttp://y\n\
x\tBad id\thttp://x\thttp://y\n\
4\tToo few fields\n";

// CRLF and ISO-8859-1, like the real tags.dat.
const TAGS: &[u8] = b"tagID\ttagValue\r\n1\tmetal\r\n2\ttropic\xe1lia\r\n3\tmetal\r\n";

const USER_ARTISTS: &[u8] = b"userID\tartistID\tweight\r\n\
2\t1\t13883\r\n\
2\t99\t5\r\n\
2\t1\t7\r\n\
3\t2\t-4\r\n";

const TAGGED: &[u8] = b"userID\tartistID\ttagID\tday\tmonth\tyear\r\n\
2\t1\t1\t1\t4\t2009\r\n\
2\t1\t2\t1\t6\t1956\r\n\
4\t99\t1\t1\t1\t2010\r\n\
2\t1\t9\t1\t1\t2010\r\n\
\r\n\
2\t2\t1\t31\t2\t2009\r\n";

const FRIENDS: &[u8] = b"userID\tfriendID\r\n2\t3\r\n3\t2\r\n5\t5\r\n2\t3\r\n";

fn messy(dir: &Path) {
    write(
        dir,
        &[
            ("artists.dat", ARTISTS),
            ("tags.dat", TAGS),
            ("user_artists.dat", USER_ARTISTS),
            ("user_taggedartists.dat", TAGGED),
            ("user_friends.dat", FRIENDS),
        ],
    );
}

#[test]
fn every_good_row_is_stored_exactly() {
    let dir = tempfile::tempdir().unwrap();
    messy(dir.path());
    let ds = read_dataset(dir.path()).unwrap().dataset;

    let artists: Vec<_> = ds.artists.iter().map(|a| (a.id, a.name.as_str())).collect();
    assert_eq!(artists, [(1, "MALICE MIZER"), (2, "\"Weird Al\" Yankovic")]);
    assert_eq!(ds.artists[1].picture_url, None);
    let tags: Vec<_> = ds.tags.iter().map(|t| (t.id, t.value.as_str())).collect();
    assert_eq!(tags, [(1, "metal"), (2, "tropicália")]);
    assert_eq!(ds.listens.len(), 1);
    assert_eq!(ds.listens[0].weight, 13883);
    // Users of every readable row: 4 only tagged an unknown artist, 3 appears as a friend.
    assert_eq!(ds.users, [2, 3, 4]);
    let dated: Vec<_> = ds
        .tag_assignments
        .iter()
        .map(|t| (t.tag_id, t.timestamp, t.day, t.month, t.year))
        .collect();
    assert_eq!(
        dated,
        [
            (1, 1_238_544_000_000, 1, 4, 2009),
            (2, -428_716_800_000, 1, 6, 1956)
        ]
    );
    assert_eq!(ds.friendships.len(), 2);
}

#[test]
fn unusual_names_are_stored_as_given_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    messy(dir.path());
    // NFD, zero-width only, a right-to-left override; a tag with a bidi isolate.
    let artists = "id\tname\turl\tpictureURL\n\
        1\tmeta\u{301}l\thttp://a\t\n\
        2\t\u{200b}\thttp://b\t\n\
        3\tabc\u{202e}fed\thttp://c\t\n\
        4\tBj\u{f6}rk\thttp://d\t\n";
    write(
        dir.path(),
        &[
            ("artists.dat", artists.as_bytes()),
            (
                "tags.dat",
                "tagID\ttagValue\r\n1\trock\r\n2\tx\u{2067}y\r\n".as_bytes(),
            ),
        ],
    );
    let read = read_dataset(dir.path()).unwrap();
    let names: Vec<&str> = read
        .dataset
        .artists
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(
        names,
        ["meta\u{301}l", "\u{200b}", "abc\u{202e}fed", "Bj\u{f6}rk"]
    );
    assert_eq!(read.dataset.tags[1].value, "x\u{2067}y");
    let got: Vec<_> = read
        .warnings
        .iter()
        .map(|w| (w.file.as_str(), w.line, w.kind, w.content.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("artists.dat", 2, "unusual_name", "meta\\u{301}l"),
            ("artists.dat", 3, "unusual_name", "\\u{200b}"),
            ("artists.dat", 4, "unusual_name", "abc\\u{202e}fed"),
            ("tags.dat", 3, "unusual_name", "x\\u{2067}y"),
        ]
    );
    assert!(
        read.warnings[0].reason.contains("NFC"),
        "{:?}",
        read.warnings[0]
    );
    assert!(read.warnings[1].reason.contains("visible"));
    assert!(read.warnings[2].reason.contains("bidirectional"));
    assert!(
        read.rejected
            .iter()
            .all(|r| r.file != "artists.dat" && r.file != "tags.dat")
    );
}

#[test]
fn every_bad_row_is_reported_with_file_line_and_reason() {
    let dir = tempfile::tempdir().unwrap();
    messy(dir.path());
    let read = read_dataset(dir.path()).unwrap();
    let (files, rejected) = (read.files, read.rejected);

    let got: Vec<_> = rejected
        .iter()
        .map(|r| (r.file.as_str(), r.line, r.kind))
        .collect();
    assert_eq!(
        got,
        [
            ("artists.dat", 4, "duplicate_id"),
            ("artists.dat", 5, "empty_name"),
            ("artists.dat", 6, "not_a_number"),
            ("artists.dat", 7, "field_count"),
            ("tags.dat", 4, "duplicate_value"),
            ("user_artists.dat", 3, "unknown_artist"),
            ("user_artists.dat", 4, "duplicate"),
            ("user_artists.dat", 5, "negative_weight"),
            ("user_friends.dat", 4, "self_friendship"),
            ("user_friends.dat", 5, "duplicate"),
            ("user_taggedartists.dat", 4, "unknown_artist"),
            ("user_taggedartists.dat", 5, "unknown_tag"),
            ("user_taggedartists.dat", 7, "invalid_date"),
        ]
    );
    let duplicate = &rejected[0];
    assert_eq!(duplicate.reason, "artist id 2 is already defined on line 3");
    assert_eq!(duplicate.content, "2\tDuplicate\thttp://x\thttp://y");
    assert_eq!(
        rejected[4].reason,
        "tag value 'metal' is already tag 1 (line 2)"
    );

    // Every data line is accounted for: stored + rejected = rows; blank lines are not rows.
    let tagged = files
        .iter()
        .find(|f| f.file == "user_taggedartists.dat")
        .unwrap();
    assert_eq!(
        (
            tagged.rows,
            tagged.stored,
            tagged.rejected,
            tagged.blank_lines
        ),
        (5, 2, 3, 1)
    );
    let tags = files.iter().find(|f| f.file == "tags.dat").unwrap();
    assert_eq!(
        (tags.encoding.as_str(), tags.line_endings.as_str()),
        ("ISO-8859-1", "CRLF")
    );
    assert_eq!(tags.transcoded_lines, [3]);
    let artists = files.iter().find(|f| f.file == "artists.dat").unwrap();
    assert_eq!(artists.line_endings, "LF");
}

#[test]
fn millisecond_timestamps_are_merged_when_the_timestamps_file_is_present() {
    let dir = tempfile::tempdir().unwrap();
    messy(dir.path());
    write(
        dir.path(),
        &[(
            "user_taggedartists-timestamps.dat",
            // (2,1,1) has its exact instant; (2,1,2) has none; (3,2,2) exists only here.
            b"userID\tartistID\ttagID\ttimestamp\r\n\
2\t1\t1\t1238536800000\r\n\
3\t2\t2\t-1000\r\n",
        )],
    );
    let read = read_dataset(dir.path()).unwrap();
    let (ds, files, notes) = (read.dataset, read.files, read.notes);
    let got: Vec<_> = ds
        .tag_assignments
        .iter()
        .map(|t| {
            (
                t.user_id,
                t.artist_id,
                t.tag_id,
                t.timestamp,
                t.day,
                t.month,
                t.year,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (2, 1, 1, 1_238_536_800_000, 1, 4, 2009),
            (2, 1, 2, -428_716_800_000, 1, 6, 1956),
            (3, 2, 2, -1000, 31, 12, 1969),
        ]
    );
    let timed = files
        .iter()
        .find(|f| f.file == "user_taggedartists-timestamps.dat")
        .unwrap();
    assert!(timed.present);
    assert_eq!((timed.rows, timed.stored), (2, 2));
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("1 tag assignments have no row in")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("1 rows of user_taggedartists-timestamps.dat")),
        "{notes:?}"
    );
}

#[test]
fn without_the_timestamps_file_the_report_says_how_timestamps_were_made() {
    let dir = tempfile::tempdir().unwrap();
    messy(dir.path());
    let read = read_dataset(dir.path()).unwrap();
    let (files, notes) = (read.files, read.notes);
    assert!(
        !files
            .iter()
            .find(|f| f.file.contains("timestamps"))
            .unwrap()
            .present
    );
    assert!(
        notes[0].contains("is absent") && notes[0].contains("00:00 UTC"),
        "{notes:?}"
    );
}

#[test]
fn a_missing_file_is_named_with_the_folder_searched() {
    let dir = tempfile::tempdir().unwrap();
    messy(dir.path());
    std::fs::remove_file(dir.path().join("user_friends.dat")).unwrap();
    let err = read_dataset(dir.path()).unwrap_err();
    assert!(matches!(
        err,
        ImportError::MissingFile {
            file: "user_friends.dat",
            ..
        }
    ));
    assert!(err.to_string().contains(&dir.path().display().to_string()));
}

#[tokio::test]
async fn the_import_stores_the_dataset_and_reports_the_database_counts() {
    for db in backends().await {
        let dir = tempfile::tempdir().unwrap();
        messy(dir.path());
        let report = import_dir(&db.store, dir.path(), None, ImportOptions::default())
            .await
            .unwrap();
        let t = report.tables;
        assert_eq!(
            (
                t.artists,
                t.users,
                t.tags,
                t.user_artists,
                t.user_taggedartists,
                t.user_friends
            ),
            (2, 3, 2, 1, 2, 2)
        );
        assert_eq!(report.rejected.len(), 13);
        assert!(report.checks.all_passed());
        let tag = db
            .store
            .query_one(r#"SELECT "tagValue" FROM tags WHERE "tagID" = 2"#, vec![])
            .await
            .unwrap();
        assert_eq!(tag.string(0).unwrap(), "tropicália");
        let text = report.to_string();
        assert!(
            text.contains("user_artists.dat: 1 x unknown_artist"),
            "{text}"
        );
    }
}
