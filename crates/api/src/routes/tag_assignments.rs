//! The tag-assignments endpoints: who applied which tag to which artist, and when; listed by
//! user, artist, tag and date range, created (the calendar day derived from the timestamp
//! when not given) and deleted.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use serde::Deserialize;
use soundstream_core::TagAssignment;
use soundstream_core::date::{midnight_utc_ms, utc_date_of_ms};
use soundstream_core::views::Page;
use soundstream_core::views::tags::TagAssignmentView;
use soundstream_store::TagAssignmentFilter;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody, FieldError};
use soundstream_readmodel::cursor::{self, Cursor, Part};

use crate::extract::{
    Json, Path, Query, Validate, check_after, check_id, check_page, query_params,
};

/// Milliseconds in a day.
const DAY_MS: i64 = 86_400_000;

/// The routes of this area.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_tag_assignments, create_tag_assignment))
        .routes(routes!(get_tag_assignment, delete_tag_assignment))
}

/// The tag assignment addressed by the path: its user, artist and tag.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct TagAssignmentPath {
    /// The user who applied the tag.
    #[param(minimum = 1)]
    pub user_id: i64,
    /// The artist tagged.
    #[param(minimum = 1)]
    pub artist_id: i64,
    /// The tag applied.
    #[param(minimum = 1)]
    pub tag_id: i64,
}

impl Validate for TagAssignmentPath {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        check_id("path", "user_id", self.user_id, errors);
        check_id("path", "artist_id", self.artist_id, errors);
        check_id("path", "tag_id", self.tag_id, errors);
    }
}

query_params! {
    /// Filters and page of the tag assignment list.
    pub struct TagAssignmentListQuery {
        // Fields alike in form to other queries' (a deliberate likeness): each declares its
        // own parameters, the form they share is `query_params!`.
        /// Only assignments by this user.
        #[param(minimum = 1)]
        pub user_id: Option<i64>,
        /// Only assignments to this artist.
        #[param(minimum = 1)]
        pub artist_id: Option<i64>,
        /// Only assignments of this tag.
        #[param(minimum = 1)]
        pub tag_id: Option<i64>,
        /// Only assignments on or after this day (`YYYY-MM-DD`, UTC, on the timestamp).
        #[param(format = Date)]
        pub from: Option<String>,
        /// Only assignments on or before this day (`YYYY-MM-DD`, UTC, on the timestamp; the
        /// whole day is included).
        #[param(format = Date)]
        pub to: Option<String>,
        /// Items to skip, at most 10,000 (default 0); deeper pages are reached with `after`.
        #[param(minimum = 0, maximum = 10_000)]
        pub skip: Option<i64>,
        /// Start after this cursor: the `next` of the previous page (instead of `skip`); any
        /// page costs the same.
        #[param(min_length = 1)]
        pub after: Option<String>,
        /// Page size, 1 to 500 (default 50).
        #[param(minimum = 1, maximum = 500)]
        pub limit: Option<i64>,
    }
}

/// The deepest `skip` this list takes: the database walks every skipped row, so deeper pages
/// are reached with cursors.
pub const MAX_SKIP: i64 = 10_000;

/// The scope of this list's cursors.
const SCOPE: &str = "tag-assignments";

/// The timestamp of 00:00 UTC on a `YYYY-MM-DD` day, or why the text is not one.
fn day_start(text: &str) -> Result<i64, String> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        return Err(format!("'{text}' is not a date in the form YYYY-MM-DD"));
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<i64>().unwrap_or(0);
    midnight_utc_ms(number(8..10), number(5..7), number(0..4))
        .map_err(|_| format!("'{text}' is not a calendar date"))
}

impl TagAssignmentListQuery {
    /// The store filter for these (checked) parameters: `to` becomes the start of the next
    /// day, exclusive.
    fn filter(&self) -> TagAssignmentFilter {
        let start = |day: &Option<String>| day.as_deref().and_then(|d| day_start(d).ok());
        TagAssignmentFilter {
            user_id: self.user_id,
            artist_id: self.artist_id,
            tag_id: self.tag_id,
            from_ms: start(&self.from),
            until_ms: start(&self.to).map(|ms| ms + DAY_MS),
        }
    }
}

impl Validate for TagAssignmentListQuery {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        for (field, id) in [
            ("user_id", self.user_id),
            ("artist_id", self.artist_id),
            ("tag_id", self.tag_id),
        ] {
            if let Some(id) = id {
                check_id("query", field, id, errors);
            }
        }
        let mut day = |field: &str, text: &Option<String>| {
            text.as_deref().and_then(|t| {
                day_start(t)
                    .map_err(|e| errors.push(FieldError::query(field, e)))
                    .ok()
            })
        };
        let from = day("from", &self.from);
        let to = day("to", &self.to);
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            errors.push(FieldError::query(
                "from",
                format!(
                    "is after `to` ({} > {})",
                    self.from.as_deref().unwrap_or_default(),
                    self.to.as_deref().unwrap_or_default()
                ),
            ));
        }
        check_page(self.skip, self.limit, errors);
        if let Some(skip) = self.skip
            && skip > MAX_SKIP
        {
            errors.push(FieldError::query(
                "skip",
                format!(
                    "must be at most {MAX_SKIP}: page deeper with `after`, passing the `next` \
                     value of the previous page"
                ),
            ));
        }
        check_after(self.skip, self.after.as_deref(), errors);
    }
}

/// List tag assignments by timestamp (then user, artist and tag), filtered by user, artist,
/// tag and date range.
#[utoipa::path(get, path = "/v1/tag-assignments", tag = "tag-assignments",
    params(TagAssignmentListQuery),
    responses(
        (status = 200, description = "A page of tag assignments, earliest first", body = Page<TagAssignmentView>),
        (status = 422, description = "Invalid parameters", body = ErrorBody),
    ))]
pub async fn list_tag_assignments(
    State(state): State<AppState>,
    Query(q): Query<TagAssignmentListQuery>,
) -> ApiResult<crate::list::WrittenPage<TagAssignmentView>> {
    let limit = q.limit.unwrap_or(crate::extract::DEFAULT_LIMIT);
    let after = match q.after.as_deref() {
        Some(token) => Some(
            Cursor::decode(token, SCOPE)
                .and_then(|key| cursor::ints::<4>(&key))
                .map_err(|e| ApiError::invalid(FieldError::query("after", e.to_string())))?,
        ),
        None => None,
    };
    let skip = if after.is_some() {
        0
    } else {
        q.skip.unwrap_or(0)
    };
    let filter = q.filter();
    let mut items = state
        .store
        .tag_assignments(&filter, after, skip, limit + 1)
        .await?;
    let next = (items.len() as i64 > limit).then(|| {
        items.truncate(limit as usize);
        let last = items.last().expect("a page over its limit has items");
        Cursor::new(
            SCOPE,
            [last.timestamp, last.user_id, last.artist_id, last.tag_id]
                .into_iter()
                .map(Part::Int)
                .collect(),
        )
        .encode()
    });
    // The read model counts every filter but user with artist (a handful of rows) and dates.
    let counted = (filter.from_ms.is_none() && filter.until_ms.is_none())
        .then(|| state.read(|m| m.assignment_count(q.user_id, q.artist_id, q.tag_id)))
        .transpose()?
        .flatten();
    let total = match counted {
        Some(total) => total as i64,
        None => state.store.count_tag_assignments(&filter).await?,
    };
    Ok(crate::list::WrittenPage(Page {
        items,
        total,
        skip,
        limit,
        next,
    }))
}

/// One tag assignment.
#[utoipa::path(get, path = "/v1/tag-assignments/{user_id}/{artist_id}/{tag_id}",
    tag = "tag-assignments", params(TagAssignmentPath),
    responses(
        (status = 200, description = "The tag assignment", body = TagAssignmentView),
        (status = 404, description = "No such tag assignment", body = ErrorBody),
        (status = 422, description = "Invalid ids", body = ErrorBody),
    ))]
pub async fn get_tag_assignment(
    State(state): State<AppState>,
    Path(p): Path<TagAssignmentPath>,
    Query(_): Query<crate::extract::NoParams>,
) -> ApiResult<axum::Json<TagAssignmentView>> {
    state
        .store
        .tag_assignment(p.user_id, p.artist_id, p.tag_id)
        .await?
        .map(axum::Json)
        .ok_or_else(|| not_found(&p))
}

fn not_found(p: &TagAssignmentPath) -> ApiError {
    ApiError::not_found(format!(
        "tag assignment of tag {} to artist {} by user {}",
        p.tag_id, p.artist_id, p.user_id
    ))
}

/// A new tag assignment.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTagAssignment {
    /// The user applying the tag (must exist).
    #[schema(minimum = 1)]
    pub user_id: i64,
    /// The artist tagged (must exist).
    #[schema(minimum = 1)]
    pub artist_id: i64,
    /// The tag applied (must exist).
    #[schema(minimum = 1)]
    pub tag_id: i64,
    /// When: milliseconds since the Unix epoch, UTC (negative before 1970).
    pub timestamp: i64,
    /// Day of month, 1 to 31. Give day, month and year together, or none of them: then they
    /// are the UTC date of `timestamp`.
    pub day: Option<i64>,
    /// Month, 1 to 12 (with `day` and `year`).
    pub month: Option<i64>,
    /// Year (with `day` and `month`).
    pub year: Option<i64>,
}

impl Validate for NewTagAssignment {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        check_id("body", "user_id", self.user_id, errors);
        check_id("body", "artist_id", self.artist_id, errors);
        check_id("body", "tag_id", self.tag_id, errors);
        if utc_date_of_ms(self.timestamp).is_none() {
            errors.push(FieldError::body(
                "timestamp",
                "is outside the dates that can be represented (years -9999 to 9999)",
            ));
        }
        match (self.day, self.month, self.year) {
            (None, None, None) => {}
            (Some(day), Some(month), Some(year)) => {
                if !(1..=12).contains(&month) {
                    errors.push(FieldError::body("month", "must be between 1 and 12"));
                } else if !(-9999..=9999).contains(&year) {
                    errors.push(FieldError::body("year", "must be between -9999 and 9999"));
                } else if let Err(e) = midnight_utc_ms(day, month, year) {
                    errors.push(FieldError::body("day", e.to_string()));
                }
            }
            given => {
                for (field, value) in [("day", given.0), ("month", given.1), ("year", given.2)] {
                    if value.is_none() {
                        errors.push(FieldError::body(
                            field,
                            "is required when any of day, month and year is given",
                        ));
                    }
                }
            }
        }
    }
}

/// Record that a user applied a tag to an artist.
///
/// The day, month and year are the UTC date of the timestamp unless all three are given.
#[utoipa::path(post, path = "/v1/tag-assignments", tag = "tag-assignments",
    request_body = NewTagAssignment,
    responses(
        (status = 201, description = "Created; `Location` gives its URL", body = TagAssignmentView),
        (status = 404, description = "The user, artist or tag does not exist (the message names which)", body = ErrorBody),
        (status = 409, description = "The user already applied this tag to this artist", body = ErrorBody),
        (status = 422, description = "Invalid body", body = ErrorBody),
    ))]
pub async fn create_tag_assignment(
    State(state): State<AppState>,
    Query(_): Query<crate::extract::NoParams>,
    Json(new): Json<NewTagAssignment>,
) -> ApiResult<(StatusCode, HeaderMap, axum::Json<TagAssignmentView>)> {
    let (day, month, year) = match (new.day, new.month, new.year) {
        (Some(day), Some(month), Some(year)) => (day, month, year),
        // Checked by `validate`: the timestamp has a date.
        _ => utc_date_of_ms(new.timestamp).ok_or_else(|| {
            ApiError::invalid(FieldError::body("timestamp", "has no calendar date"))
        })?,
    };
    let assignment = TagAssignment {
        user_id: new.user_id,
        artist_id: new.artist_id,
        tag_id: new.tag_id,
        timestamp: new.timestamp,
        day,
        month,
        year,
    };
    // A missing user, artist or tag is a 404 naming each (checked inside the write), a
    // duplicate a 409 naming the assignment (see `crate::error`).
    let committed = state.store.create_tag_assignment(&assignment).await?;
    state.model.commit(committed).await;
    let mut headers = HeaderMap::new();
    if let Ok(location) = format!(
        "/v1/tag-assignments/{}/{}/{}",
        new.user_id, new.artist_id, new.tag_id
    )
    .parse()
    {
        headers.insert(header::LOCATION, location);
    }
    let view = TagAssignmentView::from(assignment);
    Ok((StatusCode::CREATED, headers, axum::Json(view)))
}

/// Delete a tag assignment.
#[utoipa::path(delete, path = "/v1/tag-assignments/{user_id}/{artist_id}/{tag_id}",
    tag = "tag-assignments", params(TagAssignmentPath),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such tag assignment", body = ErrorBody),
        (status = 422, description = "Invalid ids", body = ErrorBody),
    ))]
pub async fn delete_tag_assignment(
    State(state): State<AppState>,
    Query(_): Query<crate::extract::NoParams>,
    Path(p): Path<TagAssignmentPath>,
) -> ApiResult<StatusCode> {
    let committed = state
        .store
        .delete_tag_assignment(p.user_id, p.artist_id, p.tag_id)
        .await?;
    let deleted = state.model.commit(committed).await;
    deleted
        .then_some(StatusCode::NO_CONTENT)
        .ok_or_else(|| not_found(&p))
}
