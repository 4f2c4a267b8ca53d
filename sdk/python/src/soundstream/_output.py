"""Turning API answers into what the caller asked for: validated pydantic models, the JSON as
plain dicts, or a pandas DataFrame (the optional `soundstream-sdk[pandas]` extra)."""

from __future__ import annotations

import types
import typing
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar, Union

import pydantic
from pydantic import BaseModel

from ._exceptions import APIResponseValidationError
from ._models import ItemList, Page
from ._types import OutputFormat

if TYPE_CHECKING:
    from pandas import DataFrame

__all__ = ["format_items", "format_list", "format_page", "models_to_dataframe", "validate"]

ModelT = TypeVar("ModelT", bound=BaseModel)

_OUTPUT_FORMATS = ("pydantic", "dict", "pandas")


def validate(model: type[ModelT], data: Any) -> ModelT:
    """`model` from the decoded JSON, or `APIResponseValidationError` when it does not fit."""
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as e:
        raise APIResponseValidationError(body=data, error=e) from e


EnvelopeT = TypeVar("EnvelopeT", bound=ItemList[Any])


def format_list(
    data: Any, envelope: type[EnvelopeT], output_format: OutputFormat
) -> EnvelopeT | dict[str, Any] | DataFrame:
    """A list answer (a `Page`, an `ItemList` or another envelope with `items`) in the format
    asked for: the validated envelope, the JSON as it came, or the items as a DataFrame."""
    if output_format not in _OUTPUT_FORMATS:
        raise ValueError(
            f"output_format must be one of {', '.join(map(repr, _OUTPUT_FORMATS))}, "
            f"not {output_format!r}"
        )
    if output_format == "dict":
        return typing.cast("dict[str, Any]", data)
    result = validate(envelope, data)
    return result.to_pandas() if output_format == "pandas" else result


def format_page(
    data: Any, item: type[ModelT], output_format: OutputFormat
) -> Page[ModelT] | dict[str, Any] | DataFrame:
    """A paginated answer (`{"items", "total", "skip", "limit"}`) in the format asked for."""
    return format_list(data, Page[item], output_format)  # type: ignore[valid-type]


def format_items(
    data: Any, item: type[ModelT], output_format: OutputFormat
) -> ItemList[ModelT] | dict[str, Any] | DataFrame:
    """A top-N answer (`{"items"}`) in the format asked for."""
    return format_list(data, ItemList[item], output_format)  # type: ignore[valid-type]


def _import_pandas() -> Any:
    try:
        import pandas
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            "output_format='pandas' needs pandas: pip install 'soundstream-sdk[pandas]'"
        ) from e
    return pandas


def _unwrap_optional(annotation: Any) -> tuple[Any, bool]:
    """`(T, True)` for `T | None`, `(annotation, False)` otherwise."""
    origin = typing.get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return annotation, False


def _columns(model: type[BaseModel], prefix: str = "") -> list[tuple[str, str | None]]:
    """The DataFrame columns of `model`: its fields in order, a nested model's fields flattened
    as `<field>_<subfield>` (so a recommendation's `artist.name` is `artist_name`), each with
    the pandas dtype it should have (None: leave as pandas infers, e.g. lists or text)."""
    columns: list[tuple[str, str | None]] = []
    for name, info in model.model_fields.items():
        annotation, optional = _unwrap_optional(info.annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            columns.extend(_columns(annotation, f"{prefix}{name}_"))
            continue
        dtype: str | None = None
        if annotation is bool:
            dtype = "boolean" if optional else "bool"
        elif annotation is int:
            dtype = "Int64" if optional else "int64"
        elif annotation is float:
            dtype = "float64"
        columns.append((f"{prefix}{name}", dtype))
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
            flat.update({c: None for c, _ in _columns(nested, f"{prefix}{key}_")})
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def models_to_dataframe(items: Sequence[BaseModel], model: type[BaseModel]) -> DataFrame:
    """One row per item, one column per field, typed from the model even when there are no rows
    (so an empty result still has the columns a notebook expects)."""
    pd = _import_pandas()
    records = [_flatten(item.model_dump(mode="json"), type(item)) for item in items]
    columns = _columns(model)
    names = [name for name, _ in columns]
    # Fields a newer server sends and this SDK does not model yet come last.
    extra = [key for record in records for key in record if key not in names]
    names += list(dict.fromkeys(extra))
    df = pd.DataFrame.from_records(records, columns=names)
    for name, dtype in columns:
        if dtype is not None:
            df[name] = df[name].astype(dtype)
    return typing.cast("DataFrame", df)
