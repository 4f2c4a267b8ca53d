"""The tag cloud as a picture, drawn locally by `wordcloud` (its bundled font; no network)."""

from __future__ import annotations

import io

import streamlit as st
from wordcloud import WordCloud


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def cloud_png(
    frequencies: tuple[tuple[str, int], ...], width: int = 1100, height: int = 480
) -> bytes:
    """A PNG of the tags sized by how often they were applied (seeded: the same tags give
    the same picture)."""
    cloud = WordCloud(
        width=width,
        height=height,
        background_color="white",
        colormap="viridis",
        prefer_horizontal=0.9,
        relative_scaling=0.5,
        random_state=42,
        margin=4,
    ).generate_from_frequencies(dict(frequencies))
    buffer = io.BytesIO()
    cloud.to_image().save(buffer, format="PNG")
    return buffer.getvalue()
