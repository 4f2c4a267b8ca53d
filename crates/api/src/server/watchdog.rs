//! A connection's watchdog: what the connection has been doing (bytes in and out, requests
//! in flight), recorded by its socket and its requests, and the header or idle timeout that
//! applies to it at any moment.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

use super::ConnectionLimits;

/// Milliseconds since the first call: one clock for every connection's activity.
fn now_ms() -> u64 {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    let epoch = *EPOCH.get_or_init(Instant::now);
    u64::try_from(epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// What a connection has been doing, updated by its socket and its requests, read by its
/// watchdog.
pub(super) struct Activity {
    /// Last time bytes went either way (or a request ended): the start of an idle period.
    progress: AtomicU64,
    /// When the first byte of a request not yet dispatched arrived (0: none).
    head_since: AtomicU64,
    /// Requests being answered (their handler has not returned).
    busy: AtomicU32,
    /// Whether a request was dispatched yet (a new connection gets the header timeout only).
    served: AtomicBool,
}

impl Activity {
    /// A connection just accepted: no request yet, idle from now.
    pub(super) fn new() -> Self {
        Self {
            progress: AtomicU64::new(now_ms()),
            head_since: AtomicU64::new(0),
            busy: AtomicU32::new(0),
            served: AtomicBool::new(false),
        }
    }

    /// Bytes came in: progress, and the start of a request's head when none is answered.
    fn read(&self) {
        let now = now_ms();
        self.progress.store(now, Ordering::Relaxed);
        if self.busy.load(Ordering::Relaxed) == 0 {
            // max(1): 0 means "no head being read".
            let _ = self.head_since.compare_exchange(
                0,
                now.max(1),
                Ordering::Relaxed,
                Ordering::Relaxed,
            );
        }
    }

    /// Bytes went out: progress.
    fn wrote(&self) {
        self.progress.store(now_ms(), Ordering::Relaxed);
    }

    /// A request was dispatched: no deadline until the [`Busy`] it returns is dropped.
    pub(super) fn request_started(self: &Arc<Self>) -> Busy {
        self.busy.fetch_add(1, Ordering::Relaxed);
        self.head_since.store(0, Ordering::Relaxed);
        self.served.store(true, Ordering::Relaxed);
        Busy(self.clone())
    }

    /// The deadline that applies now, in ms, or `None` while a request is being answered
    /// (the router's request timeout bounds that).
    fn deadline(&self, limits: &ConnectionLimits) -> Option<(u64, &'static str)> {
        if self.busy.load(Ordering::Relaxed) > 0 {
            return None;
        }
        let ms = |d: Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        let head = self.head_since.load(Ordering::Relaxed);
        if head != 0 {
            return Some((
                head.saturating_add(ms(limits.header_read_timeout)),
                "headers",
            ));
        }
        let since = self.progress.load(Ordering::Relaxed);
        if self.served.load(Ordering::Relaxed) {
            Some((since.saturating_add(ms(limits.idle_timeout)), "idle"))
        } else {
            Some((
                since.saturating_add(ms(limits.header_read_timeout)),
                "headers",
            ))
        }
    }

    /// When the watchdog should look again: at the deadline, or a header timeout from now
    /// while a request is answered (activity may change meanwhile; the check is cheap).
    pub(super) fn next_check(&self, limits: &ConnectionLimits) -> Instant {
        let now = now_ms();
        let at = self.deadline(limits).map_or(
            now + limits.header_read_timeout.as_millis() as u64,
            |(at, _)| at,
        );
        // +1: a deadline is passed only once the clock is beyond it.
        Instant::now() + Duration::from_millis(at.saturating_sub(now) + 1)
    }

    /// The timeout that has passed, if one has.
    pub(super) fn expired(&self, limits: &ConnectionLimits) -> Option<&'static str> {
        self.deadline(limits)
            .filter(|(at, _)| now_ms() > *at)
            .map(|(_, why)| why)
    }
}

/// A request being answered; when dropped, the connection is idle from that moment.
pub(super) struct Busy(Arc<Activity>);

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.progress.store(now_ms(), Ordering::Relaxed);
        self.0.busy.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A socket that records its activity.
pub(super) struct Watched {
    pub(super) inner: TcpStream,
    pub(super) activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.read();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.wrote();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.wrote();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> ConnectionLimits {
        ConnectionLimits {
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            ..ConnectionLimits::default()
        }
    }

    #[test]
    fn a_new_connection_has_the_header_timeout_then_the_idle_timeout_between_requests() {
        let activity = Arc::new(Activity::new());
        let (at, why) = activity.deadline(&limits()).unwrap();
        assert_eq!(why, "headers");
        assert!(at <= now_ms() + 10_000);
        let busy = activity.request_started();
        assert_eq!(
            activity.deadline(&limits()),
            None,
            "no deadline while answering"
        );
        drop(busy);
        let (at, why) = activity.deadline(&limits()).unwrap();
        assert_eq!(why, "idle");
        assert!(at >= now_ms() + 59_000);
        // The first byte of the next request starts its header timeout.
        activity.read();
        assert_eq!(activity.deadline(&limits()).unwrap().1, "headers");
    }
}
