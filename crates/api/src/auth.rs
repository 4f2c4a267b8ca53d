//! Who may write: every POST, PUT, PATCH and DELETE needs an API key with the `write` scope,
//! sent as `Authorization: Bearer <key>` (the scheme in any case, RFC 9110 §11.1) or
//! `X-API-Key: <key>`. Reads stay public. A missing or unknown key is a 401, a read-only key
//! a 403, both in the common error format.
//!
//! Verified keys are remembered for a second ([`KEY_FRESH`]): the SDK sends its key with
//! every request (session consistency), and without this each of them would cost a database
//! query and a pooled connection before any work; with it, one query a second per key. A key
//! revoked with `soundstream keys revoke` (another process, which this one cannot hear) stops
//! working within that second. Only keys the database accepted are remembered, by the SHA-256
//! of the key, never the key itself, and at most [`MAX_REMEMBERED_KEYS`] of them: made-up keys
//! cannot grow the cache. The rate limiter uses the same memory to tell a verified key (its
//! own budget) from an unverified one (the client address's budget), before the database.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hashlink::LruCache;
use sha2::{Digest, Sha256};
use soundstream_store::{ApiKey, KeyScope, Store, StoreError};

use crate::AppState;
use crate::error::ApiError;

/// How long a verified key is trusted before the database is asked again; a revoked key
/// stops working within this.
pub const KEY_FRESH: Duration = Duration::from_secs(1);

/// How long a key that was valid is remembered after its last verification: such a key is
/// re-verified at once, without spending its client address's budget first (only unknown
/// keys do), so a client whose address is busy (a shared NAT) is not locked out of its key.
const KEY_REMEMBERED: Duration = Duration::from_secs(600);

/// The most keys remembered (least recently used forgotten first); a database holds a few.
pub const MAX_REMEMBERED_KEYS: usize = 4096;

/// The API key a request presented, if any: `X-API-Key`, or the credentials of an
/// `Authorization` header whose scheme is `Bearer` in any case.
pub fn presented_key(headers: &HeaderMap) -> Option<&str> {
    if let Some(value) = headers.get("x-api-key").and_then(|v| v.to_str().ok()) {
        return Some(value.trim());
    }
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, credentials) = value.trim_start().split_once([' ', '\t'])?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| credentials.trim())
}

/// Who sent a request, as far as its key tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// No key.
    Anonymous,
    /// A key the database accepted (active, matching secret).
    Key(ApiKey),
    /// A key the database does not know, a revoked one, or a known prefix with a wrong secret.
    BadKey,
}

/// What memory says about a request's key, before any database query.
#[derive(Debug)]
pub enum Lookup<'a> {
    /// No key.
    Anonymous,
    /// Verified less than [`KEY_FRESH`] ago.
    Fresh(ApiKey),
    /// Valid when last verified, longer ago: ask the database again.
    Remembered(&'a str),
    /// Never verified (or forgotten): ask the database.
    Unknown(&'a str),
}

/// The keys verified lately, by digest.
pub struct Keys {
    verified: Mutex<LruCache<[u8; 32], (ApiKey, Instant)>>,
}

impl Default for Keys {
    fn default() -> Self {
        Self {
            verified: Mutex::new(LruCache::new(MAX_REMEMBERED_KEYS)),
        }
    }
}

fn digest(presented: &str) -> [u8; 32] {
    Sha256::digest(presented.as_bytes()).into()
}

impl Keys {
    /// What is known of the key in `headers`, without the database.
    pub fn lookup<'a>(&self, headers: &'a HeaderMap) -> Lookup<'a> {
        let Some(presented) = presented_key(headers) else {
            return Lookup::Anonymous;
        };
        let mut verified = self.verified.lock().unwrap_or_else(|e| e.into_inner());
        match verified.get(&digest(presented)) {
            Some((key, at)) if at.elapsed() < KEY_FRESH => Lookup::Fresh(key.clone()),
            Some((_, at)) if at.elapsed() < KEY_REMEMBERED => Lookup::Remembered(presented),
            _ => Lookup::Unknown(presented),
        }
    }

    /// Asks the database about `presented`, and remembers (or forgets) it.
    pub async fn verify(&self, store: &Store, presented: &str) -> Result<Caller, StoreError> {
        let found = store.verify_key(presented).await?;
        let mut verified = self.verified.lock().unwrap_or_else(|e| e.into_inner());
        Ok(match found {
            Some(key) => {
                verified.insert(digest(presented), (key.clone(), Instant::now()));
                Caller::Key(key)
            }
            None => {
                verified.remove(&digest(presented));
                Caller::BadKey
            }
        })
    }

    /// Who sent a request with these headers: from memory when fresh, else the database.
    pub async fn identify(&self, store: &Store, headers: &HeaderMap) -> Result<Caller, StoreError> {
        match self.lookup(headers) {
            Lookup::Anonymous => Ok(Caller::Anonymous),
            Lookup::Fresh(key) => Ok(Caller::Key(key)),
            Lookup::Remembered(presented) | Lookup::Unknown(presented) => {
                self.verify(store, presented).await
            }
        }
    }
}

fn unauthorized(message: &str) -> Response {
    let mut response = ApiError::Status {
        status: StatusCode::UNAUTHORIZED,
        code: "unauthorized",
        message: message.to_owned(),
    }
    .into_response();
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Middleware (on the routes' declared methods): lets reads through and checks the key of
/// every write. The caller is taken from the request's extensions when the rate limiter has
/// identified it already, else identified here. The key found is put in the request's
/// extensions for what follows, and its last write sets how fresh its reads must be.
pub async fn require_write_key(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let caller = match request.extensions().get::<Caller>() {
        Some(caller) => caller.clone(),
        None => match state.keys.identify(&state.store, request.headers()).await {
            Ok(caller) => caller,
            Err(e) => return ApiError::from(e).into_response(),
        },
    };
    let key = match caller {
        Caller::Anonymous => None,
        Caller::Key(key) => Some(key),
        Caller::BadKey => return unauthorized("the API key is unknown or revoked"),
    };
    if is_write(request.method()) {
        match &key {
            None => {
                return unauthorized(
                    "writes need an API key: send `Authorization: Bearer <key>` or `X-API-Key: <key>` \
                     (an operator creates one with `soundstream keys create`)",
                );
            }
            Some(key) if key.scope != KeyScope::Write => {
                return ApiError::Status {
                    status: StatusCode::FORBIDDEN,
                    code: "forbidden",
                    message: format!(
                        "API key {} is read-only; writes need a write key",
                        key.prefix
                    ),
                }
                .into_response();
            }
            Some(_) => {}
        }
    }
    let Some(key) = key else {
        return next.run(request).await;
    };
    // Session consistency (consistency.rs): this key's reads see its own writes.
    let (id, write) = (key.id, is_write(request.method()));
    request.extensions_mut().insert(key);
    request.extensions_mut().insert(state.writers.required(id));
    let response = next.run(request).await;
    if write && response.status().is_success() {
        state.writers.wrote(id, state.model.seq());
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(name: &str, value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value).unwrap(),
        );
        headers
    }

    #[test]
    fn the_bearer_scheme_is_case_insensitive_and_other_schemes_are_no_key() {
        for value in [
            "Bearer k1",
            "bearer k1",
            "BEARER k1",
            "bEaReR \t k1 ",
            " Bearer k1",
        ] {
            assert_eq!(
                presented_key(&headers("authorization", value)),
                Some("k1"),
                "{value:?}"
            );
        }
        for value in ["Basic k1", "Bearerk1", "Bearer", "Token k1"] {
            assert_eq!(
                presented_key(&headers("authorization", value)),
                None,
                "{value:?}"
            );
        }
        assert_eq!(presented_key(&headers("x-api-key", " k2 ")), Some("k2"));
    }
}
