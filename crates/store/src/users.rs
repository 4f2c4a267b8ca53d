//! Queries and writes of the users area.

#[expect(unused_imports, reason = "filled in by the users work")]
use crate::Store;
