"""Social graph: friends vs the diversity of listening (scatter, correlations and their
significance), the degree distribution, and an interactive view of one user's friend circle
with what they listen to."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from lib import api, circle
from lib.charts import integer, log_ticks
from lib.errors import fetch
from lib.figures import figure_row

MEASURES = {
    "distinct_tags": "Distinct tags on the user's artists",
    "play_entropy": "Entropy of the user's plays (bits)",
    "distinct_artists": "Distinct artists (capped at 50 by the data)",
}

st.title("Social graph")
graph = fetch(api.social)
figure_row(
    ("Users", f"{graph.users:,}"),
    ("Friendships", f"{graph.friendship_pairs:,}"),
    ("Mean friends", f"{graph.mean_degree:.1f}"),
    ("Median friends", f"{graph.median_degree:g}"),
    ("Most friends", f"{graph.max_degree}"),
)

st.subheader("Do users with more friends listen differently?")
measure = st.selectbox(
    "Measure of the user's listening",
    list(MEASURES),
    format_func=MEASURES.__getitem__,
    key="measure",
) or next(iter(MEASURES))
points = graph.points_frame()
fig = px.scatter(
    points,
    x="friends",
    y=measure,
    log_x=True,
    opacity=0.45,
    hover_data={"user_id": True, "plays": ":,"},
    labels={"friends": "Friends (log scale)", measure: MEASURES[measure]},
)
fig.update_layout(height=440, margin={"l": 10, "r": 10, "t": 10, "b": 10})
fig.update_xaxes(**log_ticks(float(points["friends"].min()), float(points["friends"].max())))
fig.update_yaxes(tickformat=",")
st.plotly_chart(fig, key="scatter")
test = next(c for c in graph.correlations if c.measure == measure)
tests_row = st.columns(4)
tests_row[0].metric("Pearson r", f"{test.pearson.r:+.3f}" if test.pearson.r is not None else "n/a")
tests_row[1].metric(
    "p-value", f"{test.pearson.p_value:.2g}" if test.pearson.p_value is not None else "n/a"
)
tests_row[2].metric(
    "Spearman ρ", f"{test.spearman.r:+.3f}" if test.spearman.r is not None else "n/a"
)
tests_row[3].metric(
    "p-value ", f"{test.spearman.p_value:.2g}" if test.spearman.p_value is not None else "n/a"
)
st.caption(f"Over {test.n:,} users; two-sided t tests of r = 0 with n − 2 degrees of freedom.")
if measure == "distinct_artists":
    st.caption(
        "The dataset keeps at most 50 artists per user and nearly every user has 50: this "
        "count is saturated, so it cannot measure how diverse a user's listening is."
    )
elif measure == "distinct_tags":
    st.caption(
        "Distinct tags grow with how popular a user's artists are (popular artists carry more "
        "tags), so this correlation mixes sociability with taste for the mainstream."
    )

st.subheader("Degree distribution")
degree_rows = [d.to_dict() for d in graph.degree_distribution]
degrees = px.scatter(
    degree_rows,
    x="degree",
    y="users",
    log_x=True,
    log_y=True,
    labels={"degree": "Friends (log)", "users": "Users (log)"},
)
degrees.update_layout(height=360, margin={"l": 10, "r": 10, "t": 10, "b": 10})
degrees.update_xaxes(**log_ticks(min(r["degree"] for r in degree_rows), graph.max_degree))
degrees.update_yaxes(**log_ticks(1, max(r["users"] for r in degree_rows)))
st.plotly_chart(degrees, key="degrees")

st.subheader("A friend circle")
user_id = int(st.number_input("User id", min_value=1, value=2, step=1, key="circle_user"))
fetch(api.user, user_id)
with st.spinner("Reading the circle…"):
    members = fetch(circle.build, user_id)
if members.friends.empty:
    st.info(f"User {user_id} has no friends in the data.")
    st.stop()
shown = len(members.friends)
st.markdown(
    f"**User {user_id}** has {members.total_friends} friends"
    + (f" (the {shown} with the most friends are drawn)" if shown < members.total_friends else "")
    + f"; {len(members.edges) - shown} friendships link them to each other. "
    "Hover a node for what that user listens to."
)
st.plotly_chart(circle.figure(members), key="circle")
left, right = st.columns([3, 2])
left.dataframe(
    circle.friends_table(members),
    hide_index=True,
    key="circle_table",
    column_config={
        "user": st.column_config.NumberColumn("User", format="%d"),
        "friends": integer("Friends"),
        "plays": integer("Plays"),
        "shared artists": integer("Shared artists"),
    },
)
shared = circle.circle_artists(members)
bars = px.bar(
    shared.iloc[::-1],
    x="members",
    y="artist",
    color="the user listens",
    orientation="h",
    category_orders={"the user listens": ["yes", "no"]},
    labels={"members": "Members of the circle who listen", "artist": ""},
    title="What the circle listens to",
)
bars.update_layout(height=480, margin={"l": 10, "r": 10, "t": 40, "b": 10})
# One trace per colour: keep the bars in the order of their length, not grouped by colour.
bars.update_yaxes(categoryorder="total ascending")
right.plotly_chart(bars, key="circle_artists")
