//! The importer of the GroupLens Last.fm dataset (hetrec2011-lastfm-2k): finds or downloads
//! the `.dat` files, reads them as they are, and replaces the store's content with them in one
//! transaction, ending with an [`ImportReport`] that accounts for every input row. The rows
//! stream from the files to the database in batches: memory does not grow with the dataset.
//!
//! The stages are separate modules: `read` (bytes to lines), `parse` (lines to typed rows,
//! per file), `groups` (how a file's rows are ordered by user), `assemble` (rows of all files
//! to one consistent dataset, sent on as they are read), `fetch` (the archive).

mod assemble;
pub mod fetch;
mod groups;
mod parse;
mod read;
mod report;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use soundstream_core::Dataset;
use soundstream_store::{
    LoadBatch, LoadOutcome, LoadProgress, LoadSender, Store, StoreError, load_channel,
};

pub use report::{FileReport, ImportReport, Rejection, Source, Timings, Warning};

use crate::assemble::{DatasetFiles, DatasetSink, Failure, Sink, Stopped};

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

/// A required file that cannot be opened or read: missing, or the system's reason.
pub(crate) fn required_error(
    dir: &Path,
    file: &'static str,
    source: std::io::Error,
) -> ImportError {
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

/// Reads the dataset in `dir` whole into memory, without touching a database: for callers
/// that want every row (the recommender's tools and tests). [`import_dir`] streams instead.
pub fn read_dataset(dir: &Path) -> Result<DatasetRead, ImportError> {
    let files = DatasetFiles::open(dir)?;
    let mut sink = DatasetSink::default();
    let findings = match assemble::stream(files, &mut sink, &ProgressBar::hidden()) {
        Ok(findings) => findings,
        Err(Failure::Import(e)) => return Err(e),
        Err(Failure::Stopped) => unreachable!("a dataset in memory takes every row"),
    };
    Ok(DatasetRead {
        dataset: sink.into_sorted(),
        files: findings.files,
        rejected: findings.rejected,
        warnings: findings.warnings,
        notes: findings.notes,
    })
}

/// Sends batches to the database's load from the reading thread.
struct LoadSink(LoadSender);

impl Sink for LoadSink {
    fn write(&mut self, batch: LoadBatch) -> Result<(), Stopped> {
        self.0.blocking_send(batch).map_err(|_| Stopped)
    }
}

fn millis(since: Instant) -> u64 {
    since.elapsed().as_millis() as u64
}

/// The two progress bars of an import: bytes read, and rows written.
struct Bars {
    read: ProgressBar,
    store: ProgressBar,
}

impl Bars {
    fn new(shown: bool, bytes: u64) -> Self {
        if !shown {
            return Bars {
                read: ProgressBar::hidden(),
                store: ProgressBar::hidden(),
            };
        }
        let all = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let read = all.add(ProgressBar::new(bytes));
        read.set_style(
            ProgressStyle::with_template(
                "{msg:>34} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        let store = all.add(ProgressBar::new_spinner());
        store.set_style(
            ProgressStyle::with_template("{msg:>34} {spinner} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        store.enable_steady_tick(std::time::Duration::from_millis(200));
        Bars { read, store }
    }
}

/// Imports the dataset in `dir` into `store`, replacing its content in one transaction, and
/// reports on every row. `downloaded` names the archive when the files came from one.
///
/// The files stream into the database as they are read, on two threads (reading and
/// checking; writing), holding a few batches of rows at a time: memory does not grow with
/// the dataset, as long as its files list each user's rows together.
pub async fn import_dir(
    store: &Store,
    dir: &Path,
    downloaded: Option<(String, String)>,
    options: ImportOptions,
) -> Result<ImportReport, ImportError> {
    let start = Instant::now();
    // Every file is opened and its header checked before the database is touched.
    let files = DatasetFiles::open(dir)?;
    let bars = Bars::new(options.progress, files.bytes);

    let (sender, receiver) = load_channel();
    let read_bar = bars.read.clone();
    let reading = tokio::task::spawn_blocking(move || {
        let mut sink = LoadSink(sender);
        let findings = assemble::stream(files, &mut sink, &read_bar)?;
        read_bar.finish_and_clear();
        sink.0.blocking_commit().map_err(|_| Failure::Stopped)?;
        Ok::<_, Failure>((findings, start.elapsed()))
    });
    let store_bar = bars.store.clone();
    let progress: LoadProgress = Arc::new(move |table: &'static str, rows: u64| {
        if table == "indexes" {
            store_bar.set_message("building indexes, checking references");
        } else {
            store_bar.set_message(format!("{table}: {rows} rows"));
        }
    });
    let (read, written) = tokio::join!(reading, store.replace_dataset_streamed(receiver, progress));
    bars.read.finish_and_clear();
    let read = read.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
    let (findings, read_time) = match (read, written) {
        // The reader failed: the load saw its sender go and rolled back.
        (Err(Failure::Import(e)), _) => {
            bars.store.finish_and_clear();
            return Err(e);
        }
        // The database failed: the reader stopped because of it.
        (_, Err(e)) => {
            bars.store.finish_and_clear();
            return Err(e.into());
        }
        (Err(Failure::Stopped), Ok(_)) | (Ok(_), Ok(LoadOutcome::Abandoned)) => {
            unreachable!("the load stops only on an error, and the reader commits")
        }
        (Ok(read), Ok(LoadOutcome::Committed)) => read,
    };
    let store_ms = millis(start);

    bars.store
        .set_message("counting rows, checking consistency");
    let tables = store.counts().await;
    let checks = store.consistency_checks().await;
    bars.store.finish_and_clear();
    let (tables, checks) = (tables?, checks?);
    let (downloaded_from, sha256) = downloaded.unzip();
    Ok(ImportReport {
        source: Source {
            directory: dir.display().to_string(),
            downloaded_from,
            sha256,
        },
        backend: format!("{:?}", store.backend()).to_lowercase(),
        files: findings.files,
        rejected: findings.rejected,
        warnings: findings.warnings,
        notes: findings.notes,
        tables,
        checks,
        timings_ms: Timings {
            parse: read_time.as_millis() as u64,
            store: store_ms,
            total: millis(start),
        },
    })
}
