//! Two `soundstream serve` processes on one database, as replicas behind a load balancer: each
//! sees the other's writes within a second (through the change log), on PostgreSQL (and on
//! SQLite, where two processes may share one file too).

use std::time::{Duration, Instant};

use crate::common::{agent, create_write_key, free_port, spawn_serve, wait_ready, write_tiny};

/// How long a replica may take to show another's write.
const WITHIN: Duration = Duration::from_secs(1);

fn call(method: &str, port: u16, path: &str, key: &str, body: &str) -> (u16, serde_json::Value) {
    let url = format!("http://127.0.0.1:{port}{path}");
    let agent = agent();
    let auth = format!("Bearer {key}");
    let result = match method {
        "POST" => agent
            .post(&url)
            .header("authorization", &auth)
            .header("content-type", "application/json")
            .send(body),
        "PUT" => agent
            .put(&url)
            .header("authorization", &auth)
            .header("content-type", "application/json")
            .send(body),
        "DELETE" => agent.delete(&url).header("authorization", &auth).call(),
        _ => agent.get(&url).call(),
    };
    let mut response = result.unwrap();
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
    )
}

/// Polls `GET path` on `port` until `done` holds; how long that took.
fn until(port: u16, path: &str, done: impl Fn(&serde_json::Value) -> bool) -> Duration {
    let start = Instant::now();
    loop {
        let (status, body) = call("GET", port, path, "", "");
        if status == 200 && done(&body) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{path} on :{port} never showed the write: {body}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn two_servers_on_one_database_see_each_others_writes_within_a_second() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let _context = runtime.enter();
    let dbs = runtime.block_on(soundstream_store::testing::backends());
    if std::env::var_os("CI").is_some() {
        assert_eq!(dbs.len(), 2, "CI sets SOUNDSTREAM_TEST_POSTGRES_URL");
    }
    for db in &dbs {
        let engine = db.store.backend();
        let dir = tempfile::tempdir().unwrap();
        write_tiny(dir.path());
        let (a, b) = (free_port(), free_port());
        let mut first = spawn_serve(&db.url, dir.path(), a);
        wait_ready(a, &mut first);
        let mut second = spawn_serve(&db.url, dir.path(), b);
        wait_ready(b, &mut second);
        let key = create_write_key(&db.url);

        // A write through the first shows on the second.
        let (status, body) = call("POST", a, "/v1/artists", &key, r#"{"name": "Replica One"}"#);
        assert_eq!(status, 201, "{engine:?}: {body}");
        let id = body["id"].as_i64().unwrap();
        let seen = until(b, &format!("/v1/artists/{id}"), |a| {
            a["name"] == "Replica One"
        });
        assert!(seen < WITHIN, "{engine:?}: the second server took {seen:?}");

        // And the other way, with what depends on it (listeners, rankings, totals).
        let (status, body) = call(
            "PUT",
            b,
            &format!("/v1/users/7/artists/{id}"),
            &key,
            r#"{"weight": 999}"#,
        );
        assert_eq!(status, 201, "{engine:?}: {body}");
        let seen = until(a, &format!("/v1/artists/{id}"), |a| a["plays"] == 999);
        assert!(seen < WITHIN, "{engine:?}: the first server took {seen:?}");
        let (_, top) = call("GET", a, "/v1/analytics/top-artists?limit=1", "", "");
        assert_eq!(top["items"][0]["id"], id, "{engine:?}: {top}");

        // A deletion through the second removes the artist from the first's lists.
        let (status, _) = call("DELETE", b, &format!("/v1/artists/{id}"), &key, "");
        assert_eq!(status, 204, "{engine:?}");
        let seen = until(a, "/v1/artists?name=replica", |page| page["total"] == 0);
        assert!(seen < WITHIN, "{engine:?}: the first server took {seen:?}");

        for mut server in [first, second] {
            let _ = server.kill();
            let _ = server.wait();
        }
    }
}
