"""Each SDK method sends the method and path the table in `tests/calls.py` says, and every
public method is in that table (so the OpenAPI conformance test sees it)."""

from __future__ import annotations

import contextlib
import inspect
import re

import httpx
import pytest

from soundstream import SoundStreamClient, SoundStreamError
from soundstream.resources._base import SyncAPIResource

from ..calls import CALLS, Call
from .mock_api import BASE_URL, MockAPI


def template_regex(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\{[a-z_]+\}", "[0-9a-z_]+", template) + "$")


@pytest.mark.parametrize("call", CALLS, ids=repr)
def test_the_call_sends_its_method_to_its_path(call: Call) -> None:
    api = MockAPI(handler=lambda _: httpx.Response(204))
    client = SoundStreamClient(
        BASE_URL, http_client=httpx.Client(transport=httpx.MockTransport(api))
    )

    # An empty answer does not fit most models; the request is what matters here.
    with contextlib.suppress(SoundStreamError, StopIteration):
        call.invoke(client)

    assert len(api.requests) == 1
    assert api.last.method == call.method
    assert template_regex(call.path).match(api.last.url.path), api.last.url.path


def test_every_public_method_is_in_the_table() -> None:
    client = SoundStreamClient()
    names = {call.name for call in CALLS}
    expected = {"health", "readiness"}
    for namespace, resource in vars(client).items():
        if isinstance(resource, SyncAPIResource):
            for method, _ in inspect.getmembers(resource, callable):
                if not method.startswith("_"):
                    expected.add(f"{namespace}.{method}")

    assert names == expected
