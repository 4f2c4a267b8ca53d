"""Progress bars on long pulls (an export, an iterator's `.to_pandas()`), drawn by tqdm when the
`soundstream-sdk[progress]` extra is installed; a silent stand-in otherwise."""

from __future__ import annotations

import importlib
from typing import Any

from ._closing import Closing

__all__ = ["Progress", "progress_bar"]


class Progress(Closing):
    """A counter that draws nothing: what `progress_bar` returns when no bar is wanted."""

    def update(self, n: int) -> None:
        """Count `n` more units."""

    def set_total(self, total: int | None) -> None:
        """Say how many units to expect, once it is known."""

    def close(self) -> None:
        """Finish the bar."""


class _Tqdm(Progress):
    def __init__(self, bar: Any) -> None:
        self._bar = bar

    def update(self, n: int) -> None:
        self._bar.update(n)

    def set_total(self, total: int | None) -> None:
        self._bar.total = total
        self._bar.refresh()

    def close(self) -> None:
        self._bar.close()


def progress_bar(
    enabled: bool, *, description: str, unit: str, total: int | None = None
) -> Progress:
    """A tqdm bar (its notebook widget in Jupyter, text elsewhere) when `enabled`, else a silent
    counter. `unit="B"` counts bytes in KB/MB. Raises `ImportError` naming the extra when
    tqdm is missing and a bar was asked for."""
    if not enabled:
        return Progress()
    try:
        auto = importlib.import_module("tqdm.auto")
    except ImportError as e:
        raise ImportError(
            "progress=True needs tqdm: pip install 'soundstream-sdk[progress]'"
        ) from e
    bar = auto.tqdm(
        desc=description,
        unit=unit,
        unit_scale=unit == "B",
        unit_divisor=1024 if unit == "B" else 1000,
        total=total,
        leave=True,
    )
    return _Tqdm(bar)
