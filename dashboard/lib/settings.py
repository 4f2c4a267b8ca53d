"""Where the dashboard finds the API: read from the environment on every run, so a changed
variable takes effect without restarting Streamlit."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_API_URL = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class Settings:
    """The API's base URL and the optional key sent as `Authorization: Bearer <key>`."""

    api_url: str
    api_key: str | None


def settings() -> Settings:
    """`SOUNDSTREAM_API_URL` (default `http://127.0.0.1:8000`) and `SOUNDSTREAM_API_KEY`.

    The URL is resolved as the SDK resolves it: `SOUNDSTREAM_API_URL`, else its former name
    `SOUNDSTREAM_BASE_URL`, else the default; one setting for the SDK, the notebook and the
    dashboard."""
    url = (
        os.environ.get("SOUNDSTREAM_API_URL", "").strip()
        or os.environ.get("SOUNDSTREAM_BASE_URL", "").strip()
        or DEFAULT_API_URL
    )
    key = os.environ.get("SOUNDSTREAM_API_KEY", "").strip() or None
    return Settings(api_url=url.rstrip("/"), api_key=key)
