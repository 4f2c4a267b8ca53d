"""How a failed API call reaches the person: one clear sentence (`st.error` / `st.warning`),
never a stack trace. The SDK raises typed exceptions; each kind gets its own message."""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn, ParamSpec, TypeVar

import soundstream
import streamlit as st

from lib.settings import settings

P = ParamSpec("P")
T = TypeVar("T")


def explain(error: soundstream.SoundStreamError) -> tuple[str, str]:
    """The message for an SDK error and its level: `warning` for a wrong input (an unknown id,
    an invalid filter), `error` when the API cannot answer."""
    url = settings().api_url
    if isinstance(error, soundstream.APIConnectionError):
        return (
            "error",
            f"The SoundStream API at {url} is unreachable. Check that the server runs (start "
            "it with ./scripts/run, or soundstream serve) and that SOUNDSTREAM_API_URL points "
            "at it, then reload the page.",
        )
    if isinstance(error, soundstream.NotFoundError):
        return "warning", f"Not found: {error.message}."
    if isinstance(error, soundstream.ValidationError):
        reasons = "; ".join(f"{f.field}: {f.reason}" for f in error.fields) or error.message
        return "warning", f"The API rejected the request: {reasons}."
    if isinstance(error, soundstream.RateLimitError):
        return "warning", "The API is rate limiting this dashboard: retry in a few seconds."
    if isinstance(error, soundstream.ServerError):
        return (
            "error",
            f"The API at {url} failed to answer ({error.status_code}: {error.message}). If it "
            "has just started, its recommender may still be training: retry in a few seconds.",
        )
    if isinstance(error, soundstream.APIStatusError):
        return "error", f"The API answered {error.status_code}: {error.message}."
    return "error", f"The API's answer could not be read: {error}."


def show(error: soundstream.SoundStreamError) -> None:
    """Show the message for an SDK error."""
    level, message = explain(error)
    if level == "warning":
        st.warning(message, icon=":material/search_off:")
    else:
        st.error(message, icon=":material/cloud_off:")


def stop(error: soundstream.SoundStreamError) -> NoReturn:
    """Show the message for an SDK error and end this run of the page there."""
    show(error)
    st.stop()


def fetch(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`fn(*args, **kwargs)`, or, if the SDK raises, its message and the end of this run."""
    try:
        return fn(*args, **kwargs)
    except soundstream.SoundStreamError as e:
        stop(e)


def attempt(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T | None:
    """`fn(*args, **kwargs)`, or, if the API refuses, its message and `None`: for a section the
    rest of the page can do without. An unreachable API still ends the run: nothing after it
    could work, and one message says it best."""
    try:
        return fn(*args, **kwargs)
    except soundstream.APIConnectionError as e:
        stop(e)
    except soundstream.SoundStreamError as e:
        show(e)
        return None
