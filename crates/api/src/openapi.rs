//! The OpenAPI document's frame: title, description, tags and the shared error schemas. The
//! paths themselves come from each handler's `#[utoipa::path]`, gathered by `crate::router`.

use utoipa::OpenApi;

use crate::error::{ErrorBody, ErrorDetail, FieldError};

/// The OpenAPI frame of the SoundStream API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "SoundStream API",
        description = "The GroupLens Last.fm dataset (hetrec2011-lastfm-2k) as a REST API for \
            studying music listening: the artist catalogue and tags, listening behaviour \
            (listens, tag assignments, friendships), granular search and analytics.\n\n\
            Every error has the same JSON shape (`ErrorBody`); lists are paginated with `skip` \
            and `limit` and report the `total` of the filtered list.\n\n\
            Data: Last.fm via GroupLens, for non-commercial use; cite Last.fm and HetRec 2011.",
        license(name = "MIT OR Apache-2.0"),
    ),
    tags(
        (name = "artists", description = "The artist catalogue, with audience and tags"),
        (name = "users", description = "Listeners and what they listen to"),
        (name = "tags", description = "Free-text tags applied to artists"),
        (name = "listens", description = "Play counts of a user for an artist"),
        (name = "tag-assignments", description = "Who tagged which artist with what, and when"),
        (name = "friendships", description = "The social graph"),
        (name = "search", description = "Granular artist search for curators"),
        (name = "analytics", description = "Aggregates over the whole dataset"),
        (name = "health", description = "Liveness and readiness"),
    ),
    components(schemas(ErrorBody, ErrorDetail, FieldError))
)]
pub struct ApiDoc;
