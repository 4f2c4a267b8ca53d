"""The HTTP layer under both clients: configuration (environment fallbacks), building requests,
retries with exponential backoff, and turning error answers into exceptions.

Retry policy, in one place: a request is retried only when it is idempotent (GET, PUT,
DELETE; never POST or PATCH, which could apply twice) and it failed in a way that may pass:
no HTTP answer (connection error or timeout), 429, or a 5xx. The wait is the server's
`Retry-After` when it gives one (up to `MAX_RETRY_AFTER`; a longer one is raised to the caller
as `RateLimitError.retry_after`); on a 429 without it, the time until the rate limit's window
resets (`RateLimit-Reset`, up to `MAX_RATE_LIMIT_WAIT`); otherwise `INITIAL_RETRY_DELAY * 2**n`,
capped at `MAX_RETRY_DELAY`, less up to 25% of random jitter so that clients do not retry in
lockstep.

Every answer's `RateLimit-*` headers are kept as `rate_limit` (see `_rate_limit`). Bulk
downloads (`client.exports`) use `_stream`, which retries the same way until the answer's
status is known and then hands over the open response, its body not yet read.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import random
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import httpx

from ._constants import (
    API_KEY_ENV,
    BASE_URL_ENV,
    BASE_URL_ENV_ALIAS,
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT,
    INITIAL_RETRY_DELAY,
    MAX_RATE_LIMIT_WAIT,
    MAX_RETRY_AFTER,
    MAX_RETRY_DELAY,
    START_SERVER_HINT,
)
from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    make_status_error,
    parse_retry_after,
)
from ._rate_limit import RateLimit, parse_rate_limit
from ._types import NotGiven
from ._version import __version__

__all__ = ["AsyncAPIClient", "RequestOptions", "SyncAPIClient"]

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
"""Methods that give the same result when repeated, hence safe to retry."""

HttpClientT = TypeVar("HttpClientT", httpx.Client, httpx.AsyncClient)


@dataclass(frozen=True)
class RequestOptions:
    """One API call, before it becomes an `httpx.Request`."""

    method: str
    """HTTP method, upper case."""
    path: str
    """Path under the base URL, starting with `/`."""
    params: Mapping[str, Any] | None = None
    """Query parameters; `None` values are left out, lists repeat the key."""
    json: Any = None
    """JSON body (for POST, PUT, PATCH)."""
    ok_statuses: frozenset[int] = field(default_factory=frozenset)
    """Error statuses that are answers here, returned rather than raised or retried
    (readiness answers 503 with a `Readiness` body)."""
    headers: Mapping[str, str] | None = None
    """Headers of this call only, over the client's (an export's `Accept`)."""


def _query_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_query_value(v) for v in value]
    return value


def _clean_params(params: Mapping[str, Any] | None) -> dict[str, Any]:
    return {
        key: _query_value(value)
        for key, value in (params or {}).items()
        if value is not None and not isinstance(value, NotGiven)
    }


class BaseAPIClient(Generic[HttpClientT]):
    """What the sync and async clients share: settings, request building, retry decisions."""

    base_url: str
    """Root URL of the API, without a trailing slash (e.g. `http://127.0.0.1:8000`)."""

    api_key: str | None
    """The API key sent with every request (writes need one); `None` sends none."""

    max_retries: int
    """Retries after the first try, for idempotent requests."""

    timeout: float | httpx.Timeout | None
    """Timeout of each try, in seconds or as an `httpx.Timeout`."""

    rate_limit: RateLimit | None
    """The request budget announced by the last answer that carried `RateLimit-*` headers
    (limit, remaining, seconds to reset); `None` until one did."""

    _client: HttpClientT
    _owns_client: bool

    def __init__(
        self,
        *,
        base_url: str | httpx.URL | None,
        api_key: str | None,
        timeout: float | httpx.Timeout | NotGiven | None,
        max_retries: int,
        http_client: HttpClientT | None,
        default_client: type[HttpClientT],
        default_headers: Mapping[str, str] | None,
    ) -> None:
        if base_url is None:
            base_url = (
                os.environ.get(BASE_URL_ENV, "").strip()
                or os.environ.get(BASE_URL_ENV_ALIAS, "").strip()
                or DEFAULT_BASE_URL
            )
        if api_key is None:
            api_key = os.environ.get(API_KEY_ENV) or None
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        self.base_url = str(base_url).rstrip("/")
        self.api_key = api_key
        self.max_retries = max_retries
        self.rate_limit = None
        self._default_headers = dict(default_headers or {})
        if http_client is not None:
            # A client passed in is the caller's to configure and to close; its own timeout
            # stands unless one is given here.
            self._client = http_client
            self._owns_client = False
            self.timeout = http_client.timeout if isinstance(timeout, NotGiven) else timeout
        else:
            self.timeout = DEFAULT_TIMEOUT if isinstance(timeout, NotGiven) else timeout
            self._client = default_client(timeout=self.timeout, follow_redirects=True)
            self._owns_client = True

    def _headers(self) -> dict[str, str]:
        headers = {
            "Accept": "application/json",
            "User-Agent": f"soundstream-sdk-python/{__version__}",
        }
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        headers.update(self._default_headers)
        return headers

    def _build_request(self, options: RequestOptions) -> httpx.Request:
        headers = self._headers()
        headers.update(options.headers or {})
        return self._client.build_request(
            options.method,
            self.base_url + options.path,
            params=_clean_params(options.params),
            json=options.json,
            headers=headers,
            timeout=self.timeout,
        )

    def _observe(self, response: httpx.Response) -> None:
        """Keep the rate limits an answer announces."""
        limits = parse_rate_limit(response.headers)
        if limits is not None:
            self.rate_limit = limits

    def _connection_error(
        self, request: httpx.Request, error: httpx.TransportError
    ) -> APIConnectionError:
        """The error for a request that got no answer, naming the address and how to start a
        server when nothing accepted the connection."""
        if isinstance(error, httpx.ConnectTimeout):
            return APITimeoutError(
                request=request,
                message=(
                    f"could not connect to the SoundStream API at {self.base_url} within the "
                    f"timeout: {START_SERVER_HINT}"
                ),
            )
        if isinstance(error, httpx.TimeoutException):
            return APITimeoutError(request=request)
        return APIConnectionError(request=request, base_url=self.base_url, cause=error)

    def _max_retries_for(self, options: RequestOptions) -> int:
        return self.max_retries if options.method.upper() in IDEMPOTENT_METHODS else 0

    @staticmethod
    def _is_retryable_status(status_code: int) -> bool:
        return status_code == 429 or status_code >= 500

    @staticmethod
    def _retry_delay(
        retries_taken: int, headers: httpx.Headers | None, status_code: int | None = None
    ) -> float | None:
        """Seconds to wait before the next try, or `None` when the server asks for more than
        `MAX_RETRY_AFTER` (then the error goes to the caller, who knows whether to wait)."""
        if headers is not None:
            retry_after = parse_retry_after(headers)
            if retry_after is not None:
                return retry_after if retry_after <= MAX_RETRY_AFTER else None
            limits = parse_rate_limit(headers) if status_code == 429 else None
            if limits is not None and limits.reset > 0:
                return limits.reset if limits.reset <= MAX_RATE_LIMIT_WAIT else None
        delay = min(INITIAL_RETRY_DELAY * 2.0**retries_taken, MAX_RETRY_DELAY)
        return delay * (1.0 - 0.25 * random.random())

    @staticmethod
    def _decode(response: httpx.Response) -> Any:
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError as e:
            raise APIResponseValidationError(body=response.text, error=e) from e

    def _status_error(self, response: httpx.Response) -> APIStatusError:
        return make_status_error(response)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"


class SyncAPIClient(BaseAPIClient[httpx.Client]):
    """The blocking HTTP layer, over `httpx.Client`."""

    def _sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def _send(self, options: RequestOptions, *, stream: bool = False) -> httpx.Response:
        """Send one API call, retrying as the module docstring says; the successful answer
        (its body unread when `stream`: the caller must close it)."""
        max_retries = self._max_retries_for(options)
        retries_taken = 0
        while True:
            request = self._build_request(options)
            try:
                response = self._client.send(request, stream=stream)
            except httpx.TransportError as e:
                if retries_taken < max_retries:
                    self._sleep(self._retry_delay(retries_taken, None) or 0.0)
                    retries_taken += 1
                    continue
                raise self._connection_error(request, e) from e

            self._observe(response)
            if response.is_success or response.status_code in options.ok_statuses:
                return response
            if retries_taken < max_retries and self._is_retryable_status(response.status_code):
                delay = self._retry_delay(retries_taken, response.headers, response.status_code)
                if delay is not None:
                    response.close()
                    self._sleep(delay)
                    retries_taken += 1
                    continue
            try:
                response.read()
            finally:
                response.close()
            raise self._status_error(response)

    def _request(self, options: RequestOptions) -> Any:
        """Send one API call, retrying as the module docstring says; the decoded JSON body."""
        return self._decode(self._send(options))

    @contextlib.contextmanager
    def _stream(self, options: RequestOptions) -> Iterator[httpx.Response]:
        """The successful answer to `options`, its body to be read in chunks; closed on exit."""
        response = self._send(options, stream=True)
        try:
            yield response
        finally:
            response.close()

    def close(self) -> None:
        """Close the connections (not those of an `http_client` passed in: that one is yours)."""
        if self._owns_client:
            self._client.close()


class AsyncAPIClient(BaseAPIClient[httpx.AsyncClient]):
    """The asyncio HTTP layer, over `httpx.AsyncClient`."""

    async def _sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    # The retry loop of `SyncAPIClient._send` again, with `await` at each I/O (a deliberate
    # twin): sharing it would need a sans-I/O state machine for a 30-line loop. Both are run
    # by the same unit tests (tests/unit/test_retries.py).
    async def _send(self, options: RequestOptions, *, stream: bool = False) -> httpx.Response:
        """The asyncio twin of `SyncAPIClient._send`."""
        max_retries = self._max_retries_for(options)
        retries_taken = 0
        while True:
            request = self._build_request(options)
            try:
                response = await self._client.send(request, stream=stream)
            except httpx.TransportError as e:
                if retries_taken < max_retries:
                    await self._sleep(self._retry_delay(retries_taken, None) or 0.0)
                    retries_taken += 1
                    continue
                raise self._connection_error(request, e) from e

            self._observe(response)
            if response.is_success or response.status_code in options.ok_statuses:
                return response
            if retries_taken < max_retries and self._is_retryable_status(response.status_code):
                delay = self._retry_delay(retries_taken, response.headers, response.status_code)
                if delay is not None:
                    await response.aclose()
                    await self._sleep(delay)
                    retries_taken += 1
                    continue
            try:
                await response.aread()
            finally:
                await response.aclose()
            raise self._status_error(response)

    async def _request(self, options: RequestOptions) -> Any:
        """Send one API call, retrying as the module docstring says; the decoded JSON body."""
        return self._decode(await self._send(options))

    @contextlib.asynccontextmanager
    async def _stream(self, options: RequestOptions) -> AsyncIterator[httpx.Response]:
        """The successful answer to `options`, its body to be read in chunks; closed on exit."""
        response = await self._send(options, stream=True)
        try:
            yield response
        finally:
            await response.aclose()

    async def close(self) -> None:
        """Close the connections (not those of an `http_client` passed in: that one is yours)."""
        if self._owns_client:
            await self._client.aclose()

    async def aclose(self) -> None:
        """The same as `close()`, under httpx's name."""
        await self.close()
