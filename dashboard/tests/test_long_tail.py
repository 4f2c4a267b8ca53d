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
    assert histogram["type"] == "bar"  # bins as bars: no line drawn from one bin to the next
    assert values(histogram, "y") == [b.count for b in artists.histogram if b.count > 0]

    at.radio(key="histogram").set_value("listen_weights")
    at.slider(key="bins").set_value(10).run()

    assert_clean(at)
    weights = sdk.analytics.listening_distribution(bins_per_decade=10).listen_weights
    histogram = figure(at, "histogram_chart")["data"][0]
    assert values(histogram, "y") == [b.count for b in weights.histogram if b.count > 0]
    assert sum(values(histogram, "y")) == weights.count - weights.zeros == 92_834


def test_the_log_axes_read_as_plain_numbers(live: Server) -> None:
    at = open_page("long_tail")

    layout = figure(at, "histogram_chart")["layout"]
    # Powers of ten on the plays axis, 1-2-5 steps on the counts: no "2, 5, 2, 100".
    assert layout["xaxis"]["ticktext"][:4] == ["1", "10", "100", "1,000"]
    assert layout["xaxis"]["ticktext"][-1] == "10,000,000"
    counts = layout["yaxis"]["ticktext"]
    assert counts[:4] == ["1", "2", "5", "10"] or counts[:3] == ["1", "10", "100"]
    assert all(float(t.replace(",", "")) >= 1 for t in counts)


def test_the_quantiles_table(live: Server, sdk: SoundStreamClient) -> None:
    at = open_page("long_tail")

    d = sdk.analytics.listening_distribution()
    quantiles = table(at, "p99")
    assert quantiles["count"].tolist() == [17_632, 92_834]
    assert quantiles["median"].tolist() == [
        round(d.artist_plays.p50, 1),
        round(d.listen_weights.p50, 1),
    ]
    assert quantiles["mean"].tolist() == [
        round(d.artist_plays.mean, 1),
        round(d.listen_weights.mean, 1),
    ]
    assert (
        quantiles["max"].tolist()
        == [d.artist_plays.max, d.listen_weights.max]
        == [2_393_140, 352_698]
    )
