"""The Tags page against the live API: the cloud and the trends are the API's numbers."""

from __future__ import annotations

from soundstream import SoundStreamClient
from streamlit.testing.v1 import AppTest

from lib.tagfilter import is_offensive
from tests.apptest import assert_clean, figure, open_page, table, values
from tests.conftest import Server


def _cloud_tags(at: AppTest) -> list[str]:
    """The tags of the cloud, from the table beside the picture."""
    tags: list[str] = table(at, "tag")["tag"].tolist()
    return tags


def _cloud_caption(at: AppTest) -> str:
    (image,) = at.get("image")
    caption: str = image.proto.imgs[0].caption
    return caption


def test_the_cloud_of_all_data_is_the_apis_tag_cloud(live: Server, sdk: SoundStreamClient) -> None:
    at = open_page("tags")

    assert_clean(at)
    cloud = sdk.analytics.tag_cloud(limit=80)
    assert _cloud_caption(at) == "The 80 most applied tags of all listeners"
    bars = figure(at, "cloud_bars")["data"][0]
    assert values(bars, "x") == [t.value for t in cloud.items[:20]]
    assert values(bars, "y") == [t.count for t in cloud.items[:20]]
    assert (values(bars, "x")[0], values(bars, "y")[0]) == ("rock", 7459)


def test_the_cloud_of_an_artist_found_by_name(live: Server, sdk: SoundStreamClient) -> None:
    at = open_page("tags")
    at.radio(key="scope").set_value("An artist").run()
    at.text_input(key="artist_name").set_value("metallica").run()
    at.slider(key="cloud_limit").set_value(30).run()

    assert_clean(at)
    assert at.selectbox(key="artist_pick").value == 707
    cloud = sdk.analytics.tag_cloud(artist_id=707, limit=30)
    bars = figure(at, "cloud_bars")["data"][0]
    assert values(bars, "x") == [t.value for t in cloud.items[:20]]
    assert values(bars, "y") == [t.count for t in cloud.items[:20]]
    assert values(bars, "x")[0] == "metal"
    assert _cloud_caption(at) == f"The {len(cloud)} most applied tags of Metallica"


def test_the_cloud_of_a_user(live: Server, sdk: SoundStreamClient) -> None:
    at = open_page("tags")
    at.radio(key="scope").set_value("A user").run()
    at.number_input(key="tag_user_id").set_value(2).run()

    assert_clean(at)
    cloud = sdk.analytics.tag_cloud(user_id=2, limit=80)
    bars = figure(at, "cloud_bars")["data"][0]
    assert values(bars, "x") == [t.value for t in cloud.items[:20]]
    assert _cloud_caption(at) == f"The {len(cloud)} most applied tags of user 2"


def test_an_unknown_user_gets_a_clear_message(live: Server) -> None:
    at = open_page("tags")
    at.radio(key="scope").set_value("A user").run()
    at.number_input(key="tag_user_id").set_value(999_999).run()

    assert not at.exception
    assert [w.value for w in at.warning] == ["Not found: user 999999 does not exist."]
    assert not at.get("image")


def test_the_yearly_trends_open_on_the_share_of_tag_use(
    live: Server, sdk: SoundStreamClient
) -> None:
    at = open_page("tags")

    assert_clean(at)
    chosen = ["rock", "pop", "electronic", "indie"]
    assert at.multiselect(key="trend_tags").value == chosen
    assert at.slider(key="years").value == (2005, 2011)
    assert at.radio(key="trend_measure").value == "share"
    expected = sdk.analytics.tag_trends(tags=chosen, from_year=2005, to_year=2011)
    traces = figure(at, "trends")["data"]
    assert [t["name"] for t in traces] == chosen
    for trace in traces:
        points = [p for p in expected if p.value == trace["name"]]
        assert values(trace, "x") == [p.period for p in points]
        assert values(trace, "y") == [p.share for p in points]
    assert values(traces[0], "x")[0] == "2005"


def test_raw_counts_are_one_click_away(live: Server, sdk: SoundStreamClient) -> None:
    at = open_page("tags")
    at.radio(key="trend_measure").set_value("count").run()

    assert_clean(at)
    expected = sdk.analytics.tag_trends(tags=["rock"], from_year=2005, to_year=2011)
    rock = next(t for t in figure(at, "trends")["data"] if t["name"] == "rock")
    assert values(rock, "y") == [p.count for p in expected]


def test_offensive_tags_are_hidden_from_the_clouds_until_asked(
    live: Server, sdk: SoundStreamClient
) -> None:
    at = open_page("tags")
    at.slider(key="cloud_limit").set_value(200).run()

    assert_clean(at)
    assert at.checkbox(key="hide_offensive").value is True
    # The API's largest cloud is 200 tags; among them, one is offensive ("fucking awesome",
    # 183rd), so 199 are drawn.
    everything = [t.value for t in sdk.analytics.tag_cloud(limit=200)]
    offensive = [t for t in everything if is_offensive(t)]
    assert offensive == ["fucking awesome"]
    assert _cloud_tags(at) == [t for t in everything if not is_offensive(t)]
    assert _cloud_caption(at) == "The 199 most applied tags of all listeners (1 offensive hidden)"

    at.checkbox(key="hide_offensive").uncheck().run()

    assert set(offensive) <= set(_cloud_tags(at))


def test_the_word_list_spares_names_that_contain_its_words() -> None:
    assert is_offensive("fucking awesome")
    assert is_offensive("Faggot")
    assert is_offensive("its britney bitch")
    for name in ("bruce dickinson", "pussycat dolls", "the killers", "scunthorpe", "classic"):
        assert not is_offensive(name), name


def test_monthly_shares_of_one_tag(live: Server, sdk: SoundStreamClient) -> None:
    at = open_page("tags")
    at.multiselect(key="trend_tags").set_value(["jazz"])
    at.radio(key="granularity").set_value("month")
    at.radio(key="trend_measure").set_value("share")
    at.slider(key="years").set_value((2008, 2009)).run()

    assert_clean(at)
    expected = sdk.analytics.tag_trends(
        tags=["jazz"], granularity="month", from_year=2008, to_year=2009
    )
    (trace,) = figure(at, "trends")["data"]
    assert values(trace, "x") == [p.period for p in expected]
    assert values(trace, "y") == [p.share for p in expected]
    assert len(values(trace, "x")) == 24
    assert values(trace, "x")[0] == "2008-01"
