//! Read models: the shapes in which the store answers queries and the API serves them. Each
//! area has its own module; with the `openapi` feature every type also describes itself as an
//! OpenAPI schema, its `///` docs becoming the field descriptions.

/// Declares a summary view and its detail view: the detail holds every field of the summary,
/// in the same order and with the same docs, then the fields after `..`; `From<detail>` for the
/// summary drops those. Each struct's derives and docs are the caller's. A field whose doc
/// differs between the two views gives both after its type: `= [/// summary's] [/// detail's]`.
// A macro, not `#[serde(flatten)]` of the summary into the detail: the OpenAPI schema of each
// view stays one plain object, and the summary's fields are written once.
macro_rules! summary_and_detail {
    (
        $(#[$summary_meta:meta])*
        pub struct $summary:ident {
            $(
                $(#[$field_meta:meta])*
                pub $field:ident: $ty:ty
                $(= [$(#[$summary_doc:meta])*] [$(#[$detail_doc:meta])*])?,
            )*
        }
        $(#[$detail_meta:meta])*
        pub struct $detail:ident {
            ..
            $($(#[$extra_meta:meta])* pub $extra:ident: $extra_ty:ty,)*
        }
    ) => {
        $(#[$summary_meta])*
        pub struct $summary {
            $($(#[$field_meta])* $($(#[$summary_doc])*)? pub $field: $ty,)*
        }

        $(#[$detail_meta])*
        pub struct $detail {
            $($(#[$field_meta])* $($(#[$detail_doc])*)? pub $field: $ty,)*
            $($(#[$extra_meta])* pub $extra: $extra_ty,)*
        }

        impl From<$detail> for $summary {
            fn from(detail: $detail) -> Self {
                Self {
                    $($field: detail.$field,)*
                }
            }
        }
    };
}

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
