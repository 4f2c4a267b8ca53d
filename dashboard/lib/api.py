"""Every read the dashboard makes, through the SDK only, cached for a bounded time.

One `SoundStreamClient` per (URL, key) is kept for the process (`st.cache_resource`); each
fetch is a `st.cache_data` function whose first argument is the API's URL, so two servers
never share an entry, and whose entries expire after `TTL_SECONDS` (the API itself rebuilds
its catalogue at most a minute after a write). Failures are not cached: they propagate as the
SDK's typed exceptions, for `lib.errors` to turn into messages.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar, cast

import pandas as pd
import streamlit as st
from soundstream import SoundStreamClient
from soundstream.types import (
    ArtistDetail,
    ArtistRanking,
    DatasetSummary,
    ListeningDistribution,
    Recommendations,
    SearchSort,
    SocialGraph,
    Strategy,
    UserSummary,
)

from lib.settings import settings

TTL_SECONDS = 120
"""How long a fetched answer is reused: fresh enough for a live API, cheap on reruns."""

TIMEOUT_SECONDS = 30.0
MAX_RETRIES = 1
"""One retry (after 0.5 s) rides out a blip without making an unreachable API slow to report."""

P = ParamSpec("P")
T = TypeVar("T")


@st.cache_resource(show_spinner=False)
def _client(api_url: str, api_key: str | None) -> SoundStreamClient:
    return SoundStreamClient(
        api_url, api_key=api_key, timeout=TIMEOUT_SECONDS, max_retries=MAX_RETRIES
    )


def client() -> SoundStreamClient:
    """The SDK client for the configured API."""
    s = settings()
    return _client(s.api_url, s.api_key)


def _cached(fn: Callable[Concatenate[str, P], T]) -> Callable[P, T]:
    """Cache `fn(api_url, ...)` with the TTL and call it with the configured URL."""
    inner = cast("Callable[Concatenate[str, P], T]", st.cache_data(ttl=TTL_SECONDS)(fn))

    def call(*args: P.args, **kwargs: P.kwargs) -> T:
        return inner(settings().api_url, *args, **kwargs)

    call.__name__ = fn.__name__
    call.__doc__ = fn.__doc__
    return call


# The cached functions take the URL first so that it is part of the cache key (Streamlit
# leaves `_`-prefixed parameters out of the key: this one must not be), and reach the server
# through `client()`, which is built from the same settings.


@_cached
def summary(url: str) -> DatasetSummary:
    """Counts, totals and averages of the dataset."""
    return client().analytics.summary()


@_cached
def top_artists(url: str, by: ArtistRanking, limit: int) -> pd.DataFrame:
    """The top artists by `plays` or `listeners`."""
    return client().analytics.top_artists(by=by, limit=limit).to_pandas()


@_cached
def top_tags(url: str, limit: int) -> pd.DataFrame:
    """The most applied tags."""
    return client().analytics.top_tags(limit=limit).to_pandas()


@_cached
def tag_values(url: str, limit: int) -> list[str]:
    """The values of the `limit` most used tags, most used first (for pickers)."""
    tags = client().tags.iter(sort="usage", order="desc", page_size=min(limit, 500))
    return [t.value for t in itertools.islice(tags, limit)]


@_cached
def active_users(url: str, limit: int) -> pd.DataFrame:
    """The users with the most plays."""
    return client().analytics.active_users(by="plays", limit=limit).to_pandas()


@_cached
def user(url: str, user_id: int) -> UserSummary:
    """One user with their activity (`NotFoundError` when unknown)."""
    return client().users.get(user_id)


@_cached
def user_artists(url: str, user_id: int, limit: int) -> pd.DataFrame:
    """What a user listens to, most played first."""
    return client().users.artists(user_id, limit=limit).to_pandas()


@_cached
def user_friends(url: str, user_id: int) -> pd.DataFrame:
    """Every friend of a user (the largest circle in the data has 119)."""
    return client().users.friends(user_id, limit=500).to_pandas()


@_cached
def recommendations(url: str, user_id: int, strategy: Strategy, limit: int) -> Recommendations:
    """Artists recommended to a user under a strategy."""
    return client().recommendations.for_user(user_id, limit=limit, strategy=strategy)


@_cached
def artist(url: str, artist_id: int) -> ArtistDetail:
    """One artist with its top tags."""
    return client().artists.get(artist_id)


@_cached
def search_artists(
    url: str,
    tags_all: tuple[str, ...],
    tags_any: tuple[str, ...],
    name: str | None,
    min_listeners: int | None,
    max_listeners: int | None,
    min_plays: int | None,
    max_plays: int | None,
    sort: SearchSort,
    limit: int,
) -> pd.DataFrame:
    """One page of an artist search; the total of the whole result is in `df.attrs["total"]`."""
    return (
        client()
        .search.artists(
            tags_all=list(tags_all) or None,
            tags_any=list(tags_any) or None,
            name=name or None,
            min_listeners=min_listeners,
            max_listeners=max_listeners,
            min_plays=min_plays,
            max_plays=max_plays,
            sort=sort,
            limit=limit,
        )
        .to_pandas()
    )


# The arguments and the call of `search` again (a deliberate repetition): `st.cache_data` keys
# each function's cache on its own arguments, and the SDK's typed keywords are checked here.
@_cached
def search_all(
    url: str,
    tags_all: tuple[str, ...],
    tags_any: tuple[str, ...],
    name: str | None,
    min_listeners: int | None,
    max_listeners: int | None,
    min_plays: int | None,
    max_plays: int | None,
    sort: SearchSort,
) -> pd.DataFrame:
    """Every artist the search finds, page after page (500 a request): what the downloads
    hold, however many rows the table shows."""
    return (
        client()
        .search.iter_artists(
            tags_all=list(tags_all) or None,
            tags_any=list(tags_any) or None,
            name=name or None,
            min_listeners=min_listeners,
            max_listeners=max_listeners,
            min_plays=min_plays,
            max_plays=max_plays,
            sort=sort,
        )
        .to_pandas()
    )


@_cached
def tag_cloud(url: str, artist_id: int | None, user_id: int | None, limit: int) -> pd.DataFrame:
    """The most applied tags of everything, one artist, or one user."""
    return (
        client().analytics.tag_cloud(artist_id=artist_id, user_id=user_id, limit=limit).to_pandas()
    )


@_cached
def tag_trends(
    url: str, tags: tuple[str, ...], granularity: str, from_year: int | None, to_year: int | None
) -> pd.DataFrame:
    """Tag assignments per period for the chosen tags (all tags together when none)."""
    return (
        client()
        .analytics.tag_trends(
            tags=list(tags) or None,
            granularity="month" if granularity == "month" else "year",
            from_year=from_year,
            to_year=to_year,
        )
        .to_pandas()
    )


@_cached
def social(url: str) -> SocialGraph:
    """The friendship graph's statistics and every user's friends-vs-diversity point."""
    return client().analytics.social()


@_cached
def listening_distribution(url: str, bins_per_decade: int) -> ListeningDistribution:
    """The long tail: quantiles, histograms, Lorenz curve, Gini, head and tail."""
    return client().analytics.listening_distribution(bins_per_decade=bins_per_decade)
