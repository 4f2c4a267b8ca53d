"""A real `soundstream serve` to test against: this module owns finding the binary and the
dataset, importing the dataset into a fresh database, making a write key and a read key
through the CLI, starting the server on a free port, waiting until it is ready with a trained
recommender, and stopping it.

```python
from soundstream import SoundStreamClient
from soundstream.testing import find_binary, find_data_dir, serve_locally

with serve_locally(find_binary(), find_data_dir()) as server:
    with SoundStreamClient(server.base_url, api_key=server.write_key) as client:
        print(client.readiness())
```

It needs no test framework: every failure raises a `LocalServerError`, and a missing binary
or dataset its subclass `MissingPrerequisiteError`, which a test suite turns into a failure
or a skip as it sees fit. The SDK's integration tests, the EDA notebook's tests and the
dashboard's tests all start their server here.
"""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

__all__ = [
    "DEFAULT_STARTUP_TIMEOUT",
    "LocalServer",
    "LocalServerError",
    "MissingPrerequisiteError",
    "find_binary",
    "find_data_dir",
    "free_port",
    "serve_locally",
    "stop_process",
    "wait_until_up",
]

DEFAULT_STARTUP_TIMEOUT = 240.0
"""Seconds for the server to be ready with a trained recommender (about 10 s on the full
dataset with a debug build)."""

COMMAND_TIMEOUT = 600.0
"""Seconds one CLI command (`import`, `keys create`) may take."""

STOP_TIMEOUT = 15.0
"""Seconds a process has to exit after SIGTERM, then again after SIGKILL."""

LOG_TAIL = 3000
"""How many characters of a server's log an error quotes."""

POLL_INTERVAL = 0.25
"""Seconds between two readiness probes."""


class LocalServerError(Exception):
    """The local server could not be set up: a CLI command failed, the server exited or was
    not ready in time. The message says why and quotes the server's output."""


class MissingPrerequisiteError(LocalServerError):
    """No `soundstream` binary or no dataset where they were looked for: nothing to start."""


@dataclass(frozen=True)
class LocalServer:
    """A running `soundstream serve`, as `serve_locally` yields it."""

    base_url: str
    """Where it answers, `http://127.0.0.1:<port>` (no trailing slash)."""
    write_key: str
    """An API key with the `write` scope (made with `soundstream keys create`)."""
    read_key: str
    """An API key with the `read` scope."""
    database_url: str
    """The database it serves, with the dataset imported."""
    log: Path
    """The file that receives its stdout and stderr."""


def find_binary(*fallback_targets: Path) -> Path:
    """The `soundstream` binary: `$SOUNDSTREAM_BIN` if set, else the first of
    `<target>/release/soundstream` and `<target>/debug/soundstream` that exists, for `target`
    in `$CARGO_TARGET_DIR` then `fallback_targets` (for example a checkout's `target/`).

    Raises `MissingPrerequisiteError` when there is none, or `$SOUNDSTREAM_BIN` names no file.
    """
    if explicit := os.environ.get("SOUNDSTREAM_BIN"):
        binary = Path(explicit)
        if not binary.is_file():
            raise MissingPrerequisiteError(f"no soundstream binary at SOUNDSTREAM_BIN={explicit!r}")
        return binary
    targets = [Path(t) for t in [os.environ.get("CARGO_TARGET_DIR")] if t]
    targets.extend(fallback_targets)
    for target in targets:
        for profile in ("release", "debug"):
            candidate = target / profile / "soundstream"
            if candidate.is_file():
                return candidate
    searched = ", ".join(str(t) for t in targets) or "no CARGO_TARGET_DIR"
    raise MissingPrerequisiteError(
        f"no soundstream binary (set SOUNDSTREAM_BIN to the built binary; searched {searched})"
    )


def find_data_dir(default: Path | None = None) -> Path:
    """The folder of the dataset's `.dat` files: `$SOUNDSTREAM_DATA_DIR` if set, else `default`.

    Raises `MissingPrerequisiteError` when that folder holds no `artists.dat`.
    """
    explicit = os.environ.get("SOUNDSTREAM_DATA_DIR")
    data_dir = Path(explicit) if explicit else default
    if data_dir is None or not (data_dir / "artists.dat").is_file():
        raise MissingPrerequisiteError(f"no dataset in {data_dir} (set SOUNDSTREAM_DATA_DIR)")
    return data_dir


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_until_up(
    process: subprocess.Popen[bytes],
    probe: Callable[[], str | None],
    *,
    timeout: float,
    name: str,
    log: Path | None = None,
) -> None:
    """Call `probe` until it returns `None` (up); until then it returns, or raises as an
    `httpx.HTTPError` or a `ValueError`, what it saw instead.

    Raises `LocalServerError`, quoting the end of `log`, when `process` exits first or
    `timeout` seconds pass.
    """
    deadline = time.monotonic() + timeout
    last = "no answer"
    while True:
        if process.poll() is not None:
            raise LocalServerError(
                f"{name} exited early (status {process.returncode}):\n{_tail(log)}"
            )
        try:
            seen = probe()
            if seen is None:
                return
            last = seen
        except (httpx.HTTPError, ValueError) as e:
            last = repr(e)
        if time.monotonic() > deadline:
            raise LocalServerError(f"{name} not ready after {timeout:.0f}s: {last}\n{_tail(log)}")
        time.sleep(POLL_INTERVAL)


def stop_process(process: subprocess.Popen[bytes], *, timeout: float = STOP_TIMEOUT) -> None:
    """Stop `process`: SIGTERM, then SIGKILL if it is still there after `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


@contextmanager
def serve_locally(
    binary: Path,
    data_dir: Path,
    *,
    workdir: Path | None = None,
    database_url: str | None = None,
    rate_limit: int | None = None,
    startup_timeout: float = DEFAULT_STARTUP_TIMEOUT,
    env: Mapping[str, str] | None = None,
) -> Iterator[LocalServer]:
    """Import `data_dir` into a database, make a write and a read key, serve it on a free port
    of 127.0.0.1 and yield it once `/health/ready` answers 200 with a trained recommender
    (`model_version >= 1`: recommendations answer 503 until then); stop it on exit.

    - `workdir`: where the SQLite file and the log go; a temporary folder, removed on exit,
      when not given.
    - `database_url`: the (empty) database to import into and serve; by default a fresh
      SQLite file `soundstream.db` in `workdir`.
    - `rate_limit`: the server's `--rate-limit` (requests per second per client, `0` for
      none); the server's default when not given.
    - `env`: the server's environment (default: this process's); `SOUNDSTREAM_LOG` is `warn`
      unless it says otherwise.

    Raises `LocalServerError` when a command fails, or the server exits or is not ready
    within `startup_timeout` seconds.
    """
    with ExitStack() as stack:
        if workdir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="soundstream-")))
        if database_url is None:
            database_url = f"sqlite://{workdir / 'soundstream.db'}"
        _run(binary, database_url, "import", "--data-dir", str(data_dir))
        write_key = _create_key(binary, database_url, "tests", "write")
        read_key = _create_key(binary, database_url, "tests-read", "read")

        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        log = workdir / "serve.log"
        server_env = dict(os.environ if env is None else env)
        server_env.setdefault("SOUNDSTREAM_LOG", "warn")
        args = [
            str(binary),
            "--database-url",
            database_url,
            "serve",
            "--addr",
            f"127.0.0.1:{port}",
            "--data-dir",
            str(data_dir),
        ]
        if rate_limit is not None:
            args += ["--rate-limit", str(rate_limit)]
        with log.open("wb") as log_file:
            process = subprocess.Popen(
                args, stdout=log_file, stderr=subprocess.STDOUT, env=server_env
            )
        try:
            wait_until_up(
                process,
                lambda: _not_ready(base_url),
                timeout=startup_timeout,
                name="soundstream serve",
                log=log,
            )
            yield LocalServer(
                base_url=base_url,
                write_key=write_key,
                read_key=read_key,
                database_url=database_url,
                log=log,
            )
        finally:
            stop_process(process)


def _not_ready(base_url: str) -> str | None:
    """`None` when the server is ready with a trained recommender, else its answer."""
    answer = httpx.get(f"{base_url}/health/ready", timeout=5.0)
    recommender = answer.json().get("recommender") or {}
    if answer.status_code == 200 and recommender.get("model_version", 0) >= 1:
        return None
    return answer.text


def _run(binary: Path, database_url: str, *args: str) -> str:
    """Run one `soundstream` command on `database_url`; its stdout."""
    try:
        result = subprocess.run(
            [str(binary), "--database-url", database_url, *args],
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        raise LocalServerError(f"soundstream {' '.join(args)} failed: {e}") from e
    if result.returncode != 0:
        raise LocalServerError(f"soundstream {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def _create_key(binary: Path, database_url: str, name: str, scope: str) -> str:
    """A new API key, as `soundstream keys create` prints it (the line that starts `ss_`)."""
    out = _run(binary, database_url, "keys", "create", "--name", name, "--scope", scope)
    keys = [line.strip() for line in out.splitlines() if line.strip().startswith("ss_")]
    if not keys:
        raise LocalServerError(f"`keys create` printed no key: {out!r}")
    return keys[-1]


def _tail(log: Path | None) -> str:
    """The end of a log file, or a word on why there is none."""
    if log is None:
        return "(no log)"
    try:
        return log.read_text(errors="replace")[-LOG_TAIL:]
    except OSError as e:
        return f"(log unreadable: {e})"
