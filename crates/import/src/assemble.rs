//! From the rows of all files to one consistent dataset, as the files stream by: duplicate
//! keys and references to artists or tags that do not exist are rejected (with file, line and
//! reason), users are created from every id that appears, and tag assignments get their
//! timestamp. Accepted rows leave in batches, table by table, to a [`Sink`] (the database's
//! load, or a [`Dataset`](soundstream_core::Dataset) in memory).
//!
//! Memory does not grow with the rows: the ids of artists, tags and users are kept (a few MB
//! at 100x), and duplicates are looked for among one user's rows at a time, which is exact
//! when a file lists each user's rows together (`groups` checks that first). A file that does
//! not costs a map of its keys, as large as the file's rows.
//!
//! This module reads the files in order and rejects what crosses them; `input` opens the
//! files, `sink` batches the accepted rows, and `tag_assignments` joins the two files of tag
//! assignments.

mod input;
mod sink;
mod tag_assignments;

use std::collections::hash_map::Entry;
use std::hash::Hash;
use std::path::Path;

// FxHash: the keys are small integers from a file, not attacker-chosen; SipHash costs a
// third of the read time here.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use indicatif::ProgressBar;
use soundstream_core::{Artist, Friendship, Listen, Tag};

pub(crate) use self::input::DatasetFiles;
use self::input::Opened;
use self::sink::Batches;
pub(crate) use self::sink::{DatasetSink, Failure, Sink, Stopped};
use crate::groups::user_runs;
use crate::parse;
use crate::read::LineReader;
use crate::report::{FileReport, Rejection, Warning};
use crate::{ImportError, files};

/// What reading the dataset found, besides the rows.
#[derive(Debug)]
pub(crate) struct Findings {
    /// One entry per dataset file, in reading order.
    pub files: Vec<FileReport>,
    /// Every row not stored, sorted by file and line.
    pub rejected: Vec<Rejection>,
    /// Rows stored as given that the API would not accept as they are (unusual names).
    pub warnings: Vec<Warning>,
    /// Decisions the reader made.
    pub notes: Vec<String>,
}

/// Lines read between two progress updates.
const PROGRESS_LINES: u64 = 4096;

/// Reads every file of the dataset once (and the files of user rows once more, quickly, to
/// see how they are ordered), sending the rows to store to `sink` as they are read.
pub(crate) fn stream(
    files: DatasetFiles,
    sink: &mut dyn Sink,
    bar: &ProgressBar,
) -> Result<Findings, Failure> {
    let DatasetFiles {
        dir,
        artists,
        tags,
        listens,
        dated,
        timed,
        friends,
        bytes: _,
    } = files;
    let mut a = Assembler::new(sink, bar);
    let mut reports = vec![a.artists(artists)?, a.tags(tags)?, a.listens(listens)?];
    let timed_present = timed.is_some();
    let (dated_report, timed_report, counts) = a.tag_assignments(dated, timed)?;
    reports.push(dated_report);
    reports.push(timed_report.unwrap_or_else(|| FileReport {
        file: files::TIMESTAMPS.into(),
        ..FileReport::default()
    }));
    reports.push(a.friends(friends)?);
    let users = a.store_users()?;

    let mut notes = counts.notes(timed_present);
    notes.push(format!(
        "{users} users created from every user id in {}, {} and {} (the dataset has no users file)",
        files::USER_ARTISTS,
        files::USER_TAGGEDARTISTS,
        files::USER_FRIENDS
    ));
    let mut rejected = a.rejected;
    fill_contents(&dir, &mut rejected)?;
    rejected.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    settle_reports(&mut reports, &rejected, &mut notes);
    Ok(Findings {
        files: reports,
        rejected,
        warnings: a.warnings,
        notes,
    })
}

/// Completes each file's report from the sorted rejections (rows rejected, rows stored), and
/// notes the files some of whose lines were read as ISO-8859-1.
fn settle_reports(reports: &mut [FileReport], rejected: &[Rejection], notes: &mut Vec<String>) {
    for report in reports {
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
}

/// The state carried from file to file.
struct Assembler<'s> {
    out: Batches<'s>,
    rejected: Vec<Rejection>,
    warnings: Vec<Warning>,
    /// Artist ids, with the line that defined each.
    artists: HashMap<i64, u64>,
    /// Tag ids, with the line that defined each.
    tags: HashMap<i64, u64>,
    /// Every user id seen in a readable row.
    users: HashSet<i64>,
    bar: &'s ProgressBar,
    /// Bytes of the files already read whole.
    done_bytes: u64,
}

impl<'s> Assembler<'s> {
    /// Nothing read yet: rows will go to `sink`, progress to `bar`.
    fn new(sink: &'s mut dyn Sink, bar: &'s ProgressBar) -> Self {
        Assembler {
            out: Batches::new(sink),
            rejected: Vec::new(),
            warnings: Vec::new(),
            artists: HashMap::default(),
            tags: HashMap::default(),
            users: HashSet::default(),
            bar,
            done_bytes: 0,
        }
    }

    /// Stores every user id seen in any file, in id order, and sends the last batch; returns
    /// how many users there are.
    fn store_users(&mut self) -> Result<usize, Stopped> {
        let mut users: Vec<i64> = self.users.drain().collect();
        users.sort_unstable();
        for &user in &users {
            self.out.push(user)?;
        }
        self.out.flush()?;
        Ok(users.len())
    }

    fn reject(&mut self, file: &str, line: u64, kind: &'static str, reason: String, text: &str) {
        self.rejected.push(Rejection {
            file: file.to_owned(),
            line,
            kind,
            reason,
            // Empty when the line is no longer at hand: filled in at the end.
            content: parse::truncate(text),
        });
    }

    /// Reports a name the API would not accept as it is (see `soundstream_core::name`): the
    /// data is kept as given.
    fn warn_unusual(&mut self, file: &str, line: u64, what: &str, name: &str) {
        if let Some(reason) = soundstream_core::name::unusual(name) {
            self.warnings.push(Warning {
                file: file.to_owned(),
                line,
                kind: "unusual_name",
                reason: format!("the {what} {reason}"),
                content: parse::truncate(&soundstream_core::name::escaped(name)),
            });
        }
    }

    fn progress<T>(&self, file: &Opened<T>, line: u64) {
        if line.is_multiple_of(PROGRESS_LINES) {
            self.bar
                .set_position(self.done_bytes + file.reader.offset());
        }
    }

    fn file_done<T>(&mut self, file: &Opened<T>) {
        self.done_bytes += file.len;
        self.bar.set_position(self.done_bytes);
    }

    /// The first pass over a file of user rows: how its users' rows are ordered.
    fn runs<T>(
        &self,
        file: &Opened<T>,
        keep_runs: bool,
    ) -> Result<crate::groups::UserRuns, ImportError> {
        self.bar
            .set_message(format!("{} (order)", file.parser.file()));
        let runs = user_runs(&file.path, keep_runs).map_err(|e| file.read_error(e))?;
        self.bar.set_message(file.parser.file());
        Ok(runs)
    }

    fn artists(&mut self, mut file: Opened<Artist>) -> Result<FileReport, Failure> {
        self.bar.set_message(files::ARTISTS);
        while let Some((line, parser)) = file.next_line()? {
            let Some(a) = parser.parse(&line, &mut self.rejected) else {
                continue;
            };
            match self.artists.entry(a.id) {
                Entry::Occupied(first) => {
                    let reason = format!(
                        "artist id {} is already defined on line {}",
                        a.id,
                        first.get()
                    );
                    self.reject(
                        files::ARTISTS,
                        line.number,
                        "duplicate_id",
                        reason,
                        &line.text,
                    );
                }
                Entry::Vacant(slot) => {
                    slot.insert(line.number);
                    self.warn_unusual(files::ARTISTS, line.number, "artist name", &a.name);
                    self.out.push(a)?;
                }
            }
            let number = line.number;
            self.progress(&file, number);
        }
        self.file_done(&file);
        Ok(file.parser.finish())
    }

    fn tags(&mut self, mut file: Opened<Tag>) -> Result<FileReport, Failure> {
        self.bar.set_message(files::TAGS);
        let mut value_line: HashMap<String, (u64, i64)> = HashMap::default();
        while let Some((line, parser)) = file.next_line()? {
            let Some(t) = parser.parse(&line, &mut self.rejected) else {
                continue;
            };
            let rejection = if let Some(first) = self.tags.get(&t.id) {
                Some((
                    "duplicate_id",
                    format!("tag id {} is already defined on line {first}", t.id),
                ))
            } else if let Some((first, id)) = value_line.get(t.value.as_str()) {
                Some((
                    "duplicate_value",
                    format!("tag value '{}' is already tag {id} (line {first})", t.value),
                ))
            } else {
                None
            };
            match rejection {
                Some((kind, reason)) => {
                    self.reject(files::TAGS, line.number, kind, reason, &line.text);
                }
                None => {
                    self.tags.insert(t.id, line.number);
                    self.warn_unusual(files::TAGS, line.number, "tag value", &t.value);
                    value_line.insert(t.value.clone(), (line.number, t.id));
                    self.out.push(t)?;
                }
            }
        }
        self.file_done(&file);
        Ok(file.parser.finish())
    }

    fn listens(&mut self, mut file: Opened<Listen>) -> Result<FileReport, Failure> {
        let mut first_seen = FirstSeen::new(self.runs(&file, false)?.grouped);
        while let Some((line, parser)) = file.next_line()? {
            let Some(l) = parser.parse(&line, &mut self.rejected) else {
                continue;
            };
            self.users.insert(l.user_id);
            let rejection = if !self.artists.contains_key(&l.artist_id) {
                Some(("unknown_artist", unknown_artist(l.artist_id)))
            } else {
                first_seen
                    .first(l.user_id, l.artist_id, line.number)
                    .map(|first| {
                        (
                            "duplicate",
                            format!(
                                "user {} and artist {} already have a weight on line {first}",
                                l.user_id, l.artist_id
                            ),
                        )
                    })
            };
            let number = line.number;
            match rejection {
                Some((kind, reason)) => {
                    self.reject(files::USER_ARTISTS, number, kind, reason, &line.text);
                }
                None => self.out.push(l)?,
            }
            self.progress(&file, number);
        }
        self.file_done(&file);
        Ok(file.parser.finish())
    }

    fn friends(&mut self, mut file: Opened<Friendship>) -> Result<FileReport, Failure> {
        let mut first_seen = FirstSeen::new(self.runs(&file, false)?.grouped);
        while let Some((line, parser)) = file.next_line()? {
            let Some(f) = parser.parse(&line, &mut self.rejected) else {
                continue;
            };
            self.users.insert(f.user_id);
            self.users.insert(f.friend_id);
            let number = line.number;
            match first_seen.first(f.user_id, f.friend_id, number) {
                Some(first) => {
                    let reason = format!(
                        "user {} already lists friend {} on line {first}",
                        f.user_id, f.friend_id
                    );
                    self.reject(files::USER_FRIENDS, number, "duplicate", reason, &line.text);
                }
                None => self.out.push(f)?,
            }
            self.progress(&file, number);
        }
        self.file_done(&file);
        Ok(file.parser.finish())
    }
}

/// The line where each key of a file was first stored, to reject later rows with that key.
/// Every key starts with a user: when the file lists each user's rows together, only the
/// current user's keys are kept.
struct FirstSeen<K> {
    per_user: bool,
    user: Option<i64>,
    lines: HashMap<(i64, K), u64>,
}

/// Keys kept for one user beyond which the map is dropped rather than cleared: clearing
/// costs its capacity, and one prolific user must not slow every user after them.
const USER_KEYS_KEPT: usize = 4096;

impl<K: Hash + Eq> FirstSeen<K> {
    fn new(per_user: bool) -> Self {
        Self {
            per_user,
            user: None,
            lines: HashMap::default(),
        }
    }

    /// Notes that `(user, key)` is stored from `line`, or returns the line it already was.
    fn first(&mut self, user: i64, key: K, line: u64) -> Option<u64> {
        if self.per_user && self.user != Some(user) {
            self.user = Some(user);
            if self.lines.capacity() > USER_KEYS_KEPT {
                self.lines = HashMap::default();
            } else {
                self.lines.clear();
            }
        }
        match self.lines.entry((user, key)) {
            Entry::Occupied(first) => Some(*first.get()),
            Entry::Vacant(slot) => {
                slot.insert(line);
                None
            }
        }
    }
}

fn unknown_artist(id: i64) -> String {
    format!("artist {id} is not in artists.dat")
}

/// Fills the `content` of rejections whose line was no longer at hand when they were made,
/// reading those files once more for just those lines.
fn fill_contents(dir: &Path, rejected: &mut [Rejection]) -> Result<(), ImportError> {
    let mut wanted: std::collections::BTreeMap<String, HashSet<u64>> = Default::default();
    for r in rejected.iter().filter(|r| r.content.is_empty()) {
        wanted.entry(r.file.clone()).or_default().insert(r.line);
    }
    for (file, lines) in wanted {
        let path = dir.join(&file);
        let read_error = |source| ImportError::Read {
            path: path.clone(),
            source,
        };
        let mut reader = LineReader::open(&path).map_err(read_error)?;
        let mut texts: HashMap<u64, String> = HashMap::default();
        while let Some(line) = reader.next_line().map_err(read_error)? {
            if lines.contains(&line.number) {
                texts.insert(line.number, parse::truncate(&line.text));
            }
        }
        for r in rejected
            .iter_mut()
            .filter(|r| r.file == file && r.content.is_empty())
        {
            if let Some(text) = texts.get(&r.line) {
                r.content.clone_from(text);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod oracle;
#[cfg(test)]
mod tests;
