//! The controllers, one module per area. Each module's `router()` lists its routes with their
//! OpenAPI descriptions; `crate::router` puts them together.

pub mod analytics;
pub mod artists;
pub mod friendships;
pub mod health;
pub mod listens;
pub mod recommendations;
pub mod search;
pub mod tag_assignments;
pub mod tags;
pub mod users;
