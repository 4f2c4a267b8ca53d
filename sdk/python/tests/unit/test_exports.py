"""`client.exports` against a fake server that answers with files written by pyarrow itself, in
the contract's schemas: each format read back, the file named by the server or by the caller,
errors in the API's shape, retries before the body begins, a body cut off midway, and the
progress bar."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import httpx
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

import soundstream
from soundstream.resources.exports import MEDIA_TYPES

from .mock_api import MockAPI, error_body, json_response

UTC = dt.timezone.utc

# The contract's schema of tag assignments, with the data's first rows (and one from 1956, a
# negative timestamp).
TAG_ASSIGNMENTS = pa.table(
    {
        "user_id": pa.array([2, 2, 1185], pa.int64()),
        "artist_id": pa.array([52, 52, 2629], pa.int64()),
        "artist_name": pa.array(["Morcheeba", "Morcheeba", "Pink Floyd"], pa.utf8()),
        "tag_id": pa.array([13, 15, 4473], pa.int64()),
        "tag": pa.array(["chillout", "downtempo", "progressive rock"], pa.utf8()),
        "tagged_at": pa.array(
            [
                dt.datetime(2009, 4, 1, tzinfo=UTC),
                dt.datetime(2009, 4, 1, tzinfo=UTC),
                dt.datetime(1956, 8, 1, tzinfo=UTC),
            ],
            pa.timestamp("ms", tz="UTC"),
        ),
    }
)

ARTISTS = pa.table(
    {
        "artist_id": pa.array([1, 707], pa.int64()),
        "name": pa.array(["MALICE MIZER", "Metallica"], pa.utf8()),
        "url": pa.array(["http://www.last.fm/music/MALICE+MIZER", None], pa.utf8()),
        "picture_url": pa.array([None, None], pa.utf8()),
        "listeners": pa.array([3, 224], pa.int64()),
        "plays": pa.array([771, 371916], pa.int64()),
    }
)


def arrow_stream(table: pa.Table, *, batch_rows: int = 2) -> bytes:
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        for batch in table.to_batches(max_chunksize=batch_rows):
            writer.write_batch(batch)
    return sink.getvalue()


def parquet_file(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink, row_group_size=2)
    return sink.getvalue()


def csv_file(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pacsv.write_csv(table, sink)
    return sink.getvalue()


ENCODERS = {"arrow": arrow_stream, "parquet": parquet_file, "csv": csv_file}


def export_answer(table_name: str, table: pa.Table, format: str) -> httpx.Response:
    """What the server sends: the file, streamed in small chunks, with its headers."""
    body = ENCODERS[format](table)
    extension = format
    media = MEDIA_TYPES[format] + ("; charset=utf-8" if format == "csv" else "")
    chunks = [body[i : i + 100] for i in range(0, len(body), 100)]
    return httpx.Response(
        200,
        headers={
            "content-type": media,
            "content-disposition": f'attachment; filename="soundstream-{table_name}.{extension}"',
        },
        stream=httpx.ByteStream(b"".join(chunks)),
    )


def serve(tables: dict[str, pa.Table]) -> MockAPI:
    def handler(request: httpx.Request) -> httpx.Response:
        name = request.url.path.rsplit("/", 1)[-1]
        format = request.url.params.get("format", "parquet")
        if name not in tables:
            return json_response(
                422, error_body(422, "validation_failed", f"unknown table {name!r}")
            )
        return export_answer(name, tables[name], format)

    return MockAPI(handler=handler)


def test_to_pandas_reads_a_whole_table_with_its_types() -> None:
    api = serve({"tag_assignments": TAG_ASSIGNMENTS})

    df = api.client().exports.to_pandas("tag_assignments")

    assert list(df.columns) == ["user_id", "artist_id", "artist_name", "tag_id", "tag", "tagged_at"]
    assert str(df["user_id"].dtype) == "int64"
    assert str(df["tagged_at"].dtype) == "datetime64[ns, UTC]"
    assert df["tagged_at"].iloc[2] == pd.Timestamp("1956-08-01", tz="UTC")
    assert df["tag"].tolist() == ["chillout", "downtempo", "progressive rock"]
    assert len(api.requests) == 1
    request = api.last
    assert request.url.path == "/v1/exports/tag_assignments"
    assert request.url.params["format"] == "arrow"
    assert request.headers["accept"].startswith("application/vnd.apache.arrow.stream")


@pytest.mark.parametrize("format", ["arrow", "parquet"])
def test_to_arrow_gives_the_servers_table_in_either_format(format: str) -> None:
    api = serve({"artists": ARTISTS})

    table = api.client().exports.to_arrow("artists", format=format)  # type: ignore[arg-type]

    assert table.equals(ARTISTS)
    assert api.last.url.params["format"] == format


def test_absent_urls_are_missing_values_in_pandas() -> None:
    api = serve({"artists": ARTISTS})

    df = api.client().exports.to_pandas("artists", format="parquet")

    assert df["url"].iloc[0] == "http://www.last.fm/music/MALICE+MIZER"
    assert df["url"].isna().tolist() == [False, True]
    assert df["plays"].tolist() == [771, 371916]


@pytest.mark.parametrize("format", ["parquet", "arrow", "csv"])
def test_download_into_a_folder_takes_the_servers_file_name(tmp_path: Path, format: str) -> None:
    api = serve({"tag_assignments": TAG_ASSIGNMENTS})

    path = api.client().exports.download("tag_assignments", tmp_path, format=format)  # type: ignore[arg-type]

    assert path == tmp_path / f"soundstream-tag_assignments.{format}"
    assert path.read_bytes() == ENCODERS[format](TAG_ASSIGNMENTS)
    assert list(tmp_path.iterdir()) == [path]  # no .part file left


def test_download_to_a_file_name_reads_back_with_pyarrow(tmp_path: Path) -> None:
    api = serve({"tag_assignments": TAG_ASSIGNMENTS})
    target = tmp_path / "assignments.parquet"

    path = api.client().exports.download("tag_assignments", target)

    assert path == target
    assert api.last.url.params["format"] == "parquet"
    assert pq.read_table(target).equals(TAG_ASSIGNMENTS)


def test_without_a_file_name_from_the_server_the_download_is_named_after_the_table(
    tmp_path: Path,
) -> None:
    body = arrow_stream(ARTISTS)
    api = MockAPI(httpx.Response(200, content=body))

    path = api.client().exports.download("artists", tmp_path, format="arrow")

    assert path == tmp_path / "soundstream-artists.arrow"
    assert path.read_bytes() == body


def test_an_unknown_table_is_the_apis_validation_error() -> None:
    api = serve({})

    with pytest.raises(soundstream.ValidationError) as info:
        api.client().exports.to_pandas("concerts")  # type: ignore[arg-type]

    assert "concerts" in info.value.message
    assert len(api.requests) == 1


def test_an_unknown_format_is_refused_before_any_request(tmp_path: Path) -> None:
    api = serve({"artists": ARTISTS})
    client = api.client()

    with pytest.raises(ValueError, match="format must be one of parquet, arrow, csv"):
        client.exports.download("artists", tmp_path, format="xlsx")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="CSV carries no types"):
        client.exports.to_pandas("artists", format="csv")  # type: ignore[arg-type]

    assert api.requests == []


def test_a_5xx_before_the_body_is_retried() -> None:
    api = MockAPI(
        json_response(503, error_body(503, "internal", "busy")),
        export_answer("artists", ARTISTS, "arrow"),
    )

    table = api.client().exports.to_arrow("artists")

    assert table.num_rows == 2
    assert len(api.requests) == 2
    assert len(api.sleeps) == 1


def test_a_body_that_is_not_arrow_is_a_response_validation_error() -> None:
    api = MockAPI(httpx.Response(200, content=b"<html>proxy error</html>"))

    with pytest.raises(soundstream.APIResponseValidationError):
        api.client().exports.to_arrow("artists")


class _CutStream(httpx.SyncByteStream):
    def __init__(self, head: bytes) -> None:
        self.head = head

    def __iter__(self) -> Any:
        yield self.head
        raise httpx.ReadError("connection reset by peer")


def test_a_download_cut_off_midway_leaves_no_file(tmp_path: Path) -> None:
    body = parquet_file(TAG_ASSIGNMENTS)
    api = MockAPI(httpx.Response(200, stream=_CutStream(body[:50])))
    target = tmp_path / "t.parquet"

    with pytest.raises(soundstream.APIConnectionError, match="cut off"):
        api.client().exports.download("tag_assignments", target)

    assert list(tmp_path.iterdir()) == []


def test_progress_counts_every_byte(monkeypatch: pytest.MonkeyPatch) -> None:
    from tqdm import auto

    seen: list[int] = []

    class FakeBar:
        total: int | None = None

        def __init__(self, **kwargs: Any) -> None:
            assert kwargs["unit"] == "B"

        def update(self, n: int) -> None:
            seen.append(n)

        def refresh(self) -> None: ...

        def close(self) -> None: ...

    monkeypatch.setattr(auto, "tqdm", FakeBar)
    api = serve({"tag_assignments": TAG_ASSIGNMENTS})

    api.client().exports.to_pandas("tag_assignments", progress=True)

    assert sum(seen) == len(arrow_stream(TAG_ASSIGNMENTS))


async def test_the_async_client_reads_and_downloads_the_same(tmp_path: Path) -> None:
    api = serve({"tag_assignments": TAG_ASSIGNMENTS})
    client = api.async_client()

    df = await client.exports.to_pandas("tag_assignments")
    table = await client.exports.to_arrow("tag_assignments", format="parquet")
    path = await client.exports.download("tag_assignments", tmp_path, format="csv")

    assert str(df["tagged_at"].dtype) == "datetime64[ns, UTC]"
    assert df["artist_name"].tolist() == ["Morcheeba", "Morcheeba", "Pink Floyd"]
    assert table.equals(TAG_ASSIGNMENTS)
    assert path.name == "soundstream-tag_assignments.csv"
    assert path.read_bytes() == csv_file(TAG_ASSIGNMENTS)
