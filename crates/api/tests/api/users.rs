//! The users, listens and friendships endpoints against the real dataset: exact values, 404s,
//! 422s, and write round trips with their cascades, on every configured engine.
//!
//! Writing tests use user ids from 1,000,000 up, a different range per test, plus one test
//! that owns the ids from 1,900,000 (the only one that lets the server pick the next free id).
//!
//! One file though over 500 lines: users, listens and friendships share their fixtures and
//! the scratch ids of their write tests, and `users::` runs the area as one.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::common::{
    TestApp, assert_invalid, assert_not_found, get, ids, real_apps, scratch_apps, send,
};

/// Creates a user with this id through the API.
async fn create_user(app: &TestApp, id: i64) {
    let (status, body) = send(app, Method::POST, "/v1/users", Some(json!({"id": id}))).await;
    assert_eq!(status, StatusCode::CREATED, "{:?}: {body}", app.backend());
}

/// How many rows of `table` mention `id` in `column`, read straight from the store.
async fn rows(app: &TestApp, table: &str, column: &str, id: i64) -> i64 {
    app.store
        .query_one(
            &format!(r#"SELECT COUNT(*) FROM {table} WHERE "{column}" = $1"#),
            vec![id.into()],
        )
        .await
        .unwrap()
        .i64(0)
        .unwrap()
}

/// The ids of the items of a page.
#[tokio::test]
async fn a_user_comes_with_their_activity() {
    for app in real_apps().await {
        let (status, body) = get(&app, "/v1/users/2").await;
        assert_eq!(status, StatusCode::OK, "{:?}: {body}", app.backend());
        assert_eq!(
            body,
            json!({"id": 2, "artists": 50, "plays": 168_737, "tags_applied": 45, "friends": 13})
        );
        let (_, body) = get(&app, "/v1/users/1543").await;
        assert_eq!(
            body,
            json!({"id": 1543, "artists": 27, "plays": 2458, "tags_applied": 113, "friends": 119})
        );
    }
}

#[tokio::test]
async fn an_unknown_user_is_a_404_and_a_bad_id_a_422() {
    for app in real_apps().await {
        let (status, body) = get(&app, "/v1/users/999999").await;
        assert_not_found(status, &body);
        assert_eq!(body["error"]["message"], "user 999999 does not exist");
        for area in ["artists", "friends", "tags", "similar"] {
            let (status, body) = get(&app, &format!("/v1/users/999999/{area}")).await;
            assert_not_found(status, &body);
            assert_eq!(body["error"]["message"], "user 999999 does not exist");
        }
        for bad in ["abc", "0", "-1", "1.5"] {
            let (status, body) = get(&app, &format!("/v1/users/{bad}")).await;
            assert_invalid(status, &body, "user_id");
            let (status, body) = get(&app, &format!("/v1/users/{bad}/artists")).await;
            assert_invalid(status, &body, "user_id");
        }
    }
}

#[tokio::test]
async fn the_user_list_sorts_by_every_key_with_ties_by_id() {
    for app in real_apps().await {
        let (status, body) = get(&app, "/v1/users?limit=3").await;
        assert_eq!(status, StatusCode::OK, "{:?}: {body}", app.backend());
        assert_eq!(body["total"], 1892);
        assert_eq!(
            (body["skip"].as_i64(), body["limit"].as_i64()),
            (Some(0), Some(3))
        );
        assert_eq!(ids(&body, "id"), [2, 3, 4]);
        assert_eq!(
            body["items"][0],
            json!({"id": 2, "artists": 50, "plays": 168_737, "tags_applied": 45, "friends": 13})
        );

        let (_, body) = get(&app, "/v1/users?sort=id&order=desc&limit=3").await;
        assert_eq!(ids(&body, "id"), [2100, 2099, 2097]);

        let (_, body) = get(&app, "/v1/users?sort=plays&limit=3").await;
        assert_eq!(ids(&body, "id"), [757, 2000, 1418]);
        assert_eq!(
            body["items"][0],
            json!({"id": 757, "artists": 50, "plays": 480_039, "tags_applied": 57, "friends": 32})
        );
        let (_, body) = get(&app, "/v1/users?sort=plays&skip=1&limit=1").await;
        assert_eq!(ids(&body, "id"), [2000]);
        assert_eq!(body["items"][0]["plays"], 468_409);

        let (_, body) = get(&app, "/v1/users?sort=friends&limit=3").await;
        assert_eq!(ids(&body, "id"), [1543, 1281, 831]);
        assert_eq!(body["items"][1]["friends"], 110);

        let (_, body) = get(&app, "/v1/users?sort=tags&limit=1").await;
        assert_eq!(body["items"][0]["id"], 1672);
        assert_eq!(body["items"][0]["tags_applied"], 2558);

        // Eight users listen to a single artist; ascending, they come first, by id.
        let (_, body) = get(&app, "/v1/users?sort=artists&order=asc&limit=9").await;
        assert_eq!(
            ids(&body, "id"),
            [112, 615, 1013, 1307, 1603, 1731, 1758, 2085, 188]
        );
        assert_eq!(body["items"][8]["artists"], 2);
    }
}

#[tokio::test]
async fn the_user_list_adds_up_to_the_table_totals() {
    for app in real_apps().await {
        let (mut artists, mut plays, mut tags, mut friends, mut seen) = (0, 0, 0, 0, 0);
        for skip in (0..1892).step_by(500) {
            let (status, body) = get(&app, &format!("/v1/users?skip={skip}&limit=500")).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            for user in body["items"].as_array().unwrap() {
                artists += user["artists"].as_i64().unwrap();
                plays += user["plays"].as_i64().unwrap();
                tags += user["tags_applied"].as_i64().unwrap();
                friends += user["friends"].as_i64().unwrap();
                seen += 1;
            }
        }
        assert_eq!(seen, 1892, "{:?}", app.backend());
        assert_eq!(
            (artists, plays, tags, friends),
            (92_834, 69_183_975, 184_941, 25_434)
        );
    }
}

#[tokio::test]
async fn user_list_parameters_are_validated() {
    for app in real_apps().await {
        let (status, body) = get(&app, "/v1/users?limit=0").await;
        assert_invalid(status, &body, "limit");
        let (status, body) = get(&app, "/v1/users?limit=501").await;
        assert_invalid(status, &body, "limit");
        let (status, body) = get(&app, "/v1/users?skip=-1").await;
        assert_invalid(status, &body, "skip");
        let (status, body) = get(&app, "/v1/users?sort=name").await;
        assert_invalid(status, &body, "sort");
        let (status, body) = get(&app, "/v1/users?order=up").await;
        assert_invalid(status, &body, "order");
        let (status, body) = get(&app, "/v1/users?srot=plays").await;
        assert_invalid(status, &body, "srot");
        for area in ["artists", "friends", "tags"] {
            let (status, body) = get(&app, &format!("/v1/users/2/{area}?limit=501")).await;
            assert_invalid(status, &body, "limit");
            let (status, body) = get(&app, &format!("/v1/users/2/{area}?skip=x")).await;
            assert_invalid(status, &body, "skip");
            let (status, body) = get(&app, &format!("/v1/users/2/{area}?sort=id")).await;
            assert_invalid(status, &body, "sort");
        }
    }
}

#[tokio::test]
async fn a_users_artists_come_most_played_first() {
    for app in real_apps().await {
        let (status, body) = get(&app, "/v1/users/2/artists?limit=2").await;
        assert_eq!(status, StatusCode::OK, "{:?}: {body}", app.backend());
        assert_eq!(body["total"], 50);
        assert_eq!(
            body["items"],
            json!([
                {"artist_id": 51, "name": "Duran Duran",
                 "picture_url": "http://userserve-ak.last.fm/serve/252/155668.jpg", "weight": 13_883},
                {"artist_id": 52, "name": "Morcheeba",
                 "picture_url": "http://userserve-ak.last.fm/serve/252/46005111.png", "weight": 11_690},
            ])
        );
        let (_, body) = get(&app, "/v1/users/2/artists?skip=48&limit=5").await;
        assert_eq!(ids(&body, "artist_id"), [99, 100]);
        assert_eq!(body["items"][1]["weight"], 1315);
        let (_, body) = get(&app, "/v1/users/2/artists?skip=50").await;
        assert_eq!(
            (body["total"].as_i64(), ids(&body, "artist_id")),
            (Some(50), vec![])
        );
    }
}

#[tokio::test]
async fn a_users_friends_come_with_their_activity_by_id() {
    for app in real_apps().await {
        let (status, body) = get(&app, "/v1/users/2/friends").await;
        assert_eq!(status, StatusCode::OK, "{:?}: {body}", app.backend());
        assert_eq!(body["total"], 13);
        assert_eq!(
            ids(&body, "id"),
            [
                275, 428, 515, 761, 831, 909, 1209, 1210, 1230, 1327, 1585, 1625, 1869
            ]
        );
        assert_eq!(
            body["items"][0],
            json!({"id": 275, "artists": 50, "plays": 2356, "tags_applied": 6, "friends": 32})
        );
        let (_, body) = get(&app, "/v1/users/2/friends?skip=12&limit=2").await;
        assert_eq!(ids(&body, "id"), [1869]);
        // Friendship is mutual in the data.
        let (_, body) = get(&app, "/v1/users/275/friends?limit=500").await;
        assert!(ids(&body, "id").contains(&2), "{body}");
    }
}

#[tokio::test]
async fn a_users_tags_come_most_used_first() {
    for app in real_apps().await {
        let (status, body) = get(&app, "/v1/users/2/tags?limit=3").await;
        assert_eq!(status, StatusCode::OK, "{:?}: {body}", app.backend());
        assert_eq!(body["total"], 26);
        assert_eq!(
            body["items"],
            json!([
                {"tag_id": 13, "value": "chillout", "count": 5},
                {"tag_id": 14, "value": "ambient", "count": 4},
                {"tag_id": 15, "value": "downtempo", "count": 4},
            ])
        );
    }
}

#[tokio::test]
async fn similar_users_share_the_most_artists_and_exclude_the_user() {
    for app in real_apps().await {
        let (status, body) = get(&app, "/v1/users/2/similar?limit=3").await;
        assert_eq!(status, StatusCode::OK, "{:?}: {body}", app.backend());
        // Three users share 12 of user 2's 50 artists and also play 50: 12 / sqrt(50 * 50).
        assert_eq!(ids(&body, "user_id"), [243, 959, 1514]);
        for user in body["items"].as_array().unwrap() {
            assert_eq!(user["shared_artists"], 12);
            assert!(
                (user["score"].as_f64().unwrap() - 0.24).abs() < 1e-12,
                "{user}"
            );
        }

        let (_, body) = get(&app, "/v1/users/1543/similar").await;
        let items = body["items"].as_array().unwrap();
        assert_eq!(items.len(), 10);
        assert_eq!(items[0]["user_id"], 1051);
        assert_eq!(items[0]["shared_artists"], 9);
        let expected = 9.0 / (27.0_f64 * 50.0).sqrt();
        assert!((items[0]["score"].as_f64().unwrap() - expected).abs() < 1e-12);
        let scores: Vec<f64> = items.iter().map(|u| u["score"].as_f64().unwrap()).collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
        assert!(items.iter().all(|u| u["user_id"] != 1543));

        // User 112's only artist has no other listener.
        let (status, body) = get(&app, "/v1/users/112/similar").await;
        assert_eq!((status, body), (StatusCode::OK, json!({"items": []})));

        for bad in ["0", "101", "ten"] {
            let (status, body) = get(&app, &format!("/v1/users/2/similar?limit={bad}")).await;
            assert_invalid(status, &body, "limit");
        }
        let (status, body) = get(&app, "/v1/users/2/similar?skip=1").await;
        assert_invalid(status, &body, "skip");
    }
}

#[tokio::test]
async fn a_user_goes_through_create_read_delete_with_cascades() {
    for app in scratch_apps().await {
        let (id, friend) = (1_000_000, 1_000_001);
        let (status, created) =
            send(&app, Method::POST, "/v1/users", Some(json!({"id": id}))).await;
        assert_eq!(
            status,
            StatusCode::CREATED,
            "{:?}: {created}",
            app.backend()
        );
        assert_eq!(
            created,
            json!({"id": id, "artists": 0, "plays": 0, "tags_applied": 0, "friends": 0})
        );
        let (status, body) = send(&app, Method::POST, "/v1/users", Some(json!({"id": id}))).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["message"], "user 1000000 already exists");
        create_user(&app, friend).await;

        // A listen, a friendship and a tag assignment.
        let uri = format!("/v1/users/{id}/artists/289");
        let (status, body) = send(&app, Method::PUT, &uri, Some(json!({"weight": 42}))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let pair = json!({"user_id": id, "friend_id": friend});
        let (status, body) = send(&app, Method::POST, "/v1/friendships", Some(pair)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        // A tag of its own: the tags tests check the exact usage of the real ones here.
        let (status, tag) = send(
            &app,
            Method::POST,
            "/v1/tags",
            Some(json!({"value": "user lifecycle tag"})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{tag}");
        let tag = &tag["id"];
        let assignment = json!({"user_id": id, "artist_id": 289, "tag_id": tag, "timestamp": 0});
        let (status, body) =
            send(&app, Method::POST, "/v1/tag-assignments", Some(assignment)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let mine = json!({"id": id, "artists": 1, "plays": 42, "tags_applied": 1, "friends": 1});
        let (_, body) = get(&app, &format!("/v1/users/{id}")).await;
        assert_eq!(body, mine);
        // The cached list is recomputed after the writes. Only tests create ids above 2100.
        let (_, body) = get(&app, "/v1/users?sort=id&order=desc&limit=500").await;
        let listed = body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["id"] == id);
        assert_eq!(listed, Some(&mine), "{body}");

        let user_uri = format!("/v1/users/{id}");
        let (status, body) = send(&app, Method::DELETE, &user_uri, None).await;
        assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
        let (status, body) = get(&app, &user_uri).await;
        assert_not_found(status, &body);
        for (table, column) in [
            ("user_artists", "userID"),
            ("user_taggedartists", "userID"),
            ("user_friends", "userID"),
            ("user_friends", "friendID"),
        ] {
            assert_eq!(rows(&app, table, column, id).await, 0, "{table}.{column}");
        }
        let (_, body) = get(&app, &format!("/v1/users/{friend}")).await;
        assert_eq!(body["friends"], 0, "the friend's side is gone too");
        let (_, body) = get(&app, "/v1/users?sort=id&order=desc&limit=500").await;
        assert!(!ids(&body, "id").contains(&id), "{body}");
        let (status, body) = send(&app, Method::DELETE, &user_uri, None).await;
        assert_not_found(status, &body);
        assert_eq!(body["error"]["message"], "user 1000000 does not exist");

        let (status, _) = send(&app, Method::DELETE, &format!("/v1/users/{friend}"), None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, _) = send(&app, Method::DELETE, &format!("/v1/tags/{tag}"), None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
}

#[tokio::test]
async fn a_new_user_without_an_id_gets_the_next_free_one_and_a_location() {
    for app in scratch_apps().await {
        // No other test of any area creates ids this high (see `common`), so the next free
        // id is known.
        create_user(&app, 9_000_000).await;
        let request = Request::builder()
            .method(Method::POST)
            .uri("/v1/users")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {}", app.key))
            .body(Body::from("{}"))
            .unwrap();
        let response = app.router.clone().oneshot(request).await.unwrap();
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "{:?}",
            app.backend()
        );
        assert_eq!(response.headers()[header::LOCATION], "/v1/users/9000001");
        let (status, body) = get(&app, "/v1/users/9000001").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["artists"], 0);
        for id in [9_000_000, 9_000_001] {
            let (status, _) = send(&app, Method::DELETE, &format!("/v1/users/{id}"), None).await;
            assert_eq!(status, StatusCode::NO_CONTENT);
        }
    }
}

#[tokio::test]
async fn user_bodies_are_validated_field_by_field() {
    for app in scratch_apps().await {
        for (body, field) in [
            (json!({"id": 0}), "id"),
            (json!({"id": -5}), "id"),
            (json!({"id": "7"}), "id"),
            (json!({"id": 1.5}), "id"),
            (json!({"id": 1_000_040, "name": "x"}), "name"),
        ] {
            let (status, error) = send(&app, Method::POST, "/v1/users", Some(body)).await;
            assert_invalid(status, &error, field);
        }
        assert_eq!(rows(&app, "users", "userID", 1_000_040).await, 0);
        let (status, body) = send(&app, Method::DELETE, "/v1/users/0", None).await;
        assert_invalid(status, &body, "user_id");
        let (status, body) = send(&app, Method::DELETE, "/v1/users/999999", None).await;
        assert_not_found(status, &body);
    }
}

#[tokio::test]
async fn a_listen_is_created_then_updated_then_deleted() {
    for app in scratch_apps().await {
        let id = 1_000_010;
        create_user(&app, id).await;
        let uri = format!("/v1/users/{id}/artists/289");

        let (status, body) = send(&app, Method::PUT, &uri, Some(json!({"weight": 10}))).await;
        assert_eq!(status, StatusCode::CREATED, "{:?}: {body}", app.backend());
        assert_eq!(body, json!({"user_id": id, "artist_id": 289, "weight": 10}));
        let (_, body) = get(&app, &format!("/v1/users/{id}/artists")).await;
        assert_eq!(body["total"], 1);
        assert_eq!(
            body["items"][0],
            json!({"artist_id": 289, "name": "Britney Spears",
                   "picture_url": "http://userserve-ak.last.fm/serve/252/60126439.png", "weight": 10})
        );

        let (status, body) = send(&app, Method::PUT, &uri, Some(json!({"weight": 25}))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["weight"], 25);
        let (_, body) = get(&app, &format!("/v1/users/{id}")).await;
        assert_eq!(
            (body["artists"].as_i64(), body["plays"].as_i64()),
            (Some(1), Some(25))
        );

        // The bounds of a play count are accepted.
        for weight in [0, 1_000_000_000] {
            let (status, body) =
                send(&app, Method::PUT, &uri, Some(json!({"weight": weight}))).await;
            assert_eq!(
                (status, body["weight"].as_i64()),
                (StatusCode::OK, Some(weight))
            );
        }

        let (status, body) = send(&app, Method::DELETE, &uri, None).await;
        assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
        assert_eq!(rows(&app, "user_artists", "userID", id).await, 0);
        let (status, body) = send(&app, Method::DELETE, &uri, None).await;
        assert_not_found(status, &body);
        assert_eq!(
            body["error"]["message"],
            "a listen of artist 289 by user 1000010 does not exist"
        );
        let (_, body) = get(&app, &format!("/v1/users/{id}")).await;
        assert_eq!(
            (body["artists"].as_i64(), body["plays"].as_i64()),
            (Some(0), Some(0))
        );

        // Re-created after a delete, it is new again.
        let (status, _) = send(&app, Method::PUT, &uri, Some(json!({"weight": 3}))).await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, _) = send(&app, Method::DELETE, &format!("/v1/users/{id}"), None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        assert_eq!(rows(&app, "user_artists", "userID", id).await, 0);
    }
}

#[tokio::test]
async fn a_listen_for_an_unknown_user_or_artist_is_a_404_naming_it() {
    for app in scratch_apps().await {
        let id = 1_000_050;
        create_user(&app, id).await;
        for method in [Method::PUT, Method::DELETE] {
            let body = (method == Method::PUT).then(|| json!({"weight": 1}));
            let (status, error) = send(
                &app,
                method.clone(),
                "/v1/users/999999/artists/289",
                body.clone(),
            )
            .await;
            assert_not_found(status, &error);
            assert_eq!(error["error"]["message"], "user 999999 does not exist");
            let uri = format!("/v1/users/{id}/artists/99999999");
            let (status, error) = send(&app, method.clone(), &uri, body.clone()).await;
            assert_not_found(status, &error);
            assert_eq!(error["error"]["message"], "artist 99999999 does not exist");
            // Both unknown: the user is named.
            let uri = "/v1/users/999999/artists/99999999";
            let (status, error) = send(&app, method, uri, body).await;
            assert_not_found(status, &error);
            assert_eq!(error["error"]["message"], "user 999999 does not exist");
        }
        assert_eq!(rows(&app, "user_artists", "userID", id).await, 0);
        let (status, _) = send(&app, Method::DELETE, &format!("/v1/users/{id}"), None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
}

#[tokio::test]
async fn a_listen_with_negative_weight_is_rejected() {
    for app in scratch_apps().await {
        let id = 1_000_060;
        create_user(&app, id).await;
        let uri = format!("/v1/users/{id}/artists/289");
        for (body, field) in [
            (json!({"weight": -1}), "weight"),
            (json!({"weight": 1_000_000_001}), "weight"),
            (json!({"weight": "5"}), "weight"),
            (json!({"weight": 1.5}), "weight"),
            (json!({"weight": null}), "weight"),
            (json!({}), "weight"),
            (json!({"weight": 5, "plays": 5}), "plays"),
        ] {
            let (status, error) = send(&app, Method::PUT, &uri, Some(body)).await;
            assert_invalid(status, &error, field);
        }
        let (status, body) = send(
            &app,
            Method::PUT,
            "/v1/users/0/artists/-3",
            Some(json!({"weight": 1})),
        )
        .await;
        assert_invalid(status, &body, "user_id");
        assert_invalid(status, &body, "artist_id");
        let (status, body) = send(&app, Method::DELETE, "/v1/users/2/artists/x", None).await;
        assert_invalid(status, &body, "artist_id");
        assert_eq!(rows(&app, "user_artists", "userID", id).await, 0);
        let (status, _) = send(&app, Method::DELETE, &format!("/v1/users/{id}"), None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
}

#[tokio::test]
async fn a_friendship_is_stored_in_both_directions() {
    for app in scratch_apps().await {
        let (a, b) = (1_000_020, 1_000_021);
        create_user(&app, a).await;
        create_user(&app, b).await;

        let pair = json!({"user_id": a, "friend_id": b});
        let (status, body) = send(&app, Method::POST, "/v1/friendships", Some(pair.clone())).await;
        assert_eq!(status, StatusCode::CREATED, "{:?}: {body}", app.backend());
        assert_eq!(body, pair);
        assert_eq!(rows(&app, "user_friends", "userID", a).await, 1);
        assert_eq!(rows(&app, "user_friends", "friendID", a).await, 1);
        let (_, body) = get(&app, &format!("/v1/users/{a}/friends")).await;
        assert_eq!(
            (body["total"].as_i64(), ids(&body, "id")),
            (Some(1), vec![b])
        );
        assert_eq!(body["items"][0]["friends"], 1);
        let (_, body) = get(&app, &format!("/v1/users/{b}/friends")).await;
        assert_eq!(ids(&body, "id"), [a]);

        // Already friends, whichever way round it is asked.
        let (status, body) = send(&app, Method::POST, "/v1/friendships", Some(pair)).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(
            body["error"]["message"],
            "users 1000020 and 1000021 are already friends"
        );
        let reversed = json!({"user_id": b, "friend_id": a});
        let (status, body) = send(&app, Method::POST, "/v1/friendships", Some(reversed)).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");

        // Deleting it from the other side removes both directions.
        let uri = format!("/v1/friendships/{b}/{a}");
        let (status, body) = send(&app, Method::DELETE, &uri, None).await;
        assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
        for (column, id) in [
            ("userID", a),
            ("friendID", a),
            ("userID", b),
            ("friendID", b),
        ] {
            assert_eq!(
                rows(&app, "user_friends", column, id).await,
                0,
                "{column} {id}"
            );
        }
        let (_, body) = get(&app, &format!("/v1/users/{a}/friends")).await;
        assert_eq!(body["total"], 0);
        let (status, body) = send(&app, Method::DELETE, &uri, None).await;
        assert_not_found(status, &body);
        assert_eq!(
            body["error"]["message"],
            "a friendship between users 1000021 and 1000020 does not exist"
        );

        for id in [a, b] {
            let (status, _) = send(&app, Method::DELETE, &format!("/v1/users/{id}"), None).await;
            assert_eq!(status, StatusCode::NO_CONTENT);
        }
    }
}

#[tokio::test]
async fn a_friendship_with_an_unknown_user_is_a_404_naming_it() {
    for app in scratch_apps().await {
        let id = 1_000_030;
        create_user(&app, id).await;
        for (user_id, friend_id, missing) in [
            (id, 999_999, 999_999),
            (999_998, id, 999_998),
            (999_997, 999_996, 999_997),
        ] {
            let pair = json!({"user_id": user_id, "friend_id": friend_id});
            let (status, body) = send(&app, Method::POST, "/v1/friendships", Some(pair)).await;
            assert_not_found(status, &body);
            assert_eq!(
                body["error"]["message"],
                format!("user {missing} does not exist")
            );
        }
        // Nothing was written, in either direction.
        assert_eq!(rows(&app, "user_friends", "userID", id).await, 0);
        assert_eq!(rows(&app, "user_friends", "friendID", id).await, 0);
        // Existing users that are not friends.
        let (status, body) = send(
            &app,
            Method::DELETE,
            &format!("/v1/friendships/{id}/2"),
            None,
        )
        .await;
        assert_not_found(status, &body);
        let (status, _) = send(&app, Method::DELETE, &format!("/v1/users/{id}"), None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
}

#[tokio::test]
async fn a_user_cannot_befriend_themself() {
    for app in scratch_apps().await {
        let (status, body) = send(
            &app,
            Method::POST,
            "/v1/friendships",
            Some(json!({"user_id": 2, "friend_id": 2})),
        )
        .await;
        assert_invalid(status, &body, "friend_id");
        let (status, body) = send(&app, Method::DELETE, "/v1/friendships/2/2", None).await;
        assert_invalid(status, &body, "friend_id");
    }
}

#[tokio::test]
async fn friendship_bodies_and_paths_are_validated_field_by_field() {
    for app in scratch_apps().await {
        for (body, field) in [
            (json!({"user_id": 2}), "friend_id"),
            (json!({"friend_id": 2}), "user_id"),
            (json!({"user_id": 0, "friend_id": 2}), "user_id"),
            (json!({"user_id": 2, "friend_id": -1}), "friend_id"),
            (json!({"user_id": 2, "friend_id": "x"}), "friend_id"),
            (
                json!({"user_id": 2, "friend_id": 3, "since": 2010}),
                "since",
            ),
        ] {
            let (status, error) = send(&app, Method::POST, "/v1/friendships", Some(body)).await;
            assert_invalid(status, &error, field);
        }
        let (status, body) = send(&app, Method::DELETE, "/v1/friendships/0/x", None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (status, body) = send(&app, Method::DELETE, "/v1/friendships/0/5", None).await;
        assert_invalid(status, &body, "user_id");
    }
}
