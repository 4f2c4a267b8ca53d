"""What every resource namespace shares: a handle on its client and one helper per HTTP method."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._base_client import AsyncAPIClient, RequestOptions, SyncAPIClient

__all__ = ["AsyncAPIResource", "SyncAPIResource"]


class SyncAPIResource:
    """Base of the blocking resource namespaces (`client.artists`, `client.users`...)."""

    _client: SyncAPIClient

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client

    def _get(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        ok_statuses: frozenset[int] = frozenset(),
    ) -> Any:
        return self._client._request(RequestOptions("GET", path, params, ok_statuses=ok_statuses))

    def _post(self, path: str, body: Any) -> Any:
        return self._client._request(RequestOptions("POST", path, json=body))

    def _put(self, path: str, body: Any) -> Any:
        return self._client._request(RequestOptions("PUT", path, json=body))

    def _patch(self, path: str, body: Any) -> Any:
        return self._client._request(RequestOptions("PATCH", path, json=body))

    def _delete(self, path: str) -> None:
        self._client._request(RequestOptions("DELETE", path))


class AsyncAPIResource:
    """Base of the asyncio resource namespaces (`client.artists`, `client.users`...)."""

    _client: AsyncAPIClient

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client

    async def _get(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        ok_statuses: frozenset[int] = frozenset(),
    ) -> Any:
        return await self._client._request(
            RequestOptions("GET", path, params, ok_statuses=ok_statuses)
        )

    async def _post(self, path: str, body: Any) -> Any:
        return await self._client._request(RequestOptions("POST", path, json=body))

    async def _put(self, path: str, body: Any) -> Any:
        return await self._client._request(RequestOptions("PUT", path, json=body))

    async def _patch(self, path: str, body: Any) -> Any:
        return await self._client._request(RequestOptions("PATCH", path, json=body))

    async def _delete(self, path: str) -> None:
        await self._client._request(RequestOptions("DELETE", path))
