"""Search: artists by tags (all of / any of), popularity range and name, as a table with
links to the API's artist resource and to Last.fm, exportable as CSV."""

from __future__ import annotations

import streamlit as st
from soundstream.types import SearchSort

from lib import api
from lib.errors import fetch
from lib.settings import settings

SORTS: dict[SearchSort, str] = {
    "relevance": "Relevance (how often the tags were applied)",
    "listeners": "Listeners",
    "plays": "Plays",
    "name": "Name",
}

# The pickers offer the most used tags; any other tag can be typed in. (Comments, not
# docstrings, in page scripts: Streamlit's "magic" would print a bare string.)
TAG_CHOICES = 1000

st.title("Search artists")
st.caption(
    "Combine tags, a popularity range and a name. Tags match case-insensitively; "
    "an artist must carry every tag of the first list and at least one of the second."
)

choices = fetch(api.tag_values, TAG_CHOICES)
with st.form("search"):
    left, right = st.columns(2)
    tags_all = left.multiselect(
        "Carries all of these tags",
        options=choices,
        key="tags_all",
        accept_new_options=True,
        placeholder="e.g. metal, thrash metal",
    )
    tags_any = right.multiselect(
        "…and at least one of these",
        options=choices,
        key="tags_any",
        accept_new_options=True,
        placeholder="e.g. jazz, bossa nova",
    )
    name = st.text_input("Name contains", key="name", placeholder="e.g. the")
    row = st.columns(4)
    min_listeners = row[0].number_input("Min listeners", min_value=0, value=0, key="min_listeners")
    max_listeners = row[1].number_input(
        "Max listeners", min_value=0, value=None, key="max_listeners", placeholder="no limit"
    )
    min_plays = row[2].number_input("Min plays", min_value=0, value=0, key="min_plays")
    max_plays = row[3].number_input(
        "Max plays", min_value=0, value=None, key="max_plays", placeholder="no limit"
    )
    row2 = st.columns([2, 1])
    sort: SearchSort = (
        row2[0].selectbox("Sort by", list(SORTS), format_func=SORTS.__getitem__, key="sort")
        or "relevance"
    )
    limit = int(row2[1].number_input("Rows", min_value=1, max_value=500, value=100, key="limit"))
    st.form_submit_button("Search", type="primary")

hits = fetch(
    api.search_artists,
    tuple(tags_all),
    tuple(tags_any),
    name.strip() or None,
    int(min_listeners) or None,
    None if max_listeners is None else int(max_listeners),
    int(min_plays) or None,
    None if max_plays is None else int(max_plays),
    sort,
    limit,
)
total = int(hits.attrs.get("total", len(hits)))
st.markdown(f"**{total:,} artists** match; showing {len(hits):,}.")
if hits.empty:
    st.info("No artist matches these filters.")
    st.stop()

base = settings().api_url
table = hits.assign(api=[f"{base}/v1/artists/{i}" for i in hits["id"]])[
    ["id", "name", "listeners", "plays", "tag_score", "api", "url"]
]
st.dataframe(
    table,
    hide_index=True,
    key="results",
    column_config={
        "id": st.column_config.NumberColumn("Id", format="%d"),
        "name": st.column_config.TextColumn("Artist"),
        "listeners": st.column_config.NumberColumn("Listeners", format="localized"),
        "plays": st.column_config.NumberColumn("Plays", format="localized"),
        "tag_score": st.column_config.NumberColumn(
            "Tag score", help="How many times the requested tags were applied to the artist"
        ),
        "api": st.column_config.LinkColumn("API", display_text="JSON"),
        "url": st.column_config.LinkColumn("Last.fm", display_text="page"),
    },
)
st.download_button(
    "Download as CSV",
    data=table.to_csv(index=False).encode(),
    file_name="soundstream-artists.csv",
    mime="text/csv",
    key="csv",
    icon=":material/download:",
)
