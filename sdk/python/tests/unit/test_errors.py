"""Error answers become the documented exception tree, with the API's error body as fields."""

from __future__ import annotations

import httpx
import pytest

import soundstream
from soundstream import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    SoundStreamError,
    ValidationError,
)

from .mock_api import MockAPI, error_body, json_response


def test_the_exception_tree_is_the_documented_one() -> None:
    assert issubclass(APIConnectionError, SoundStreamError)
    assert issubclass(APITimeoutError, APIConnectionError)
    assert issubclass(APIStatusError, SoundStreamError)
    for cls in (
        BadRequestError,
        AuthenticationError,
        PermissionDeniedError,
        NotFoundError,
        ConflictError,
        ValidationError,
        RateLimitError,
        ServerError,
    ):
        assert issubclass(cls, APIStatusError)
    assert issubclass(APIResponseValidationError, SoundStreamError)
    assert not issubclass(APIResponseValidationError, APIStatusError)


def test_the_tree_is_written_out_at_the_top_of_the_exceptions_module() -> None:
    doc = soundstream._exceptions.__doc__ or ""

    for name in soundstream._exceptions.__all__:
        assert name in doc, name


@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        (400, "bad_request", BadRequestError),
        (401, "unauthorized", AuthenticationError),
        (403, "forbidden", PermissionDeniedError),
        (404, "not_found", NotFoundError),
        (409, "conflict", ConflictError),
        (413, "payload_too_large", APIStatusError),
        (415, "unsupported_media_type", APIStatusError),
        (422, "validation_failed", ValidationError),
        (429, "rate_limited", RateLimitError),
        (500, "internal", ServerError),
        (502, "internal", ServerError),
        (503, "internal", ServerError),
    ],
)
def test_each_status_raises_its_exception_class(
    status: int, code: str, cls: type[APIStatusError]
) -> None:
    api = MockAPI(
        handler=lambda _: json_response(status, error_body(status, code, "what went wrong"))
    )

    with pytest.raises(cls) as info:
        api.client(max_retries=0).artists.get(1)

    error = info.value
    assert type(error) is cls
    assert error.status_code == status
    assert error.code == code
    assert error.message == "what went wrong"
    assert error.fields == []
    assert error.response.status_code == status
    assert error.request.url.path == "/v1/artists/1"
    assert str(error) == f"{status} {code}: what went wrong"


def test_a_validation_error_carries_every_invalid_field() -> None:
    fields = [
        {"field": "limit", "location": "query", "reason": "must be between 1 and 500"},
        {"field": "sort", "location": "query", "reason": "unknown variant `loudness`"},
    ]
    api = MockAPI(json_response(422, error_body(422, "validation_failed", "invalid query", fields)))

    with pytest.raises(ValidationError) as info:
        api.client().artists.list(limit=501)

    error = info.value
    assert [(f.field, f.location, f.reason) for f in error.fields] == [
        ("limit", "query", "must be between 1 and 500"),
        ("sort", "query", "unknown variant `loudness`"),
    ]
    assert "limit: must be between 1 and 500" in str(error)
    assert error.body["error"]["code"] == "validation_failed"


def test_a_rate_limit_error_says_when_to_retry() -> None:
    api = MockAPI(
        json_response(429, error_body(429, "rate_limited", "slow down"), {"Retry-After": "7"})
    )

    with pytest.raises(RateLimitError) as info:
        api.client(max_retries=0).artists.list()

    assert info.value.retry_after == 7.0


def test_a_rate_limit_error_without_retry_after_has_none() -> None:
    api = MockAPI(json_response(429, error_body(429, "rate_limited", "slow down")))

    with pytest.raises(RateLimitError) as info:
        api.client(max_retries=0).artists.list()

    assert info.value.retry_after is None


def test_an_error_that_is_not_the_api_shape_still_raises_by_status() -> None:
    api = MockAPI(httpx.Response(502, text="<html>Bad Gateway</html>"))

    with pytest.raises(ServerError) as info:
        api.client(max_retries=0).artists.get(1)

    assert info.value.code == "unknown"
    assert info.value.message == "<html>Bad Gateway</html>"
    assert info.value.body == "<html>Bad Gateway</html>"


def test_an_empty_error_body_uses_the_reason_phrase() -> None:
    api = MockAPI(httpx.Response(404))

    with pytest.raises(NotFoundError) as info:
        api.client().artists.get(1)

    assert info.value.message == "Not Found"


def test_an_answer_that_does_not_fit_the_model_raises_api_response_validation_error() -> None:
    api = MockAPI(json_response(200, {"id": "not a number"}))

    with pytest.raises(APIResponseValidationError) as info:
        api.client().artists.get(1)

    assert info.value.body == {"id": "not a number"}


def test_an_answer_that_is_not_json_raises_api_response_validation_error() -> None:
    api = MockAPI(httpx.Response(200, text="not json"))

    with pytest.raises(APIResponseValidationError):
        api.client().artists.get(1)


def test_readiness_returns_a_503_answer_instead_of_raising_or_retrying() -> None:
    not_ready = {
        "status": "not_ready",
        "version": "0.1.0",
        "database": "sqlite",
        "database_reachable": True,
        "data_loaded": False,
        "artists": 0,
        "reason": "the database holds no artists",
    }
    api = MockAPI(json_response(503, not_ready))

    readiness = api.client(max_retries=3).readiness()

    assert readiness.status == "not_ready"
    assert readiness.reason == "the database holds no artists"
    assert readiness.recommender is None
    assert len(api.requests) == 1


async def test_the_async_client_raises_the_same_exceptions() -> None:
    fields = [{"field": "weight", "location": "body", "reason": "must be 0 or more"}]
    api = MockAPI(
        json_response(422, error_body(422, "validation_failed", "invalid body", fields)),
        json_response(404, error_body(404, "not_found", "user 99 does not exist")),
    )
    async with api.async_client() as client:
        with pytest.raises(ValidationError) as info:
            await client.listens.put(2, 707, weight=-1)
        assert info.value.fields[0].field == "weight"
        with pytest.raises(NotFoundError, match="user 99 does not exist"):
            await client.users.get(99)
