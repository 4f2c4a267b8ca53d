"""A real `soundstream serve` for the dashboard's tests, one per test session: a fresh SQLite
file loaded with the real dataset, on a free port (the pattern of the SDK's integration tests,
kept here so that the dashboard does not import the SDK's tests).

The binary is `$SOUNDSTREAM_BIN`, else `$CARGO_TARGET_DIR/{release,debug}/soundstream`; the
data is `$SOUNDSTREAM_DATA_DIR`. A missing binary or dataset fails the run: these tests have
no meaning without the live API.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from soundstream import SoundStreamClient

DASHBOARD = Path(__file__).resolve().parents[1]
"""The dashboard folder (tests/ is one level down)."""

STARTUP_TIMEOUT = 240.0
"""Seconds for the server to be ready with a trained recommender (about 10 s here)."""


@dataclass(frozen=True)
class Server:
    """The running server under test."""

    base_url: str
    log: Path


def _binary() -> Path:
    if explicit := os.environ.get("SOUNDSTREAM_BIN"):
        return Path(explicit)
    if target := os.environ.get("CARGO_TARGET_DIR"):
        for profile in ("release", "debug"):
            candidate = Path(target) / profile / "soundstream"
            if candidate.is_file():
                return candidate
    pytest.fail("no soundstream binary: set SOUNDSTREAM_BIN", pytrace=False)


def _data_dir() -> Path:
    explicit = os.environ.get("SOUNDSTREAM_DATA_DIR")
    if not explicit or not (Path(explicit) / "artists.dat").is_file():
        pytest.fail(f"no dataset in SOUNDSTREAM_DATA_DIR={explicit!r}", pytrace=False)
    return Path(explicit)


def free_port() -> int:
    """A TCP port nothing listens on right now."""
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


def _wait_until_ready(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    last = "no answer"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"soundstream serve exited early:\n{log.read_text()[-3000:]}")
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
    """Import the dataset into a fresh SQLite file and serve it; stop it at the end."""
    binary = _binary()
    data_dir = _data_dir()
    workdir = tmp_path_factory.mktemp("soundstream")
    database_url = f"sqlite://{workdir / 'soundstream.db'}"
    _run(binary, database_url, "import", "--data-dir", str(data_dir))

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = workdir / "serve.log"
    env = {**os.environ, "SOUNDSTREAM_LOG": os.environ.get("SOUNDSTREAM_LOG", "warn")}
    with log.open("wb") as log_file:
        # The dashboard and the browser test make many small reads: no rate limit.
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
                "--rate-limit",
                "0",
            ],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        _wait_until_ready(base_url, process, log)
        yield Server(base_url=base_url, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


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
