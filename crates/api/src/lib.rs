//! The SoundStream REST API: the catalogue (artists, tags) and listening behaviour (users,
//! listens, tag assignments, friendships) as JSON resources under `/v1`, with search,
//! analytics, health checks and an OpenAPI 3.1 description served with Swagger UI.
//!
//! The request path follows the product's chain: `extract` validates (422 on bad input),
//! `routes/<area>.rs` is the controller; writes go to the store (the database) and update the
//! read model (`soundstream_readmodel`), which lists, search and analytics are answered from.

pub mod auth;
pub mod cache;
pub mod consistency;
pub mod envelope;
pub mod error;
pub mod extract;
pub mod json;
pub mod limit;
pub mod list;
pub mod metrics;
pub mod openapi;
pub mod recommender;
mod router;
pub mod routes;
pub mod server;
pub mod state;

pub use router::{CorsOrigins, HttpOptions, app, app_with, openapi};
pub use state::AppState;
