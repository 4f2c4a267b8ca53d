//! The OpenAPI document's frame: title, description, tags and the shared error schemas. The
//! paths themselves come from each handler's `#[utoipa::path]`, gathered by `crate::router`.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{RefOr, ResponseBuilder, SecurityRequirement};
use utoipa::{Modify, OpenApi};

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
        (name = "exports", description = "Whole tables as Parquet, Arrow or CSV files, for DataFrames"),
        (name = "health", description = "Liveness and readiness"),
    ),
    components(schemas(ErrorBody, ErrorDetail, FieldError))
)]
pub struct ApiDoc;

/// Declares the two ways to send an API key and marks every write operation as needing one,
/// with its 401 and 403 answers, so Swagger UI's "Authorize" button works; operations with a
/// body also get the 413 and 415 that the HTTP layer answers for them. Applied once to the
/// finished document (after every area's routes are in) rather than on each handler, so no
/// write can be left undocumented.
pub struct WriteSecurity;

impl Modify for WriteSecurity {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API key: `Authorization: Bearer ss_...`"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-API-Key",
                "An API key in the `X-API-Key` header",
            ))),
        );
        let error = |description: &str| {
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content(
                        "application/json",
                        utoipa::openapi::ContentBuilder::new()
                            .schema(Some(utoipa::openapi::Ref::from_schema_name("ErrorBody")))
                            .build(),
                    )
                    .build(),
            )
        };
        for item in openapi.paths.paths.values_mut() {
            for operation in [
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                operation.security = Some(vec![
                    SecurityRequirement::new("bearer", Vec::<String>::new()),
                    SecurityRequirement::new("api_key", Vec::<String>::new()),
                ]);
                let responses = &mut operation.responses.responses;
                responses
                    .entry("401".into())
                    .or_insert_with(|| error("No API key, or an unknown or revoked one"));
                responses
                    .entry("403".into())
                    .or_insert_with(|| error("The API key is read-only"));
                // The JSON extractor and the router's body limit answer these before any
                // handler runs, for every operation that takes a body (found by scripts/fuzz-api).
                if operation.request_body.is_some() {
                    responses.entry("413".into()).or_insert_with(|| {
                        error("The body is larger than 64 KiB (`payload_too_large`)")
                    });
                    responses.entry("415".into()).or_insert_with(|| {
                        error(
                            "The body is not sent as `Content-Type: application/json` \
                             (`unsupported_media_type`)",
                        )
                    });
                }
            }
        }
    }
}
