//! The dataset's files, opened and their headers checked before any row is read.

use std::path::{Path, PathBuf};

use soundstream_core::{Artist, Friendship, Listen, Tag};

use crate::parse::{self, DatedAssignment, Format, OpenError, Parser, TimedAssignment};
use crate::read::{Line, LineReader};
use crate::{ImportError, files};

/// A file opened, its header checked, its reader at the first data line.
pub(crate) struct Opened<T> {
    pub(super) path: PathBuf,
    /// Bytes in the file.
    pub(super) len: u64,
    pub(super) parser: Parser<T>,
    pub(super) reader: LineReader<std::io::BufReader<std::fs::File>>,
}

impl<T> Opened<T> {
    /// The next line and the parser to read it with, or a read error naming the file.
    pub(super) fn next_line(&mut self) -> Result<Option<(Line<'_>, &mut Parser<T>)>, ImportError> {
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

    /// A read error of this file.
    pub(super) fn read_error(&self, source: std::io::Error) -> ImportError {
        ImportError::Read {
            path: self.path.clone(),
            source,
        }
    }
}

/// Every file of the dataset, opened and with its header checked, before anything is read.
pub(crate) struct DatasetFiles {
    pub(super) dir: PathBuf,
    pub(super) artists: Opened<Artist>,
    pub(super) tags: Opened<Tag>,
    pub(super) listens: Opened<Listen>,
    pub(super) dated: Opened<DatedAssignment>,
    pub(super) timed: Option<Opened<TimedAssignment>>,
    pub(super) friends: Opened<Friendship>,
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
