//! Reading one `.dat` file as it is: lines split on `\n` with an optional `\r` (the archive
//! mixes LF and CRLF files), each line decoded as UTF-8 or, when it is not valid UTF-8, as
//! ISO-8859-1 (`tags.dat` holds Latin-1 bytes such as `tropic\xe1lia`), then split on tabs.
//!
//! Quotes are ordinary characters here: names like `"Weird Al" Yankovic` or `Royce da 5'9"`
//! are data, not CSV quoting.

use std::borrow::Cow;

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
}

impl Line<'_> {
    /// The tab-separated fields of the line.
    pub fn fields(&self) -> Vec<&str> {
        self.text.split('\t').collect()
    }
}

/// The lines of a file. A final line ending does not start an extra empty line.
pub(crate) fn lines(bytes: &[u8]) -> impl Iterator<Item = Line<'_>> {
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let mut number = 0;
    body.split(|&b| b == b'\n')
        .filter(move |_| !bytes.is_empty())
        .map(move |raw| {
            number += 1;
            let (raw, crlf) = match raw.strip_suffix(b"\r") {
                Some(stripped) => (stripped, true),
                None => (raw, false),
            };
            let (text, transcoded) = decode(raw);
            Line {
                number,
                text,
                transcoded,
                crlf,
            }
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_and_lf_lines_read_the_same() {
        let crlf: Vec<_> = lines(b"a\tb\r\nc\td\r\n").collect();
        let lf: Vec<_> = lines(b"a\tb\nc\td\n").collect();
        assert_eq!(crlf.len(), 2);
        assert_eq!(crlf[1].fields(), vec!["c", "d"]);
        assert!(crlf[0].crlf && !lf[0].crlf);
        assert_eq!(
            crlf.iter().map(|l| l.text.clone()).collect::<Vec<_>>(),
            lf.iter().map(|l| l.text.clone()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_file_without_final_newline_keeps_its_last_line() {
        let all: Vec<_> = lines(b"h\n1\n2").collect();
        assert_eq!(all.len(), 3);
        assert_eq!(all[2].text, "2");
        assert_eq!(all[2].number, 3);
    }

    #[test]
    fn latin1_bytes_are_decoded_not_replaced() {
        let line = lines(b"2863\ttropic\xe1lia\r\n").next().unwrap();
        assert_eq!(line.text, "2863\ttropicália");
        assert!(line.transcoded);
    }

    #[test]
    fn valid_utf8_is_kept_as_is() {
        let line = lines("1\tRöyksopp\n".as_bytes()).next().unwrap();
        assert_eq!(line.text, "1\tRöyksopp");
        assert!(!line.transcoded);
    }

    #[test]
    fn quotes_are_data() {
        let line = lines(b"1\t\"Weird Al\" Yankovic\tu\tp\n").next().unwrap();
        assert_eq!(line.fields()[1], "\"Weird Al\" Yankovic");
    }

    #[test]
    fn an_empty_file_has_no_lines() {
        assert_eq!(lines(b"").count(), 0);
    }
}
