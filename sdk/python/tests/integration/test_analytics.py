"""`client.analytics` against the real server and dataset: every analytics endpoint."""

from __future__ import annotations

import pandas as pd
import pytest

from soundstream import NotFoundError, ValidationError

from .conftest import Client, resolve


async def test_the_summary_counts_the_dataset(client: Client) -> None:
    summary = await resolve(client.analytics.summary())

    assert (summary.artists, summary.users, summary.tags) == (17_632, 1_892, 11_946)
    assert (summary.listens, summary.tag_assignments) == (92_834, 184_941)
    assert (summary.friendship_rows, summary.friendship_pairs) == (25_434, 12_717)
    assert summary.total_plays == 69_183_975
    assert summary.first_tag_assignment == "1956-06-01"
    assert summary.last_tag_assignment == "2011-05-09"
    assert summary.artists_per_user == pytest.approx(92_834 / 1_892)


async def test_the_summary_as_a_frame(client: Client) -> None:
    df = (await resolve(client.analytics.summary())).to_pandas()

    assert len(df) == 1
    assert (df.loc[0, "listens"], df.loc[0, "tag_assignments"]) == (92_834, 184_941)
    assert str(df["first_tag_assignment"].dtype) == "datetime64[ns, UTC]"
    assert df["last_tag_assignment"].iloc[0] == pd.Timestamp("2011-05-09", tz="UTC")


async def test_the_listening_distribution_and_the_social_graph_as_frames(client: Client) -> None:
    distribution = await resolve(client.analytics.listening_distribution())
    quantiles = (await resolve(client.analytics.listening_distribution())).to_pandas()
    social = await resolve(client.analytics.social())
    points = (await resolve(client.analytics.social())).to_pandas()

    parts = distribution.to_frames()
    assert quantiles.set_index("distribution").loc["listen_weights", "count"] == 92_834
    assert parts["histograms"].groupby("distribution")["count"].sum().to_dict() == {
        "artist_plays": 17_632 - distribution.artist_plays.zeros,
        "listen_weights": 92_834 - distribution.listen_weights.zeros,
    }
    assert parts["shares"].set_index("group").loc["head", "artists"] == distribution.head.artists
    assert len(parts["lorenz"]) == 101
    assert len(points) == 1_892
    assert points.attrs["friendship_pairs"] == 12_717
    graph = social.to_frames()
    assert graph["degrees"]["users"].sum() == 1_892
    spearman = (
        graph["correlations"]
        .set_index(["measure", "method"])
        .loc[("distinct_tags", "spearman"), "r"]
    )
    assert (
        spearman == next(c for c in social.correlations if c.measure == "distinct_tags").spearman.r
    )


async def test_top_artists_by_plays_and_by_listeners(client: Client) -> None:
    by_plays = await resolve(client.analytics.top_artists(limit=2))
    by_listeners = await resolve(client.analytics.top_artists(by="listeners", limit=1))

    assert [(a.id, a.name, a.plays) for a in by_plays] == [
        (289, "Britney Spears", 2_393_140),
        (72, "Depeche Mode", 1_301_308),
    ]
    assert [(a.id, a.name, a.listeners) for a in by_listeners] == [(89, "Lady Gaga", 611)]


async def test_top_artists_as_a_dataframe(client: Client) -> None:
    df = (await resolve(client.analytics.top_artists(limit=10))).to_pandas()

    assert len(df) == 10
    assert df.loc[0, "name"] == "Britney Spears"


async def test_rock_is_the_most_used_tag_with_7459_uses(client: Client) -> None:
    top = await resolve(client.analytics.top_tags(limit=2))

    assert [(t.tag_id, t.value, t.usage, t.artists, t.users) for t in top] == [
        (73, "rock", 7_459, 2_248, 671),
        (24, "pop", 5_401, 1_726, 585),
    ]


async def test_the_most_active_users(client: Client) -> None:
    by_plays = await resolve(client.analytics.active_users(limit=1))
    by_friends = await resolve(client.analytics.active_users(by="friends", limit=1))
    raw = (await resolve(client.analytics.active_users(by="tags", limit=3))).to_dict()

    assert (by_plays[0].user_id, by_plays[0].plays) == (757, 480_039)
    assert (by_friends[0].user_id, by_friends[0].friends) == (1543, 119)
    assert len(raw["items"]) == 3


async def test_the_listening_distribution(client: Client) -> None:
    dist = await resolve(client.analytics.listening_distribution(bins_per_decade=5))

    assert dist.bins_per_decade == 5
    assert (dist.artist_plays.count, dist.artist_plays.sum) == (17_632, 69_183_975)
    assert dist.artist_plays.max == 2_393_140
    assert dist.listen_weights.count == 92_834
    assert len(dist.lorenz) == 101
    assert dist.gini is not None
    assert 0.5 < dist.gini < 1
    assert dist.head.artists + dist.tail.artists == 17_632
    lorenz = dist.lorenz_frame()
    assert lorenz.iloc[-1].tolist() == [1.0, 1.0]


async def test_tag_trends_for_rock_by_year(client: Client) -> None:
    trends = await resolve(client.analytics.tag_trends(tags=["rock"], from_year=2009, to_year=2010))

    assert [(p.period, p.tag_id, p.value, p.count) for p in trends] == [
        ("2009", 73, "rock", 1_736),
        ("2010", 73, "rock", 2_027),
    ]


async def test_tag_trends_by_month_for_all_tags_as_a_dataframe(client: Client) -> None:
    df = (
        await resolve(
            client.analytics.tag_trends(granularity="month", from_year=2010, to_year=2010)
        )
    ).to_pandas()

    assert df["period"].tolist() == [f"2010-{m:02d}" for m in range(1, 13)]
    assert df["tag_id"].isna().all()


async def test_the_social_graph(client: Client) -> None:
    social = await resolve(client.analytics.social())

    assert (social.users, social.friendship_pairs, social.max_degree) == (1_892, 12_717, 119)
    assert social.users_without_friends == 0
    assert {c.measure for c in social.correlations} == {
        "distinct_artists",
        "play_entropy",
        "distinct_tags",
    }
    points = social.points_frame()
    assert len(points) == 1_892
    assert points.loc[points["user_id"] == 2, "friends"].item() == 13


async def test_tag_clouds_of_the_dataset_an_artist_a_user_and_related_tags(client: Client) -> None:
    everything = await resolve(client.analytics.tag_cloud(limit=2))
    metallica = await resolve(client.analytics.tag_cloud(artist_id=707, limit=2))
    user = await resolve(client.analytics.tag_cloud(user_id=2, limit=1))
    related = await resolve(client.analytics.tag_cloud(tags=["thrash metal"], limit=5))

    assert [(t.value, t.count, t.weight) for t in everything] == [
        ("rock", 7_459, 1.0),
        ("pop", 5_401, 0.0),
    ]
    assert [(t.value, t.count) for t in metallica] == [("metal", 48), ("thrash metal", 45)]
    assert user[0].value == "chillout"
    assert "thrash metal" not in [t.value for t in related]


async def test_a_tag_cloud_of_an_unknown_artist_is_not_found(client: Client) -> None:
    with pytest.raises(NotFoundError):
        await resolve(client.analytics.tag_cloud(artist_id=4_999_999))


async def test_a_tag_cloud_with_two_scopes_is_refused(client: Client) -> None:
    with pytest.raises(ValidationError):
        await resolve(client.analytics.tag_cloud(artist_id=707, user_id=2))
