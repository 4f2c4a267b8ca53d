"""SoundStream dashboard: the router. It sets up the page, lists the pages for `st.navigation`,
shows where the API is in the sidebar, and runs the page the person chose.

Run it with `scripts/serve` (or `streamlit run app.py`); the API's URL and key come from
`SOUNDSTREAM_API_URL` and `SOUNDSTREAM_API_KEY` (see `lib/settings.py`).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from lib.settings import settings

# A local file: a Material icon or an emoji as the favicon would be fetched from a CDN.
ICON = Path(__file__).parent / "assets" / "icon.svg"
st.set_page_config(page_title="SoundStream", page_icon=str(ICON), layout="wide")

PAGES = [
    st.Page("app_pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("app_pages/recommendations.py", title="Recommendations", icon=":material/recommend:"),
    st.Page("app_pages/search.py", title="Search", icon=":material/search:"),
    st.Page("app_pages/tags.py", title="Tags", icon=":material/sell:"),
    st.Page("app_pages/social.py", title="Social graph", icon=":material/group:"),
    st.Page("app_pages/long_tail.py", title="Long tail", icon=":material/show_chart:"),
]

page = st.navigation(PAGES)
with st.sidebar:
    st.caption(f"API: {settings().api_url}")
    st.caption("Data: Last.fm hetrec2011-lastfm-2k (GroupLens), non-commercial use.")
page.run()
