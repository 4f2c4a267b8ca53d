"""The Social graph page against the live API: statistics, scatter and the friend circle."""

from __future__ import annotations

from soundstream import SoundStreamClient

from tests.apptest import assert_clean, figure, open_page, table, values
from tests.conftest import Server


def test_the_graphs_figures_and_degree_distribution(live: Server, sdk: SoundStreamClient) -> None:
    at = open_page("social")

    assert_clean(at)
    graph = sdk.analytics.social()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Users"] == "1,892"
    assert metrics["Friendships"] == f"{graph.friendship_pairs:,}"
    assert metrics["Most friends"] == str(graph.max_degree) == "119"
    chart = figure(at, "degrees")
    degrees = chart["data"][0]
    assert values(degrees, "x") == [d.degree for d in graph.degree_distribution]
    assert values(degrees, "y") == [d.users for d in graph.degree_distribution]
    # Readable log axes: 1, 2, 5, 10, 20, 50, 100 friends, nothing below 1.
    assert chart["layout"]["xaxis"]["ticktext"] == ["1", "2", "5", "10", "20", "50", "100"]
    assert all(float(t.replace(",", "")) >= 1 for t in chart["layout"]["yaxis"]["ticktext"])


def test_the_scatter_and_its_correlation_follow_the_measure(
    live: Server, sdk: SoundStreamClient
) -> None:
    at = open_page("social")
    at.selectbox(key="measure").set_value("play_entropy").run()

    assert_clean(at)
    graph = sdk.analytics.social()
    scatter = figure(at, "scatter")["data"][0]
    assert values(scatter, "x") == [p.friends for p in graph.points]
    assert values(scatter, "y") == [p.play_entropy for p in graph.points]
    test = next(c for c in graph.correlations if c.measure == "play_entropy")
    assert test.pearson.r is not None
    assert test.pearson.p_value is not None
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Pearson r"] == f"{test.pearson.r:+.3f}" == "-0.157"
    assert metrics["p-value"] == f"{test.pearson.p_value:.2g}"


def test_a_users_friend_circle(live: Server, sdk: SoundStreamClient) -> None:
    at = open_page("social")
    at.number_input(key="circle_user").set_value(2).run()

    assert_clean(at)
    friends = [f.id for f in sdk.users.friends(2, limit=500)]
    among = {
        frozenset((f, g))
        for f in friends
        for g in (x.id for x in sdk.users.friends(f, limit=500))
        if g in friends
    }
    assert (len(friends), len(among)) == (13, 15)
    assert any(
        m.value.startswith(f"**User 2** has 13 friends; {len(among)} friendships link them")
        for m in at.markdown
    )
    nodes = figure(at, "circle")["data"][1]
    assert values(nodes, "text") == ["2", *(str(f) for f in friends)]
    friends_table = table(at, "shared artists")
    assert friends_table["user"].tolist() == friends
    mine = {a.name for a in sdk.users.artists(2, limit=50)}
    first = friends[0]
    theirs = [a.name for a in sdk.users.artists(first, limit=50)]
    assert friends_table["shared artists"].iloc[0] == len(mine.intersection(theirs))
    assert friends_table["top artists"].iloc[0] == ", ".join(theirs[:3])


def test_a_large_circle_is_cut_to_sixty(live: Server) -> None:
    at = open_page("social")
    at.number_input(key="circle_user").set_value(1543).run()

    assert_clean(at)
    assert any(
        m.value.startswith("**User 1543** has 119 friends (the 60 with the most friends are drawn)")
        for m in at.markdown
    )
    assert len(table(at, "shared artists")) == 60


def test_an_unknown_user_gets_a_clear_message(live: Server) -> None:
    at = open_page("social")
    at.number_input(key="circle_user").set_value(999_999).run()

    assert not at.exception
    assert [w.value for w in at.warning] == ["Not found: user 999999 does not exist."]


def test_what_the_circle_listens_to(live: Server, sdk: SoundStreamClient) -> None:
    at = open_page("social")
    at.number_input(key="circle_user").set_value(2).run()

    assert_clean(at)
    members = [2, *(f.id for f in sdk.users.friends(2, limit=500))]
    listens = {m: {a.name for a in sdk.users.artists(m, limit=50)} for m in members}
    counts: dict[str, int] = {}
    for names in listens.values():
        for name in names:
            counts[name] = counts.get(name, 0) + 1
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:15]
    shown = {}
    for trace in figure(at, "circle_artists")["data"]:
        for name, n in zip(values(trace, "y"), values(trace, "x"), strict=True):
            shown[name] = (n, trace["name"])
    assert shown == {name: (n, "yes" if name in listens[2] else "no") for name, n in top}
    assert top[0] == ("Depeche Mode", 10)
