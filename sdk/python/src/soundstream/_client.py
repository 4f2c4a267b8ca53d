"""The two entry points: `SoundStreamClient` (blocking) and `AsyncSoundStreamClient` (asyncio),
with the same resource namespaces and methods."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from ._base_client import AsyncAPIClient, RequestOptions, SyncAPIClient
from ._closing import AsyncClosing, Closing
from ._constants import DEFAULT_MAX_RETRIES
from ._output import validate
from ._types import NOT_GIVEN, NotGiven
from .resources.analytics import Analytics, AsyncAnalytics
from .resources.artists import Artists, AsyncArtists
from .resources.exports import AsyncExports, Exports
from .resources.friendships import AsyncFriendships, Friendships
from .resources.listens import AsyncListens, Listens
from .resources.recommendations import AsyncRecommendations, Recommendations
from .resources.search import AsyncSearch, Search
from .resources.tag_assignments import AsyncTagAssignments, TagAssignments
from .resources.tags import AsyncTags, Tags
from .resources.users import AsyncUsers, Users
from .types.health import Liveness, Readiness

__all__ = ["AsyncSoundStreamClient", "SoundStreamClient"]

# Readiness answers 503 with a `Readiness` body while the server is starting: an answer to
# return, not an error to raise or retry.
_READINESS = RequestOptions("GET", "/health/ready", ok_statuses=frozenset({503}))


class SoundStreamClient(SyncAPIClient, Closing):
    """A blocking client of the SoundStream API.

    ```python
    from soundstream import SoundStreamClient

    with SoundStreamClient() as client:  # SOUNDSTREAM_API_URL, or http://127.0.0.1:8000
        metallica = client.artists.get(707)
        df = client.analytics.top_artists(limit=20, output_format="pandas")
        listens = client.exports.to_pandas("listens")  # the whole table
    ```
    """

    artists: Artists
    """The artist catalogue: `/v1/artists`."""
    users: Users
    """Users and what they listen to: `/v1/users`."""
    tags: Tags
    """Tags: `/v1/tags`."""
    listens: Listens
    """A user's play count for an artist: `/v1/users/{id}/artists/{artist_id}`."""
    tag_assignments: TagAssignments
    """Who tagged which artist with what, when: `/v1/tag-assignments`."""
    friendships: Friendships
    """The social graph's edges: `/v1/friendships`."""
    search: Search
    """Granular artist search: `/v1/search/artists`."""
    analytics: Analytics
    """Aggregates over the whole dataset: `/v1/analytics/*`."""
    recommendations: Recommendations
    """Artists recommended to a user: `/v1/users/{id}/recommendations`."""
    exports: Exports
    """Whole tables as files, Arrow tables or DataFrames: `/v1/exports/{table}`."""

    def __init__(
        self,
        base_url: str | httpx.URL | None = None,
        *,
        api_key: str | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.Client | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        """Create a client.

        Args:
            base_url: Root URL of the API; defaults to `$SOUNDSTREAM_API_URL` (the variable
                the notebook and the dashboard read too), then to `$SOUNDSTREAM_BASE_URL` (its
                former name), then to `http://127.0.0.1:8000`. A path prefix (behind a proxy)
                is kept.
            api_key: Key sent as `Authorization: Bearer ...`; writes need a `write` key.
                Defaults to `$SOUNDSTREAM_API_KEY`; reads work without one.
            timeout: Seconds (or an `httpx.Timeout`) for each try; `None` waits forever.
                Defaults to 30 s (5 s to connect), or to `http_client`'s own timeout.
            max_retries: Retries of idempotent calls (GET, PUT, DELETE) after a connection
                error, a 429 or a 5xx, with exponential backoff; 0 turns retries off.
            http_client: An `httpx.Client` to send requests with (proxies, transports,
                event hooks...). It stays yours: `close()` leaves it open.
            default_headers: Extra headers sent with every request.
        """
        super().__init__(
            base_url=base_url,
            api_key=api_key,
            timeout=timeout,
            max_retries=max_retries,
            http_client=http_client,
            default_client=httpx.Client,
            default_headers=default_headers,
        )
        self.artists = Artists(self)
        self.users = Users(self)
        self.tags = Tags(self)
        self.listens = Listens(self)
        self.tag_assignments = TagAssignments(self)
        self.friendships = Friendships(self)
        self.search = Search(self)
        self.analytics = Analytics(self)
        self.recommendations = Recommendations(self)
        self.exports = Exports(self)

    def health(self) -> Liveness:
        """Liveness: the server process answers (`GET /health/live`)."""
        return validate(Liveness, self._request(RequestOptions("GET", "/health/live")))

    def readiness(self) -> Readiness:
        """Readiness: the database answers and holds the dataset (`GET /health/ready`).

        A server that is not ready answers 503; that answer is returned (with `status ==
        "not_ready"` and a `reason`), not raised.
        """
        return validate(Readiness, self._request(_READINESS))


class AsyncSoundStreamClient(AsyncAPIClient, AsyncClosing):
    """An asyncio client of the SoundStream API, the twin of `SoundStreamClient`.

    ```python
    from soundstream import AsyncSoundStreamClient

    async with AsyncSoundStreamClient() as client:
        metallica = await client.artists.get(707)
        async for artist in client.artists.iter(sort="plays"):
            ...
    ```
    """

    # The resources of `SoundStreamClient` again, as their asyncio twins (a deliberate
    # repetition): each attribute is declared with its own type for editors and mypy.
    artists: AsyncArtists
    """The artist catalogue: `/v1/artists`."""
    users: AsyncUsers
    """Users and what they listen to: `/v1/users`."""
    tags: AsyncTags
    """Tags: `/v1/tags`."""
    listens: AsyncListens
    """A user's play count for an artist: `/v1/users/{id}/artists/{artist_id}`."""
    tag_assignments: AsyncTagAssignments
    """Who tagged which artist with what, when: `/v1/tag-assignments`."""
    friendships: AsyncFriendships
    """The social graph's edges: `/v1/friendships`."""
    search: AsyncSearch
    """Granular artist search: `/v1/search/artists`."""
    analytics: AsyncAnalytics
    """Aggregates over the whole dataset: `/v1/analytics/*`."""
    recommendations: AsyncRecommendations
    """Artists recommended to a user: `/v1/users/{id}/recommendations`."""
    exports: AsyncExports
    """Whole tables as files, Arrow tables or DataFrames: `/v1/exports/{table}`."""

    # The arguments of `SoundStreamClient.__init__` again (a deliberate repetition): spelled
    # out so that editors show them, with an `httpx.AsyncClient` as `http_client`.
    def __init__(
        self,
        base_url: str | httpx.URL | None = None,
        *,
        api_key: str | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        """Create a client; the arguments are those of `SoundStreamClient`, with an
        `httpx.AsyncClient` as `http_client`."""
        super().__init__(
            base_url=base_url,
            api_key=api_key,
            timeout=timeout,
            max_retries=max_retries,
            http_client=http_client,
            default_client=httpx.AsyncClient,
            default_headers=default_headers,
        )
        self.artists = AsyncArtists(self)
        self.users = AsyncUsers(self)
        self.tags = AsyncTags(self)
        self.listens = AsyncListens(self)
        self.tag_assignments = AsyncTagAssignments(self)
        self.friendships = AsyncFriendships(self)
        self.search = AsyncSearch(self)
        self.analytics = AsyncAnalytics(self)
        self.recommendations = AsyncRecommendations(self)
        self.exports = AsyncExports(self)

    async def health(self) -> Liveness:
        """Liveness: the server process answers (`GET /health/live`)."""
        return validate(Liveness, await self._request(RequestOptions("GET", "/health/live")))

    async def readiness(self) -> Readiness:
        """Readiness: the database answers and holds the dataset (`GET /health/ready`); a 503
        answer is returned, not raised."""
        return validate(Readiness, await self._request(_READINESS))
