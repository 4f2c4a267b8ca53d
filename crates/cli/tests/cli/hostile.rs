//! Hostile clients against the real binary on real sockets: connections that send nothing,
//! headers a byte at a time, bodies that never end, idle keep-alive, more connections than
//! the caps allow (refused at once with a 503), and a SIGTERM that still drains the request in
//! flight. Client sockets come from several loopback addresses (127.0.0.x), so that the cap
//! per address and the one overall can be told apart.
//!
//! One file though over 500 lines: the hostile clients share the raw-socket and
//! server-process helpers each scenario is built from.

use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{self, create_write_key, free_port, soundstream, wait_ready};

/// `soundstream serve` over the tiny dataset in `dir`, with `extra` flags.
fn spawn(dir: &Path, port: u16, extra: &[&str]) -> (Child, String) {
    common::write_tiny(dir);
    let url = format!("sqlite://{}", dir.join("hostile.db").display());
    let server = soundstream()
        .args(["--database-url", &url, "serve", "--data-dir"])
        .arg(dir)
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    (server, url)
}

/// A connection to the server from the loopback address 127.0.0.`host`.
fn connect_from(host: u8, port: u16) -> TcpStream {
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    let local = SocketAddr::from((Ipv4Addr::new(127, 0, 0, host), 0));
    socket.bind(&local.into()).unwrap();
    let server = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    socket
        .connect_timeout(&server.into(), Duration::from_secs(5))
        .unwrap();
    socket.into()
}

/// What a socket holds after a short wait: bytes the server sent (a refusal), a close, or
/// nothing yet (an open connection).
#[derive(Debug, PartialEq)]
enum State {
    Answered(String),
    Closed,
    Open,
}

fn state(stream: &mut TcpStream) -> State {
    stream.set_nonblocking(true).unwrap();
    let mut buf = vec![0u8; 4096];
    let state = match stream.read(&mut buf) {
        Ok(0) => State::Closed,
        Ok(n) => State::Answered(String::from_utf8_lossy(&buf[..n]).into_owned()),
        Err(e) if e.kind() == ErrorKind::WouldBlock => State::Open,
        Err(_) => State::Closed,
    };
    stream.set_nonblocking(false).unwrap();
    state
}

/// Reads until the server closes the connection (or `limit` passes): what it sent, and when
/// it closed.
fn read_to_close(stream: &mut TcpStream, limit: Duration) -> (String, Option<Instant>) {
    stream
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let start = Instant::now();
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    while start.elapsed() < limit {
        match stream.read(&mut buf) {
            Ok(0) => {
                return (
                    String::from_utf8_lossy(&received).into(),
                    Some(Instant::now()),
                );
            }
            Ok(n) => received.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => {
                return (
                    String::from_utf8_lossy(&received).into(),
                    Some(Instant::now()),
                );
            }
        }
    }
    (String::from_utf8_lossy(&received).into(), None)
}

/// Reads one response (headers and a `Content-Length` body) from a kept-alive connection.
fn read_response(stream: &mut TcpStream) -> String {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = stream.read(&mut buf).expect("a response");
        assert!(n > 0, "closed before a whole response: {received:?}");
        received.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&received);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length: usize = head
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse().unwrap())
                })
                .unwrap_or(0);
            if body.len() >= length {
                return text.into_owned();
            }
        }
    }
}

/// `GET /health/live` on a new connection from 127.0.0.1: the status line and how long the
/// answer took.
fn probe(port: u16) -> (String, Duration) {
    let start = Instant::now();
    let mut stream = connect_from(1, port);
    stream
        .write_all(b"GET /health/live HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        .unwrap();
    let (text, _) = read_to_close(&mut stream, Duration::from_secs(10));
    let status = text.lines().next().unwrap_or_default().to_owned();
    (status, start.elapsed())
}

/// Sends SIGTERM to the server.
fn terminate(server: &Child) {
    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
}

#[test]
fn idle_and_half_sent_connections_are_closed_and_the_excess_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let (mut server, url) = spawn(
        dir.path(),
        port,
        &[
            "--rate-limit",
            "0",
            "--header-timeout",
            "2",
            "--idle-timeout",
            "4",
            "--max-connections",
            "300",
            "--max-connections-per-client",
            "40",
            "--request-timeout",
            "3",
        ],
    );
    wait_ready(port, &mut server);
    let key = create_write_key(&url);

    let opened = Instant::now();
    let mut held = fill_past_the_caps(port);
    // The server is full: a probe is refused too, at once.
    let (status, took) = probe(port);
    assert!(status.starts_with("HTTP/1.1 503"), "{status}");
    assert!(took < Duration::from_secs(1), "{took:?}");
    assert!(
        opened.elapsed() < Duration::from_secs(2),
        "too slow to test"
    );

    // Connections that never send their headers are closed after the header timeout (2 s),
    // not before; then the server answers again.
    for (stream, since) in &mut held {
        let (text, closed) = read_to_close(stream, Duration::from_secs(6));
        let closed = closed.expect("an idle connection was kept past the header timeout");
        assert!(text.is_empty(), "{text}");
        let after = closed - *since;
        assert!(
            after >= Duration::from_millis(1900),
            "closed after {after:?}"
        );
    }
    let (status, took) = probe(port);
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    assert!(took < Duration::from_millis(500), "{took:?}");

    // Headers a line every 500 ms, a body that never completes, and a kept-alive connection,
    // at the same time.
    let slow_headers = std::thread::spawn(move || send_headers_slowly(port));
    let slow_body = std::thread::spawn(move || send_a_body_slowly(port, &key));
    let keep_alive = std::thread::spawn(move || keep_alive_then_idle(port));
    let headers_took = slow_headers.join().unwrap();
    assert!(
        (Duration::from_millis(1900)..Duration::from_secs(5)).contains(&headers_took),
        "a client sending a header line every 500 ms was cut after {headers_took:?}"
    );
    let (answer, body_took) = slow_body.join().unwrap();
    let idle_took = keep_alive
        .join()
        .unwrap()
        .expect("an idle keep-alive connection was never closed");
    assert!(
        (Duration::from_millis(3900)..Duration::from_secs(6)).contains(&idle_took),
        "idle keep-alive closed after {idle_took:?}"
    );
    // A body a byte every 500 ms meets the request timeout (3 s): a 503 in the error format.
    assert!(
        answer.starts_with("HTTP/1.1 503") && answer.contains("\"timeout\""),
        "a never-ending body: {answer:?} after {body_took:?}"
    );
    assert!(
        (Duration::from_millis(2900)..Duration::from_secs(6)).contains(&body_took),
        "{body_took:?}"
    );

    let (status, took) = probe(port);
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    assert!(took < Duration::from_millis(500), "{took:?}");
    terminate(&server);
    assert!(server.wait().unwrap().success());
}

/// Opens 320 connections that send nothing, against caps of 40 per address and 300 in all:
/// checks that exactly the excess (25) was refused at once with a 503, and returns the 300
/// held, each with when it was opened.
fn fill_past_the_caps(port: u16) -> Vec<(TcpStream, Instant)> {
    // One address opens 45 connections and sends nothing: 40 are held, 5 refused at once.
    let mut held: Vec<(TcpStream, Instant)> = Vec::new();
    let mut refused = Vec::new();
    for _ in 0..45 {
        held.push((connect_from(2, port), Instant::now()));
    }
    // Seven more addresses open 40 each: 320 in all, 20 past the server's cap of 300.
    for host in 3..10 {
        for _ in 0..40 {
            held.push((connect_from(host, port), Instant::now()));
        }
    }
    std::thread::sleep(Duration::from_millis(500));
    held.retain_mut(|(stream, _)| match state(stream) {
        State::Open => true,
        State::Answered(text) => {
            refused.push(text);
            false
        }
        State::Closed => panic!("a connection was closed without an answer"),
    });
    assert_eq!(held.len(), 300, "{} held", held.len());
    assert_eq!(refused.len(), 25);
    for text in &refused {
        assert!(
            text.starts_with("HTTP/1.1 503") && text.contains("\"too_many_connections\""),
            "{text}"
        );
        assert!(
            text.to_ascii_lowercase().contains("retry-after: 1"),
            "{text}"
        );
    }
    assert!(
        refused
            .iter()
            .filter(|t| t.contains("this address holds"))
            .count()
            == 5,
        "{refused:?}"
    );
    held
}

/// Sends a request's headers a line every 500 ms (for at most 8 s): how long until the server
/// answered or closed.
fn send_headers_slowly(port: u16) -> Duration {
    let mut stream = connect_from(10, port);
    let start = Instant::now();
    stream
        .write_all(b"GET /health/live HTTP/1.1\r\nHost: t\r\n")
        .unwrap();
    while start.elapsed() < Duration::from_secs(8) {
        std::thread::sleep(Duration::from_millis(500));
        if stream.write_all(b"X-Slow: 1\r\n").is_err() {
            break;
        }
        if let State::Closed | State::Answered(_) = state(&mut stream) {
            break;
        }
    }
    start.elapsed()
}

/// Sends a write's body a byte every 500 ms (for at most 8 s): the answer, and when it came.
fn send_a_body_slowly(port: u16, key: &str) -> (String, Duration) {
    let mut stream = connect_from(11, port);
    let start = Instant::now();
    let head = format!(
        "PUT /v1/users/7/artists/1 HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n\
         Authorization: Bearer {key}\r\nContent-Length: 40\r\n\r\n{{\"weight\""
    );
    stream.write_all(head.as_bytes()).unwrap();
    let mut answer = String::new();
    while start.elapsed() < Duration::from_secs(8) {
        std::thread::sleep(Duration::from_millis(500));
        if let State::Answered(text) = state(&mut stream) {
            answer = text;
            break;
        }
        let _ = stream.write_all(b" ");
    }
    (answer, start.elapsed())
}

/// Two requests on one kept-alive connection, 3 s apart (longer than the header timeout,
/// shorter than the idle one), then idle: how long until the server closed it.
fn keep_alive_then_idle(port: u16) -> Option<Duration> {
    let mut stream = connect_from(12, port);
    let request = b"GET /health/live HTTP/1.1\r\nHost: t\r\n\r\n";
    stream.write_all(request).unwrap();
    assert!(read_response(&mut stream).starts_with("HTTP/1.1 200"));
    // Idle for longer than the header timeout, shorter than the idle one: still open.
    std::thread::sleep(Duration::from_secs(3));
    stream.write_all(request).unwrap();
    assert!(read_response(&mut stream).starts_with("HTTP/1.1 200"));
    let idle_from = Instant::now();
    let (text, closed) = read_to_close(&mut stream, Duration::from_secs(10));
    assert!(text.is_empty(), "{text}");
    closed.map(|at| at - idle_from)
}

#[test]
fn a_key_sent_in_the_query_string_never_reaches_the_log() {
    let dir = tempfile::tempdir().unwrap();
    common::write_tiny(dir.path());
    let port = free_port();
    let url = format!("sqlite://{}", dir.path().join("log.db").display());
    let log = std::fs::File::create(dir.path().join("serve.log")).unwrap();
    let mut server = soundstream()
        .args(["--database-url", &url, "serve", "--data-dir"])
        .arg(dir.path())
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .env("SOUNDSTREAM_LOG", "debug")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    wait_ready(port, &mut server);
    let key = create_write_key(&url);
    let mut stream = connect_from(1, port);
    let request = format!(
        "GET /v1/artists/1?api_key={key}&Token=hunter2 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).unwrap();
    let (answer, _) = read_to_close(&mut stream, Duration::from_secs(10));
    // An unknown parameter: refused, and logged.
    assert!(answer.starts_with("HTTP/1.1 422"), "{answer}");
    terminate(&server);
    assert!(server.wait().unwrap().success());
    let logged = std::fs::read_to_string(dir.path().join("serve.log")).unwrap();
    assert!(
        logged.contains("/v1/artists/1?api_key=[redacted]&Token=[redacted]"),
        "{logged}"
    );
    assert!(
        !logged.contains(&key[16..]),
        "the key's secret was logged:\n{logged}"
    );
    assert!(!logged.contains("hunter2"), "{logged}");
}

#[test]
fn sigterm_closes_idle_connections_at_once_and_drains_the_request_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let (mut server, url) = spawn(dir.path(), port, &["--rate-limit", "0"]);
    wait_ready(port, &mut server);
    let key = create_write_key(&url);

    let mut idle = connect_from(2, port);
    let mut in_flight = connect_from(3, port);
    let body = br#"{"value": "drained"}"#;
    let head = format!(
        "POST /v1/tags HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer {key}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    in_flight.write_all(head.as_bytes()).unwrap();
    in_flight.write_all(&body[..5]).unwrap();
    std::thread::sleep(Duration::from_millis(300));

    let stopping = Instant::now();
    terminate(&server);
    let (_, closed) = read_to_close(&mut idle, Duration::from_secs(3));
    let closed = closed.expect("an idle connection kept open after SIGTERM");
    assert!(closed - stopping < Duration::from_secs(2));
    // New connections are refused once the server stops listening.
    std::thread::sleep(Duration::from_millis(300));
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err());

    // The request in flight is answered.
    in_flight.write_all(&body[5..]).unwrap();
    let answer = read_response(&mut in_flight);
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    let status = server.wait().unwrap();
    assert!(status.success(), "{status:?}");
    assert!(stopping.elapsed() < Duration::from_secs(5));
}

/// Raises this process' soft limit of open files to its hard limit; returns the limit.
fn raise_file_limit() -> u64 {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    let raised = Rlimit {
        current: limit.maximum,
        maximum: limit.maximum,
    };
    if setrlimit(Resource::Nofile, raised).is_ok() {
        return limit.maximum.unwrap_or(u64::MAX);
    }
    limit.current.unwrap_or(u64::MAX)
}

/// Resident memory of a process, in MiB (Linux).
fn rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kib / 1024.0
}

/// Sends `count` requests on one kept-alive connection from 127.0.0.`host`, pipelined in
/// batches, each with a made-up key and, every other one, a made-up forwarded address of its
/// own (the others share one): returns how many got each status.
fn flood(port: u16, host: u8, first: u64, count: u64) -> std::collections::BTreeMap<u16, u64> {
    const BATCH: u64 = 128;
    let mut stream = connect_from(host, port);
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut statuses = std::collections::BTreeMap::new();
    let mut pending = Vec::with_capacity(64 * 1024);
    let mut buf = vec![0u8; 256 * 1024];
    let mut sent = 0;
    while sent < count {
        let batch = BATCH.min(count - sent);
        let mut requests = String::with_capacity(batch as usize * 200);
        for n in first + sent..first + sent + batch {
            let from = if n % 2 == 0 {
                std::net::Ipv4Addr::from(0x0a00_0000u32.wrapping_add(n as u32)).to_string()
            } else {
                "198.51.100.1".to_owned()
            };
            requests += &format!(
                "GET /v1/artists/707 HTTP/1.1\r\nHost: t\r\nX-API-Key: ss_{n:012x}_{:048x}\r\n\
                 X-Forwarded-For: {from}\r\n\r\n",
                n.wrapping_mul(0x9e37_79b9_7f4a_7c15)
            );
        }
        stream.write_all(requests.as_bytes()).unwrap();
        sent += batch;
        // Read the batch's answers: status line, headers, Content-Length body.
        let mut answered = 0;
        while answered < batch {
            let text_end = pending.windows(4).position(|w| w == b"\r\n\r\n");
            let Some(head_end) = text_end else {
                let n = stream.read(&mut buf).expect("answers to the flood");
                assert!(n > 0, "the server closed the flood's connection");
                pending.extend_from_slice(&buf[..n]);
                continue;
            };
            let head = String::from_utf8_lossy(&pending[..head_end]).to_ascii_lowercase();
            let status: u16 = head[9..12].parse().unwrap();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().unwrap());
            if pending.len() < head_end + 4 + length {
                let n = stream.read(&mut buf).expect("answers to the flood");
                assert!(n > 0, "the server closed the flood's connection");
                pending.extend_from_slice(&buf[..n]);
                continue;
            }
            pending.drain(..head_end + 4 + length);
            *statuses.entry(status).or_default() += 1;
            answered += 1;
        }
    }
    statuses
}

/// Done when (issue 13): under 5,000 idle sockets and a flood of made-up keys and forwarded
/// addresses, a probe is answered in under 50 ms (99th percentile; release build, 250 ms for
/// the debug build CI tests with; and never in more than a second) and resident memory stays
/// under 300 MB, with the real dataset. The flood is
/// `HOSTILE_FLOOD` requests (default 1,000,000 in a release build, 30,000 in a debug one),
/// each with a key of its own, half with a forwarded address of their own (each checked
/// against the database once), half from one address (refused with 429 past its budget,
/// before the database).
#[test]
fn under_5000_idle_sockets_and_an_identity_flood_a_probe_is_answered_fast_in_bounded_memory() {
    let release = !cfg!(debug_assertions);
    let probe_limit = Duration::from_millis(if release { 50 } else { 250 });
    let requests: u64 = std::env::var("HOSTILE_FLOOD")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if release { 1_000_000 } else { 30_000 });
    let data = std::env::var_os("SOUNDSTREAM_DATA_DIR")
        .map(std::path::PathBuf::from)
        .expect("set SOUNDSTREAM_DATA_DIR to the hetrec2011-lastfm-2k folder");
    // This process holds the 5,000 sockets too: as many files as the hard limit allows.
    let files = raise_file_limit();
    assert!(
        files >= 6_000,
        "this test opens 5,000 sockets but may open only {files} files; raise `ulimit -n`"
    );
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = spawn_flood_server(&data, dir.path(), port);
    wait_ready(port, &mut server);
    let (status, _) = probe(port);
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    let before = rss_mib(server.id());

    // 5,000 idle sockets from 20 addresses.
    let started = Instant::now();
    let mut idle: Vec<TcpStream> = (0..5_000)
        .map(|i| connect_from(2 + (i % 20) as u8, port))
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let mut held = 0;
    for stream in &mut idle {
        held += usize::from(state(stream) == State::Open);
    }
    assert_eq!(held, 5_000, "idle sockets refused");
    let with_idle = rss_mib(server.id());

    let run = flood_while_probing(port, &server, requests, with_idle);
    let (statuses, flood_took, peak) = (&run.statuses, run.took, run.peak_mib);
    let latencies = &run.latencies;
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize];
    let (p50, p99, max) = (at(0.5), at(0.99), *latencies.last().unwrap());
    let slow = latencies.iter().filter(|l| **l >= probe_limit).count();
    // Memory once idle clients are swept (each identity is forgotten a second after its
    // last request).
    std::thread::sleep(Duration::from_secs(3));
    let after = rss_mib(server.id());
    eprintln!(
        "idle sockets held: {held}; flood: {requests} requests with made-up keys ({} distinct \
         forwarded addresses) in {flood_took:.1?} ({:.0}/s), answers {statuses:?}; probe: {} \
         answers, p50 {p50:.1?}, p99 {p99:.1?}, max {max:.1?}, {slow} at or over \
         {probe_limit:?}; resident memory: {before:.0} MiB before, \
         {with_idle:.0} MiB with the idle sockets, peak {peak:.0} MiB during the flood, \
         {after:.0} MiB 3 s after; whole test {:.1?}",
        requests / 2,
        requests as f64 / flood_took.as_secs_f64(),
        latencies.len(),
        started.elapsed()
    );
    assert_eq!(statuses.values().sum::<u64>(), requests);
    assert!(
        statuses.keys().all(|s| [401, 429].contains(s)),
        "{statuses:?}"
    );
    assert!(
        statuses.get(&429).copied().unwrap_or(0) > requests / 4,
        "{statuses:?}"
    );
    assert!(
        p99 < probe_limit,
        "probes took {p99:?} at p99 (max {max:?})"
    );
    assert!(max < Duration::from_secs(1), "a probe took {max:?}");
    assert!(peak < 300.0, "resident memory peaked at {peak:.0} MiB");
    drop(idle);
    terminate(&server);
    assert!(server.wait().unwrap().success());
}

/// `soundstream serve` on the real dataset in `data`, into a SQLite file in `dir`, trusting
/// one proxy, 100 requests a second per client, idle sockets held 300 s.
fn spawn_flood_server(data: &Path, dir: &Path, port: u16) -> Child {
    let url = format!("sqlite://{}", dir.join("flood.db").display());
    soundstream()
        .args(["--database-url", &url, "serve", "--data-dir"])
        .arg(data)
        .args(["--addr", &format!("127.0.0.1:{port}")])
        // Forwarded addresses count as clients (each a budget of its own, 100 requests a
        // second), and idle sockets are held for the whole test.
        .args([
            "--trusted-proxies",
            "1",
            "--rate-limit",
            "100",
            "--header-timeout",
            "300",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// What the flood met, seen from outside.
struct FloodRun {
    /// How many answers of each status the flood got.
    statuses: std::collections::BTreeMap<u16, u64>,
    /// How long the flood took.
    took: Duration,
    /// Every probe's latency, sorted.
    latencies: Vec<Duration>,
    /// The server's peak resident memory, in MiB (at least `with_idle`).
    peak_mib: f64,
}

/// The flood, from two connections, while a probe asks every 50 ms (each must be a 200).
fn flood_while_probing(port: u16, server: &Child, requests: u64, with_idle: f64) -> FloodRun {
    let flooding = Instant::now();
    let floods: Vec<_> = (0..2u64)
        .map(|t| {
            std::thread::spawn(move || flood(port, 30 + t as u8, t * requests / 2, requests / 2))
        })
        .collect();
    let mut latencies = Vec::new();
    let mut peak = with_idle;
    while floods.iter().any(|f| !f.is_finished()) {
        let (status, took) = probe(port);
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        latencies.push(took);
        peak = peak.max(rss_mib(server.id()));
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut statuses = std::collections::BTreeMap::new();
    for f in floods {
        for (status, n) in f.join().unwrap() {
            *statuses.entry(status).or_insert(0u64) += n;
        }
    }
    let took = flooding.elapsed();
    latencies.sort();
    FloodRun {
        statuses,
        took,
        latencies,
        peak_mib: peak,
    }
}
