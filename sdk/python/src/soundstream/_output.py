"""Turning API answers into results: validated pydantic models, and models into pandas
DataFrames (the optional `soundstream-sdk[pandas]` extra) with one column name for one thing."""

from __future__ import annotations

import importlib
import types
import typing
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar, Union

import pydantic
from pydantic import BaseModel

from ._exceptions import APIResponseValidationError

if TYPE_CHECKING:
    from pandas import DataFrame

__all__ = ["PartialPageWarning", "models_to_dataframe", "validate"]

ModelT = TypeVar("ModelT", bound=BaseModel)


def validate(model: type[ModelT], data: Any) -> ModelT:
    """`model` from the decoded JSON, or `APIResponseValidationError` when it does not fit."""
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as e:
        raise APIResponseValidationError(body=data, error=e) from e


class PartialPageWarning(UserWarning):
    """A DataFrame was made from a page asked for without a `limit`, and holds only the first
    page of a longer list. Pass `limit=` (up to 500) to say a page is what you want, or use the
    matching iterator's `.to_pandas()` for every row."""


def optional_import(module: str, needed_by: str) -> Any:
    """`module` (pandas, pyarrow: the optional extras), or an `ImportError` that says how to
    install it."""
    try:
        return importlib.import_module(module)
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            f"{needed_by} needs {module}: pip install 'soundstream-sdk[pandas]'"
        ) from e


def _import_pandas() -> Any:
    return optional_import("pandas", "a DataFrame (.to_pandas())")


def _unwrap_optional(annotation: Any) -> tuple[Any, bool]:
    """`(T, True)` for `T | None`, `(annotation, False)` otherwise."""
    origin = typing.get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return annotation, False


TIMESTAMP_DTYPE = "datetime64[ns, UTC]"
"""The dtype of every point in time in the SDK's DataFrames."""


def _columns(model: type[BaseModel], prefix: str = "") -> list[tuple[str, str, str | None]]:
    """The DataFrame columns of `model`: its fields in order, a nested model's fields flattened
    as `<field>_<subfield>` (so a recommendation's `artist.name` is `artist_name`), each as
    `(key in the flattened record, column name, dtype)`; the column name follows the model's
    `frame_columns`, the dtype is what pandas should hold (None: leave as pandas infers, e.g.
    lists or text)."""
    renames: dict[str, str] = getattr(model, "frame_columns", {})
    timestamps: frozenset[str] = getattr(model, "frame_timestamps", frozenset())
    columns: list[tuple[str, str, str | None]] = []
    for name, info in model.model_fields.items():
        annotation, optional = _unwrap_optional(info.annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            columns.extend(_columns(annotation, f"{prefix}{name}_"))
            continue
        dtype: str | None = None
        if name in timestamps:
            dtype = TIMESTAMP_DTYPE
        elif annotation is bool:
            dtype = "boolean" if optional else "bool"
        elif annotation is int:
            dtype = "Int64" if optional else "int64"
        elif annotation is float:
            dtype = "float64"
        columns.append((f"{prefix}{name}", f"{prefix}{renames.get(name, name)}", dtype))
    return columns


def _flatten(record: dict[str, Any], model: type[BaseModel], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in record.items():
        info = model.model_fields.get(key)
        nested: Any = None
        if info is not None:
            nested, _ = _unwrap_optional(info.annotation)
        if isinstance(nested, type) and issubclass(nested, BaseModel) and isinstance(value, dict):
            flat.update(_flatten(value, nested, f"{prefix}{key}_"))
        elif isinstance(nested, type) and issubclass(nested, BaseModel) and value is None:
            flat.update({c: None for c, _, _ in _columns(nested, f"{prefix}{key}_")})
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def as_timestamps(values: Any) -> Any:
    """A Series of epoch milliseconds (or of dates as text) as `datetime64[ns, UTC]`."""
    pd = _import_pandas()
    numeric = pd.api.types.is_numeric_dtype(values) or len(values) == 0
    if numeric:
        converted = pd.to_datetime(values, unit="ms", utc=True)
    else:
        converted = pd.to_datetime(values, utc=True)
    return converted.astype(TIMESTAMP_DTYPE)


def models_to_dataframe(items: Sequence[BaseModel], model: type[BaseModel]) -> DataFrame:
    """One row per item, one column per field, typed from the model even when there are no rows
    (so an empty result still has the columns a notebook expects). Columns are named as the
    model's `frame_columns` say; its `frame_timestamps` become `datetime64[ns, UTC]`."""
    pd = _import_pandas()
    records = [_flatten(item.model_dump(mode="json"), type(item)) for item in items]
    columns = _columns(model)
    keys = [key for key, _, _ in columns]
    # Fields a newer server sends and this SDK does not model yet come last.
    extra = [key for record in records for key in record if key not in keys]
    keys += list(dict.fromkeys(extra))
    df = pd.DataFrame.from_records(records, columns=keys)
    for key, _, dtype in columns:
        if dtype == TIMESTAMP_DTYPE:
            df[key] = as_timestamps(df[key])
        elif dtype is not None:
            df[key] = df[key].astype(dtype)
    renames = {key: name for key, name, _ in columns if key != name}
    if renames:
        df = df.rename(columns=renames)
    return typing.cast("DataFrame", df)
