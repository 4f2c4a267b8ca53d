"""One user's friend circle: who their friends are, who among them are friends, and what the
circle listens to. Built from the SDK's per-user reads (cached in `lib.api`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import networkx as nx
import pandas as pd
import plotly.graph_objects as go

from lib import api

MAX_FRIENDS = 60
"""A larger circle is cut to the friends with the most friends: past ~60 nodes the drawing
stops being readable (the largest circle in the data has 119)."""


@dataclass(frozen=True)
class Circle:
    """A user, their friends (at most `MAX_FRIENDS`), and what each of them listens to."""

    user_id: int
    friends: pd.DataFrame
    """The friends shown: `user_id`, `artists`, `plays`, `tags_applied`, `friends`."""
    total_friends: int
    edges: list[tuple[int, int]]
    """Friendships among the circle (the user's own included)."""
    artists: dict[int, list[str]]
    """Each member's artists, most played first."""


def build(user_id: int) -> Circle:
    """Fetch the circle through the SDK (about two reads per friend, each cached)."""
    friends = api.user_friends(user_id)
    total = len(friends)
    if total > MAX_FRIENDS:
        friends = friends.sort_values(["friends", "user_id"], ascending=[False, True]).head(
            MAX_FRIENDS
        )
    members = {user_id, *(int(i) for i in friends["user_id"])}
    edges = [(user_id, int(f)) for f in friends["user_id"]]
    for friend in friends["user_id"]:
        theirs = api.user_friends(int(friend))
        edges += [
            (int(friend), int(other))
            for other in theirs["user_id"]
            if int(other) in members and int(other) != user_id and int(friend) < int(other)
        ]
    artists = {m: api.user_artists(m, 50)["name"].tolist() for m in sorted(members)}
    return Circle(user_id, friends.reset_index(drop=True), total, edges, artists)


def friends_table(circle: Circle) -> pd.DataFrame:
    """One row per friend: figures, artists shared with the user, and their top three."""
    mine = set(circle.artists[circle.user_id])
    rows = []
    f = circle.friends
    for friend, degree, plays in zip(
        f["user_id"].tolist(), f["friends"].tolist(), f["plays"].tolist(), strict=True
    ):
        theirs = circle.artists[int(friend)]
        rows.append(
            {
                "user": int(friend),
                "friends": int(degree),
                "plays": int(plays),
                "shared artists": len(mine.intersection(theirs)),
                "top artists": ", ".join(theirs[:3]),
            }
        )
    table: pd.DataFrame = pd.DataFrame.from_records(rows)
    return table


def circle_artists(circle: Circle, top: int = 15) -> pd.DataFrame:
    """The artists most members of the circle listen to, with whether the user does."""
    counts = Counter(name for names in circle.artists.values() for name in set(names))
    mine = set(circle.artists[circle.user_id])
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    table: pd.DataFrame = pd.DataFrame.from_dict(
        {
            "artist": [name for name, _ in ranked],
            "members": [n for _, n in ranked],
            "the user listens": ["yes" if name in mine else "no" for name, _ in ranked],
        }
    )
    return table


def figure(circle: Circle) -> go.Figure:
    """The circle as a network: the user in the middle, friends around, friendships as lines;
    a friend's colour says how many artists they share with the user."""
    graph = nx.Graph()
    graph.add_nodes_from(circle.artists)
    graph.add_edges_from(circle.edges)
    positions = nx.spring_layout(graph, seed=7, k=1.2 / max(1, len(graph) ** 0.5))

    edge_x: list[float | None] = []
    edge_y: list[float | None] = []
    for a, b in graph.edges:
        edge_x += [positions[a][0], positions[b][0], None]
        edge_y += [positions[a][1], positions[b][1], None]
    mine = set(circle.artists[circle.user_id])
    nodes = [circle.user_id, *(int(i) for i in circle.friends["user_id"])]
    shared = [len(mine.intersection(circle.artists[n])) for n in nodes]
    # The user shares every artist with themself: scale the colours on the friends only, and
    # draw the user apart (red, larger).
    most_shared = max([1, *shared[1:]])
    hover = [
        f"user {n}{' (selected)' if n == circle.user_id else ''}<br>"
        f"{graph.degree[n]} links in this circle; shares {s} artists<br>"
        f"listens to: {', '.join(circle.artists[n][:5]) or 'nothing'}"
        for n, s in zip(nodes, shared, strict=True)
    ]
    figure = go.Figure(
        [
            go.Scatter(
                x=edge_x,
                y=edge_y,
                mode="lines",
                line={"width": 0.6, "color": "#9aa4b1"},
                hoverinfo="skip",
                name="friendships",
            ),
            go.Scatter(
                x=[positions[n][0] for n in nodes],
                y=[positions[n][1] for n in nodes],
                mode="markers+text",
                text=[str(n) for n in nodes],
                textposition="top center",
                hovertext=hover,
                hoverinfo="text",
                marker={
                    "size": [30, *([18] * (len(nodes) - 1))],
                    "color": [0, *shared[1:]],
                    "colorscale": "Viridis",
                    "cmin": 0,
                    "cmax": most_shared,
                    "line": {"width": 1, "color": "#222"},
                    "colorbar": {"title": {"text": "artists shared<br>with the user"}},
                },
                name="users",
            ),
            go.Scatter(
                x=[positions[circle.user_id][0]],
                y=[positions[circle.user_id][1]],
                mode="markers",
                marker={"size": 30, "color": "#d62728", "line": {"width": 2, "color": "#222"}},
                hovertext=hover[:1],
                hoverinfo="text",
                name="the user",
            ),
        ]
    )
    figure.update_layout(
        height=560,
        showlegend=False,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"visible": False},
        yaxis={"visible": False},
    )
    return figure
