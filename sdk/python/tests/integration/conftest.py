"""A real `soundstream serve` for the integration tests: one per test session, on a free port,
over a fresh SQLite file loaded with the real dataset, with a write key and a read key made
through the CLI.

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
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Awaitable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import httpx
import pytest

from soundstream import AsyncSoundStreamClient, SoundStreamClient

T = TypeVar("T")

Client = SoundStreamClient | AsyncSoundStreamClient

REPO = Path(__file__).resolve().parents[4]
"""The repository root (sdk/python/tests/integration/conftest.py is four levels down)."""

STARTUP_TIMEOUT = 240.0
"""Seconds for the server to be ready with a trained recommender (about 10 s here)."""


@dataclass(frozen=True)
class Server:
    """The running server under test."""

    base_url: str
    write_key: str
    read_key: str
    log: Path


def _require() -> bool:
    return os.environ.get("SOUNDSTREAM_REQUIRE_INTEGRATION") == "1"


def _missing(reason: str) -> None:
    if _require():
        pytest.fail(f"{reason} (SOUNDSTREAM_REQUIRE_INTEGRATION=1)", pytrace=False)
    pytest.skip(reason)


def _binary() -> Path | None:
    if explicit := os.environ.get("SOUNDSTREAM_BIN"):
        return Path(explicit)
    roots = []
    if target := os.environ.get("CARGO_TARGET_DIR"):
        roots.append(Path(target))
    roots.append(REPO / "target")
    for root in roots:
        for profile in ("release", "debug"):
            candidate = root / profile / "soundstream"
            if candidate.is_file():
                return candidate
    return None


def _data_dir() -> Path:
    if explicit := os.environ.get("SOUNDSTREAM_DATA_DIR"):
        return Path(explicit)
    return REPO.parent / "shared" / "data" / "hetrec2011-lastfm-2k"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _run(binary: Path, database_url: str, *args: str) -> str:
    result = subprocess.run(
        [str(binary), "--database-url", database_url, *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"soundstream {' '.join(args)} failed:\n{result.stderr}", pytrace=False)
    return result.stdout


def _create_key(binary: Path, database_url: str, name: str, scope: str) -> str:
    out = _run(binary, database_url, "keys", "create", "--name", name, "--scope", scope)
    keys = [line.strip() for line in out.splitlines() if line.strip().startswith("ss_")]
    if not keys:
        pytest.fail(f"`keys create` printed no key: {out!r}", pytrace=False)
    return keys[-1]


def _wait_until_ready(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    last = "no answer"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"soundstream serve exited early:\n{log.read_text()[-3000:]}", pytrace=False
            )
        try:
            answer = httpx.get(f"{base_url}/health/ready", timeout=5.0)
            body = answer.json()
            recommender = body.get("recommender") or {}
            # Recommendations answer 503 until the first model is trained: wait for it too.
            trained = not recommender or recommender.get("model_version", 0) >= 1
            if answer.status_code == 200 and trained:
                return
            last = answer.text
        except (httpx.HTTPError, ValueError) as e:
            last = repr(e)
        time.sleep(0.25)
    pytest.fail(f"server not ready after {STARTUP_TIMEOUT:.0f}s: {last}", pytrace=False)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Import the dataset into a fresh SQLite file, make keys, serve it; stop it at the end."""
    binary = _binary()
    if binary is None or not binary.is_file():
        _missing(f"no soundstream binary (SOUNDSTREAM_BIN={os.environ.get('SOUNDSTREAM_BIN')!r})")
    data_dir = _data_dir()
    if not (data_dir / "artists.dat").is_file():
        _missing(f"no dataset in {data_dir} (set SOUNDSTREAM_DATA_DIR)")
    assert binary is not None

    workdir = tmp_path_factory.mktemp("soundstream")
    database_url = f"sqlite://{workdir / 'soundstream.db'}"
    _run(binary, database_url, "import", "--data-dir", str(data_dir))
    write_key = _create_key(binary, database_url, "tests", "write")
    read_key = _create_key(binary, database_url, "tests-read", "read")

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = workdir / "serve.log"
    env = {**os.environ, "SOUNDSTREAM_LOG": os.environ.get("SOUNDSTREAM_LOG", "warn")}
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [
                str(binary),
                "--database-url",
                database_url,
                "serve",
                "--addr",
                f"127.0.0.1:{port}",
                "--data-dir",
                str(data_dir),
            ],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        _wait_until_ready(base_url, process, log)
        yield Server(base_url=base_url, write_key=write_key, read_key=read_key, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


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
