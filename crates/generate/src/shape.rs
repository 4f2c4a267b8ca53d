//! Measuring the shape of a dataset folder (real or generated) with the statistics the
//! generator is fitted to: sizes, the long tail of artists and tags, list lengths, play
//! counts, tagging habits, friendship degrees and the signal that communities give (how much
//! more friends share than strangers). `cargo run --release -p soundstream-generate --example
//! shape -- DIR...` prints them side by side; docs/generator.md quotes that table.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use rustc_hash::{FxHashMap, FxHashSet};

/// The measured statistics of one dataset.
// Its counts are named as `fit::Targets` names what the laws ask for (a deliberate parallel:
// the measurements are set side by side with the targets).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shape {
    /// Distinct users over all files.
    pub users: u64,
    /// Rows of artists.dat.
    pub artists: u64,
    /// Rows of tags.dat.
    pub tags: u64,
    /// Rows of user_artists.dat.
    pub listens: u64,
    /// Rows of user_taggedartists.dat.
    pub tag_assignments: u64,
    /// Rows of user_friends.dat.
    pub friendship_rows: u64,
    /// Share of users listing exactly 50 artists.
    pub full_lists: f64,
    /// The longest list of a user.
    pub longest_list: u64,
    /// Share of listened artists with one listener.
    pub single_listener_artists: f64,
    /// Listeners of the median, 90th and 99th percentile artist, and of the most listened.
    pub listeners_p50_p90_p99_max: [u64; 4],
    /// Slope of ln(listeners) against ln(rank), ranks 10 to 3,000 (Zipf's exponent, negated).
    pub popularity_slope: f64,
    /// Play counts ("weight") at the 10th, 50th, 90th and 99th percentiles.
    pub weight_p10_p50_p90_p99: [u64; 4],
    /// Tag assignments per user at the 50th, 90th and 99th percentiles.
    pub assignments_per_user_p50_p90_p99: [u64; 3],
    /// Mean tags per tagged (user, artist) pair.
    pub tags_per_pair: f64,
    /// The most distinct tags one user used.
    pub max_distinct_tags_per_user: u64,
    /// Share of tags.dat's tags that some assignment uses.
    pub used_tags: f64,
    /// Share of used tags used exactly once.
    pub single_use_tags: f64,
    /// Share of tagged (user, artist) pairs whose artist the user lists.
    pub tagged_and_listened: f64,
    /// Share of tag-assignment rows naming an artist missing from artists.dat.
    pub assignments_of_missing_artists: f64,
    /// Share of tag-assignment rows on day 1 of a month.
    pub day_one: f64,
    /// Tag-assignment rows dated before 1970.
    pub before_1970: u64,
    /// Friends per user at the 50th and 99th percentiles, and the largest.
    pub degree_p50_p99_max: [u64; 3],
    /// Mean friends per user.
    pub mean_degree: f64,
    /// Rows whose reverse row is missing.
    pub asymmetric_friendships: u64,
    /// Mean Jaccard similarity of friends' artist lists.
    pub friends_jaccard: f64,
    /// Mean Jaccard similarity of the lists of random pairs of users.
    pub strangers_jaccard: f64,
    /// Lines of tags.dat that are not UTF-8 (ISO-8859-1).
    pub latin1_tag_lines: u64,
    /// Artist names holding a double quote.
    pub quoted_names: u64,
}

/// Reads a file's data lines (header skipped) as tab-separated fields of bytes.
fn for_rows(path: &Path, mut f: impl FnMut(&[&[u8]])) -> std::io::Result<()> {
    let mut reader = BufReader::with_capacity(1 << 20, File::open(path)?);
    let mut line = Vec::new();
    let mut first = true;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        if std::mem::take(&mut first) {
            continue;
        }
        let text = line.strip_suffix(b"\n").unwrap_or(&line);
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        if text.is_empty() {
            continue;
        }
        let fields: Vec<&[u8]> = text.split(|&b| b == b'\t').collect();
        f(&fields);
    }
}

fn num(field: &[u8]) -> u64 {
    std::str::from_utf8(field)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0)
}

/// The value at quantile `q` of sorted values.
fn quantile(sorted: &[u64], q: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    sorted[((q * sorted.len() as f64) as usize).min(sorted.len() - 1)]
}

/// The `(user, friend)` rows of a friendships file.
type FriendshipRows = FxHashSet<(u32, u32)>;

fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    let (mut i, mut j, mut both) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - both;
    if union == 0 {
        0.0
    } else {
        both as f64 / union as f64
    }
}

impl Shape {
    /// Measures the dataset in `dir`.
    pub fn measure(dir: &Path) -> std::io::Result<Self> {
        let mut s = Shape::default();
        let artist_ids = s.measure_catalogue(dir)?;
        let lists = s.measure_listens(dir)?;
        let taggers = s.measure_tagging(dir, &artist_ids, &lists)?;
        let (befriended, rows) = s.measure_friendships(dir)?;
        let mut users: Vec<u32> = lists
            .keys()
            .chain(&taggers)
            .chain(&befriended)
            .copied()
            .collect();
        users.sort_unstable();
        users.dedup();
        s.users = users.len() as u64;
        s.measure_taste(&users, &lists, &rows);
        Ok(s)
    }

    /// Artists (ids, quoted names) and tags (ids, lines not in UTF-8); the artist ids.
    fn measure_catalogue(&mut self, dir: &Path) -> std::io::Result<FxHashSet<u64>> {
        let mut artist_ids: FxHashSet<u64> = FxHashSet::default();
        for_rows(&dir.join("artists.dat"), |f| {
            artist_ids.insert(num(f[0]));
            if f.get(1).is_some_and(|n| n.contains(&b'"')) {
                self.quoted_names += 1;
            }
        })?;
        self.artists = artist_ids.len() as u64;
        let mut tags = 0u64;
        for_rows(&dir.join("tags.dat"), |f| {
            tags += 1;
            if f.iter().any(|x| std::str::from_utf8(x).is_err()) {
                self.latin1_tag_lines += 1;
            }
        })?;
        self.tags = tags;
        Ok(artist_ids)
    }

    /// Listens: list lengths, popularity, play counts; each user's artists, sorted.
    fn measure_listens(&mut self, dir: &Path) -> std::io::Result<FxHashMap<u32, Vec<u32>>> {
        let mut lists: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        let mut listeners: FxHashMap<u32, u64> = FxHashMap::default();
        let mut weights: Vec<u64> = Vec::new();
        for_rows(&dir.join("user_artists.dat"), |f| {
            let (u, a) = (num(f[0]) as u32, num(f[1]) as u32);
            lists.entry(u).or_default().push(a);
            *listeners.entry(a).or_default() += 1;
            weights.push(num(f[2]));
        })?;
        self.listens = weights.len() as u64;
        for list in lists.values_mut() {
            list.sort_unstable();
        }
        self.full_lists =
            lists.values().filter(|l| l.len() == 50).count() as f64 / lists.len().max(1) as f64;
        self.longest_list = lists.values().map(|l| l.len() as u64).max().unwrap_or(0);
        let mut counts: Vec<u64> = listeners.values().copied().collect();
        counts.sort_unstable();
        self.single_listener_artists =
            counts.iter().filter(|&&c| c == 1).count() as f64 / counts.len().max(1) as f64;
        self.listeners_p50_p90_p99_max = [
            quantile(&counts, 0.5),
            quantile(&counts, 0.9),
            quantile(&counts, 0.99),
            counts.last().copied().unwrap_or(0),
        ];
        counts.reverse();
        self.popularity_slope = slope(&counts, 10, 3_000);
        weights.sort_unstable();
        self.weight_p10_p50_p90_p99 = [0.1, 0.5, 0.9, 0.99].map(|q| quantile(&weights, q));
        Ok(lists)
    }

    /// Tag assignments: per user, per pair, per tag, dates; the users who tag.
    fn measure_tagging(
        &mut self,
        dir: &Path,
        artist_ids: &FxHashSet<u64>,
        lists: &FxHashMap<u32, Vec<u32>>,
    ) -> std::io::Result<Vec<u32>> {
        let mut per_user: FxHashMap<u32, u64> = FxHashMap::default();
        let mut pairs: FxHashMap<(u32, u32), u32> = FxHashMap::default();
        let mut tag_uses: FxHashMap<u32, u64> = FxHashMap::default();
        let mut user_tags: FxHashSet<(u32, u32)> = FxHashSet::default();
        let (mut missing, mut day_one) = (0u64, 0u64);
        for_rows(&dir.join("user_taggedartists.dat"), |f| {
            let (u, a, t) = (num(f[0]) as u32, num(f[1]) as u32, num(f[2]) as u32);
            self.tag_assignments += 1;
            *per_user.entry(u).or_default() += 1;
            *pairs.entry((u, a)).or_default() += 1;
            *tag_uses.entry(t).or_default() += 1;
            user_tags.insert((u, t));
            if !artist_ids.contains(&u64::from(a)) {
                missing += 1;
            }
            if num(f[3]) == 1 {
                day_one += 1;
            }
            if num(f[5]) < 1970 {
                self.before_1970 += 1;
            }
        })?;
        let rows = self.tag_assignments.max(1) as f64;
        self.assignments_of_missing_artists = missing as f64 / rows;
        self.day_one = day_one as f64 / rows;
        let mut per: Vec<u64> = per_user.values().copied().collect();
        per.sort_unstable();
        self.assignments_per_user_p50_p90_p99 = [0.5, 0.9, 0.99].map(|q| quantile(&per, q));
        self.tags_per_pair = self.tag_assignments as f64 / pairs.len().max(1) as f64;
        self.tagged_and_listened = pairs
            .keys()
            .filter(|(u, a)| lists.get(u).is_some_and(|l| l.binary_search(a).is_ok()))
            .count() as f64
            / pairs.len().max(1) as f64;
        let mut distinct: FxHashMap<u32, u64> = FxHashMap::default();
        for (u, _) in &user_tags {
            *distinct.entry(*u).or_default() += 1;
        }
        self.max_distinct_tags_per_user = distinct.values().copied().max().unwrap_or(0);
        self.used_tags = tag_uses.len() as f64 / self.tags.max(1) as f64;
        self.single_use_tags =
            tag_uses.values().filter(|&&n| n == 1).count() as f64 / tag_uses.len().max(1) as f64;
        Ok(per_user.into_keys().collect())
    }

    /// Friendships: rows, asymmetry, degrees; the users with friends and the rows.
    fn measure_friendships(&mut self, dir: &Path) -> std::io::Result<(Vec<u32>, FriendshipRows)> {
        let mut friends: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        let mut rows = FriendshipRows::default();
        for_rows(&dir.join("user_friends.dat"), |f| {
            let (u, v) = (num(f[0]) as u32, num(f[1]) as u32);
            self.friendship_rows += 1;
            friends.entry(u).or_default().push(v);
            rows.insert((u, v));
        })?;
        self.asymmetric_friendships = rows
            .iter()
            .filter(|(u, v)| !rows.contains(&(*v, *u)))
            .count() as u64;
        let mut degrees: Vec<u64> = friends.values().map(|f| f.len() as u64).collect();
        degrees.sort_unstable();
        self.degree_p50_p99_max = [
            quantile(&degrees, 0.5),
            quantile(&degrees, 0.99),
            degrees.last().copied().unwrap_or(0),
        ];
        self.mean_degree = self.friendship_rows as f64 / friends.len().max(1) as f64;
        Ok((friends.into_keys().collect(), rows))
    }

    /// Friends against strangers: the mean Jaccard similarity of their artists, on a fixed
    /// sample of at most 20,000 pairs each (a simple LCG: the same on every run).
    fn measure_taste(
        &mut self,
        users: &[u32],
        lists: &FxHashMap<u32, Vec<u32>>,
        rows: &FriendshipRows,
    ) {
        let empty = Vec::new();
        let list = |u: &u32| lists.get(u).unwrap_or(&empty);
        let mut friend_pairs: Vec<(u32, u32)> =
            rows.iter().copied().filter(|(u, v)| u < v).collect();
        friend_pairs.sort_unstable();
        let step = (friend_pairs.len() / 20_000).max(1);
        let sampled: Vec<f64> = friend_pairs
            .iter()
            .step_by(step)
            .map(|(u, v)| jaccard(list(u), list(v)))
            .collect();
        self.friends_jaccard = sampled.iter().sum::<f64>() / sampled.len().max(1) as f64;
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |n: usize| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((x >> 33) as usize) % n
        };
        let strangers: Vec<f64> = (0..20_000)
            .filter_map(|_| {
                let (a, b) = (users[next(users.len())], users[next(users.len())]);
                (a != b).then(|| jaccard(list(&a), list(&b)))
            })
            .collect();
        self.strangers_jaccard = strangers.iter().sum::<f64>() / strangers.len().max(1) as f64;
    }

    /// The statistics as (name, value) rows, for tables.
    pub fn rows(&self) -> Vec<(&'static str, String)> {
        let pct = |x: f64| format!("{:.1} %", 100.0 * x);
        let list = |xs: &[u64]| {
            xs.iter()
                .map(|x| x.to_string())
                .collect::<Vec<_>>()
                .join(" / ")
        };
        vec![
            ("users", self.users.to_string()),
            ("artists (artists.dat)", self.artists.to_string()),
            ("tags (tags.dat)", self.tags.to_string()),
            ("listens (user_artists.dat)", self.listens.to_string()),
            ("tag assignments", self.tag_assignments.to_string()),
            ("friendship rows", self.friendship_rows.to_string()),
            ("users with exactly 50 artists", pct(self.full_lists)),
            ("longest list", self.longest_list.to_string()),
            (
                "artists with one listener",
                pct(self.single_listener_artists),
            ),
            (
                "listeners per artist p50 / p90 / p99 / max",
                list(&self.listeners_p50_p90_p99_max),
            ),
            (
                "popularity slope (ln listeners vs ln rank, ranks 10-3000)",
                format!("{:.2}", self.popularity_slope),
            ),
            (
                "play count p10 / p50 / p90 / p99",
                list(&self.weight_p10_p50_p90_p99),
            ),
            (
                "tag assignments per user p50 / p90 / p99",
                list(&self.assignments_per_user_p50_p90_p99),
            ),
            (
                "tags per tagged (user, artist)",
                format!("{:.2}", self.tags_per_pair),
            ),
            (
                "most distinct tags of one user",
                self.max_distinct_tags_per_user.to_string(),
            ),
            ("tags used at least once", pct(self.used_tags)),
            ("used tags used once", pct(self.single_use_tags)),
            (
                "tagged artists the tagger lists",
                pct(self.tagged_and_listened),
            ),
            (
                "tag assignments naming a missing artist",
                format!("{:.2} %", 100.0 * self.assignments_of_missing_artists),
            ),
            ("tag assignments on day 1", pct(self.day_one)),
            ("tag assignments before 1970", self.before_1970.to_string()),
            (
                "friends per user p50 / p99 / max",
                list(&self.degree_p50_p99_max),
            ),
            ("friends per user, mean", format!("{:.2}", self.mean_degree)),
            (
                "asymmetric friendship rows",
                self.asymmetric_friendships.to_string(),
            ),
            (
                "artist-list Jaccard: friends / strangers",
                format!(
                    "{:.3} / {:.3}",
                    self.friends_jaccard, self.strangers_jaccard
                ),
            ),
            (
                "ISO-8859-1 lines in tags.dat",
                self.latin1_tag_lines.to_string(),
            ),
            (
                "artist names with a double quote",
                self.quoted_names.to_string(),
            ),
        ]
    }
}

/// Least-squares slope of ln(count) against ln(rank) over ranks `from..=to` (1-based).
fn slope(descending: &[u64], from: usize, to: usize) -> f64 {
    let to = to.min(descending.len());
    let points: Vec<(f64, f64)> = (from..=to)
        .filter(|&r| descending[r - 1] > 0)
        .map(|r| ((r as f64).ln(), (descending[r - 1] as f64).ln()))
        .collect();
    if points.len() < 2 {
        return 0.0;
    }
    let n = points.len() as f64;
    let (mx, my) = (
        points.iter().map(|p| p.0).sum::<f64>() / n,
        points.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let cov: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let var: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    cov / var
}

/// A Markdown table of several datasets' shapes, one column each.
pub fn markdown_table(columns: &[(String, Shape)]) -> String {
    let mut rows: HashMap<&str, Vec<String>> = HashMap::new();
    let mut order = Vec::new();
    for (_, shape) in columns {
        for (name, value) in shape.rows() {
            if !rows.contains_key(name) {
                order.push(name);
            }
            rows.entry(name).or_default().push(value);
        }
    }
    let mut out = format!(
        "| statistic | {} |\n|---|{}\n",
        columns
            .iter()
            .map(|c| c.0.as_str())
            .collect::<Vec<_>>()
            .join(" | "),
        "---|".repeat(columns.len())
    );
    for name in order {
        out.push_str(&format!("| {name} | {} |\n", rows[name].join(" | ")));
    }
    out
}
