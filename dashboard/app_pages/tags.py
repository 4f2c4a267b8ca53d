"""Tags: a cloud of the dominant genres and niches (of all the data, one artist or one user),
and when tags were applied (per year or month, for chosen tags)."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from lib import api
from lib.charts import integer
from lib.cloud import cloud_png
from lib.errors import attempt, fetch
from lib.tagfilter import is_offensive

# The API's largest cloud; a few more tags than shown are read so that hiding offensive ones
# still leaves as many as asked.
MAX_CLOUD = 200
SPARE_TAGS = 40

st.title("Tags")

st.subheader("Tag cloud")
controls = st.columns([1, 2, 1])
scope = controls[0].radio(
    "Tags of", ["All data", "An artist", "A user"], key="scope", horizontal=False
)
limit = int(
    controls[2].slider("Tags shown", min_value=10, max_value=MAX_CLOUD, value=80, key="cloud_limit")
)
hide_offensive = controls[2].checkbox(
    "Hide offensive tags",
    value=True,
    key="hide_offensive",
    help="Slurs and profanity, from a short word list (dashboard/lib/offensive_tags.txt).",
)
artist_id: int | None = None
user_id: int | None = None
title = "all listeners"
if scope == "An artist":
    name = controls[1].text_input("Artist name", value="Metallica", key="artist_name")
    found = fetch(
        api.search_artists, (), (), name.strip() or None, None, None, None, None, "listeners", 20
    )
    if found.empty:
        st.warning(f"No artist's name contains {name!r}.")
        st.stop()
    labels = {
        int(i): f"{n} ({int(c):,} listeners)"
        for i, n, c in zip(
            found["artist_id"].tolist(),
            found["name"].tolist(),
            found["listeners"].tolist(),
            strict=True,
        )
    }
    artist_id = controls[1].selectbox(
        "Artist", list(labels), format_func=labels.__getitem__, key="artist_pick"
    ) or next(iter(labels))
    title = labels[artist_id].split(" (")[0]
elif scope == "A user":
    user_id = int(controls[1].number_input("User id", min_value=1, value=2, key="tag_user_id"))
    fetch(api.user, user_id)
    title = f"user {user_id}"

hidden = 0
if hide_offensive:
    ranked = fetch(api.tag_cloud, artist_id, user_id, min(MAX_CLOUD, limit + SPARE_TAGS))
    offensive = ranked["tag"].map(is_offensive).to_numpy(dtype=bool)
    cloud = ranked[~offensive].head(limit).reset_index(drop=True)
    # Those hidden among the tags ranked above the last one shown.
    last = len(cloud) + int(offensive[: len(cloud) + int(offensive.sum())].sum())
    hidden = int(offensive[:last].sum())
else:
    cloud = fetch(api.tag_cloud, artist_id, user_id, limit)
if cloud.empty:
    st.info(f"No tag was applied by or to {title}.")
else:
    frequencies = tuple(zip(cloud["tag"], (int(c) for c in cloud["count"]), strict=True))
    st.image(
        cloud_png(frequencies),
        caption=f"The {len(cloud)} most applied tags of {title}"
        + (f" ({hidden} offensive hidden)" if hidden else ""),
        output_format="PNG",
    )
    # The picture cannot be read by a screen reader or copied: the same tags as a table.
    with st.expander(f"The {len(cloud)} tags of the cloud as a table"):
        st.dataframe(
            cloud[["tag", "count"]],
            hide_index=True,
            key="cloud_table",
            column_config={"count": integer("Times applied")},
        )
    top = cloud.head(20)
    fig = px.bar(
        top,
        x="tag",
        y="count",
        labels={"tag": "", "count": "Times applied"},
        hover_data={"count": ":,"},
    )
    fig.update_layout(height=320, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    fig.update_yaxes(tickformat=",")
    st.plotly_chart(fig, key="cloud_bars")

st.subheader("Tags over time")
summary = attempt(api.summary)
first_year = (
    int(summary.first_tag_assignment[:4]) if summary and summary.first_tag_assignment else 1956
)
last_year = (
    int(summary.last_tag_assignment[:4]) if summary and summary.last_tag_assignment else 2011
)
choices = fetch(api.tag_values, 1000)
controls = st.columns([3, 1, 2])
chosen = controls[0].multiselect(
    "Tags (none: all tags together)",
    options=choices,
    default=["rock", "pop", "electronic", "indie"],
    max_selections=20,
    key="trend_tags",
    accept_new_options=True,
)
granularity = (
    controls[1].radio("Per", ["year", "month"], key="granularity", horizontal=True) or "year"
)
# Shares first: raw counts mostly show the growth of tagging over the years (and the partial
# year 2011), while a tag's share of each period's assignments compares across periods.
measure = (
    controls[1].radio(
        "Show",
        ["share", "count"],
        format_func={"count": "assignments", "share": "share of the period"}.__getitem__,
        key="trend_measure",
        horizontal=True,
    )
    or "share"
)
# Before 2005 there are only a handful of (mis-dated) assignments: start there by default.
years = controls[2].slider(
    "Years",
    min_value=first_year,
    max_value=last_year,
    value=(max(first_year, 2005), last_year),
    key="years",
)
trends = fetch(api.tag_trends, tuple(chosen), granularity, int(years[0]), int(years[1]))
trends = trends.assign(series=trends["tag"].fillna("all tags"))
fig = px.line(
    trends,
    x="period",
    y=measure,
    color="series",
    markers=granularity == "year",
    labels={
        "period": "",
        "count": "Tag assignments",
        "share": "Share of the period's assignments",
        "series": "Tag",
    },
)
fig.update_layout(height=420, margin={"l": 10, "r": 10, "t": 10, "b": 10})
fig.update_yaxes(tickformat=".1%" if measure == "share" else ",")
st.plotly_chart(fig, key="trends")
if summary and summary.last_tag_assignment:
    st.caption(
        f"The data ends on {summary.last_tag_assignment}: its last period is partial. Shares "
        "divide by all the assignments of the period, so they compare across periods."
    )
