//! The streaming assembly against the previous whole-in-memory one (`oracle`), on random
//! messy datasets whose files list users' rows together or not, with and without a
//! timestamps file: the same rows stored, the same rejections (file, line, kind, reason,
//! content), the same notes and file reports.

use std::path::Path;

use super::oracle;

/// A small deterministic generator (xorshift64).
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// True one time in `n`.
    fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

/// How a file of user rows is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    /// Each user's rows together, users in a random order.
    Grouped,
    /// Any order.
    Shuffled,
}

const USERS: u64 = 12;
const ARTISTS: u64 = 30;
const TAGS: u64 = 15;

/// Lines of one user (`Some`) or of no user (`None`): bad ids, blank lines.
type UserLines = Vec<(Option<u64>, Vec<u8>)>;

/// Orders user lines; lines of no user land anywhere (including first).
fn ordered(r: &mut Random, mut lines: UserLines, order: Order) -> Vec<Vec<u8>> {
    match order {
        Order::Shuffled => r.shuffle(&mut lines),
        Order::Grouped => {
            let mut users: Vec<u64> = (1..=USERS + 4).collect();
            r.shuffle(&mut users);
            let rank = |u: u64| users.iter().position(|&v| v == u).unwrap();
            r.shuffle(&mut lines);
            // A stable sort by user keeps each user's rows in their shuffled order; lines of
            // no user go after a random user's run.
            let mut keyed: Vec<(usize, Vec<u8>)> = lines
                .into_iter()
                .map(|(u, l)| {
                    let key = match u {
                        Some(u) => rank(u) * 2,
                        None => r.below(users.len() as u64 * 2) as usize,
                    };
                    (key, l)
                })
                .collect();
            keyed.sort_by_key(|(k, _)| *k);
            return keyed.into_iter().map(|(_, l)| l).collect();
        }
    }
    lines.into_iter().map(|(_, l)| l).collect()
}

fn write(dir: &Path, name: &str, header: &str, end: &str, lines: &[Vec<u8>]) {
    let mut bytes = format!("{header}{end}").into_bytes();
    for line in lines {
        bytes.extend_from_slice(line);
        bytes.extend_from_slice(end.as_bytes());
    }
    std::fs::write(dir.join(name), bytes).unwrap();
}

/// Noise every file of user rows gets: blank lines and lines of no readable user.
fn noise(r: &mut Random, lines: &mut UserLines, fields: usize) {
    for _ in 0..r.below(3) {
        lines.push((None, Vec::new()));
    }
    if r.one_in(2) {
        let mut line = b"x".to_vec();
        for _ in 1..fields {
            line.extend_from_slice(b"\t1");
        }
        lines.push((None, line));
    }
}

/// A user id, now and then one that only appears in some files.
fn user(r: &mut Random) -> u64 {
    1 + r.below(USERS + 2)
}

/// Writes a random dataset into `dir`; `orders` for listens, dated, timed and friendships.
/// (The files are written in this order: each draws from the one generator.)
fn dataset(dir: &Path, seed: u64, orders: [Order; 4], timed: bool) {
    let r = &mut Random(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    write_artists(dir, r);
    write_tags(dir, r);
    write_listens(dir, r, orders[0]);
    let keys = write_dated(dir, r, orders[1]);
    if timed {
        write_timestamps(dir, r, &keys, orders[2]);
    }
    write_friends(dir, r, orders[3]);
}

/// artists.dat: every artist, some defined twice, and a blank name, a bad id, a short line.
fn write_artists(dir: &Path, r: &mut Random) {
    let mut artists = Vec::new();
    for id in 1..=ARTISTS {
        artists.push(format!("{id}\tArtist \"{id}\" Röyksopp\thttp://a/{id}\t").into_bytes());
        if r.one_in(8) {
            artists.push(format!("{id}\tAgain\thttp://x\thttp://y").into_bytes());
        }
    }
    artists.push(b"31\t \thttp://x\thttp://y".to_vec());
    artists.push(b"zz\tBad id\thttp://x\thttp://y".to_vec());
    artists.push(b"32\tToo few".to_vec());
    write(
        dir,
        "artists.dat",
        "id\tname\turl\tpictureURL",
        "\n",
        &artists,
    );
}

/// tags.dat: every tag, some in ISO-8859-1, some ids and some values defined twice.
fn write_tags(dir: &Path, r: &mut Random) {
    let mut tags = Vec::new();
    for id in 1..=TAGS {
        let mut line = format!("{id}\ttag").into_bytes();
        if id % 4 == 0 {
            // ISO-8859-1, as in the real tags.dat.
            line.extend_from_slice(b"\xe1");
        }
        line.extend_from_slice(id.to_string().as_bytes());
        tags.push(line);
        if r.one_in(6) {
            tags.push(format!("{id}\tother{id}").into_bytes());
        }
        if r.one_in(6) {
            tags.push(format!("{}\ttag{id}", id + 100).into_bytes());
        }
    }
    write(dir, "tags.dat", "tagID\ttagValue", "\r\n", &tags);
}

/// user_artists.dat: listens of known and unknown artists, some negative, repeated or short.
fn write_listens(dir: &Path, r: &mut Random, order: Order) {
    let mut listens: UserLines = Vec::new();
    for _ in 0..60 {
        let (u, a) = (user(r), 1 + r.below(ARTISTS + 3));
        let weight = if r.one_in(20) {
            -1
        } else {
            r.below(500) as i64
        };
        listens.push((Some(u), format!("{u}\t{a}\t{weight}").into_bytes()));
        if r.one_in(10) {
            listens.push((Some(u), format!("{u}\t{a}\t7").into_bytes()));
        }
        if r.one_in(25) {
            listens.push((Some(u), format!("{u}\t{a}").into_bytes()));
        }
    }
    noise(r, &mut listens, 3);
    let lines = ordered(r, listens, order);
    write(
        dir,
        "user_artists.dat",
        "userID\tartistID\tweight",
        "\r\n",
        &lines,
    );
}

/// user_taggedartists.dat: dated tag assignments, some of unknown artists or tags, some on
/// impossible dates, some repeated. Returns the (user, artist, tag) of each, for the
/// timestamps file.
fn write_dated(dir: &Path, r: &mut Random, order: Order) -> Vec<(u64, u64, u64)> {
    let mut dated: UserLines = Vec::new();
    let mut keys = Vec::new();
    for _ in 0..120 {
        let (u, a, t) = (user(r), 1 + r.below(ARTISTS + 2), 1 + r.below(TAGS + 2));
        let (day, month, year) = (1 + r.below(28), 1 + r.below(12), 1950 + r.below(60));
        let day = if r.one_in(30) { 31 } else { day };
        let month = if day == 31 { 2 } else { month };
        dated.push((
            Some(u),
            format!("{u}\t{a}\t{t}\t{day}\t{month}\t{year}").into_bytes(),
        ));
        keys.push((u, a, t));
        if r.one_in(12) {
            dated.push((Some(u), format!("{u}\t{a}\t{t}\t1\t1\t2001").into_bytes()));
        }
    }
    noise(r, &mut dated, 6);
    let lines = ordered(r, dated, order);
    write(
        dir,
        "user_taggedartists.dat",
        "userID\tartistID\ttagID\tday\tmonth\tyear",
        "\r\n",
        &lines,
    );
    keys
}

/// user_taggedartists-timestamps.dat: timestamps of most dated assignments (some repeated),
/// and timestamps alone.
fn write_timestamps(dir: &Path, r: &mut Random, keys: &[(u64, u64, u64)], order: Order) {
    let mut rows: UserLines = Vec::new();
    for &(u, a, t) in keys {
        if r.one_in(3) {
            continue;
        }
        let ts = r.below(2_000_000_000_000) as i64 - 500_000_000_000;
        rows.push((Some(u), format!("{u}\t{a}\t{t}\t{ts}").into_bytes()));
        if r.one_in(10) {
            rows.push((Some(u), format!("{u}\t{a}\t{t}\t5").into_bytes()));
        }
    }
    for _ in 0..25 {
        // Timestamps alone, some for users with no dated row and some out of the calendar.
        let (u, a, t) = (user(r) + 2, 1 + r.below(ARTISTS + 2), 1 + r.below(TAGS + 2));
        let ts = if r.one_in(8) {
            i64::MAX / 2
        } else {
            r.below(1_000_000_000_000) as i64
        };
        rows.push((Some(u), format!("{u}\t{a}\t{t}\t{ts}").into_bytes()));
    }
    noise(r, &mut rows, 4);
    let lines = ordered(r, rows, order);
    write(
        dir,
        "user_taggedartists-timestamps.dat",
        "userID\tartistID\ttagID\ttimestamp",
        "\r\n",
        &lines,
    );
}

/// user_friends.dat: friendships, some repeated.
fn write_friends(dir: &Path, r: &mut Random, order: Order) {
    let mut friends: UserLines = Vec::new();
    for _ in 0..40 {
        let (u, f) = (user(r), user(r));
        friends.push((Some(u), format!("{u}\t{f}").into_bytes()));
        if r.one_in(8) {
            friends.push((Some(u), format!("{u}\t{f}").into_bytes()));
        }
    }
    noise(r, &mut friends, 2);
    let lines = ordered(r, friends, order);
    write(dir, "user_friends.dat", "userID\tfriendID", "\r\n", &lines);
}

fn assert_same_as_the_oracle(dir: &Path, what: &str) {
    let old = oracle::read_dataset(dir);
    let new = crate::read_dataset(dir).unwrap();
    assert_eq!(new.dataset, old.dataset, "{what}: rows stored");
    assert_eq!(new.rejected, old.rejected, "{what}: rejections");
    assert_eq!(new.notes, old.notes, "{what}: notes");
    assert_eq!(
        serde_json::to_value(&new.files).unwrap(),
        serde_json::to_value(&old.files).unwrap(),
        "{what}: file reports"
    );
}

#[test]
fn streaming_stores_and_rejects_exactly_what_the_whole_file_assembly_did() {
    use Order::{Grouped, Shuffled};
    let orders = [
        [Grouped; 4],
        [Shuffled; 4],
        [Grouped, Shuffled, Grouped, Shuffled],
        [Shuffled, Grouped, Shuffled, Grouped],
    ];
    let mut rejected = 0;
    for seed in 1..=60 {
        for (i, order) in orders.iter().enumerate() {
            for timed in [false, true] {
                let dir = tempfile::tempdir().unwrap();
                dataset(dir.path(), seed * 10 + i as u64, *order, timed);
                let what = format!("seed {seed}, orders {order:?}, timestamps {timed}");
                assert_same_as_the_oracle(dir.path(), &what);
                rejected += crate::read_dataset(dir.path()).unwrap().rejected.len();
            }
        }
    }
    // The datasets are messy enough to exercise every path.
    assert!(rejected > 10_000, "{rejected}");
}

#[test]
fn a_grouped_file_is_read_one_user_at_a_time_and_a_shuffled_one_whole() {
    let dir = tempfile::tempdir().unwrap();
    dataset(dir.path(), 7, [Order::Grouped; 4], true);
    let runs = crate::groups::user_runs(&dir.path().join("user_taggedartists.dat"), false);
    assert!(runs.unwrap().grouped);
    dataset(dir.path(), 7, [Order::Shuffled; 4], true);
    let runs = crate::groups::user_runs(&dir.path().join("user_taggedartists.dat"), false);
    assert!(!runs.unwrap().grouped);
}
