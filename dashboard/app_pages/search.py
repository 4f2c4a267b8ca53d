"""Search: artists by tags (all of / any of), popularity range and name, as a table with
links to the API's artist resource and to Last.fm; every match downloads as CSV or Parquet."""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st
from soundstream.types import SearchSort

from lib import api
from lib.charts import integer
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
# The API takes at most 20 tags per list; the pickers stop there and say so.
MAX_TAGS = 20

st.title("Search artists")
st.caption(
    "Combine tags, a popularity range and a name. Tags match case-insensitively; "
    "an artist must carry every tag of the first list and at least one of the second."
)

choices = fetch(api.tag_values, TAG_CHOICES)
with st.form("search"):
    left, right = st.columns(2)
    # select_all=False: with it, Enter after typing "rock" picked "Select all matches" (62
    # tags) instead of the tag typed; now Enter picks the best match, the exact one first.
    tags_all = left.multiselect(
        f"Carries all of these tags (up to {MAX_TAGS})",
        options=choices,
        key="tags_all",
        accept_new_options=True,
        max_selections=MAX_TAGS,
        select_all=False,
        placeholder="e.g. metal, thrash metal",
    )
    # The same picker for the other criterion (a deliberate repetition: two widgets, two labels).
    tags_any = right.multiselect(
        f"…and at least one of these (up to {MAX_TAGS})",
        options=choices,
        key="tags_any",
        accept_new_options=True,
        max_selections=MAX_TAGS,
        select_all=False,
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

query = (
    tuple(tags_all),
    tuple(tags_any),
    name.strip() or None,
    int(min_listeners) or None,
    None if max_listeners is None else int(max_listeners),
    int(min_plays) or None,
    None if max_plays is None else int(max_plays),
    sort,
)
hits = fetch(api.search_artists, *query, limit)
total = int(hits.attrs.get("total", len(hits)))
st.markdown(f"**{total:,} artists** match; showing {len(hits):,}.")
if hits.empty:
    st.info("No artist matches these filters.")
    st.stop()

base = settings().api_url
# The tag score counts how often the requested tags were applied: without a tag it is 0 for
# every artist, so the column is left out.
columns = ["artist_id", "name", "listeners", "plays", "tag_score", "api", "url"]
if not (tags_all or tags_any):
    columns.remove("tag_score")


# The frame's columns for the table and the files, with a link to each artist's JSON.
def with_links(frame: pd.DataFrame) -> pd.DataFrame:
    linked = frame.assign(api=[f"{base}/v1/artists/{i}" for i in frame["artist_id"]])
    shown: pd.DataFrame = linked[columns]
    return shown


table = with_links(hits)
st.dataframe(
    table,
    hide_index=True,
    key="results",
    column_config={
        "artist_id": st.column_config.NumberColumn("Id", format="%d"),
        "name": st.column_config.TextColumn("Artist"),
        "listeners": integer("Listeners"),
        "plays": integer("Plays"),
        "tag_score": integer(
            "Tag score", help="How many times the requested tags were applied to the artist"
        ),
        "api": st.column_config.LinkColumn("API", display_text="JSON"),
        "url": st.column_config.LinkColumn("Last.fm", display_text="page"),
    },
)


# All the matches, not only the rows shown (read when a download is clicked).
def every_match() -> pd.DataFrame:
    return with_links(api.search_all(*query)) if total > len(hits) else table


def as_csv() -> bytes:
    return every_match().to_csv(index=False).encode()


def as_parquet() -> bytes:
    buffer = io.BytesIO()
    every_match().to_parquet(buffer, index=False)
    return buffer.getvalue()


left, right, _ = st.columns([2, 2, 3])
# The files are made when a button is clicked (a callable as `data`), so that a search does
# not read thousands of rows nobody downloads; on_click="ignore" leaves the page as it is.
left.download_button(
    f"Download all {total:,} as CSV",
    data=as_csv,
    file_name="soundstream-artists.csv",
    mime="text/csv",
    key="csv",
    icon=":material/download:",
    on_click="ignore",
)
right.download_button(
    f"Download all {total:,} as Parquet",
    data=as_parquet,
    file_name="soundstream-artists.parquet",
    mime="application/vnd.apache.parquet",
    key="parquet",
    icon=":material/download:",
    on_click="ignore",
)
