//! Bad input, everywhere: a table-driven sweep that sends every write route and every read
//! route with parameters malformed JSON, wrong types, numbers beyond i64 (and `1e400`),
//! negative and out-of-range values, unknown fields, over-long strings, invalid UTF-8 and NUL
//! bytes in bodies, query strings and paths, empty bodies and wrong content types. Each must
//! get its precise 4xx in the common error format, naming the field at fault where there is
//! one, never a 500; nothing may be written, and the app keeps serving. A second test speaks
//! raw bytes to a real socket (bad request lines and headers, truncated and oversized bodies).
//!
//! The routes come from the OpenAPI document, so a new route or parameter is swept without
//! anyone adding it here, and a write route missing from the table below fails the test.
//! Ids written here start at 5,000,000 (and must never exist: nothing valid is sent).
//!
//! One file though over 500 lines: the sweep is one table of routes and cases and the code
//! that drives it, read together whenever a route or a rule is added.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{TestApp, get, recommending_apps, scratch_apps, send_bytes};

/// `i64::MAX`: a well-formed id that no row has.
const MAX_ID: &str = "9223372036854775807";

/// What a bad request must get.
#[derive(Debug, Clone)]
enum Expect {
    /// A 422 `validation_failed` naming this field at this location (`None`: the body as a
    /// whole, e.g. malformed JSON, which has no field at fault).
    Invalid(&'static str, Option<String>),
    /// This status with this error code.
    Status(StatusCode, &'static str),
}

/// One request of the sweep.
#[derive(Debug, Clone)]
struct Case {
    /// The route it exercises, as the OpenAPI document names it (`PUT /v1/tags/{tag_id}`).
    route: String,
    /// What is wrong with it, for failure messages.
    what: String,
    method: Method,
    uri: String,
    content_type: Option<&'static str>,
    extra_headers: Vec<(&'static str, &'static str)>,
    body: Vec<u8>,
    expect: Expect,
}

fn invalid(location: &'static str, field: &str) -> Expect {
    Expect::Invalid(location, Some(field.to_owned()))
}

/// The kind of a body field, which decides the bad values it is sent.
#[derive(Debug, Clone, Copy)]
enum Field {
    /// A required positive id.
    Id,
    /// An optional positive id (`null` and absent are fine).
    OptionalId,
    /// A required integer with a range of its own (checked by a specific case).
    Int,
    /// An optional integer (`day`, `month`, `year`).
    OptionalInt,
    /// A required text of at most 500 characters.
    Text,
    /// A text that may be left out (a PATCH) but not set to `null`.
    PatchText,
    /// An optional http(s) URL of at most 2000 characters.
    OptionalUrl,
}

/// A write route and a valid request for it, which the sweep then spoils one thing at a time.
struct WriteRoute {
    method: Method,
    template: &'static str,
    /// The template with ids filled in: scratch ids that do not exist, so that even a request
    /// wrongly accepted could not change the real data.
    uri: &'static str,
    /// A valid body and its fields, for the routes that take one.
    body: Option<(Value, &'static [(&'static str, Field)])>,
}

/// Every write route, with a valid request for each.
fn write_routes() -> Vec<WriteRoute> {
    [
        artist_routes(),
        user_routes(),
        tag_routes(),
        assignment_and_friendship_routes(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn write_route(
    method: Method,
    template: &'static str,
    uri: &'static str,
    body: Option<(Value, &'static [(&'static str, Field)])>,
) -> WriteRoute {
    WriteRoute {
        method,
        template,
        uri,
        body,
    }
}

/// Creating, replacing, patching and deleting an artist.
fn artist_routes() -> Vec<WriteRoute> {
    const ARTIST: &[(&str, Field)] = &[
        ("id", Field::OptionalId),
        ("name", Field::Text),
        ("url", Field::OptionalUrl),
        ("picture_url", Field::OptionalUrl),
    ];
    const REPLACEMENT: &[(&str, Field)] = &[
        ("name", Field::Text),
        ("url", Field::OptionalUrl),
        ("picture_url", Field::OptionalUrl),
    ];
    const PATCH: &[(&str, Field)] = &[("name", Field::PatchText), ("url", Field::OptionalUrl)];
    vec![
        write_route(
            Method::POST,
            "/v1/artists",
            "/v1/artists",
            Some((
                json!({"id": 5_000_001, "name": "bad-input artist", "url": "http://x.example", "picture_url": "https://x.example/p.jpg"}),
                ARTIST,
            )),
        ),
        write_route(
            Method::PUT,
            "/v1/artists/{artist_id}",
            "/v1/artists/5000002",
            Some((
                json!({"name": "bad-input artist", "url": "http://x.example", "picture_url": null}),
                REPLACEMENT,
            )),
        ),
        write_route(
            Method::PATCH,
            "/v1/artists/{artist_id}",
            "/v1/artists/5000002",
            Some((json!({"url": "http://x.example"}), PATCH)),
        ),
        write_route(
            Method::DELETE,
            "/v1/artists/{artist_id}",
            "/v1/artists/5000002",
            None,
        ),
    ]
}

/// Creating and deleting a user, and setting and deleting a user's listens of an artist.
fn user_routes() -> Vec<WriteRoute> {
    vec![
        write_route(
            Method::POST,
            "/v1/users",
            "/v1/users",
            Some((json!({"id": 5_000_003}), &[("id", Field::OptionalId)])),
        ),
        write_route(
            Method::DELETE,
            "/v1/users/{user_id}",
            "/v1/users/5000004",
            None,
        ),
        write_route(
            Method::PUT,
            "/v1/users/{user_id}/artists/{artist_id}",
            "/v1/users/5000004/artists/5000002",
            Some((json!({"weight": 12}), &[("weight", Field::Int)])),
        ),
        write_route(
            Method::DELETE,
            "/v1/users/{user_id}/artists/{artist_id}",
            "/v1/users/5000004/artists/5000002",
            None,
        ),
    ]
}

/// Creating, renaming and deleting a tag.
fn tag_routes() -> Vec<WriteRoute> {
    vec![
        write_route(
            Method::POST,
            "/v1/tags",
            "/v1/tags",
            Some((json!({"value": "bad-input tag"}), &[("value", Field::Text)])),
        ),
        write_route(
            Method::PATCH,
            "/v1/tags/{tag_id}",
            "/v1/tags/5000005",
            Some((json!({"value": "bad-input tag"}), &[("value", Field::Text)])),
        ),
        write_route(
            Method::DELETE,
            "/v1/tags/{tag_id}",
            "/v1/tags/5000005",
            None,
        ),
    ]
}

/// Creating and deleting a tag assignment and a friendship.
fn assignment_and_friendship_routes() -> Vec<WriteRoute> {
    vec![
        write_route(
            Method::POST,
            "/v1/tag-assignments",
            "/v1/tag-assignments",
            Some((
                json!({"user_id": 5_000_004, "artist_id": 5_000_002, "tag_id": 5_000_005,
                       "timestamp": 1_238_544_000_000_i64, "day": 1, "month": 4, "year": 2009}),
                &[
                    ("user_id", Field::Id),
                    ("artist_id", Field::Id),
                    ("tag_id", Field::Id),
                    ("timestamp", Field::Int),
                    ("day", Field::OptionalInt),
                    ("month", Field::OptionalInt),
                    ("year", Field::OptionalInt),
                ],
            )),
        ),
        write_route(
            Method::DELETE,
            "/v1/tag-assignments/{user_id}/{artist_id}/{tag_id}",
            "/v1/tag-assignments/5000004/5000002/5000005",
            None,
        ),
        write_route(
            Method::POST,
            "/v1/friendships",
            "/v1/friendships",
            Some((
                json!({"user_id": 5_000_004, "friend_id": 5_000_006}),
                &[("user_id", Field::Id), ("friend_id", Field::Id)],
            )),
        ),
        write_route(
            Method::DELETE,
            "/v1/friendships/{user_id}/{friend_id}",
            "/v1/friendships/5000004/5000006",
            None,
        ),
    ]
}

/// The body with `field` set to `raw`, a JSON text spliced in as is (`1e400` has no
/// `serde_json::Value`), or removed when `raw` is `None`.
fn with_field(body: &Value, field: &str, raw: Option<&str>) -> Vec<u8> {
    let mut body = body.clone();
    match raw {
        None => {
            body.as_object_mut().unwrap().remove(field);
            body.to_string().into_bytes()
        }
        Some(raw) => {
            body[field] = json!("@@RAW@@");
            body.to_string().replace("\"@@RAW@@\"", raw).into_bytes()
        }
    }
}

/// Like [`with_field`], with raw bytes inside the field's string (invalid UTF-8, a NUL).
fn with_string_bytes(body: &Value, field: &str, inside: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(with_field(body, field, Some("\"@@IN@@\""))).unwrap();
    let (before, after) = text.split_once("@@IN@@").unwrap();
    [before.as_bytes(), inside, after.as_bytes()].concat()
}

/// The bad values every field of a kind is sent, each a 422 naming the field.
fn bad_values(kind: Field) -> Vec<String> {
    let wrong_types = ["true", "[]", "{}"];
    let integer = [
        "\"7\"",
        "1.5",
        // Beyond i64 at both ends, a float overflowing f64, a float that is an integer.
        "9223372036854775808",
        "-9223372036854775809",
        "99999999999999999999999999999",
        "1e400",
        "1e20",
    ];
    let text = ["5", "\"\"", "\"   \"", "\"a\\u0000b\"", "\"a\\tb\""];
    let mut values: Vec<String> = wrong_types.iter().map(|v| (*v).to_owned()).collect();
    match kind {
        Field::Id | Field::OptionalId => {
            values.extend(integer.iter().map(|v| (*v).to_owned()));
            values.extend(["0".to_owned(), "-1".to_owned()]);
        }
        Field::Int | Field::OptionalInt => {
            values.extend(integer.iter().map(|v| (*v).to_owned()));
        }
        Field::Text | Field::PatchText => {
            values.extend(text.iter().map(|v| (*v).to_owned()));
            // 501 characters of two bytes each: the limit counts characters, not bytes.
            values.push(format!("\"{}\"", "é".repeat(501)));
            values.push("\"\\ud800\"".to_owned());
        }
        Field::OptionalUrl => {
            values.extend(text.iter().map(|v| (*v).to_owned()));
            values.push(format!("\"http://{}\"", "x".repeat(2000)));
            values.push("\"ftp://x.example\"".to_owned());
            values.push("\"http://a b\"".to_owned());
        }
    }
    if matches!(
        kind,
        Field::Id | Field::Int | Field::Text | Field::PatchText
    ) {
        values.push("null".to_owned());
    }
    values
}

const JSON: Option<&str> = Some("application/json");

impl WriteRoute {
    /// A case of this route.
    fn case(
        &self,
        what: String,
        uri: &str,
        content_type: Option<&'static str>,
        body: Vec<u8>,
        expect: Expect,
    ) -> Case {
        Case {
            route: format!("{} {}", self.method, self.template),
            what,
            method: self.method.clone(),
            uri: uri.to_owned(),
            content_type,
            extra_headers: vec![],
            body,
            expect,
        }
    }
}

/// Cases of one write route: its body spoiled in every way, then its path ids.
fn write_cases(route: &WriteRoute) -> Vec<Case> {
    let mut cases = Vec::new();
    let valid_body = route
        .body
        .as_ref()
        .map(|(body, _)| body.to_string().into_bytes())
        .unwrap_or_default();
    if let Some((body, fields)) = &route.body {
        cases.extend(malformed_body_cases(route, body));
        cases.extend(unsupported_body_cases(route, body));
        cases.push(too_large_body_case(route, body, fields));
        for &(field, kind) in *fields {
            cases.extend(bad_field_cases(route, body, field, kind));
        }
    }
    cases.push(route.case(
        "an unknown query parameter".into(),
        &format!("{}?bogus=1", route.uri),
        JSON,
        valid_body.clone(),
        invalid("query", "bogus"),
    ));
    for (what, uri, expect) in path_cases(route.template, route.uri) {
        cases.push(route.case(what, &uri, JSON, valid_body.clone(), expect));
    }
    cases
}

/// Bodies that are not the JSON object the route takes, or one with an unknown field.
fn malformed_body_cases(route: &WriteRoute, body: &Value) -> Vec<Case> {
    let mut cases = Vec::new();
    let whole = || Expect::Invalid("body", None);
    let valid = body.to_string();
    for (what, raw) in [
        ("malformed JSON", b"{\"".to_vec()),
        (
            "a trailing comma",
            format!("{},", &valid[..valid.len() - 1]).into_bytes(),
        ),
        ("single quotes", b"{'a': 1}".to_vec()),
        ("an empty body", vec![]),
        ("a blank body", b"  \r\n ".to_vec()),
        ("an array", b"[]".to_vec()),
        ("null", b"null".to_vec()),
        ("a number", b"42".to_vec()),
        ("a string", b"\"{}\"".to_vec()),
        (
            "garbage after the object",
            format!("{valid} x").into_bytes(),
        ),
        ("two objects", format!("{valid}{valid}").into_bytes()),
        ("nesting 60,000 deep", "[".repeat(60_000).into_bytes()),
        ("invalid UTF-8 outside strings", b"{\xff\xfe}".to_vec()),
        ("a NUL byte outside strings", b"{\x00}".to_vec()),
        ("a UTF-16 body", {
            let mut utf16 = vec![0xFF, 0xFE];
            utf16.extend(valid.encode_utf16().flat_map(u16::to_le_bytes));
            utf16
        }),
    ] {
        cases.push(route.case(what.into(), route.uri, JSON, raw, whole()));
    }
    let mut unknown = body.clone();
    unknown["bogus"] = json!(1);
    cases.push(route.case(
        "an unknown field".into(),
        route.uri,
        JSON,
        unknown.to_string().into_bytes(),
        invalid("body", "bogus"),
    ));
    cases
}

/// A valid body declared as another media type, or compressed.
fn unsupported_body_cases(route: &WriteRoute, body: &Value) -> Vec<Case> {
    let mut cases = Vec::new();
    let valid = body.to_string();
    let unsupported =
        || Expect::Status(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    for ct in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("application/jsonx"),
    ] {
        cases.push(route.case(
            format!("content type {ct:?}"),
            route.uri,
            ct,
            valid.clone().into_bytes(),
            unsupported(),
        ));
    }
    let mut gzip = route.case(
        "Content-Encoding: gzip".into(),
        route.uri,
        JSON,
        valid.clone().into_bytes(),
        unsupported(),
    );
    gzip.extra_headers.push(("content-encoding", "gzip"));
    cases.push(gzip);
    cases
}

/// Valid JSON, only too big: the size alone is at fault.
fn too_large_body_case(route: &WriteRoute, body: &Value, fields: &[(&str, Field)]) -> Case {
    let first_text = fields
        .iter()
        .find(|(_, kind)| matches!(kind, Field::Text | Field::PatchText | Field::OptionalUrl))
        .map_or("padding", |(field, _)| *field);
    route.case(
        "a 70 KiB body".into(),
        route.uri,
        JSON,
        with_field(
            body,
            first_text,
            Some(&format!("\"{}\"", "x".repeat(70 * 1024))),
        ),
        Expect::Status(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
    )
}

/// One field of the body set to each bad value of its kind, left out when it is required,
/// and, for a text, holding raw bytes JSON does not allow.
fn bad_field_cases(route: &WriteRoute, body: &Value, field: &str, kind: Field) -> Vec<Case> {
    let mut cases = Vec::new();
    for raw in bad_values(kind) {
        let shown: String = raw.chars().take(30).collect();
        cases.push(route.case(
            format!("{field} = {shown}"),
            route.uri,
            JSON,
            with_field(body, field, Some(&raw)),
            invalid("body", field),
        ));
    }
    if matches!(kind, Field::Id | Field::Int | Field::Text) {
        cases.push(route.case(
            format!("{field} missing"),
            route.uri,
            JSON,
            with_field(body, field, None),
            invalid("body", field),
        ));
    }
    if matches!(kind, Field::Text | Field::PatchText | Field::OptionalUrl) {
        for (what, inside) in [
            ("invalid UTF-8", &b"a\xffb"[..]),
            ("a truncated UTF-8 sequence", b"a\xc3"),
            ("a raw NUL byte", b"a\x00b"),
            ("a raw newline", b"a\nb"),
        ] {
            cases.push(route.case(
                format!("{what} in {field}"),
                route.uri,
                JSON,
                with_string_bytes(body, field, inside),
                invalid("body", field),
            ));
        }
    }
    cases
}

/// The template's path parameters, in order.
fn path_params(template: &str) -> Vec<&str> {
    template
        .split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .collect()
}

/// Each path id of `uri` (which fills `template`) replaced in turn by bad values: a 422 naming
/// it, or for an id no row has, a 404.
fn path_cases(template: &str, uri: &str) -> Vec<(String, String, Expect)> {
    let names = path_params(template);
    let segments: Vec<&str> = uri.split('/').collect();
    let templated: Vec<&str> = template.split('/').collect();
    let mut cases = Vec::new();
    for name in names {
        let at = templated
            .iter()
            .position(|s| *s == format!("{{{name}}}"))
            .unwrap();
        for bad in [
            "abc",
            "%FF",
            "%C3",
            "%00",
            "1.5",
            "1e3",
            "0x10",
            "%20",
            "-1",
            "0",
            "9223372036854775808",
            "-9223372036854775809",
            "99999999999999999999999",
            MAX_ID,
        ] {
            let mut spoiled = segments.clone();
            spoiled[at] = bad;
            // An id no row has is a 404; a name that is not one of a fixed list (an
            // export's table) is invalid whatever it is.
            let expect = if bad == MAX_ID && name.ends_with("_id") {
                Expect::Status(StatusCode::NOT_FOUND, "not_found")
            } else {
                invalid("path", name)
            };
            cases.push((format!("{name} = {bad}"), spoiled.join("/"), expect));
        }
    }
    cases
}

/// A valid value for a path id of a read route, by name: rows that exist.
fn real_id(name: &str) -> &'static str {
    match name {
        "user_id" => "2",
        "artist_id" => "707",
        "tag_id" => "1",
        "table" => "friendships",
        other => panic!("no real id for path parameter {other}"),
    }
}

/// Cases of one read route with parameters, from its OpenAPI operation.
fn read_cases(template: &str, op: &Value) -> Vec<Case> {
    let route = format!("GET {template}");
    let mut uri = template.to_owned();
    for name in path_params(template) {
        uri = uri.replace(&format!("{{{name}}}"), real_id(name));
    }
    let case = |what: String, uri: String, expect| Case {
        route: route.clone(),
        what,
        method: Method::GET,
        uri,
        content_type: None,
        extra_headers: vec![],
        body: vec![],
        expect,
    };
    let mut cases = Vec::new();
    for (what, spoiled, expect) in path_cases(template, &uri) {
        cases.push(case(what, spoiled, expect));
    }
    let params = op["parameters"].as_array().cloned().unwrap_or_default();
    let query: Vec<(&str, bool)> = params
        .iter()
        .filter(|p| p["in"] == "query")
        .map(|p| {
            let name = p["name"].as_str().unwrap();
            (name, p["schema"]["type"] == "integer")
        })
        .collect();
    let long = "x".repeat(501);
    for &(name, integer) in &query {
        let mut values: Vec<&str> = vec!["%FF", "%C3%28", "%00", "%ED%A0%80"];
        if integer {
            values.extend([
                "abc",
                "1.5",
                "1e400",
                "9223372036854775808",
                "-9223372036854775809",
                "99999999999999999999999",
                "-1",
                "%2B%2B1",
            ]);
        } else {
            values.push(&long);
        }
        for value in values {
            let shown: String = value.chars().take(30).collect();
            cases.push(case(
                format!("{name}={shown}"),
                format!("{uri}?{name}={value}"),
                invalid("query", name),
            ));
        }
        if integer {
            cases.push(case(
                format!("{name} twice"),
                format!("{uri}?{name}=1&{name}=2"),
                invalid("query", name),
            ));
        }
    }
    cases.push(case(
        "an unknown parameter".into(),
        format!("{uri}?bogus=1"),
        invalid("query", "bogus"),
    ));
    cases.push(case(
        "an unknown parameter named in invalid UTF-8".into(),
        format!("{uri}?%FF=1"),
        Expect::Invalid("query", None),
    ));
    cases
}

/// The cases of every write route, and writes to no route at all.
fn all_write_cases() -> Vec<Case> {
    let mut cases: Vec<Case> = write_routes().iter().flat_map(write_cases).collect();
    for (method, uri, expect) in [
        (
            Method::PATCH,
            "/v1/users/5000004",
            Expect::Status(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
        ),
        (
            Method::PUT,
            "/v1/tag-assignments",
            Expect::Status(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
        ),
        (
            Method::POST,
            "/v1/no-such-thing",
            Expect::Status(StatusCode::NOT_FOUND, "not_found"),
        ),
        (
            Method::DELETE,
            "/v1/users/5000004/artists",
            Expect::Status(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
        ),
    ] {
        cases.push(Case {
            route: "no route".into(),
            what: "a method or path the API does not have".into(),
            method,
            uri: uri.into(),
            content_type: Some("application/json"),
            extra_headers: vec![],
            body: b"{}".to_vec(),
            expect,
        });
    }
    cases
}

/// The cases of every read route of `/v1`, from the OpenAPI document.
fn all_read_cases(doc: &Value) -> Vec<Case> {
    let mut cases = Vec::new();
    for (template, item) in doc["paths"].as_object().unwrap() {
        if let Some(op) = item.get("get")
            && template.starts_with("/v1/")
        {
            cases.extend(read_cases(template, op));
        }
    }
    cases
}

/// Sends every case to `app`; returns the failures.
async fn sweep(app: &TestApp, cases: &[Case]) -> Vec<String> {
    let mut failures = Vec::new();
    for case in cases {
        let mut headers: Vec<(&str, &str)> = case.extra_headers.clone();
        if let Some(ct) = case.content_type {
            headers.push(("content-type", ct));
        }
        let (status, body) = send_bytes(
            app,
            case.method.clone(),
            &case.uri,
            &headers,
            case.body.clone(),
        )
        .await;
        failures.extend(check(case, status, &body));
    }
    failures
}

/// What is wrong with the answer to `case`, if anything.
fn check(case: &Case, status: StatusCode, body: &Value) -> Option<String> {
    let problem = |why: &str| {
        Some(format!(
            "{} {} ({}): {why}; got {status} {body}",
            case.method, case.uri, case.what
        ))
    };
    if status.is_server_error() {
        return problem("a 5xx");
    }
    let error = &body["error"];
    let format_ok = error["status"] == status.as_u16()
        && error["code"].as_str().is_some_and(|c| !c.is_empty())
        && error["message"].as_str().is_some_and(|m| !m.is_empty())
        && error["fields"].is_array();
    if !format_ok {
        return problem("not in the common error format");
    }
    match &case.expect {
        Expect::Status(expected, code) => {
            if status != *expected || error["code"] != *code {
                return problem(&format!("expected {expected} {code}"));
            }
        }
        Expect::Invalid(location, field) => {
            if status != StatusCode::UNPROCESSABLE_ENTITY || error["code"] != "validation_failed" {
                return problem("expected 422 validation_failed");
            }
            let fields = error["fields"].as_array().unwrap();
            let named = fields.iter().any(|f| {
                f["location"] == *location
                    && f["reason"].as_str().is_some_and(|r| !r.is_empty())
                    && field
                        .as_ref()
                        .is_none_or(|name| f["field"] == name.as_str())
            });
            if !named {
                return problem(&format!("expected a {location} field {field:?} named"));
            }
        }
    }
    None
}

#[test]
fn the_sweep_covers_every_write_and_every_read_with_parameters() {
    let doc = serde_json::to_value(soundstream_api::openapi()).unwrap();
    let covered: BTreeSet<String> = all_write_cases()
        .into_iter()
        .chain(all_read_cases(&doc))
        .map(|c| c.route)
        .collect();
    let mut missing = Vec::new();
    for (template, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let takes_input =
                method != "get" || op["parameters"].as_array().is_some_and(|p| !p.is_empty());
            let route = format!("{} {template}", method.to_uppercase());
            if takes_input && !covered.contains(&route) {
                missing.push(route);
            }
        }
    }
    assert!(missing.is_empty(), "routes not swept: {missing:?}");
    assert!(covered.len() >= 40, "{covered:?}");
}

#[tokio::test]
async fn every_bad_write_gets_its_precise_4xx_and_nothing_is_written() {
    let cases = all_write_cases();
    for app in scratch_apps().await {
        let failures = sweep(&app, &cases).await;
        assert!(
            failures.is_empty(),
            "{:?}: {} of {} cases failed:\n{}",
            app.backend(),
            failures.len(),
            cases.len(),
            failures.join("\n")
        );
        eprintln!(
            "{:?}: {} bad writes, each rejected precisely",
            app.backend(),
            cases.len()
        );
        assert_nothing_written(&app).await;
        still_serves(&app).await;
    }
}

#[tokio::test]
async fn every_bad_read_gets_its_precise_4xx() {
    let doc = serde_json::to_value(soundstream_api::openapi()).unwrap();
    let cases = all_read_cases(&doc);
    // With a trained model, as served: recommendations answer (or 404) rather than a 503.
    for app in recommending_apps().await {
        let failures = sweep(&app, &cases).await;
        assert!(
            failures.is_empty(),
            "{:?}: {} of {} cases failed:\n{}",
            app.backend(),
            failures.len(),
            cases.len(),
            failures.join("\n")
        );
        eprintln!(
            "{:?}: {} bad reads, each rejected precisely",
            app.backend(),
            cases.len()
        );
        still_serves(&app).await;
    }
}

/// None of the sweep's requests left a trace: no user, artist or tag of its ids or texts.
async fn assert_nothing_written(app: &TestApp) {
    for (table, column) in [
        ("users", "\"userID\""),
        ("artists", "id"),
        ("tags", "\"tagID\""),
    ] {
        let row = app
            .store
            .query_one(
                &format!(
                    "SELECT COUNT(*) FROM {table} WHERE {column} >= 5000000 AND {column} < 5100000"
                ),
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            row.i64(0).unwrap(),
            0,
            "{:?}: rows written in {table}",
            app.backend()
        );
    }
    for (table, column) in [("artists", "name"), ("tags", "\"tagValue\"")] {
        let row = app
            .store
            .query_one(
                &format!("SELECT COUNT(*) FROM {table} WHERE {column} LIKE 'bad-input%'"),
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            row.i64(0).unwrap(),
            0,
            "{:?}: rows written in {table}",
            app.backend()
        );
    }
}

/// A normal read still answers with the real data. (Depeche Mode: no test writes their
/// listens, while the recommendation tests add listeners to Metallica on the scratch database
/// this sweep shares with every other area.)
async fn still_serves(app: &TestApp) {
    let (status, body) = get(app, "/v1/artists/72").await;
    assert_eq!(status, StatusCode::OK, "{:?}: {body}", app.backend());
    assert_eq!(body["name"], "Depeche Mode");
    assert_eq!(body["listeners"], 282);
}

/// What a server did with raw bytes.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    /// It answered with this status (and body text).
    Answered(u16, String),
    /// It closed the connection without an answer.
    Closed,
}

/// Writes `request` (all of it, or as much as the server takes before closing), shuts down
/// the writing half when `eof`, and reads one response. A server that neither answers nor
/// closes within 15 s fails the test.
fn exchange(addr: SocketAddr, request: &[u8], eof: bool) -> Outcome {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    stream
        .set_write_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    // A server may answer and close before taking everything: that is allowed.
    let _ = stream.write_all(request);
    if eof {
        let _ = stream.shutdown(std::net::Shutdown::Write);
    }
    let mut received = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                received.extend_from_slice(&buf[..n]);
                if let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&received[..end]).to_ascii_lowercase();
                    let length = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(0);
                    if received.len() >= end + 4 + length {
                        break;
                    }
                }
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                panic!("no answer and no close within 15 s; received {received:?}")
            }
            // A reset after the server gave up on us.
            Err(_) => break,
        }
    }
    let text = String::from_utf8_lossy(&received).into_owned();
    match text.strip_prefix("HTTP/1.1 ").and_then(|t| t.get(..3)) {
        Some(code) => Outcome::Answered(code.parse().unwrap(), text),
        None if received.is_empty() => Outcome::Closed,
        None => panic!("not an HTTP response: {text:?}"),
    }
}

#[tokio::test]
async fn raw_bytes_on_a_real_socket_get_a_4xx_or_a_closed_connection_and_the_server_goes_on() {
    for app in scratch_apps().await {
        let router = soundstream_api::app(
            soundstream_api::AppState::start(app.store.clone())
                .await
                .expect("the read model builds"),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        // The server the binary runs, with its connection limits.
        let server = tokio::spawn(soundstream_api::server::serve(
            listener,
            router,
            soundstream_api::server::ConnectionLimits::default(),
            std::future::pending(),
        ));
        let key = app.key.clone();
        tokio::task::spawn_blocking(move || raw_socket_cases(addr, &key))
            .await
            .unwrap();
        server.abort();
    }
}

/// A raw request: what it is, its bytes, whether our side closes after sending it, and the
/// statuses allowed (empty: only a close or any 4xx).
type RawCase = (&'static str, Vec<u8>, bool, &'static [u16]);

fn raw_socket_cases(addr: SocketAddr, key: &str) {
    let cases: Vec<RawCase> = [
        undecodable_requests(),
        oversized_bodies(key),
        oversized_heads(),
        misframed_requests(key),
    ]
    .concat();
    let mut failures = Vec::new();
    for (what, request, eof, allowed) in &cases {
        failures.extend(raw_case_failures(addr, what, request, *eof, allowed));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A `POST /v1/tags` with the write key, a JSON content type, these headers and this body.
fn post_tag(key: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let auth = format!("Authorization: Bearer {key}\r\n");
    [
        format!("POST /v1/tags HTTP/1.1\r\nHost: t\r\n{auth}Content-Type: application/json\r\n{headers}\r\n")
            .as_bytes(),
        body,
    ]
    .concat()
}

/// Invalid UTF-8 and NUL bytes in the request line and the headers.
fn undecodable_requests() -> Vec<RawCase> {
    vec![
        (
            "invalid UTF-8 in the request target",
            b"GET /v1/artists/\xff\xfe HTTP/1.1\r\nHost: t\r\n\r\n".to_vec(),
            false,
            &[400],
        ),
        (
            "invalid UTF-8 in the method",
            b"G\xc3T /v1/artists/707 HTTP/1.1\r\nHost: t\r\n\r\n".to_vec(),
            false,
            &[400],
        ),
        (
            "a NUL byte in the request line",
            b"GET /v1/artists/\x00 HTTP/1.1\r\nHost: t\r\n\r\n".to_vec(),
            false,
            &[400],
        ),
        (
            "invalid UTF-8 in a header name",
            b"GET /v1/artists/707 HTTP/1.1\r\nHost: t\r\nX-\xff: 1\r\n\r\n".to_vec(),
            false,
            &[400],
        ),
        (
            "invalid UTF-8 in the API key of a write",
            b"POST /v1/tags HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer \xff\xfe\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
                .to_vec(),
            false,
            &[401],
        ),
    ]
}

/// Bodies shorter than announced, and 80 KiB ones, with a Content-Length and chunked.
fn oversized_bodies(key: &str) -> Vec<RawCase> {
    let big = format!("{{\"value\": \"{}\"}}", "x".repeat(80 * 1024));
    let mut chunked_big = Vec::new();
    for chunk in big.as_bytes().chunks(8192) {
        chunked_big.extend(format!("{:x}\r\n", chunk.len()).as_bytes());
        chunked_big.extend(chunk);
        chunked_big.extend(b"\r\n");
    }
    chunked_big.extend(b"0\r\n\r\n");
    vec![
        (
            "a truncated body",
            post_tag(key, "Content-Length: 100\r\n", b"{\"value\": \"trunc"),
            true,
            &[400],
        ),
        (
            "an 80 KiB body with its Content-Length",
            post_tag(
                key,
                &format!("Content-Length: {}\r\n", big.len()),
                big.as_bytes(),
            ),
            false,
            &[413],
        ),
        (
            "an 80 KiB chunked body",
            post_tag(key, "Transfer-Encoding: chunked\r\n", &chunked_big),
            false,
            &[413],
        ),
    ]
}

/// A header of 1 MiB, and 200 headers.
fn oversized_heads() -> Vec<RawCase> {
    let many_headers: String = (0..200).map(|i| format!("X-H{i}: {i}\r\n")).collect();
    vec![
        (
            "a 1 MiB header",
            format!(
                "GET /v1/artists/707 HTTP/1.1\r\nHost: t\r\nX-Big: {}\r\n\r\n",
                "x".repeat(1024 * 1024)
            )
            .into_bytes(),
            false,
            &[431],
        ),
        (
            "200 headers",
            format!("GET /v1/artists/707 HTTP/1.1\r\nHost: t\r\n{many_headers}\r\n").into_bytes(),
            false,
            &[431],
        ),
    ]
}

/// Bytes that are not HTTP, and a request whose length is given twice.
fn misframed_requests(key: &str) -> Vec<RawCase> {
    vec![
        (
            "a TLS handshake on the plain port",
            b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03".to_vec(),
            true,
            &[400],
        ),
        (
            "a conflicting Content-Length",
            post_tag(key, "Content-Length: 2\r\nContent-Length: 3\r\n", b"{}"),
            false,
            &[400],
        ),
    ]
}

/// Sends one raw request: what is wrong with the outcome (a 4xx outside `allowed`, or one the
/// app answered outside the error format), and whether a normal read on a new connection
/// still gets Metallica.
fn raw_case_failures(
    addr: SocketAddr,
    what: &str,
    request: &[u8],
    eof: bool,
    allowed: &[u16],
) -> Vec<String> {
    let mut failures = Vec::new();
    let outcome = exchange(addr, request, eof);
    eprintln!(
        "{what}: {:?}",
        match &outcome {
            Outcome::Answered(code, _) => format!("answered {code}"),
            Outcome::Closed => "closed".to_owned(),
        }
    );
    let ok = match &outcome {
        Outcome::Closed => true,
        Outcome::Answered(code, text) => {
            // What the app itself answers (not hyper's bare 400/431) is in the error format.
            let body = text.split_once("\r\n\r\n").map_or("", |(_, body)| body);
            let formatted = serde_json::from_str::<Value>(body)
                .is_ok_and(|json| json["error"]["status"] == *code);
            allowed.contains(code) && (formatted || ![401, 413].contains(code))
        }
    };
    if !ok {
        failures.push(format!("{what}: {outcome:?}"));
    }
    // The server still answers a normal request on a new connection.
    match exchange(
        addr,
        b"GET /v1/artists/707 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
        false,
    ) {
        Outcome::Answered(200, text) => assert!(text.contains("\"Metallica\""), "{text}"),
        other => failures.push(format!("after {what}, a normal read got {other:?}")),
    }
    failures
}
