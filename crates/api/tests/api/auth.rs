//! Who may write, and that nothing a client sends reaches SQL as text: writes need a write
//! key (401 without, 403 with a read-only one), reads stay public, and injection-shaped
//! inputs are stored and searched as plain data.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use soundstream_store::KeyScope;
use tower::ServiceExt;

use crate::common::{self, get, scratch_apps, send};

/// Sends a write with exactly the given headers (no key added).
async fn raw(
    app: &common::TestApp,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
    body: Value,
) -> (StatusCode, Value, Option<String>) {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = app
        .router
        .clone()
        .oneshot(request.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let challenge = response
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_owned());
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let json = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap()
    };
    (status, json, challenge)
}

#[tokio::test]
async fn a_write_without_a_key_is_a_401_that_says_how_to_authenticate() {
    for app in scratch_apps().await {
        let (status, body, challenge) = raw(
            &app,
            Method::POST,
            "/v1/tags",
            &[],
            json!({"value": "needs-a-key"}),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        assert_eq!(body["error"]["code"], "unauthorized");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("Authorization: Bearer")
        );
        assert_eq!(challenge.as_deref(), Some("Bearer"));
        // Reads need no key.
        let (status, _) = get(&app, "/v1/artists/707").await;
        assert_eq!(status, StatusCode::OK);
    }
}

#[tokio::test]
async fn an_unknown_or_revoked_key_is_a_401_and_a_read_key_a_403() {
    for app in scratch_apps().await {
        let (status, _, _) = raw(
            &app,
            Method::DELETE,
            "/v1/artists/1",
            &[("authorization", "Bearer ss_000000000000_nope")],
            json!(null),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);

        let (read, read_secret) = app
            .store
            .create_key("reader", KeyScope::Read)
            .await
            .unwrap();
        let (status, body, _) = raw(
            &app,
            Method::DELETE,
            "/v1/artists/1",
            &[("x-api-key", &read_secret)],
            json!(null),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains(&read.prefix)
        );

        let (_, secret) = app
            .store
            .create_key("writer", KeyScope::Write)
            .await
            .unwrap();
        let bearer = format!("Bearer {secret}");
        let value = format!("auth-{}", app.store.backend() as u8);
        let (status, body, _) = raw(
            &app,
            Method::POST,
            "/v1/tags",
            &[("authorization", &bearer)],
            json!({"value": value}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        // The scheme's name is case-insensitive (RFC 9110 §11.1).
        let shouted = format!("BEARER {secret}");
        let (status, body, _) = raw(
            &app,
            Method::POST,
            "/v1/tags",
            &[("authorization", &shouted)],
            json!({"value": format!("{value}-shouted")}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        // Revoked from elsewhere (`soundstream keys revoke`), a key stops working within the
        // second a verified key is trusted for.
        assert!(app.store.revoke_key(&secret[..15]).await.unwrap());
        let revoked = std::time::Instant::now();
        loop {
            let sent = revoked.elapsed();
            let (status, _, _) = raw(
                &app,
                Method::POST,
                "/v1/tags",
                &[("authorization", &bearer)],
                json!({"value": format!("{value}-after-revocation")}),
            )
            .await;
            if status == StatusCode::UNAUTHORIZED {
                break;
            }
            assert!(
                status.is_success() || status == StatusCode::CONFLICT,
                "{status}"
            );
            assert!(
                sent < soundstream_api::auth::KEY_FRESH,
                "a revoked key still works {sent:?} after the revocation"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
}

#[tokio::test]
async fn injection_shaped_input_is_stored_and_searched_as_plain_text() {
    for (n, app) in scratch_apps().await.into_iter().enumerate() {
        let name = "Robert'); DROP TABLE artists; -- \" OR 1=1 %_";
        let id = 3_000_000 + n as i64;
        let (status, body) = send(
            &app,
            Method::POST,
            "/v1/artists",
            Some(json!({"id": id, "name": name})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["name"], name);
        let (_, found) = get(&app, "/v1/artists?name=DROP%20TABLE%20artists;%20--").await;
        assert_eq!(found["total"], 1, "{found}");
        // LIKE wildcards in a filter match themselves only.
        let (_, wildcard) = get(&app, "/v1/artists?name=%25_").await;
        assert_eq!(wildcard["total"], 1, "{wildcard}");
        let (status, body) = get(&app, "/v1/search/artists?tags_all=rock'%20OR%20'1'='1").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (status, _) = get(&app, "/v1/artists/707").await;
        assert_eq!(status, StatusCode::OK, "the artists table is still there");
        let (status, _) = send(&app, Method::DELETE, &format!("/v1/artists/{id}"), None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
}

#[tokio::test]
async fn every_write_operation_declares_its_key_in_the_openapi_document() {
    let doc = serde_json::to_value(soundstream_api::openapi()).unwrap();
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(schemes["api_key"]["name"], "X-API-Key");
    let mut writes = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let is_write = ["post", "put", "patch", "delete"].contains(&method.as_str());
            assert_eq!(op["security"].is_array(), is_write, "{method} {path}");
            if is_write {
                writes += 1;
                assert!(
                    op["responses"]["401"].is_object() && op["responses"]["403"].is_object(),
                    "{method} {path}"
                );
            }
        }
    }
    assert!(writes >= 15, "{writes}");
}

#[tokio::test]
async fn responses_carry_security_headers_and_a_request_id() {
    let app = common::real_app().await;
    let call = |id: Option<&str>| {
        let mut request = Request::get("/v1/artists/707");
        if let Some(id) = id {
            request = request.header("x-request-id", id);
        }
        app.router
            .clone()
            .oneshot(request.body(Body::empty()).unwrap())
    };
    let response = call(None).await.unwrap();
    let headers = response.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert_eq!(headers["x-request-id"].len(), 36, "a generated UUID");
    let response = call(Some("client-chosen-42")).await.unwrap();
    assert_eq!(response.headers()["x-request-id"], "client-chosen-42");
}

#[tokio::test]
async fn a_body_over_64_kib_is_a_413_in_the_error_format() {
    let app = common::real_app().await;
    let bearer = format!("Bearer {}", app.key);
    let huge = "x".repeat(70 * 1024);
    let (status, body, _) = raw(
        &app,
        Method::POST,
        "/v1/artists",
        &[("authorization", &bearer)],
        json!({"name": huge}),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(body["error"]["code"], "payload_too_large");
}

#[tokio::test]
async fn metrics_count_requests_per_route_and_report_the_pool_and_the_model() {
    let app = common::real_app().await;
    for _ in 0..3 {
        let (status, _) = get(&app, "/v1/artists/707").await;
        assert_eq!(status, StatusCode::OK);
    }
    let response = app
        .router
        .clone()
        .oneshot(Request::get("/metrics").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = String::from_utf8(
        response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap();
    let count = text
        .lines()
        .find(|l| {
            // The GET counter: the metrics are the process's, and other areas' tests in this
            // binary PATCH artists too.
            l.starts_with("http_requests_total{")
                && l.contains(r#"method="GET""#)
                && l.contains(r#"route="/v1/artists/{artist_id}""#)
                && l.contains(r#"status="200""#)
        })
        .unwrap_or_else(|| panic!("no request counter in:\n{text}"));
    let n: f64 = count.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(n >= 3.0, "{count}");
    assert!(
        text.contains("http_request_duration_seconds_bucket{"),
        "{text}"
    );
    assert!(
        text.contains("soundstream_db_pool_max_connections"),
        "{text}"
    );
    assert!(
        text.contains("soundstream_recommender_model_version"),
        "{text}"
    );
}

#[tokio::test]
async fn a_client_over_its_rate_is_told_when_to_retry() {
    let base = common::real_app().await;
    let state = base
        .state
        .clone()
        .with_rate_limit(soundstream_api::limit::RateLimit::per_second(
            std::num::NonZeroU32::new(2).unwrap(),
        ));
    let app = common::TestApp {
        router: soundstream_api::app(state.clone()),
        state,
        store: base.store.clone(),
        key: base.key.clone(),
    };
    let mut statuses = Vec::new();
    let mut last = Value::Null;
    for _ in 0..4 {
        let response = app
            .router
            .clone()
            .oneshot(Request::get("/health/live").body(Body::empty()).unwrap())
            .await
            .unwrap();
        statuses.push(response.status());
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(response.headers()["retry-after"], "1");
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            last = serde_json::from_slice(&bytes).unwrap();
        }
    }
    assert_eq!(&statuses[..2], [StatusCode::OK, StatusCode::OK]);
    assert_eq!(statuses[3], StatusCode::TOO_MANY_REQUESTS, "{statuses:?}");
    assert_eq!(last["error"]["code"], "rate_limited");
}
