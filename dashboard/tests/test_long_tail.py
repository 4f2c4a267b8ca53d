"""The Long tail page against the live API: its shares, curves and quantiles."""

from __future__ import annotations

from soundstream import SoundStreamClient

from tests.apptest import assert_clean, figure, open_page, table, values
from tests.conftest import Server


def test_the_concentration_figures_are_the_apis(live: Server, sdk: SoundStreamClient) -> None:
    at = open_page("long_tail")

    assert_clean(at)
    d = sdk.analytics.listening_distribution(bins_per_decade=5)
    assert d.gini is not None
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Gini of plays per artist"] == f"{d.gini:.3f}" == "0.893"
    assert metrics["Top 1% of artists (177)"] == f"{d.top_1_percent.plays_share:.1%} of plays"
    assert metrics["Top 10% of artists (1,764)"] == "85.0% of plays"
    assert metrics["Artists with 80% of plays"] == "1,189 (6.7%)"
    assert d.head.artists == 1189
    lorenz = figure(at, "lorenz")["data"][0]
    assert values(lorenz, "y") == [p.plays_share for p in d.lorenz]
    assert len(values(lorenz, "x")) == 101


def test_the_histogram_follows_the_choice_and_resolution(
    live: Server, sdk: SoundStreamClient
) -> None:
    at = open_page("long_tail")
    artists = sdk.analytics.listening_distribution(bins_per_decade=5).artist_plays
    histogram = figure(at, "histogram_chart")["data"][0]
    assert values(histogram, "y") == [b.count for b in artists.histogram if b.count > 0]

    at.radio(key="histogram").set_value("listen_weights")
    at.slider(key="bins").set_value(10).run()

    assert_clean(at)
    weights = sdk.analytics.listening_distribution(bins_per_decade=10).listen_weights
    histogram = figure(at, "histogram_chart")["data"][0]
    assert values(histogram, "y") == [b.count for b in weights.histogram if b.count > 0]
    assert sum(values(histogram, "y")) == weights.count - weights.zeros == 92_834


def test_the_quantiles_table(live: Server, sdk: SoundStreamClient) -> None:
    at = open_page("long_tail")

    d = sdk.analytics.listening_distribution()
    quantiles = table(at, "p99")
    assert quantiles["count"].tolist() == [17_632, 92_834]
    assert quantiles["median"].tolist() == [d.artist_plays.p50, d.listen_weights.p50]
    assert (
        quantiles["max"].tolist()
        == [d.artist_plays.max, d.listen_weights.max]
        == [2_393_140, 352_698]
    )
