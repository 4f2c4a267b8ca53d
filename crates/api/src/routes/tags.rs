//! The tags endpoints.

use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

/// The routes of this area.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
