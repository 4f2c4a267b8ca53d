"""The EDA notebook runs top to bottom against a live server, and the figures its commentary
quotes are the API's: each is recomputed here, independently, from data read through the SDK
(or compared with the API's own computation), so the notebook cannot drift silently."""

from __future__ import annotations

import json
import math
import os
import statistics

import numpy as np
import pandas as pd
import pytest

from soundstream import SoundStreamClient

from .conftest import NOTEBOOK, ExecutedNotebook, key_figures

MAX_NOTEBOOK_BYTES = 1_500_000
"""The executed notebook must stay small enough to read on GitHub."""

MODEL_FIGURES = {"median_audience_hybrid", "recs_sample_users", "median_audience_own"}
"""Key figures that depend on the recommender's training, not on the data alone."""


def _artist_plays(client: SoundStreamClient) -> list[int]:
    return [a.plays for a in client.artists.iter()]


def test_every_code_cell_runs_and_the_figures_are_drawn(executed: ExecutedNotebook) -> None:
    code = [c for c in executed.cells if c["cell_type"] == "code"]
    assert code, "the notebook has no code cell"
    for number, cell in enumerate(code, start=1):
        assert cell["execution_count"] == number, f"code cell {number} did not run in order"
        errors = [o for o in cell["outputs"] if o["output_type"] == "error"]
        assert not errors, f"code cell {number} raised {errors[0]['ename']}"
    pictures = [
        o
        for c in code
        for o in c["outputs"]
        if o["output_type"] == "display_data" and "image/png" in o["data"]
    ]
    assert len(pictures) >= 8


def test_the_executed_notebook_stays_small(executed: ExecutedNotebook) -> None:
    assert executed.path.stat().st_size < MAX_NOTEBOOK_BYTES


def test_the_gini_is_the_one_of_every_artists_plays(
    executed: ExecutedNotebook, client: SoundStreamClient
) -> None:
    # Twice the area between the diagonal and the exact Lorenz curve (trapezoids over the n
    # points), a different computation from the notebook's rank-weighted sum.
    plays = sorted(_artist_plays(client))
    n, total = len(plays), sum(plays)
    cumulative, area = 0, 0.0
    for p in plays:
        previous = cumulative
        cumulative += p
        area += (previous + cumulative) / (2 * total * n)
    gini = 1 - 2 * area
    figures = key_figures(executed.cells)
    assert figures["gini"] == pytest.approx(gini, abs=1e-6)
    assert figures["gini_api"] == pytest.approx(gini, abs=1e-6)
    assert 0.85 < gini < 0.95  # the long tail the commentary describes


def test_the_top_shares_and_the_head_are_those_of_the_sorted_plays(
    executed: ExecutedNotebook, client: SoundStreamClient
) -> None:
    plays = sorted(_artist_plays(client), reverse=True)
    total = sum(plays)
    figures = key_figures(executed.cells)
    for percent, key in ((1, "top_1_percent_share"), (10, "top_10_percent_share")):
        top = math.ceil(len(plays) * percent / 100)
        assert figures[key] == pytest.approx(sum(plays[:top]) / total, abs=1e-6)
    head, running = 0, 0
    while running < 0.8 * total:
        running += plays[head]
        head += 1
    assert figures["head_artists"] == head


def test_the_most_played_and_most_listened_artists_are_the_catalogues(
    executed: ExecutedNotebook, client: SoundStreamClient
) -> None:
    artists = list(client.artists.iter())
    by_plays = max(artists, key=lambda a: (a.plays, -a.id))
    by_listeners = max(artists, key=lambda a: (a.listeners, -a.id))
    figures = key_figures(executed.cells)
    assert figures["top_artist_by_plays"] == by_plays.name == "Britney Spears"
    assert figures["top_artist_by_listeners"] == by_listeners.name == "Lady Gaga"
    assert figures["artists_with_one_listener"] == sum(a.listeners == 1 for a in artists)


def test_the_tag_figures_agree_with_the_apis_counts(
    executed: ExecutedNotebook, client: SoundStreamClient
) -> None:
    # The notebook counts tags in use from every tag assignment of the export; the API
    # counts them in SQL.
    figures = key_figures(executed.cells)
    assert figures["tags_in_use"] == client.analytics.summary().tags_used
    assert 0 < figures["tags_used_by_one_user"] < figures["tags_in_use"]


def test_the_social_figures_are_those_of_the_friend_counts(
    executed: ExecutedNotebook, client: SoundStreamClient
) -> None:
    friends = [u.friends for u in client.users.iter()]
    figures = key_figures(executed.cells)
    assert figures["mean_degree"] == pytest.approx(statistics.fmean(friends), abs=1e-9)
    assert figures["median_degree"] == statistics.median(friends)
    assert figures["max_degree"] == max(friends)
    # scipy in the notebook, the server's own statistics in Rust: the same coefficients.
    correlations = {c.measure: c for c in client.analytics.social().correlations}
    tags, entropy = correlations["distinct_tags"], correlations["play_entropy"]
    assert figures["spearman_friends_distinct_tags"] == pytest.approx(tags.spearman.r, abs=1e-6)
    assert figures["pearson_friends_distinct_tags"] == pytest.approx(tags.pearson.r, abs=1e-6)
    assert figures["spearman_friends_entropy"] == pytest.approx(entropy.spearman.r, abs=1e-6)


def test_the_distinct_tags_confound_and_the_partial_correlation(
    executed: ExecutedNotebook, client: SoundStreamClient
) -> None:
    # Recomputed another way than the notebook's closed formula: the correlation of the
    # residuals of friends' and distinct tags' ranks once each is regressed on the ranks of
    # the median audience; the audiences from the paged catalogue, the users' artists from
    # the listens export.
    points = client.analytics.social().points_frame().set_index("user_id")
    listeners = pd.Series({a.id: a.listeners for a in client.artists.iter()}, name="listeners")
    listens = client.exports.to_pandas("listens")
    audience = listens["artist_id"].map(listeners).groupby(listens["user_id"]).median()
    ranks = pd.DataFrame(
        {
            "friends": points["friends"],
            "tags": points["distinct_tags"],
            "audience": audience,
        }
    ).rank()
    design = np.column_stack([np.ones(len(ranks)), ranks["audience"].to_numpy()])

    def residuals(column: str) -> np.ndarray:
        values = ranks[column].to_numpy()
        coefficients, *_ = np.linalg.lstsq(design, values, rcond=None)
        residual: np.ndarray = values - design @ coefficients
        return residual

    partial = float(np.corrcoef(residuals("friends"), residuals("tags"))[0, 1])
    figures = key_figures(executed.cells)
    assert figures["partial_spearman_friends_distinct_tags"] == pytest.approx(partial, abs=1e-6)
    assert figures["spearman_distinct_tags_median_audience"] == pytest.approx(
        ranks["tags"].corr(ranks["audience"]), abs=1e-6
    )
    assert figures["spearman_friends_median_audience"] == pytest.approx(
        ranks["friends"].corr(ranks["audience"]), abs=1e-6
    )
    # The commentary's words: about 0.86 and about 0.23, down from 0.395.
    assert round(figures["spearman_distinct_tags_median_audience"], 2) == 0.86
    assert round(partial, 2) == 0.23
    assert partial < figures["spearman_friends_distinct_tags"]


def test_the_notebook_reads_whole_tables_through_the_exports(executed: ExecutedNotebook) -> None:
    code = "".join("".join(c["source"]) for c in executed.cells if c["cell_type"] == "code")
    assert "client.exports.to_pandas(" in code
    # No hand-written pager over skip/limit any more.
    assert "skip=" not in code
    assert "output_format" not in code  # deprecated in the SDK: results have .to_pandas()


def test_the_committed_notebook_shows_the_figures_of_a_fresh_run(
    executed: ExecutedNotebook,
) -> None:
    if os.environ.get("SOUNDSTREAM_NOTEBOOK_UPDATE") == "1":
        pytest.skip("scripts/check --update is replacing the committed outputs")
    committed = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    fresh = key_figures(executed.cells)
    stored = key_figures(committed)
    data_figures = {k: v for k, v in fresh.items() if k not in MODEL_FIGURES}
    assert {k: stored.get(k) for k in data_figures} == data_figures, (
        "the committed eda.ipynb shows outdated figures: run notebooks/scripts/check --update "
        "and revise the commentary"
    )
