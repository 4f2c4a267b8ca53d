//! The tags and tag-assignments endpoints against the real dataset: exact values, 404s, 422s,
//! idempotent creation, conflicts and write round trips with their cascades, on every
//! configured engine.
//!
//! One file though over 500 lines: the tags and the tag assignments share their fixtures and
//! the scratch ids of their write tests, and `tags::` runs the area as one.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{
    TestApp, assert_invalid, assert_not_found, get, ids, real_apps, scratch_apps, send,
};

/// Ids of the rows a writing test creates: `2_000_000 + 100 * test + 10 * engine + i`, so
/// tests running in parallel on the shared scratch database never meet.
fn scratch_id(test: i64, engine: usize, i: i64) -> i64 {
    2_000_000 + 100 * test + 10 * engine as i64 + i
}

/// Creates a user and an artist with these ids through the API.
async fn user_and_artist(app: &TestApp, user_id: i64, artist_id: i64) {
    let (status, body) = send(app, Method::POST, "/v1/users", Some(json!({"id": user_id}))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let artist = json!({"id": artist_id, "name": format!("Tag Test Artist {artist_id}")});
    let (status, body) = send(app, Method::POST, "/v1/artists", Some(artist)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

/// Creates a tag through the API and returns its id.
async fn new_tag(app: &TestApp, value: &str) -> i64 {
    let (status, body) = send(app, Method::POST, "/v1/tags", Some(json!({"value": value}))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_i64().unwrap()
}

async fn count_rows(app: &TestApp, sql: &str, id: i64) -> i64 {
    app.store
        .query_one(sql, vec![id.into()])
        .await
        .unwrap()
        .i64(0)
        .unwrap()
}

// ---- tags, read-only -------------------------------------------------------------------

#[tokio::test]
async fn a_tag_comes_with_its_usage_and_its_first_and_last_use() {
    for app in real_apps().await {
        let (status, body) = get(&app, "/v1/tags/1").await;
        assert_eq!(status, StatusCode::OK, "{:?}: {body}", app.backend());
        assert_eq!(
            body,
            json!({
                "id": 1, "value": "metal", "usage": 1722, "artists": 638, "users": 237,
                "first_used": 1_122_854_400_000_i64, "last_used": 1_304_640_000_000_i64,
            })
        );
    }
}

#[tokio::test]
async fn a_tag_read_from_latin1_bytes_keeps_its_accent() {
    for app in real_apps().await {
        let (status, body) = get(&app, "/v1/tags/2863").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["value"], "tropicália");
        assert_eq!(
            (&body["usage"], &body["artists"], &body["users"]),
            (&json!(1), &json!(1), &json!(1))
        );
        assert_eq!(body["first_used"], 1_277_942_400_000_i64);
        assert_eq!(body["last_used"], 1_277_942_400_000_i64);
    }
}

#[tokio::test]
async fn a_tag_never_applied_has_zero_usage_and_no_dates() {
    for app in real_apps().await {
        let (status, body) = get(&app, "/v1/tags/60").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            body,
            json!({
                "id": 60, "value": "melodramatic popular song minimal", "usage": 0,
                "artists": 0, "users": 0, "first_used": null, "last_used": null,
            })
        );
        let (status, body) = get(&app, "/v1/tags/60/artists").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["total"], 0);
        assert_eq!(body["items"], json!([]));
    }
}

#[tokio::test]
async fn an_unknown_tag_is_a_404_and_a_bad_tag_id_a_422() {
    for app in real_apps().await {
        let (status, body) = get(&app, "/v1/tags/999999").await;
        assert_not_found(status, &body);
        assert_eq!(body["error"]["message"], "tag 999999 does not exist");
        let (status, body) = get(&app, "/v1/tags/999999/artists").await;
        assert_not_found(status, &body);
        for uri in ["/v1/tags/abc", "/v1/tags/0", "/v1/tags/-3/artists"] {
            let (status, body) = get(&app, uri).await;
            assert_invalid(status, &body, "tag_id");
        }
    }
}

#[tokio::test]
async fn rock_is_the_most_used_tag() {
    for app in real_apps().await {
        let (status, body) = get(&app, "/v1/tags?sort=usage&limit=3").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["total"], 11_946);
        assert_eq!((&body["skip"], &body["limit"]), (&json!(0), &json!(3)));
        assert_eq!(
            body["items"][0],
            json!({"id": 73, "value": "rock", "usage": 7459, "artists": 2248, "users": 671})
        );
        assert_eq!(ids(&body, "id"), [73, 24, 79]);
        assert_eq!(body["items"][1]["value"], "pop");
        assert_eq!(body["items"][1]["usage"], 5401);
    }
}

#[tokio::test]
async fn the_tag_list_sorts_by_id_value_and_usage_in_either_order() {
    for app in real_apps().await {
        let (_, body) = get(&app, "/v1/tags?limit=2").await;
        assert_eq!(ids(&body, "id"), [1, 2]);
        assert_eq!(body["items"][0]["usage"], 1722);
        let (_, body) = get(&app, "/v1/tags?sort=id&order=desc&limit=1").await;
        assert_eq!(ids(&body, "id"), [12_648]);
        let (_, body) = get(&app, "/v1/tags?sort=value&limit=3").await;
        assert_eq!(ids(&body, "id"), [237, 3850, 3671]);
        assert_eq!(body["items"][0]["value"], "#1");
        let (_, body) = get(&app, "/v1/tags?sort=value&order=desc&limit=3").await;
        assert_eq!(ids(&body, "id"), [9316, 10_406, 3942]);
        // 2,228 tags were never applied; ties are broken by id.
        let (_, body) = get(&app, "/v1/tags?sort=usage&order=asc&limit=2").await;
        assert_eq!(ids(&body, "id"), [60, 106]);
        assert_eq!(body["items"][0]["usage"], 0);
        let (_, body) = get(&app, "/v1/tags?sort=usage&order=asc&skip=2228&limit=1").await;
        assert_eq!(body["items"][0]["usage"], 1);
    }
}

#[tokio::test]
async fn the_tag_list_filters_by_text_case_insensitively_including_non_ascii() {
    for app in real_apps().await {
        let (_, body) = get(&app, "/v1/tags?value=METAL&limit=3").await;
        assert_eq!(body["total"], 359);
        assert_eq!(ids(&body, "id"), [1, 2, 4]);
        // "TROPICÁLIA" finds "tropicália" only, not "tropical" nor "freak folk tropicalia".
        let (_, body) = get(&app, "/v1/tags?value=TROPIC%C3%81LIA").await;
        assert_eq!(body["total"], 1);
        assert_eq!(body["items"][0]["value"], "tropicália");
        // "ärzte" finds "die Ärzte".
        let (_, body) = get(&app, "/v1/tags?value=%C3%A4rzte").await;
        assert_eq!(ids(&body, "id"), [11_213]);
        // % and _ are plain characters, not patterns.
        let (_, body) = get(&app, "/v1/tags?value=%25").await;
        assert_eq!(body["total"], 0);
        let (_, body) = get(&app, "/v1/tags?value=_").await;
        assert_eq!(body["total"], 0);
    }
}

#[tokio::test]
async fn tag_list_parameters_are_validated() {
    for app in real_apps().await {
        for (uri, field) in [
            ("/v1/tags?limit=0", "limit"),
            ("/v1/tags?limit=501", "limit"),
            ("/v1/tags?skip=-1", "skip"),
            ("/v1/tags?sort=popularity", "sort"),
            ("/v1/tags?order=sideways", "order"),
            ("/v1/tags?value=", "value"),
            ("/v1/tags?value=%20%20", "value"),
            ("/v1/tags?valeu=rock", "valeu"),
            ("/v1/tags/1/artists?limit=501", "limit"),
            ("/v1/tags/1/artists?skip=x", "skip"),
            ("/v1/tags/1/artists?sort=id", "sort"),
        ] {
            let (status, body) = get(&app, uri).await;
            assert_invalid(status, &body, field);
        }
    }
}

#[tokio::test]
async fn a_tags_artists_are_ranked_by_how_often_it_was_applied() {
    for app in real_apps().await {
        let (status, body) = get(&app, "/v1/tags/1/artists?limit=3").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["total"], 638);
        assert_eq!(
            body["items"][0],
            json!({
                "artist_id": 707, "name": "Metallica",
                "picture_url": "http://userserve-ak.last.fm/serve/252/7560709.jpg", "count": 48,
            })
        );
        assert_eq!(ids(&body, "artist_id"), [707, 198, 917]);
        assert_eq!(ids(&body, "count"), [48, 34, 33]);
        // The last page: artists tagged once, ties by artist id.
        let (_, body) = get(&app, "/v1/tags/1/artists?skip=636").await;
        assert_eq!(ids(&body, "artist_id"), [18_530, 18_539]);
        assert_eq!(ids(&body, "count"), [1, 1]);
        let (_, body) = get(&app, "/v1/tags/73/artists?limit=1").await;
        assert_eq!(body["items"][0]["name"], "The Beatles");
        assert_eq!(body["items"][0]["count"], 67);
        let (_, body) = get(&app, "/v1/tags/2863/artists").await;
        assert_eq!(body["items"][0]["name"], "Chay Suede");
    }
}

// ---- tag assignments, read-only --------------------------------------------------------

#[tokio::test]
async fn the_assignments_dated_before_1970_come_first() {
    for app in real_apps().await {
        let (status, body) = get(&app, "/v1/tag-assignments?limit=4").await;
        assert_eq!(status, StatusCode::OK, "{:?}: {body}", app.backend());
        assert_eq!(body["total"], 184_941);
        assert_eq!(
            body["items"][0],
            json!({
                "user_id": 43, "artist_id": 1395, "tag_id": 39,
                "timestamp": -428_716_800_000_i64, "day": 1, "month": 6, "year": 1956,
            })
        );
        // Equal timestamps are ordered by user, artist and tag.
        assert_eq!(ids(&body, "tag_id"), [39, 103, 10_021, 1474]);
        assert_eq!(ids(&body, "user_id"), [43, 1604, 1604, 133]);
        assert_eq!(body["items"][3]["year"], 1957);
    }
}

#[tokio::test]
async fn one_assignment_is_read_by_its_user_artist_and_tag() {
    for app in real_apps().await {
        let (status, body) = get(&app, "/v1/tag-assignments/43/1395/39").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["timestamp"], -428_716_800_000_i64);
        assert_eq!((&body["day"], &body["month"]), (&json!(1), &json!(6)));
        let (status, body) = get(&app, "/v1/tag-assignments/43/1395/40").await;
        assert_not_found(status, &body);
        assert_eq!(
            body["error"]["message"],
            "tag assignment of tag 40 to artist 1395 by user 43 does not exist"
        );
        let (status, body) = get(&app, "/v1/tag-assignments/0/1395/x").await;
        assert_invalid(status, &body, "tag_id");
        let (status, body) = get(&app, "/v1/tag-assignments/0/1395/39").await;
        assert_invalid(status, &body, "user_id");
    }
}

#[tokio::test]
async fn assignments_are_filtered_by_user_artist_and_tag() {
    for app in real_apps().await {
        let (_, body) = get(&app, "/v1/tag-assignments?user_id=2&limit=2").await;
        assert_eq!(body["total"], 45);
        assert_eq!(
            body["items"][0],
            json!({
                "user_id": 2, "artist_id": 52, "tag_id": 13,
                "timestamp": 1_238_544_000_000_i64, "day": 1, "month": 4, "year": 2009,
            })
        );
        let (_, body) = get(&app, "/v1/tag-assignments?artist_id=707").await;
        assert_eq!(body["total"], 346);
        let (_, body) = get(&app, "/v1/tag-assignments?tag_id=1").await;
        assert_eq!(body["total"], 1722);
        let (_, body) = get(&app, "/v1/tag-assignments?artist_id=707&tag_id=1&limit=2").await;
        assert_eq!(body["total"], 48);
        assert_eq!(ids(&body, "user_id"), [595, 1212]);
        let (_, body) = get(&app, "/v1/tag-assignments?user_id=43&tag_id=39").await;
        assert_eq!(body["total"], 38);
        let (_, body) = get(&app, "/v1/tag-assignments?user_id=999999").await;
        assert_eq!((&body["total"], &body["items"]), (&json!(0), &json!([])));
    }
}

#[tokio::test]
async fn date_filters_include_whole_utc_days_at_both_ends() {
    for app in real_apps().await {
        let (_, body) = get(&app, "/v1/tag-assignments?from=2009-01-01&to=2009-12-31").await;
        assert_eq!(body["total"], 42_934);
        let (_, body) = get(&app, "/v1/tag-assignments?from=1956-01-01&to=1956-12-31").await;
        assert_eq!(body["total"], 3);
        // The 1956 assignment of user 43 is at 00:00 UTC on 1 June: in a one-day range.
        let (_, body) = get(&app, "/v1/tag-assignments?from=1956-06-01&to=1956-06-01").await;
        assert_eq!(body["total"], 1);
        assert_eq!(body["items"][0]["user_id"], 43);
        let (_, body) = get(&app, "/v1/tag-assignments?to=1956-05-31").await;
        assert_eq!(body["total"], 0);
        let (_, body) = get(&app, "/v1/tag-assignments?from=1956-06-02&to=1956-12-31").await;
        assert_eq!(body["total"], 2);
        // Every assignment of the last day, 9 May 2011.
        let (_, body) = get(&app, "/v1/tag-assignments?from=2011-05-09").await;
        assert_eq!(body["total"], 552);
        let (_, body) = get(
            &app,
            "/v1/tag-assignments?tag_id=73&from=2010-04-01&to=2010-04-30",
        )
        .await;
        assert_eq!(body["total"], 160);
    }
}

#[tokio::test]
async fn assignment_list_parameters_are_validated() {
    for app in real_apps().await {
        for (uri, field) in [
            ("/v1/tag-assignments?from=2010-13-01", "from"),
            ("/v1/tag-assignments?to=2009-02-29", "to"),
            ("/v1/tag-assignments?from=1-1-2009", "from"),
            ("/v1/tag-assignments?to=yesterday", "to"),
            ("/v1/tag-assignments?from=2010-02-01&to=2010-01-31", "from"),
            ("/v1/tag-assignments?user_id=0", "user_id"),
            ("/v1/tag-assignments?artist_id=-1", "artist_id"),
            ("/v1/tag-assignments?tag_id=rock", "tag_id"),
            ("/v1/tag-assignments?limit=0", "limit"),
            ("/v1/tag-assignments?skip=-5", "skip"),
            ("/v1/tag-assignments?since=2010-01-01", "since"),
        ] {
            let (status, body) = get(&app, uri).await;
            assert_invalid(status, &body, field);
        }
        // Several invalid fields are all named at once.
        let (status, body) = get(&app, "/v1/tag-assignments?from=x&to=y&user_id=0").await;
        for field in ["from", "to", "user_id"] {
            assert_invalid(status, &body, field);
        }
        let (_, body) = get(&app, "/v1/tag-assignments?from=2010-13-01").await;
        assert_eq!(
            body["error"]["message"],
            "invalid query 'from': '2010-13-01' is not a calendar date"
        );
    }
}

// ---- tags, writing ---------------------------------------------------------------------

#[tokio::test]
async fn a_tag_goes_through_create_read_rename_delete_with_cascades() {
    for (n, app) in scratch_apps().await.into_iter().enumerate() {
        let (user, artist) = (scratch_id(1, n, 0), scratch_id(1, n, 1));
        user_and_artist(&app, user, artist).await;

        let (status, created) = send(
            &app,
            Method::POST,
            "/v1/tags",
            Some(json!({"value": "Lifecycle Tag"})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let id = created["id"].as_i64().unwrap();
        assert_eq!(
            created,
            json!({"id": id, "value": "Lifecycle Tag", "usage": 0, "artists": 0, "users": 0})
        );
        let uri = format!("/v1/tags/{id}");
        let (status, body) = get(&app, &uri).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            (&body["first_used"], &body["usage"]),
            (&json!(null), &json!(0))
        );

        let (status, body) = send(
            &app,
            Method::POST,
            "/v1/tag-assignments",
            Some(json!({"user_id": user, "artist_id": artist, "tag_id": id,
                        "timestamp": 1_300_000_000_000_i64})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let (_, body) = get(&app, &uri).await;
        assert_eq!(
            (&body["usage"], &body["artists"], &body["users"]),
            (&json!(1), &json!(1), &json!(1))
        );
        assert_eq!(body["first_used"], 1_300_000_000_000_i64);
        // The list and the tag's artists see the write at once.
        let (_, body) = get(&app, "/v1/tags?value=lifecycle").await;
        assert_eq!(
            body["items"],
            json!([{"id": id, "value": "Lifecycle Tag", "usage": 1, "artists": 1, "users": 1}])
        );
        let (_, body) = get(&app, &format!("{uri}/artists")).await;
        assert_eq!(
            body["items"],
            json!([{"artist_id": artist, "name": format!("Tag Test Artist {artist}"),
                    "picture_url": null, "count": 1}])
        );

        let (status, body) = send(
            &app,
            Method::PATCH,
            &uri,
            Some(json!({"value": "Renamed Lifecycle"})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            (&body["value"], &body["usage"]),
            (&json!("Renamed Lifecycle"), &json!(1))
        );
        let (_, body) = get(&app, "/v1/tags?value=lifecycle").await;
        assert_eq!(ids(&body, "id"), [id]);
        assert_eq!(body["items"][0]["value"], "Renamed Lifecycle");

        let (status, body) = send(&app, Method::DELETE, &uri, None).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        let (status, body) = get(&app, &uri).await;
        assert_not_found(status, &body);
        let (status, body) = get(&app, &format!("{uri}/artists")).await;
        assert_not_found(status, &body);
        let (_, body) = get(&app, "/v1/tags?value=lifecycle").await;
        assert_eq!(body["total"], 0);
        let left = count_rows(
            &app,
            r#"SELECT COUNT(*) FROM user_taggedartists WHERE "tagID" = $1"#,
            id,
        )
        .await;
        assert_eq!(left, 0, "the delete cascades to the tag's assignments");
        let (status, body) = send(&app, Method::DELETE, &uri, None).await;
        assert_not_found(status, &body);
        let (status, body) = send(&app, Method::PATCH, &uri, Some(json!({"value": "x"}))).await;
        assert_not_found(status, &body);
    }
}

#[tokio::test]
async fn creating_a_tag_is_idempotent_on_its_case_insensitive_value() {
    for app in scratch_apps().await {
        // An existing tag of the real data, in any case: 200 with that tag, nothing created.
        for value in ["metal", "METAL", "Metal"] {
            let (status, body) = send(
                &app,
                Method::POST,
                "/v1/tags",
                Some(json!({"value": value})),
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            assert_eq!(
                body,
                json!({"id": 1, "value": "metal", "usage": 1722, "artists": 638, "users": 237})
            );
        }
        let (status, body) = send(
            &app,
            Method::POST,
            "/v1/tags",
            Some(json!({"value": "TROPICÁLIA"})),
        )
        .await;
        assert_eq!(
            (status, &body["id"]),
            (StatusCode::OK, &json!(2863)),
            "{body}"
        );

        let id = new_tag(&app, "Idempotent Ünïcode Tag").await;
        for value in ["Idempotent Ünïcode Tag", "idempotent ünïcode tag"] {
            let (status, body) = send(
                &app,
                Method::POST,
                "/v1/tags",
                Some(json!({"value": value})),
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            assert_eq!(body["id"], id);
            assert_eq!(body["value"], "Idempotent Ünïcode Tag");
        }
        let stored = count_rows(
            &app,
            r#"SELECT COUNT(*) FROM tags
               WHERE ss_fold("tagValue") = (SELECT ss_fold("tagValue") FROM tags WHERE "tagID" = $1)"#,
            id,
        )
        .await;
        assert_eq!(stored, 1);
        let (_, body) = get(&app, "/v1/tags?value=idempotent").await;
        assert_eq!(body["total"], 1);
    }
}

#[tokio::test]
async fn a_created_tag_answers_with_its_location() {
    for app in scratch_apps().await {
        let response = tower::ServiceExt::oneshot(
            app.router.clone(),
            axum::http::Request::post("/v1/tags")
                .header("content-type", "application/json")
                .header("authorization", format!("Bearer {}", app.key))
                .body(axum::body::Body::from(r#"{"value": "Located Tag"}"#))
                .unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        let (status, body) = get(&app, &location).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["value"], "Located Tag");
    }
}

#[tokio::test]
async fn renaming_a_tag_to_another_tags_value_is_a_conflict() {
    for app in scratch_apps().await {
        let id = new_tag(&app, "Conflicting Tag").await;
        let uri = format!("/v1/tags/{id}");
        for taken in ["rock", "ROCK"] {
            let (status, body) =
                send(&app, Method::PATCH, &uri, Some(json!({"value": taken}))).await;
            assert_eq!(status, StatusCode::CONFLICT, "{body}");
            assert_eq!(body["error"]["code"], "conflict");
            assert_eq!(
                body["error"]["message"],
                "tag 73 already has the text 'rock'"
            );
        }
        let (_, body) = get(&app, &uri).await;
        assert_eq!(
            body["value"], "Conflicting Tag",
            "a refused rename changes nothing"
        );
        // Its own value in another case is not a conflict.
        let (status, body) = send(
            &app,
            Method::PATCH,
            &uri,
            Some(json!({"value": "conflicting TAG"})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["value"], "conflicting TAG");
        let (_, body) = get(&app, "/v1/tags/73").await;
        assert_eq!(body["value"], "rock");
    }
}

#[tokio::test]
async fn tag_bodies_are_validated_field_by_field() {
    for app in scratch_apps().await {
        let long = "x".repeat(501);
        for body in [
            json!({"value": ""}),
            json!({"value": "   "}),
            json!({"value": "rock,indie"}),
            json!({"value": " padded"}),
            json!({"value": "padded "}),
            json!({"value": "tab\there"}),
            json!({"value": long}),
            json!({"value": 5}),
            json!({"value": null}),
            json!({}),
        ] {
            let (status, answer) = send(&app, Method::POST, "/v1/tags", Some(body.clone())).await;
            assert_invalid(status, &answer, "value");
            let (status, answer) = send(&app, Method::PATCH, "/v1/tags/1", Some(body)).await;
            assert_invalid(status, &answer, "value");
        }
        let (_, body) = send(
            &app,
            Method::POST,
            "/v1/tags",
            Some(json!({"value": "rock,indie"})),
        )
        .await;
        assert_eq!(
            body["error"]["fields"][0]["reason"],
            "must not contain commas (search separates tags with commas)"
        );
        let (status, body) = send(
            &app,
            Method::POST,
            "/v1/tags",
            Some(json!({"value": "ok", "id": 5})),
        )
        .await;
        assert_invalid(status, &body, "id");
        let (status, body) = send(
            &app,
            Method::PATCH,
            "/v1/tags/0",
            Some(json!({"value": "ok"})),
        )
        .await;
        assert_invalid(status, &body, "tag_id");
        let (status, body) = send(&app, Method::DELETE, "/v1/tags/abc", None).await;
        assert_invalid(status, &body, "tag_id");
        let (status, body) = send(&app, Method::DELETE, "/v1/tags/999999", None).await;
        assert_not_found(status, &body);
        let (_, body) = get(&app, "/v1/tags/1").await;
        assert_eq!(
            body["value"], "metal",
            "no invalid request changed anything"
        );
    }
}

// ---- tag assignments, writing ----------------------------------------------------------

#[tokio::test]
async fn a_tag_assignment_goes_through_create_read_delete() {
    for (n, app) in scratch_apps().await.into_iter().enumerate() {
        let (user, artist) = (scratch_id(2, n, 0), scratch_id(2, n, 1));
        user_and_artist(&app, user, artist).await;
        let tag = new_tag(&app, "Assignment Round Trip").await;
        let new = json!({"user_id": user, "artist_id": artist, "tag_id": tag,
                         "timestamp": 1_304_899_200_001_i64});

        let response = tower::ServiceExt::oneshot(
            app.router.clone(),
            axum::http::Request::post("/v1/tag-assignments")
                .header("content-type", "application/json")
                .header("authorization", format!("Bearer {}", app.key))
                .body(axum::body::Body::from(new.to_string()))
                .unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        let uri = format!("/v1/tag-assignments/{user}/{artist}/{tag}");
        assert_eq!(location, uri);
        let expected = json!({
            "user_id": user, "artist_id": artist, "tag_id": tag,
            "timestamp": 1_304_899_200_001_i64, "day": 9, "month": 5, "year": 2011,
        });
        let (status, body) = get(&app, &uri).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body, expected);
        let (_, body) = get(&app, &format!("/v1/tag-assignments?user_id={user}")).await;
        assert_eq!(body["items"], json!([expected]));
        let (_, body) = get(
            &app,
            &format!("/v1/tag-assignments?tag_id={tag}&from=2011-05-09&to=2011-05-09"),
        )
        .await;
        assert_eq!(body["total"], 1);

        let (status, body) = send(&app, Method::POST, "/v1/tag-assignments", Some(new)).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(
            body["error"]["message"],
            format!("user {user} already applied tag {tag} to artist {artist}")
        );

        let (status, body) = send(&app, Method::DELETE, &uri, None).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        let (status, body) = get(&app, &uri).await;
        assert_not_found(status, &body);
        let (status, body) = send(&app, Method::DELETE, &uri, None).await;
        assert_not_found(status, &body);
        let (_, body) = get(&app, &format!("/v1/tags/{tag}")).await;
        assert_eq!(body["usage"], 0, "the tag stays, unused");
    }
}

#[tokio::test]
async fn an_assignment_keeps_a_given_date_and_derives_a_missing_one_in_utc() {
    for (n, app) in scratch_apps().await.into_iter().enumerate() {
        let (user, artist) = (scratch_id(3, n, 0), scratch_id(3, n, 1));
        user_and_artist(&app, user, artist).await;
        let first = new_tag(&app, "Dated Tag One").await;
        let second = new_tag(&app, "Dated Tag Two").await;
        let third = new_tag(&app, "Dated Tag Three").await;

        // Before 1970: the timestamp of the dataset's 1956 assignment.
        let (status, body) = send(
            &app,
            Method::POST,
            "/v1/tag-assignments",
            Some(
                json!({"user_id": user, "artist_id": artist, "tag_id": first,
                        "timestamp": -428_716_800_000_i64}),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(
            (&body["day"], &body["month"], &body["year"]),
            (&json!(1), &json!(6), &json!(1956))
        );
        // One millisecond before midnight UTC is still the previous day.
        let (_, body) = send(
            &app,
            Method::POST,
            "/v1/tag-assignments",
            Some(
                json!({"user_id": user, "artist_id": artist, "tag_id": second,
                        "timestamp": -1}),
            ),
        )
        .await;
        assert_eq!(
            (&body["day"], &body["month"], &body["year"]),
            (&json!(31), &json!(12), &json!(1969))
        );
        // A given date is kept as given (the source's dates are Madrid days).
        let (status, body) = send(
            &app,
            Method::POST,
            "/v1/tag-assignments",
            Some(
                json!({"user_id": user, "artist_id": artist, "tag_id": third,
                        "timestamp": 1_238_540_400_000_i64, "day": 1, "month": 4, "year": 2009}),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let (_, body) = get(
            &app,
            &format!("/v1/tag-assignments/{user}/{artist}/{third}"),
        )
        .await;
        assert_eq!(
            (
                &body["timestamp"],
                &body["day"],
                &body["month"],
                &body["year"]
            ),
            (
                &json!(1_238_540_400_000_i64),
                &json!(1),
                &json!(4),
                &json!(2009)
            )
        );
        let (_, body) = get(&app, &format!("/v1/tag-assignments?user_id={user}")).await;
        assert_eq!(ids(&body, "tag_id"), [first, second, third]);
    }
}

#[tokio::test]
async fn an_assignment_to_an_unknown_user_artist_or_tag_is_a_404_naming_it() {
    for (n, app) in scratch_apps().await.into_iter().enumerate() {
        let (user, artist) = (scratch_id(4, n, 0), scratch_id(4, n, 1));
        user_and_artist(&app, user, artist).await;
        let tag = new_tag(&app, "Reference Check Tag").await;
        let missing = scratch_id(4, n, 9);
        for (body, message) in [
            (
                json!({"user_id": missing, "artist_id": artist, "tag_id": tag, "timestamp": 0}),
                format!("user {missing} does not exist"),
            ),
            (
                json!({"user_id": user, "artist_id": missing, "tag_id": tag, "timestamp": 0}),
                format!("artist {missing} does not exist"),
            ),
            (
                json!({"user_id": user, "artist_id": artist, "tag_id": 999_999, "timestamp": 0}),
                "tag 999999 does not exist".to_owned(),
            ),
            (
                json!({"user_id": missing, "artist_id": artist, "tag_id": 999_999, "timestamp": 0}),
                format!("user {missing} and tag 999999 do not exist"),
            ),
        ] {
            let (status, answer) =
                send(&app, Method::POST, "/v1/tag-assignments", Some(body)).await;
            assert_not_found(status, &answer);
            assert_eq!(answer["error"]["message"], message);
        }
        let (_, body) = get(&app, &format!("/v1/tag-assignments?tag_id={tag}")).await;
        assert_eq!(body["total"], 0, "nothing was written");
    }
}

#[tokio::test]
async fn tag_assignment_bodies_are_validated_field_by_field() {
    for app in scratch_apps().await {
        let valid = json!({"user_id": 2, "artist_id": 51, "tag_id": 1, "timestamp": 0});
        let with = |changes: Value| {
            let mut body = valid.clone();
            for (key, value) in changes.as_object().unwrap() {
                body[key] = value.clone();
            }
            body
        };
        let without = |key: &str| {
            let mut body = valid.clone();
            body.as_object_mut().unwrap().remove(key);
            body
        };
        for (body, fields) in [
            (without("timestamp"), vec!["timestamp"]),
            (without("user_id"), vec!["user_id"]),
            (with(json!({"user_id": 0})), vec!["user_id"]),
            (
                with(json!({"artist_id": -1, "tag_id": 0})),
                vec!["artist_id", "tag_id"],
            ),
            (with(json!({"timestamp": "yesterday"})), vec!["timestamp"]),
            (with(json!({"timestamp": i64::MAX})), vec!["timestamp"]),
            (with(json!({"day": 1})), vec!["month", "year"]),
            (with(json!({"day": 1, "month": 2})), vec!["year"]),
            (
                with(json!({"day": 30, "month": 2, "year": 2009})),
                vec!["day"],
            ),
            (
                with(json!({"day": 0, "month": 2, "year": 2009})),
                vec!["day"],
            ),
            (
                with(json!({"day": 1, "month": 13, "year": 2009})),
                vec!["month"],
            ),
            (
                with(json!({"day": 1, "month": 1, "year": 100_000})),
                vec!["year"],
            ),
            (with(json!({"weight": 3})), vec!["weight"]),
        ] {
            let (status, answer) =
                send(&app, Method::POST, "/v1/tag-assignments", Some(body)).await;
            for field in fields {
                assert_invalid(status, &answer, field);
            }
        }
        let (_, answer) = send(
            &app,
            Method::POST,
            "/v1/tag-assignments",
            Some(with(json!({"day": 30, "month": 2, "year": 2009}))),
        )
        .await;
        assert_eq!(
            answer["error"]["fields"][0]["reason"],
            "30/2/2009 is not a calendar date"
        );
        let (status, answer) = send(&app, Method::DELETE, "/v1/tag-assignments/1/0/1", None).await;
        assert_invalid(status, &answer, "artist_id");
        let (status, answer) =
            send(&app, Method::DELETE, "/v1/tag-assignments/1/1/999999", None).await;
        assert_not_found(status, &answer);
        let (status, _) = get(&app, "/v1/tag-assignments/2/51/1").await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "no invalid request wrote anything"
        );
    }
}
