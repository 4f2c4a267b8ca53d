"""`soundstream.testing` without a real server: where it looks for the binary and the data,
how it waits and stops, and what it raises when a fake `soundstream` fails."""

from __future__ import annotations

import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from soundstream.testing import (
    LocalServerError,
    MissingPrerequisiteError,
    find_binary,
    find_data_dir,
    free_port,
    serve_locally,
    stop_process,
    wait_until_up,
)

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="the fake binary is a sh script")


def _touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("")
    return path


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SOUNDSTREAM_BIN", "CARGO_TARGET_DIR", "SOUNDSTREAM_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def sleeper() -> Iterator[subprocess.Popen[bytes]]:
    """A process that would run for a minute."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield process
    if process.poll() is None:
        process.kill()
        process.wait()


def test_soundstream_bin_wins_over_every_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    explicit = _touch(tmp_path / "bin" / "soundstream")
    monkeypatch.setenv("SOUNDSTREAM_BIN", str(explicit))
    monkeypatch.setenv("CARGO_TARGET_DIR", str(tmp_path / "target"))
    _touch(tmp_path / "target" / "release" / "soundstream")

    assert find_binary(tmp_path / "other") == explicit


def test_a_soundstream_bin_that_names_no_file_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOUNDSTREAM_BIN", str(tmp_path / "nowhere"))
    _touch(tmp_path / "target" / "release" / "soundstream")

    with pytest.raises(MissingPrerequisiteError, match="SOUNDSTREAM_BIN"):
        find_binary(tmp_path / "target")


def test_the_release_build_comes_before_the_debug_build_and_cargo_target_dir_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARGO_TARGET_DIR", str(tmp_path / "cargo"))
    debug = _touch(tmp_path / "cargo" / "debug" / "soundstream")
    _touch(tmp_path / "checkout" / "release" / "soundstream")

    assert find_binary(tmp_path / "checkout") == debug
    release = _touch(tmp_path / "cargo" / "release" / "soundstream")
    assert find_binary(tmp_path / "checkout") == release


def test_the_fallback_targets_are_searched_in_order(tmp_path: Path) -> None:
    second = _touch(tmp_path / "second" / "debug" / "soundstream")

    assert find_binary(tmp_path / "first", tmp_path / "second") == second


def test_no_binary_anywhere_is_missing(tmp_path: Path) -> None:
    with pytest.raises(MissingPrerequisiteError, match="set SOUNDSTREAM_BIN"):
        find_binary(tmp_path)


def test_the_data_dir_comes_from_the_environment_then_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = _touch(tmp_path / "default" / "artists.dat").parent
    assert find_data_dir(default) == default

    explicit = _touch(tmp_path / "explicit" / "artists.dat").parent
    monkeypatch.setenv("SOUNDSTREAM_DATA_DIR", str(explicit))
    assert find_data_dir(default) == explicit


def test_a_data_dir_without_artists_dat_is_missing(tmp_path: Path) -> None:
    with pytest.raises(MissingPrerequisiteError, match="set SOUNDSTREAM_DATA_DIR"):
        find_data_dir(tmp_path)
    with pytest.raises(MissingPrerequisiteError):
        find_data_dir()


def test_a_free_port_can_be_bound() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", free_port()))


def test_waiting_ends_when_the_probe_says_up(sleeper: subprocess.Popen[bytes]) -> None:
    answers = iter([httpx.ConnectError("refused"), "starting", None])

    def probe() -> str | None:
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    wait_until_up(sleeper, probe, timeout=10, name="fake")

    assert next(answers, "drained") == "drained"


def test_waiting_gives_up_after_the_timeout_with_the_last_answer(
    sleeper: subprocess.Popen[bytes],
) -> None:
    with pytest.raises(LocalServerError, match=r"fake not ready after 0s: still starting"):
        wait_until_up(sleeper, lambda: "still starting", timeout=0, name="fake")


def test_a_process_that_exits_while_waited_for_fails_with_its_log(tmp_path: Path) -> None:
    log = tmp_path / "fake.log"
    log.write_text("address already in use\n")
    process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    process.wait()

    with pytest.raises(LocalServerError, match=r"(?s)exited early \(status 3\).*already in use"):
        wait_until_up(process, lambda: "starting", timeout=10, name="fake", log=log)


def test_stopping_ends_the_process(sleeper: subprocess.Popen[bytes]) -> None:
    stop_process(sleeper)

    assert sleeper.poll() is not None


def _fake_soundstream(tmp_path: Path, body: str) -> Path:
    """A `soundstream` that answers `--database-url URL <command> ...` with `body` (sh)."""
    binary = tmp_path / "soundstream"
    binary.write_text(f'#!/bin/sh\ncommand="$3"\n{body}\n')
    binary.chmod(binary.stat().st_mode | stat.S_IXUSR)
    return binary


@posix_only
def test_a_failed_import_raises_with_its_stderr(tmp_path: Path) -> None:
    binary = _fake_soundstream(tmp_path, 'echo "no users.dat" >&2; exit 1')

    with (
        pytest.raises(LocalServerError, match=r"(?s)soundstream import .*failed.*no users\.dat"),
        serve_locally(binary, tmp_path, workdir=tmp_path),
    ):
        pass


@posix_only
def test_keys_create_that_prints_no_key_raises(tmp_path: Path) -> None:
    binary = _fake_soundstream(tmp_path, 'echo "created"')

    with (
        pytest.raises(LocalServerError, match="printed no key"),
        serve_locally(binary, tmp_path, workdir=tmp_path),
    ):
        pass


@posix_only
def test_a_server_that_exits_at_start_raises_with_its_log(tmp_path: Path) -> None:
    binary = _fake_soundstream(
        tmp_path,
        'case "$command" in\n'
        '  keys) echo "ss_fake_key" ;;\n'
        '  serve) echo "cannot bind $5"; exit 2 ;;\n'
        "esac",
    )

    with (
        pytest.raises(LocalServerError, match=r"(?s)exited early.*cannot bind 127\.0\.0\.1:"),
        serve_locally(binary, tmp_path, rate_limit=0),
    ):
        pass
