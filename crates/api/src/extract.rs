//! Validation at the door: extractors for path, query string and JSON body that turn every
//! malformed or out-of-range input into one 422 naming each field at fault, before a handler
//! runs. Handlers receive values that are already checked.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use utoipa::IntoParams;

use crate::error::{ApiError, FieldError};

/// Page size when none is asked for.
pub const DEFAULT_LIMIT: i64 = 50;
/// The largest page a list returns.
pub const MAX_LIMIT: i64 = 500;
/// The largest `skip` accepted.
pub const MAX_SKIP: i64 = 10_000_000;
/// The longest text accepted in a name, tag value or search string.
pub const MAX_TEXT: usize = 500;

/// Checks that run after parsing: ranges, lengths, combinations. Each problem is pushed as a
/// [`FieldError`]; the default checks nothing.
pub trait Validate {
    /// Pushes one error per invalid field.
    fn validate(&self, _errors: &mut Vec<FieldError>) {}
}

/// A validated query string. Unknown parameters are rejected (a mistyped filter must not be
/// silently ignored); lists may repeat the key (`tag=a&tag=b`).
#[derive(Debug, Clone)]
pub struct Query<T>(pub T);

/// Validated path parameters.
#[derive(Debug, Clone)]
pub struct Path<T>(pub T);

/// A validated JSON body: `Content-Type: application/json`, no unknown fields.
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
        let raw = parts.uri.query().unwrap_or_default().as_bytes();
        let deserializer = serde_html_form::Deserializer::from_bytes(raw);
        let value: T = serde_path_to_error::deserialize(deserializer).map_err(|e| {
            let message = e.inner().to_string();
            ApiError::invalid(FieldError::query(
                &field_of(&e.path().to_string(), &message),
                message,
            ))
        })?;
        finish(value).map(Query)
    }
}

impl<S: Send + Sync, T: DeserializeOwned + Validate + Send> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        use axum::extract::path::ErrorKind;
        use axum::extract::rejection::PathRejection;
        let axum::extract::Path(value) = axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map_err(|rejection| match rejection {
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
                    other => ApiError::invalid(FieldError::path("", other.to_string())),
                },
                other => ApiError::Internal(other.body_text()),
            })?;
        finish(value).map(Path)
    }
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
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        let value: T = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
            let message = e.inner().to_string();
            ApiError::invalid(FieldError::body(
                &field_of(&e.path().to_string(), &message),
                message,
            ))
        })?;
        finish(value).map(Json)
    }
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

/// Pushes an error unless `text` is non-blank and at most [`MAX_TEXT`] characters.
pub fn check_text(location: &str, field: &str, text: &str, errors: &mut Vec<FieldError>) {
    let reason = if text.trim().is_empty() {
        "must not be empty"
    } else if text.chars().count() > MAX_TEXT {
        "is longer than 500 characters"
    } else if text.chars().any(char::is_control) {
        "must not contain control characters (tabs, newlines...)"
    } else {
        return;
    };
    errors.push(FieldError {
        field: field.to_owned(),
        location: location.to_owned(),
        reason: reason.into(),
    });
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

/// A page of a list: `skip` and `limit`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items to skip (default 0).
    pub skip: Option<i64>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
}

impl Validate for PageQuery {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        check_page(self.skip, self.limit, errors);
    }
}

/// The size of a ranked top-N list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TopQuery {
    /// How many, 1 to 100 (default 10).
    pub limit: Option<i64>,
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
