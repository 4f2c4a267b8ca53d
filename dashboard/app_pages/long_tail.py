"""Long tail: how concentrated listening is. Shares of the top 1% and 10% of artists, the
Gini coefficient, the head/tail split, log-log histograms of plays per artist and per listen,
and the Lorenz curve, with the histogram's resolution adjustable."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import streamlit as st
from soundstream.types import Distribution

from lib import api
from lib.charts import decades, decimal, integer, log_ticks
from lib.errors import fetch
from lib.figures import figure_row

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

figure_row(
    ("Gini of plays per artist", f"{d.gini:.3f}" if d.gini is not None else "n/a"),
    (
        f"Top 1% of artists ({d.top_1_percent.artists:,})",
        f"{d.top_1_percent.plays_share:.1%} of plays",
    ),
    (
        f"Top 10% of artists ({d.top_10_percent.artists:,})",
        f"{d.top_10_percent.plays_share:.1%} of plays",
    ),
    (
        f"Artists with {d.head_share:.0%} of plays",
        f"{d.head.artists:,} ({d.head.artists_share:.1%})",
    ),
)
st.caption(
    f"The long tail: {d.tail.artists:,} artists ({d.tail.artists_share:.1%}) share "
    f"{d.tail.plays_share:.1%} of the plays."
)

dist: Distribution = d.artist_plays if which == "artist_plays" else d.listen_weights
left, right = st.columns(2)
# The bins are of equal width on a log scale (bins_per_decade per power of ten): drawn as
# bars on an axis of log10(plays), labelled with the plays themselves, each bar spanning its
# bin, with no line drawn from one bin to the next.
nonzero = [b for b in dist.histogram if b.count > 0]
histogram = go.Figure(
    go.Bar(
        x=[(math.log10(b.lower) + math.log10(b.upper)) / 2 for b in nonzero],
        y=[b.count for b in nonzero],
        width=1 / d.bins_per_decade,
        customdata=[[b.lower, b.upper] for b in nonzero],
        hovertemplate="%{customdata[0]:,.0f} to %{customdata[1]:,.0f} plays: %{y:,}<extra></extra>",
        marker={"line": {"width": 0.5, "color": "white"}},
    )
)
histogram.update_layout(
    title=f"{HISTOGRAMS[which]} (log-log)",
    xaxis={
        "title": {"text": "Plays (log scale)"},
        **decades(
            math.log10(nonzero[0].lower) if nonzero else 0,
            math.log10(nonzero[-1].upper) if nonzero else 1,
        ),
    },
    yaxis={
        "title": {"text": "Count (log scale)"},
        **log_ticks(1, max([b.count for b in nonzero], default=1)),
    },
    bargap=0,
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
            "p10": round(q.p10, 1),
            "p25": round(q.p25, 1),
            "median": round(q.p50, 1),
            "p75": round(q.p75, 1),
            "p90": round(q.p90, 1),
            "p99": round(q.p99, 1),
            "max": q.max,
            "mean": round(q.mean, 1),
        }
        for name, q in (("artist_plays", d.artist_plays), ("listen_weights", d.listen_weights))
    ],
    hide_index=True,
    key="quantiles",
    column_config={
        "distribution": st.column_config.TextColumn("Distribution"),
        "count": integer("Count"),
        "min": integer("Min"),
        **{p: decimal(p) for p in ("p10", "p25", "median", "p75", "p90", "p99", "mean")},
        "max": integer("Max"),
    },
)
