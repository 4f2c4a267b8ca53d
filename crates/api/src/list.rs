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
    ) -> ApiResult<axum::Json<Page<T>>> {
        let slice = state.read(|m| read(m, &self.start, self.limit))??;
        let slice =
            slice.map_err(|e| ApiError::invalid(FieldError::query("after", e.to_string())))?;
        Ok(axum::Json(Page {
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

/// Declares a list's query struct: the fields given, then the paging every list takes
/// (`skip`, `after`, `limit`, with the same docs and bounds everywhere), and its
/// `window()` and `check_paging()`. The derives and attributes are the caller's.
// A macro, not a shared struct: serde cannot flatten into a struct that rejects unknown
// fields, and every query rejects them; the parameters keep their order and their docs.
macro_rules! list_query {
    ($(#[$meta:meta])* pub struct $name:ident { $($fields:tt)* }) => {
        $(#[$meta])*
        pub struct $name {
            $($fields)*
            /// Items to skip (default 0).
            #[param(minimum = 0, maximum = 10_000_000)]
            pub skip: Option<i64>,
            /// Start after this cursor: the `next` of the previous page (instead of `skip`).
            #[param(min_length = 1)]
            pub after: Option<String>,
            /// Page size, 1 to 500 (default 50).
            #[param(minimum = 1, maximum = 500)]
            pub limit: Option<i64>,
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
