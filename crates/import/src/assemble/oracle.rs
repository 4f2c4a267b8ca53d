//! The importer's previous, whole-in-memory assembly, kept as the oracle of the streaming one:
//! every file parsed whole, then checked across files in one pass. Tests only.
//!
//! One file though over 500 lines: the reference is read as one piece beside the code it
//! checks (its phases split into functions, the statements unchanged).

use std::collections::hash_map::Entry;
use std::path::Path;

use rustc_hash::FxHashMap as HashMap;

use soundstream_core::date::utc_date_of_ms;
use soundstream_core::{Artist, Dataset, Friendship, Listen, Tag, TagAssignment};

use crate::parse::{self, DatedAssignment, Format, OpenError, Parser, TimedAssignment};
use crate::read::LineReader;
use crate::report::{FileReport, Rejection};
use crate::{DatasetRead, files};

/// The typed rows of one file, each with its line number, and the file's reading statistics.
#[derive(Debug)]
pub(crate) struct Parsed<T> {
    pub rows: Vec<(u64, T)>,
    pub report: FileReport,
}

/// The parsed content of every file of the dataset.
#[derive(Debug)]
pub(crate) struct ParsedFiles {
    pub artists: Parsed<Artist>,
    pub tags: Parsed<Tag>,
    pub listens: Parsed<Listen>,
    pub dated: Parsed<DatedAssignment>,
    pub timed: Option<Parsed<TimedAssignment>>,
    pub friends: Parsed<Friendship>,
}

/// Collects rejections; their `content` is filled in later from the file's bytes.
struct Rejections<'a>(&'a mut Vec<Rejection>);

impl Rejections<'_> {
    fn push(&mut self, file: &str, line: u64, kind: &'static str, reason: String) {
        self.0.push(Rejection {
            file: file.to_owned(),
            line,
            kind,
            reason,
            content: String::new(),
        });
    }
}

fn parse_whole<T>(
    dir: &Path,
    format: Format<T>,
    rejected: &mut Vec<Rejection>,
) -> Option<Parsed<T>> {
    let (mut parser, mut reader) = match Parser::open(dir, format) {
        Ok(opened) => opened,
        Err(OpenError::Open(e)) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(OpenError::Open(e)) => panic!("{e}"),
        Err(OpenError::Import(e)) => panic!("{e}"),
    };
    let mut rows = Vec::new();
    while let Some(line) = reader.next_line().unwrap() {
        if let Some(row) = parser.parse(&line, rejected) {
            rows.push((line.number, row));
        }
    }
    Some(Parsed {
        rows,
        report: parser.finish(),
    })
}

/// What `read_dataset` returned before the import streamed.
pub(crate) fn read_dataset(dir: &Path) -> DatasetRead {
    let mut rejected = Vec::new();
    let r = &mut rejected;
    let parsed = ParsedFiles {
        artists: parse_whole(dir, parse::ARTISTS, r).unwrap(),
        tags: parse_whole(dir, parse::TAGS, r).unwrap(),
        listens: parse_whole(dir, parse::LISTENS, r).unwrap(),
        dated: parse_whole(dir, parse::DATED, r).unwrap(),
        timed: parse_whole(dir, parse::TIMED, r),
        friends: parse_whole(dir, parse::FRIENDS, r).unwrap(),
    };
    let mut notes = Vec::new();
    let dataset = assemble(&parsed, &mut rejected, &mut notes);
    for r in rejected.iter_mut().filter(|r| r.content.is_empty()) {
        let bytes = std::fs::read(dir.join(&r.file)).unwrap();
        let mut lines = LineReader::new(&bytes[..]);
        while let Some(line) = lines.next_line().unwrap() {
            if line.number == r.line {
                r.content = parse::truncate(&line.text);
            }
        }
    }
    rejected.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));

    let mut reports = vec![
        parsed.artists.report,
        parsed.tags.report,
        parsed.listens.report,
        parsed.dated.report,
    ];
    reports.push(parsed.timed.map_or_else(
        || FileReport {
            file: files::TIMESTAMPS.into(),
            ..FileReport::default()
        },
        |t| t.report,
    ));
    reports.push(parsed.friends.report);
    for report in &mut reports {
        report.rejected = rejected.iter().filter(|r| r.file == report.file).count() as u64;
        report.stored = report.rows - report.rejected;
        if let Some(first) = report.transcoded_lines.first() {
            notes.push(format!(
                "{}: {} lines are not UTF-8 and were read as ISO-8859-1 (first: line {first})",
                report.file,
                report.transcoded_lines.len()
            ));
        }
    }
    DatasetRead {
        dataset,
        files: reports,
        rejected,
        // Unusual names were reported after this assembly was replaced; the comparison
        // leaves them out.
        warnings: Vec::new(),
        notes,
    }
}

type Triple = (i64, i64, i64);

/// The line each artist and tag id was first defined on: what later files' references are
/// checked against.
struct Known {
    artist_line: HashMap<i64, u64>,
    tag_line: HashMap<i64, u64>,
}

impl Known {
    /// Why a row naming this artist and tag is rejected, if it is.
    fn check_refs(&self, artist_id: i64, tag_id: i64) -> Result<(), (&'static str, String)> {
        if !self.artist_line.contains_key(&artist_id) {
            Err(("unknown_artist", unknown_artist(artist_id)))
        } else if !self.tag_line.contains_key(&tag_id) {
            Err(("unknown_tag", format!("tag {tag_id} is not in tags.dat")))
        } else {
            Ok(())
        }
    }
}

/// The reference assembly: what the import stored before it streamed, phase by phase, in the
/// order the old code ran them (the streaming assembly is tested against it).
fn assemble(p: &ParsedFiles, rejected: &mut Vec<Rejection>, notes: &mut Vec<String>) -> Dataset {
    let mut reject = Rejections(rejected);
    let mut users = Vec::new();

    let (artist_line, mut artists) = unique_artists(&p.artists.rows, &mut reject);
    let (tag_line, mut tags) = unique_tags(&p.tags.rows, &mut reject);
    let mut listens = unique_listens(&p.listens.rows, &artist_line, &mut reject, &mut users);
    let mut timestamps = timestamps_by_key(p.timed.as_ref(), &mut reject, &mut users);
    let known = Known {
        artist_line,
        tag_line,
    };
    let (mut assignments, derived) = dated_assignments(
        &p.dated.rows,
        &known,
        &mut timestamps,
        &mut reject,
        &mut users,
    );
    let stored_only_timed =
        only_timed_assignments(timestamps, &known, &mut reject, &mut assignments);
    let mut friendships = unique_friendships(&p.friends.rows, &mut reject, &mut users);

    timestamp_notes(p.timed.is_some(), derived, stored_only_timed, notes);
    let before_1970 = assignments.iter().filter(|a| a.timestamp < 0).count();
    if before_1970 > 0 {
        notes.push(format!(
            "{before_1970} tag assignments are dated before 1970; kept as given (negative timestamps)"
        ));
    }
    users.sort_unstable();
    users.dedup();
    notes.push(format!(
        "{} users created from every user id in {}, {} and {} (the dataset has no users file)",
        users.len(),
        files::USER_ARTISTS,
        files::USER_TAGGEDARTISTS,
        files::USER_FRIENDS
    ));

    artists.sort_unstable_by_key(|a| a.id);
    tags.sort_unstable_by_key(|t| t.id);
    listens.sort_unstable_by_key(|l| (l.user_id, l.artist_id));
    assignments.sort_unstable_by_key(|a| (a.user_id, a.artist_id, a.tag_id));
    friendships.sort_unstable();
    Dataset {
        artists,
        users,
        tags,
        listens,
        tag_assignments: assignments,
        friendships,
    }
}

/// The first definition of each artist id (and its line); later ones are rejected.
fn unique_artists(
    rows: &[(u64, Artist)],
    reject: &mut Rejections<'_>,
) -> (HashMap<i64, u64>, Vec<Artist>) {
    let mut artist_line: HashMap<i64, u64> =
        HashMap::with_capacity_and_hasher(rows.len(), Default::default());
    let mut artists = Vec::with_capacity(rows.len());
    for (line, a) in rows {
        match artist_line.entry(a.id) {
            Entry::Occupied(first) => reject.push(
                files::ARTISTS,
                *line,
                "duplicate_id",
                format!(
                    "artist id {} is already defined on line {}",
                    a.id,
                    first.get()
                ),
            ),
            Entry::Vacant(slot) => {
                slot.insert(*line);
                artists.push(a.clone());
            }
        }
    }
    (artist_line, artists)
}

/// The first definition of each tag id and of each tag value (and its line); a row repeating
/// either is rejected.
fn unique_tags(rows: &[(u64, Tag)], reject: &mut Rejections<'_>) -> (HashMap<i64, u64>, Vec<Tag>) {
    let mut tag_line: HashMap<i64, u64> =
        HashMap::with_capacity_and_hasher(rows.len(), Default::default());
    let mut value_line: HashMap<&str, (u64, i64)> =
        HashMap::with_capacity_and_hasher(rows.len(), Default::default());
    let mut tags = Vec::with_capacity(rows.len());
    for (line, t) in rows {
        if let Some(first) = tag_line.get(&t.id) {
            reject.push(
                files::TAGS,
                *line,
                "duplicate_id",
                format!("tag id {} is already defined on line {first}", t.id),
            );
        } else if let Some((first, id)) = value_line.get(t.value.as_str()) {
            reject.push(
                files::TAGS,
                *line,
                "duplicate_value",
                format!("tag value '{}' is already tag {id} (line {first})", t.value),
            );
        } else {
            tag_line.insert(t.id, *line);
            value_line.insert(&t.value, (*line, t.id));
            tags.push(t.clone());
        }
    }
    (tag_line, tags)
}

/// The listens of known artists, the first weight of each (user, artist) pair; every row's
/// user is collected.
fn unique_listens(
    rows: &[(u64, Listen)],
    artist_line: &HashMap<i64, u64>,
    reject: &mut Rejections<'_>,
    users: &mut Vec<i64>,
) -> Vec<Listen> {
    let mut listen_line: HashMap<(i64, i64), u64> =
        HashMap::with_capacity_and_hasher(rows.len(), Default::default());
    let mut listens = Vec::with_capacity(rows.len());
    for (line, l) in rows {
        users.push(l.user_id);
        if !artist_line.contains_key(&l.artist_id) {
            reject.push(
                files::USER_ARTISTS,
                *line,
                "unknown_artist",
                unknown_artist(l.artist_id),
            );
        } else if let Some(first) = listen_line.get(&(l.user_id, l.artist_id)) {
            reject.push(
                files::USER_ARTISTS,
                *line,
                "duplicate",
                format!(
                    "user {} and artist {} already have a weight on line {first}",
                    l.user_id, l.artist_id
                ),
            );
        } else {
            listen_line.insert((l.user_id, l.artist_id), *line);
            listens.push(*l);
        }
    }
    listens
}

/// Timestamps, when the optional file is there, keyed by (user, artist, tag), with their line;
/// every row's user is collected.
fn timestamps_by_key(
    timed: Option<&Parsed<TimedAssignment>>,
    reject: &mut Rejections<'_>,
    users: &mut Vec<i64>,
) -> HashMap<Triple, (u64, i64)> {
    let mut timestamps: HashMap<Triple, (u64, i64)> = HashMap::default();
    if let Some(timed) = timed {
        timestamps.reserve(timed.rows.len());
        for (line, t) in &timed.rows {
            users.push(t.user_id);
            match timestamps.entry((t.user_id, t.artist_id, t.tag_id)) {
                Entry::Occupied(first) => reject.push(
                    files::TIMESTAMPS,
                    *line,
                    "duplicate",
                    format!(
                        "this tag assignment already has a timestamp on line {}",
                        first.get().0
                    ),
                ),
                Entry::Vacant(slot) => {
                    slot.insert((*line, t.timestamp));
                }
            }
        }
    }
    timestamps
}

/// The dated tag assignments of known artists and tags, each with its timestamp (consumed
/// from `timestamps`) or midnight UTC of its date; and how many got the latter.
fn dated_assignments(
    rows: &[(u64, DatedAssignment)],
    known: &Known,
    timestamps: &mut HashMap<Triple, (u64, i64)>,
    reject: &mut Rejections<'_>,
    users: &mut Vec<i64>,
) -> (Vec<TagAssignment>, u64) {
    let mut assignment_line: HashMap<Triple, u64> =
        HashMap::with_capacity_and_hasher(rows.len(), Default::default());
    let mut assignments = Vec::with_capacity(rows.len());
    let mut derived = 0u64;
    for (line, d) in rows {
        users.push(d.user_id);
        let key = (d.user_id, d.artist_id, d.tag_id);
        // Consumed even when the row is rejected, so its timestamp is not reported twice.
        let timed = timestamps.remove(&key);
        if let Err((kind, reason)) = known.check_refs(d.artist_id, d.tag_id) {
            reject.push(files::USER_TAGGEDARTISTS, *line, kind, reason);
            continue;
        }
        if let Some(first) = assignment_line.get(&key) {
            reject.push(
                files::USER_TAGGEDARTISTS,
                *line,
                "duplicate",
                format!(
                    "user {} already tagged artist {} with tag {} on line {first}",
                    d.user_id, d.artist_id, d.tag_id
                ),
            );
            continue;
        }
        assignment_line.insert(key, *line);
        let timestamp = timed.map_or_else(
            || {
                derived += 1;
                d.midnight_ms
            },
            |(_, ts)| ts,
        );
        assignments.push(TagAssignment {
            user_id: d.user_id,
            artist_id: d.artist_id,
            tag_id: d.tag_id,
            timestamp,
            day: d.day,
            month: d.month,
            year: d.year,
        });
    }
    (assignments, derived)
}

/// Timestamps with no dated row: the timestamp alone is the whole assignment, appended to
/// `assignments` in line order. Returns how many were stored.
fn only_timed_assignments(
    timestamps: HashMap<Triple, (u64, i64)>,
    known: &Known,
    reject: &mut Rejections<'_>,
    assignments: &mut Vec<TagAssignment>,
) -> u64 {
    let mut only_timed: Vec<_> = timestamps.into_iter().collect();
    only_timed.sort_unstable_by_key(|(_, (line, _))| *line);
    let mut stored_only_timed = 0;
    for ((user_id, artist_id, tag_id), (line, timestamp)) in only_timed {
        if let Err((kind, reason)) = known.check_refs(artist_id, tag_id) {
            reject.push(files::TIMESTAMPS, line, kind, reason);
            continue;
        }
        let Some((day, month, year)) = utc_date_of_ms(timestamp) else {
            reject.push(
                files::TIMESTAMPS,
                line,
                "invalid_timestamp",
                format!("timestamp {timestamp} is outside the calendar"),
            );
            continue;
        };
        stored_only_timed += 1;
        assignments.push(TagAssignment {
            user_id,
            artist_id,
            tag_id,
            timestamp,
            day,
            month,
            year,
        });
    }
    stored_only_timed
}

/// The first row of each (user, friend) pair; every row's two users are collected.
fn unique_friendships(
    rows: &[(u64, Friendship)],
    reject: &mut Rejections<'_>,
    users: &mut Vec<i64>,
) -> Vec<Friendship> {
    let mut friend_line: HashMap<(i64, i64), u64> =
        HashMap::with_capacity_and_hasher(rows.len(), Default::default());
    let mut friendships = Vec::with_capacity(rows.len());
    for (line, f) in rows {
        users.push(f.user_id);
        users.push(f.friend_id);
        match friend_line.entry((f.user_id, f.friend_id)) {
            Entry::Occupied(first) => reject.push(
                files::USER_FRIENDS,
                *line,
                "duplicate",
                format!(
                    "user {} already lists friend {} on line {}",
                    f.user_id,
                    f.friend_id,
                    first.get()
                ),
            ),
            Entry::Vacant(slot) => {
                slot.insert(*line);
                friendships.push(*f);
            }
        }
    }
    friendships
}

/// The notes on where the tag assignments' timestamps came from.
fn timestamp_notes(
    has_timestamps_file: bool,
    derived: u64,
    stored_only_timed: u64,
    notes: &mut Vec<String>,
) {
    if has_timestamps_file {
        if derived > 0 {
            notes.push(format!(
                "{derived} tag assignments have no row in {}: their timestamp is 00:00 UTC of their date",
                files::TIMESTAMPS
            ));
        }
        if stored_only_timed > 0 {
            notes.push(format!(
                "{stored_only_timed} rows of {} have no row in {}: stored with their UTC date",
                files::TIMESTAMPS,
                files::USER_TAGGEDARTISTS
            ));
        }
    } else {
        notes.push(format!(
            "{} is absent: each tag assignment's timestamp is 00:00 UTC of its day/month/year \
             (the original timestamps are midnight Madrid time, one or two hours earlier)",
            files::TIMESTAMPS
        ));
    }
}

fn unknown_artist(id: i64) -> String {
    format!("artist {id} is not in artists.dat")
}
