//! The bulk exports: a whole table as one Parquet, Arrow IPC stream or CSV file, encoded and
//! sent as the database reads it (constant memory whatever the table's size), for analysts
//! who want DataFrames rather than pages. The schema each table is published under lives in
//! the store (`soundstream_store::export`); this route documents it from there.

use axum::body::Body;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde::Deserialize;
use soundstream_export::{Format, encode, file_name};
use soundstream_store::export::{ColumnKind, DEFAULT_BATCH_ROWS, ExportTable};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody, FieldError};
use crate::extract::{Path, Query, Validate, query_params};

/// The route's path, as documented.
const PATH: &str = "/v1/exports/{table}";

/// The routes of this area.
pub fn router() -> OpenApiRouter<AppState> {
    let mut router = OpenApiRouter::new().routes(routes!(export_table));
    // The tables' columns come from the store's schema, the one source of the contract,
    // rather than from a copy in a doc comment that could drift from it.
    if let Some(operation) = router
        .get_openapi_mut()
        .paths
        .paths
        .get_mut(PATH)
        .and_then(|item| item.get.as_mut())
    {
        let intro = operation.description.take().unwrap_or_default();
        operation.description = Some(format!("{}\n\n{}", intro.trim(), schema_markdown()));
    }
    router
}

/// Each table with its columns, as Markdown for the OpenAPI description.
fn schema_markdown() -> String {
    let mut text = String::from("Tables and their columns, in order:\n");
    for table in ExportTable::ALL {
        text += &format!("\n- **{}**: {}.\n", table.name(), table.description());
        for c in table.columns() {
            let kind = match c.kind {
                ColumnKind::Int64 => "int64",
                ColumnKind::Utf8 => "utf8",
                ColumnKind::TimestampMsUtc => "timestamp[ms, UTC]",
            };
            let null = if c.nullable { ", nullable" } else { "" };
            text += &format!("  - `{}` {kind}{null}: {}\n", c.name, c.description);
        }
    }
    text
}

/// The table to export.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ExportPath {
    /// The table: `artists`, `users`, `tags`, `listens`, `tag_assignments` or `friendships`.
    // Text checked in `validate`: axum reports an unknown enum variant in a path without the
    // parameter's name, and the 422 must name it.
    #[param(value_type = ExportTable, inline)]
    pub table: String,
}

impl ExportPath {
    /// The table, once validated.
    fn table(&self) -> Option<ExportTable> {
        ExportTable::from_name(&self.table)
    }
}

fn unknown_table() -> FieldError {
    let names: Vec<&str> = ExportTable::ALL.iter().map(|t| t.name()).collect();
    FieldError::path("table", format!("must be one of {}", names.join(", ")))
}

impl Validate for ExportPath {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        if self.table().is_none() {
            errors.push(unknown_table());
        }
    }
}

query_params! {
    /// How to encode the export.
    pub struct ExportQuery {
        /// The file format: `parquet` (the default), `arrow` or `csv`.
        #[param(inline)]
        pub format: Option<Format>,
    }
}

impl Validate for ExportQuery {}

/// The bytes of an exported file.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
#[expect(dead_code, reason = "it only documents the body's type in OpenAPI")]
pub struct ExportFile(Vec<u8>);

/// Download a whole table as one file: Parquet, Arrow or CSV.
///
/// Every row in key order, read from one snapshot of the database and streamed as it is
/// read: any size, constant memory. Public, like every read. Integers are 64-bit; timestamps are instants in UTC, in
/// milliseconds (CSV writes them as ISO 8601, `1956-05-01T00:00:00Z`). CSV has a header
/// row, CRLF line ends and RFC 4180 quoting, and leaves NULL empty.
#[utoipa::path(get, path = "/v1/exports/{table}", tag = "exports",
    params(ExportPath, ExportQuery),
    responses(
        (status = 200,
         description = "The file, as an attachment named `soundstream-<table>.<format>`. Sent \
            chunked as it is encoded: a failure part-way ends the connection without the final \
            chunk, so a cut-short download is never mistaken for a whole one.",
         content(
            (ExportFile = "application/vnd.apache.parquet"),
            (ExportFile = "application/vnd.apache.arrow.stream"),
            (ExportFile = "text/csv; charset=utf-8"),
         ),
         headers(("Content-Disposition" = String, description = "`attachment; filename=\"soundstream-<table>.<format>\"`"))),
        (status = 422, description = "Unknown table or format, or an unknown query parameter (the error names it)", body = ErrorBody),
        (status = 503, description = "Too many exports running at once, and none ended before the request timeout", body = ErrorBody),
    ))]
pub async fn export_table(
    State(state): State<AppState>,
    Path(path): Path<ExportPath>,
    Query(query): Query<ExportQuery>,
) -> ApiResult<Response> {
    let table = path
        .table()
        .ok_or_else(|| ApiError::invalid(unknown_table()))?;
    let format = query.format.unwrap_or_default();
    let mut batches = state.store.export(table, DEFAULT_BATCH_ROWS).await?;
    // A database that fails to start the read is still an error status; once the first
    // byte is out, only a cut connection can say so.
    batches.started().await?;
    let bytes = encode(batches, format).map(move |chunk| {
        chunk.inspect_err(|error| {
            tracing::error!(%error, %table, %format, "export failed part-way; connection cut");
        })
    });
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", file_name(table, format)),
            ),
        ],
        Body::from_stream(bytes),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_names_every_exportable_table_and_format_as_the_store_and_encoder_do() {
        let schema =
            serde_json::to_value(<ExportTable as utoipa::PartialSchema>::schema()).unwrap();
        let names: Vec<&str> = ExportTable::ALL.iter().map(|t| t.name()).collect();
        assert_eq!(schema["enum"], serde_json::json!(names));
        for format in Format::ALL {
            let parsed: Format = serde_json::from_value(serde_json::json!(format.name())).unwrap();
            assert_eq!(parsed, format);
        }
    }
}
