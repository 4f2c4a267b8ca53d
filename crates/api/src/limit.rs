//! Rate limiting: each client may make so many requests per second, with a burst of as
//! many; past that, a 429 in the common error format with `Retry-After`. A client is its API
//! key once the key is verified, otherwise its address: a made-up key, or a real key's public
//! prefix with a wrong secret, spends the budget of the address that sent it, never a key's.
//! Behind reverse proxies, the operator says how many there are (`--trusted-proxies`): the
//! address is then the one those proxies recorded in `X-Forwarded-For`, never an entry a
//! client could have written itself.
//!
//! Every answer says where its client stands, as the IETF draft on rate-limit headers and
//! GitHub do: `RateLimit-Limit` (the burst), `RateLimit-Remaining` and `RateLimit-Reset`
//! (seconds until the budget is whole again).
//!
//! Memory stays bounded whatever the number of identities: a client's state is dropped once
//! it is indistinguishable from a fresh one (about a second after its last request; governor's
//! `retain_recent`, every second), and at most [`MAX_TRACKED`] are kept: past that, new
//! identities share one budget until the next sweep. Unknown keys are checked against the
//! database only after their address's budget is spent on them.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::{Arc, Weak};
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use dashmap::DashMap;
use governor::clock::{Clock, DefaultClock};
use governor::middleware::{StateInformationMiddleware, StateSnapshot};
use governor::nanos::Nanos;
use governor::state::keyed::ShrinkableKeyedStateStore;
use governor::state::{InMemoryState, StateStore};
use governor::{NotUntil, Quota, RateLimiter};

use crate::AppState;
use crate::auth::{Caller, Lookup};
use crate::error::ApiError;

/// The most identities whose state is kept at once (about 70 bytes each).
pub const MAX_TRACKED: usize = 100_000;

/// How often idle identities are swept out.
const SWEEP_EVERY: Duration = Duration::from_secs(1);

/// Whom a request's budget belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Identity {
    /// A verified API key, by id.
    Key(i64),
    /// A client address (see [`client_bucket`]).
    Addr(IpAddr),
    /// Every identity that arrived while [`MAX_TRACKED`] others were tracked.
    Overflow,
}

/// governor's DashMap store, holding at most `cap` identities; a new one past that is
/// counted as [`Identity::Overflow`].
struct BoundedStore {
    map: DashMap<Identity, InMemoryState>,
    cap: usize,
}

impl StateStore for BoundedStore {
    type Key = Identity;

    fn measure_and_replace<T, F, E>(&self, key: &Identity, f: F) -> Result<T, E>
    where
        F: Fn(Option<Nanos>) -> Result<(T, Nanos), E>,
    {
        if self.map.len() >= self.cap && !self.map.contains_key(key) {
            return self.map.measure_and_replace(&Identity::Overflow, f);
        }
        self.map.measure_and_replace(key, f)
    }
}

impl ShrinkableKeyedStateStore<Identity> for BoundedStore {
    fn retain_recent(&self, drop_below: Nanos) {
        self.map.retain_recent(drop_below);
    }

    fn shrink_to_fit(&self) {
        self.map.shrink_to_fit();
    }

    fn len(&self) -> usize {
        self.map.len()
    }

    fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

type Limiter = RateLimiter<Identity, BoundedStore, DefaultClock, StateInformationMiddleware>;

/// A per-client request budget.
pub struct RateLimit {
    limiter: Arc<Limiter>,
    per_second: NonZeroU32,
    trusted_proxies: usize,
}

impl RateLimit {
    /// `per_second` requests a second per client, in bursts of as many. Created inside a
    /// Tokio runtime, it sweeps idle clients out every second for as long as it lives.
    pub fn per_second(per_second: NonZeroU32) -> Self {
        Self::with_capacity(per_second, MAX_TRACKED)
    }

    /// The same, tracking at most `cap` identities at once.
    pub fn with_capacity(per_second: NonZeroU32, cap: usize) -> Self {
        let store = BoundedStore {
            map: DashMap::default(),
            cap: cap.max(1),
        };
        let limiter = Arc::new(Limiter::new(
            Quota::per_second(per_second),
            store,
            DefaultClock::default(),
        ));
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(sweep(Arc::downgrade(&limiter)));
        }
        Self {
            limiter,
            per_second,
            trusted_proxies: 0,
        }
    }

    /// Requests reach this server through `hops` reverse proxies that each append the address
    /// they saw to `X-Forwarded-For`.
    #[must_use]
    pub fn behind_proxies(mut self, hops: usize) -> Self {
        self.trusted_proxies = hops;
        self
    }

    /// The configured rate.
    pub fn rate(&self) -> NonZeroU32 {
        self.per_second
    }

    /// How many identities are tracked now.
    pub fn tracked(&self) -> usize {
        self.limiter.len()
    }

    /// Drops the identities whose budget is whole again (what the sweep does every second).
    pub fn sweep_now(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }

    fn check(
        &self,
        identity: Identity,
    ) -> Result<StateSnapshot, NotUntil<<DefaultClock as Clock>::Instant>> {
        self.limiter.check_key(&identity)
    }
}

/// Every second while the limiter lives: forgets the clients whose budget is whole again, and
/// gives the memory back after a burst of new ones.
async fn sweep(limiter: Weak<Limiter>) {
    let mut tick = tokio::time::interval(SWEEP_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut before = 0;
    loop {
        tick.tick().await;
        let Some(limiter) = limiter.upgrade() else {
            return;
        };
        limiter.retain_recent();
        let now = limiter.len();
        if now < before / 2 {
            limiter.shrink_to_fit();
        }
        before = now;
    }
}

/// The address a client is counted by: an IPv4 address, or the /64 network of an IPv6 one
/// (a single host usually holds a whole /64, and could otherwise pick a fresh address for
/// every request); an IPv4 address written in IPv6 form counts as itself.
pub fn client_bucket(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let network = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(network.into())
            }
        },
    }
}

/// The client's address as recorded by the last of `hops` trusted proxies. Each proxy appends
/// the address it saw, so the trustworthy entry is the `hops`-th from the right; entries to
/// its left came from the client and may be forged. `None` without proxies or a usable header.
fn forwarded_client(headers: &HeaderMap, hops: usize) -> Option<IpAddr> {
    if hops == 0 {
        return None;
    }
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect();
    // Fewer entries than proxies: the request skipped some; the leftmost is the best we have.
    let entry = entries.get(entries.len().saturating_sub(hops))?;
    entry.parse().ok()
}

/// The address a request counts against: the one the trusted proxies recorded, else the
/// peer's (unspecified when unknown, as in tests without a socket).
fn client_addr(request: &Request, trusted_proxies: usize) -> Identity {
    let ip = forwarded_client(request.headers(), trusted_proxies)
        .or_else(|| {
            request
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip())
        })
        .unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
    Identity::Addr(client_bucket(ip))
}

/// Middleware: finds who the request counts against (a verified key, else its address),
/// spends one request of that budget or answers 429, and tells the client its budget. The
/// caller found is left in the request's extensions for `auth`, which then asks nothing more.
pub async fn limit(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let Some(limit) = state.rate_limit.clone() else {
        return next.run(request).await;
    };
    let addr = client_addr(&request, limit.trusted_proxies);
    let lookup = match state.keys.lookup(request.headers()) {
        Lookup::Anonymous => Ok(Caller::Anonymous),
        Lookup::Fresh(key) => Ok(Caller::Key(key)),
        Lookup::Remembered(presented) => Err((presented.to_owned(), None)),
        // A key not verified lately spends its address's budget before the database sees it:
        // a flood of made-up keys is limited like any other flood from that address.
        Lookup::Unknown(presented) => match limit.check(addr) {
            Ok(spent) => Err((presented.to_owned(), Some(spent))),
            Err(not_until) => return too_many(&limit, &not_until),
        },
    };
    let (caller, spent) = match lookup {
        Ok(caller) => (caller, None),
        Err((presented, spent)) => match state.keys.verify(&state.store, &presented).await {
            Ok(caller) => (caller, spent),
            Err(e) => return ApiError::from(e).into_response(),
        },
    };
    let budget = match (&caller, spent) {
        (Caller::Key(key), _) => limit.check(Identity::Key(key.id)),
        (_, Some(spent)) => Ok(spent),
        (_, None) => limit.check(addr),
    };
    let budget = match budget {
        Ok(budget) => budget,
        Err(not_until) => return too_many(&limit, &not_until),
    };
    request.extensions_mut().insert(caller);
    let mut response = next.run(request).await;
    budget_headers(
        response.headers_mut(),
        budget.quota(),
        budget.remaining_burst_capacity(),
    );
    response
}

/// Whole seconds in `d`, rounded up.
fn ceil_seconds(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds until the budget
/// is whole again).
fn budget_headers(headers: &mut HeaderMap, quota: Quota, remaining: u32) {
    let burst = quota.burst_size().get();
    let reset = ceil_seconds(quota.replenish_interval() * burst.saturating_sub(remaining));
    for (name, value) in [
        ("ratelimit-limit", u64::from(burst)),
        ("ratelimit-remaining", u64::from(remaining)),
        ("ratelimit-reset", reset),
    ] {
        headers.insert(HeaderName::from_static(name), HeaderValue::from(value));
    }
}

/// A 429 in the error format, with `Retry-After` and the budget headers.
fn too_many(limit: &RateLimit, not_until: &NotUntil<<DefaultClock as Clock>::Instant>) -> Response {
    let seconds = ceil_seconds(not_until.wait_time_from(DefaultClock::default().now())).max(1);
    let mut response = ApiError::Status {
        status: StatusCode::TOO_MANY_REQUESTS,
        code: "rate_limited",
        message: format!(
            "more than {} requests a second; retry in {seconds} s",
            limit.per_second
        ),
    }
    .into_response();
    let headers = response.headers_mut();
    headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    budget_headers(headers, not_until.quota(), 0);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        headers
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        assert_eq!(forwarded_client(&forwarded(&["203.0.113.7"]), 0), None);
    }

    #[test]
    fn one_proxy_trusts_only_the_entry_it_appended() {
        // The client forged "1.2.3.4"; the proxy appended the address it really saw.
        let headers = forwarded(&["1.2.3.4, 203.0.113.7"]);
        assert_eq!(
            forwarded_client(&headers, 1),
            Some("203.0.113.7".parse().unwrap())
        );
    }

    #[test]
    fn two_proxies_read_the_second_entry_from_the_right_across_header_lines() {
        let headers = forwarded(&["9.9.9.9, 198.51.100.1", "10.0.0.2"]);
        assert_eq!(
            forwarded_client(&headers, 2),
            Some("198.51.100.1".parse().unwrap())
        );
    }

    #[test]
    fn fewer_entries_than_proxies_use_the_leftmost_and_garbage_is_ignored() {
        assert_eq!(
            forwarded_client(&forwarded(&["2001:db8::1"]), 3),
            Some("2001:db8::1".parse().unwrap())
        );
        assert_eq!(forwarded_client(&forwarded(&["not-an-ip"]), 1), None);
        assert_eq!(forwarded_client(&HeaderMap::new(), 1), None);
    }
}
