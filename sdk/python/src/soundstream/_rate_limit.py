"""The server's rate-limit headers, read from every answer: `RateLimit-Limit`,
`RateLimit-Remaining` and `RateLimit-Reset` (the IETF draft's names, as GitHub and others send
them), or their `X-RateLimit-*` forms.

`RateLimit-Reset` is read as seconds until the window resets (the draft's delta-seconds); a
value above `EPOCH_THRESHOLD` is taken as a Unix time instead, as GitHub's `X-RateLimit-Reset`
is. The client keeps the last limits it saw (`client.rate_limit`) and, on a 429 without
`Retry-After`, waits until `reset` before retrying.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

import httpx

__all__ = ["RateLimit", "parse_rate_limit"]

EPOCH_THRESHOLD = 1_000_000_000.0
"""A reset above this many seconds (31 years) is a Unix time, not a delay."""


@dataclass(frozen=True)
class RateLimit:
    """The request budget the server announced in an answer's headers."""

    limit: int
    """Requests allowed in the current window (`RateLimit-Limit`)."""

    remaining: int
    """Requests left in the current window (`RateLimit-Remaining`)."""

    reset: float
    """Seconds from `observed_at` until the window resets (`RateLimit-Reset`)."""

    observed_at: dt.datetime
    """When the answer that carried these headers arrived (UTC)."""

    @property
    def resets_at(self) -> dt.datetime:
        """When the window resets (UTC)."""
        return self.observed_at + dt.timedelta(seconds=self.reset)

    def seconds_until_reset(self) -> float:
        """Seconds from now until the window resets; 0 once it has."""
        now = dt.datetime.now(dt.timezone.utc)
        return max((self.resets_at - now).total_seconds(), 0.0)


def _number(headers: httpx.Headers, name: str) -> float | None:
    for key in (name, f"x-{name}"):
        value = headers.get(key)
        if value is None:
            continue
        # A list form (`100, 100;w=60`) gives the first value, the one in force.
        head = value.split(",", 1)[0].split(";", 1)[0].strip()
        try:
            return float(head)
        except ValueError:
            return None
    return None


def parse_rate_limit(headers: httpx.Headers) -> RateLimit | None:
    """The limits in an answer's headers, or `None` when it carries none (or a malformed one)."""
    limit = _number(headers, "ratelimit-limit")
    remaining = _number(headers, "ratelimit-remaining")
    reset = _number(headers, "ratelimit-reset")
    if limit is None or remaining is None:
        return None
    now = dt.datetime.now(dt.timezone.utc)
    seconds = 0.0
    if reset is not None:
        seconds = reset - time.time() if reset > EPOCH_THRESHOLD else reset
    return RateLimit(
        limit=int(limit),
        remaining=max(int(remaining), 0),
        reset=max(seconds, 0.0),
        observed_at=now,
    )
