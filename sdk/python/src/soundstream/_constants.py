"""Defaults of the client: where the API is, how long to wait, how often to retry."""

from __future__ import annotations

import httpx

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
"""Where `soundstream serve` listens unless told otherwise."""

BASE_URL_ENV = "SOUNDSTREAM_BASE_URL"
"""Environment variable read when no `base_url` is given."""

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

MAX_PAGE_SIZE = 500
"""Largest `limit` the API accepts on paginated lists (the iterators' page size)."""
