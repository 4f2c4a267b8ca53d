//! The operator's HTTP settings, end to end through the router: CORS (closed by default, the
//! configured origins only), the request timeout (a 503 in the error format), the rate limit
//! behind trusted proxies (X-Forwarded-For), Retry-After on every 503, and session
//! consistency (a writer reads its own writes at once, everyone else within the lag).

use std::num::NonZeroU32;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use soundstream_api::limit::RateLimit;
use soundstream_api::{AppState, CorsOrigins, HttpOptions, app, app_with};

use crate::common::{self, call};

async fn json(response: axum::response::Response) -> Value {
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&bytes).unwrap()
}

fn preflight(origin: &str) -> Request<Body> {
    Request::builder()
        .method(Method::OPTIONS)
        .uri("/v1/users/2/listens")
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
        .body(Body::empty())
        .unwrap()
}

/// The origin a response lets read it, if any.
fn allowed_origin(response: &axum::response::Response) -> Option<&str> {
    response
        .headers()
        .get("access-control-allow-origin")
        .map(|v| v.to_str().unwrap())
}

fn with_options(state: &AppState, options: &HttpOptions) -> axum::Router {
    app_with(state.clone(), options)
}

#[tokio::test]
async fn cors_is_closed_by_default() {
    let base = common::real_app().await;
    let router = app(base.state.clone());
    let response = call(
        &router,
        Request::get("/v1/artists/89")
            .header("origin", "https://evil.example")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(allowed_origin(&response), None);
    let response = call(&router, preflight("https://evil.example")).await;
    assert_eq!(allowed_origin(&response), None);
}

#[tokio::test]
async fn cors_admits_the_configured_origins_only() {
    let base = common::real_app().await;
    let options = HttpOptions {
        cors: CorsOrigins::parse("http://localhost:8501, https://dash.example.com").unwrap(),
        ..HttpOptions::default()
    };
    let router = with_options(&base.state, &options);

    // A browser's preflight for an authenticated write: answered without a key, listing what
    // the write needs.
    let response = call(&router, preflight("https://dash.example.com")).await;
    assert!(response.status().is_success(), "{}", response.status());
    let headers = response.headers();
    assert_eq!(allowed_origin(&response), Some("https://dash.example.com"));
    let methods = headers["access-control-allow-methods"].to_str().unwrap();
    assert!(
        methods.contains("POST") && methods.contains("DELETE"),
        "{methods}"
    );
    let allowed = headers["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(
        allowed.contains("authorization") && allowed.contains("x-api-key"),
        "{allowed}"
    );

    // A simple read from an allowed page sees the id header it may read.
    let response = call(
        &router,
        Request::get("/v1/artists/89")
            .header("origin", "http://localhost:8501")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(allowed_origin(&response), Some("http://localhost:8501"));
    assert!(
        response.headers()["access-control-expose-headers"]
            .to_str()
            .unwrap()
            .contains("x-request-id")
    );

    let response = call(&router, preflight("https://evil.example")).await;
    assert_eq!(allowed_origin(&response), None);
}

#[tokio::test]
async fn cors_any_answers_with_a_wildcard() {
    let base = common::real_app().await;
    let options = HttpOptions {
        cors: CorsOrigins::Any,
        ..HttpOptions::default()
    };
    let response = call(
        &with_options(&base.state, &options),
        preflight("https://anyone.example"),
    )
    .await;
    assert_eq!(allowed_origin(&response), Some("*"));
}

#[tokio::test]
async fn a_request_past_the_timeout_gets_a_503_in_the_error_format() {
    let base = common::scratch_apps().await.remove(0);
    let options = HttpOptions {
        request_timeout: Duration::from_millis(300),
        ..HttpOptions::default()
    };
    let router = with_options(&base.state, &options);
    // A client that announces a body and then stalls: the handler waits for the body until
    // the deadline cancels it.
    let stalled = futures_stall();
    let started = std::time::Instant::now();
    let response = call(
        &router,
        Request::post("/v1/users")
            .header("authorization", format!("Bearer {}", base.key))
            .header("content-type", "application/json")
            .body(stalled)
            .unwrap(),
    )
    .await;
    let waited = started.elapsed();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()["retry-after"], "2");
    let body = json(response).await;
    assert_eq!(body["error"]["code"], "timeout", "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("longer than 0.3 s"),
        "{body}"
    );
    assert!(
        waited >= Duration::from_millis(300) && waited < Duration::from_secs(5),
        "{waited:?}"
    );
    // Nothing was created by the cancelled request, and the next one is served.
    let response = call(
        &router,
        Request::get("/health/live").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
}

/// A request body that sends its first bytes and then never finishes.
fn futures_stall() -> Body {
    let first = futures_util::stream::once(async {
        Ok::<_, std::io::Error>(axum::body::Bytes::from_static(b"{\"user_id\": 5"))
    });
    let never = futures_util::stream::pending();
    Body::from_stream(futures_util::StreamExt::chain(first, never))
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_budget() {
    let base = common::real_app().await;
    let limit = || RateLimit::per_second(NonZeroU32::new(1).unwrap());
    let get = |forwarded: &str| {
        Request::get("/health/live")
            .header("x-forwarded-for", forwarded)
            .body(Body::empty())
            .unwrap()
    };

    let trusting =
        app(AppState::new(base.store.clone()).with_rate_limit(limit().behind_proxies(1)));
    assert_eq!(
        call(&trusting, get("198.51.100.1")).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        call(&trusting, get("198.51.100.1")).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another client behind the same proxy is not punished for the first one.
    assert_eq!(
        call(&trusting, get("198.51.100.2")).await.status(),
        StatusCode::OK
    );
    // A forged leftmost entry does not buy a fresh budget: the proxy's entry counts.
    assert_eq!(
        call(&trusting, get("203.0.113.9, 198.51.100.2"))
            .await
            .status(),
        StatusCode::TOO_MANY_REQUESTS
    );

    // Without trusted proxies the header is ignored: everyone is the same peer.
    let plain = app(AppState::new(base.store.clone()).with_rate_limit(limit()));
    assert_eq!(
        call(&plain, get("198.51.100.1")).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        call(&plain, get("198.51.100.2")).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn recommendations_before_the_first_model_come_from_the_labelled_fallback() {
    let base = common::real_app().await;
    // A fresh state has no trained model yet.
    let state = AppState::start(base.store.clone()).await.unwrap();
    let router = app(state.clone());
    let response = call(
        &router,
        Request::get("/v1/users/2/recommendations")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = json(response).await;
    assert_eq!(body["model"], "fallback-popular", "{body}");
    assert_eq!(body["model_version"], 0);
    assert_eq!(body["items"].as_array().unwrap().len(), 10, "{body}");
    assert_eq!(body["items"][0]["reasons"][0]["kind"], "popular");

    // Nor one they tagged: the first users whose list would otherwise hold a tagged artist.
    let mut checked = 0;
    for user in 2..200i64 {
        let page = format!("/v1/tag-assignments?user_id={user}&limit=500");
        let response = call(&router, Request::get(page).body(Body::empty()).unwrap()).await;
        let tagged: Vec<i64> = json(response).await["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["artist_id"].as_i64().unwrap())
            .collect();
        let unfiltered: Vec<i64> = state
            .read(|m| m.popular_in_tags(user, 10, &[]))
            .unwrap()
            .unwrap_or_default()
            .iter()
            .map(|a| a.id)
            .collect();
        if !unfiltered.iter().any(|a| tagged.contains(a)) {
            continue;
        }
        let uri = format!("/v1/users/{user}/recommendations");
        let response = call(&router, Request::get(uri).body(Body::empty()).unwrap()).await;
        let body = json(response).await;
        assert_eq!(body["model"], "fallback-popular", "{body}");
        let items = body["items"].as_array().unwrap();
        assert_eq!(items.len(), 10, "user {user}: filled from further down");
        for item in items {
            let artist = item["artist_id"].as_i64().unwrap();
            assert!(!tagged.contains(&artist), "user {user} tagged {artist}");
        }
        checked += 1;
        if checked == 3 {
            break;
        }
    }
    assert_eq!(
        checked, 3,
        "three users whose fallback left out a tagged artist"
    );
}

/// `GET uri`, with the key or anonymously; the names of the artists listed.
async fn names(router: &axum::Router, uri: &str, key: Option<&str>) -> Vec<String> {
    let mut request = Request::get(uri);
    if let Some(key) = key {
        request = request.header("authorization", format!("Bearer {key}"));
    }
    let response = call(router, request.body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::OK);
    json(response).await["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn every_reader_sees_a_write_as_soon_as_it_is_answered() {
    for (n, base) in common::scratch_apps().await.into_iter().enumerate() {
        let router = app(base.state.clone());
        let name = format!("Consistency Check {:?}", base.backend());
        // An id of this area's range (see `common`): the next free id, which the server would
        // pick, may be one that a test of another area is about to create.
        let id = 7_000_000 + n as i64;
        let uri = format!("/v1/artists?name={}", name.replace(' ', "%20"));
        assert!(names(&router, &uri, None).await.is_empty());

        let response = call(
            &router,
            Request::post("/v1/artists")
                .header("authorization", format!("Bearer {}", base.key))
                .header("content-type", "application/json")
                .body(Body::from(
                    serde_json::json!({ "id": id, "name": name }).to_string(),
                ))
                .unwrap(),
        )
        .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        assert_eq!(json(response).await["id"], id);

        // The writer's key sees the new artist in the very next list.
        assert_eq!(
            names(&router, &uri, Some(&base.key)).await,
            std::slice::from_ref(&name)
        );
        // And so does everyone else: the write updated the read model before its answer.
        assert_eq!(
            names(&router, &uri, None).await,
            std::slice::from_ref(&name)
        );

        let response = call(
            &router,
            Request::delete(format!("/v1/artists/{id}"))
                .header("authorization", format!("Bearer {}", base.key))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        assert!(names(&router, &uri, Some(&base.key)).await.is_empty());
    }
}
