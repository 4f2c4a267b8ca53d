//! Read models: the shapes in which the store answers queries and the API serves them. Each
//! area has its own module; with the `openapi` feature every type also describes itself as an
//! OpenAPI schema, its `///` docs becoming the field descriptions.

pub mod analytics;
pub mod artists;
pub mod recommendations;
pub mod tags;
pub mod users;

use serde::Serialize;

/// One page of a list, with the size of the whole filtered list.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// How many items the whole filtered list holds.
    pub total: i64,
    /// How many items were skipped before this page (0 when the page was asked for with
    /// `after`).
    pub skip: i64,
    /// The page size asked for.
    pub limit: i64,
    /// The cursor of the next page: pass it as `after` to continue where this page ends, at
    /// the cost of the first page however deep. `null` on the last page.
    pub next: Option<String>,
}

/// Which way a list is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Order {
    /// Smallest first.
    Asc,
    /// Largest first.
    #[default]
    Desc,
}

/// A short ranked list (top-N), not paginated.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Items<T> {
    /// The items, best first.
    pub items: Vec<T>,
}
