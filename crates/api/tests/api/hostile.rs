//! Hostile clients through the router: floods of made-up keys and of forwarded addresses
//! against the rate limiter (bounded memory, budgets on verified keys only), a key's public
//! prefix with a wrong secret, the budget headers on every answer, metrics that count every
//! refusal, request ids a client cannot abuse, and undeclared methods.

use std::num::NonZeroU32;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use soundstream_api::limit::RateLimit;
use soundstream_api::{AppState, HttpOptions, app, app_with};
use soundstream_store::KeyScope;
use tower::ServiceExt;

use crate::common::{self, call};

async fn text(response: axum::response::Response) -> String {
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}

async fn limited(store: &soundstream_store::Store, per_second: u32) -> axum::Router {
    let limit = RateLimit::per_second(NonZeroU32::new(per_second).unwrap()).behind_proxies(1);
    app(AppState::start(store.clone())
        .await
        .unwrap()
        .with_rate_limit(limit))
}

/// `GET uri` from the client address `from` (behind one trusted proxy), with `headers`.
fn get_from(uri: &str, from: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut request = Request::get(uri).header("x-forwarded-for", from);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn made_up_keys_spend_their_address_budget_and_are_then_refused_without_the_database() {
    let base = common::real_app().await;
    let router = limited(&base.store, 50).await;
    let mut statuses = Vec::new();
    for i in 0..200 {
        let key = format!("Bearer ss_{i:012x}_{:048x}", i * 7919);
        let response = call(
            &router,
            get_from(
                "/v1/artists/707",
                "198.51.100.7",
                &[("authorization", &key)],
            ),
        )
        .await;
        statuses.push(response.status().as_u16());
    }
    let unauthorized = statuses.iter().filter(|s| **s == 401).count();
    let limited = statuses.iter().filter(|s| **s == 429).count();
    // The burst of 50, plus what refills while the loop runs; every other key is a 429.
    assert!((50..100).contains(&unauthorized), "{statuses:?}");
    assert_eq!(unauthorized + limited, 200, "{statuses:?}");
    // Another address is not punished for it.
    let response = call(&router, get_from("/v1/artists/707", "198.51.100.8", &[])).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_keys_public_prefix_with_a_wrong_secret_does_not_spend_the_owners_budget() {
    let base = common::scratch_apps().await.remove(0);
    let (owner, secret) = base
        .store
        .create_key("owner", KeyScope::Write)
        .await
        .unwrap();
    let router = limited(&base.store, 5).await;
    // The prefix is public (403 messages, `keys list`); the attacker guesses the rest.
    let forged = format!("Bearer {}_{}", owner.prefix, "0".repeat(48));
    for _ in 0..20 {
        let response = call(
            &router,
            get_from(
                "/v1/artists/707",
                "203.0.113.66",
                &[("authorization", &forged)],
            ),
        )
        .await;
        assert!(
            [401, 429].contains(&response.status().as_u16()),
            "{:?}",
            response.status()
        );
    }
    // The owner, from its own address, still has its whole budget.
    let bearer = format!("Bearer {secret}");
    for n in 0..5 {
        let response = call(
            &router,
            get_from(
                "/v1/artists/707",
                "192.0.2.10",
                &[("authorization", &bearer)],
            ),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK, "request {n}");
    }
}

#[tokio::test]
async fn the_limiter_tracks_at_most_its_cap_of_identities_and_forgets_idle_ones() {
    let base = common::real_app().await;
    let limit = RateLimit::with_capacity(NonZeroU32::new(10).unwrap(), 1_000).behind_proxies(1);
    let state = AppState::start(base.store.clone())
        .await
        .unwrap()
        .with_rate_limit(limit);
    let limiter = state.rate_limit.clone().unwrap();
    let router = app(state);
    // 5,000 clients (a botnet behind the proxy), each with a made-up key.
    for i in 0..5_000u32 {
        let from = std::net::Ipv4Addr::from(0x0a00_0000 + i).to_string();
        let key = format!("ss_{i:012x}_{}", "f".repeat(48));
        let response = call(
            &router,
            get_from("/health/live", &from, &[("x-api-key", &key)]),
        )
        .await;
        assert!([401, 429].contains(&response.status().as_u16()));
    }
    assert!(
        limiter.tracked() <= 1_001,
        "{} identities tracked",
        limiter.tracked()
    );
    // Once their budgets are whole again (a second), the sweep forgets them all.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    limiter.sweep_now();
    assert_eq!(limiter.tracked(), 0);
}

#[tokio::test]
async fn every_answer_carries_the_clients_budget_and_cors_exposes_it() {
    let base = common::scratch_apps().await.remove(0);
    let router = limited(&base.store, 3).await;
    let budget = |response: &axum::response::Response| {
        ["ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"].map(|name| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
        })
    };
    // Warm up (the catalogue is built on first use) from elsewhere, so that the budget does
    // not refill (one request every 333 ms) between the requests below.
    for uri in ["/v1/artists/707", "/v1/artists/99999999"] {
        call(&router, get_from(uri, "192.0.2.78", &[])).await;
    }
    let from = "192.0.2.77";
    let ok = call(&router, get_from("/v1/artists/707", from, &[])).await;
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(
        budget(&ok),
        [Some("3".into()), Some("2".into()), Some("1".into())]
    );
    let missing = call(&router, get_from("/v1/artists/99999999", from, &[])).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(budget(&missing)[1].as_deref(), Some("1"));
    let unauthorized = call(
        &router,
        Request::post("/v1/tags")
            .header("x-forwarded-for", from)
            .header("content-type", "application/json")
            .body(Body::from(r#"{"value": "x"}"#))
            .unwrap(),
    )
    .await;
    assert_eq!(unauthorized.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(budget(&unauthorized)[1].as_deref(), Some("0"));
    let refused = call(&router, get_from("/v1/artists/707", from, &[])).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        budget(&refused),
        [Some("3".into()), Some("0".into()), Some("1".into())]
    );
    assert_eq!(refused.headers()["retry-after"], "1");

    // A browser page may read them.
    let options = HttpOptions {
        cors: soundstream_api::CorsOrigins::Any,
        ..HttpOptions::default()
    };
    let limit = RateLimit::per_second(NonZeroU32::new(3).unwrap());
    let router = app_with(
        AppState::start(base.store.clone())
            .await
            .unwrap()
            .with_rate_limit(limit),
        &options,
    );
    let response = call(
        &router,
        Request::get("/v1/artists/707")
            .header("origin", "https://dash.example.com")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let exposed = response.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    for name in ["ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"] {
        assert!(exposed.contains(name), "{exposed}");
    }
}

#[tokio::test]
async fn metrics_count_401_403_429_and_timeout_503_answers() {
    let base = common::scratch_apps().await.remove(0);
    let (_, reader) = base
        .store
        .create_key("metrics-reader", KeyScope::Read)
        .await
        .unwrap();
    let options = HttpOptions {
        request_timeout: Duration::from_millis(200),
        ..HttpOptions::default()
    };
    let limit = RateLimit::per_second(NonZeroU32::new(1).unwrap()).behind_proxies(1);
    let router = app_with(
        AppState::start(base.store.clone())
            .await
            .unwrap()
            .with_rate_limit(limit),
        &options,
    );
    let post = |from: &str, key: Option<&str>, body: Body| {
        let mut request = Request::post("/v1/friendships")
            .header("x-forwarded-for", from)
            .header("content-type", "application/json");
        if let Some(key) = key {
            request = request.header("authorization", format!("Bearer {key}"));
        }
        request.body(body).unwrap()
    };
    let statuses = [
        call(&router, post("192.0.2.1", None, Body::from("{}"))).await,
        call(&router, post("192.0.2.2", Some(&reader), Body::from("{}"))).await,
        call(&router, post("192.0.2.2", Some(&reader), Body::from("{}"))).await,
        call(&router, post("192.0.2.3", Some(&base.key), stalled())).await,
    ]
    .map(|r| r.status().as_u16());
    assert_eq!(statuses, [401, 403, 429, 503]);

    let metrics = text(
        call(
            &router,
            Request::get("/metrics")
                .header("x-forwarded-for", "192.0.2.99")
                .body(Body::empty())
                .unwrap(),
        )
        .await,
    )
    .await;
    for status in ["401", "403", "429", "503"] {
        assert!(
            metrics.lines().any(|l| {
                l.starts_with("http_requests_total{")
                    && l.contains(r#"route="/v1/friendships""#)
                    && l.contains(&format!(r#"status="{status}""#))
            }),
            "no {status} counted:\n{metrics}"
        );
    }
    // Unknown paths and made-up methods share bounded labels.
    let router = app(AppState::start(base.store.clone()).await.unwrap());
    for i in 0..3 {
        let request = Request::builder()
            .method(Method::from_bytes(format!("FOO{i}").as_bytes()).unwrap())
            .uri(format!("/no/such/path/{i}"))
            .body(Body::empty())
            .unwrap();
        assert_eq!(call(&router, request).await.status(), StatusCode::NOT_FOUND);
    }
    let metrics = text(
        call(
            &router,
            Request::get("/metrics").body(Body::empty()).unwrap(),
        )
        .await,
    )
    .await;
    assert!(!metrics.contains("/no/such/path"), "{metrics}");
    assert!(!metrics.contains("FOO"), "{metrics}");
    assert!(
        metrics.contains(r#"method="other",route="unmatched",status="404""#),
        "{metrics}"
    );
}

/// A body that sends its first bytes and then never finishes.
fn stalled() -> Body {
    let first = futures_util::stream::once(async {
        Ok::<_, std::io::Error>(axum::body::Bytes::from_static(b"{\"user_id\": 5"))
    });
    let never = futures_util::stream::pending();
    Body::from_stream(futures_util::StreamExt::chain(first, never))
}

#[tokio::test]
async fn a_client_request_id_is_kept_only_when_short_and_plain() {
    let base = common::real_app().await;
    let router = app(AppState::start(base.store.clone()).await.unwrap());
    let echoed = |id: &str| {
        let request = Request::get("/health/live")
            .header("x-request-id", id)
            .body(Body::empty())
            .unwrap();
        let router = router.clone();
        async move {
            let response = router.oneshot(request).await.unwrap();
            response.headers()["x-request-id"]
                .to_str()
                .unwrap()
                .to_owned()
        }
    };
    assert_eq!(
        echoed("trace-4bf92f3577b34da6.a_1").await,
        "trace-4bf92f3577b34da6.a_1"
    );
    let longest = "a".repeat(128);
    assert_eq!(echoed(&longest).await, longest);
    for bad in [
        "a".repeat(129),
        "x".repeat(400 * 1024),
        "<script>".into(),
        "a b".into(),
    ] {
        let id = echoed(&bad).await;
        assert_eq!(id.len(), 36, "{bad:.40}... was kept as {id:.40}");
        assert_ne!(id, bad);
    }
}

#[tokio::test]
async fn an_undeclared_method_is_a_405_listing_the_allowed_ones_whatever_the_key() {
    let base = common::real_app().await;
    let router = app(AppState::start(base.store.clone()).await.unwrap());
    for (method, uri, allowed) in [
        ("TRACE", "/health/live", "GET,HEAD"),
        ("QUERY", "/v1/artists", "GET,HEAD,POST"),
        ("DELETE", "/v1/tags", "GET,HEAD,POST"),
        ("PUT", "/v1/artists/707/listeners", "GET,HEAD"),
    ] {
        for key in [None, Some("Bearer ss_000000000000_nope")] {
            let mut request = Request::builder()
                .method(Method::from_bytes(method.as_bytes()).unwrap())
                .uri(uri);
            if let Some(key) = key {
                request = request.header("authorization", key);
            }
            let response = call(&router, request.body(Body::empty()).unwrap()).await;
            assert_eq!(
                response.status(),
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {uri} with {key:?}"
            );
            let allow = response.headers()["allow"]
                .to_str()
                .unwrap()
                .replace(' ', "");
            let mut allow: Vec<&str> = allow.split(',').collect();
            allow.sort_unstable();
            assert_eq!(allow.join(","), allowed, "{method} {uri}");
            let body: Value = serde_json::from_str(&text(response).await).unwrap();
            assert_eq!(body["error"]["code"], "method_not_allowed");
        }
    }
    // An unknown path is a 404, even for a write without a key.
    let response = call(
        &router,
        Request::post("/v1/nothing-here")
            .header("content-type", "application/json")
            .body(Body::from(json!({}).to_string()))
            .unwrap(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

/// The p99 of `samples`, in milliseconds.
fn p99_ms(samples: &mut [Duration]) -> f64 {
    samples.sort_unstable();
    let at = (samples.len() * 99).div_ceil(100).saturating_sub(1);
    samples[at].as_secs_f64() * 1000.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_deep_pages_leaves_other_requests_fast() {
    // Issue 13: with `skip=180000&limit=500` (COUNT(*) and OFFSET on every request), nine deep
    // pages a second pushed other requests to 0.5-2 s. Pages now start at a cursor (an index
    // seek) or at most 10,000 rows in, and their total comes from the read model.
    let base = common::real_app().await;
    let router = base.router.clone();
    let pages = base.router.clone();
    let page = move |uri: String| {
        let router = pages.clone();
        async move {
            let response = call(&router, Request::get(uri).body(Body::empty()).unwrap()).await;
            assert_eq!(response.status(), StatusCode::OK);
            serde_json::from_str::<Value>(&text(response).await).unwrap()
        }
    };
    // A cursor deep in the list: the first page of 2011 (the list is in time order).
    let late = page("/v1/tag-assignments?from=2011-01-01&limit=500".into()).await;
    let cursor = late["next"].as_str().expect("a next cursor").to_owned();
    let deep = [
        format!("/v1/tag-assignments?after={cursor}&limit=500"),
        "/v1/tag-assignments?skip=10000&limit=500".to_owned(),
    ];
    for uri in &deep {
        assert_eq!(
            page(uri.clone()).await["items"].as_array().unwrap().len(),
            500
        );
    }

    // Two clients asking for deep pages back to back, while a third reads point by point.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut flood = Vec::new();
    for uri in deep {
        let (stop, page) = (stop.clone(), page.clone());
        flood.push(tokio::spawn(async move {
            let mut served = 0u32;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                page(uri.clone()).await;
                served += 1;
            }
            served
        }));
    }
    let mut probes = Vec::new();
    for i in 0..300u32 {
        let uri = ["/v1/artists/289", "/v1/users/2", "/v1/tags/1"][i as usize % 3];
        let start = std::time::Instant::now();
        let response = call(&router, Request::get(uri).body(Body::empty()).unwrap()).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        text(response).await;
        probes.push(start.elapsed());
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut served = 0;
    for client in flood {
        served += client.await.unwrap();
    }
    let p99 = p99_ms(&mut probes);
    eprintln!("deep pages served during the probe: {served}; probe p99 {p99:.2} ms");
    assert!(served >= 10, "the flood ran ({served} deep pages)");
    assert!(
        p99 < 20.0,
        "probe p99 {p99:.2} ms under a flood of deep pages"
    );
}
