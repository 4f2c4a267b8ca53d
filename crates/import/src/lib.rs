//! The importer of the GroupLens Last.fm dataset (hetrec2011-lastfm-2k): finds or downloads
//! the `.dat` files, reads them as they are, and replaces the store's content with them in one
//! transaction, ending with an [`ImportReport`] that accounts for every input row.
//!
//! The stages are separate modules: `read` (bytes to lines), `parse` (lines to typed rows,
//! per file), `assemble` (rows of all files to one consistent dataset), `fetch` (the archive).

mod assemble;
pub mod fetch;
mod parse;
mod read;
mod report;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use soundstream_core::{Artist, Dataset, Tag};
use soundstream_store::{Store, StoreError};

pub use report::{FileReport, ImportReport, Rejection, Source, Timings, Warning};

use crate::assemble::{ParsedFiles, assemble};
use crate::parse::parse_file;

/// The file names of the dataset.
pub mod files {
    /// Artists: `id, name, url, pictureURL`.
    pub const ARTISTS: &str = "artists.dat";
    /// Tags: `tagID, tagValue`.
    pub const TAGS: &str = "tags.dat";
    /// Listens: `userID, artistID, weight`.
    pub const USER_ARTISTS: &str = "user_artists.dat";
    /// Tag assignments with a date: `userID, artistID, tagID, day, month, year`.
    pub const USER_TAGGEDARTISTS: &str = "user_taggedartists.dat";
    /// Tag assignments with a millisecond timestamp (optional).
    pub const TIMESTAMPS: &str = "user_taggedartists-timestamps.dat";
    /// Friendships: `userID, friendID`.
    pub const USER_FRIENDS: &str = "user_friends.dat";
    /// The files an import cannot do without.
    pub const REQUIRED: [&str; 5] = [
        ARTISTS,
        TAGS,
        USER_ARTISTS,
        USER_TAGGEDARTISTS,
        USER_FRIENDS,
    ];
}

/// Why an import could not run at all. Row-level problems are not errors: they are listed in
/// the report and the rest is imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The data folder does not exist.
    #[error(
        "data folder {0} does not exist: point --data-dir (or SOUNDSTREAM_DATA_DIR) at the unpacked hetrec2011-lastfm-2k folder"
    )]
    NoDataDir(PathBuf),
    /// A required file is missing from the data folder.
    #[error(
        "{file} is missing from {dir}: the folder must hold the .dat files of hetrec2011-lastfm-2k"
    )]
    MissingFile {
        /// The folder searched.
        dir: PathBuf,
        /// The missing file.
        file: &'static str,
    },
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// A file's first line is not the header the dataset's format defines.
    #[error(
        "{file} line 1: expected the header '{expected}', found {found}; is this the hetrec2011-lastfm-2k file?"
    )]
    BadHeader {
        /// The file.
        file: String,
        /// The header expected.
        expected: String,
        /// What the first line holds.
        found: String,
    },
    /// Downloading, verifying or unpacking the archive failed.
    #[error(transparent)]
    Fetch(#[from] fetch::FetchError),
    /// The database refused the load.
    #[error("database: {0}")]
    Store(#[from] StoreError),
}

/// How an import shows its progress.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Draw progress bars (they also hide themselves when stderr is not a terminal).
    pub progress: bool,
}

/// The files read into memory, with their parsed rows.
struct Loaded {
    bytes: HashMap<&'static str, Vec<u8>>,
    parsed: ParsedFiles,
    rejected: Vec<Rejection>,
}

/// A required file that cannot be opened or read: missing, or the system's reason.
fn required_error(dir: &Path, file: &'static str, source: std::io::Error) -> ImportError {
    match source.kind() {
        std::io::ErrorKind::NotFound => ImportError::MissingFile {
            dir: dir.to_owned(),
            file,
        },
        _ => ImportError::Read {
            path: dir.join(file),
            source,
        },
    }
}

fn read_required(dir: &Path, file: &'static str) -> Result<Vec<u8>, ImportError> {
    std::fs::read(dir.join(file)).map_err(|source| required_error(dir, file, source))
}

/// Checks, without reading them whole, that `dir` holds the dataset's required files and that
/// they can be opened: a server checks its settings before it starts, not at first import.
pub fn check_dir(dir: &Path) -> Result<(), ImportError> {
    if !dir.is_dir() {
        return Err(ImportError::NoDataDir(dir.to_owned()));
    }
    for file in files::REQUIRED {
        std::fs::File::open(dir.join(file)).map_err(|source| required_error(dir, file, source))?;
    }
    Ok(())
}

fn load_files(dir: &Path) -> Result<Loaded, ImportError> {
    if !dir.is_dir() {
        return Err(ImportError::NoDataDir(dir.to_owned()));
    }
    let mut bytes = HashMap::new();
    for file in files::REQUIRED {
        bytes.insert(file, read_required(dir, file)?);
    }
    match std::fs::read(dir.join(files::TIMESTAMPS)) {
        Ok(b) => {
            bytes.insert(files::TIMESTAMPS, b);
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => {
            return Err(ImportError::Read {
                path: dir.join(files::TIMESTAMPS),
                source,
            });
        }
    }
    let mut rejected = Vec::new();
    let r = &mut rejected;
    let parsed = ParsedFiles {
        artists: parse_file(
            files::ARTISTS,
            &bytes[files::ARTISTS],
            &["id", "name", "url", "pictureURL"],
            r,
            parse::artist,
        )?,
        tags: parse_file(
            files::TAGS,
            &bytes[files::TAGS],
            &["tagID", "tagValue"],
            r,
            parse::tag,
        )?,
        listens: parse_file(
            files::USER_ARTISTS,
            &bytes[files::USER_ARTISTS],
            &["userID", "artistID", "weight"],
            r,
            parse::listen,
        )?,
        dated: parse_file(
            files::USER_TAGGEDARTISTS,
            &bytes[files::USER_TAGGEDARTISTS],
            &["userID", "artistID", "tagID", "day", "month", "year"],
            r,
            parse::dated_assignment,
        )?,
        timed: bytes
            .get(files::TIMESTAMPS)
            .map(|b| {
                parse_file(
                    files::TIMESTAMPS,
                    b,
                    &["userID", "artistID", "tagID", "timestamp"],
                    r,
                    parse::timed_assignment,
                )
            })
            .transpose()?,
        friends: parse_file(
            files::USER_FRIENDS,
            &bytes[files::USER_FRIENDS],
            &["userID", "friendID"],
            r,
            parse::friendship,
        )?,
    };
    Ok(Loaded {
        bytes,
        parsed,
        rejected,
    })
}

/// The dataset as read from its files, before it is stored.
#[derive(Debug)]
pub struct DatasetRead {
    /// The rows to store.
    pub dataset: Dataset,
    /// What was read from each file.
    pub files: Vec<FileReport>,
    /// Every row that will not be stored, sorted by file and line.
    pub rejected: Vec<Rejection>,
    /// Rows stored as given with a name the API would refuse or change, by file and line.
    pub warnings: Vec<Warning>,
    /// Decisions the reader made.
    pub notes: Vec<String>,
}

/// Reads the dataset in `dir` without touching a database.
pub fn read_dataset(dir: &Path) -> Result<DatasetRead, ImportError> {
    let Loaded {
        bytes,
        parsed,
        mut rejected,
    } = load_files(dir)?;
    let mut notes = Vec::new();
    let dataset = assemble(&parsed, &mut rejected, &mut notes);
    let warnings = unusual_names(&parsed.artists, &parsed.tags);
    fill_contents(&bytes, &mut rejected);
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
    Ok(DatasetRead {
        dataset,
        files: reports,
        rejected,
        warnings,
        notes,
    })
}

/// The artist names and tag values that the API would not accept as they are (see
/// `soundstream_core::name`): the data is kept as given, and they are reported.
fn unusual_names(artists: &parse::Parsed<Artist>, tags: &parse::Parsed<Tag>) -> Vec<Warning> {
    let names = artists
        .rows
        .iter()
        .map(|(line, a)| (files::ARTISTS, *line, "artist name", a.name.as_str()));
    let values = tags
        .rows
        .iter()
        .map(|(line, t)| (files::TAGS, *line, "tag value", t.value.as_str()));
    names
        .chain(values)
        .filter_map(|(file, line, what, name)| {
            let reason = soundstream_core::name::unusual(name)?;
            Some(Warning {
                file: file.to_owned(),
                line,
                kind: "unusual_name",
                reason: format!("the {what} {reason}"),
                content: parse::truncate(&soundstream_core::name::escaped(name)),
            })
        })
        .collect()
}

/// Fills each rejection's `content` with its line as read.
fn fill_contents(bytes: &HashMap<&'static str, Vec<u8>>, rejected: &mut [Rejection]) {
    for (file, data) in bytes {
        let wanted: BTreeSet<u64> = rejected
            .iter()
            .filter(|r| r.file == *file && r.content.is_empty())
            .map(|r| r.line)
            .collect();
        if wanted.is_empty() {
            continue;
        }
        let texts: HashMap<u64, String> = read::lines(data)
            .filter(|l| wanted.contains(&l.number))
            .map(|l| (l.number, parse::truncate(&l.text)))
            .collect();
        for r in rejected
            .iter_mut()
            .filter(|r| r.file == *file && r.content.is_empty())
        {
            if let Some(text) = texts.get(&r.line) {
                r.content.clone_from(text);
            }
        }
    }
}

fn millis(since: Instant) -> u64 {
    since.elapsed().as_millis() as u64
}

/// Imports the dataset in `dir` into `store`, replacing its content in one transaction, and
/// reports on every row. `downloaded` names the archive when the files came from one.
pub async fn import_dir(
    store: &Store,
    dir: &Path,
    downloaded: Option<(String, String)>,
    options: ImportOptions,
) -> Result<ImportReport, ImportError> {
    let start = Instant::now();
    let DatasetRead {
        dataset,
        files,
        rejected,
        warnings,
        notes,
    } = read_dataset(dir)?;
    let parse_ms = millis(start);

    let total: u64 = dataset.counts().total();
    let bar = if options.progress {
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{msg:>20} [{bar:40}] {pos}/{len} rows")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let offsets = table_offsets(&dataset);
    let progress_bar = bar.clone();
    let progress = Arc::new(move |table: &'static str, rows: u64| {
        progress_bar.set_message(table);
        progress_bar.set_position(offsets.get(table).copied().unwrap_or(0) + rows);
    });

    let store_start = Instant::now();
    store.replace_dataset(Arc::new(dataset), progress).await?;
    let store_ms = millis(store_start);
    bar.finish_and_clear();

    let tables = store.counts().await?;
    let checks = store.consistency_checks().await?;
    let (downloaded_from, sha256) = downloaded.unzip();
    Ok(ImportReport {
        source: Source {
            directory: dir.display().to_string(),
            downloaded_from,
            sha256,
        },
        backend: format!("{:?}", store.backend()).to_lowercase(),
        files,
        rejected,
        warnings,
        notes,
        tables,
        checks,
        timings_ms: Timings {
            parse: parse_ms,
            store: store_ms,
            total: millis(start),
        },
    })
}

/// Rows stored before each table, in load order, for one progress bar over all tables.
fn table_offsets(ds: &Dataset) -> HashMap<&'static str, u64> {
    let c = ds.counts();
    let mut offsets = HashMap::new();
    let mut before = 0;
    for (table, rows) in [
        ("artists", c.artists),
        ("users", c.users),
        ("tags", c.tags),
        ("user_artists", c.user_artists),
        ("user_taggedartists", c.user_taggedartists),
        ("user_friends", c.user_friends),
    ] {
        offsets.insert(table, before);
        before += rows as u64;
    }
    offsets
}
