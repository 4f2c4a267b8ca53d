//! Typed reads: result rows decoded straight into the store's answer types, cell by cell, on
//! either engine, without the intermediate [`Row`](crate::Row) of [`Value`](crate::Value)s.
//!
//! Meant for the lists whose pages are hundreds of rows: materialising each row as a vector
//! of values (one allocation per row, a match per cell, then a second pass to the view) cost
//! more than SQLite's own work on a 500-row page.

use rusqlite::types::ValueRef;
use tokio_postgres::types::Type;

use crate::StoreError;

/// One result row of either engine, read by column.
pub(crate) trait Cells {
    /// The integer in `column` (any integer column; NULL is an error).
    fn int(&self, column: usize) -> Result<i64, StoreError>;
}

/// A type the store reads straight from a result row, the same way on both engines.
pub(crate) trait FromRow: Sized + Send + 'static {
    /// The value of one row.
    fn from_row(row: &impl Cells) -> Result<Self, StoreError>;
}

impl Cells for rusqlite::Row<'_> {
    fn int(&self, column: usize) -> Result<i64, StoreError> {
        match self.get_ref(column)? {
            ValueRef::Integer(v) => Ok(v),
            other => Err(StoreError::Decode {
                column,
                expected: "integer",
                found: format!("{:?}", other.data_type()),
            }),
        }
    }
}

impl Cells for tokio_postgres::Row {
    fn int(&self, column: usize) -> Result<i64, StoreError> {
        // PostgreSQL is typed: ids and timestamps are BIGINT, the date parts INTEGER.
        let ty = self.columns().get(column).map(|c| c.type_());
        match ty {
            Some(&Type::INT8) => Ok(self.try_get::<_, i64>(column)?),
            Some(&Type::INT4) => Ok(self.try_get::<_, i32>(column)?.into()),
            Some(&Type::INT2) => Ok(self.try_get::<_, i16>(column)?.into()),
            other => Err(StoreError::Decode {
                column,
                expected: "integer",
                found: other.map_or_else(|| "no such column".to_owned(), Type::to_string),
            }),
        }
    }
}
