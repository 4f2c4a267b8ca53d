"""A scriptable fake of the API for unit tests: an `httpx.MockTransport` that answers from a
queue of responses (or a handler) and records every request it gets."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

from soundstream import AsyncSoundStreamClient, SoundStreamClient

BASE_URL = "http://soundstream.test"

Answer = httpx.Response | Exception


def error_body(
    status: int, code: str, message: str, fields: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    """The API's error shape."""
    return {"error": {"status": status, "code": code, "message": message, "fields": fields or []}}


def page(
    items: list[dict[str, Any]], *, total: int | None = None, skip: int = 0, limit: int = 50
) -> dict[str, Any]:
    """A `{"items", "total", "skip", "limit"}` body."""
    return {
        "items": items,
        "total": len(items) if total is None else total,
        "skip": skip,
        "limit": limit,
    }


def artist(artist_id: int, **extra: Any) -> dict[str, Any]:
    """An `ArtistSummary` body."""
    return {
        "id": artist_id,
        "name": f"Artist {artist_id}",
        "url": None,
        "picture_url": None,
        "listeners": 1,
        "plays": 10,
        **extra,
    }


class MockAPI:
    """Answers requests in order from `answers`, or with `handler` once they run out."""

    def __init__(
        self, *answers: Answer, handler: Callable[[httpx.Request], Answer] | None = None
    ) -> None:
        self.answers = list(answers)
        self.handler = handler
        self.requests: list[httpx.Request] = []
        self.sleeps: list[float] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.answers:
            answer = self.answers.pop(0)
        elif self.handler is not None:
            answer = self.handler(request)
        else:
            raise AssertionError(f"unexpected request {request.method} {request.url}")
        if isinstance(answer, Exception):
            raise answer
        return answer

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]

    def body(self, index: int = -1) -> Any:
        """The JSON body of a recorded request."""
        return json.loads(self.requests[index].content)

    def client(self, **kwargs: Any) -> SoundStreamClient:
        """A client over this fake whose retry waits are recorded, not slept."""
        kwargs.setdefault("api_key", "ss_test")
        http = httpx.Client(transport=httpx.MockTransport(self))
        client = SoundStreamClient(BASE_URL, http_client=http, **kwargs)
        client._sleep = self.sleeps.append  # type: ignore[method-assign,assignment]
        return client

    def async_client(self, **kwargs: Any) -> AsyncSoundStreamClient:
        """An async client over this fake whose retry waits are recorded, not slept."""
        kwargs.setdefault("api_key", "ss_test")
        http = httpx.AsyncClient(transport=httpx.MockTransport(self))
        client = AsyncSoundStreamClient(BASE_URL, http_client=http, **kwargs)

        async def record(seconds: float) -> None:
            self.sleeps.append(seconds)

        client._sleep = record  # type: ignore[method-assign]
        return client


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)
