//! One page of a list answered from the read model, for every paged list handler: where the
//! page starts (after the `after` cursor, else `skip` items in) and how long it is, the sort
//! with its direction, the read, and the [`Page`] the API serves (a bad cursor a 422 naming
//! `after`). A list handler parses its query, names the read, and returns what this returns.

use soundstream_core::views::{Order, Page};
use soundstream_readmodel::cursor::CursorError;
use soundstream_readmodel::{Direction, ReadModel, Slice, Start};

use crate::AppState;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::extract::DEFAULT_LIMIT;
use crate::json::{WriteJson, json_response};
use crate::routes::direction;

/// Where a page starts and how many items it holds, from a list's (checked) `skip`, `after`
/// and `limit`.
#[derive(Debug, Clone)]
pub struct Window {
    start: Start,
    limit: usize,
}

impl Window {
    /// The page after the cursor `after` when given, else after `skip` items (default 0),
    /// of `limit` items (default [`DEFAULT_LIMIT`]).
    pub fn new(skip: Option<i64>, after: Option<&str>, limit: Option<i64>) -> Self {
        let start = match after {
            Some(token) => Start::After(token.to_owned()),
            None => Start::Skip(skip.unwrap_or(0).max(0) as usize),
        };
        Self {
            start,
            limit: limit.unwrap_or(DEFAULT_LIMIT) as usize,
        }
    }

    /// Reads this page from the read model and wraps it as the API serves it. `read` gets
    /// the model, the start and the page size, and answers the model's slice, or an error of
    /// its own (a 404 for a missing user, a 422 for an unknown tag).
    pub fn read<T>(
        self,
        state: &AppState,
        read: impl FnOnce(&ReadModel, &Start, usize) -> ApiResult<Result<Slice<T>, CursorError>>,
    ) -> ApiResult<PageJson<T>> {
        let slice = state.read(|m| read(m, &self.start, self.limit))??;
        let slice =
            slice.map_err(|e| ApiError::invalid(FieldError::query("after", e.to_string())))?;
        Ok(PageJson(Page {
            items: slice.items,
            total: slice.total as i64,
            skip: match self.start {
                Start::Skip(n) => n as i64,
                Start::After(_) => 0,
            },
            limit: self.limit as i64,
            next: slice.next,
        }))
    }
}

/// A list's sort key (the read model's, which the API takes as is) and the direction it goes
/// in when the request gives no `order`. Each list's impl is a table of its own keys: alike in
/// shape, not in content.
pub trait SortKey: Copy {
    /// The direction of this key when the request gives no `order`.
    fn default_direction(self) -> Direction;
}

/// The sort and direction for a list's `sort` (checked, defaulted) and `order`.
pub fn sorting<S: SortKey>(sort: S, order: Option<Order>) -> (S, Direction) {
    (sort, direction(order, sort.default_direction()))
}

/// Declares a list's query struct (as `query_params!` does): the fields given, then the paging
/// every list takes (`skip`, `after`, `limit`, with the same docs and bounds everywhere), and
/// its `window()` and `check_paging()`. `after = "..."` first documents `after` otherwise.
// A macro, not a shared struct: serde cannot flatten into a struct that rejects unknown
// fields, and every query rejects them; the parameters keep their order and their docs.
macro_rules! list_query {
    ($(#[$meta:meta])* pub struct $name:ident { $($fields:tt)* }) => {
        $crate::list::list_query! {
            after = " Start after this cursor: the `next` of the previous page (instead of `skip`)."
            $(#[$meta])* pub struct $name { $($fields)* }
        }
    };
    (after = $after:literal $(#[$meta:meta])* pub struct $name:ident { $($fields:tt)* }) => {
        $crate::extract::query_params! {
            $(#[$meta])*
            pub struct $name {
                $($fields)*
                /// Items to skip (default 0).
                #[param(minimum = 0, maximum = 10_000_000)]
                pub skip: Option<i64>,
                #[doc = $after]
                #[param(min_length = 1)]
                pub after: Option<String>,
                /// Page size, 1 to 500 (default 50).
                #[param(minimum = 1, maximum = 500)]
                pub limit: Option<i64>,
            }
        }

        impl $name {
            /// The page asked for.
            pub fn window(&self) -> $crate::list::Window {
                $crate::list::Window::new(self.skip, self.after.as_deref(), self.limit)
            }

            /// Pushes the errors of the paging parameters.
            fn check_paging(&self, errors: &mut Vec<$crate::error::FieldError>) {
                $crate::extract::check_paging(self.skip, self.after.as_deref(), self.limit, errors);
            }
        }
    };
}
pub(crate) use list_query;
/// A page as the API serves it: the JSON of [`Page`], written into one buffer sized for the
/// page up front. `axum::Json` starts at 128 bytes and doubles, copying a 500-item page about
/// nine times on its way to 60 kB, through the `bytes` writer's per-write checks; the body
/// is the same bytes either way.
#[derive(Debug, Clone)]
pub struct PageJson<T>(pub Page<T>);

/// The bytes reserved per item: a little more than the widest list item's JSON (a tag
/// assignment is about 110), so that most pages are written without growing the buffer.
const ITEM_BYTES: usize = 128;

impl<T: serde::Serialize> axum::response::IntoResponse for PageJson<T> {
    fn into_response(self) -> axum::response::Response {
        use axum::http::StatusCode;
        let mut body = Vec::with_capacity(256 + self.0.items.len() * ITEM_BYTES);
        match serde_json::to_writer(&mut body, &self.0) {
            Ok(()) => json_response(body),
            // As `axum::Json` answers it; a page of plain data has nothing that fails to
            // serialise.
            Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
        }
    }
}

/// A page whose items write their own JSON (see [`WriteJson`]): the same body as
/// [`PageJson`] gives, with the page's fields written in [`Page`]'s order.
#[derive(Debug, Clone)]
pub struct WrittenPage<T>(pub Page<T>);

impl<T: WriteJson> WrittenPage<T> {
    /// The page's JSON.
    pub fn to_json(&self) -> Vec<u8> {
        let page = &self.0;
        let mut out = Vec::with_capacity(256 + page.items.len() * ITEM_BYTES);
        out.extend_from_slice(b"{\"items\":[");
        for (i, item) in page.items.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            item.write_json(&mut out);
        }
        let mut ints = itoa::Buffer::new();
        for (name, value) in [
            (&b"],\"total\":"[..], page.total),
            (b",\"skip\":", page.skip),
            (b",\"limit\":", page.limit),
        ] {
            out.extend_from_slice(name);
            out.extend_from_slice(ints.format(value).as_bytes());
        }
        out.extend_from_slice(b",\"next\":");
        match &page.next {
            // A cursor is URL-safe base64, but let serde_json quote it all the same.
            Some(next) => out.extend_from_slice(&serde_json::to_vec(next).unwrap_or_default()),
            None => out.extend_from_slice(b"null"),
        }
        out.push(b'}');
        out
    }
}

impl<T: WriteJson> axum::response::IntoResponse for WrittenPage<T> {
    fn into_response(self) -> axum::response::Response {
        json_response(self.to_json())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use soundstream_core::views::tags::TagAssignmentView;

    fn assignment(n: i64) -> TagAssignmentView {
        TagAssignmentView {
            user_id: n,
            artist_id: -n,
            tag_id: i64::MAX - n,
            timestamp: i64::MIN + n,
            day: n % 31,
            month: 0,
            year: -n * 1000,
        }
    }

    #[test]
    fn a_written_page_is_byte_for_byte_what_serde_json_writes() {
        for (items, next) in [
            (vec![], None),
            (
                vec![assignment(1)],
                Some("WyJ0YWctYXNzaWdubWVudHMiLDEyNl0".to_owned()),
            ),
            (
                (0..500).map(assignment).collect(),
                Some("a\"b\\c\u{1}é".to_owned()),
            ),
        ] {
            let page = Page {
                items,
                total: 16_800_000,
                skip: 0,
                limit: 500,
                next,
            };
            let expected = serde_json::to_vec(&page).unwrap();
            assert_eq!(
                String::from_utf8(WrittenPage(page).to_json()).unwrap(),
                String::from_utf8(expected).unwrap()
            );
        }
    }
}
