"""The HTTP layer under both clients: configuration (environment fallbacks), building requests,
retries with exponential backoff, and turning error answers into exceptions.

Retry policy, in one place: a request is retried only when it is idempotent (GET, PUT,
DELETE; never POST or PATCH, which could apply twice) and it failed in a way that may pass:
no HTTP answer (connection error or timeout), 429, or a 5xx. The wait is the server's
`Retry-After` when it gives one (up to `MAX_RETRY_AFTER`; a longer one is raised to the caller
as `RateLimitError.retry_after`), otherwise `INITIAL_RETRY_DELAY * 2**n`, capped at
`MAX_RETRY_DELAY`, less up to 25% of random jitter so that clients do not retry in lockstep.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import httpx

from ._constants import (
    API_KEY_ENV,
    BASE_URL_ENV,
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT,
    INITIAL_RETRY_DELAY,
    MAX_RETRY_AFTER,
    MAX_RETRY_DELAY,
)
from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    make_status_error,
    parse_retry_after,
)
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
            base_url = os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
        if api_key is None:
            api_key = os.environ.get(API_KEY_ENV) or None
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        self.base_url = str(base_url).rstrip("/")
        self.api_key = api_key
        self.max_retries = max_retries
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
        return self._client.build_request(
            options.method,
            self.base_url + options.path,
            params=_clean_params(options.params),
            json=options.json,
            headers=self._headers(),
            timeout=self.timeout,
        )

    def _max_retries_for(self, options: RequestOptions) -> int:
        return self.max_retries if options.method.upper() in IDEMPOTENT_METHODS else 0

    @staticmethod
    def _is_retryable_status(status_code: int) -> bool:
        return status_code == 429 or status_code >= 500

    @staticmethod
    def _retry_delay(retries_taken: int, headers: httpx.Headers | None) -> float | None:
        """Seconds to wait before the next try, or `None` when the server asks for more than
        `MAX_RETRY_AFTER` (then the error goes to the caller, who knows whether to wait)."""
        if headers is not None:
            retry_after = parse_retry_after(headers)
            if retry_after is not None:
                return retry_after if retry_after <= MAX_RETRY_AFTER else None
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

    def _request(self, options: RequestOptions) -> Any:
        """Send one API call, retrying as the module docstring says; the decoded JSON body."""
        max_retries = self._max_retries_for(options)
        retries_taken = 0
        while True:
            request = self._build_request(options)
            try:
                response = self._client.send(request)
            except httpx.TimeoutException as e:
                if retries_taken < max_retries:
                    self._sleep(self._retry_delay(retries_taken, None) or 0.0)
                    retries_taken += 1
                    continue
                raise APITimeoutError(request=request) from e
            except httpx.TransportError as e:
                if retries_taken < max_retries:
                    self._sleep(self._retry_delay(retries_taken, None) or 0.0)
                    retries_taken += 1
                    continue
                raise APIConnectionError(request=request) from e

            if response.is_success or response.status_code in options.ok_statuses:
                return self._decode(response)
            if retries_taken < max_retries and self._is_retryable_status(response.status_code):
                delay = self._retry_delay(retries_taken, response.headers)
                if delay is not None:
                    response.close()
                    self._sleep(delay)
                    retries_taken += 1
                    continue
            raise self._status_error(response)

    def close(self) -> None:
        """Close the connections (not those of an `http_client` passed in: that one is yours)."""
        if self._owns_client:
            self._client.close()


class AsyncAPIClient(BaseAPIClient[httpx.AsyncClient]):
    """The asyncio HTTP layer, over `httpx.AsyncClient`."""

    async def _sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    async def _request(self, options: RequestOptions) -> Any:
        """Send one API call, retrying as the module docstring says; the decoded JSON body."""
        max_retries = self._max_retries_for(options)
        retries_taken = 0
        while True:
            request = self._build_request(options)
            try:
                response = await self._client.send(request)
            except httpx.TimeoutException as e:
                if retries_taken < max_retries:
                    await self._sleep(self._retry_delay(retries_taken, None) or 0.0)
                    retries_taken += 1
                    continue
                raise APITimeoutError(request=request) from e
            except httpx.TransportError as e:
                if retries_taken < max_retries:
                    await self._sleep(self._retry_delay(retries_taken, None) or 0.0)
                    retries_taken += 1
                    continue
                raise APIConnectionError(request=request) from e

            if response.is_success or response.status_code in options.ok_statuses:
                return self._decode(response)
            if retries_taken < max_retries and self._is_retryable_status(response.status_code):
                delay = self._retry_delay(retries_taken, response.headers)
                if delay is not None:
                    await response.aclose()
                    await self._sleep(delay)
                    retries_taken += 1
                    continue
            raise self._status_error(response)

    async def close(self) -> None:
        """Close the connections (not those of an `http_client` passed in: that one is yours)."""
        if self._owns_client:
            await self._client.aclose()

    async def aclose(self) -> None:
        """The same as `close()`, under httpx's name."""
        await self.close()
