//! Rate limiting: each client (its API key when it sends one, otherwise its address) may make
//! so many requests per second, with a burst of as many; past that, a 429 in the common error
//! format with `Retry-After`. Behind reverse proxies, the operator says how many there are
//! (`--trusted-proxies`): the client is then the address those proxies recorded in
//! `X-Forwarded-For`, never an entry a client could have written itself.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::AppState;
use crate::auth::presented_key;
use crate::error::ApiError;

/// A per-client request budget.
pub struct RateLimit {
    limiter: DefaultKeyedRateLimiter<String>,
    per_second: NonZeroU32,
    trusted_proxies: usize,
}

impl RateLimit {
    /// `per_second` requests a second per client, in bursts of as many.
    pub fn per_second(per_second: NonZeroU32) -> Self {
        Self {
            limiter: RateLimiter::keyed(Quota::per_second(per_second)),
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
}

/// Who a request counts against: the key's public prefix, or the client address.
fn client(request: &Request, trusted_proxies: usize) -> String {
    if let Some(key) = presented_key(request.headers()) {
        return format!("key:{}", key.get(..15).unwrap_or(key));
    }
    if let Some(ip) = forwarded_client(request.headers(), trusted_proxies) {
        return format!("addr:{ip}");
    }
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(
            || "addr:unknown".to_owned(),
            |c| format!("addr:{}", c.0.ip()),
        )
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

/// Middleware: spends one request of the client's budget, or answers 429.
pub async fn limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(limit) = &state.rate_limit else {
        return next.run(request).await;
    };
    match limit
        .limiter
        .check_key(&client(&request, limit.trusted_proxies))
    {
        Ok(()) => next.run(request).await,
        Err(not_until) => {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            let mut response = ApiError::Status {
                status: StatusCode::TOO_MANY_REQUESTS,
                code: "rate_limited",
                message: format!(
                    "more than {} requests a second; retry in {seconds} s",
                    limit.per_second
                ),
            }
            .into_response();
            if let Ok(value) = HeaderValue::from_str(&seconds.max(1).to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
    }
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
