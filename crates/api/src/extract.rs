//! Validation at the door: extractors for path, query string and JSON body that turn every
//! malformed or out-of-range input into one 422 naming each field at fault, before a handler
//! runs. Handlers receive values that are already checked.
//!
//! One file though over 500 lines: everything a request's input passes through before a
//! handler (the three extractors, the normalizations they apply, the checks `Validate`
//! implementations call) is read together whenever a rule at the door changes.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_ENCODING, CONTENT_TYPE};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, FieldError};

/// Declares a query-string struct as every one is: `Debug`, `Deserialize` rejecting unknown
/// fields (a misspelt parameter is a 422, not ignored), and `IntoParams` as query parameters.
/// The docs, the fields and their `#[param]` / `#[serde]` attributes are the caller's.
macro_rules! query_params {
    ($(#[$meta:meta])* pub struct $name:ident { $($fields:tt)* }) => {
        $(#[$meta])*
        #[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
        #[serde(deny_unknown_fields)]
        #[into_params(parameter_in = Query)]
        pub struct $name { $($fields)* }
    };
}
pub(crate) use query_params;

/// Page size when none is asked for.
pub const DEFAULT_LIMIT: i64 = 50;
/// The largest page a list returns.
pub const MAX_LIMIT: i64 = 500;
/// The largest `skip` accepted.
pub const MAX_SKIP: i64 = 10_000_000;
/// The longest text accepted in a name, tag value or search string.
pub const MAX_TEXT: usize = soundstream_core::name::MAX_NAME_CHARS;

/// Checks that run after parsing: ranges, lengths, combinations. Each problem is pushed as a
/// [`FieldError`]; the default checks nothing.
pub trait Validate {
    /// Pushes one error per invalid field.
    fn validate(&self, _errors: &mut Vec<FieldError>) {}
}

/// A validated query string. Unknown parameters are rejected (a mistyped filter must not be
/// silently ignored), and so is anything that is not UTF-8 once percent-decoded; lists may
/// repeat the key (`tag=a&tag=b`).
#[derive(Debug, Clone)]
pub struct Query<T>(pub T);

/// Validated path parameters.
#[derive(Debug, Clone)]
pub struct Path<T>(pub T);

/// A validated JSON body: `Content-Type: application/json`, uncompressed, one JSON object and
/// nothing after it, no unknown fields.
#[derive(Debug, Clone)]
pub struct Json<T>(pub T);

/// The field a serde error is about: the path it failed at or, for an unknown or missing
/// field, the name serde quotes in its message.
fn field_of(path: &str, message: &str) -> String {
    if !path.is_empty() && path != "." {
        return path.to_owned();
    }
    message
        .split('`')
        .nth(1)
        .map(str::to_owned)
        .unwrap_or_default()
}

fn finish<T: Validate>(value: T) -> Result<T, ApiError> {
    let mut errors = Vec::new();
    value.validate(&mut errors);
    if errors.is_empty() {
        Ok(value)
    } else {
        Err(ApiError::Validation(errors))
    }
}

impl<S: Send + Sync, T: DeserializeOwned + Validate> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let mut raw = std::borrow::Cow::Borrowed(parts.uri.query().unwrap_or_default().as_bytes());
        check_query_utf8(&raw)?;
        let value: T = loop {
            let deserializer = serde_html_form::Deserializer::from_bytes(&raw);
            let e = match serde_path_to_error::deserialize(deserializer) {
                Ok(value) => break value,
                Err(e) => e,
            };
            let message = e.inner().to_string();
            let field = field_of(&e.path().to_string(), &message);
            // `5.0` where an integer is wanted: the integer (each field is rewritten once).
            if let Some(rewritten) = integral_values(&raw, &field) {
                raw = std::borrow::Cow::Owned(rewritten);
                continue;
            }
            // serde_html_form's only words for `limit=1&limit=2` on a single-valued parameter.
            let reason = if message == "unsupported value" && occurrences(&raw, &field) > 1 {
                "is given more than once; give it once".to_owned()
            } else {
                message
            };
            return Err(ApiError::invalid(FieldError::query(&field, reason)));
        };
        reject_empty_numbers::<T>(&raw)?;
        finish(value).map(Query)
    }
}

/// The integer that a decimal with a zero fraction is (`5.0`, `-12.00`), as text. JSON Schema
/// counts such a number as an integer, and generators of requests from a schema write
/// integers so; the API reads them as the integers they are, where an integer is wanted.
fn integral(text: &str) -> Option<&str> {
    let (integer, fraction) = text.split_once('.')?;
    let digits = integer.strip_prefix('-').unwrap_or(integer);
    let is_integral = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !fraction.is_empty()
        && fraction.bytes().all(|b| b == b'0');
    is_integral.then_some(integer)
}

/// The query with every value of `field` that is an integral decimal written as an integer,
/// or `None` when it has no such value.
fn integral_values(raw: &[u8], field: &str) -> Option<Vec<u8>> {
    let mut changed = false;
    let pairs: Vec<Vec<u8>> = raw
        .split(|&b| b == b'&')
        .map(|pair| {
            let mut halves = pair.splitn(2, |&b| b == b'=');
            let key = halves.next().unwrap_or_default();
            let value = decode_component(halves.next().unwrap_or_default());
            let integer = std::str::from_utf8(&value).ok().and_then(integral);
            match integer {
                Some(integer) if decode_component(key) == field.as_bytes() => {
                    changed = true;
                    [key, b"=", integer.as_bytes()].concat()
                }
                _ => pair.to_vec(),
            }
        })
        .collect();
    changed.then(|| pairs.join(&b'&'))
}

/// A 422 for a parameter given with an empty value (`skip=`) where a number or a flag is
/// expected. The form decoder reads such a value as absent, so `skip=` would silently mean
/// the default, while the contract says the parameter is an integer when present. A
/// parameter is found to be such when the same query with `-` in place of its empty value
/// does not parse at that parameter (text and lists take `-`; numbers do not).
fn reject_empty_numbers<T: DeserializeOwned>(raw: &[u8]) -> Result<(), ApiError> {
    fn is_empty(pair: &[u8]) -> bool {
        !pair.is_empty()
            && pair
                .split(|&b| b == b'=')
                .nth(1)
                .is_none_or(<[u8]>::is_empty)
    }
    fn key(pair: &[u8]) -> &[u8] {
        pair.split(|&b| b == b'=').next().unwrap_or_default()
    }
    let pairs: Vec<&[u8]> = raw.split(|&b| b == b'&').collect();
    for empty in pairs.iter().copied().filter(|pair| is_empty(pair)) {
        let name = key(empty);
        let probe: Vec<u8> = pairs
            .iter()
            .map(|&pair| {
                if is_empty(pair) && key(pair) == name {
                    [name, b"=-"].concat()
                } else {
                    pair.to_vec()
                }
            })
            .collect::<Vec<_>>()
            .join(&b'&');
        let deserializer = serde_html_form::Deserializer::from_bytes(&probe);
        if let Err(e) = serde_path_to_error::deserialize::<_, T>(deserializer) {
            let name = String::from_utf8_lossy(&decode_component(name)).into_owned();
            if field_of(&e.path().to_string(), &e.inner().to_string()) == name {
                return Err(ApiError::invalid(FieldError::query(
                    &name,
                    "is empty: give a value, or leave the parameter out",
                )));
            }
        }
    }
    Ok(())
}

impl<S: Send + Sync, T: DeserializeOwned + Validate + Send> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        use axum::extract::path::ErrorKind;
        use axum::extract::rejection::PathRejection;
        let value = match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(value),
            // `5.0` for an id: read as the integer it is (see `integral`).
            Err(PathRejection::FailedToDeserializePathParams(e)) if matches!(e.kind(), ErrorKind::ParseErrorAtKey { value, .. } if integral(value).is_some()) => {
                match integral_path::<T, S>(parts, state).await {
                    Some(value) => Ok(value),
                    None => Err(PathRejection::FailedToDeserializePathParams(e)),
                }
            }
            Err(rejection) => Err(rejection),
        };
        let value = value.map_err(|rejection| match rejection {
            PathRejection::FailedToDeserializePathParams(e) => match e.into_kind() {
                ErrorKind::ParseErrorAtKey {
                    key,
                    value,
                    expected_type,
                } => ApiError::invalid(FieldError::path(
                    &key,
                    format!("'{value}' is not a valid {expected_type}"),
                )),
                ErrorKind::ParseErrorAtIndex {
                    index,
                    value,
                    expected_type,
                } => ApiError::invalid(FieldError::path(
                    &index.to_string(),
                    format!("'{value}' is not a valid {expected_type}"),
                )),
                // Without this arm `%FF` in an id would be an error about no field.
                ErrorKind::InvalidUtf8InPathParam { key } => {
                    ApiError::invalid(FieldError::path(&key, "is not valid UTF-8"))
                }
                ErrorKind::DeserializeError {
                    key,
                    value,
                    message,
                } => ApiError::invalid(FieldError::path(
                    &key,
                    format!("'{value}' is not accepted: {message}"),
                )),
                other => ApiError::invalid(FieldError::path("", other.to_string())),
            },
            other => ApiError::Internal(other.body_text()),
        })?;
        finish(value).map(Path)
    }
}

/// The path parameters with their integral decimals written as integers, deserialized.
async fn integral_path<T: DeserializeOwned, S: Send + Sync>(
    parts: &mut Parts,
    state: &S,
) -> Option<T> {
    let params = axum::extract::RawPathParams::from_request_parts(parts, state)
        .await
        .ok()?;
    let query: Vec<String> = params
        .iter()
        .map(|(key, value)| {
            let value = integral(value).unwrap_or(value);
            let encode = |s: &str| {
                percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC)
                    .to_string()
            };
            format!("{}={}", encode(key), encode(value))
        })
        .collect();
    let query = query.join("&");
    serde_html_form::from_str(&query).ok()
}

impl<S: Send + Sync, T: DeserializeOwned + Validate> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| {
                let mime = mime.trim();
                mime == "application/json" || mime.ends_with("+json")
            });
        if !is_json {
            return Err(ApiError::Status {
                status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                code: "unsupported_media_type",
                message: "send the body as JSON with Content-Type: application/json".into(),
            });
        }
        // Nothing here decompresses: a gzip body would otherwise be parsed as if it were JSON
        // text and fail with a confusing syntax error (RFC 9110 §15.5.16: 415).
        if let Some(encoding) = req.headers().get(CONTENT_ENCODING)
            && !encoding
                .to_str()
                .is_ok_and(|e| e.trim().eq_ignore_ascii_case("identity"))
        {
            return Err(ApiError::Status {
                status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                code: "unsupported_media_type",
                message: "send the body uncompressed: Content-Encoding is not supported".into(),
            });
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::Status {
                status: e.status(),
                code: if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    "payload_too_large"
                } else {
                    "bad_request"
                },
                message: e.body_text(),
            })?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::invalid(FieldError::body(
                "",
                "the body is empty; send a JSON object",
            )));
        }
        // Every body of this API is an object; serde would also take a struct from an array
        // (`[]` as an empty PATCH).
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(ApiError::invalid(FieldError::body(
                "",
                "the body must be a JSON object ({...})",
            )));
        }
        let bytes = normalized_json(&bytes);
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        let value: T = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
            let message = e.inner().to_string();
            ApiError::invalid(FieldError::body(
                &field_of(&e.path().to_string(), &message),
                message,
            ))
        })?;
        // Without this, `{"id": 1} garbage` would be accepted: the parser stops after the
        // first value unless asked whether anything but whitespace follows.
        deserializer.end().map_err(|e| {
            ApiError::invalid(FieldError::body(
                "",
                format!("unexpected data after the JSON object ({e})"),
            ))
        })?;
        finish(value).map(Json)
    }
}

/// A JSON body as the API stores it: every string in Unicode NFC (names typed with combining
/// accents and with precomposed ones are the same name), and every number written as an
/// integer with a zero fraction (`5.0`, which JSON Schema counts as the integer 5 and
/// generators send) written as that integer. Anything else, malformed JSON included, is left
/// as it is for the parser to judge. Borrowed when nothing changes, which is the common case:
/// a body of ASCII without `\u` escapes or decimal points is not even scanned.
pub fn normalized_json(body: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    use std::borrow::Cow;
    let plain = body.is_ascii()
        && memchr::memmem::find(body, b"\\u").is_none()
        && memchr::memchr(b'.', body).is_none();
    if plain {
        return Cow::Borrowed(body);
    }
    let mut out = Vec::with_capacity(body.len());
    let mut changed = false;
    let mut i = 0;
    while i < body.len() {
        match body[i] {
            b'"' => {
                // The literal runs to the first quote not escaped by a backslash.
                let mut end = i + 1;
                while end < body.len() && body[end] != b'"' {
                    end += if body[end] == b'\\' { 2 } else { 1 };
                }
                let end = (end + 1).min(body.len());
                let literal = &body[i..end];
                // Only text with non-ASCII characters (or escapes of them) can change.
                let ascii = literal.is_ascii() && memchr::memmem::find(literal, b"\\u").is_none();
                let normalized = (!ascii)
                    .then(|| serde_json::from_slice::<String>(literal).ok())
                    .flatten()
                    .and_then(|text| match soundstream_core::name::nfc(&text) {
                        Cow::Owned(normalized) => serde_json::to_string(&normalized).ok(),
                        Cow::Borrowed(_) => None,
                    });
                match normalized {
                    Some(normalized) => {
                        changed = true;
                        out.extend_from_slice(normalized.as_bytes());
                    }
                    None => out.extend_from_slice(literal),
                }
                i = end;
            }
            b'-' | b'0'..=b'9' if i == 0 || !body[i - 1].is_ascii_alphanumeric() => {
                let start = i;
                i += 1;
                while i < body.len() && body[i].is_ascii_digit() {
                    i += 1;
                }
                let integer = &body[start..i];
                let fraction_end = (i < body.len() && body[i] == b'.').then(|| {
                    let mut end = i + 1;
                    while end < body.len() && body[end] == b'0' {
                        end += 1;
                    }
                    end
                });
                let followed_by = |at: usize| body.get(at).copied();
                match fraction_end {
                    // `5.0`, `-12.000`, but not `5.`, `5.01` or `5.0e3`.
                    Some(end)
                        if end > i + 1
                            && integer.last().is_some_and(u8::is_ascii_digit)
                            && !matches!(
                                followed_by(end),
                                Some(b'0'..=b'9' | b'e' | b'E' | b'.')
                            ) =>
                    {
                        changed = true;
                        out.extend_from_slice(integer);
                        i = end;
                    }
                    _ => out.extend_from_slice(integer),
                }
            }
            other => {
                out.push(other);
                i += 1;
            }
        }
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(body)
    }
}

/// Percent-decodes one key or value of a query string (a `%` not followed by two hex digits
/// stays as it is, as in form decoding; `+` is left alone, which changes neither UTF-8 validity
/// nor any parameter name of this API).
fn decode_component(raw: &[u8]) -> Vec<u8> {
    percent_encoding::percent_decode(raw).collect()
}

/// A 422 naming the first parameter whose name or value is not UTF-8 once percent-decoded.
/// The form decoder would replace the bad bytes with U+FFFD and search for that instead.
fn check_query_utf8(raw: &[u8]) -> Result<(), ApiError> {
    for pair in raw.split(|&b| b == b'&') {
        let mut halves = pair.splitn(2, |&b| b == b'=');
        let key = decode_component(halves.next().unwrap_or_default());
        let value = decode_component(halves.next().unwrap_or_default());
        if std::str::from_utf8(&key).is_err() || std::str::from_utf8(&value).is_err() {
            return Err(ApiError::invalid(FieldError::query(
                &String::from_utf8_lossy(&key),
                "is not valid UTF-8 once percent-decoded",
            )));
        }
    }
    Ok(())
}

/// How many times the parameter `name` appears in a query string.
fn occurrences(raw: &[u8], name: &str) -> usize {
    raw.split(|&b| b == b'&')
        .filter(|pair| {
            let key = pair.split(|&b| b == b'=').next().unwrap_or_default();
            decode_component(key) == name.as_bytes()
        })
        .count()
}

/// Pushes an error unless `skip` and `limit` are in range.
pub fn check_page(skip: Option<i64>, limit: Option<i64>, errors: &mut Vec<FieldError>) {
    if let Some(skip) = skip
        && !(0..=MAX_SKIP).contains(&skip)
    {
        errors.push(FieldError::query(
            "skip",
            format!("must be between 0 and {MAX_SKIP}"),
        ));
    }
    if let Some(limit) = limit
        && !(1..=MAX_LIMIT).contains(&limit)
    {
        errors.push(FieldError::query(
            "limit",
            format!("must be between 1 and {MAX_LIMIT}"),
        ));
    }
}

/// `(skip, limit)` with their defaults, for checked values.
pub fn page(skip: Option<i64>, limit: Option<i64>) -> (i64, i64) {
    (skip.unwrap_or(0), limit.unwrap_or(DEFAULT_LIMIT))
}

/// Pushes an error unless the id is positive.
pub fn check_id(location: &str, field: &str, id: i64, errors: &mut Vec<FieldError>) {
    if id < 1 {
        errors.push(FieldError {
            field: field.to_owned(),
            location: location.to_owned(),
            reason: "must be a positive integer".into(),
        });
    }
}

/// Pushes an error unless `text` is a name people can read (`soundstream_core::name`): 1 to
/// [`MAX_TEXT`] characters, a visible one among them, no control or bidirectional control
/// characters. Its OpenAPI pattern is `soundstream_core::name::NAME_PATTERN`.
pub fn check_text(location: &str, field: &str, text: &str, errors: &mut Vec<FieldError>) {
    if let Err(problem) = soundstream_core::name::check_name(text) {
        errors.push(FieldError {
            field: field.to_owned(),
            location: location.to_owned(),
            reason: problem.to_string(),
        });
    }
}

/// Pushes an error for a negative bound or an inverted range (`min` above `max`).
pub fn check_range(
    (min_field, min): (&str, Option<i64>),
    (max_field, max): (&str, Option<i64>),
    errors: &mut Vec<FieldError>,
) {
    for (field, value) in [(min_field, min), (max_field, max)] {
        if value.is_some_and(|v| v < 0) {
            errors.push(FieldError::query(field, "must not be negative"));
        }
    }
    if let (Some(lo), Some(hi)) = (min, max)
        && lo > hi
    {
        errors.push(FieldError::query(
            min_field,
            format!("is above {max_field} ({lo} > {hi})"),
        ));
    }
}

/// Deserializes a present field as `Some(value)`, so that with `#[serde(default)]` an absent
/// field (`None`) and an explicit `null` (`Some(None)`) can be told apart in a PATCH.
pub fn present<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// Splits list parameters on commas too, so `tags_all=rock,indie` equals repeating the key.
pub fn split_list(values: &[String]) -> Vec<String> {
    values
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect()
}

crate::list::list_query! {
    after = " Start after this cursor: the `next` of the previous page."
    /// A page of a list: `skip` or `after`, and `limit`.
    // The paging of every list on its own, for the sub-lists (a user's artists, an artist's
    // listeners...), whose `after` is documented without "(instead of `skip`)".
    pub struct PageQuery {}
}

impl Validate for PageQuery {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        self.check_paging(errors);
    }
}

/// Pushes the errors of a list's paging parameters: `skip` and `limit` out of range, `after`
/// empty or given with `skip`.
pub fn check_paging(
    skip: Option<i64>,
    after: Option<&str>,
    limit: Option<i64>,
    errors: &mut Vec<FieldError>,
) {
    check_page(skip, limit, errors);
    check_after(skip, after, errors);
}

/// Pushes an error when both `skip` and `after` are given, or `after` is empty.
pub fn check_after(skip: Option<i64>, after: Option<&str>, errors: &mut Vec<FieldError>) {
    match after {
        Some("") => errors.push(FieldError::query(
            "after",
            "must not be empty: pass the `next` value of the previous page",
        )),
        Some(_) if skip.is_some() => errors.push(FieldError::query(
            "after",
            "give `skip` or `after`, not both",
        )),
        _ => {}
    }
}

query_params! {
    /// The size of a ranked top-N list.
    pub struct TopQuery {
        /// How many, 1 to 100 (default 10).
        #[param(minimum = 1, maximum = 100)]
        pub limit: Option<i64>,
    }
}

impl Validate for TopQuery {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        if let Some(limit) = self.limit
            && !(1..=100).contains(&limit)
        {
            errors.push(FieldError::query("limit", "must be between 1 and 100"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::normalized_json;

    fn normalized(body: &str) -> String {
        String::from_utf8(normalized_json(body.as_bytes()).into_owned()).unwrap()
    }

    #[test]
    fn json_bodies_get_nfc_strings_and_integral_numbers_and_nothing_else_changes() {
        assert_eq!(
            normalized(r#"{"name": "meta\u0301l", "b": "e\u0301"}"#),
            r#"{"name": "metál", "b": "é"}"#
        );
        assert_eq!(
            normalized("{\"name\": \"meta\u{301}l\"}"),
            r#"{"name": "metál"}"#
        );
        assert_eq!(
            normalized(r#"{"w": 5.0, "x": -12.000, "y": [1.00,2.5]}"#),
            r#"{"w": 5, "x": -12, "y": [1,2.5]}"#
        );
        for same in [
            r#"{"w": 5.01, "x": 1.0e3, "y": 5., "z": "v1.0", "u": "http://a.b/1.0"}"#,
            r#"{"name": "plain ascii", "n": 7}"#,
            r#"{"broken": "meta\u0301l"#,
            "{\"bad\": \"\u{e9}\u{1}\"}",
        ] {
            assert_eq!(normalized(same), same);
        }
        assert!(matches!(
            normalized_json(br#"{"a": 1}"#),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}

query_params! {
    /// An endpoint without parameters: any query parameter is a mistake, and rejected.
    pub struct NoParams {}
}

impl Validate for NoParams {}
