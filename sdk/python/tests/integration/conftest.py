"""A real `soundstream serve` for the integration tests: one per test session, on a free port,
over a fresh SQLite file loaded with the real dataset, with a write key and a read key made
through the CLI (`soundstream.testing.serve_locally`, shared with the notebook's and the
dashboard's tests).

Where things come from:
- the binary: `$SOUNDSTREAM_BIN`, else `$CARGO_TARGET_DIR/{release,debug}/soundstream`, else
  the repository's `target/{release,debug}/soundstream`;
- the data: `$SOUNDSTREAM_DATA_DIR` (the folder of `.dat` files), else the project's copy in
  `../shared/data/hetrec2011-lastfm-2k` beside the repository.

Without them the integration tests are skipped, unless `SOUNDSTREAM_REQUIRE_INTEGRATION=1`
(set by `scripts/check`): then a missing binary or dataset fails the run instead of hiding it.

Every test runs twice, with the blocking and with the asyncio client (the `client` fixture);
`resolve(...)` and `collect(...)` let one test body await either.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import AsyncIterator, Awaitable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import NoReturn, TypeVar

import pytest

from soundstream import AsyncSoundStreamClient, SoundStreamClient
from soundstream.testing import (
    LocalServer,
    LocalServerError,
    MissingPrerequisiteError,
    find_binary,
    find_data_dir,
    serve_locally,
)

T = TypeVar("T")

Client = SoundStreamClient | AsyncSoundStreamClient

Server = LocalServer
"""The running server under test (its URL, a write key, a read key, its log)."""

REPO = Path(__file__).resolve().parents[4]
"""The repository root (sdk/python/tests/integration/conftest.py is four levels down)."""


def _missing(reason: str) -> NoReturn:
    if os.environ.get("SOUNDSTREAM_REQUIRE_INTEGRATION") == "1":
        pytest.fail(f"{reason} (SOUNDSTREAM_REQUIRE_INTEGRATION=1)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Import the dataset into a fresh SQLite file, make keys, serve it; stop it at the end."""
    try:
        binary = find_binary(REPO / "target")
        data_dir = find_data_dir(REPO.parent / "shared" / "data" / "hetrec2011-lastfm-2k")
    except MissingPrerequisiteError as e:
        _missing(str(e))
    with ExitStack() as stack:
        try:
            server = stack.enter_context(
                serve_locally(binary, data_dir, workdir=tmp_path_factory.mktemp("soundstream"))
            )
        except LocalServerError as e:
            pytest.fail(str(e), pytrace=False)
        yield server


@pytest.fixture(scope="session")
def sync_client(server: Server) -> Iterator[SoundStreamClient]:
    with SoundStreamClient(server.base_url, api_key=server.write_key, timeout=120.0) as client:
        yield client


@pytest.fixture(params=["sync", "async"])
async def client(request: pytest.FixtureRequest, server: Server) -> AsyncIterator[Client]:
    """The blocking client, then the asyncio one: each test runs with both."""
    if request.param == "sync":
        yield request.getfixturevalue("sync_client")
        return
    async with AsyncSoundStreamClient(
        server.base_url, api_key=server.write_key, timeout=120.0
    ) as async_client:
        yield async_client


@pytest.fixture
def new_id(client: Client) -> int:
    """A first id for what a test creates: >= 5,000,000, apart for the two clients so that
    their runs never collide (each test adds small offsets to it)."""
    return 5_000_000 if isinstance(client, SoundStreamClient) else 5_500_000


async def resolve(value: Awaitable[T] | T) -> T:
    """The value of a sync call, or the awaited value of an async one."""
    if inspect.isawaitable(value):
        return await value
    return value


async def collect(items: Iterator[T] | AsyncIterator[T]) -> list[T]:
    """Every item of a sync or async iterator."""
    if isinstance(items, AsyncIterator):
        return [item async for item in items]
    return list(items)
