"""What every chart and table of the dashboard shares: readable log-scale axes (1, 2, 5, 10,
20, 50... with thousands separators, never a stray "8 9" below the data) and number formats
for `st.dataframe` columns (thousands separators, sensible decimals)."""

from __future__ import annotations

import math
from typing import Any

import streamlit as st

MAX_TICKS = 12
"""More ticks than this on a log axis, and only the powers of ten are labelled."""


def _label(value: float) -> str:
    return f"{value:,.0f}" if value >= 1 else f"{value:g}"


def log_ticks(low: float, high: float) -> dict[str, Any]:
    """Plotly axis settings for a log axis over `[low, high]` (both > 0): ticks at 1, 2 and 5
    times each power of ten in range (only the powers when that is more than `MAX_TICKS`),
    labelled with thousands separators, and a range that starts at the lowest tick."""
    low, high = max(low, 1e-9), max(high, low)
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    steps = (1, 2, 5)
    ticks = [m * 10.0**e for e in range(first, last + 1) for m in steps]
    ticks = [t for t in ticks if low / 1.0001 <= t * 1.0 <= high * 1.0001] or [low]
    if len(ticks) > MAX_TICKS:
        ticks = [10.0**e for e in range(first, last + 1) if low <= 10.0**e <= high] or ticks[:1]
    lower = min(ticks[0], low)
    return {
        "type": "log",
        "tickvals": ticks,
        "ticktext": [_label(t) for t in ticks],
        "range": [math.log10(lower) - 0.05, math.log10(high) + 0.05],
        "minor": {"showgrid": False},
    }


def decades(low: float, high: float) -> dict[str, Any]:
    """Plotly settings for a linear axis that holds log10 values (a histogram's bins of equal
    width in log space): ticks at each power of ten, labelled as the value (1, 10, 1,000)."""
    first, last = math.floor(low), math.ceil(high)
    ticks = list(range(first, last + 1))
    return {
        "tickvals": ticks,
        "ticktext": [_label(10.0**t) for t in ticks],
        "range": [low, high],
    }


def integer(label: str, **kwargs: Any) -> Any:
    """A column of counts: thousands separators, no decimals."""
    return st.column_config.NumberColumn(label, format="localized", **kwargs)


def decimal(label: str, **kwargs: Any) -> Any:
    """A column of measures: thousands separators and the one decimal the data holds (the
    values are rounded before they are shown: `localized` keeps what it is given)."""
    return st.column_config.NumberColumn(label, format="localized", **kwargs)
