//! From the lines of each `.dat` file to typed rows, one line at a time: header check, field
//! count, numbers and dates. Rows that fail are rejections naming file, line and reason; checks
//! that need other files (references, duplicates) belong to `assemble`.

use std::path::Path;

use soundstream_core::date::midnight_utc_ms;
use soundstream_core::{Artist, Friendship, Listen, Tag};

use crate::ImportError;
use crate::read::{Line, LineReader, split_fields};
use crate::report::{FileReport, Rejection};

/// Why a row was not stored: a stable kind and a specific reason.
pub(crate) type RowError = (&'static str, String);

/// The most fields a file of the dataset has.
const MAX_FIELDS: usize = 6;

/// A file of the dataset: its name, header and row parser.
pub(crate) struct Format<T> {
    pub file: &'static str,
    pub header: &'static [&'static str],
    pub parse_row: fn(&[&str]) -> Result<T, RowError>,
}

pub(crate) const ARTISTS: Format<Artist> = Format {
    file: crate::files::ARTISTS,
    header: &["id", "name", "url", "pictureURL"],
    parse_row: artist,
};
pub(crate) const TAGS: Format<Tag> = Format {
    file: crate::files::TAGS,
    header: &["tagID", "tagValue"],
    parse_row: tag,
};
pub(crate) const LISTENS: Format<Listen> = Format {
    file: crate::files::USER_ARTISTS,
    header: &["userID", "artistID", "weight"],
    parse_row: listen,
};
pub(crate) const DATED: Format<DatedAssignment> = Format {
    file: crate::files::USER_TAGGEDARTISTS,
    header: &["userID", "artistID", "tagID", "day", "month", "year"],
    parse_row: dated_assignment,
};
pub(crate) const TIMED: Format<TimedAssignment> = Format {
    file: crate::files::TIMESTAMPS,
    header: &["userID", "artistID", "tagID", "timestamp"],
    parse_row: timed_assignment,
};
pub(crate) const FRIENDS: Format<Friendship> = Format {
    file: crate::files::USER_FRIENDS,
    header: &["userID", "friendID"],
    parse_row: friendship,
};

/// A row of `user_taggedartists.dat`: a tag assignment with its calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DatedAssignment {
    pub user_id: i64,
    pub artist_id: i64,
    pub tag_id: i64,
    pub day: i64,
    pub month: i64,
    pub year: i64,
    /// 00:00 UTC of the date, the timestamp used when no timestamps file gives one.
    pub midnight_ms: i64,
}

/// A row of `user_taggedartists-timestamps.dat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TimedAssignment {
    pub user_id: i64,
    pub artist_id: i64,
    pub tag_id: i64,
    pub timestamp: i64,
}

/// Parses the data lines of one file, in any order and in as many passes as the caller
/// reads them, and keeps the file's statistics for its report.
pub(crate) struct Parser<T> {
    format: Format<T>,
    report: FileReport,
    crlf: u64,
    lf: u64,
    /// Whether the file's last line has no line ending.
    unterminated: bool,
}

impl<T> Parser<T> {
    /// Opens the file in `dir` and checks its header; the reader is left at the first data
    /// line. `NotFound` and other reasons to fail opening are the caller's to name.
    pub fn open(
        dir: &Path,
        format: Format<T>,
    ) -> Result<(Self, LineReader<std::io::BufReader<std::fs::File>>), OpenError> {
        let path = dir.join(format.file);
        let mut reader = LineReader::open(&path).map_err(OpenError::Open)?;
        let mut parser = Parser {
            report: FileReport {
                file: format.file.to_owned(),
                present: true,
                encoding: "UTF-8".into(),
                ..FileReport::default()
            },
            format,
            crlf: 0,
            lf: 0,
            unterminated: false,
        };
        let expected = || parser.format.header.join("\\t");
        let read_error = |source| {
            OpenError::Import(ImportError::Read {
                path: path.clone(),
                source,
            })
        };
        let Some(first) = reader.next_line().map_err(read_error)? else {
            return Err(OpenError::Import(ImportError::BadHeader {
                file: parser.format.file.to_owned(),
                expected: expected(),
                found: "an empty file".into(),
            }));
        };
        let found: Vec<&str> = first.text.split('\t').map(str::trim).collect();
        if found != parser.format.header {
            return Err(OpenError::Import(ImportError::BadHeader {
                file: parser.format.file.to_owned(),
                expected: expected(),
                found: format!("'{}'", first.text.replace('\t', "\\t")),
            }));
        }
        let (crlf, terminated) = (first.crlf, first.terminated);
        parser.count_ending(crlf, terminated);
        Ok((parser, reader))
    }

    /// The file's name.
    pub fn file(&self) -> &'static str {
        self.format.file
    }

    fn count_ending(&mut self, crlf: bool, terminated: bool) {
        if crlf {
            self.crlf += 1;
        } else {
            self.lf += 1;
        }
        self.unterminated |= !terminated;
    }

    /// Parses one data line: its row, or `None` for a blank line or a rejected row (then
    /// pushed to `rejected` with its content).
    pub fn parse(&mut self, line: &Line<'_>, rejected: &mut Vec<Rejection>) -> Option<T> {
        self.count_ending(line.crlf, line.terminated);
        if line.transcoded {
            self.report.encoding = "ISO-8859-1".into();
            self.report.transcoded_lines.push(line.number);
        }
        if line.text.trim().is_empty() {
            self.report.blank_lines += 1;
            return None;
        }
        self.report.rows += 1;
        let header = self.format.header;
        let mut fields = [""; MAX_FIELDS];
        let count = split_fields(&line.text, &mut fields);
        let parsed = if count == header.len() {
            (self.format.parse_row)(&fields[..count])
        } else {
            Err((
                "field_count",
                format!(
                    "expected {} tab-separated fields ({}), found {count}",
                    header.len(),
                    header.join(", "),
                ),
            ))
        };
        match parsed {
            Ok(row) => Some(row),
            Err((kind, reason)) => {
                rejected.push(Rejection {
                    file: self.format.file.to_owned(),
                    line: line.number,
                    kind,
                    reason,
                    content: truncate(&line.text),
                });
                None
            }
        }
    }

    /// The file's report; `stored` and `rejected` are filled in once every file is read.
    pub fn finish(mut self) -> FileReport {
        // Lines may have been read out of order (a file read user by user).
        self.report.transcoded_lines.sort_unstable();
        // The last line may lack its newline; it says nothing about the file's convention.
        self.report.line_endings = match (self.crlf, self.lf) {
            (_, 0) => "CRLF",
            (0, _) => "LF",
            _ if self.unterminated && self.lf == 1 => "CRLF",
            _ => "mixed",
        }
        .into();
        self.report
    }
}

/// Why [`Parser::open`] failed.
#[derive(Debug)]
pub(crate) enum OpenError {
    /// The file could not be opened.
    Open(std::io::Error),
    /// It was opened but could not be read, or its header is not the dataset's.
    Import(ImportError),
}

/// The user a data line belongs to, when its first field is one: how files are grouped. The
/// same parse as the row's own, so a row that is stored always has this user.
pub(crate) fn user_of(text: &str) -> Option<i64> {
    let first = text.split('\t').next().unwrap_or_default();
    id("userID", first).ok()
}

/// A line as shown in a rejection: at most 200 characters.
pub(crate) fn truncate(text: &str) -> String {
    match text.char_indices().nth(200) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_owned(),
    }
}

fn integer(field: &str, value: &str) -> Result<i64, RowError> {
    value.trim().parse::<i64>().map_err(|_| {
        (
            "not_a_number",
            format!("{field} '{value}' is not an integer"),
        )
    })
}

fn id(field: &str, value: &str) -> Result<i64, RowError> {
    let n = integer(field, value)?;
    if n <= 0 {
        return Err(("bad_id", format!("{field} {n} is not a positive id")));
    }
    Ok(n)
}

fn optional(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_owned())
}

pub(crate) fn artist(f: &[&str]) -> Result<Artist, RowError> {
    let id = id("id", f[0])?;
    if f[1].trim().is_empty() {
        return Err(("empty_name", format!("artist {id} has an empty name")));
    }
    Ok(Artist {
        id,
        name: f[1].to_owned(),
        url: optional(f[2]),
        picture_url: optional(f[3]),
    })
}

pub(crate) fn tag(f: &[&str]) -> Result<Tag, RowError> {
    let id = id("tagID", f[0])?;
    if f[1].trim().is_empty() {
        return Err(("empty_tag", format!("tag {id} has an empty value")));
    }
    Ok(Tag {
        id,
        value: f[1].to_owned(),
    })
}

pub(crate) fn listen(f: &[&str]) -> Result<Listen, RowError> {
    let listen = Listen {
        user_id: id("userID", f[0])?,
        artist_id: id("artistID", f[1])?,
        weight: integer("weight", f[2])?,
    };
    if listen.weight < 0 {
        return Err((
            "negative_weight",
            format!("weight {} is negative (a play count)", listen.weight),
        ));
    }
    Ok(listen)
}

pub(crate) fn dated_assignment(f: &[&str]) -> Result<DatedAssignment, RowError> {
    let (day, month, year) = (
        integer("day", f[3])?,
        integer("month", f[4])?,
        integer("year", f[5])?,
    );
    let midnight_ms =
        midnight_utc_ms(day, month, year).map_err(|e| ("invalid_date", e.to_string()))?;
    Ok(DatedAssignment {
        user_id: id("userID", f[0])?,
        artist_id: id("artistID", f[1])?,
        tag_id: id("tagID", f[2])?,
        day,
        month,
        year,
        midnight_ms,
    })
}

pub(crate) fn timed_assignment(f: &[&str]) -> Result<TimedAssignment, RowError> {
    Ok(TimedAssignment {
        user_id: id("userID", f[0])?,
        artist_id: id("artistID", f[1])?,
        tag_id: id("tagID", f[2])?,
        timestamp: integer("timestamp", f[3])?,
    })
}

pub(crate) fn friendship(f: &[&str]) -> Result<Friendship, RowError> {
    let row = Friendship {
        user_id: id("userID", f[0])?,
        friend_id: id("friendID", f[1])?,
    };
    if row.user_id == row.friend_id {
        return Err((
            "self_friendship",
            format!("user {} is listed as their own friend", row.user_id),
        ));
    }
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses every data line of `bytes` as `format`.
    fn parse_all<T>(format: Format<T>, bytes: &[u8]) -> (Vec<T>, FileReport, Vec<Rejection>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(format.file), bytes).unwrap();
        let (mut parser, mut reader) = match Parser::open(dir.path(), format) {
            Ok(opened) => opened,
            Err(OpenError::Import(e)) => panic!("{e}"),
            Err(OpenError::Open(e)) => panic!("{e}"),
        };
        let mut rejected = Vec::new();
        let mut rows = Vec::new();
        while let Some(line) = reader.next_line().unwrap() {
            rows.extend(parser.parse(&line, &mut rejected));
        }
        (rows, parser.finish(), rejected)
    }

    #[test]
    fn an_empty_picture_url_is_stored_as_absent() {
        let (rows, _, rejected) =
            parse_all(ARTISTS, b"id\tname\turl\tpictureURL\n7\tX\thttp://x\t\n");
        assert!(rejected.is_empty());
        assert_eq!(rows[0].picture_url, None);
        assert_eq!(rows[0].url.as_deref(), Some("http://x"));
    }

    #[test]
    fn a_line_with_a_missing_field_is_rejected_with_its_line_number() {
        let (rows, _, rejected) =
            parse_all(ARTISTS, b"id\tname\turl\tpictureURL\n1\tA\tu\tp\n2\tB\tu\n");
        assert_eq!(rows.len(), 1);
        assert_eq!(rejected.len(), 1);
        assert_eq!((rejected[0].line, rejected[0].kind), (3, "field_count"));
        assert!(
            rejected[0].reason.contains("found 3"),
            "{}",
            rejected[0].reason
        );
        assert_eq!(rejected[0].content, "2\tB\tu");
    }

    #[test]
    fn a_line_with_too_many_fields_says_how_many() {
        let (_, _, rejected) = parse_all(TAGS, b"tagID\ttagValue\r\n1\ta\tb\tc\td\te\tf\tg\r\n");
        assert!(rejected[0].reason.ends_with("found 8"), "{:?}", rejected[0]);
    }

    #[test]
    fn a_wrong_header_stops_the_import_with_the_file_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("artists.dat"), b"1\tA\tu\tp\n").unwrap();
        let Err(OpenError::Import(err)) = Parser::open(dir.path(), ARTISTS) else {
            panic!("a wrong header must not open");
        };
        let err = err.to_string();
        assert!(
            err.contains("artists.dat") && err.contains("pictureURL"),
            "{err}"
        );
    }

    #[test]
    fn blank_lines_are_counted_not_rejected() {
        let (_, report, rejected) =
            parse_all(ARTISTS, b"id\tname\turl\tpictureURL\n\n1\tA\tu\tp\n\n");
        assert!(rejected.is_empty());
        assert_eq!((report.rows, report.blank_lines), (1, 2));
    }

    #[test]
    fn line_endings_and_transcoding_are_reported() {
        let (rows, report, _) =
            parse_all(TAGS, b"tagID\ttagValue\r\n1\tmetal\r\n2\tespa\xf1ol\r\n");
        assert_eq!(report.line_endings, "CRLF");
        assert_eq!(report.encoding, "ISO-8859-1");
        assert_eq!(report.transcoded_lines, vec![3]);
        assert_eq!(rows[1].value, "español");
    }

    #[test]
    fn a_crlf_file_whose_last_line_has_no_ending_is_crlf() {
        let (_, report, _) = parse_all(TAGS, b"tagID\ttagValue\r\n1\tmetal\r\n2\trock");
        assert_eq!(report.line_endings, "CRLF");
        let (_, report, _) = parse_all(TAGS, b"tagID\ttagValue\r\n1\tmetal\n2\trock\r\n");
        assert_eq!(report.line_endings, "mixed");
    }

    #[test]
    fn the_user_of_a_line_is_parsed_as_its_row_would_be() {
        assert_eq!(user_of("2\t51\t13883"), Some(2));
        assert_eq!(user_of(" 7 \tx"), Some(7));
        assert_eq!(user_of("0\t1"), None);
        assert_eq!(user_of("x\t1"), None);
        assert_eq!(user_of(""), None);
    }

    #[test]
    fn numbers_must_be_integers_and_ids_positive() {
        assert_eq!(listen(&["2", "51", "abc"]).unwrap_err().0, "not_a_number");
        assert_eq!(listen(&["0", "51", "3"]).unwrap_err().0, "bad_id");
        assert_eq!(listen(&["2", "51", "-3"]).unwrap_err().0, "negative_weight");
        assert_eq!(listen(&["2", "51", "13883"]).unwrap().weight, 13883);
    }

    #[test]
    fn dates_before_1970_are_valid_and_impossible_dates_are_not() {
        let old = dated_assignment(&["2", "52", "13", "1", "1", "1956"]).unwrap();
        assert!(old.midnight_ms < 0);
        let bad = dated_assignment(&["2", "52", "13", "31", "2", "2009"]).unwrap_err();
        assert_eq!(bad.0, "invalid_date");
    }

    #[test]
    fn nobody_is_their_own_friend() {
        assert_eq!(friendship(&["5", "5"]).unwrap_err().0, "self_friendship");
    }
}
