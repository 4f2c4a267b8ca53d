//! Writing the dataset's files in the real formats: tab-separated, a header line, LF endings
//! for artists.dat and CRLF for the others, each file streamed through a buffer into a
//! `.partial` name and renamed only when the whole dataset is written, so a killed run never
//! leaves a folder that looks complete.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::GenerateError;

/// One output file being written.
pub(crate) struct DatFile {
    name: &'static str,
    partial: PathBuf,
    out: BufWriter<File>,
    eol: &'static [u8],
    rows: u64,
    bytes: u64,
    line: Vec<u8>,
}

impl DatFile {
    /// Creates `dir/.name.partial` and writes the header.
    pub fn create(
        dir: &Path,
        name: &'static str,
        header: &[&str],
        crlf: bool,
    ) -> Result<Self, GenerateError> {
        let partial = dir.join(format!(".{name}.partial"));
        let file = File::create(&partial).map_err(|e| GenerateError::io(&partial, e))?;
        let mut f = Self {
            name,
            partial,
            out: BufWriter::with_capacity(1 << 20, file),
            eol: if crlf { b"\r\n" } else { b"\n" },
            rows: 0,
            bytes: 0,
            line: Vec::with_capacity(256),
        };
        let mut first = true;
        for field in header {
            if !first {
                f.line.push(b'\t');
            }
            first = false;
            f.line.extend_from_slice(field.as_bytes());
        }
        f.end_line()?;
        f.rows = 0;
        Ok(f)
    }

    /// Appends a field (tab-separated from the previous one).
    pub fn text(&mut self, bytes: &[u8]) -> &mut Self {
        if !self.line.is_empty() {
            self.line.push(b'\t');
        }
        self.line.extend_from_slice(bytes);
        self
    }

    /// Appends a number field.
    pub fn num(&mut self, n: impl itoa::Integer) -> &mut Self {
        let mut buffer = itoa::Buffer::new();
        let digits = buffer.format(n).as_bytes();
        // A leading empty field is impossible in these files: every row starts with an id.
        if !self.line.is_empty() {
            self.line.push(b'\t');
        }
        self.line.extend_from_slice(digits);
        self
    }

    /// Ends the current row.
    pub fn end_line(&mut self) -> Result<(), GenerateError> {
        self.line.extend_from_slice(self.eol);
        self.out
            .write_all(&self.line)
            .map_err(|e| GenerateError::io(&self.partial, e))?;
        self.bytes += self.line.len() as u64;
        self.rows += 1;
        self.line.clear();
        Ok(())
    }

    /// Flushes the file; it keeps its `.partial` name until [`Finished::publish`].
    pub fn finish(mut self) -> Result<Finished, GenerateError> {
        self.out
            .flush()
            .map_err(|e| GenerateError::io(&self.partial, e))?;
        Ok(Finished {
            summary: FileSummary {
                file: self.name,
                rows: self.rows,
                bytes: self.bytes,
            },
            partial: self.partial,
        })
    }
}

/// What was written to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileSummary {
    /// The file's name.
    pub file: &'static str,
    /// Data rows (the header excluded).
    pub rows: u64,
    /// Size in bytes.
    pub bytes: u64,
}

/// A file written in full under its `.partial` name.
pub(crate) struct Finished {
    pub summary: FileSummary,
    partial: PathBuf,
}

impl Finished {
    /// A file written by other means under its `.partial` name.
    pub fn new(summary: FileSummary, partial: PathBuf) -> Self {
        Self { summary, partial }
    }

    /// Gives the file its real name.
    pub fn publish(&self, dir: &Path) -> Result<(), GenerateError> {
        let path = dir.join(self.summary.file);
        std::fs::rename(&self.partial, &path).map_err(|e| GenerateError::io(&path, e))
    }
}

/// ISO-8859-1 bytes of a text whose characters are all below U+0100.
pub(crate) fn latin1(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect()
}
