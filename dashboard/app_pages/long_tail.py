"""Long tail: how concentrated listening is. Shares of the top 1% and 10% of artists, the
Gini coefficient, the head/tail split, log-log histograms of plays per artist and per listen,
and the Lorenz curve, with the histogram's resolution adjustable."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import streamlit as st
from soundstream.types import Distribution

from lib import api
from lib.errors import fetch

HISTOGRAMS = {
    "artist_plays": "Plays per artist",
    "listen_weights": "Plays per listen (one user, one artist)",
}

st.title("The long tail")
st.caption("A few superstars take most of the plays; most artists share the rest.")

controls = st.columns([2, 1])
which = controls[0].radio(
    "Distribution",
    list(HISTOGRAMS),
    format_func=HISTOGRAMS.__getitem__,
    key="histogram",
    horizontal=True,
) or next(iter(HISTOGRAMS))
bins = int(
    controls[1].slider("Bins per power of ten", min_value=1, max_value=20, value=5, key="bins")
)
d = fetch(api.listening_distribution, bins)

row = st.columns(4)
row[0].metric("Gini of plays per artist", f"{d.gini:.3f}" if d.gini is not None else "n/a")
row[1].metric(
    f"Top 1% of artists ({d.top_1_percent.artists:,})",
    f"{d.top_1_percent.plays_share:.1%} of plays",
)
row[2].metric(
    f"Top 10% of artists ({d.top_10_percent.artists:,})",
    f"{d.top_10_percent.plays_share:.1%} of plays",
)
row[3].metric(
    f"Artists with {d.head_share:.0%} of plays",
    f"{d.head.artists:,} ({d.head.artists_share:.1%})",
)
st.caption(
    f"The long tail: {d.tail.artists:,} artists ({d.tail.artists_share:.1%}) share "
    f"{d.tail.plays_share:.1%} of the plays."
)

dist: Distribution = d.artist_plays if which == "artist_plays" else d.listen_weights
left, right = st.columns(2)
nonzero = [b for b in dist.histogram if b.count > 0]
histogram = go.Figure(
    go.Scatter(
        x=[math.sqrt(b.lower * b.upper) for b in nonzero],
        y=[b.count for b in nonzero],
        mode="lines+markers",
        customdata=[[b.lower, b.upper] for b in nonzero],
        hovertemplate="%{customdata[0]:,.0f} to %{customdata[1]:,.0f} plays: %{y:,} <extra></extra>",
    )
)
histogram.update_layout(
    title=f"{HISTOGRAMS[which]} (log-log)",
    xaxis={"type": "log", "title": {"text": "Plays"}},
    yaxis={"type": "log", "title": {"text": "Count"}},
    height=420,
    margin={"l": 10, "r": 10, "t": 40, "b": 10},
)
left.plotly_chart(histogram, key="histogram_chart")

lorenz = go.Figure(
    [
        go.Scatter(
            x=[p.artists_share for p in d.lorenz],
            y=[p.plays_share for p in d.lorenz],
            mode="lines",
            name="Lorenz curve",
            fill="tonexty",
        ),
        go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="equality", line={"dash": "dot"}),
    ]
)
lorenz.update_layout(
    title="Lorenz curve of plays per artist",
    xaxis={"title": {"text": "Share of artists, least played first"}, "tickformat": ".0%"},
    yaxis={"title": {"text": "Share of plays"}, "tickformat": ".0%"},
    height=420,
    margin={"l": 10, "r": 10, "t": 40, "b": 10},
    legend={"x": 0.02, "y": 0.98},
)
right.plotly_chart(lorenz, key="lorenz")

st.subheader("Quantiles")
st.dataframe(
    [
        {
            "distribution": HISTOGRAMS[name],
            "count": q.count,
            "min": q.min,
            "p10": q.p10,
            "p25": q.p25,
            "median": q.p50,
            "p75": q.p75,
            "p90": q.p90,
            "p99": q.p99,
            "max": q.max,
            "mean": round(q.mean, 1),
        }
        for name, q in (("artist_plays", d.artist_plays), ("listen_weights", d.listen_weights))
    ],
    hide_index=True,
    key="quantiles",
)
