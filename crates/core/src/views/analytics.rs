//! Read models of the analytics area.
