"""A row of headline figures (`st.metric`), as the overview, the long-tail and the social pages
open: one column per figure, in order."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

Figure = tuple[str, str] | tuple[str, str, str]
"""A figure's label and value, and optionally its help text (shown on hover)."""


def figure_row(*figures: Figure) -> list[DeltaGenerator]:
    """Draws one row of figures, a column each; returns the columns, for what goes below a
    figure."""
    columns = st.columns(len(figures))
    for column, (label, value, *help_text) in zip(columns, figures, strict=True):
        column.metric(label, value, help=help_text[0] if help_text else None)
    return columns
