//! The contract equals what is enforced: the whole OpenAPI document is a snapshot, and every
//! rule the snapshot cannot check (it takes whatever document it is regenerated from) is
//! checked here: every operation documents its errors, every parameter and field is described,
//! every reference resolves; every rule of the validators is declared in the document (text
//! patterns and lengths, bounds), every answer of the HTTP guards (401, 429, 503) is declared
//! on every operation with its headers, and an empty value for a number is refused rather than
//! read as absent. `scripts/fuzz-api` checks the same from the outside with every schemathesis
//! check.

use axum::http::StatusCode;
use serde_json::Value;

use crate::common::{assert_invalid, get, real_app};

fn doc() -> Value {
    serde_json::to_value(soundstream_api::openapi()).unwrap()
}

/// The whole OpenAPI document is a snapshot: any change to the API shows in review as a diff
/// of `tests/snapshots/openapi.json`. After an intended change, regenerate it with
/// `UPDATE_SNAPSHOTS=1 cargo test -p soundstream-api --test api the_openapi_document_matches`.
#[tokio::test]
async fn the_openapi_document_matches_its_snapshot() {
    let app = real_app().await;
    let (status, served) = get(&app, "/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(served, doc());
    assert_eq!(served["openapi"], "3.1.0");
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/openapi.json");
    let rendered = serde_json::to_string_pretty(&served).unwrap() + "\n";
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &rendered).unwrap();
    }
    let snapshot = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        snapshot == rendered,
        "the OpenAPI document changed; review it and regenerate with UPDATE_SNAPSHOTS=1 (see this test's doc)"
    );
}

#[test]
fn every_operation_documents_its_errors_and_every_parameter_and_field_is_described() {
    let doc = doc();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let responses = op["responses"].as_object().unwrap();
            assert!(
                path.starts_with("/health") || responses.contains_key("422"),
                "{method} {path} does not document its 422"
            );
            assert!(
                op["summary"].is_string() || op["description"].is_string(),
                "{method} {path}"
            );
            for parameter in op["parameters"].as_array().into_iter().flatten() {
                assert!(
                    parameter["description"].is_string(),
                    "{method} {path}: {} has no description",
                    parameter["name"]
                );
            }
        }
    }
    // Fields that refer to another schema too: the description says what the field is.
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
        if let Some(props) = schema["properties"].as_object() {
            for (field, prop) in props {
                assert!(
                    prop["description"].is_string(),
                    "{name}.{field} has no description"
                );
            }
        }
    }
}

#[test]
fn every_reference_in_the_openapi_document_resolves() {
    fn refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
        match value {
            Value::Object(map) => {
                if let Some(r) = map.get("$ref").and_then(|r| r.as_str()) {
                    out.push(r);
                }
                map.values().for_each(|v| refs(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let doc = doc();
    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(!found.is_empty());
    for r in found {
        // Schemas, and the shared headers and responses (openapi::Contract).
        let pointer = r.strip_prefix('#').expect(r);
        assert!(doc.pointer(pointer).is_some(), "dangling {r}");
    }
}

#[tokio::test]
async fn an_empty_value_for_a_number_is_a_422_not_the_default() {
    let app = real_app().await;
    for (uri, field) in [
        ("/v1/artists/707/tags?skip=", "skip"),
        ("/v1/users/2/tags?limit=&skip=1", "limit"),
        ("/v1/artists?skip", "skip"),
        ("/v1/search/artists?min_listeners=", "min_listeners"),
    ] {
        let (status, body) = get(&app, uri).await;
        assert_invalid(status, &body, field);
    }
    // An empty text is refused by its own rule; an empty list is no tag at all.
    let (status, body) = get(&app, "/v1/artists?name=").await;
    assert_invalid(status, &body, "name");
    let (status, body) = get(&app, "/v1/search/artists?tags_all=&limit=1").await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[test]
fn every_free_text_input_declares_its_pattern_and_lengths() {
    let doc = doc();
    let name = soundstream_core::name::NAME_PATTERN;
    for (path, param) in [
        ("/v1/artists", "name"),
        ("/v1/tags", "value"),
        ("/v1/search/artists", "name"),
    ] {
        let schema = doc["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == param)
            .map(|p| &p["schema"])
            .unwrap();
        assert_eq!(schema["pattern"], name, "{path} {param}");
        assert_eq!(schema["minLength"], 1, "{path} {param}");
        assert_eq!(schema["maxLength"], 500, "{path} {param}");
    }
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["NewArtist"]["properties"]["name"]["pattern"], name);
    assert_eq!(
        schemas["NewTag"]["properties"]["value"]["pattern"],
        soundstream_core::name::TAG_PATTERN
    );
    assert!(
        schemas["ArtistPatch"]["properties"]["url"]["pattern"]
            .as_str()
            .unwrap()
            .starts_with("^https?://")
    );
    let stamp = &schemas["NewTagAssignment"]["properties"]["timestamp"];
    assert_eq!(stamp["minimum"], soundstream_api::openapi::TIMESTAMP_MS.0);
    assert_eq!(stamp["maximum"], soundstream_api::openapi::TIMESTAMP_MS.1);
}

#[test]
fn every_operation_declares_the_guards_answers_and_every_response_the_budget_headers() {
    let doc = doc();
    let headers = &doc["components"]["headers"];
    for name in [
        "RateLimit-Limit",
        "RateLimit-Remaining",
        "RateLimit-Reset",
        "Retry-After",
    ] {
        assert_eq!(headers[name]["schema"]["type"], "integer", "{name}");
    }
    let resolve = |response: &Value| -> Value {
        match response["$ref"].as_str() {
            Some(r) => doc.pointer(r.strip_prefix('#').unwrap()).unwrap().clone(),
            None => response.clone(),
        }
    };
    let mut responses = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let declared = op["responses"].as_object().unwrap();
            for status in ["401", "429", "503"] {
                assert!(declared.contains_key(status), "{method} {path} {status}");
            }
            for (status, response) in declared {
                let response = resolve(response);
                responses += 1;
                for name in ["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"] {
                    assert_eq!(
                        response["headers"][name]["$ref"],
                        format!("#/components/headers/{name}"),
                        "{method} {path} {status}"
                    );
                }
                let retry = response["headers"].get("Retry-After").is_some();
                assert_eq!(
                    retry,
                    status == "429" || status == "503",
                    "{method} {path} {status}"
                );
            }
        }
    }
    assert!(responses > 200, "{responses}");
}

#[tokio::test]
async fn an_integer_written_with_a_zero_fraction_is_that_integer_in_paths_and_queries() {
    let app = real_app().await;
    let (status, body) = get(&app, "/v1/artists/707.0").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["id"], 707);
    let (status, body) = get(&app, "/v1/tag-assignments?user_id=2.00&limit=5.0").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["limit"], 5);
    assert!(
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["user_id"] == 2)
    );
    // Text stays text: `1.0` is searched for as it is.
    let (status, body) = get(&app, "/v1/artists?name=1.0&limit=1").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // A real fraction is not an integer.
    let (status, body) = get(&app, "/v1/artists/707.5").await;
    assert_invalid(status, &body, "artist_id");
    let (status, body) = get(&app, "/v1/tag-assignments?limit=5.5").await;
    assert_invalid(status, &body, "limit");
}
