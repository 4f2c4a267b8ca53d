"""`client.tag_assignments` against the real server and dataset."""

from __future__ import annotations

import datetime as dt

import pytest

from soundstream import ConflictError, NotFoundError

from .conftest import Client, collect, resolve


async def test_the_database_holds_184941_tag_assignments_earliest_first(client: Client) -> None:
    page = await resolve(client.tag_assignments.list(limit=1))

    assert page.total == 184_941
    first = page[0]
    assert (first.user_id, first.artist_id, first.tag_id) == (43, 1395, 39)
    assert (first.year, first.month, first.day) == (1956, 6, 1)
    assert first.timestamp < 0  # before 1970


async def test_user_2s_assignments(client: Client) -> None:
    page = await resolve(client.tag_assignments.list(user_id=2, limit=1))

    assert page.total == 45
    assert (page[0].artist_id, page[0].tag_id, page[0].timestamp) == (52, 13, 1_238_544_000_000)
    assert len(await collect(client.tag_assignments.iter(user_id=2, page_size=10))) == 45


async def test_assignments_filter_by_date(client: Client) -> None:
    page = await resolve(
        client.tag_assignments.list(
            tag_id=73, from_date=dt.date(2009, 1, 1), to_date="2009-12-31", limit=1
        )
    )

    assert page.total == 1_736  # rock in 2009, as tag-trends counts it
    assert page[0].year == 2009


async def test_one_assignment(client: Client) -> None:
    assignment = await resolve(client.tag_assignments.get(2, 52, 13))

    assert (assignment.day, assignment.month, assignment.year) == (1, 4, 2009)


async def test_assignments_as_a_dataframe(client: Client) -> None:
    df = (await resolve(client.tag_assignments.list(artist_id=707, limit=500))).to_pandas()

    assert list(df.columns) == [
        "user_id",
        "artist_id",
        "tag_id",
        "tagged_at",
        "day",
        "month",
        "year",
    ]
    assert set(df["artist_id"]) == {707}
    assert str(df["tagged_at"].dtype) == "datetime64[ns, UTC]"
    # The stored day, month and year are the timestamp's, in UTC.
    assert (df["tagged_at"].dt.year == df["year"]).all()
    assert (df["tagged_at"].dt.month == df["month"]).all()


async def test_every_assignment_of_an_artist_as_one_frame(client: Client) -> None:
    walk = client.tag_assignments.iter(artist_id=707)
    df = await resolve(walk.to_pandas())
    page = await resolve(client.tag_assignments.list(artist_id=707, limit=1))

    assert len(df) == df.attrs["total"] == page.total
    assert df["artist_id"].unique().tolist() == [707]


async def test_an_assignment_lives_through_create_and_delete(client: Client, new_id: int) -> None:
    user_id = new_id + 30
    await resolve(client.users.create(id=user_id))
    try:
        created = await resolve(
            client.tag_assignments.create(
                user_id=user_id,
                artist_id=707,
                tag_id=73,
                timestamp=dt.datetime(2010, 5, 4, 12, tzinfo=dt.timezone.utc),
            )
        )
        assert (created.day, created.month, created.year) == (4, 5, 2010)
        assert created.timestamp == 1_272_974_400_000

        with pytest.raises(ConflictError):
            await resolve(
                client.tag_assignments.create(
                    user_id=user_id, artist_id=707, tag_id=73, timestamp=0
                )
            )
        fetched = await resolve(client.tag_assignments.get(user_id, 707, 73))
        assert fetched == created

        await resolve(client.tag_assignments.delete(user_id, 707, 73))
        with pytest.raises(NotFoundError):
            await resolve(client.tag_assignments.get(user_id, 707, 73))
    finally:
        await resolve(client.users.delete(user_id))


async def test_an_assignment_by_an_unknown_user_is_not_found(client: Client) -> None:
    with pytest.raises(NotFoundError):
        await resolve(
            client.tag_assignments.create(user_id=4_999_999, artist_id=707, tag_id=73, timestamp=0)
        )
