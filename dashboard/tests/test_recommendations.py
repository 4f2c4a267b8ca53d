"""The Recommendations page against the live API: the cards are the recommender's answer."""

from __future__ import annotations

import html

from soundstream import SoundStreamClient

from tests.apptest import assert_clean, figure, open_page, values
from tests.conftest import Server


def _cards(at_markdown: list[str]) -> list[str]:
    return [m for m in at_markdown if m.startswith('<div class="ss-card">')]


def test_a_users_recommendations_are_shown_as_cards_in_order(
    live: Server, sdk: SoundStreamClient
) -> None:
    at = open_page("recommendations")
    at.number_input(key="user_id").set_value(2).run()

    assert_clean(at)
    recs = sdk.recommendations.for_user(2, limit=12, strategy="hybrid")
    cards = _cards([m.value for m in at.markdown])
    assert len(cards) == len(recs.items) == 12
    # Rows of three, left to right: the cards come in rank order.
    for rank, (rec, card) in enumerate(zip(recs.items, cards, strict=True), start=1):
        assert f'aria-label="{html.escape(rec.name)}"' in card
        assert f'<p class="ss-name">{html.escape(rec.name)}</p>' in card
        assert f"#{rank} · score {rec.score:.3f}" in card
        assert html.escape(rec.explanation) in card
    assert recs.items[0].name == "Pet Shop Boys"


def test_every_card_has_a_placeholder_under_its_picture(live: Server) -> None:
    at = open_page("recommendations")

    for card in _cards([m.value for m in at.markdown]):
        # The remote picture (when there is one) is the first layer, the initials the last.
        assert "url('data:image/svg+xml;base64," in card
        assert "<img" not in card


def test_switching_strategy_shows_that_strategys_artists(
    live: Server, sdk: SoundStreamClient
) -> None:
    at = open_page("recommendations")
    at.number_input(key="user_id").set_value(2).run()
    at.selectbox(key="strategy").set_value("social").run()
    at.slider(key="limit").set_value(5).run()

    assert_clean(at)
    expected = [r.name for r in sdk.recommendations.for_user(2, limit=5, strategy="social")]
    cards = _cards([m.value for m in at.markdown])
    assert len(cards) == len(expected) == 5
    for name, card in zip(expected, cards, strict=True):
        assert f'<p class="ss-name">{html.escape(name)}</p>' in card
    assert at.markdown[0].value.startswith("**User 2**")


def test_what_the_user_listens_to_is_charted(live: Server, sdk: SoundStreamClient) -> None:
    at = open_page("recommendations")
    at.number_input(key="user_id").set_value(2).run()

    listened = sdk.users.artists(2, limit=20)
    bars = figure(at, "listened")["data"][0]
    assert list(reversed(values(bars, "y"))) == [a.name for a in listened]
    assert list(reversed(values(bars, "x"))) == [a.weight for a in listened]
    assert values(bars, "y")[-1] == "Duran Duran"
    table = at.dataframe[0].value
    assert len(table) == 50
    assert table.iloc[0]["plays"] == 13883


def test_picking_a_heavy_listener_fills_the_user_id(live: Server, sdk: SoundStreamClient) -> None:
    at = open_page("recommendations")
    heaviest = sdk.analytics.active_users(by="plays", limit=1)[0].user_id
    at.selectbox(key="listener_pick").set_value(heaviest).run()

    assert_clean(at)
    assert at.number_input(key="user_id").value == heaviest == 757
    assert at.markdown[0].value.startswith(f"**User {heaviest}**")


def test_an_unknown_user_gets_a_clear_message(live: Server) -> None:
    at = open_page("recommendations")
    at.number_input(key="user_id").set_value(999_999).run()

    assert not at.exception
    assert [w.value for w in at.warning] == ["Not found: user 999999 does not exist."]
    assert not _cards([m.value for m in at.markdown])
