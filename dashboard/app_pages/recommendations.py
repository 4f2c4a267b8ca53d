"""Recommendations: a user's suggested artists as cards (picture or initials, score, the
recommender's explanation), under a strategy of the person's choice, beside what the user
already listens to."""

from __future__ import annotations

import plotly.express as px
import streamlit as st
from soundstream.types import Strategy

from lib import api
from lib.cards import CARD_CSS, artist_card
from lib.charts import integer
from lib.errors import attempt, fetch

STRATEGIES: dict[Strategy, str] = {
    "hybrid": "Hybrid (the served blend)",
    "collaborative": "Collaborative (listeners with similar taste)",
    "social": "Social (what friends play)",
    "tags": "Tags (the user's tag profile)",
    "popular": "Popular (most listeners)",
}


def _pick_listener() -> None:
    """Copy the listener picked in the list into the user id field."""
    picked = st.session_state.get("listener_pick")
    if picked is not None:
        st.session_state["user_id"] = int(picked)


st.title("Recommendations")
st.caption("What the SoundStream recommender suggests to one listener, and why.")

active = attempt(api.active_users, 50)
controls = st.columns([1, 1, 2, 1])
# The id lives in session state (not in `value=`) so that picking a listener can set it.
st.session_state.setdefault("user_id", 2)
user_id = int(controls[0].number_input("User id", min_value=1, step=1, key="user_id"))
if active is not None:
    controls[1].selectbox(
        "or pick a heavy listener",
        options=active["user_id"].tolist(),
        index=None,
        placeholder="top 50 by plays",
        key="listener_pick",
        on_change=_pick_listener,
    )
strategy: Strategy = (
    controls[2].selectbox(
        "Strategy",
        options=list(STRATEGIES),
        format_func=STRATEGIES.__getitem__,
        key="strategy",
    )
    or "hybrid"
)
limit = int(controls[3].slider("How many", min_value=5, max_value=30, value=12, key="limit"))

listener = fetch(api.user, user_id)
st.markdown(
    f"**User {listener.id}** listens to {listener.artists} artists ({listener.plays:,} plays), "
    f"has {listener.friends} friends and applied {listener.tags_applied} tags."
)

recs = fetch(api.recommendations, user_id, strategy, limit)
st.subheader(f"Suggested artists ({STRATEGIES[strategy].split(' (')[0].lower()})")
if not recs.items:
    st.info("The recommender has nothing to suggest to this user under this strategy.")
else:
    st.html(CARD_CSS)
    # Row by row, so that the cards read left to right in rank order.
    for rank, rec in enumerate(recs.items):
        if rank % 3 == 0:
            columns = st.columns(3)
        columns[rank % 3].markdown(
            artist_card(
                rec.name,
                rec.picture_url,
                f"#{rank + 1} · score {rec.score:.3f}",
                rec.explanation,
            ),
            unsafe_allow_html=True,
        )
    st.caption(f"Model version {recs.model_version}; scores compare within one list only.")

st.subheader("What this user already listens to")
listened = fetch(api.user_artists, user_id, 50)
if listened.empty:
    st.info("This user has no listens.")
else:
    top = listened.head(20).iloc[::-1]
    fig = px.bar(
        top,
        x="plays",
        y="name",
        orientation="h",
        labels={"plays": "Plays", "name": ""},
        hover_data={"plays": ":,"},
    )
    fig.update_xaxes(tickformat=",")
    fig.update_layout(height=560, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    st.plotly_chart(fig, key="listened")
    st.dataframe(
        listened[["name", "plays", "artist_id"]],
        hide_index=True,
        key="listened_table",
        column_config={
            "name": st.column_config.TextColumn("Artist"),
            "plays": integer("Plays"),
            "artist_id": st.column_config.NumberColumn("Artist id", format="%d"),
        },
    )
