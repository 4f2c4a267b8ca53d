"""A real `soundstream serve` for the dashboard's tests, one per test session: a fresh SQLite
file loaded with the real dataset, on a free port, without a rate limit
(`soundstream.testing.serve_locally`, which the SDK's and the notebook's tests use too).

The binary is `$SOUNDSTREAM_BIN`, else `$CARGO_TARGET_DIR/{release,debug}/soundstream`; the
data is `$SOUNDSTREAM_DATA_DIR`. A missing binary or dataset fails the run: these tests have
no meaning without the live API.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from soundstream import SoundStreamClient
from soundstream.testing import (
    LocalServer,
    LocalServerError,
    find_binary,
    find_data_dir,
    free_port,
    serve_locally,
)

__all__ = ["DASHBOARD", "Server", "free_port"]

DASHBOARD = Path(__file__).resolve().parents[1]
"""The dashboard folder (tests/ is one level down)."""

Server = LocalServer
"""The running server under test."""


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Import the dataset into a fresh SQLite file and serve it; stop it at the end."""
    with ExitStack() as stack:
        try:
            # No fallback to a checkout's target/ or data: both come from the environment.
            binary, data_dir = find_binary(), find_data_dir()
            # The dashboard and the browser test make many small reads: no rate limit.
            started = serve_locally(
                binary, data_dir, workdir=tmp_path_factory.mktemp("soundstream"), rate_limit=0
            )
            server = stack.enter_context(started)
        except LocalServerError as e:
            pytest.fail(str(e), pytrace=False)
        yield server


@pytest.fixture(scope="session")
def sdk(server: Server) -> Iterator[SoundStreamClient]:
    """The SDK on the same server: the reference the dashboard's figures are checked against."""
    with SoundStreamClient(server.base_url, timeout=120.0) as client:
        yield client


@pytest.fixture
def live(server: Server, monkeypatch: pytest.MonkeyPatch) -> Server:
    """Point the dashboard at the live server for one test."""
    monkeypatch.setenv("SOUNDSTREAM_API_URL", server.base_url)
    monkeypatch.delenv("SOUNDSTREAM_API_KEY", raising=False)
    return server
