//! `soundstream serve` as deployed: a real process on a real socket, importing an empty
//! database first, answering HTTP, stopping cleanly on SIGTERM, and failing in one line when
//! its port is taken.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod common;

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn spawn_server(dir: &Path, port: u16) -> Child {
    common::write_tiny(dir);
    Command::new(env!("CARGO_BIN_EXE_soundstream"))
        .args([
            "serve",
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(dir)
        .arg("--database-url")
        .arg(format!("sqlite://{}", dir.join("serve.db").display()))
        .env_remove("SOUNDSTREAM_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn get(port: u16, path: &str) -> Result<(u16, String), String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(5)))
        .build()
        .into();
    let mut response = agent
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

fn wait_ready(port: u16) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        if let Ok((200, _)) = get(port, "/health/ready") {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the server did not become ready within 60 s");
}

#[test]
fn serve_imports_an_empty_database_answers_http_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = spawn_server(dir.path(), port);
    wait_ready(port);

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
