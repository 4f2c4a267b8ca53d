"""The notebook run under test: a real `soundstream serve` on a free port over a fresh SQLite
file loaded with the real dataset, and `eda.ipynb` executed top to bottom against it, once per
test session, into a temporary copy (the committed notebook is never rewritten here).

The server is `soundstream.testing.serve_locally`, as in the SDK's integration tests. Where
things come from:
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
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from soundstream import SoundStreamClient
from soundstream.testing import (
    LocalServer,
    LocalServerError,
    find_binary,
    find_data_dir,
    serve_locally,
)

NOTEBOOKS = Path(__file__).resolve().parents[1]
"""The notebooks/ folder."""

REPO = NOTEBOOKS.parent
"""The repository root."""

NOTEBOOK = NOTEBOOKS / "eda.ipynb"
"""The committed notebook."""

CELL_TIMEOUT = 600
"""Seconds one cell may run (the longest walks every tag assignment: about 10 s here)."""

KEY_FIGURES_TAG = "key-figures"
"""The tag of the cell that prints the notebook's key figures as JSON."""


Server = LocalServer
"""The running server under test."""


@dataclass(frozen=True)
class ExecutedNotebook:
    """The notebook after a run: its cells with their outputs, and where it was written."""

    path: Path
    cells: list[dict[str, Any]]


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Import the dataset into a fresh SQLite file and serve it; stop it at the end."""
    with ExitStack() as stack:
        try:
            binary = find_binary(REPO / "target")
            data_dir = find_data_dir(REPO.parent / "shared" / "data" / "hetrec2011-lastfm-2k")
            workdir = tmp_path_factory.mktemp("soundstream")
            server = stack.enter_context(serve_locally(binary, data_dir, workdir=workdir))
        except LocalServerError as e:
            # A missing binary or dataset fails too: these tests check nothing without them.
            pytest.fail(str(e), pytrace=False)
        yield server


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
