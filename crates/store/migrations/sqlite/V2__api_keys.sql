-- API keys for writes. Only a SHA-256 of each key is stored; the key itself is shown once,
-- at creation. `prefix` (the key's first characters) finds the row without the secret.
CREATE TABLE api_keys (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    prefix     TEXT NOT NULL UNIQUE,
    hash       TEXT NOT NULL,
    scope      TEXT NOT NULL CHECK (scope IN ('read', 'write')),
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
