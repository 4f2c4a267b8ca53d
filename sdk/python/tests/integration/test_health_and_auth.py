"""Health endpoints, API keys (401/403) and connection errors against the real server."""

from __future__ import annotations

import pytest

from soundstream import (
    APIConnectionError,
    AsyncSoundStreamClient,
    AuthenticationError,
    PermissionDeniedError,
    SoundStreamClient,
)

from .conftest import Client, Server, resolve


def other_client(
    client: Client, base_url: str, api_key: str | None, *, max_retries: int = 2
) -> Client:
    """A client of the same flavour as `client` (blocking or asyncio), otherwise configured."""
    if isinstance(client, SoundStreamClient):
        return SoundStreamClient(base_url, api_key=api_key, max_retries=max_retries)
    return AsyncSoundStreamClient(base_url, api_key=api_key, max_retries=max_retries)


async def close(client: Client) -> None:
    await resolve(client.close())


async def test_the_server_is_live_and_ready(client: Client) -> None:
    live = await resolve(client.health())
    ready = await resolve(client.readiness())

    assert live.status == "ok"
    assert ready.status == "ready"
    assert (ready.database, ready.database_reachable, ready.data_loaded) == ("sqlite", True, True)
    assert ready.artists == 17_632
    assert ready.reason is None


async def test_reads_need_no_key(
    client: Client, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOUNDSTREAM_API_KEY", raising=False)
    anonymous = other_client(client, server.base_url, None)
    try:
        assert (await resolve(anonymous.artists.get(707))).plays == 371_916
    finally:
        await close(anonymous)


async def test_a_write_without_a_key_is_an_authentication_error(
    client: Client, server: Server, monkeypatch: pytest.MonkeyPatch, new_id: int
) -> None:
    monkeypatch.delenv("SOUNDSTREAM_API_KEY", raising=False)
    anonymous = other_client(client, server.base_url, None)
    try:
        with pytest.raises(AuthenticationError) as info:
            await resolve(anonymous.users.create(id=new_id + 50))
        assert info.value.status_code == 401
        assert info.value.code == "unauthorized"
    finally:
        await close(anonymous)


async def test_a_write_with_an_unknown_key_is_an_authentication_error(
    client: Client, server: Server, new_id: int
) -> None:
    stranger = other_client(client, server.base_url, "ss_000000000000_not_a_key")
    try:
        with pytest.raises(AuthenticationError):
            await resolve(stranger.listens.put(2, 707, weight=1))
    finally:
        await close(stranger)


async def test_a_write_with_a_read_key_is_a_permission_error(
    client: Client, server: Server, new_id: int
) -> None:
    reader = other_client(client, server.base_url, server.read_key)
    try:
        with pytest.raises(PermissionDeniedError) as info:
            await resolve(reader.artists.create(id=new_id + 51, name="Nope"))
        assert info.value.code == "forbidden"
    finally:
        await close(reader)


async def test_the_env_key_is_used_when_no_key_is_given(
    client: Client, server: Server, monkeypatch: pytest.MonkeyPatch, new_id: int
) -> None:
    monkeypatch.setenv("SOUNDSTREAM_BASE_URL", server.base_url)
    monkeypatch.setenv("SOUNDSTREAM_API_KEY", server.write_key)
    cls = SoundStreamClient if isinstance(client, SoundStreamClient) else AsyncSoundStreamClient
    from_env = cls()
    try:
        created = await resolve(from_env.users.create(id=new_id + 52))
        assert created.id == new_id + 52
        await resolve(from_env.users.delete(new_id + 52))
    finally:
        await close(from_env)


async def test_a_server_that_is_not_there_is_a_connection_error(client: Client) -> None:
    nowhere = other_client(client, "http://127.0.0.1:9", None, max_retries=1)
    try:
        with pytest.raises(APIConnectionError) as info:
            await resolve(nowhere.health())
    finally:
        await close(nowhere)

    assert "could not reach the SoundStream API at http://127.0.0.1:9" in str(info.value)
    assert "./scripts/run" in str(info.value)


async def test_the_rate_limit_headers_are_kept(client: Client, server: Server) -> None:
    fresh = other_client(client, server.base_url, server.read_key)
    try:
        await resolve(fresh.artists.get(707))
        limits = fresh.rate_limit
        if limits is None:
            pytest.skip("this server sends no RateLimit-* headers yet (the hardening change)")
        await resolve(fresh.artists.get(707))
        after = fresh.rate_limit
    finally:
        await close(fresh)

    assert limits.limit > 0
    assert 0 <= limits.remaining <= limits.limit
    assert after is not None
    assert after.limit == limits.limit
    assert after.reset >= 0
