//! Recommendations over HTTP on the real dataset: every strategy, explanations, exclusions,
//! unknown and new users, bad parameters, discovery, the model state in readiness, fold-in of
//! a user's new listens at once, and retraining after writes.

use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use serde_json::Value;

use crate::common::{
    self, assert_invalid, assert_not_found, get, recommending_apps, scratch_apps, send,
};

fn artist_ids(body: &Value) -> Vec<i64> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["artist_id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn the_default_is_a_hybrid_list_of_unheard_artists_with_explanations() {
    for app in recommending_apps().await {
        let (status, body) = get(&app, "/v1/users/2/recommendations").await;
        assert_eq!(status, StatusCode::OK, "{:?}: {body}", app.backend());
        assert_eq!(body["strategy"], "hybrid");
        assert_eq!(body["user_id"], 2);
        assert!(body["model_version"].as_u64().unwrap() >= 1);
        let ids = artist_ids(&body);
        assert_eq!(ids.len(), 10);
        let (_, heard) = get(&app, "/v1/users/2/artists?limit=500").await;
        let heard: Vec<i64> = heard["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["artist_id"].as_i64().unwrap())
            .collect();
        assert_eq!(heard.len(), 50);
        assert!(
            ids.iter().all(|id| !heard.contains(id)),
            "{ids:?} overlaps {heard:?}"
        );
        for item in body["items"].as_array().unwrap() {
            assert!(!item["explanation"].as_str().unwrap().is_empty(), "{item}");
            assert!(
                item["name"].is_string() && !item["reasons"].as_array().unwrap().is_empty(),
                "{item}"
            );
        }
        let scores: Vec<f64> = body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["score"].as_f64().unwrap())
            .collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    }
}

#[tokio::test]
async fn every_strategy_answers_and_explains_itself_in_its_own_terms() {
    for app in recommending_apps().await {
        for strategy in ["hybrid", "collaborative", "social", "tags", "popular"] {
            let (status, body) = get(
                &app,
                &format!("/v1/users/2/recommendations?strategy={strategy}&limit=5"),
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{strategy}: {body}");
            assert_eq!(body["strategy"], strategy);
            assert_eq!(
                body["items"].as_array().unwrap().len(),
                5,
                "{strategy}: {body}"
            );
        }
        let (_, social) = get(&app, "/v1/users/2/recommendations?strategy=social&limit=3").await;
        assert!(
            social["items"][0]["explanation"]
                .as_str()
                .unwrap()
                .contains("friend"),
            "{social}"
        );
        assert_eq!(social["items"][0]["reasons"][0]["kind"], "friends");
        let (_, popular) = get(&app, "/v1/users/2/recommendations?strategy=popular&limit=1").await;
        assert_eq!(
            popular["items"][0]["reasons"][0]["kind"], "popular",
            "{popular}"
        );
        let (_, tags) = get(&app, "/v1/users/2/recommendations?strategy=tags&limit=1").await;
        assert_eq!(tags["items"][0]["reasons"][0]["kind"], "tags", "{tags}");
    }
}

#[tokio::test]
async fn unknown_users_and_bad_parameters_are_refused() {
    for app in recommending_apps().await {
        let (status, body) = get(&app, "/v1/users/999999/recommendations").await;
        assert_not_found(status, &body);
        let (status, body) = get(&app, "/v1/users/2/recommendations?limit=0").await;
        assert_invalid(status, &body, "limit");
        let (status, body) = get(&app, "/v1/users/2/recommendations?limit=101").await;
        assert_invalid(status, &body, "limit");
        let (status, body) = get(&app, "/v1/users/2/recommendations?strategy=magic").await;
        assert_invalid(status, &body, "strategy");
        let (status, body) = get(&app, "/v1/users/0/recommendations").await;
        assert_invalid(status, &body, "user_id");
        let (status, body) = get(&app, "/v1/users/2/recommendations?discovery=1.5").await;
        assert_invalid(status, &body, "discovery");
    }
}

#[tokio::test]
async fn similar_artists_and_users_come_from_the_model() {
    for app in recommending_apps().await {
        let (status, body) = get(&app, "/v1/artists/707/similar?limit=5").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let names: Vec<&str> = body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap())
            .collect();
        assert_eq!(names.len(), 5);
        assert!(!names.contains(&"Metallica"));
        let (status, body) = get(&app, "/v1/users/2/similar?limit=3").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["items"].as_array().unwrap().len(), 3);
        assert!(
            body["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|u| u["user_id"] != 2)
        );
    }
}

#[tokio::test]
async fn readiness_reports_the_model_being_served() {
    for app in recommending_apps().await {
        let (_, body) = get(&app, "/health/ready").await;
        assert!(
            body["recommender"]["model_version"].as_u64().unwrap() >= 1,
            "{body}"
        );
        assert!(
            body["recommender"]["training_seconds"].as_f64().unwrap() > 0.0,
            "{body}"
        );
    }
}

#[tokio::test]
async fn a_new_user_gets_popular_artists_then_personal_ones_after_retraining() {
    let app = scratch_apps().await.remove(0);
    let state = app.state.clone();
    state.recommender.train(&app.store).await.unwrap();
    tokio::spawn(
        state
            .recommender
            .clone()
            .retrain_after_writes(app.store.clone()),
    );
    let app = common::TestApp {
        router: soundstream_api::app(state.clone()),
        state,
        store: app.store.clone(),
        key: app.key.clone(),
    };
    let user = 4_000_000;
    let (status, body) = send(
        &app,
        Method::POST,
        "/v1/users",
        Some(serde_json::json!({"id": user})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = get(&app, &format!("/v1/users/{user}/recommendations")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["items"].as_array().unwrap().len(),
        10,
        "never an empty list"
    );
    assert_eq!(body["items"][0]["reasons"][0]["kind"], "popular");
    assert_eq!(body["model"], "fallback-popular");
    let before = body["model_version"].as_u64().unwrap();

    // They listen to Metallica; after the quiet period the model is retrained with them.
    let (status, _) = send(
        &app,
        Method::PUT,
        &format!("/v1/users/{user}/artists/707"),
        Some(serde_json::json!({"weight": 500})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    // At once, before any retraining: their listen is folded in.
    let (_, body) = get(&app, &format!("/v1/users/{user}/recommendations")).await;
    assert_eq!(body["model"], "hybrid", "{body}");
    assert_eq!(body["folded_in"], true, "{body}");
    assert!(!artist_ids(&body).contains(&707));
    // Training takes about 12 s of CPU; on a loaded CI machine several times that.
    let start = Instant::now();
    let body = loop {
        let (_, body) = get(&app, &format!("/v1/users/{user}/recommendations")).await;
        if body["model_version"].as_u64().unwrap() > before {
            break body;
        }
        assert!(
            start.elapsed() < Duration::from_secs(600),
            "no retraining after a write"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(
        !artist_ids(&body).contains(&707),
        "a heard artist is never recommended"
    );
    assert_eq!(body["items"].as_array().unwrap().len(), 10);
}

#[tokio::test]
async fn discovery_changes_the_list_and_is_echoed() {
    for app in recommending_apps().await {
        let (status, familiar) = get(&app, "/v1/users/2/recommendations?discovery=0").await;
        assert_eq!(status, StatusCode::OK, "{familiar}");
        let (_, far) = get(&app, "/v1/users/2/recommendations?discovery=1").await;
        assert_eq!(far["discovery"], 1.0);
        assert_eq!(far["items"].as_array().unwrap().len(), 10);
        assert_ne!(artist_ids(&familiar), artist_ids(&far), "{far}");
    }
}

#[tokio::test]
async fn a_users_new_listens_change_their_list_at_once() {
    let app = scratch_apps().await.remove(0);
    let state = app.state.clone();
    // Trained once; no retraining runs in this test, so any change is the fold-in.
    state.recommender.train(&app.store).await.unwrap();
    let app = common::TestApp {
        router: soundstream_api::app(state.clone()),
        state,
        store: app.store.clone(),
        key: app.key.clone(),
    };
    let (status, before) = get(&app, "/v1/users/2/recommendations").await;
    assert_eq!(status, StatusCode::OK, "{before}");
    assert_eq!(before["folded_in"], false);
    assert_eq!(before["model"], "hybrid");

    // User 2 (80s pop) starts playing far from their taste: Metallica, Dire Straits,
    // Rammstein and Simian Mobile Disco, heavily.
    for artist in [707, 712, 1104, 1405] {
        let (status, body) = send(
            &app,
            Method::PUT,
            &format!("/v1/users/2/artists/{artist}"),
            Some(serde_json::json!({"weight": 20000})),
        )
        .await;
        assert!(status.is_success(), "{artist}: {status} {body}");
    }
    let (status, after) = get(&app, "/v1/users/2/recommendations").await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(after["folded_in"], true, "{after}");
    assert_eq!(
        after["model_version"], before["model_version"],
        "the same model, no retraining"
    );
    let (old, new) = (artist_ids(&before), artist_ids(&after));
    assert_ne!(old, new, "the new listens change the list");
    for artist in [707, 712, 1104, 1405] {
        assert!(
            !new.contains(&artist),
            "a heard artist is never recommended"
        );
    }
    // Other users' lists are untouched.
    let (_, other) = get(&app, "/v1/users/3/recommendations").await;
    assert_eq!(other["folded_in"], false);
}
