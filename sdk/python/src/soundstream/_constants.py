"""Defaults of the client: where the API is, how long to wait, how often to retry."""

from __future__ import annotations

import httpx

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
"""Where `soundstream serve` listens unless told otherwise."""

BASE_URL_ENV = "SOUNDSTREAM_API_URL"
"""Environment variable read when no `base_url` is given: the one the SDK, the notebook and the
dashboard all read."""

BASE_URL_ENV_ALIAS = "SOUNDSTREAM_BASE_URL"
"""The SDK's former name for `SOUNDSTREAM_API_URL`, still read when that one is not set."""

API_KEY_ENV = "SOUNDSTREAM_API_KEY"
"""Environment variable read when no `api_key` is given."""

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
"""30 s to answer (the heaviest analytics take a few seconds on a cold cache), 5 s to connect."""

DEFAULT_MAX_RETRIES = 2
"""Retries after the first try, for idempotent requests only (GET, PUT, DELETE)."""

INITIAL_RETRY_DELAY = 0.5
"""Seconds before the first retry; doubled at each further retry."""

MAX_RETRY_DELAY = 8.0
"""Longest computed backoff between two tries, in seconds."""

MAX_RETRY_AFTER = 60.0
"""Longest `Retry-After` the client waits for by itself; beyond it, the error is raised."""

MAX_RATE_LIMIT_WAIT = 60.0
"""Longest wait for a rate limit's window to reset (`RateLimit-Reset`) the client takes by
itself on a 429 without `Retry-After`; beyond it, the error is raised."""

START_SERVER_HINT = (
    "is the server running? Start one with ./scripts/run from a clone of SoundStream, or "
    "`soundstream serve`; point the SDK at it with SOUNDSTREAM_API_URL or base_url="
)
"""What a connection error adds to the address it could not reach."""

MAX_PAGE_SIZE = 500
"""Largest `limit` the API accepts on paginated lists (the iterators' page size)."""
