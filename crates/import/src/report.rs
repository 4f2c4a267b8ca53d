//! The import report: what was read from each file, every row that was not stored (file,
//! line, reason), what the importer had to decide, and the final statistics and checks.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;
use soundstream_core::TableCounts;
use soundstream_store::ConsistencyChecks;

/// Everything an import did, printed at its end and available as JSON.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    /// Where the files came from.
    pub source: Source,
    /// The database engine written to.
    pub backend: String,
    /// One entry per dataset file, in reading order.
    pub files: Vec<FileReport>,
    /// Every input row that was not stored, with its reason.
    pub rejected: Vec<Rejection>,
    /// Rows stored as given whose name the API would refuse or store differently (no visible
    /// character, control or bidirectional characters, not in Unicode NFC).
    pub warnings: Vec<Warning>,
    /// Decisions the importer made that a reader of the data should know.
    pub notes: Vec<String>,
    /// Row counts of the six tables after the import, read back from the database.
    pub tables: TableCounts,
    /// Consistency checks run on the database after the import.
    pub checks: ConsistencyChecks,
    /// Wall-clock durations, in milliseconds.
    pub timings_ms: Timings,
}

/// Where the dataset files were read from.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    /// The folder the `.dat` files were read from.
    pub directory: String,
    /// The archive's URL when it was downloaded (or taken from the download cache).
    pub downloaded_from: Option<String>,
    /// The verified SHA-256 of the archive, when downloaded.
    pub sha256: Option<String>,
}

/// Durations of the import's phases. Reading and storing overlap: rows go to the database
/// as they are read, so `parse` and `store` both count from the start.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Timings {
    /// Reading, decoding and validating the files, until the last row was handed over.
    pub parse: u64,
    /// Until the database committed (the rows, the indexes, the reference checks).
    pub store: u64,
    /// The whole import, the counts and consistency checks read back included.
    pub total: u64,
}

/// What was read from one file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileReport {
    /// File name.
    pub file: String,
    /// Whether the file was present (only the timestamps file is optional).
    pub present: bool,
    /// Data lines (header and blank lines excluded).
    pub rows: u64,
    /// Rows stored in the database.
    pub stored: u64,
    /// Rows rejected (each listed in the report's `rejected`).
    pub rejected: u64,
    /// Empty lines, which hold no row.
    pub blank_lines: u64,
    /// `UTF-8`, or `ISO-8859-1` when some lines were not valid UTF-8.
    pub encoding: String,
    /// `LF`, `CRLF` or `mixed`.
    pub line_endings: String,
    /// Line numbers that were decoded as ISO-8859-1.
    pub transcoded_lines: Vec<u64>,
}

/// One input row that was not stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    /// File name.
    pub file: String,
    /// 1-based line number (the header is line 1).
    pub line: u64,
    /// Short, stable category, e.g. `unknown_artist`.
    pub kind: &'static str,
    /// What is wrong with the row, specifically.
    pub reason: String,
    /// The line as read (decoded, truncated to 200 characters).
    pub content: String,
}

/// One input row stored as given that a reader of the data should look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// File name.
    pub file: String,
    /// 1-based line number (the header is line 1).
    pub line: u64,
    /// Short, stable category, e.g. `unusual_name`.
    pub kind: &'static str,
    /// What is unusual, specifically.
    pub reason: String,
    /// The value at fault, with invisible characters and combining marks written as `\u{...}`.
    pub content: String,
}

impl ImportReport {
    /// The file's report entry, by name.
    pub fn file(&self, name: &str) -> Option<&FileReport> {
        self.files.iter().find(|f| f.file == name)
    }
}

fn seconds(ms: u64) -> String {
    format!("{:.2} s", ms as f64 / 1000.0)
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_summary(f)?;
        self.write_files(f)?;
        self.write_tables(f)?;
        self.write_checks(f)?;
        self.write_rejected(f)?;
        self.write_warnings(f)?;
        self.write_notes(f)
    }
}

/// The parts of the printed report, in the order they are printed.
impl ImportReport {
    /// What was imported where, how long it took, and the archive it came from.
    fn write_summary(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Imported {} into {} in {} (files read by {}, committed at {})",
            self.source.directory,
            self.backend,
            seconds(self.timings_ms.total),
            seconds(self.timings_ms.parse),
            seconds(self.timings_ms.store)
        )?;
        if let Some(url) = &self.source.downloaded_from {
            writeln!(
                f,
                "  archive {url}, sha256 {}",
                self.source.sha256.as_deref().unwrap_or("?")
            )?;
        }
        writeln!(f)
    }

    /// One line per file: rows read, stored and rejected, encoding and line endings.
    fn write_files(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<34} {:>7} {:>7} {:>8}  {:<21} endings",
            "file", "rows", "stored", "rejected", "encoding"
        )?;
        for file in &self.files {
            if !file.present {
                writeln!(f, "{:<34} absent", file.file)?;
                continue;
            }
            let encoding = if file.transcoded_lines.is_empty() {
                file.encoding.clone()
            } else {
                format!("{} ({} lines)", file.encoding, file.transcoded_lines.len())
            };
            writeln!(
                f,
                "{:<34} {:>7} {:>7} {:>8}  {:<21} {}",
                file.file, file.rows, file.stored, file.rejected, encoding, file.line_endings
            )?;
        }
        writeln!(f)
    }

    /// The row count of each table, as read back from the database.
    fn write_tables(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = &self.tables;
        writeln!(f, "table                 rows")?;
        for (name, n) in [
            ("artists", t.artists),
            ("users", t.users),
            ("tags", t.tags),
            ("user_artists", t.user_artists),
            ("user_taggedartists", t.user_taggedartists),
            ("user_friends", t.user_friends),
        ] {
            writeln!(f, "{name:<20} {n:>6}")?;
        }
        writeln!(f)
    }

    /// The consistency checks on one line, and whether they all passed.
    fn write_checks(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.checks;
        writeln!(
            f,
            "checks: orphan listens {}, orphan tag assignments {}, orphan friendships {}, \
             NULL timestamps {}, asymmetric friendships {}, self-friendships {} -> {}",
            c.orphan_listens,
            c.orphan_tag_assignments,
            c.orphan_friendships,
            c.null_timestamps,
            c.asymmetric_friendships,
            c.self_friendships,
            if c.all_passed() {
                "all passed"
            } else {
                "ATTENTION"
            }
        )
    }

    /// The rejected rows, one line per file and kind with its first example.
    fn write_rejected(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.rejected.is_empty() {
            return Ok(());
        }
        writeln!(
            f,
            "\nrejected rows: {} (each listed by --json)",
            self.rejected.len()
        )?;
        let groups = first_of_each_kind(&self.rejected, |r| (&r.file, r.kind));
        for ((file, kind), (count, first)) in groups {
            writeln!(
                f,
                "  {file}: {count} x {kind}, e.g. line {}: {}",
                first.line, first.reason
            )?;
        }
        Ok(())
    }

    /// The rows stored with a warning, one line per file and kind with its first example.
    fn write_warnings(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.warnings.is_empty() {
            return Ok(());
        }
        writeln!(
            f,
            "\nrows stored as given, with a warning: {} (each listed by --json)",
            self.warnings.len()
        )?;
        let groups = first_of_each_kind(&self.warnings, |w| (&w.file, w.kind));
        for ((file, kind), (count, first)) in groups {
            writeln!(
                f,
                "  {file}: {count} x {kind}, e.g. line {}: {} ({})",
                first.line, first.reason, first.content
            )?;
        }
        Ok(())
    }

    /// The importer's notes, one per line.
    fn write_notes(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.notes.is_empty() {
            return Ok(());
        }
        writeln!(f, "\nnotes:")?;
        for note in &self.notes {
            writeln!(f, "  - {note}")?;
        }
        Ok(())
    }
}

/// `rows` grouped by (file, kind), in that order: how many each group holds, and its first.
fn first_of_each_kind<'a, T>(
    rows: &'a [T],
    key: impl Fn(&'a T) -> (&'a str, &'a str),
) -> BTreeMap<(&'a str, &'a str), (usize, &'a T)> {
    let mut groups = BTreeMap::new();
    for row in rows {
        groups.entry(key(row)).or_insert((0, row)).0 += 1;
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rejection(file: &str, line: u64, kind: &'static str) -> Rejection {
        Rejection {
            file: file.into(),
            line,
            kind,
            reason: format!("reason of line {line}"),
            content: String::new(),
        }
    }

    #[test]
    fn the_printed_report_counts_rejections_by_file_and_kind_with_the_first_as_example() {
        let report = ImportReport {
            source: Source {
                directory: "data".into(),
                downloaded_from: None,
                sha256: None,
            },
            backend: "sqlite".into(),
            files: Vec::new(),
            rejected: vec![
                rejection("tags.dat", 7, "duplicate_id"),
                rejection("artists.dat", 9, "duplicate_id"),
                rejection("tags.dat", 3, "duplicate_value"),
                rejection("tags.dat", 12, "duplicate_id"),
            ],
            warnings: Vec::new(),
            notes: Vec::new(),
            tables: TableCounts::default(),
            checks: ConsistencyChecks::default(),
            timings_ms: Timings::default(),
        };

        let text = report.to_string();

        let rejected = text.split_once("rejected rows: 4").unwrap().1;
        assert_eq!(
            rejected.lines().skip(1).collect::<Vec<_>>(),
            [
                "  artists.dat: 1 x duplicate_id, e.g. line 9: reason of line 9",
                "  tags.dat: 2 x duplicate_id, e.g. line 7: reason of line 7",
                "  tags.dat: 1 x duplicate_value, e.g. line 3: reason of line 3",
            ]
        );
    }
}
