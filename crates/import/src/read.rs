//! Reading one `.dat` file as it is, one line at a time: lines split on `\n` with an optional
//! `\r` (the archive mixes LF and CRLF files), each line decoded as UTF-8 or, when it is not
//! valid UTF-8, as ISO-8859-1 (`tags.dat` holds Latin-1 bytes such as `tropic\xe1lia`), then
//! split on tabs. Only the current line is held, whatever the size of the file.
//!
//! Quotes are ordinary characters here: names like `"Weird Al" Yankovic` or `Royce da 5'9"`
//! are data, not CSV quoting.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Seek, SeekFrom};
use std::path::Path;

/// Bytes read from the disk at a time.
const READ_BUFFER: usize = 256 * 1024;

/// One physical line of a file, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line<'a> {
    /// 1-based line number in the file (the header is line 1).
    pub number: u64,
    /// The line's text without its line ending.
    pub text: Cow<'a, str>,
    /// Whether the bytes were not UTF-8 and were decoded as ISO-8859-1.
    pub transcoded: bool,
    /// Whether the line ended with `\r\n`.
    pub crlf: bool,
    /// Whether the line ended with `\n` at all (only a file's last line may not).
    pub terminated: bool,
}

/// A file's lines, read one after the other; the caller may jump to a line whose byte offset
/// and number it noted before ([`LineReader::seek`]).
pub(crate) struct LineReader<R> {
    inner: R,
    raw: Vec<u8>,
    /// Number of the last line read.
    number: u64,
    /// Byte offset of the next line.
    offset: u64,
}

impl LineReader<BufReader<File>> {
    /// Opens a file for reading from its first line.
    pub fn open(path: &Path) -> io::Result<Self> {
        Ok(Self::new(BufReader::with_capacity(
            READ_BUFFER,
            File::open(path)?,
        )))
    }

    /// Continues at the line numbered `number`, which starts at byte `offset`.
    pub fn seek(&mut self, offset: u64, number: u64) -> io::Result<()> {
        // Reading on from where the reader is keeps its buffer: files read in the order they
        // were indexed never really seek.
        if offset != self.offset {
            self.inner.seek(SeekFrom::Start(offset))?;
            self.offset = offset;
        }
        self.number = number - 1;
        Ok(())
    }
}

impl<R: BufRead> LineReader<R> {
    /// Reads lines from `inner`, which is at the start of a file.
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            raw: Vec::with_capacity(256),
            number: 0,
            offset: 0,
        }
    }

    /// Byte offset of the next line.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// The next line, or `None` at the end of the file. A final line ending does not start an
    /// extra empty line.
    pub fn next_line(&mut self) -> io::Result<Option<Line<'_>>> {
        self.raw.clear();
        let read = self.inner.read_until(b'\n', &mut self.raw)?;
        if read == 0 {
            return Ok(None);
        }
        self.offset += read as u64;
        self.number += 1;
        let mut raw = &self.raw[..];
        let terminated = match raw.strip_suffix(b"\n") {
            Some(stripped) => {
                raw = stripped;
                true
            }
            None => false,
        };
        let crlf = match raw.strip_suffix(b"\r") {
            Some(stripped) => {
                raw = stripped;
                true
            }
            None => false,
        };
        let (text, transcoded) = decode(raw);
        Ok(Some(Line {
            number: self.number,
            text,
            transcoded,
            crlf,
            terminated,
        }))
    }
}

/// UTF-8 when valid; otherwise ISO-8859-1, where every byte is the code point of its value,
/// so no input byte is lost or replaced.
fn decode(raw: &[u8]) -> (Cow<'_, str>, bool) {
    match std::str::from_utf8(raw) {
        Ok(text) => (Cow::Borrowed(text), false),
        Err(_) => (
            Cow::Owned(raw.iter().map(|&b| char::from(b)).collect()),
            true,
        ),
    }
}

/// The tab-separated fields of a line: the first `N` in `out`, and how many there are.
pub(crate) fn split_fields<'a, const N: usize>(text: &'a str, out: &mut [&'a str; N]) -> usize {
    let mut count = 0;
    for field in text.split('\t') {
        if count < N {
            out[count] = field;
        }
        count += 1;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line of `bytes`, owned.
    fn lines(bytes: &[u8]) -> Vec<Line<'static>> {
        let mut reader = LineReader::new(bytes);
        let mut all = Vec::new();
        while let Some(line) = reader.next_line().unwrap() {
            all.push(Line {
                text: Cow::Owned(line.text.into_owned()),
                ..line
            });
        }
        all
    }

    fn fields(line: &Line<'_>) -> Vec<String> {
        line.text.split('\t').map(str::to_owned).collect()
    }

    #[test]
    fn crlf_and_lf_lines_read_the_same() {
        let crlf = lines(b"a\tb\r\nc\td\r\n");
        let lf = lines(b"a\tb\nc\td\n");
        assert_eq!(crlf.len(), 2);
        assert_eq!(fields(&crlf[1]), ["c", "d"]);
        assert!(crlf[0].crlf && !lf[0].crlf);
        assert_eq!(
            crlf.iter().map(|l| l.text.clone()).collect::<Vec<_>>(),
            lf.iter().map(|l| l.text.clone()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_file_without_final_newline_keeps_its_last_line() {
        let all = lines(b"h\n1\n2");
        assert_eq!(all.len(), 3);
        assert_eq!(all[2].text, "2");
        assert_eq!(all[2].number, 3);
        assert!(all[1].terminated && !all[2].terminated);
    }

    #[test]
    fn empty_lines_are_lines_but_a_final_newline_starts_none() {
        assert_eq!(lines(b"\n").len(), 1);
        assert_eq!(lines(b"a\n\n").len(), 2);
        assert_eq!(lines(b"a\n\nb").len(), 3);
    }

    #[test]
    fn latin1_bytes_are_decoded_not_replaced() {
        let line = &lines(b"2863\ttropic\xe1lia\r\n")[0];
        assert_eq!(line.text, "2863\ttropicália");
        assert!(line.transcoded);
    }

    #[test]
    fn valid_utf8_is_kept_as_is() {
        let line = &lines("1\tRöyksopp\n".as_bytes())[0];
        assert_eq!(line.text, "1\tRöyksopp");
        assert!(!line.transcoded);
    }

    #[test]
    fn quotes_are_data() {
        let line = &lines(b"1\t\"Weird Al\" Yankovic\tu\tp\n")[0];
        assert_eq!(fields(line)[1], "\"Weird Al\" Yankovic");
    }

    #[test]
    fn an_empty_file_has_no_lines() {
        assert!(lines(b"").is_empty());
    }

    #[test]
    fn fields_are_counted_beyond_those_kept() {
        let mut out = [""; 2];
        assert_eq!(split_fields("a\tb\tc", &mut out), 3);
        assert_eq!(out, ["a", "b"]);
        assert_eq!(split_fields("", &mut out), 1);
    }

    #[test]
    fn a_reader_resumes_at_a_noted_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.dat");
        std::fs::write(&path, b"h\r\n1\r\n2\r\n3\r\n").unwrap();
        let mut reader = LineReader::open(&path).unwrap();
        reader.next_line().unwrap();
        let (offset, number) = (reader.offset(), 2);
        while reader.next_line().unwrap().is_some() {}
        reader.seek(offset, number).unwrap();
        let line = reader.next_line().unwrap().unwrap();
        assert_eq!((line.number, line.text.as_ref()), (2, "1"));
    }
}
