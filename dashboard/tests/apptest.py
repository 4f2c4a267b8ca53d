"""Helpers for driving the dashboard with Streamlit's `AppTest`."""

from __future__ import annotations

import base64
import json
from typing import Any

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.conftest import DASHBOARD

TIMEOUT = 120.0
"""Seconds one run of a page may take (the social page makes a few hundred reads)."""


def open_page(page: str) -> AppTest:
    """The app, run once, then switched to `app_pages/<page>.py` and run again."""
    at = AppTest.from_file(str(DASHBOARD / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    at.switch_page(f"app_pages/{page}.py").run()
    return at


def assert_clean(at: AppTest) -> None:
    """No exception, no error, no warning on the page."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert not at.warning, [w.value for w in at.warning]


def figure(at: AppTest, key: str) -> dict[str, Any]:
    """The Plotly figure (data and layout, as sent to the browser) of the chart with `key`."""
    for element in at.get("plotly_chart"):
        # A keyed element's id ends with its user key.
        if element.proto.id.endswith(f"-{key}"):
            spec: dict[str, Any] = json.loads(element.proto.spec)
            return spec
    raise AssertionError(f"no plotly chart with key {key!r}")


def values(trace: dict[str, Any], axis: str) -> list[Any]:
    """A trace's `x` or `y` as a list: Plotly sends numeric arrays as typed binary
    (`{"dtype": "i4", "bdata": <base64>}`) and other arrays as JSON lists."""
    raw = trace[axis]
    if isinstance(raw, dict):
        array = np.frombuffer(base64.b64decode(raw["bdata"]), dtype=np.dtype(raw["dtype"]))
        return [v.item() for v in array]
    return list(raw)


def table(at: AppTest, column: str) -> pd.DataFrame:
    """The data of the first `st.dataframe` with a column named `column` (a dataframe that
    is not selectable carries no key in what Streamlit sends)."""
    for element in at.dataframe:
        value: pd.DataFrame = element.value
        if column in value.columns:
            return value
    raise AssertionError(f"no dataframe with a column {column!r}")
