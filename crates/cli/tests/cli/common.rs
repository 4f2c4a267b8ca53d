//! What the binary's test modules share: a tiny but complete dataset, the binary with a clean
//! environment, and starting a server and waiting for it.

use std::path::Path;

/// A tiny but complete dataset, as (file name, content).
pub const TINY: [(&str, &str); 5] = [
    (
        "artists.dat",
        "id\tname\turl\tpictureURL\n1\tA\thttp://a\t\n2\tB\thttp://b\t\n",
    ),
    ("tags.dat", "tagID\ttagValue\r\n1\trock\r\n"),
    (
        "user_artists.dat",
        "userID\tartistID\tweight\r\n7\t1\t10\r\n7\t2\t3\r\n",
    ),
    (
        "user_taggedartists.dat",
        "userID\tartistID\ttagID\tday\tmonth\tyear\r\n7\t1\t1\t1\t4\t2009\r\n",
    ),
    ("user_friends.dat", "userID\tfriendID\r\n7\t8\r\n8\t7\r\n"),
];

pub fn write_tiny(dir: &Path) {
    for (name, content) in TINY {
        std::fs::write(dir.join(name), content).unwrap();
    }
}

/// A free TCP port on loopback (free when asked; a test binds it right after).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The binary under test, with nothing from the caller's environment that could change what
/// a test sees.
pub fn soundstream() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_soundstream"));
    for var in [
        "SOUNDSTREAM_DATABASE_URL",
        "SOUNDSTREAM_DATA_DIR",
        "SOUNDSTREAM_CACHE_DIR",
        "SOUNDSTREAM_DATASET_URL",
        "SOUNDSTREAM_DATASET_SHA256",
        "SOUNDSTREAM_ADDR",
        "SOUNDSTREAM_RATE_LIMIT",
        "SOUNDSTREAM_TRUSTED_PROXIES",
        "SOUNDSTREAM_REQUEST_TIMEOUT",
        "SOUNDSTREAM_CORS_ORIGINS",
        "SOUNDSTREAM_LOG",
        "SOUNDSTREAM_MAX_CONNECTIONS",
        "SOUNDSTREAM_MAX_CONNECTIONS_PER_CLIENT",
        "SOUNDSTREAM_HEADER_TIMEOUT",
        "SOUNDSTREAM_IDLE_TIMEOUT",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

/// Creates a write-scoped API key in the database at `url` and returns its secret.
pub fn create_write_key(url: &str) -> String {
    let out = soundstream()
        .args(["--database-url", url, "keys", "create", "--name", "tests"])
        .args(["--scope", "write"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// `soundstream serve` on loopback over the database at `url` (importing `data_dir` first if
/// it is empty), without a rate limit; its logs are discarded.
pub fn spawn_serve(url: &str, data_dir: &Path, port: u16) -> std::process::Child {
    soundstream()
        .args(["--database-url", url, "serve", "--rate-limit", "0"])
        .args(["--addr", &format!("127.0.0.1:{port}"), "--data-dir"])
        .arg(data_dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// An HTTP client that returns every status as an answer, with a 5 s timeout.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(5)))
        .build()
        .into()
}

/// Waits until `GET /health/ready` answers 200 on `port`, for at most 120 s; panics if the
/// server exits first.
pub fn wait_ready(port: u16, server: &mut std::process::Child) {
    let agent = agent();
    let start = std::time::Instant::now();
    while start.elapsed() < std::time::Duration::from_secs(120) {
        if let Some(status) = server.try_wait().unwrap() {
            panic!("the server exited before it was ready: {status}");
        }
        let ready = agent
            .get(&format!("http://127.0.0.1:{port}/health/ready"))
            .call()
            .is_ok_and(|r| r.status() == 200);
        if ready {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("the server did not become ready within 120 s");
}
