"""`client.exports`: whole tables in one request (`GET /v1/exports/{table}?format=...`), as a
file (`download`), a `pyarrow.Table` (`to_arrow`) or a pandas DataFrame (`to_pandas`).

The server streams each table as Parquet, an Arrow IPC stream or CSV, with a stable schema
(the README's table): ids as `int64`, names as text, a tag assignment's time as
`timestamp[ms, UTC]` (`datetime64[ns, UTC]` in pandas), artist and tag names joined onto the
tag assignments. `download` writes the body to disk as it arrives (constant memory, any size);
`to_arrow` and `to_pandas` read the Arrow stream into memory, where the table has to be anyway.
"""

from __future__ import annotations

import io
import os
import re
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx

from .._base_client import RequestOptions
from .._exceptions import APIConnectionError, APIResponseValidationError
from .._output import optional_import
from .._progress import Progress, progress_bar
from .._types import ExportFormat, ExportReadFormat, ExportTable
from ._base import AsyncAPIResource, SyncAPIResource

if TYPE_CHECKING:
    import pyarrow
    from pandas import DataFrame

__all__ = ["EXPORT_FORMATS", "EXPORT_TABLES", "AsyncExports", "Exports"]


EXPORT_TABLES: tuple[ExportTable, ...] = typing.get_args(ExportTable)
"""Every exportable table."""

EXPORT_FORMATS: tuple[ExportFormat, ...] = typing.get_args(ExportFormat)
"""Every export format."""

MEDIA_TYPES: dict[str, str] = {
    "parquet": "application/vnd.apache.parquet",
    "arrow": "application/vnd.apache.arrow.stream",
    "csv": "text/csv",
}
"""The content type the server sends for each format."""

EXTENSIONS: dict[str, str] = {"parquet": "parquet", "arrow": "arrow", "csv": "csv"}
"""File extensions when the server names no file (the server's own: the format's name)."""

CHUNK_SIZE = 1 << 20
"""Bytes read from the network at a time."""

_FILENAME = re.compile(r'filename="?([^";]+)"?')


def _options(table: str, format: str) -> RequestOptions:
    if format not in MEDIA_TYPES:
        raise ValueError(f"format must be one of {', '.join(EXPORT_FORMATS)}, not {format!r}")
    return RequestOptions(
        "GET",
        f"/v1/exports/{quote(str(table), safe='')}",
        {"format": format},
        # Errors still come as JSON.
        headers={"Accept": f"{MEDIA_TYPES[format]}, application/json;q=0.5"},
    )


def _check_read_format(format: str) -> None:
    if format not in ("arrow", "parquet"):
        raise ValueError(
            f"to_arrow/to_pandas read 'arrow' or 'parquet' (CSV carries no types), not {format!r};"
            " download() writes any format to a file"
        )


def _bar(progress: bool, table: str, response: httpx.Response) -> Progress:
    length = response.headers.get("content-length")
    total = int(length) if length and length.isdigit() else None
    return progress_bar(progress, description=f"{table}", unit="B", total=total)


def _target(
    path: str | os.PathLike[str], table: str, format: str, response: httpx.Response
) -> Path:
    """`path`, or the file the server named (else `soundstream-<table>.<ext>`) inside it when
    it is a folder."""
    target = Path(path)
    if not target.is_dir():
        return target
    match = _FILENAME.search(response.headers.get("content-disposition", ""))
    name = Path(match.group(1)).name if match else ""
    return target / (name or f"soundstream-{table}.{EXTENSIONS[format]}")


def _read(data: Any, format: str) -> pyarrow.Table:
    """A `pyarrow.Table` from a readable Arrow stream or Parquet source."""
    pa = _import_pyarrow()
    try:
        if format == "parquet":
            import pyarrow.parquet as pq

            return pq.read_table(data)
        with pa.ipc.open_stream(data) as reader:
            return reader.read_all()
    except (pa.ArrowInvalid, OSError) as e:
        raise APIResponseValidationError(body=None, error=e) from e


def _to_pandas(table: pyarrow.Table) -> DataFrame:
    # Timestamps as nanoseconds whatever the file's unit: one dtype, datetime64[ns, UTC],
    # for every point in time the SDK returns.
    df: DataFrame = table.to_pandas(coerce_temporal_nanoseconds=True)
    return df


def _cut_off(
    table: str, response: httpx.Response, error: httpx.TransportError
) -> APIConnectionError:
    return APIConnectionError(
        request=response.request,
        message=f"the export of {table} was cut off after the answer began: {error!r}",
    )


def _import_pyarrow() -> Any:
    return optional_import("pyarrow", "exports.to_arrow/to_pandas")


class _ChunkReader(io.RawIOBase):
    """A readable file over an iterator of byte chunks, so that pyarrow decodes the Arrow
    stream while it arrives."""

    def __init__(self, chunks: Iterator[bytes], bar: Progress) -> None:
        self._chunks = chunks
        self._pending = memoryview(b"")
        self._bar = bar

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            try:
                chunk = next(self._chunks)
            except StopIteration:
                return 0
            self._bar.update(len(chunk))
            self._pending = memoryview(chunk)
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


class Exports(SyncAPIResource):
    """Bulk exports: `/v1/exports/{table}`."""

    def download(
        self,
        table: ExportTable,
        path: str | os.PathLike[str],
        *,
        format: ExportFormat = "parquet",
        progress: bool = False,
    ) -> Path:
        """Write a whole table to a file as it arrives, in constant memory
        (`GET /v1/exports/{table}`); the path written.

        Args:
            table: `artists`, `users`, `tags`, `listens`, `tag_assignments` or `friendships`.
            path: The file to write, or a folder to write the server's file name
                (`soundstream-<table>.<ext>`) into. The file appears whole or not at all (a
                `.part` file is renamed at the end).
            format: `parquet` (default), `arrow` (an Arrow IPC stream) or `csv`.
            progress: Show a tqdm bar of the bytes received (`soundstream-sdk[progress]`).
        """
        with self._client._stream(_options(table, format)) as response:
            target = _target(path, table, format, response)
            partial = target.with_name(target.name + ".part")
            try:
                with partial.open("wb") as out, _bar(progress, table, response) as bar:
                    for chunk in response.iter_bytes(CHUNK_SIZE):
                        out.write(chunk)
                        bar.update(len(chunk))
                partial.replace(target)
            except httpx.TransportError as e:
                raise _cut_off(table, response, e) from e
            finally:
                partial.unlink(missing_ok=True)
        return target

    def to_arrow(
        self, table: ExportTable, *, format: ExportReadFormat = "arrow", progress: bool = False
    ) -> pyarrow.Table:
        """A whole table as a `pyarrow.Table`, with the export's schema
        (`GET /v1/exports/{table}`; needs `soundstream-sdk[pandas]` or `[arrow]`).

        Args:
            table: `artists`, `users`, `tags`, `listens`, `tag_assignments` or `friendships`.
            format: `arrow` (default: an Arrow IPC stream, decoded as it arrives) or `parquet`
                (smaller on the wire, read once whole).
            progress: Show a tqdm bar of the bytes received (`soundstream-sdk[progress]`).
        """
        _check_read_format(format)
        _import_pyarrow()
        with self._client._stream(_options(table, format)) as response:
            try:
                with _bar(progress, table, response) as bar:
                    reader = _ChunkReader(response.iter_bytes(CHUNK_SIZE), bar)
                    if format == "arrow":
                        return _read(io.BufferedReader(reader, CHUNK_SIZE), format)
                    return _read(io.BytesIO(reader.read()), format)
            except httpx.TransportError as e:
                raise _cut_off(table, response, e) from e

    def to_pandas(
        self, table: ExportTable, *, format: ExportReadFormat = "arrow", progress: bool = False
    ) -> DataFrame:
        """A whole table as a pandas DataFrame in one request (`GET /v1/exports/{table}`;
        needs `soundstream-sdk[pandas]`): the columns of the export's schema, ids as `int64`,
        `tagged_at` as `datetime64[ns, UTC]`, absent URLs as missing values.

        Args:
            table: `artists`, `users`, `tags`, `listens`, `tag_assignments` or `friendships`.
            format: `arrow` (default) or `parquet`, the wire format; the frame is the same.
            progress: Show a tqdm bar of the bytes received (`soundstream-sdk[progress]`).
        """
        return _to_pandas(self.to_arrow(table, format=format, progress=progress))


class AsyncExports(AsyncAPIResource):
    """Bulk exports: `/v1/exports/{table}`."""

    # `Exports.download` again with `async for` over the body (a deliberate twin: the
    # streaming differs at every step; the helpers above hold what the two share).
    async def download(
        self,
        table: ExportTable,
        path: str | os.PathLike[str],
        *,
        format: ExportFormat = "parquet",
        progress: bool = False,
    ) -> Path:
        """Write a whole table to a file as it arrives; see `Exports.download`. (The file is
        written with blocking calls, chunk by chunk.)"""
        async with self._client._stream(_options(table, format)) as response:
            target = _target(path, table, format, response)
            partial = target.with_name(target.name + ".part")
            try:
                with partial.open("wb") as out, _bar(progress, table, response) as bar:
                    async for chunk in response.aiter_bytes(CHUNK_SIZE):
                        out.write(chunk)
                        bar.update(len(chunk))
                partial.replace(target)
            except httpx.TransportError as e:
                raise _cut_off(table, response, e) from e
            finally:
                partial.unlink(missing_ok=True)
        return target

    async def to_arrow(
        self, table: ExportTable, *, format: ExportReadFormat = "arrow", progress: bool = False
    ) -> pyarrow.Table:
        """A whole table as a `pyarrow.Table`; see `Exports.to_arrow`. The body is received
        whole, then decoded."""
        _check_read_format(format)
        _import_pyarrow()
        body = bytearray()
        async with self._client._stream(_options(table, format)) as response:
            try:
                with _bar(progress, table, response) as bar:
                    async for chunk in response.aiter_bytes(CHUNK_SIZE):
                        body += chunk
                        bar.update(len(chunk))
            except httpx.TransportError as e:
                raise _cut_off(table, response, e) from e
        return _read(io.BytesIO(body), format)

    async def to_pandas(
        self, table: ExportTable, *, format: ExportReadFormat = "arrow", progress: bool = False
    ) -> DataFrame:
        """A whole table as a pandas DataFrame in one request; see `Exports.to_pandas`."""
        return _to_pandas(await self.to_arrow(table, format=format, progress=progress))
