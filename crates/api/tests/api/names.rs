//! Names people read, through the API: stored in Unicode NFC whatever form they are sent in
//! (a combining accent or a precomposed letter, raw or `\u`-escaped), and refused with a 422
//! naming the field when they hold nothing visible or a bidirectional control; numbers sent
//! as `5.0` for integer fields are the integers JSON Schema says they are.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::common::{assert_invalid, get, scratch_apps, send, send_bytes};

/// Ids of the rows these tests create: distinct per test and engine (scratch databases).
fn id(test: i64, engine: usize) -> i64 {
    4_000_000 + 100 * test + engine as i64
}

#[tokio::test]
async fn names_are_stored_in_nfc_whatever_form_they_are_sent_in() {
    for (n, app) in scratch_apps().await.into_iter().enumerate() {
        let artist = id(1, n);
        // "metál" with a combining acute accent, `\u`-escaped in the JSON text.
        let body = format!(r#"{{"id": {artist}, "name": "meta\u0301l {n}"}}"#);
        let (status, created) = send_bytes(
            &app,
            Method::POST,
            "/v1/artists",
            &[("content-type", "application/json")],
            body.into_bytes(),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        assert_eq!(created["name"], format!("metál {n}"));
        let (_, fetched) = get(&app, &format!("/v1/artists/{artist}")).await;
        assert_eq!(fetched["name"], format!("metál {n}"));

        // The same tag typed both ways is one tag: the second POST answers the first one.
        let decomposed = format!("tag-meta\u{301}l-{n}");
        let (status, first) = send(
            &app,
            Method::POST,
            "/v1/tags",
            Some(json!({"value": decomposed})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{first}");
        assert_eq!(first["value"], format!("tag-metál-{n}"));
        let (status, second) = send(
            &app,
            Method::POST,
            "/v1/tags",
            Some(json!({"value": format!("tag-metál-{n}")})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{second}");
        assert_eq!(second["id"], first["id"]);

        let (status, _) = send(&app, Method::DELETE, &format!("/v1/artists/{artist}"), None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
}

#[tokio::test]
async fn invisible_names_and_bidi_controls_are_a_422_naming_the_field() {
    for (n, app) in scratch_apps().await.into_iter().enumerate() {
        let artist = id(2, n);
        for (name, reason) in [
            ("\u{200b}", "visible"),
            ("\u{3164}\u{feff}", "visible"),
            ("   ", "empty"),
            ("invoice\u{202e}fdp.exe", "bidirectional"),
            ("a\u{2066}b", "bidirectional"),
        ] {
            let (status, body) = send(
                &app,
                Method::POST,
                "/v1/artists",
                Some(json!({"id": artist, "name": name})),
            )
            .await;
            assert_invalid(status, &body, "name");
            assert!(
                body["error"]["fields"][0]["reason"]
                    .as_str()
                    .unwrap()
                    .contains(reason),
                "{name:?}: {body}"
            );
            let (status, body) =
                send(&app, Method::POST, "/v1/tags", Some(json!({"value": name}))).await;
            assert_invalid(status, &body, "value");
        }
        let (status, body) = send(
            &app,
            Method::PATCH,
            "/v1/artists/707",
            Some(json!({"name": "\u{2067}Metallica"})),
        )
        .await;
        assert_invalid(status, &body, "name");
        let (status, body) = get(&app, "/v1/artists?name=%E2%80%8B").await;
        assert_invalid(status, &body, "name");
        let (status, body) = get(&app, "/v1/search/artists?tags_all=rock,%E2%80%AE").await;
        assert_invalid(status, &body, "tags_all");
        // Nothing was created.
        let (status, _) = get(&app, &format!("/v1/artists/{artist}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn an_integer_sent_with_a_zero_fraction_is_that_integer() {
    for (n, app) in scratch_apps().await.into_iter().enumerate() {
        let user = id(3, n);
        let (status, body) = send(&app, Method::POST, "/v1/users", Some(json!({"id": user}))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let uri = format!("/v1/users/{user}/artists/289");
        let (status, body) = send_bytes(
            &app,
            Method::PUT,
            &uri,
            &[("content-type", "application/json")],
            br#"{"weight": 1712014.0}"#.to_vec(),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["weight"], 1_712_014);
        // A real fraction is still refused.
        let (status, body) = send_bytes(
            &app,
            Method::PUT,
            &uri,
            &[("content-type", "application/json")],
            br#"{"weight": 2.5}"#.to_vec(),
        )
        .await;
        assert_invalid(status, &body, "weight");
        let (status, _) = send(&app, Method::DELETE, &format!("/v1/users/{user}"), None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
}
