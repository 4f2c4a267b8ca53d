//! The one error format of the API. Every failure, from any endpoint, is a JSON body
//! `{"error": {"status", "code", "message", "fields"}}`; store errors are mapped to HTTP here and
//! only here, and a 500 is logged with its cause but never shows it to the client.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use soundstream_store::{Check, Missing, RowKey, StoreError};
use utoipa::ToSchema;

/// The body of every error response.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// The HTTP status code, repeated for clients that only see the body.
    pub status: u16,
    /// A stable, machine-readable code: `not_found`, `validation_failed`, `conflict`,
    /// `payload_too_large`, `unsupported_media_type`, `rate_limited`, `internal`...
    pub code: String,
    /// A human-readable explanation.
    pub message: String,
    /// For `validation_failed`: every invalid field and why. Empty otherwise.
    pub fields: Vec<FieldError>,
}

/// One invalid input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// The field's name (a dotted path inside a body, e.g. `name` or `tags[1]`).
    pub field: String,
    /// Where the field is: `path`, `query` or `body`.
    pub location: String,
    /// Why the value is not accepted.
    pub reason: String,
}

impl FieldError {
    /// A query-string field error.
    pub fn query(field: &str, reason: impl Into<String>) -> Self {
        Self::at("query", field, reason)
    }

    /// A body field error.
    pub fn body(field: &str, reason: impl Into<String>) -> Self {
        Self::at("body", field, reason)
    }

    /// A path parameter error.
    pub fn path(field: &str, reason: impl Into<String>) -> Self {
        Self::at("path", field, reason)
    }

    fn at(location: &str, field: &str, reason: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            location: location.to_owned(),
            reason: reason.into(),
        }
    }
}

/// Every way a request can fail.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The addressed resource does not exist: `what` names it ("artist 42").
    #[error("{what} does not exist")]
    NotFound {
        /// The missing resource.
        what: String,
    },
    /// Some inputs are invalid.
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    /// The request conflicts with the current state (a duplicate, say).
    #[error("{message}")]
    Conflict {
        /// What conflicts.
        message: String,
    },
    /// A request with a status and message of its own (413, 415...).
    #[error("{message}")]
    Status {
        /// The HTTP status.
        status: StatusCode,
        /// The error code.
        code: &'static str,
        /// The explanation.
        message: String,
    },
    /// Anything unexpected; the cause is logged, not returned.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// A 404 for the named resource.
    pub fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound { what: what.into() }
    }

    /// A 422 for one field.
    pub fn invalid(field: FieldError) -> Self {
        Self::Validation(vec![field])
    }
}

impl From<StoreError> for ApiError {
    /// Each constraint the store names becomes its answer: a missing reference a 404 naming
    /// the rows, a key already taken a 409 naming the row, a rejected value a 422 naming the
    /// field. Nothing here asks the store again.
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound { missing } => match missing.as_slice() {
                [one] => ApiError::not_found(one.to_string()),
                _ => ApiError::Status {
                    status: StatusCode::NOT_FOUND,
                    code: "not_found",
                    message: format!("{} do not exist", joined(&missing)),
                },
            },
            StoreError::UniqueViolation { row: Some(row), .. } => ApiError::Conflict {
                message: taken(row),
            },
            StoreError::UniqueViolation { .. } => ApiError::Conflict {
                message: "a resource with the same key already exists".into(),
            },
            // The writes check their references first (a 404 naming each); a write that does
            // not gets this, the engine not always saying which row (SQLite never does).
            StoreError::ForeignKeyViolation { .. } => ApiError::Conflict {
                message: "the request refers to a resource that does not exist (it may have just been deleted)".into(),
            },
            StoreError::CheckViolation { check, detail } => ApiError::Validation(vec![FieldError::body(
                check.map_or("", Check::field),
                format!("violates a data constraint ({detail})"),
            )]),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

/// `user 5 and artist 7`.
fn joined(missing: &[Missing]) -> String {
    let names: Vec<String> = missing.iter().map(Missing::to_string).collect();
    names.join(" and ")
}

/// What a 409 says of a row that already exists.
fn taken(row: RowKey) -> String {
    match row {
        RowKey::User(id) => format!("user {id} already exists"),
        RowKey::Artist(id) => format!("artist {id} already exists"),
        RowKey::TagAssignment {
            user_id,
            artist_id,
            tag_id,
        } => format!("user {user_id} already applied tag {tag_id} to artist {artist_id}"),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message, fields) = match self {
            ApiError::NotFound { what } => (
                StatusCode::NOT_FOUND,
                "not_found",
                format!("{what} does not exist"),
                vec![],
            ),
            ApiError::Validation(fields) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                match fields.len() {
                    1 => format!(
                        "invalid {} '{}': {}",
                        fields[0].location, fields[0].field, fields[0].reason
                    ),
                    n => format!("{n} inputs are invalid"),
                },
                fields,
            ),
            ApiError::Conflict { message } => (StatusCode::CONFLICT, "conflict", message, vec![]),
            ApiError::Status {
                status,
                code,
                message,
            } => (status, code, message, vec![]),
            ApiError::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "the server failed to answer; the error is logged".to_owned(),
                    vec![],
                )
            }
        };
        let body = ErrorBody {
            error: ErrorDetail {
                status: status.as_u16(),
                code: code.to_owned(),
                message,
                fields,
            },
        };
        (status, axum::Json(body)).into_response()
    }
}

/// The result type of handlers.
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use soundstream_store::{ForeignKey, UniqueKey};

    use super::*;

    #[test]
    fn a_missing_reference_is_a_404_naming_every_missing_row() {
        let one = StoreError::NotFound {
            missing: vec![Missing {
                key: ForeignKey::ListenArtist,
                id: 7,
            }],
        };
        assert!(matches!(ApiError::from(one), ApiError::NotFound { what } if what == "artist 7"));
        let two = StoreError::NotFound {
            missing: vec![
                Missing {
                    key: ForeignKey::TagAssignmentUser,
                    id: 5,
                },
                Missing {
                    key: ForeignKey::TagAssignmentTag,
                    id: 9,
                },
            ],
        };
        assert!(matches!(
            ApiError::from(two),
            ApiError::Status { status: StatusCode::NOT_FOUND, code: "not_found", message }
                if message == "user 5 and tag 9 do not exist"
        ));
    }

    #[test]
    fn a_taken_key_is_a_409_naming_the_row_when_the_write_named_it() {
        let named = StoreError::UniqueViolation {
            key: Some(UniqueKey::TagAssignment),
            row: Some(RowKey::TagAssignment {
                user_id: 1,
                artist_id: 2,
                tag_id: 3,
            }),
            detail: String::new(),
        };
        assert!(matches!(
            ApiError::from(named),
            ApiError::Conflict { message } if message == "user 1 already applied tag 3 to artist 2"
        ));
        let unnamed = StoreError::UniqueViolation {
            key: None,
            row: None,
            detail: String::new(),
        };
        assert!(matches!(
            ApiError::from(unnamed),
            ApiError::Conflict { message } if message == "a resource with the same key already exists"
        ));
    }

    #[test]
    fn a_rejected_value_is_a_422_naming_its_field() {
        let err = StoreError::CheckViolation {
            check: Some(Check::ListenWeight),
            detail: "CHECK constraint failed: weight >= 0".into(),
        };
        let ApiError::Validation(fields) = ApiError::from(err) else {
            panic!("not a 422");
        };
        assert_eq!(
            (fields[0].field.as_str(), fields[0].location.as_str()),
            ("weight", "body")
        );
    }
}
