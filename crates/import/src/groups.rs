//! A quick first pass over a file of user rows (listens, tag assignments, timestamps,
//! friendships): does it list each user's rows together, and where does each user's run of
//! lines start and end? When it does (GroupLens' files and the generator's are ordered by
//! user), the main pass checks duplicates one user at a time, holding one user's keys instead
//! of the whole file's, and reads a user's timestamps when the tag assignments reach that user.

use std::io;
use std::path::Path;

use rustc_hash::FxHashSet;

use crate::parse::user_of;
use crate::read::LineReader;

/// How a file's lines fall into runs of one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UserRuns {
    /// Whether every user's lines form one run. Lines of no user (blank, or whose first field
    /// is not a user id) do not break a run: they cannot hold a stored row.
    pub grouped: bool,
    /// When grouped and asked for: every data line in exactly one run, in file order. A run
    /// of no user comes first when the file starts with lines of no user.
    pub runs: Vec<Run>,
}

/// Consecutive lines of one user, up to the next user's first line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Run {
    /// The user, or `None` for lines before any user's.
    pub user: Option<i64>,
    /// Byte offset of the run's first line.
    pub offset: u64,
    /// Number of the run's first line.
    pub line: u64,
    /// Byte offset just past the run's last line.
    pub end: u64,
}

/// Reads `path` past its header and tells how its lines fall into users' runs; `runs` lists
/// them when `keep_runs` (one entry per user: a few MB at 100x).
pub(crate) fn user_runs(path: &Path, keep_runs: bool) -> io::Result<UserRuns> {
    let mut reader = LineReader::open(path)?;
    reader.next_line()?;
    let mut seen = FxHashSet::default();
    let mut current = None;
    let mut runs: Vec<Run> = Vec::new();
    loop {
        let offset = reader.offset();
        let Some(line) = reader.next_line()? else {
            break;
        };
        let Some(user) = user_of(&line.text) else {
            if keep_runs && runs.is_empty() {
                runs.push(Run {
                    user: None,
                    offset,
                    line: line.number,
                    end: 0,
                });
            }
            continue;
        };
        if current == Some(user) {
            continue;
        }
        if !seen.insert(user) {
            return Ok(UserRuns {
                grouped: false,
                runs: Vec::new(),
            });
        }
        current = Some(user);
        if keep_runs {
            if let Some(last) = runs.last_mut() {
                last.end = offset;
            }
            runs.push(Run {
                user: Some(user),
                offset,
                line: line.number,
                end: 0,
            });
        }
    }
    if let Some(last) = runs.last_mut() {
        last.end = reader.offset();
    }
    Ok(UserRuns {
        grouped: true,
        runs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs_of(bytes: &[u8]) -> UserRuns {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.dat");
        std::fs::write(&path, bytes).unwrap();
        user_runs(&path, true).unwrap()
    }

    #[test]
    fn a_file_ordered_by_user_has_one_run_per_user() {
        let r = runs_of(b"h\r\n2\ta\r\n2\tb\r\n3\ta\r\n");
        assert!(r.grouped);
        let runs: Vec<_> = r.runs.iter().map(|r| (r.user, r.line)).collect();
        assert_eq!(runs, [(Some(2), 2), (Some(3), 4)]);
        assert_eq!((r.runs[0].offset, r.runs[0].end), (3, 13));
        assert_eq!((r.runs[1].offset, r.runs[1].end), (13, 18));
    }

    #[test]
    fn lines_of_no_user_stay_in_the_run_they_follow_or_open_the_file() {
        let r = runs_of(b"h\nx\ta\n2\ta\n\n?\tb\n2\tc\n3\ta\n");
        assert!(r.grouped);
        let runs: Vec<_> = r.runs.iter().map(|r| (r.user, r.line)).collect();
        assert_eq!(runs, [(None, 2), (Some(2), 3), (Some(3), 7)]);
        assert_eq!(r.runs[0].end, r.runs[1].offset);
    }

    #[test]
    fn a_user_who_comes_back_makes_the_file_ungrouped() {
        let r = runs_of(b"h\n2\ta\n3\ta\n2\tb\n");
        assert!(!r.grouped);
        assert!(r.runs.is_empty());
    }

    #[test]
    fn users_need_not_be_in_order() {
        assert!(runs_of(b"h\n9\ta\n2\ta\n5\ta\n").grouped);
    }
}
