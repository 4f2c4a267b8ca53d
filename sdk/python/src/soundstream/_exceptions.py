"""Every error the SDK raises, as one tree rooted at `SoundStreamError`.

```
SoundStreamError                    anything raised by this SDK
├── APIConnectionError              the request got no HTTP answer (DNS, refused, reset...)
│   └── APITimeoutError             ... because a timeout ran out
├── APIStatusError                  the API answered with a 4xx or 5xx status
│   ├── BadRequestError             400
│   ├── AuthenticationError         401 unauthorized: no API key, or an unknown or revoked one
│   ├── PermissionDeniedError       403 forbidden: the key is read-only
│   ├── NotFoundError               404 not_found
│   ├── ConflictError               409 conflict: the thing exists already
│   ├── ValidationError             422 validation_failed, with `.fields` (one per bad input)
│   ├── RateLimitError              429 rate_limited, with `.retry_after` in seconds
│   └── ServerError                 5xx
└── APIResponseValidationError      a 2xx body that does not match the SDK's model
```

Other statuses (413 payload_too_large, 415 unsupported_media_type...) raise `APIStatusError`
itself. Every `APIStatusError` carries the API's error body as typed fields: `status_code`,
`code`, `message` and `fields`, plus the `httpx.Response`.

`ValidationError` is the API's 422 and shares its name with `pydantic.ValidationError`; import
it as `soundstream.ValidationError` (or catch `APIStatusError`) where both are in scope.
"""

from __future__ import annotations

import email.utils
import time
from typing import Any

import httpx

from ._constants import START_SERVER_HINT
from ._rate_limit import RateLimit, parse_rate_limit
from .types.errors import FieldError

__all__ = [
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "SoundStreamError",
    "ValidationError",
]


class SoundStreamError(Exception):
    """Base class of every error raised by the SDK."""

    message: str
    """What went wrong, in words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class APIConnectionError(SoundStreamError):
    """The request got no HTTP answer: the server is down, unreachable, or hung up.

    The message names the address tried and says how to start a server."""

    request: httpx.Request
    """The request that failed."""

    def __init__(
        self,
        *,
        request: httpx.Request,
        message: str | None = None,
        base_url: str | None = None,
        cause: BaseException | None = None,
    ) -> None:
        if message is None:
            where = base_url or str(request.url.copy_with(query=None))
            why = f" ({cause})" if cause is not None and str(cause) else ""
            message = f"could not reach the SoundStream API at {where}{why}: {START_SERVER_HINT}"
        super().__init__(message)
        self.request = request


class APITimeoutError(APIConnectionError):
    """The server did not answer (or accept the connection) within the timeout."""

    def __init__(self, *, request: httpx.Request, message: str | None = None) -> None:
        super().__init__(request=request, message=message or f"request to {request.url} timed out")


class APIStatusError(SoundStreamError):
    """The API answered with an error status (4xx or 5xx).

    Its body always has the shape
    `{"error": {"status", "code", "message", "fields": [{"field", "location", "reason"}]}}`;
    its parts are the attributes below.
    """

    response: httpx.Response
    """The HTTP response."""

    request: httpx.Request
    """The request that got it."""

    status_code: int
    """The HTTP status."""

    code: str
    """The API's stable machine-readable code: `not_found`, `validation_failed`, `conflict`,
    `unauthorized`, `forbidden`, `payload_too_large`, `unsupported_media_type`, `rate_limited`,
    `internal`... (`unknown` when the body is not the API's error shape)."""

    fields: list[FieldError]
    """Every invalid input field and why (for `validation_failed`); empty otherwise."""

    body: Any
    """The decoded JSON body, or the text when it is not JSON."""

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: Any,
        code: str,
        fields: list[FieldError] | None = None,
    ) -> None:
        super().__init__(message)
        self.response = response
        self.request = response.request
        self.status_code = response.status_code
        self.body = body
        self.code = code
        self.fields = list(fields or [])

    def __str__(self) -> str:
        text = f"{self.status_code} {self.code}: {self.message}"
        # The API's message usually names the fields already; list the ones it does not.
        unnamed = [f for f in self.fields if f.field not in self.message]
        if unnamed:
            text += " (" + "; ".join(f"{f.field}: {f.reason}" for f in unnamed) + ")"
        return text


class BadRequestError(APIStatusError):
    """400: the request is malformed."""


class AuthenticationError(APIStatusError):
    """401: a write without an API key, or with an unknown or revoked one."""


class PermissionDeniedError(APIStatusError):
    """403: the API key is read-only (writes need a `write` key)."""


class NotFoundError(APIStatusError):
    """404: no such artist, user, tag, listen, tag assignment or friendship."""


class ConflictError(APIStatusError):
    """409: the thing to create exists already (an id, a friendship, a tag text...)."""


class ValidationError(APIStatusError):
    """422: the API rejected some inputs; `fields` says which and why."""


class RateLimitError(APIStatusError):
    """429: too many requests; wait `retry_after` seconds (when the server says) and retry."""

    retry_after: float | None
    """Seconds to wait: `Retry-After`, else the time until the window resets
    (`RateLimit-Reset`); `None` when the server said neither."""

    rate_limit: RateLimit | None
    """The limits the answer announced (`RateLimit-*` headers), if any."""

    # The parameters of `APIStatusError.__init__` again (a deliberate repetition): an
    # explicit signature keeps the constructor typed for callers and mypy.
    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: Any,
        code: str,
        fields: list[FieldError] | None = None,
    ) -> None:
        super().__init__(message, response=response, body=body, code=code, fields=fields)
        self.rate_limit = parse_rate_limit(response.headers)
        self.retry_after = parse_retry_after(response.headers)
        if self.retry_after is None and self.rate_limit is not None:
            self.retry_after = self.rate_limit.reset


class ServerError(APIStatusError):
    """5xx: the server failed; the cause is in its log, not in the answer."""


class APIResponseValidationError(SoundStreamError):
    """A successful answer whose body does not match the SDK's model (an SDK/API mismatch)."""

    body: Any
    """The decoded JSON body that did not validate."""

    def __init__(self, *, body: Any, error: Exception) -> None:
        super().__init__(f"the API's answer does not match the SDK's model: {error}")
        self.body = body


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: ValidationError,
    429: RateLimitError,
}


def make_status_error(response: httpx.Response) -> APIStatusError:
    """The exception for an error response: its class from the status, its fields from the body."""
    try:
        body: Any = response.json()
    except ValueError:
        body = response.text
    code = "unknown"
    message = response.reason_phrase or f"HTTP {response.status_code}"
    fields: list[FieldError] = []
    detail = body.get("error") if isinstance(body, dict) else None
    if isinstance(detail, dict):
        code = str(detail.get("code", code))
        message = str(detail.get("message", message))
        raw_fields = detail.get("fields")
        if isinstance(raw_fields, list):
            fields = [
                FieldError.model_validate(f)
                for f in raw_fields
                if isinstance(f, dict) and {"field", "location", "reason"} <= f.keys()
            ]
    elif isinstance(body, str) and body.strip():
        message = body.strip()[:500]
    cls = _STATUS_ERRORS.get(response.status_code)
    if cls is None:
        cls = ServerError if response.status_code >= 500 else APIStatusError
    return cls(message, response=response, body=body, code=code, fields=fields)


def parse_retry_after(headers: httpx.Headers) -> float | None:
    """Seconds to wait from `Retry-After` (delta-seconds or an HTTP date) or `Retry-After-Ms`."""
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return max(float(millis) / 1000.0, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)
