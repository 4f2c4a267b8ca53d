//! The controllers, one module per area. Each module's `router()` lists its routes with their
//! OpenAPI descriptions; `crate::router` puts them together.

pub mod analytics;
pub mod artists;
pub mod exports;
pub mod friendships;
pub mod health;
pub mod listens;
pub mod recommendations;
pub mod search;
pub mod tag_assignments;
pub mod tags;
pub mod users;

use soundstream_core::views::Order;
use soundstream_readmodel::Direction;

use crate::error::FieldError;

/// The read model's direction for `order`, or `default`.
pub fn direction(order: Option<Order>, default: Direction) -> Direction {
    match order {
        Some(Order::Asc) => Direction::Asc,
        Some(Order::Desc) => Direction::Desc,
        None => default,
    }
}

/// The largest id a client may choose for a new user or artist: 2^53 - 1, so that ids stay
/// exact in JavaScript clients, and the next free id (the largest plus one, for a creation
/// without an id) cannot overflow 64 bits. Without this bound a user created with id
/// `i64::MAX` made every later `POST /v1/users {}` a 500 (found by scripts/fuzz-api).
pub const MAX_NEW_ID: i64 = 9_007_199_254_740_991;

/// Pushes an error for a chosen id above [`MAX_NEW_ID`] (positivity is checked apart).
pub fn check_new_id(id: i64, errors: &mut Vec<FieldError>) {
    if id > MAX_NEW_ID {
        errors.push(FieldError::body(
            "id",
            format!("must be at most {MAX_NEW_ID} (2^53 - 1)"),
        ));
    }
}
