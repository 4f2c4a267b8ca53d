//! API keys: created with a random secret shown once, stored as a SHA-256 digest, looked up
//! by their public prefix, scoped read-only or read-write, and revocable.
//!
//! A fast hash is enough here: keys are 192 random bits, not passwords, so there is nothing
//! for a slow hash to protect against guessing; what matters is that the database never holds
//! a usable key.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::{Row, Store, StoreError, args};

/// What a key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyScope {
    /// Reads only (reads are public; a key still identifies the caller for rate limits).
    Read,
    /// Reads and writes.
    Write,
}

impl KeyScope {
    fn as_str(self) -> &'static str {
        match self {
            KeyScope::Read => "read",
            KeyScope::Write => "write",
        }
    }

    fn parse(s: &str) -> Result<Self, StoreError> {
        match s {
            "read" => Ok(KeyScope::Read),
            "write" => Ok(KeyScope::Write),
            other => Err(StoreError::Decode {
                column: 4,
                expected: "scope 'read' or 'write'",
                found: other.to_owned(),
            }),
        }
    }
}

/// An API key as stored (never with its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiKey {
    /// Key id.
    pub id: i64,
    /// A name saying whose key it is.
    pub name: String,
    /// The key's public beginning (`ss_` and 12 hex digits), enough to recognise it.
    pub prefix: String,
    /// What the key may do.
    pub scope: KeyScope,
    /// Creation time, milliseconds since the epoch.
    pub created_at: i64,
    /// Revocation time, if revoked.
    pub revoked_at: Option<i64>,
}

const PREFIX_LEN: usize = 15; // "ss_" + 12 hex digits

fn digest(key: &str) -> String {
    Sha256::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Compares in time independent of where the inputs differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

fn to_key(r: &Row) -> Result<ApiKey, StoreError> {
    Ok(ApiKey {
        id: r.i64(0)?,
        name: r.string(1)?,
        prefix: r.string(2)?,
        scope: KeyScope::parse(&r.string(3)?)?,
        created_at: r.i64(4)?,
        revoked_at: r.opt_i64(5)?,
    })
}

const COLUMNS: &str = "id, name, prefix, scope, created_at, revoked_at";

impl Store {
    /// Creates a key and returns it with its secret, which is not stored and cannot be
    /// shown again.
    pub async fn create_key(
        &self,
        name: &str,
        scope: KeyScope,
    ) -> Result<(ApiKey, String), StoreError> {
        let mut random = [0u8; 30];
        getrandom::fill(&mut random)
            .map_err(|e| StoreError::Pool(format!("no randomness: {e}")))?;
        let hex: String = random.iter().map(|b| format!("{b:02x}")).collect();
        let secret = format!("ss_{}_{}", &hex[..12], &hex[12..]);
        let prefix = &secret[..PREFIX_LEN];
        let rows = self
            .execute_returning(
                &format!(
                    "INSERT INTO api_keys (name, prefix, hash, scope, created_at)
                     VALUES ($1, $2, $3, $4, $5) RETURNING {COLUMNS}"
                ),
                args![name, prefix, digest(&secret), scope.as_str(), now_ms()],
            )
            .await?;
        let key = to_key(rows.first().ok_or(StoreError::NoRow)?)?;
        Ok((key, secret))
    }

    /// Every key, newest first.
    pub async fn list_keys(&self) -> Result<Vec<ApiKey>, StoreError> {
        self.query(
            &format!("SELECT {COLUMNS} FROM api_keys ORDER BY id DESC"),
            vec![],
        )
        .await?
        .iter()
        .map(to_key)
        .collect()
    }

    /// Revokes the key with this id or prefix; `false` when there is no such active key.
    pub async fn revoke_key(&self, id_or_prefix: &str) -> Result<bool, StoreError> {
        let id = id_or_prefix.parse::<i64>().unwrap_or(-1);
        Ok(self
            .execute(
                "UPDATE api_keys SET revoked_at = $1
                 WHERE (id = $2 OR prefix = $3) AND revoked_at IS NULL",
                args![now_ms(), id, id_or_prefix],
            )
            .await?
            > 0)
    }

    /// The active key matching `presented`, if any.
    pub async fn verify_key(&self, presented: &str) -> Result<Option<ApiKey>, StoreError> {
        let Some(prefix) = presented.get(..PREFIX_LEN) else {
            return Ok(None);
        };
        let Some(row) = self
            .query_opt(
                &format!(
                    "SELECT {COLUMNS}, hash FROM api_keys WHERE prefix = $1 AND revoked_at IS NULL"
                ),
                args![prefix],
            )
            .await?
        else {
            return Ok(None);
        };
        if same(&row.string(6)?, &digest(presented)) {
            to_key(&row).map(Some)
        } else {
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::same;

    #[test]
    fn digests_compare_equal_only_when_equal() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
    }
}
