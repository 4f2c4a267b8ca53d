//! The HTTP/1.1 server around the router: it owns the connections, which the router never
//! sees. A client may hold only so many of them (overall and per address), must send a
//! request's headers within a short time, and may leave a connection idle between requests
//! only for a while; the excess is refused at once with a 503, never queued. On shutdown it
//! stops accepting, lets in-flight requests finish, and closes idle connections at once.
//!
//! hyper's own `header_read_timeout` starts when a connection begins waiting for a request,
//! so one value would bound both the idle time between requests and the time to send one's
//! headers. They want different values (a few seconds for headers, defeating slow-header
//! clients; a minute between requests, longer than a load balancer keeps its idle connections
//! so that it never sends a request on a connection this server is closing), as Go's
//! `http.Server` separates `ReadHeaderTimeout` and `IdleTimeout`: each connection here carries
//! a small watchdog (in `watchdog`) that reads the connection's activity and drops it when
//! either expires.

mod watchdog;

use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use rustc_hash::FxHashMap;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tower::ServiceExt;

use self::watchdog::{Activity, Watched};
use crate::limit::client_bucket;

/// What clients may hold of the server's connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Connections open at once, from everyone; past it a new one gets a 503 and is closed.
    pub max_connections: usize,
    /// Connections open at once from one client address (an IPv6 client counts by its /64
    /// network, which it usually holds whole); 0 for no cap. Behind a reverse proxy the proxy
    /// is the client, so this is then best turned off.
    pub max_connections_per_client: usize,
    /// How long a client has to send a request's headers, from its first byte (or, on a new
    /// connection, from the connection); past it the connection is closed.
    pub header_read_timeout: Duration,
    /// How long a connection may stay idle between requests (keep-alive) before it is closed.
    pub idle_timeout: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            max_connections: 10_000,
            max_connections_per_client: 512,
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(75),
        }
    }
}

/// Files the process keeps for itself besides connections: the database pool (three files
/// per SQLite connection), logs, the listener.
const RESERVED_FILES: u64 = 256;

/// Refused connections drained at once (see [`refuse`]); past it they are closed outright.
const MAX_LINGERING: usize = 64;

/// How long a refused connection is drained before it is closed.
const LINGER: Duration = Duration::from_millis(500);

/// Serves `router` on `listener` until `shutdown` resolves, then stops accepting, closes idle
/// connections, and returns once every in-flight request is answered (bound that wait with a
/// timeout of your own). Each request carries `ConnectInfo<SocketAddr>` with the peer's
/// address, as `axum::serve` gives it.
///
/// The process' soft limit of open files is raised as far as the hard limit allows to hold
/// `max_connections` (as Go's runtime does at start-up); where it cannot be, fewer are served,
/// with a warning, so that a full table of files never makes `accept` fail and leaves clients
/// waiting in the backlog.
pub async fn serve<F>(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: F,
) -> io::Result<()>
where
    F: Future<Output = ()> + Send,
{
    crate::metrics::install();
    let limits = fit_to_file_limit(limits);
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let clients = Arc::new(Clients::new(limits.max_connections_per_client));
    let lingering = Arc::new(Semaphore::new(MAX_LINGERING));
    let (stop, stopping) = watch::channel(false);
    let mut http = hyper::server::conn::http1::Builder::new();
    // A backstop only: the watchdog below enforces each timeout on its own.
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.idle_timeout + limits.header_read_timeout)
        .keep_alive(true);
    let http = Arc::new(http);

    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            biased;
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    accept_failed(&e).await;
                    continue;
                }
            },
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            refuse(
                stream,
                "the server holds its maximum of connections",
                "server",
                &lingering,
            );
            continue;
        };
        let Some(client) = clients.enter(peer.ip()) else {
            refuse(
                stream,
                "this address holds its maximum of connections",
                "client",
                &lingering,
            );
            continue;
        };
        metrics::gauge!("soundstream_connections_open").increment(1.0);
        let connection = Connection {
            http: http.clone(),
            router: router.clone(),
            limits,
            stopping: stopping.clone(),
        };
        tokio::spawn(async move {
            connection.run(stream, peer).await;
            metrics::gauge!("soundstream_connections_open").decrement(1.0);
            drop((slot, client));
        });
    }
    // Closing the listening socket makes new connections fail at once instead of waiting.
    drop(listener);
    stop.send_replace(true);
    // Every open connection holds one slot until it ends.
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let _ = slots.acquire_many(all).await;
    Ok(())
}

/// An error of `accept`: one connection's (reset before it was accepted) is skipped; others
/// (no file or buffer left) pause accepting briefly rather than spin.
async fn accept_failed(error: &io::Error) {
    use io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        error.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        return;
    }
    tracing::warn!(%error, "cannot accept connections; retrying in 50 ms");
    tokio::time::sleep(Duration::from_millis(50)).await;
}

/// Answers a connection over a cap with a 503 in the API's error format, without reading its
/// request, and closes it. Closing with the request unread would make the kernel reset the
/// connection, and a reset can discard the answer before the client reads it: a few refused
/// connections at a time are drained for a moment first.
fn refuse(stream: TcpStream, why: &str, cap: &'static str, lingering: &Arc<Semaphore>) {
    metrics::counter!("soundstream_connections_refused_total", "cap" => cap).increment(1);
    let body = format!(
        r#"{{"error":{{"status":503,"code":"too_many_connections","message":"{why}; retry later","fields":[]}}}}"#
    );
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
         retry-after: 1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    // A fresh socket's send buffer takes these few hundred bytes at once.
    let _ = stream.try_write(answer.as_bytes());
    let Ok(permit) = lingering.clone().try_acquire_owned() else {
        return;
    };
    tokio::spawn(async move {
        let mut stream = stream;
        let _ = stream.shutdown().await;
        let mut sink = [0u8; 1024];
        let _ = tokio::time::timeout(LINGER, async {
            while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
        })
        .await;
        drop(permit);
    });
}

/// Raises the soft limit of open files to hold `limits.max_connections`, or lowers that to
/// what the limit allows.
fn fit_to_file_limit(mut limits: ConnectionLimits) -> ConnectionLimits {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let wanted = limits.max_connections as u64 + RESERVED_FILES;
    let current = getrlimit(Resource::Nofile);
    let Some(mut soft) = current.current else {
        return limits; // unlimited
    };
    if soft < wanted {
        let raised = current.maximum.map_or(wanted, |hard| hard.min(wanted));
        let new = Rlimit {
            current: Some(raised),
            maximum: current.maximum,
        };
        if raised > soft && setrlimit(Resource::Nofile, new).is_ok() {
            soft = raised;
        }
    }
    if soft < wanted {
        let fitted = soft.saturating_sub(RESERVED_FILES).max(16) as usize;
        tracing::warn!(
            wanted = limits.max_connections,
            serving = fitted,
            "the process may open only {soft} files: serving at most {fitted} connections \
             (raise `ulimit -n` or lower --max-connections)"
        );
        limits.max_connections = fitted;
    }
    limits
}

/// How many connections each client address holds; an address is forgotten when it holds
/// none, so the table is never larger than the open connections.
struct Clients {
    cap: usize,
    open: Mutex<FxHashMap<IpAddr, usize>>,
}

impl Clients {
    fn new(cap: usize) -> Self {
        Self {
            cap,
            open: Mutex::default(),
        }
    }

    /// A place for one more connection from `ip`, or `None` when it holds its cap already.
    fn enter(self: &Arc<Self>, ip: IpAddr) -> Option<ClientSlot> {
        if self.cap == 0 {
            return Some(ClientSlot(None));
        }
        let bucket = client_bucket(ip);
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(bucket).or_default();
        if *count >= self.cap {
            return None;
        }
        *count += 1;
        Some(ClientSlot(Some((self.clone(), bucket))))
    }
}

/// One connection's place in [`Clients`], given back when dropped.
struct ClientSlot(Option<(Arc<Clients>, IpAddr)>);

impl Drop for ClientSlot {
    fn drop(&mut self) {
        let Some((clients, bucket)) = self.0.take() else {
            return;
        };
        let mut open = clients.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&bucket) {
            *count -= 1;
            if *count == 0 {
                open.remove(&bucket);
            }
        }
    }
}

/// What one connection needs to be served.
struct Connection {
    http: Arc<hyper::server::conn::http1::Builder>,
    router: Router,
    limits: ConnectionLimits,
    stopping: watch::Receiver<bool>,
}

impl Connection {
    async fn run(mut self, stream: TcpStream, peer: SocketAddr) {
        // Small JSON answers: do not wait to fill a segment.
        let _ = stream.set_nodelay(true);
        let activity = Arc::new(Activity::new());
        let io = TokioIo::new(Watched {
            inner: stream,
            activity: activity.clone(),
        });
        let router = self.router.clone();
        let seen = activity.clone();
        let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            let busy = seen.request_started();
            let answer = router.clone().oneshot(request);
            async move {
                let response = answer.await;
                drop(busy);
                response
            }
        });
        let connection = self.http.serve_connection(io, service);
        tokio::pin!(connection);
        let mut draining = false;
        loop {
            let check = activity.next_check(&self.limits);
            tokio::select! {
                _ = connection.as_mut() => return,
                _ = self.stopping.wait_for(|stop| *stop), if !draining => {
                    // Finishes the request in flight, if any, then closes; an idle one at once.
                    connection.as_mut().graceful_shutdown();
                    draining = true;
                }
                () = tokio::time::sleep_until(check.into()) => {
                    if let Some(why) = activity.expired(&self.limits) {
                        tracing::debug!(%peer, why, "closing a connection");
                        metrics::counter!("soundstream_connections_timed_out_total", "phase" => why)
                            .increment(1);
                        return;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_address_holds_at_most_its_cap_and_gets_places_back() {
        let clients = Arc::new(Clients::new(2));
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let a = clients.enter(ip).unwrap();
        let _b = clients.enter(ip).unwrap();
        assert!(clients.enter(ip).is_none());
        assert!(clients.enter("192.0.2.2".parse().unwrap()).is_some());
        drop(a);
        assert!(clients.enter(ip).is_some());
        // One IPv6 client is its /64.
        let v6 = |s: &str| s.parse::<IpAddr>().unwrap();
        let _c = clients.enter(v6("2001:db8::1")).unwrap();
        let _d = clients.enter(v6("2001:db8::ffff:2")).unwrap();
        assert!(clients.enter(v6("2001:db8::3")).is_none());
        assert!(clients.enter(v6("2001:db8:0:1::3")).is_some());
    }

    #[test]
    fn without_a_cap_nothing_is_counted() {
        let clients = Arc::new(Clients::new(0));
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let slots: Vec<_> = (0..1000).map(|_| clients.enter(ip).unwrap()).collect();
        assert!(clients.open.lock().unwrap().is_empty());
        drop(slots);
    }
}
