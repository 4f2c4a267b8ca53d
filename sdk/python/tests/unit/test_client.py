"""Client configuration (arguments, environment fallbacks, defaults) and how requests are
built (headers, query strings, bodies, paths)."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

import soundstream
from soundstream import NOT_GIVEN, AsyncSoundStreamClient, SoundStreamClient

from .mock_api import BASE_URL, MockAPI, artist, json_response, page

ARTIST_DETAIL = {**artist(707), "top_tags": []}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOUNDSTREAM_API_URL", raising=False)
    monkeypatch.delenv("SOUNDSTREAM_BASE_URL", raising=False)
    monkeypatch.delenv("SOUNDSTREAM_API_KEY", raising=False)


def test_without_arguments_or_environment_the_client_talks_to_localhost_8000() -> None:
    client = SoundStreamClient()

    assert client.base_url == "http://127.0.0.1:8000"
    assert client.api_key is None
    assert client.max_retries == 2
    assert client.timeout == soundstream.DEFAULT_TIMEOUT
    client.close()


def test_the_environment_gives_the_base_url_and_the_api_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOUNDSTREAM_API_URL", "http://api.example:9000/")
    monkeypatch.setenv("SOUNDSTREAM_API_KEY", "ss_from_env")

    for client in (SoundStreamClient(), AsyncSoundStreamClient()):
        assert client.base_url == "http://api.example:9000"
        assert client.api_key == "ss_from_env"


def test_the_former_base_url_variable_is_still_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOUNDSTREAM_BASE_URL", "http://old.example:9000")

    assert SoundStreamClient().base_url == "http://old.example:9000"


def test_soundstream_api_url_wins_over_its_former_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOUNDSTREAM_API_URL", "http://new.example:9000")
    monkeypatch.setenv("SOUNDSTREAM_BASE_URL", "http://old.example:9000")

    assert SoundStreamClient().base_url == "http://new.example:9000"


def test_arguments_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOUNDSTREAM_API_URL", "http://api.example:9000")
    monkeypatch.setenv("SOUNDSTREAM_API_KEY", "ss_from_env")

    client = SoundStreamClient("http://other:1", api_key="ss_argument")

    assert client.base_url == "http://other:1"
    assert client.api_key == "ss_argument"


def test_an_empty_api_key_variable_means_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOUNDSTREAM_API_KEY", "")

    assert SoundStreamClient().api_key is None


def test_the_env_api_key_is_sent_as_a_bearer_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOUNDSTREAM_API_KEY", "ss_from_env")
    api = MockAPI(json_response(200, ARTIST_DETAIL))
    client = SoundStreamClient(
        BASE_URL, http_client=httpx.Client(transport=httpx.MockTransport(api))
    )

    client.artists.get(707)

    assert api.last.headers["Authorization"] == "Bearer ss_from_env"


def test_without_a_key_no_authorization_header_is_sent() -> None:
    api = MockAPI(json_response(200, ARTIST_DETAIL))

    api.client(api_key=None).artists.get(707)

    assert "Authorization" not in api.last.headers


def test_every_request_says_who_sends_it_and_asks_for_json() -> None:
    api = MockAPI(json_response(200, ARTIST_DETAIL))

    api.client(default_headers={"X-Trace": "abc"}).artists.get(707)

    assert api.last.headers["User-Agent"] == f"soundstream-sdk-python/{soundstream.__version__}"
    assert api.last.headers["Accept"] == "application/json"
    assert api.last.headers["X-Trace"] == "abc"


def test_a_base_url_with_a_path_prefix_keeps_it() -> None:
    api = MockAPI(json_response(200, ARTIST_DETAIL))
    http = httpx.Client(transport=httpx.MockTransport(api))

    SoundStreamClient("http://proxy.test/soundstream/", http_client=http).artists.get(707)

    assert str(api.last.url) == "http://proxy.test/soundstream/v1/artists/707"


def test_the_client_is_a_context_manager_that_closes_its_connections() -> None:
    with SoundStreamClient() as client:
        pass

    assert client._client.is_closed


def test_an_http_client_passed_in_stays_open_and_keeps_its_timeout() -> None:
    http = httpx.Client(timeout=3.0)

    with SoundStreamClient(http_client=http) as client:
        assert client.timeout == httpx.Timeout(3.0)

    assert not http.is_closed
    http.close()


async def test_the_async_client_is_an_async_context_manager() -> None:
    async with AsyncSoundStreamClient() as client:
        pass

    assert client._client.is_closed


def test_the_timeout_goes_with_each_request() -> None:
    api = MockAPI(json_response(200, ARTIST_DETAIL))

    api.client(timeout=1.5).artists.get(707)

    assert api.last.extensions["timeout"] == httpx.Timeout(1.5).as_dict()


def test_a_negative_max_retries_is_refused() -> None:
    with pytest.raises(ValueError, match="max_retries"):
        SoundStreamClient(max_retries=-1)


def test_query_parameters_leave_out_none_and_repeat_lists() -> None:
    api = MockAPI(json_response(200, page([])))

    api.client().search.artists(
        tags_all=["metal", "thrash metal"], tags_any="rock", min_listeners=50, limit=5
    )

    params = api.last.url.params
    assert params.get_list("tags_all") == ["metal", "thrash metal"]
    assert params.get_list("tags_any") == ["rock"]
    assert params["min_listeners"] == "50"
    assert params["limit"] == "5"
    assert "max_listeners" not in params
    assert "sort" not in params


def test_tag_assignment_dates_are_sent_as_from_and_to() -> None:
    api = MockAPI(json_response(200, page([])))

    api.client().tag_assignments.list(
        user_id=2, from_date=dt.date(2009, 1, 1), to_date="2009-12-31"
    )

    assert dict(api.last.url.params) == {"user_id": "2", "from": "2009-01-01", "to": "2009-12-31"}


def test_tag_trends_take_tags_by_value_or_id() -> None:
    api = MockAPI(json_response(200, {"items": []}))

    api.client().analytics.tag_trends(tags=["rock", 2863], granularity="month")

    assert api.last.url.params.get_list("tags") == ["rock", "2863"]
    assert api.last.url.params["granularity"] == "month"


def test_an_update_sends_only_the_fields_passed_and_none_clears() -> None:
    api = MockAPI(json_response(200, ARTIST_DETAIL), json_response(200, ARTIST_DETAIL))
    client = api.client()

    client.artists.update(707, url=None)
    client.artists.update(707, name="Metallica", picture_url=NOT_GIVEN)

    assert api.requests[0].method == "PATCH"
    assert api.body(0) == {"url": None}
    assert api.body(1) == {"name": "Metallica"}


def test_a_replacement_sends_every_field() -> None:
    api = MockAPI(json_response(200, ARTIST_DETAIL))

    api.client().artists.replace(707, name="Metallica")

    assert api.last.method == "PUT"
    assert api.body() == {"name": "Metallica", "url": None, "picture_url": None}


def test_create_leaves_out_the_fields_not_given() -> None:
    api = MockAPI(
        json_response(201, ARTIST_DETAIL),
        json_response(201, {"id": 9, "artists": 0, "plays": 0, "tags_applied": 0, "friends": 0}),
    )
    client = api.client()

    client.artists.create(name="New", url="https://example.org")
    client.users.create()

    assert api.body(0) == {"name": "New", "url": "https://example.org"}
    assert api.body(1) == {}


def test_a_tag_assignment_timestamp_may_be_a_datetime() -> None:
    body = {
        "user_id": 2,
        "artist_id": 707,
        "tag_id": 1,
        "timestamp": 1262304000000,
        "day": 1,
        "month": 1,
        "year": 2010,
    }
    api = MockAPI(json_response(201, body), json_response(201, body))
    client = api.client()

    client.tag_assignments.create(
        user_id=2, artist_id=707, tag_id=1, timestamp=dt.datetime(2010, 1, 1)
    )
    client.tag_assignments.create(
        user_id=2,
        artist_id=707,
        tag_id=1,
        timestamp=dt.datetime(2010, 1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        day=1,
        month=1,
        year=2010,
    )

    assert api.body(0) == {"user_id": 2, "artist_id": 707, "tag_id": 1, "timestamp": 1262304000000}
    assert api.body(1)["timestamp"] == 1262304000000
    assert api.body(1)["year"] == 2010


def test_ids_in_paths_must_be_integers() -> None:
    client = MockAPI().client()

    with pytest.raises(TypeError, match="integer"):
        client.artists.get("1/../2")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="integer"):
        client.users.get(2.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="integer"):
        client.users.get(True)


def test_numpy_integers_from_a_dataframe_are_fine_as_ids() -> None:
    numpy = pytest.importorskip("numpy")
    api = MockAPI(json_response(200, ARTIST_DETAIL))

    api.client().artists.get(numpy.int64(707))

    assert api.last.url.path == "/v1/artists/707"


def test_recommendations_default_to_ten_by_the_hybrid_strategy() -> None:
    api = MockAPI(
        json_response(200, {"user_id": 2, "strategy": "hybrid", "model_version": 1, "items": []})
    )

    recommendations = api.client().recommendations.for_user(2)

    assert api.last.url.path == "/v1/users/2/recommendations"
    assert dict(api.last.url.params) == {"limit": "10", "strategy": "hybrid"}
    assert recommendations.model_version == 1


def test_health_and_readiness_call_the_operational_endpoints() -> None:
    api = MockAPI(
        json_response(200, {"status": "ok", "version": "0.1.0", "uptime_seconds": 3}),
        json_response(
            200,
            {
                "status": "ready",
                "version": "0.1.0",
                "database": "sqlite",
                "database_reachable": True,
                "data_loaded": True,
                "artists": 17632,
                "reason": None,
                "recommender": {
                    "model_version": 1,
                    "retraining": False,
                    "trained_at": 1,
                    "training_seconds": 5.8,
                },
            },
        ),
    )
    client = api.client()

    assert client.health().status == "ok"
    readiness = client.readiness()

    assert [r.url.path for r in api.requests] == ["/health/live", "/health/ready"]
    assert readiness.recommender is not None
    assert readiness.recommender.model_version == 1


def test_the_repr_shows_where_the_client_points() -> None:
    assert repr(SoundStreamClient("http://x:1")) == "SoundStreamClient(base_url='http://x:1')"
