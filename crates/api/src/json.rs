//! JSON bodies written by hand for the answers served most: the exact bytes `serde_json`
//! writes for them (tests hold them equal), without serde's per-field machinery. For a point
//! read, serde_json's generic string escaping and its writes through `io::Write` were a
//! quarter of the request's instructions; the field names here are constants and a value
//! with nothing to escape is copied whole.

use soundstream_core::views::artists::{ArtistDetail, TagCount};
use soundstream_core::views::tags::TagAssignmentView;

/// A value that writes its own JSON: exactly the bytes `serde_json::to_vec` gives for it.
pub trait WriteJson {
    /// Appends the value's JSON to `out`.
    fn write_json(&self, out: &mut Vec<u8>);
}

/// A 200 whose body is `T`'s own JSON (see [`WriteJson`]), headed as `axum::Json` heads it.
#[derive(Debug, Clone)]
pub struct Written<T>(pub T);

/// The bytes reserved for a single answer: most are written without growing the buffer.
const ANSWER_BYTES: usize = 1024;

impl<T: WriteJson> axum::response::IntoResponse for Written<T> {
    fn into_response(self) -> axum::response::Response {
        let mut body = Vec::with_capacity(ANSWER_BYTES);
        self.0.write_json(&mut body);
        json_response(body)
    }
}

/// A 200 with a JSON body, headed as `axum::Json` heads it.
pub(crate) fn json_response(body: Vec<u8>) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    let mut response = axum::response::Response::new(axum::body::Body::from(body));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// Appends `text` as a JSON string, as `serde_json` writes it: `"`, `\` and control
/// characters escaped, everything else (non-ASCII included) as it is.
pub fn write_str(out: &mut Vec<u8>, text: &str) {
    if text.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.reserve(text.len() + 2);
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    } else {
        serde_json::to_writer(&mut *out, text).expect("writing to a Vec cannot fail");
    }
}

/// Appends `value`, or `null`.
fn write_opt_str(out: &mut Vec<u8>, value: Option<&str>) {
    match value {
        Some(text) => write_str(out, text),
        None => out.extend_from_slice(b"null"),
    }
}

/// Appends an integer.
fn write_int(out: &mut Vec<u8>, value: i64) {
    out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
}

impl WriteJson for TagAssignmentView {
    fn write_json(&self, out: &mut Vec<u8>) {
        let fields = [
            (&b"{\"user_id\":"[..], self.user_id),
            (b",\"artist_id\":", self.artist_id),
            (b",\"tag_id\":", self.tag_id),
            (b",\"timestamp\":", self.timestamp),
            (b",\"day\":", self.day),
            (b",\"month\":", self.month),
            (b",\"year\":", self.year),
        ];
        for (name, value) in fields {
            out.extend_from_slice(name);
            write_int(out, value);
        }
        out.push(b'}');
    }
}

impl WriteJson for TagCount {
    fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"tag_id\":");
        write_int(out, self.tag_id);
        out.extend_from_slice(b",\"value\":");
        write_str(out, &self.value);
        out.extend_from_slice(b",\"count\":");
        write_int(out, self.count);
        out.push(b'}');
    }
}

impl WriteJson for ArtistDetail {
    fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"id\":");
        write_int(out, self.id);
        out.extend_from_slice(b",\"name\":");
        write_str(out, &self.name);
        out.extend_from_slice(b",\"url\":");
        write_opt_str(out, self.url.as_deref());
        out.extend_from_slice(b",\"picture_url\":");
        write_opt_str(out, self.picture_url.as_deref());
        out.extend_from_slice(b",\"listeners\":");
        write_int(out, self.listeners);
        out.extend_from_slice(b",\"plays\":");
        write_int(out, self.plays);
        out.extend_from_slice(b",\"top_tags\":[");
        for (i, tag) in self.top_tags.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            tag.write_json(out);
        }
        out.extend_from_slice(b"]}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(value: &impl WriteJson) -> String {
        let mut out = Vec::new();
        value.write_json(&mut out);
        String::from_utf8(out).unwrap()
    }

    /// Every character class the escaping treats differently.
    const TEXTS: [&str; 6] = [
        "",
        "Britney Spears",
        "Sigur Rós 🎵",
        "a\"b\\c",
        "tab\there\n",
        "\u{1}\u{1f}\u{7f}/",
    ];

    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        for text in TEXTS {
            let mut out = Vec::new();
            write_str(&mut out, text);
            assert_eq!(out, serde_json::to_vec(text).unwrap(), "{text:?}");
        }
    }

    #[test]
    fn an_artist_is_written_as_serde_json_writes_it() {
        for (i, text) in TEXTS.iter().enumerate() {
            let artist = ArtistDetail {
                id: i64::MAX - i as i64,
                name: (*text).to_owned(),
                url: (i % 2 == 0).then(|| format!("https://www.last.fm/music/{text}")),
                picture_url: (i % 3 == 0).then(|| (*text).to_owned()),
                listeners: i as i64,
                plays: -(i as i64),
                top_tags: TEXTS[..i]
                    .iter()
                    .enumerate()
                    .map(|(t, value)| TagCount {
                        tag_id: t as i64,
                        value: (*value).to_owned(),
                        count: i64::MIN + t as i64,
                    })
                    .collect(),
            };
            assert_eq!(written(&artist), serde_json::to_string(&artist).unwrap());
        }
    }
}
