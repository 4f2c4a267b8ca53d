"""The Overview page against the live API: its figures are the SDK's."""

from __future__ import annotations

from soundstream import SoundStreamClient

from tests.apptest import assert_clean, figure, open_page, values
from tests.conftest import Server


def test_the_key_figures_are_the_apis_summary(live: Server, sdk: SoundStreamClient) -> None:
    at = open_page("overview")

    assert_clean(at)
    summary = sdk.analytics.summary()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Users"] == f"{summary.users:,}" == "1,892"
    assert metrics["Artists"] == f"{summary.artists:,}" == "17,632"
    assert metrics["Listens (user, artist)"] == "92,834"
    assert metrics["Total plays"] == f"{summary.total_plays:,}"
    assert metrics["Tag assignments"] == f"{summary.tag_assignments:,}" == "184,941"
    assert metrics["Friendships"] == f"{summary.friendship_pairs:,}"
    assert metrics["Artists per user"] == f"{summary.artists_per_user:.1f}" == "49.1"
    assert "Each user's list is capped at 50 artists (their 50 most played)." in [
        c.value for c in at.caption
    ]


def test_the_top_artists_are_charted_by_plays_and_by_listeners(
    live: Server, sdk: SoundStreamClient
) -> None:
    at = open_page("overview")

    assert_clean(at)
    for by in ("plays", "listeners"):
        top = sdk.analytics.top_artists(by=by, limit=10)
        bars = figure(at, f"top_by_{by}")["data"][0]
        # Drawn bottom-up, so the first artist is the last bar.
        assert list(reversed(values(bars, "y"))) == [a.name for a in top]
        assert list(reversed(values(bars, "x"))) == [getattr(a, by) for a in top]
    assert figure(at, "top_by_plays")["data"][0]["y"][-1] == "Britney Spears"
    assert figure(at, "top_by_listeners")["data"][0]["y"][-1] == "Lady Gaga"


def test_the_top_tags_are_charted_with_their_usage(live: Server, sdk: SoundStreamClient) -> None:
    at = open_page("overview")

    bars = figure(at, "top_tags")["data"][0]
    tags = sdk.analytics.top_tags(limit=20)
    assert values(bars, "x") == [t.value for t in tags]
    assert values(bars, "y") == [t.usage for t in tags]
    assert values(bars, "x")[0] == "rock"
