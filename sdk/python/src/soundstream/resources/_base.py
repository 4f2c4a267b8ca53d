"""What every resource namespace holds: a handle on its client, blocking or asyncio. The methods
themselves are written once for both (see `_endpoint.py`)."""

from __future__ import annotations

from typing import Generic, TypeVar

from .._base_client import AsyncAPIClient, SyncAPIClient

__all__ = ["AsyncAPIResource", "SyncAPIResource"]

ClientT = TypeVar("ClientT", SyncAPIClient, AsyncAPIClient)


class _APIResource(Generic[ClientT]):
    def __init__(self, client: ClientT) -> None:
        self._client: ClientT = client


class SyncAPIResource(_APIResource[SyncAPIClient]):
    """Base of the blocking resource namespaces (`client.artists`, `client.users`...)."""


class AsyncAPIResource(_APIResource[AsyncAPIClient]):
    """Base of the asyncio resource namespaces (`client.artists`, `client.users`...)."""
