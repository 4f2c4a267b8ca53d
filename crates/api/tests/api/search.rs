//! Search, health and the Swagger UI, against the real dataset. (The OpenAPI document's tests
//! are in `contract`.)

use axum::http::StatusCode;

use crate::common::{self, assert_invalid, get, real_app, real_apps};

#[tokio::test]
async fn artists_carrying_all_tags_are_ranked_by_how_often_they_were_tagged() {
    for app in real_apps().await {
        let (status, body) = get(
            &app,
            "/v1/search/artists?tags_all=metal,thrash%20metal&limit=3",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{:?}: {body}", app.backend());
        assert_eq!(body["total"], 114);
        assert_eq!(body["items"][0]["name"], "Metallica");
        assert_eq!(body["items"][0]["tag_score"], 93);
        // Repeating the key is the same as separating with commas.
        let (_, repeated) = get(
            &app,
            "/v1/search/artists?tags_all=metal&tags_all=thrash%20metal&limit=3",
        )
        .await;
        assert_eq!(repeated, body);
    }
}

#[tokio::test]
async fn any_of_tags_unites_and_popularity_bounds_filter() {
    let app = real_app().await;
    let (_, body) = get(&app, "/v1/search/artists?tags_any=jazz,blues&limit=1").await;
    assert_eq!(body["total"], 643);
    let (_, body) = get(&app, "/v1/search/artists?tags_any=JAZZ&min_listeners=50").await;
    assert_eq!(body["total"], 28);
    let (_, body) = get(
        &app,
        "/v1/search/artists?tags_all=jazz&sort=relevance&limit=2",
    )
    .await;
    let names: Vec<&str> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Amy Winehouse", "Miles Davis"]);
}

#[tokio::test]
async fn a_search_by_name_and_plays_needs_no_tag() {
    let app = real_app().await;
    let (_, body) = get(&app, "/v1/search/artists?name=britney&min_plays=1000000").await;
    assert_eq!(body["total"], 1);
    assert_eq!(body["items"][0]["id"], 289);
    assert_eq!(body["items"][0]["tag_score"], 0);
    let (_, body) = get(
        &app,
        "/v1/search/artists?min_plays=1300000&sort=plays&order=asc",
    )
    .await;
    let ids: Vec<i64> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [72, 289]);
}

#[tokio::test]
async fn unknown_tags_and_inverted_ranges_are_rejected_by_name() {
    let app = real_app().await;
    let (status, body) = get(&app, "/v1/search/artists?tags_all=metal,no-such-tag-xyz").await;
    assert_invalid(status, &body, "tags_all");
    assert!(
        body["error"]["fields"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("no-such-tag-xyz")
    );
    let (status, body) = get(&app, "/v1/search/artists?min_listeners=10&max_listeners=5").await;
    assert_invalid(status, &body, "min_listeners");
    let (status, body) = get(&app, "/v1/search/artists?min_plays=-1").await;
    assert_invalid(status, &body, "min_plays");
    let (status, body) = get(&app, "/v1/search/artists?sort=fame").await;
    assert_invalid(status, &body, "sort");
    let (status, body) = get(&app, "/v1/search/artists?tag=metal").await;
    assert_invalid(status, &body, "tag");
}

#[tokio::test]
async fn health_says_live_and_ready_with_the_data_loaded() {
    for app in real_apps().await {
        let (status, body) = get(&app, "/health/live").await;
        assert_eq!(
            (status, body["status"].as_str()),
            (StatusCode::OK, Some("ok"))
        );
        let (status, body) = get(&app, "/health/ready").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["status"], "ready");
        assert_eq!(body["artists"], 17_632);
        assert_eq!(body["data_loaded"], true);
    }
}

#[tokio::test]
async fn readiness_is_a_503_on_an_empty_database() {
    let db = soundstream_store::testing::sqlite().await;
    let state = soundstream_api::AppState::start(db.store.clone())
        .await
        .expect("the read model builds");
    let app = common::TestApp {
        router: soundstream_api::app(state.clone()),
        state,
        store: db.store.clone(),
        key: String::new(),
    };
    let (status, body) = get(&app, "/health/ready").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["data_loaded"], false);
    assert!(
        body["reason"]
            .as_str()
            .unwrap()
            .contains("soundstream import")
    );
}

#[tokio::test]
async fn unknown_paths_and_methods_answer_in_the_error_format() {
    let app = real_app().await;
    let (status, body) = get(&app, "/v1/nothing-here").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let (status, body) = common::send(&app, axum::http::Method::DELETE, "/v1/artists", None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{body}");
    assert_eq!(body["error"]["code"], "method_not_allowed");
}

#[tokio::test]
async fn swagger_ui_is_served_from_embedded_assets() {
    let app = real_app().await;
    use tower::ServiceExt;
    for path in [
        "/docs/",
        "/docs/swagger-ui.css",
        "/docs/swagger-ui-bundle.js",
    ] {
        let response = app
            .router
            .clone()
            .oneshot(
                axum::http::Request::get(path)
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn a_negative_maximum_is_rejected_by_name() {
    let app = real_app().await;
    let (status, body) = get(&app, "/v1/search/artists?max_listeners=-5").await;
    assert_invalid(status, &body, "max_listeners");
}
