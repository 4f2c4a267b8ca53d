//! Read models of the tags area.
