//! The `soundstream` binary as a user runs it: help texts, the import and its report, errors
//! in one line, the download path against a local HTTP server, and kill -9 in mid-import.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::common::{TINY, soundstream, write_tiny};

fn real_data_dir() -> PathBuf {
    std::env::var_os("SOUNDSTREAM_DATA_DIR")
        .map(PathBuf::from)
        .expect("set SOUNDSTREAM_DATA_DIR to the hetrec2011-lastfm-2k folder to run the real-data tests")
}

fn sqlite_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("cli.db").display())
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("the report is JSON")
}

#[test]
fn every_subcommand_explains_itself() {
    let out = soundstream().arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        text.contains("import") && text.contains("SOUNDSTREAM_DATABASE_URL"),
        "{text}"
    );
    let out = soundstream().args(["import", "--help"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Load the Last.fm dataset"), "{text}");
    assert!(
        text.contains("--data-dir") && text.contains("SOUNDSTREAM_DATA_DIR"),
        "{text}"
    );
}

#[test]
fn help_never_prints_the_database_password_from_the_environment() {
    for args in [&["--help"][..], &["serve", "--help"], &["import", "--help"]] {
        let out = soundstream()
            .args(args)
            .env(
                "SOUNDSTREAM_DATABASE_URL",
                "postgres://soundstream:hunter2@db.example:5432/soundstream",
            )
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("SOUNDSTREAM_DATABASE_URL"),
            "{args:?}: {text}"
        );
        assert!(
            !text.contains("hunter2"),
            "{args:?} printed the password: {text}"
        );
    }
}

#[test]
fn the_json_report_accounts_for_every_row_of_the_real_dataset() {
    let tmp = tempfile::tempdir().unwrap();
    let out = soundstream()
        .args(["import", "--json", "--data-dir"])
        .arg(real_data_dir())
        .arg("--database-url")
        .arg(sqlite_url(tmp.path()))
        .output()
        .unwrap();
    let report = json(&out);
    assert_eq!(report["tables"]["artists"], 17_632);
    assert_eq!(report["tables"]["user_taggedartists"], 184_941);
    assert_eq!(report["rejected"].as_array().unwrap().len(), 1_538);
    assert_eq!(report["rejected"][0]["file"], "user_taggedartists.dat");
    assert_eq!(report["rejected"][0]["line"], 241);
    assert_eq!(report["checks"]["asymmetric_friendships"], 0);
    assert_eq!(report["files"][1]["encoding"], "ISO-8859-1");
    assert_eq!(
        report["files"][1]["transcoded_lines"]
            .as_array()
            .unwrap()
            .len(),
        8
    );
}

#[test]
fn the_text_report_prints_statistics_checks_and_rejections() {
    let tmp = tempfile::tempdir().unwrap();
    write_tiny(tmp.path());
    let out = soundstream()
        .args(["import", "--data-dir"])
        .arg(tmp.path())
        .env("SOUNDSTREAM_DATABASE_URL", sqlite_url(tmp.path()))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("user_friends              2"), "{text}");
    assert!(text.contains("all passed"), "{text}");
    assert!(text.contains("is absent"), "{text}");
}

#[test]
fn a_missing_data_folder_is_one_line_saying_what_and_how_to_fix() {
    let tmp = tempfile::tempdir().unwrap();
    let out = soundstream()
        .args(["import", "--data-dir", "/nonexistent/lastfm"])
        .arg("--database-url")
        .arg(sqlite_url(tmp.path()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: ") && err.contains("/nonexistent/lastfm"),
        "{err}"
    );
    assert!(err.contains("--data-dir"), "{err}");
}

#[test]
fn a_bad_database_url_is_one_line_saying_what_and_how_to_fix() {
    let out = soundstream()
        .args(["import", "--data-dir", ".", "--database-url", "mysql://x/y"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("mysql://x/y") && err.contains("sqlite://"),
        "{err}"
    );
}

#[test]
fn if_empty_leaves_an_imported_database_alone() {
    let tmp = tempfile::tempdir().unwrap();
    write_tiny(tmp.path());
    let run = || {
        soundstream()
            .args(["import", "--if-empty", "--json", "--data-dir"])
            .arg(tmp.path())
            .arg("--database-url")
            .arg(sqlite_url(tmp.path()))
            .output()
            .unwrap()
    };
    assert_eq!(json(&run())["tables"]["artists"], 2);
    let again = run();
    assert!(again.status.success());
    assert!(again.stdout.is_empty());
    assert!(
        stderr(&again).contains("already holds"),
        "{}",
        stderr(&again)
    );
}

/// Serves `body` over HTTP on loopback to every request until dropped; counts requests.
struct Server {
    url: String,
    hits: Arc<AtomicUsize>,
}

fn serve(status: &'static str, body: Vec<u8>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://{}/hetrec2011-lastfm-2k.zip",
        listener.local_addr().unwrap()
    );
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            counter.fetch_add(1, Ordering::SeqCst);
            let mut request = Vec::new();
            let mut buf = [0; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    Server { url, hits }
}

/// The tiny dataset as a zip, in a folder as GroupLens archives are, and its SHA-256.
fn tiny_zip() -> (Vec<u8>, String) {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in TINY {
        zip.start_file(format!("hetrec2011-lastfm-2k/{name}"), options)
            .unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    let sha = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    (bytes, sha)
}

#[test]
fn without_a_data_folder_the_archive_is_downloaded_verified_and_cached() {
    let tmp = tempfile::tempdir().unwrap();
    let (zip, sha) = tiny_zip();
    let server = serve("200 OK", zip);
    let run = |url: &str| {
        soundstream()
            .args([
                "import",
                "--json",
                "--dataset-url",
                url,
                "--dataset-sha256",
                &sha,
            ])
            .env("SOUNDSTREAM_CACHE_DIR", tmp.path().join("cache"))
            .arg("--database-url")
            .arg(sqlite_url(tmp.path()))
            .output()
            .unwrap()
    };
    let report = json(&run(&server.url));
    assert_eq!(report["tables"]["users"], 2);
    assert_eq!(report["source"]["downloaded_from"], server.url.as_str());
    assert_eq!(report["source"]["sha256"], sha.as_str());
    assert_eq!(server.hits.load(Ordering::SeqCst), 1);

    // Second run: served from the cache, even with the server gone.
    let report = json(&run("http://127.0.0.1:9/gone.zip"));
    assert_eq!(report["tables"]["artists"], 2);
    assert_eq!(server.hits.load(Ordering::SeqCst), 1);
}

#[test]
fn an_archive_with_the_wrong_checksum_is_refused_and_not_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let (zip, _) = tiny_zip();
    let server = serve("200 OK", zip);
    let cache = tmp.path().join("cache");
    let out = soundstream()
        .args(["import", "--dataset-url", &server.url])
        .args(["--dataset-sha256", &"0".repeat(64)])
        .env("SOUNDSTREAM_CACHE_DIR", &cache)
        .arg("--database-url")
        .arg(sqlite_url(tmp.path()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("expected 0000") && err.contains("sha256"),
        "{err}"
    );
    let left: Vec<_> = std::fs::read_dir(&cache).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn an_unreachable_archive_says_how_to_work_offline() {
    let tmp = tempfile::tempdir().unwrap();
    let server = serve("404 Not Found", b"no".to_vec());
    let out = soundstream()
        .args(["import", "--dataset-url", &server.url])
        .env("SOUNDSTREAM_CACHE_DIR", tmp.path().join("cache"))
        .arg("--database-url")
        .arg(sqlite_url(tmp.path()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("404") && err.contains("--data-dir"), "{err}");
}

#[test]
fn killing_an_import_at_any_moment_leaves_the_previous_database_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let tiny = tmp.path().join("tiny");
    std::fs::create_dir(&tiny).unwrap();
    write_tiny(&tiny);
    let url = sqlite_url(tmp.path());
    let import = |dir: &Path| {
        let mut cmd = soundstream();
        cmd.args(["import", "--json", "--data-dir"])
            .arg(dir)
            .arg("--database-url")
            .arg(&url);
        cmd
    };
    json(&import(&tiny).output().unwrap());

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let counts = || {
        runtime.block_on(async {
            let store = soundstream_store::Store::connect(&url).await.unwrap();
            let c = store.counts().await.unwrap();
            (c.artists, c.user_taggedartists)
        })
    };
    let mut outcomes = Vec::new();
    for delay_ms in [30, 100, 200, 350, 500, 800, 1200] {
        let mut child = import(&real_data_dir())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        // SIGKILL: no destructor, no rollback by the process itself.
        child.kill().unwrap();
        let finished = child.wait().unwrap().success();
        let after = counts();
        assert!(
            after == (2, 1) || after == (17_632, 184_941),
            "after a kill at {delay_ms} ms the database holds {after:?}"
        );
        eprintln!("kill at {delay_ms} ms: finished={finished}, database={after:?}");
        outcomes.push((delay_ms, finished, after));
        // Back to the tiny dataset for the next round.
        json(&import(&tiny).output().unwrap());
    }
    // At least one kill must have landed mid-import, or the test proved nothing.
    assert!(
        outcomes
            .iter()
            .any(|(_, finished, after)| !finished && *after == (2, 1)),
        "{outcomes:?}"
    );
    let integrity = runtime.block_on(async {
        let store = soundstream_store::Store::connect(&url).await.unwrap();
        store
            .query_one("PRAGMA integrity_check", vec![])
            .await
            .unwrap()
            .string(0)
            .unwrap()
    });
    assert_eq!(integrity, "ok");
}

#[test]
fn keys_are_created_listed_without_their_secret_and_revoked() {
    let tmp = tempfile::tempdir().unwrap();
    let url = sqlite_url(tmp.path());
    let keys = |args: &[&str]| {
        soundstream()
            .args(["--database-url", &url, "keys"])
            .args(args)
            .output()
            .unwrap()
    };
    let created = keys(&["create", "--name", "curator", "--scope", "read"]);
    assert!(created.status.success(), "{}", stderr(&created));
    let secret = String::from_utf8(created.stdout).unwrap().trim().to_owned();
    assert!(secret.starts_with("ss_") && secret.len() > 40, "{secret}");

    let listed = json(&keys(&["list", "--json"]));
    assert_eq!(listed[0]["name"], "curator");
    assert_eq!(listed[0]["scope"], "read");
    assert_eq!(listed[0]["prefix"], &secret[..15]);
    assert!(
        !listed.to_string().contains(&secret[16..]),
        "the secret is never listed"
    );

    assert!(keys(&["revoke", &secret[..15]]).status.success());
    let again = keys(&["revoke", &secret[..15]]);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(stderr(&again).lines().count(), 1, "{}", stderr(&again));
    assert!(json(&keys(&["list", "--json"]))[0]["revoked_at"].is_i64());

    // Key names follow the API's rules for names: refused in one line, stored in NFC.
    for (name, reason) in [
        ("\u{200b}", "visible"),
        ("  ", "empty"),
        ("ops\u{202e}nimda", "bidirectional"),
    ] {
        let refused = keys(&["create", "--name", name]);
        assert_eq!(refused.status.code(), Some(1), "{name:?}");
        let text = stderr(&refused);
        assert!(
            text.starts_with("error: --name") && text.contains(reason),
            "{name:?}: {text}"
        );
    }
    assert!(keys(&["create", "--name", "Jose\u{301}"]).status.success());
    assert_eq!(json(&keys(&["list", "--json"]))[0]["name"], "José");
}
