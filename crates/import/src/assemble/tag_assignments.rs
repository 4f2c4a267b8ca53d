//! Tag assignments: the dated rows of `user_taggedartists.dat` joined with the exact
//! timestamps of `user_taggedartists-timestamps.dat` (read user by user when both files list
//! each user's rows together, whole otherwise), and the timestamps no dated row took.

use std::collections::hash_map::Entry;

use rustc_hash::FxHashMap as HashMap;

use soundstream_core::TagAssignment;
use soundstream_core::date::utc_date_of_ms;

use super::input::Opened;
use super::sink::Stopped;
use super::{Assembler, Failure, FirstSeen, unknown_artist};
use crate::files;
use crate::groups::Run;
use crate::parse::{DatedAssignment, TimedAssignment};
use crate::report::FileReport;

/// Counts behind the notes on tag assignments.
#[derive(Debug, Default)]
pub(super) struct AssignmentCounts {
    /// Stored with the midnight of their date, for want of a timestamp.
    derived: u64,
    /// Stored from the timestamps file alone.
    only_timed: u64,
    /// Stored with a date before 1970.
    before_1970: u64,
}

impl AssignmentCounts {
    /// The report's notes on how tag assignments got their timestamps, given whether the
    /// timestamps file was there.
    pub(super) fn notes(&self, timed_present: bool) -> Vec<String> {
        let mut notes = Vec::new();
        if !timed_present {
            notes.push(format!(
                "{} is absent: each tag assignment's timestamp is 00:00 UTC of its day/month/year \
                 (the original timestamps are midnight Madrid time, one or two hours earlier)",
                files::TIMESTAMPS
            ));
        } else {
            if self.derived > 0 {
                notes.push(format!(
                    "{} tag assignments have no row in {}: their timestamp is 00:00 UTC of their date",
                    self.derived,
                    files::TIMESTAMPS
                ));
            }
            if self.only_timed > 0 {
                notes.push(format!(
                    "{} rows of {} have no row in {}: stored with their UTC date",
                    self.only_timed,
                    files::TIMESTAMPS,
                    files::USER_TAGGEDARTISTS
                ));
            }
        }
        if self.before_1970 > 0 {
            notes.push(format!(
                "{} tag assignments are dated before 1970; kept as given (negative timestamps)",
                self.before_1970
            ));
        }
        notes
    }
}

type Triple = (i64, i64, i64);

impl Assembler<'_> {
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
    pub(super) fn tag_assignments(
        &mut self,
        mut dated: Opened<DatedAssignment>,
        timed: Option<Opened<TimedAssignment>>,
    ) -> Result<(FileReport, Option<FileReport>, AssignmentCounts), Failure> {
        let dated_grouped = self.runs(&dated, false)?.grouped;
        let mut timed = self.open_timestamps(timed, dated_grouped)?;
        self.bar.set_message(files::USER_TAGGEDARTISTS);
        let mut counts = AssignmentCounts::default();
        self.dated_rows(&mut dated, &mut timed, dated_grouped, &mut counts)?;
        self.file_done(&dated);
        self.leave_user(&mut timed, &mut counts)?;
        let timed_report = self.timestamps_left(timed, &mut counts)?;
        Ok((dated.parser.finish(), timed_report, counts))
    }

    /// Decides how the timestamps file is read: user by user alongside the dated rows when
    /// both files list each user's rows together, otherwise whole, now.
    fn open_timestamps(
        &mut self,
        timed: Option<Opened<TimedAssignment>>,
        dated_grouped: bool,
    ) -> Result<Timestamps, Failure> {
        Ok(match timed {
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
        })
    }

    /// Stores or rejects each dated row, giving it its exact timestamp when there is one and
    /// the midnight of its date otherwise.
    fn dated_rows(
        &mut self,
        dated: &mut Opened<DatedAssignment>,
        timed: &mut Timestamps,
        dated_grouped: bool,
        counts: &mut AssignmentCounts,
    ) -> Result<(), Failure> {
        let mut first_seen = FirstSeen::new(dated_grouped);
        let mut user = None;
        while let Some((line, parser)) = dated.next_line()? {
            let Some(d) = parser.parse(&line, &mut self.rejected) else {
                continue;
            };
            let number = line.number;
            let text = &line.text;
            self.users.insert(d.user_id);
            if user != Some(d.user_id) {
                self.leave_user(timed, counts)?;
                self.enter_user(timed, d.user_id)?;
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
            self.store_assignment(row, counts)?;
            self.progress(dated, number);
        }
        Ok(())
    }

    /// Timestamps with no dated row, once the dated rows are done: the timestamp alone is the
    /// whole assignment. Returns the timestamps file's report, when there is that file.
    fn timestamps_left(
        &mut self,
        timed: Timestamps,
        counts: &mut AssignmentCounts,
    ) -> Result<Option<FileReport>, Failure> {
        Ok(match timed {
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
                    self.timestamps_alone(alone, counts)?;
                }
                self.file_done(&file);
                Some(file.parser.finish())
            }
            Timestamps::Whole { file, all } => {
                self.timestamps_alone(all, counts)?;
                self.file_done(&file);
                Some(file.parser.finish())
            }
        })
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
