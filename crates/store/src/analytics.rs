//! Queries and writes of the analytics area.

#[expect(unused_imports, reason = "filled in by the analytics work")]
use crate::Store;
