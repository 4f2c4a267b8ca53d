//! The artists endpoints against the real dataset: exact values, 404s, 422s and a full
//! write round trip with its cascades, on every configured engine.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{
    TestApp, assert_invalid, assert_not_found, get, real_apps, scratch_apps, send,
};

#[tokio::test]
async fn an_artist_comes_with_its_audience_and_top_tags() {
    for app in real_apps().await {
        let (status, body) = get(&app, "/v1/artists/707").await;
        assert_eq!(status, StatusCode::OK, "{:?}: {body}", app.backend());
        assert_eq!(body["name"], "Metallica");
        assert_eq!(body["url"], "http://www.last.fm/music/Metallica");
        assert_eq!(body["listeners"], 224);
        assert_eq!(body["plays"], 371_916);
        assert_eq!(
            body["top_tags"][0],
            json!({"tag_id": 1, "value": "metal", "count": 48})
        );
        assert_eq!(body["top_tags"].as_array().unwrap().len(), 10);
    }
}

#[tokio::test]
async fn an_unknown_artist_is_a_404_and_a_bad_id_a_422() {
    for app in real_apps().await {
        let (status, body) = get(&app, "/v1/artists/999999").await;
        assert_not_found(status, &body);
        assert_eq!(body["error"]["message"], "artist 999999 does not exist");
        let (status, body) = get(&app, "/v1/artists/abc").await;
        assert_invalid(status, &body, "artist_id");
        let (status, body) = get(&app, "/v1/artists/0").await;
        assert_invalid(status, &body, "artist_id");
    }
}

#[tokio::test]
async fn the_artist_list_sorts_by_listeners_and_counts_the_filtered_set() {
    for app in real_apps().await {
        let (status, body) = get(&app, "/v1/artists?sort=listeners&limit=3").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["total"], 17_632);
        let names: Vec<&str> = body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Lady Gaga", "Britney Spears", "Rihanna"]);
        assert_eq!(body["items"][0]["listeners"], 611);

        let (_, body) = get(&app, "/v1/artists?sort=plays&limit=1").await;
        assert_eq!(body["items"][0]["name"], "Britney Spears");
        assert_eq!(body["items"][0]["plays"], 2_393_140);
    }
}

#[tokio::test]
async fn the_name_filter_is_case_insensitive_including_non_ascii() {
    for app in real_apps().await {
        let (_, body) = get(&app, "/v1/artists?name=METALLICA").await;
        assert_eq!(body["total"], 1);
        let (_, body) = get(
            &app,
            "/v1/artists?name=%D0%BB%D0%B5%D0%BD%D0%B8%D0%BD%D0%B3%D1%80%D0%B0%D0%B4",
        )
        .await;
        assert_eq!(body["items"][0]["name"], "Ленинград");
        let (_, body) = get(&app, "/v1/artists?name=R%C3%96YKSOPP").await;
        assert_eq!(body["items"][0]["id"], 64);
    }
}

#[tokio::test]
async fn list_parameters_are_validated() {
    for app in real_apps().await {
        let (status, body) = get(&app, "/v1/artists?limit=0").await;
        assert_invalid(status, &body, "limit");
        let (status, body) = get(&app, "/v1/artists?limit=501").await;
        assert_invalid(status, &body, "limit");
        let (status, body) = get(&app, "/v1/artists?skip=-1").await;
        assert_invalid(status, &body, "skip");
        let (status, body) = get(&app, "/v1/artists?sort=popularity").await;
        assert_invalid(status, &body, "sort");
        let (status, body) = get(&app, "/v1/artists?nmae=x").await;
        assert_invalid(status, &body, "nmae");
        let (status, body) = get(&app, "/v1/artists?limit=ten").await;
        assert_invalid(status, &body, "limit");
    }
}

#[tokio::test]
async fn an_artists_listeners_are_sorted_by_weight() {
    for app in real_apps().await {
        let (status, body) = get(&app, "/v1/artists/707/listeners?limit=2").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["total"], 224);
        assert_eq!(body["items"][0], json!({"user_id": 800, "weight": 82_951}));
        assert_eq!(body["items"][1], json!({"user_id": 616, "weight": 48_808}));
        let (status, body) = get(&app, "/v1/artists/999999/listeners").await;
        assert_not_found(status, &body);
    }
}

#[tokio::test]
async fn an_artists_tags_come_with_their_counts() {
    for app in real_apps().await {
        let (_, body) = get(&app, "/v1/artists/707/tags?limit=3").await;
        assert_eq!(body["total"], 113);
        assert_eq!(
            body["items"],
            json!([
                {"tag_id": 1, "value": "metal", "count": 48},
                {"tag_id": 91, "value": "thrash metal", "count": 45},
                {"tag_id": 386, "value": "heavy metal", "count": 45},
            ])
        );
        let (status, body) = get(&app, "/v1/artists/999999/tags").await;
        assert_not_found(status, &body);
    }
}

#[tokio::test]
async fn similar_artists_share_an_audience() {
    for app in real_apps().await {
        let (status, body) = get(&app, "/v1/artists/707/similar?limit=5").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let items = body["items"].as_array().unwrap();
        assert_eq!(items.len(), 5);
        assert!(items.iter().all(|a| a["id"] != 707));
        let scores: Vec<f64> = items.iter().map(|a| a["score"].as_f64().unwrap()).collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
        let (status, body) = get(&app, "/v1/artists/707/similar?limit=1000").await;
        assert_invalid(status, &body, "limit");
    }
}

#[tokio::test]
async fn an_artist_goes_through_create_read_update_delete_with_cascades() {
    for (n, app) in scratch_apps().await.into_iter().enumerate() {
        let id = 1_000_100 + n as i64;
        create_the_artist_once(&app, id).await;

        // A listen and a tag assignment on it, by a user and with a tag of its own (the
        // scratch database is shared with every area; the tags tests check the exact usage
        // of the real tags there).
        let user = id;
        let tag = listen_to_and_tag(&app, id, user).await;

        let uri = format!("/v1/artists/{id}");
        patch_and_replace(&app, id, &uri).await;
        delete_with_its_cascades(&app, id, &uri).await;
        for uri in [format!("/v1/users/{user}"), format!("/v1/tags/{tag}")] {
            let (status, body) = send(&app, Method::DELETE, &uri, None).await;
            assert_eq!(status, StatusCode::NO_CONTENT, "{uri}: {body}");
        }
    }
}

/// Creates artist `id`; creating it again is a 409 that names it.
async fn create_the_artist_once(app: &TestApp, id: i64) {
    let (status, created) = send(
        app,
        Method::POST,
        "/v1/artists",
        Some(json!({"id": id, "name": "Test Band", "url": "https://example.org/tb"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["listeners"], 0);
    assert_eq!(created["picture_url"], json!(null));

    let (status, body) = send(
        app,
        Method::POST,
        "/v1/artists",
        Some(json!({"id": id, "name": "Again"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "conflict");
    assert_eq!(
        body["error"]["message"],
        format!("artist {id} already exists")
    );
}

/// Creates `user` and a tag, and gives artist `id` a listen (5 plays) and a tag assignment
/// by them: the artist then counts 1 listener and 5 plays. Returns the tag's id.
async fn listen_to_and_tag(app: &TestApp, id: i64, user: i64) -> Value {
    let (status, body) = send(app, Method::POST, "/v1/users", Some(json!({"id": user}))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, tag) = send(
        app,
        Method::POST,
        "/v1/tags",
        Some(json!({"value": "artist lifecycle tag"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{tag}");
    let tag = &tag["id"];
    let (status, body) = send(
        app,
        Method::PUT,
        &format!("/v1/users/{user}/artists/{id}"),
        Some(json!({"weight": 5})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = send(
        app,
        Method::POST,
        "/v1/tag-assignments",
        Some(json!({"user_id": user, "artist_id": id, "tag_id": tag, "timestamp": 0})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, body) = get(app, &format!("/v1/artists/{id}")).await;
    assert_eq!(
        (body["listeners"].as_i64(), body["plays"].as_i64()),
        (Some(1), Some(5))
    );
    tag.clone()
}

/// A PATCH clears the artist's URL and keeps its name; a PUT renames it, and the new name is
/// found by a search.
async fn patch_and_replace(app: &TestApp, id: i64, uri: &str) {
    let (status, body) = send(app, Method::PATCH, uri, Some(json!({"url": null}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (body["name"].as_str(), body["url"].as_str()),
        (Some("Test Band"), None)
    );
    let (status, body) = send(
        app,
        Method::PUT,
        uri,
        Some(json!({"name": "Renamed", "url": null, "picture_url": "https://example.org/p.png"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["name"], "Renamed");
    let (_, body) = get(app, "/v1/artists?name=renamed").await;
    assert!(
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == id),
        "{body}"
    );
}

/// Deleting the artist is a 204, after which it is a 404, its listens and tag assignments
/// are gone, and a second delete is a 404.
async fn delete_with_its_cascades(app: &TestApp, id: i64, uri: &str) {
    let (status, _) = send(app, Method::DELETE, uri, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = get(app, uri).await;
    assert_not_found(status, &body);
    let left = app
        .store
        .query_one(
            r#"SELECT (SELECT COUNT(*) FROM user_artists WHERE "artistID" = $1)
                        + (SELECT COUNT(*) FROM user_taggedartists WHERE "artistID" = $1)"#,
            vec![id.into()],
        )
        .await
        .unwrap();
    assert_eq!(left.i64(0).unwrap(), 0, "the delete cascades");
    let (status, body) = send(app, Method::DELETE, uri, None).await;
    assert_not_found(status, &body);
}

#[tokio::test]
async fn artist_bodies_are_validated_field_by_field() {
    for app in scratch_apps().await {
        let (status, body) =
            send(&app, Method::POST, "/v1/artists", Some(json!({"name": ""}))).await;
        assert_invalid(status, &body, "name");
        let (status, body) =
            send(&app, Method::POST, "/v1/artists", Some(json!({"url": "x"}))).await;
        assert_invalid(status, &body, "name");
        let (status, body) = send(
            &app,
            Method::POST,
            "/v1/artists",
            Some(json!({"name": "A", "url": "ftp://x", "picture_url": "not a url"})),
        )
        .await;
        assert_invalid(status, &body, "url");
        assert_invalid(status, &body, "picture_url");
        let (status, body) = send(
            &app,
            Method::POST,
            "/v1/artists",
            Some(json!({"name": "A", "genre": "x"})),
        )
        .await;
        assert_invalid(status, &body, "genre");
        let (status, body) =
            send(&app, Method::POST, "/v1/artists", Some(json!({"name": 5}))).await;
        assert_invalid(status, &body, "name");
        let (status, body) = send(
            &app,
            Method::PATCH,
            "/v1/artists/999999",
            Some(json!({"name": "x"})),
        )
        .await;
        assert_not_found(status, &body);
        let (status, body) = send(
            &app,
            Method::PUT,
            "/v1/artists/999999",
            Some(json!({"name": "x"})),
        )
        .await;
        assert_not_found(status, &body);
    }
}
