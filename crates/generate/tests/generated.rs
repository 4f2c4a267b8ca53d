//! The generator as its users see it: files on disk in the real formats, deterministic by
//! seed, shaped as the scale laws say, and read by the real importer with only the intended
//! rejections.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use soundstream_generate::shape::Shape;
use soundstream_generate::{Config, FILES, GenerateError, Summary, Targets, generate};

fn generate_into(dir: &Path, scale: f64, seed: u64) -> Summary {
    let config = Config {
        scale,
        seed,
        overwrite: false,
    };
    generate(&config, dir, &|_| {}).expect("the dataset is generated")
}

fn read(dir: &Path, file: &str) -> Vec<u8> {
    std::fs::read(dir.join(file)).unwrap()
}

/// The data rows of a file as fields (header skipped, line endings stripped).
fn rows(dir: &Path, file: &str) -> Vec<Vec<String>> {
    let bytes = read(dir, file);
    bytes
        .split(|&b| b == b'\n')
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let l = l.strip_suffix(b"\r").unwrap_or(l);
            // ISO-8859-1 where it is not UTF-8, as the importer reads it.
            let text = String::from_utf8(l.to_vec())
                .unwrap_or_else(|_| l.iter().map(|&b| char::from(b)).collect());
            text.split('\t').map(str::to_owned).collect()
        })
        .collect()
}

fn ids(rows: &[Vec<String>], field: usize) -> Vec<u64> {
    rows.iter().map(|r| r[field].parse().unwrap()).collect()
}

#[test]
fn the_same_seed_writes_byte_identical_files_and_another_seed_does_not() {
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    generate_into(a.path(), 0.2, 7);
    generate_into(b.path(), 0.2, 7);
    generate_into(c.path(), 0.2, 8);
    for file in FILES {
        assert!(
            read(a.path(), file) == read(b.path(), file),
            "{file} differs"
        );
    }
    assert!(read(a.path(), "user_artists.dat") != read(c.path(), "user_artists.dat"));
    // Nothing but the six files is left behind (no .partial files).
    let mut names: Vec<String> = std::fs::read_dir(a.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let mut expected: Vec<String> = FILES.iter().map(|f| f.to_string()).collect();
    expected.sort();
    assert_eq!(names, expected);
}

#[test]
fn the_files_have_the_real_headers_line_endings_and_encodings() {
    let dir = tempfile::tempdir().unwrap();
    let summary = generate_into(dir.path(), 1.0, 42);
    let headers = [
        ("artists.dat", "id\tname\turl\tpictureURL\n"),
        ("tags.dat", "tagID\ttagValue\r\n"),
        ("user_artists.dat", "userID\tartistID\tweight\r\n"),
        (
            "user_taggedartists.dat",
            "userID\tartistID\ttagID\tday\tmonth\tyear\r\n",
        ),
        ("user_friends.dat", "userID\tfriendID\r\n"),
    ];
    for (file, header) in headers {
        let bytes = read(dir.path(), file);
        assert!(bytes.starts_with(header.as_bytes()), "{file} header");
        let lines = bytes.iter().filter(|&&b| b == b'\n').count();
        let crlf = bytes.windows(2).filter(|w| w == b"\r\n").count();
        if file == "artists.dat" {
            assert_eq!(crlf, 0, "artists.dat has LF endings");
        } else {
            assert_eq!(crlf, lines, "{file} has CRLF endings");
        }
        assert!(bytes.ends_with(b"\n"));
        assert_eq!(
            summary.file(file).unwrap().rows as usize,
            lines - 1,
            "{file} rows"
        );
        assert!(
            bytes
                .split(|&b| b == b'\n')
                .filter(|l| !l.is_empty())
                .all(|l| {
                    let fields = l.split(|&b| b == b'\t').count();
                    fields == header.split('\t').count()
                })
        );
    }
    // artists.dat is UTF-8 (some names beyond ASCII, some quoted); tags.dat holds a few
    // ISO-8859-1 lines, as the real files do.
    let artists = String::from_utf8(read(dir.path(), "artists.dat")).expect("UTF-8");
    assert!(artists.lines().any(|l| !l.is_ascii()));
    assert!(
        artists
            .lines()
            .any(|l| l.split('\t').nth(1).unwrap().contains('"'))
    );
    let tags = read(dir.path(), "tags.dat");
    let latin1 = tags
        .split(|&b| b == b'\n')
        .filter(|l| std::str::from_utf8(l).is_err())
        .count();
    assert!((1..=40).contains(&latin1), "{latin1} ISO-8859-1 lines");
}

#[test]
fn lists_are_capped_at_fifty_and_friendships_are_symmetric() {
    let dir = tempfile::tempdir().unwrap();
    generate_into(dir.path(), 0.5, 3);
    let listens = rows(dir.path(), "user_artists.dat");
    let mut per_user: HashMap<u64, usize> = HashMap::new();
    for (user, artist) in ids(&listens, 0).into_iter().zip(ids(&listens, 1)) {
        *per_user.entry(user).or_default() += 1;
        assert!(artist > 0);
    }
    assert!(per_user.values().all(|&n| (1..=50).contains(&n)));
    let full = per_user.values().filter(|&&n| n == 50).count();
    assert!(
        full as f64 > 0.9 * per_user.len() as f64,
        "{full} full lists"
    );
    // Sorted by (user, artist), no repeats: the importer would reject a repeated pair.
    let keys: Vec<(u64, u64)> = ids(&listens, 0).into_iter().zip(ids(&listens, 1)).collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]));

    let friends = rows(dir.path(), "user_friends.dat");
    let pairs: HashSet<(u64, u64)> = ids(&friends, 0).into_iter().zip(ids(&friends, 1)).collect();
    assert_eq!(pairs.len(), friends.len(), "no repeated rows");
    for &(u, v) in &pairs {
        assert_ne!(u, v, "nobody is their own friend");
        assert!(pairs.contains(&(v, u)), "{u}-{v} is stored both ways");
    }
    let with_friends: HashSet<u64> = pairs.iter().map(|p| p.0).collect();
    assert!(
        per_user.keys().all(|u| with_friends.contains(u)),
        "everyone has a friend"
    );
}

#[test]
fn counts_follow_the_scale_laws() {
    let (small, large) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    generate_into(small.path(), 1.0, 11);
    generate_into(large.path(), 4.0, 11);
    let (s, l) = (
        Shape::measure(small.path()).unwrap(),
        Shape::measure(large.path()).unwrap(),
    );
    let t = Targets::for_scale(1.0);
    let l4 = l.clone();
    let l = s.clone();
    assert_eq!(l.users, t.users);
    let near = |got: u64, want: u64, tolerance: f64| {
        let ratio = got as f64 / want as f64;
        assert!(
            (1.0 - tolerance..1.0 + tolerance).contains(&ratio),
            "{got} for {want}"
        );
    };
    near(l.listens, t.listens, 0.02);
    near(l.friendship_rows, t.friendship_rows, 0.1);
    near(l.artists, t.artists, 0.15);
    near(l.tags, t.tags, 0.25);
    near(l.tag_assignments, t.tag_assignments, 0.25);
    // Users grow as K, artists as K^0.6, tags as K^0.5: 4x the users, 2.3x the artists, 2x
    // the tags.
    let (s, l) = (s, l4);
    let growth = |a: u64, b: u64| b as f64 / a as f64;
    assert!((3.9..4.1).contains(&growth(s.users, l.users)));
    assert!(
        (1.9..2.8).contains(&growth(s.artists, l.artists)),
        "{s:?} {l:?}"
    );
    assert!((1.6..2.5).contains(&growth(s.tags, l.tags)));
}

#[test]
fn a_scale_out_of_range_or_an_occupied_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for scale in [0.0, -1.0, f64::NAN, 20_000.0] {
        let config = Config {
            scale,
            seed: 1,
            overwrite: false,
        };
        let err = generate(&config, dir.path(), &|_| {}).unwrap_err();
        assert!(matches!(err, GenerateError::BadScale(_)), "{err}");
    }
    std::fs::write(dir.path().join("tags.dat"), "x").unwrap();
    let config = Config {
        scale: 0.01,
        seed: 1,
        overwrite: false,
    };
    let err = generate(&config, dir.path(), &|_| {}).unwrap_err();
    assert!(err.to_string().contains("--force"), "{err}");
    let forced = Config {
        overwrite: true,
        ..config
    };
    generate(&forced, dir.path(), &|_| {}).unwrap();
    assert!(read(dir.path(), "tags.dat").starts_with(b"tagID\t"));
}

#[tokio::test]
async fn the_importer_stores_a_generated_dataset_rejecting_only_assignments_of_missing_artists() {
    let dir = tempfile::tempdir().unwrap();
    let summary = generate_into(dir.path(), 1.0, 5);
    // What the files say, counted here independently of the generator.
    let artists: HashSet<u64> = ids(&rows(dir.path(), "artists.dat"), 0)
        .into_iter()
        .collect();
    let assignments = rows(dir.path(), "user_taggedartists.dat");
    let of_missing = assignments
        .iter()
        .filter(|r| !artists.contains(&r[1].parse().unwrap()))
        .count() as u64;
    assert!(of_missing > 0, "some assignments name missing artists");

    let db = soundstream_store::testing::sqlite().await;
    let report = soundstream_import::import_dir(
        &db.store,
        dir.path(),
        None,
        soundstream_import::ImportOptions::default(),
    )
    .await
    .expect("the importer reads generated files");
    let t = report.tables;
    let rows_of = |file: &str| summary.file(file).unwrap().rows;
    assert_eq!(t.artists as u64, rows_of("artists.dat"));
    assert_eq!(t.tags as u64, rows_of("tags.dat"));
    assert_eq!(t.user_artists as u64, rows_of("user_artists.dat"));
    assert_eq!(t.user_friends as u64, rows_of("user_friends.dat"));
    assert_eq!(t.users as u64, summary.targets.users);
    assert_eq!(
        t.user_taggedartists as u64,
        rows_of("user_taggedartists.dat") - of_missing
    );
    assert_eq!(report.rejected.len() as u64, of_missing);
    assert!(
        report
            .rejected
            .iter()
            .all(|r| r.file == "user_taggedartists.dat" && r.kind == "unknown_artist"),
        "{:?}",
        report.rejected.iter().find(|r| r.kind != "unknown_artist")
    );
    assert!(report.checks.all_passed(), "{:?}", report.checks);
    let tags = report.file("tags.dat").unwrap();
    assert_eq!(tags.encoding, "ISO-8859-1");
    assert_eq!(tags.line_endings, "CRLF");
    assert_eq!(report.file("artists.dat").unwrap().line_endings, "LF");
}

fn real_dir() -> PathBuf {
    std::env::var_os("SOUNDSTREAM_DATA_DIR")
        .map(PathBuf::from)
        .expect("set SOUNDSTREAM_DATA_DIR to the hetrec2011-lastfm-2k folder to compare with the real shape")
}

#[test]
fn a_generated_1x_dataset_has_the_shape_of_the_real_one() {
    let dir = tempfile::tempdir().unwrap();
    generate_into(dir.path(), 1.0, 42);
    let real = Shape::measure(&real_dir()).unwrap();
    let generated = Shape::measure(dir.path()).unwrap();
    let close = |name: &str, real: f64, got: f64, tolerance: f64| {
        assert!(
            (got - real).abs() <= tolerance,
            "{name}: real {real}, generated {got}"
        );
    };
    close("full lists", real.full_lists, generated.full_lists, 0.03);
    close(
        "single-listener artists",
        real.single_listener_artists,
        generated.single_listener_artists,
        0.08,
    );
    close(
        "popularity slope",
        real.popularity_slope,
        generated.popularity_slope,
        0.2,
    );
    close(
        "median play count",
        real.weight_p10_p50_p90_p99[1] as f64,
        generated.weight_p10_p50_p90_p99[1] as f64,
        40.0,
    );
    close(
        "tags per pair",
        real.tags_per_pair,
        generated.tags_per_pair,
        0.3,
    );
    close("used tags", real.used_tags, generated.used_tags, 0.05);
    close(
        "single-use tags",
        real.single_use_tags,
        generated.single_use_tags,
        0.1,
    );
    close(
        "tagged and listened",
        real.tagged_and_listened,
        generated.tagged_and_listened,
        0.08,
    );
    close(
        "assignments of missing artists",
        real.assignments_of_missing_artists,
        generated.assignments_of_missing_artists,
        0.003,
    );
    close("day one", real.day_one, generated.day_one, 0.02);
    close("mean degree", real.mean_degree, generated.mean_degree, 1.5);
    assert_eq!(generated.max_distinct_tags_per_user, 50);
    assert_eq!(generated.longest_list, 50);
    assert_eq!(generated.asymmetric_friendships, 0);
    // Taste communities: friends share clearly more artists than strangers.
    assert!(
        generated.friends_jaccard > 2.0 * generated.strangers_jaccard,
        "{} vs {}",
        generated.friends_jaccard,
        generated.strangers_jaccard
    );
}
