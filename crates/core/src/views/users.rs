//! Read models of the users area.
