//! Queries and writes of the tags area.

#[expect(unused_imports, reason = "filled in by the tags work")]
use crate::Store;
