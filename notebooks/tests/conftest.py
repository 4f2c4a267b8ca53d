"""The notebook run under test: a real `soundstream serve` on a free port over a fresh SQLite
file loaded with the real dataset, and `eda.ipynb` executed top to bottom against it, once per
test session, into a temporary copy (the committed notebook is never rewritten here).

Where things come from, as in the SDK's integration tests:
- the binary: `$SOUNDSTREAM_BIN`, else `$CARGO_TARGET_DIR/{release,debug}/soundstream`, else
  the repository's `target/{release,debug}/soundstream`;
- the data: `$SOUNDSTREAM_DATA_DIR` (the folder of `.dat` files), else the project's copy in
  `../shared/data/hetrec2011-lastfm-2k` beside the repository.
A missing binary or dataset fails the run: these tests have nothing to check without them.

`$SOUNDSTREAM_NOTEBOOK_OUT`, when set, receives the executed notebook (`scripts/check --update`
copies it over the committed one once every test has passed).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import nbformat
import pytest
from nbclient import NotebookClient

from soundstream import SoundStreamClient

NOTEBOOKS = Path(__file__).resolve().parents[1]
"""The notebooks/ folder."""

REPO = NOTEBOOKS.parent
"""The repository root."""

NOTEBOOK = NOTEBOOKS / "eda.ipynb"
"""The committed notebook."""

STARTUP_TIMEOUT = 240.0
"""Seconds for the server to be ready with a trained recommender (about 10 s here)."""

CELL_TIMEOUT = 600
"""Seconds one cell may run (the longest walks every tag assignment: about 10 s here)."""

KEY_FIGURES_TAG = "key-figures"
"""The tag of the cell that prints the notebook's key figures as JSON."""


@dataclass(frozen=True)
class Server:
    """The running server under test."""

    base_url: str
    log: Path


@dataclass(frozen=True)
class ExecutedNotebook:
    """The notebook after a run: its cells with their outputs, and where it was written."""

    path: Path
    cells: list[dict[str, Any]]


def _binary() -> Path:
    if explicit := os.environ.get("SOUNDSTREAM_BIN"):
        binary = Path(explicit)
    else:
        roots = [Path(t) for t in [os.environ.get("CARGO_TARGET_DIR")] if t]
        roots.append(REPO / "target")
        candidates = [r / p / "soundstream" for r in roots for p in ("release", "debug")]
        binary = next((c for c in candidates if c.is_file()), Path("soundstream-not-found"))
    if not binary.is_file():
        pytest.fail(
            f"no soundstream binary at {binary} (set SOUNDSTREAM_BIN to the built binary)",
            pytrace=False,
        )
    return binary


def _data_dir() -> Path:
    if explicit := os.environ.get("SOUNDSTREAM_DATA_DIR"):
        data_dir = Path(explicit)
    else:
        data_dir = REPO.parent / "shared" / "data" / "hetrec2011-lastfm-2k"
    if not (data_dir / "artists.dat").is_file():
        pytest.fail(f"no dataset in {data_dir} (set SOUNDSTREAM_DATA_DIR)", pytrace=False)
    return data_dir


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _run(binary: Path, database_url: str, *args: str) -> None:
    result = subprocess.run(
        [str(binary), "--database-url", database_url, *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"soundstream {' '.join(args)} failed:\n{result.stderr}", pytrace=False)


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
            trained = recommender.get("model_version", 0) >= 1
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
        yield Server(base_url=base_url, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@pytest.fixture(scope="session")
def client(server: Server) -> Iterator[SoundStreamClient]:
    """An SDK client on the test server, for the tests' own reading of the data."""
    with SoundStreamClient(server.base_url, timeout=120.0) as sdk:
        yield sdk


@pytest.fixture(scope="session")
def executed(server: Server, tmp_path_factory: pytest.TempPathFactory) -> ExecutedNotebook:
    """`eda.ipynb` run top to bottom against the test server, in a temporary folder.

    nbclient stops at the first cell that raises and reports it (`CellExecutionError`), so a
    broken cell fails every test that uses this fixture."""
    workdir = tmp_path_factory.mktemp("notebook")
    # nbformat's functions carry no type annotations; their results are NotebookNode dicts.
    notebook = nbformat.read(NOTEBOOK, as_version=4)  # type: ignore[no-untyped-call]
    previous = os.environ.get("SOUNDSTREAM_API_URL")
    # The kernel inherits this process's environment: that is how the notebook finds the server.
    os.environ["SOUNDSTREAM_API_URL"] = server.base_url
    try:
        NotebookClient(
            notebook,
            timeout=CELL_TIMEOUT,
            kernel_name="python3",
            # No timings in the cells' metadata: a refreshed notebook differs only where its
            # results do.
            record_timing=False,
            resources={"metadata": {"path": str(workdir)}},
        ).execute()
    finally:
        if previous is None:
            del os.environ["SOUNDSTREAM_API_URL"]
        else:
            os.environ["SOUNDSTREAM_API_URL"] = previous
    path = workdir / NOTEBOOK.name
    nbformat.write(notebook, path)  # type: ignore[no-untyped-call]
    if out := os.environ.get("SOUNDSTREAM_NOTEBOOK_OUT"):
        shutil.copyfile(path, out)
    cells: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ExecutedNotebook(path=path, cells=cells)


def key_figures(cells: list[dict[str, Any]]) -> dict[str, Any]:
    """The JSON printed by the notebook's `key-figures` cell."""
    tagged = [c for c in cells if KEY_FIGURES_TAG in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"expected one cell tagged {KEY_FIGURES_TAG!r}, found {len(tagged)}"
    text = "".join(
        "".join(o["text"]) for o in tagged[0].get("outputs", []) if o["output_type"] == "stream"
    )
    assert text, "the key-figures cell printed nothing (has the notebook been executed?)"
    figures: dict[str, Any] = json.loads(text)
    return figures
