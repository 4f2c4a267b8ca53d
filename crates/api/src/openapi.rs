//! The OpenAPI document's frame: title, description, tags and the shared error schemas. The
//! paths themselves come from each handler's `#[utoipa::path]`, gathered by `crate::router`;
//! the security of writes and the rules the types cannot carry (text patterns, budget
//! headers, the answers of the HTTP guards) are added to the finished document here.

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::schema::{ArrayItems, Object, ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Ref, RefOr, Response, ResponseBuilder, SecurityRequirement};
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
        let error = |description: &str| RefOr::T(error_response(description));
        for operation in operations(openapi, false) {
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

/// What a text input must be, as the validators check it.
#[derive(Debug, Clone, Copy)]
enum Text {
    /// A name: `extract::check_text`.
    Name,
    /// A tag's text: `check_text`, no commas, no white space at either end.
    Tag,
    /// A list of tags in one query value, separated by commas (`split_list`, then
    /// `check_text` on each).
    TagList,
    /// An http or https URL without white space, at most 2000 characters.
    Url,
}

/// Free-text query parameters: (path, parameter, rule).
const TEXT_PARAMETERS: &[(&str, &str, Text)] = &[
    ("/v1/artists", "name", Text::Name),
    ("/v1/tags", "value", Text::Name),
    ("/v1/search/artists", "name", Text::Name),
    ("/v1/search/artists", "tags_all", Text::TagList),
    ("/v1/search/artists", "tags_any", Text::TagList),
    ("/v1/analytics/tag-trends", "tags", Text::TagList),
    ("/v1/analytics/tag-cloud", "tags", Text::TagList),
];

/// Free-text body fields: (schema, property, rule).
const TEXT_PROPERTIES: &[(&str, &str, Text)] = &[
    ("NewArtist", "name", Text::Name),
    ("NewArtist", "url", Text::Url),
    ("NewArtist", "picture_url", Text::Url),
    ("ArtistReplacement", "name", Text::Name),
    ("ArtistReplacement", "url", Text::Url),
    ("ArtistReplacement", "picture_url", Text::Url),
    ("ArtistPatch", "name", Text::Name),
    ("ArtistPatch", "url", Text::Url),
    ("ArtistPatch", "picture_url", Text::Url),
    ("NewTag", "value", Text::Tag),
    ("TagPatch", "value", Text::Tag),
];

/// The first and last millisecond whose UTC date has a year from -9999 to 9999 (what a tag
/// assignment's timestamp may be: `date::utc_date_of_ms`).
pub const TIMESTAMP_MS: (i64, i64) = (-377_705_116_800_000, 253_402_300_799_999);

/// Bounded integer body fields whose bounds the types do not carry: (schema, property, min,
/// max).
const BOUNDED_PROPERTIES: &[(&str, &str, i64, i64)] = &[
    (
        "NewTagAssignment",
        "timestamp",
        TIMESTAMP_MS.0,
        TIMESTAMP_MS.1,
    ),
    ("NewTagAssignment", "day", 1, 31),
    ("NewTagAssignment", "month", 1, 12),
    ("NewTagAssignment", "year", -9999, 9999),
];

/// The budget headers every answer carries while a rate limit is set (`limit.rs`).
const BUDGET_HEADERS: [(&str, &str); 3] = [
    (
        "RateLimit-Limit",
        "Requests this client may make in a burst (its budget per second)",
    ),
    (
        "RateLimit-Remaining",
        "Requests left in the client's budget after this one",
    ),
    (
        "RateLimit-Reset",
        "Seconds until the client's budget is whole again",
    ),
];

/// Makes the document say what the server enforces beyond the types: the rules of every
/// free-text input (`soundstream_core::name`'s patterns, lengths) and bounded field, the
/// answers every operation can give (429 past the rate limit, 503 past the request timeout,
/// 401 for a key that is unknown or revoked, reads included), and the budget headers
/// (`RateLimit-*`, declared once under `components/headers` and referenced from every
/// response; `Retry-After` on 429 and 503). Applied to the finished document, like
/// [`WriteSecurity`]; an input named here that the document lacks is a panic, caught by
/// the snapshot test.
pub struct Contract;

fn string_rule(text: Text) -> (usize, usize, &'static str) {
    use soundstream_core::name::{MAX_NAME_CHARS, NAME_PATTERN, TAG_LIST_PATTERN, TAG_PATTERN};
    match text {
        Text::Name => (1, MAX_NAME_CHARS, NAME_PATTERN),
        Text::Tag => (1, MAX_NAME_CHARS, TAG_PATTERN),
        // Empty pieces are ignored, so an empty value is accepted (and means no tag).
        Text::TagList => (0, usize::MAX, TAG_LIST_PATTERN),
        Text::Url => (
            0,
            2000,
            r"^https?://[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$",
        ),
    }
}

/// The string schema inside `schema` (itself, or the items of an array).
fn string_object(schema: &mut RefOr<Schema>) -> Option<&mut Object> {
    match schema {
        RefOr::T(Schema::Object(object)) => Some(object),
        RefOr::T(Schema::Array(array)) => match &mut array.items {
            ArrayItems::RefOrSchema(items) => string_object(items),
            ArrayItems::False => None,
        },
        _ => None,
    }
}

/// The property `name` of the object schema `schema`.
fn property<'a>(
    components: &'a mut utoipa::openapi::Components,
    schema: &str,
    name: &str,
) -> &'a mut Object {
    let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(schema) else {
        panic!("no object schema {schema}");
    };
    let Some(RefOr::T(Schema::Object(property))) = object.properties.get_mut(name) else {
        panic!("no property {name} in {schema}");
    };
    property
}

fn apply_text(object: &mut Object, text: Text) {
    let (min, max, pattern) = string_rule(text);
    object.min_length = (min > 0).then_some(min);
    object.max_length = (max < usize::MAX).then_some(max);
    object.pattern = Some(pattern.to_owned());
}

/// A header component: a non-negative integer.
fn integer_header(description: &str) -> RefOr<utoipa::openapi::header::Header> {
    RefOr::T(
        HeaderBuilder::new()
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .minimum(Some(0)),
            ))
            .description(Some(description))
            .build(),
    )
}

fn header_ref<T>(name: &str) -> RefOr<T> {
    RefOr::Ref(Ref::new(format!("#/components/headers/{name}")))
}

/// `response` with the budget headers, and `Retry-After` when `retry`.
fn with_headers(mut response: Response, retry: bool) -> Response {
    for (name, _) in BUDGET_HEADERS {
        response.headers.insert(name.to_owned(), header_ref(name));
    }
    if retry {
        response
            .headers
            .insert("Retry-After".to_owned(), header_ref("Retry-After"));
    }
    response
}

/// An error response in the common error format.
/// Every operation of the document: the writes (POST, PUT, PATCH, DELETE), and the GETs too
/// when `with_get`.
fn operations(
    openapi: &mut utoipa::openapi::OpenApi,
    with_get: bool,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    openapi.paths.paths.values_mut().flat_map(move |item| {
        let get = if with_get { item.get.as_mut() } else { None };
        let writes = [
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        std::iter::once(get)
            .chain(writes.map(Option::as_mut))
            .flatten()
    })
}

fn error_response(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            utoipa::openapi::ContentBuilder::new()
                .schema(Some(utoipa::openapi::Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build()
}

/// The guards' answers, shared by every operation: (status, component name, description).
const GUARD_RESPONSES: [(&str, &str, &str); 3] = [
    (
        "401",
        "UnknownKey",
        "The API key sent is unknown or revoked (reads need no key)",
    ),
    (
        "429",
        "RateLimited",
        "Past the client's request budget (`rate_limited`); retry after `Retry-After` \
         seconds",
    ),
    (
        "503",
        "Unavailable",
        "Took longer than the request timeout (`timeout`), or not ready yet; retry \
         after `Retry-After` seconds",
    ),
];

impl Contract {
    /// The validation rules of text parameters, text properties and bounded properties.
    fn apply_rules(openapi: &mut utoipa::openapi::OpenApi) {
        for &(path, name, text) in TEXT_PARAMETERS {
            let parameter = openapi
                .paths
                .paths
                .get_mut(path)
                .and_then(|item| item.get.as_mut())
                .and_then(|op| op.parameters.as_mut())
                .and_then(|ps| {
                    ps.iter_mut().find_map(|p| match p {
                        RefOr::T(p) if p.name == name => Some(p),
                        _ => None,
                    })
                })
                .unwrap_or_else(|| panic!("no parameter {name} on GET {path}"));
            let object = parameter
                .schema
                .as_mut()
                .and_then(string_object)
                .unwrap_or_else(|| panic!("{name} on GET {path} is not a string"));
            apply_text(object, text);
        }
        let components = openapi.components.get_or_insert_with(Default::default);
        for &(schema, name, text) in TEXT_PROPERTIES {
            apply_text(property(components, schema, name), text);
        }
        for &(schema, name, min, max) in BOUNDED_PROPERTIES {
            let field = property(components, schema, name);
            field.minimum = Some(min.into());
            field.maximum = Some(max.into());
        }
    }

    /// The budget and `Retry-After` headers, and the guards' responses, as components; every
    /// operation's responses carry the headers and refer to the guards' responses.
    fn add_guards(openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (name, description) in BUDGET_HEADERS {
            components
                .headers
                .insert(name.to_owned(), integer_header(description));
        }
        components.headers.insert(
            "Retry-After".to_owned(),
            integer_header("Seconds to wait before trying again"),
        );
        for (status, name, description) in GUARD_RESPONSES {
            let retry = status != "401";
            components.responses.insert(
                name.to_owned(),
                RefOr::T(with_headers(error_response(description), retry)),
            );
        }
        for operation in operations(openapi, true) {
            let responses = &mut operation.responses.responses;
            for (status, response) in responses.iter_mut() {
                if let RefOr::T(own) = response {
                    *own = with_headers(std::mem::take(own), status == "429" || status == "503");
                }
            }
            for (status, name, _) in GUARD_RESPONSES {
                responses.entry(status.into()).or_insert_with(|| {
                    RefOr::Ref(Ref::new(format!("#/components/responses/{name}")))
                });
            }
        }
    }
}

impl Modify for Contract {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        Self::apply_rules(openapi);
        Self::add_guards(openapi);
    }
}

#[cfg(test)]
mod tests {
    use super::TIMESTAMP_MS;
    use soundstream_core::date::utc_date_of_ms;

    #[test]
    fn the_timestamp_bounds_are_the_first_and_last_representable_milliseconds() {
        assert_eq!(utc_date_of_ms(TIMESTAMP_MS.0), Some((1, 1, -9999)));
        assert_eq!(utc_date_of_ms(TIMESTAMP_MS.0 - 1), None);
        assert_eq!(utc_date_of_ms(TIMESTAMP_MS.1), Some((31, 12, 9999)));
        assert_eq!(utc_date_of_ms(TIMESTAMP_MS.1 + 1), None);
    }
}
