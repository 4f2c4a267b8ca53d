//! From the rows of all files to one consistent dataset, as the files stream by: duplicate
//! keys and references to artists or tags that do not exist are rejected (with file, line and
//! reason), users are created from every id that appears, and tag assignments get their
//! timestamp. Accepted rows leave in batches, table by table, to a [`Sink`] (the database's
//! load, or a [`Dataset`] in memory).
//!
//! Memory does not grow with the rows: the ids of artists, tags and users are kept (a few MB
//! at 100x), and duplicates are looked for among one user's rows at a time, which is exact
//! when a file lists each user's rows together (`groups` checks that first). A file that does
//! not costs a map of its keys, as large as the file's rows.

use std::collections::hash_map::Entry;
use std::hash::Hash;
use std::path::{Path, PathBuf};

// FxHash: the keys are small integers from a file, not attacker-chosen; SipHash costs a
// third of the read time here.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use indicatif::ProgressBar;
use soundstream_core::date::utc_date_of_ms;
use soundstream_core::{Artist, Dataset, Friendship, Listen, Tag, TagAssignment};
use soundstream_store::{LOAD_BATCH_ROWS, LoadBatch};

use crate::groups::{Run, user_runs};
use crate::parse::{self, DatedAssignment, Format, OpenError, Parser, TimedAssignment};
use crate::read::{Line, LineReader};
use crate::report::{FileReport, Rejection, Warning};
use crate::{ImportError, files};

/// Where accepted rows go.
pub(crate) trait Sink {
    /// Takes a batch of one table's rows; fails when the receiver stopped taking them.
    fn write(&mut self, batch: LoadBatch) -> Result<(), Stopped>;
}

/// The sink stopped taking rows (the database failed; its error says why).
#[derive(Debug)]
pub(crate) struct Stopped;

/// Why streaming the dataset stopped.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The files could not be read.
    Import(ImportError),
    /// The sink stopped.
    Stopped,
}

impl From<ImportError> for Failure {
    fn from(e: ImportError) -> Self {
        Failure::Import(e)
    }
}

impl From<Stopped> for Failure {
    fn from(_: Stopped) -> Self {
        Failure::Stopped
    }
}

/// A [`Sink`] that keeps every row: the whole dataset in memory, for callers that want it.
#[derive(Default)]
pub(crate) struct DatasetSink(pub Dataset);

impl Sink for DatasetSink {
    fn write(&mut self, batch: LoadBatch) -> Result<(), Stopped> {
        let ds = &mut self.0;
        match batch {
            LoadBatch::Artists(rows) => ds.artists.extend(rows),
            LoadBatch::Users(rows) => ds.users.extend(rows),
            LoadBatch::Tags(rows) => ds.tags.extend(rows),
            LoadBatch::Listens(rows) => ds.listens.extend(rows),
            LoadBatch::TagAssignments(rows) => ds.tag_assignments.extend(rows),
            LoadBatch::Friendships(rows) => ds.friendships.extend(rows),
        }
        Ok(())
    }
}

impl DatasetSink {
    /// The dataset, every table sorted by its key.
    pub fn into_sorted(self) -> Dataset {
        let mut ds = self.0;
        ds.artists.sort_unstable_by_key(|a| a.id);
        ds.users.sort_unstable();
        ds.tags.sort_unstable_by_key(|t| t.id);
        ds.listens
            .sort_unstable_by_key(|l| (l.user_id, l.artist_id));
        (ds.tag_assignments).sort_unstable_by_key(|a| (a.user_id, a.artist_id, a.tag_id));
        ds.friendships.sort_unstable();
        ds
    }
}

/// A row type of one table, collected into that table's batches.
trait TableRow: Sized {
    fn rows(batch: &mut LoadBatch) -> Option<&mut Vec<Self>>;
    fn batch(rows: Vec<Self>) -> LoadBatch;
}

macro_rules! table_row {
    ($row:ty, $variant:ident) => {
        impl TableRow for $row {
            fn rows(batch: &mut LoadBatch) -> Option<&mut Vec<Self>> {
                match batch {
                    LoadBatch::$variant(rows) => Some(rows),
                    _ => None,
                }
            }
            fn batch(rows: Vec<Self>) -> LoadBatch {
                LoadBatch::$variant(rows)
            }
        }
    };
}
table_row!(Artist, Artists);
table_row!(i64, Users);
table_row!(Tag, Tags);
table_row!(Listen, Listens);
table_row!(TagAssignment, TagAssignments);
table_row!(Friendship, Friendships);

/// Rows collected into batches of one table, sent when full or when another table begins.
struct Batches<'s> {
    sink: &'s mut dyn Sink,
    batch: Option<LoadBatch>,
}

impl Batches<'_> {
    fn push<R: TableRow>(&mut self, row: R) -> Result<(), Stopped> {
        if let Some(rows) = self.batch.as_mut().and_then(R::rows) {
            rows.push(row);
            if rows.len() >= LOAD_BATCH_ROWS {
                self.flush()?;
            }
            return Ok(());
        }
        self.flush()?;
        let mut rows = Vec::with_capacity(LOAD_BATCH_ROWS);
        rows.push(row);
        self.batch = Some(R::batch(rows));
        Ok(())
    }

    fn flush(&mut self) -> Result<(), Stopped> {
        match self.batch.take() {
            Some(batch) => self.sink.write(batch),
            None => Ok(()),
        }
    }
}

/// A file opened, its header checked, its reader at the first data line.
pub(crate) struct Opened<T> {
    path: PathBuf,
    /// Bytes in the file.
    len: u64,
    parser: Parser<T>,
    reader: LineReader<std::io::BufReader<std::fs::File>>,
}

impl<T> Opened<T> {
    /// The next line and the parser to read it with, or a read error naming the file.
    fn next_line(&mut self) -> Result<Option<(Line<'_>, &mut Parser<T>)>, ImportError> {
        let path = &self.path;
        let line = self
            .reader
            .next_line()
            .map_err(|source| ImportError::Read {
                path: path.clone(),
                source,
            })?;
        Ok(line.map(|line| (line, &mut self.parser)))
    }

    fn read_error(&self, source: std::io::Error) -> ImportError {
        ImportError::Read {
            path: self.path.clone(),
            source,
        }
    }
}

/// Every file of the dataset, opened and with its header checked, before anything is read.
pub(crate) struct DatasetFiles {
    dir: PathBuf,
    artists: Opened<Artist>,
    tags: Opened<Tag>,
    listens: Opened<Listen>,
    dated: Opened<DatedAssignment>,
    timed: Option<Opened<TimedAssignment>>,
    friends: Opened<Friendship>,
    /// Bytes of all files, for progress.
    pub bytes: u64,
}

impl DatasetFiles {
    /// Opens the files of `dir`: a missing or unreadable file, or a header that is not the
    /// dataset's, fails here, before any row is read or written.
    pub fn open(dir: &Path) -> Result<Self, ImportError> {
        crate::check_dir(dir)?;
        let timed = match open(dir, parse::TIMED) {
            Ok(timed) => Some(timed),
            Err(OpenError::Open(e)) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(OpenError::Open(source)) => {
                return Err(ImportError::Read {
                    path: dir.join(files::TIMESTAMPS),
                    source,
                });
            }
            Err(OpenError::Import(e)) => return Err(e),
        };
        let files = DatasetFiles {
            dir: dir.to_owned(),
            artists: open_required(dir, parse::ARTISTS)?,
            tags: open_required(dir, parse::TAGS)?,
            listens: open_required(dir, parse::LISTENS)?,
            dated: open_required(dir, parse::DATED)?,
            timed,
            friends: open_required(dir, parse::FRIENDS)?,
            bytes: 0,
        };
        let bytes = [
            files.artists.len,
            files.tags.len,
            files.listens.len,
            files.dated.len,
            files.timed.as_ref().map_or(0, |t| t.len),
            files.friends.len,
        ]
        .iter()
        .sum();
        Ok(DatasetFiles { bytes, ..files })
    }
}

fn open<T>(dir: &Path, format: Format<T>) -> Result<Opened<T>, OpenError> {
    let path = dir.join(format.file);
    let (parser, reader) = Parser::open(dir, format)?;
    let len = std::fs::metadata(&path).map_err(OpenError::Open)?.len();
    Ok(Opened {
        path,
        len,
        parser,
        reader,
    })
}

fn open_required<T>(dir: &Path, format: Format<T>) -> Result<Opened<T>, ImportError> {
    let file = format.file;
    open(dir, format).map_err(|e| match e {
        OpenError::Open(source) => crate::required_error(dir, file, source),
        OpenError::Import(e) => e,
    })
}

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
    let mut a = Assembler {
        out: Batches { sink, batch: None },
        rejected: Vec::new(),
        warnings: Vec::new(),
        artists: HashMap::default(),
        tags: HashMap::default(),
        users: HashSet::default(),
        bar,
        done_bytes: 0,
    };
    let mut reports = vec![a.artists(artists)?, a.tags(tags)?, a.listens(listens)?];
    let timed_present = timed.is_some();
    let (dated_report, timed_report, counts) = a.tag_assignments(dated, timed)?;
    reports.push(dated_report);
    reports.push(timed_report.unwrap_or_else(|| FileReport {
        file: files::TIMESTAMPS.into(),
        ..FileReport::default()
    }));
    reports.push(a.friends(friends)?);

    let mut users: Vec<i64> = a.users.drain().collect();
    users.sort_unstable();
    for &user in &users {
        a.out.push(user)?;
    }
    a.out.flush()?;

    let mut notes = Vec::new();
    if !timed_present {
        notes.push(format!(
            "{} is absent: each tag assignment's timestamp is 00:00 UTC of its day/month/year \
             (the original timestamps are midnight Madrid time, one or two hours earlier)",
            files::TIMESTAMPS
        ));
    } else {
        if counts.derived > 0 {
            notes.push(format!(
                "{} tag assignments have no row in {}: their timestamp is 00:00 UTC of their date",
                counts.derived,
                files::TIMESTAMPS
            ));
        }
        if counts.only_timed > 0 {
            notes.push(format!(
                "{} rows of {} have no row in {}: stored with their UTC date",
                counts.only_timed,
                files::TIMESTAMPS,
                files::USER_TAGGEDARTISTS
            ));
        }
    }
    if counts.before_1970 > 0 {
        notes.push(format!(
            "{} tag assignments are dated before 1970; kept as given (negative timestamps)",
            counts.before_1970
        ));
    }
    notes.push(format!(
        "{} users created from every user id in {}, {} and {} (the dataset has no users file)",
        users.len(),
        files::USER_ARTISTS,
        files::USER_TAGGEDARTISTS,
        files::USER_FRIENDS
    ));

    let mut rejected = a.rejected;
    fill_contents(&dir, &mut rejected)?;
    rejected.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
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
    Ok(Findings {
        files: reports,
        rejected,
        warnings: a.warnings,
        notes,
    })
}

/// Counts behind the notes on tag assignments.
#[derive(Debug, Default)]
struct AssignmentCounts {
    /// Stored with the midnight of their date, for want of a timestamp.
    derived: u64,
    /// Stored from the timestamps file alone.
    only_timed: u64,
    /// Stored with a date before 1970.
    before_1970: u64,
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

type Triple = (i64, i64, i64);

impl Assembler<'_> {
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

    fn check_refs(&self, artist_id: i64, tag_id: i64) -> Result<(), (&'static str, String)> {
        if !self.artists.contains_key(&artist_id) {
            Err(("unknown_artist", unknown_artist(artist_id)))
        } else if !self.tags.contains_key(&tag_id) {
            Err(("unknown_tag", format!("tag {tag_id} is not in tags.dat")))
        } else {
            Ok(())
        }
    }

    fn store_assignment(
        &mut self,
        row: TagAssignment,
        counts: &mut AssignmentCounts,
    ) -> Result<(), Stopped> {
        if row.timestamp < 0 {
            counts.before_1970 += 1;
        }
        self.out.push(row)
    }

    /// Tag assignments: the dated rows, each with its exact timestamp when the timestamps
    /// file has one (consumed even when the dated row is rejected, so it is not reported
    /// twice), then the timestamps no dated row took, as assignments of their own.
    fn tag_assignments(
        &mut self,
        mut dated: Opened<DatedAssignment>,
        timed: Option<Opened<TimedAssignment>>,
    ) -> Result<(FileReport, Option<FileReport>, AssignmentCounts), Failure> {
        let dated_grouped = self.runs(&dated, false)?.grouped;
        let mut timed = match timed {
            None => Timestamps::Absent,
            Some(file) => {
                let runs = self.runs(&file, dated_grouped)?;
                if dated_grouped && runs.grouped {
                    let user_run = (runs.runs.iter().enumerate())
                        .filter_map(|(i, r)| Some((r.user?, i)))
                        .collect();
                    Timestamps::ByUser {
                        file,
                        visited: vec![false; runs.runs.len()],
                        runs: runs.runs,
                        user_run,
                        current: HashMap::default(),
                    }
                } else {
                    self.bar.set_message(files::TIMESTAMPS);
                    let mut file = file;
                    let mut all = HashMap::default();
                    self.read_timestamps(&mut file, None, &mut all)?;
                    Timestamps::Whole { file, all }
                }
            }
        };
        self.bar.set_message(files::USER_TAGGEDARTISTS);
        let mut first_seen = FirstSeen::new(dated_grouped);
        let mut counts = AssignmentCounts::default();
        let mut user = None;
        while let Some((line, parser)) = dated.next_line()? {
            let Some(d) = parser.parse(&line, &mut self.rejected) else {
                continue;
            };
            let number = line.number;
            let text = &line.text;
            self.users.insert(d.user_id);
            if user != Some(d.user_id) {
                self.leave_user(&mut timed, &mut counts)?;
                self.enter_user(&mut timed, d.user_id)?;
                user = Some(d.user_id);
            }
            let key = (d.user_id, d.artist_id, d.tag_id);
            let timestamp = timed.take(&key);
            if let Err((kind, reason)) = self.check_refs(d.artist_id, d.tag_id) {
                self.reject(files::USER_TAGGEDARTISTS, number, kind, reason, text);
                continue;
            }
            if let Some(first) = first_seen.first(d.user_id, (d.artist_id, d.tag_id), number) {
                let reason = format!(
                    "user {} already tagged artist {} with tag {} on line {first}",
                    d.user_id, d.artist_id, d.tag_id
                );
                self.reject(files::USER_TAGGEDARTISTS, number, "duplicate", reason, text);
                continue;
            }
            let timestamp = timestamp.map_or_else(
                || {
                    counts.derived += 1;
                    d.midnight_ms
                },
                |(_, ts)| ts,
            );
            let row = TagAssignment {
                user_id: d.user_id,
                artist_id: d.artist_id,
                tag_id: d.tag_id,
                timestamp,
                day: d.day,
                month: d.month,
                year: d.year,
            };
            self.store_assignment(row, &mut counts)?;
            self.progress(&dated, number);
        }
        self.file_done(&dated);
        self.leave_user(&mut timed, &mut counts)?;

        // Timestamps with no dated row: the timestamp alone is the whole assignment.
        let timed_report = match timed {
            Timestamps::Absent => None,
            Timestamps::ByUser {
                mut file,
                runs,
                visited,
                ..
            } => {
                self.bar.set_message(files::TIMESTAMPS);
                for (run, _) in runs.iter().zip(visited).filter(|&(_, seen)| !seen) {
                    let mut alone = HashMap::default();
                    self.read_timestamps(&mut file, Some(run), &mut alone)?;
                    self.timestamps_alone(alone, &mut counts)?;
                }
                self.file_done(&file);
                Some(file.parser.finish())
            }
            Timestamps::Whole { file, all } => {
                self.timestamps_alone(all, &mut counts)?;
                self.file_done(&file);
                Some(file.parser.finish())
            }
        };
        Ok((dated.parser.finish(), timed_report, counts))
    }

    /// Reads the timestamps of one run (or of the whole file) into `into`, keyed by tag
    /// assignment; the second timestamp of an assignment is rejected.
    fn read_timestamps(
        &mut self,
        file: &mut Opened<TimedAssignment>,
        run: Option<&Run>,
        into: &mut HashMap<Triple, (u64, i64)>,
    ) -> Result<(), Failure> {
        let end = match run {
            Some(run) => {
                (file.reader)
                    .seek(run.offset, run.line)
                    .map_err(|e| file.read_error(e))?;
                run.end
            }
            None => u64::MAX,
        };
        while file.reader.offset() < end {
            let Some((line, parser)) = file.next_line()? else {
                break;
            };
            let Some(t) = parser.parse(&line, &mut self.rejected) else {
                continue;
            };
            self.users.insert(t.user_id);
            match into.entry((t.user_id, t.artist_id, t.tag_id)) {
                Entry::Occupied(first) => {
                    let reason = format!(
                        "this tag assignment already has a timestamp on line {}",
                        first.get().0
                    );
                    self.reject(
                        files::TIMESTAMPS,
                        line.number,
                        "duplicate",
                        reason,
                        &line.text,
                    );
                }
                Entry::Vacant(slot) => {
                    slot.insert((line.number, t.timestamp));
                }
            }
        }
        Ok(())
    }

    /// The dated rows reach `user`: read that user's timestamps, when they come by user.
    fn enter_user(&mut self, timed: &mut Timestamps, user: i64) -> Result<(), Failure> {
        if let Timestamps::ByUser {
            file,
            runs,
            user_run,
            visited,
            current,
        } = timed
            && let Some(&i) = user_run.get(&user)
        {
            visited[i] = true;
            self.read_timestamps(file, Some(&runs[i]), current)?;
            self.bar.set_message(files::USER_TAGGEDARTISTS);
        }
        Ok(())
    }

    /// The dated rows leave a user: the timestamps they did not take are assignments alone.
    fn leave_user(
        &mut self,
        timed: &mut Timestamps,
        counts: &mut AssignmentCounts,
    ) -> Result<(), Failure> {
        if let Timestamps::ByUser { current, .. } = timed
            && !current.is_empty()
        {
            let left = std::mem::take(current);
            self.timestamps_alone(left, counts)?;
        }
        Ok(())
    }

    /// Stores timestamps no dated row took (or rejects them), in file order.
    fn timestamps_alone(
        &mut self,
        alone: HashMap<Triple, (u64, i64)>,
        counts: &mut AssignmentCounts,
    ) -> Result<(), Failure> {
        let mut alone: Vec<_> = alone.into_iter().collect();
        alone.sort_unstable_by_key(|(_, (line, _))| *line);
        for ((user_id, artist_id, tag_id), (line, timestamp)) in alone {
            if let Err((kind, reason)) = self.check_refs(artist_id, tag_id) {
                self.reject(files::TIMESTAMPS, line, kind, reason, "");
                continue;
            }
            let Some((day, month, year)) = utc_date_of_ms(timestamp) else {
                let reason = format!("timestamp {timestamp} is outside the calendar");
                self.reject(files::TIMESTAMPS, line, "invalid_timestamp", reason, "");
                continue;
            };
            counts.only_timed += 1;
            let row = TagAssignment {
                user_id,
                artist_id,
                tag_id,
                timestamp,
                day,
                month,
                year,
            };
            self.store_assignment(row, counts)?;
        }
        Ok(())
    }
}

/// Where the exact timestamps of tag assignments come from.
enum Timestamps {
    /// There is no timestamps file.
    Absent,
    /// Both files list each user's rows together: a user's timestamps are read when the
    /// dated rows reach that user, and only theirs are held.
    ByUser {
        file: Opened<TimedAssignment>,
        runs: Vec<Run>,
        /// The run of each user.
        user_run: HashMap<i64, usize>,
        /// Runs already read.
        visited: Vec<bool>,
        /// The current user's timestamps that no dated row took yet.
        current: HashMap<Triple, (u64, i64)>,
    },
    /// Otherwise: every timestamp, read first.
    Whole {
        file: Opened<TimedAssignment>,
        all: HashMap<Triple, (u64, i64)>,
    },
}

impl Timestamps {
    /// The line and timestamp of an assignment, taken so no other row takes it.
    fn take(&mut self, key: &Triple) -> Option<(u64, i64)> {
        match self {
            Timestamps::Absent => None,
            Timestamps::ByUser { current, .. } => current.remove(key),
            Timestamps::Whole { all, .. } => all.remove(key),
        }
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
