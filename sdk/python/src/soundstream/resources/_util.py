"""Small helpers of the resource methods: ids in paths, PATCH bodies."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

from .._types import NotGiven

__all__ = ["patch_body", "path_id", "tag_list"]


def path_id(value: int) -> int:
    """`value` as an int for a URL path. Accepts ints and int-like values (numpy's, from a
    DataFrame), rejects text and floats so that `"1/../2"` or `7.9` never reach a URL."""
    if isinstance(value, bool):
        raise TypeError("an id must be an integer, not a bool")
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"an id must be an integer, not {type(value).__name__}") from None


def patch_body(**fields: Any) -> dict[str, Any]:
    """The fields that were passed (`None` included: it clears), without the `NOT_GIVEN` ones."""
    return {key: value for key, value in fields.items() if not isinstance(value, NotGiven)}


def tag_list(tags: str | int | Sequence[str | int] | None) -> list[str] | None:
    """Tags for a repeated query key: one tag may be given bare (`"rock"`, not `["rock"]`)."""
    if tags is None:
        return None
    if isinstance(tags, (str, int)):
        return [str(tags)]
    return [str(tag) for tag in tags]
