//! From the bytes of each `.dat` file to typed rows, one file at a time: header check, field
//! count, numbers and dates. Rows that fail are returned as rejections naming file, line and
//! reason; checks that need other files (references, duplicates) belong to `assemble`.

use soundstream_core::date::midnight_utc_ms;
use soundstream_core::{Artist, Friendship, Listen, Tag};

use crate::ImportError;
use crate::read::lines;
use crate::report::{FileReport, Rejection};

/// Why a row was not stored: a stable kind and a specific reason.
pub(crate) type RowError = (&'static str, String);

/// The typed rows of one file, each with its line number, and the file's reading statistics.
#[derive(Debug)]
pub(crate) struct Parsed<T> {
    pub rows: Vec<(u64, T)>,
    pub report: FileReport,
}

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

/// Reads one file: checks its header, then parses every data line with `parse_row`.
pub(crate) fn parse_file<T>(
    file: &str,
    bytes: &[u8],
    header: &[&str],
    rejected: &mut Vec<Rejection>,
    parse_row: impl Fn(&[&str]) -> Result<T, RowError>,
) -> Result<Parsed<T>, ImportError> {
    let mut report = FileReport {
        file: file.to_owned(),
        present: true,
        encoding: "UTF-8".into(),
        ..FileReport::default()
    };
    let mut all = lines(bytes);
    let first = all.next().ok_or_else(|| ImportError::BadHeader {
        file: file.to_owned(),
        expected: header.join("\\t"),
        found: "an empty file".into(),
    })?;
    let found: Vec<&str> = first.text.split('\t').map(str::trim).collect();
    if found != header {
        return Err(ImportError::BadHeader {
            file: file.to_owned(),
            expected: header.join("\\t"),
            found: format!("'{}'", first.text.replace('\t', "\\t")),
        });
    }
    let (mut crlf, mut lf) = (u64::from(first.crlf), u64::from(!first.crlf));
    let mut rows = Vec::new();
    for line in all {
        if line.crlf {
            crlf += 1;
        } else {
            lf += 1;
        }
        if line.transcoded {
            report.encoding = "ISO-8859-1".into();
            report.transcoded_lines.push(line.number);
        }
        if line.text.trim().is_empty() {
            report.blank_lines += 1;
            continue;
        }
        report.rows += 1;
        let fields = line.fields();
        let parsed = if fields.len() == header.len() {
            parse_row(&fields)
        } else {
            Err((
                "field_count",
                format!(
                    "expected {} tab-separated fields ({}), found {}",
                    header.len(),
                    header.join(", "),
                    fields.len()
                ),
            ))
        };
        match parsed {
            Ok(row) => rows.push((line.number, row)),
            Err((kind, reason)) => rejected.push(Rejection {
                file: file.to_owned(),
                line: line.number,
                kind,
                reason,
                content: truncate(&line.text),
            }),
        }
    }
    // The last line may lack its newline; it says nothing about the file's convention.
    report.line_endings = match (crlf, lf) {
        (_, 0) => "CRLF",
        (0, _) => "LF",
        _ if !bytes.ends_with(b"\n") && lf == 1 => "CRLF",
        _ => "mixed",
    }
    .into();
    Ok(Parsed { rows, report })
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

    const ARTISTS: &[&str] = &["id", "name", "url", "pictureURL"];

    fn parse_artists(bytes: &[u8]) -> (Parsed<Artist>, Vec<Rejection>) {
        let mut rejected = Vec::new();
        let parsed = parse_file("artists.dat", bytes, ARTISTS, &mut rejected, artist).unwrap();
        (parsed, rejected)
    }

    #[test]
    fn an_empty_picture_url_is_stored_as_absent() {
        let (parsed, rejected) = parse_artists(b"id\tname\turl\tpictureURL\n7\tX\thttp://x\t\n");
        assert!(rejected.is_empty());
        assert_eq!(parsed.rows[0].1.picture_url, None);
        assert_eq!(parsed.rows[0].1.url.as_deref(), Some("http://x"));
    }

    #[test]
    fn a_line_with_a_missing_field_is_rejected_with_its_line_number() {
        let (parsed, rejected) = parse_artists(b"id\tname\turl\tpictureURL\n1\tA\tu\tp\n2\tB\tu\n");
        assert_eq!(parsed.rows.len(), 1);
        assert_eq!(rejected.len(), 1);
        assert_eq!((rejected[0].line, rejected[0].kind), (3, "field_count"));
        assert!(
            rejected[0].reason.contains("found 3"),
            "{}",
            rejected[0].reason
        );
    }

    #[test]
    fn a_wrong_header_stops_the_import_with_the_file_named() {
        let mut rejected = Vec::new();
        let err = parse_file(
            "artists.dat",
            b"1\tA\tu\tp\n",
            ARTISTS,
            &mut rejected,
            artist,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("artists.dat") && err.contains("pictureURL"),
            "{err}"
        );
    }

    #[test]
    fn blank_lines_are_counted_not_rejected() {
        let (parsed, rejected) = parse_artists(b"id\tname\turl\tpictureURL\n\n1\tA\tu\tp\n\n");
        assert!(rejected.is_empty());
        assert_eq!((parsed.report.rows, parsed.report.blank_lines), (1, 2));
    }

    #[test]
    fn line_endings_and_transcoding_are_reported() {
        let mut rejected = Vec::new();
        let parsed = parse_file(
            "tags.dat",
            b"tagID\ttagValue\r\n1\tmetal\r\n2\tespa\xf1ol\r\n",
            &["tagID", "tagValue"],
            &mut rejected,
            tag,
        )
        .unwrap();
        assert_eq!(parsed.report.line_endings, "CRLF");
        assert_eq!(parsed.report.encoding, "ISO-8859-1");
        assert_eq!(parsed.report.transcoded_lines, vec![3]);
        assert_eq!(parsed.rows[1].1.value, "español");
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
