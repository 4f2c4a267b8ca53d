"""Overview: the dataset's key figures, the top 10 artists by plays and by listeners, and the
most applied tags."""

from __future__ import annotations

import plotly.express as px
import streamlit as st
from soundstream.types import ArtistRanking
from streamlit.delta_generator import DeltaGenerator

from lib import api
from lib.errors import fetch
from lib.figures import figure_row

st.title("SoundStream overview")
st.caption("Listening on Last.fm by 1,892 users, as served live by the SoundStream API.")

s = fetch(api.summary)
figure_row(
    ("Users", f"{s.users:,}"),
    ("Artists", f"{s.artists:,}"),
    ("Total plays", f"{s.total_plays:,}"),
    ("Friendships", f"{s.friendship_pairs:,}"),
)
row = figure_row(
    ("Listens (user, artist)", f"{s.listens:,}"),
    ("Tags", f"{s.tags:,}"),
    ("Tag assignments", f"{s.tag_assignments:,}"),
    (
        "Artists per user",
        f"{s.artists_per_user:.1f}",
        "The dataset keeps at most each user's 50 most played artists.",
    ),
)
row[3].caption("Each user's list is capped at 50 artists (their 50 most played).")
if s.first_tag_assignment and s.last_tag_assignment:
    st.caption(
        f"Tag assignments dated from {s.first_tag_assignment} to {s.last_tag_assignment}; "
        f"{s.friends_per_user:.1f} friends per user on average."
    )

st.subheader("Top 10 artists")
left, right = st.columns(2)
rankings: tuple[tuple[DeltaGenerator, ArtistRanking, str], ...] = (
    (left, "plays", "Plays"),
    (right, "listeners", "Listeners"),
)
for column, by, label in rankings:
    top = fetch(api.top_artists, by, 10)
    fig = px.bar(
        top.iloc[::-1],
        x=by,
        y="name",
        orientation="h",
        labels={by: label, "name": ""},
        hover_data={"plays": ":,", "listeners": ":,"},
        title=f"By {label.lower()}",
    )
    fig.update_layout(height=420, margin={"l": 10, "r": 10, "t": 40, "b": 10})
    column.plotly_chart(fig, key=f"top_by_{by}")

st.subheader("Top tags")
tags = fetch(api.top_tags, 20)
fig = px.bar(
    tags,
    x="tag",
    y="usage",
    hover_data={"usage": ":,", "artists": ":,", "users": ":,"},
    labels={"tag": "", "usage": "Times applied"},
)
fig.update_layout(height=380, margin={"l": 10, "r": 10, "t": 10, "b": 10})
st.plotly_chart(fig, key="top_tags")
