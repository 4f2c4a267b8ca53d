//! `soundstream serve` as deployed: a real process on a real socket, on SQLite and on
//! PostgreSQL alike, importing an empty database first, answering HTTP, taking authenticated
//! writes, stopping cleanly on SIGTERM, and refusing a wrong setting (a taken port, a bad log
//! filter, a missing data folder, an unreachable database, a malformed CORS origin) in one
//! line before it starts.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{self, agent, create_write_key, free_port, soundstream, wait_ready};

fn spawn_server(dir: &Path, port: u16) -> Child {
    let url = format!("sqlite://{}", dir.join("serve.db").display());
    spawn_server_on(dir, port, &url, &[])
}

/// `soundstream serve` over the tiny dataset written into `dir`, on the database at `url`;
/// stderr is kept for the tests that read the one-line errors.
fn spawn_server_on(dir: &Path, port: u16, url: &str, extra: &[&str]) -> Child {
    common::write_tiny(dir);
    soundstream()
        .args([
            "serve",
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(dir)
        .arg("--database-url")
        .arg(url)
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn get(port: u16, path: &str) -> Result<(u16, String), String> {
    let mut response = agent()
        .get(&format!("http://127.0.0.1:{port}{path}"))
        .call()
        .map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .read_to_string()
        .map_err(|e| e.to_string())?;
    Ok((status, body))
}

#[test]
fn serve_imports_an_empty_database_answers_http_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = spawn_server(dir.path(), port);
    wait_ready(port, &mut server);

    let (status, body) = get(port, "/v1/artists/1").unwrap();
    assert_eq!(status, 200, "{body}");
    let artist: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (artist["name"].as_str(), artist["listeners"].as_i64()),
        (Some("A"), Some(1))
    );
    let (status, body) = get(port, "/v1/artists/3").unwrap();
    assert_eq!(status, 404, "{body}");
    let (status, _) = get(port, "/docs/").unwrap();
    assert_eq!(status, 200);

    stop(server);
}

/// SIGTERM, then a clean exit within 10 s.
fn stop(mut server: Child) {
    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no exit after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
}

/// `PUT path` with a JSON body and a bearer key.
fn put(port: u16, path: &str, key: &str, body: &str) -> (u16, String) {
    let mut response = agent()
        .put(&format!("http://127.0.0.1:{port}{path}"))
        .header("authorization", &format!("Bearer {key}"))
        .header("content-type", "application/json")
        .send(body)
        .unwrap();
    let status = response.status().as_u16();
    (status, response.body_mut().read_to_string().unwrap())
}

#[test]
fn serve_works_the_same_on_sqlite_and_postgresql() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    // The stores' pools live until the end of the test, in the runtime's context.
    let _context = runtime.enter();
    let dbs = runtime.block_on(soundstream_store::testing::backends());
    if std::env::var_os("CI").is_some() {
        assert_eq!(dbs.len(), 2, "CI sets SOUNDSTREAM_TEST_POSTGRES_URL");
    }
    for db in &dbs {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        // The schema exists (migrated) but is empty: serve imports first, on either engine.
        let mut server = spawn_server_on(dir.path(), port, &db.url, &[]);
        wait_ready(port, &mut server);
        let engine = db.store.backend();

        let (status, body) = get(port, "/v1/artists/1").unwrap();
        assert_eq!(status, 200, "{engine:?}: {body}");
        let artist: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(artist["name"], "A", "{engine:?}");

        let key = create_write_key(&db.url);
        let (status, body) = put(port, "/v1/users/7/artists/2", &key, r#"{"weight": 42}"#);
        assert_eq!(
            status, 200,
            "{engine:?}: the tiny data has 7 -> 2 already: {body}"
        );
        let (status, body) = get(port, "/v1/users/7/artists").unwrap();
        assert_eq!(status, 200, "{engine:?}: {body}");
        let page: serde_json::Value = serde_json::from_str(&body).unwrap();
        let weights: Vec<(i64, i64)> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l["artist_id"].as_i64().unwrap(),
                    l["weight"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(weights, [(2, 42), (1, 10)], "{engine:?}: {body}");
        // Without the key the same write is refused.
        let (status, _) = put(port, "/v1/users/7/artists/2", "ss_000000000000_wrong", "{}");
        assert_eq!(status, 401, "{engine:?}");

        let (status, metrics) = get(port, "/metrics").unwrap();
        assert_eq!(status, 200);
        assert!(
            metrics.contains("soundstream_db_pool_max_connections"),
            "{engine:?}"
        );
        stop(server);
    }
}

/// Runs `serve` with one wrong setting and returns its exit code and last stderr line.
fn refused(extra_args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    common::write_tiny(dir.path());
    let mut command = soundstream();
    command.args(["serve", "--addr", &format!("127.0.0.1:{}", free_port())]);
    // Good values for what the case does not set itself.
    if !extra_args.contains(&"--data-dir") {
        command.arg("--data-dir").arg(dir.path());
    }
    if !extra_args.contains(&"--database-url") {
        command
            .arg("--database-url")
            .arg(format!("sqlite://{}", dir.path().join("x.db").display()));
    }
    let out = command
        .args(extra_args)
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
        .wait_with_output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let first_error = stderr
        .lines()
        .find(|l| l.starts_with("error:"))
        .unwrap_or_else(|| panic!("no error line in {stderr:?}"))
        .to_owned();
    (out.status.code(), first_error)
}

#[test]
fn wrong_settings_are_refused_at_start_in_one_line() {
    let (code, line) = refused(&[], &[("SOUNDSTREAM_LOG", "info,soundstream=loud")]);
    assert_eq!(code, Some(1));
    assert!(
        line.starts_with("error: SOUNDSTREAM_LOG='info,soundstream=loud' is not a log filter"),
        "{line}"
    );

    let (code, line) = refused(&["--data-dir", "/nonexistent/lastfm"], &[]);
    assert_eq!(code, Some(1));
    assert!(
        line.starts_with("error: data folder /nonexistent/lastfm does not exist")
            && line.contains("SOUNDSTREAM_DATA_DIR"),
        "{line}"
    );

    let (code, line) = refused(
        &[
            "--database-url",
            "postgres://soundstream:secret@127.0.0.1:1/soundstream",
        ],
        &[],
    );
    assert_eq!(code, Some(1));
    assert!(
        line.starts_with(
            "error: cannot open the database: cannot connect to postgres://soundstream:***@127.0.0.1:1/soundstream"
        ) && line.contains("refused")
            && line.contains("check that the server runs"),
        "{line}"
    );
    assert!(!line.contains("secret"), "the password leaked: {line}");

    // Flags clap checks: the flag at fault and the reason.
    let (code, line) = refused(&["--cors-origins", "dash.example.com"], &[]);
    assert_eq!(code, Some(2));
    assert!(
        line.contains("--cors-origins") && line.contains("'dash.example.com' is not an origin"),
        "{line}"
    );
    let (code, line) = refused(&["--request-timeout", "0"], &[]);
    assert_eq!(code, Some(2));
    assert!(line.contains("--request-timeout"), "{line}");
    let (code, line) = refused(&[], &[("SOUNDSTREAM_TRUSTED_PROXIES", "many")]);
    assert_eq!(code, Some(2));
    assert!(line.contains("--trusted-proxies"), "{line}");
}

#[test]
fn a_port_in_use_is_one_line_saying_how_to_fix() {
    let dir = tempfile::tempdir().unwrap();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let server = spawn_server(dir.path(), port);
    let out = server.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("error: cannot listen on 127.0.0.1:"),
        "{stderr}"
    );
    assert!(
        last.contains("--addr") && last.contains("SOUNDSTREAM_ADDR"),
        "{stderr}"
    );
}

/// A SIGTERM while the recommender trains (minutes at 100x; seconds at 1x, on a blocking
/// thread) stops the process at once instead of when the training ends.
#[test]
fn sigterm_during_training_stops_at_once() {
    let data = std::env::var_os("SOUNDSTREAM_DATA_DIR")
        .expect("SOUNDSTREAM_DATA_DIR: the tests read the real dataset");
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = soundstream()
        .args([
            "serve",
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(&data)
        .arg("--database-url")
        .arg(format!(
            "sqlite://{}",
            dir.path().join("serve.db").display()
        ))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_ready(port, &mut server);
    // Until the training itself runs (on its blocking thread), past loading the listens.
    let phase = loop {
        let (_, health) = get(port, "/health/ready").unwrap();
        let health: serde_json::Value = serde_json::from_str(&health).unwrap();
        let phase = health["recommender"]["phase"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if !["waiting", "loading"].contains(&phase.as_str()) {
            break phase;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let start = Instant::now();
    while server.try_wait().unwrap().is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "still running 3 s after SIGTERM (recommender phase at the signal: {phase})"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // The signal must have landed mid-training, or this proved nothing.
    assert_ne!(phase, "done", "the model was trained before the signal");
}
