"""The base of every response model, and the two list envelopes of the API: `Page` (paginated
lists: `{"items", "total", "skip", "limit"}`) and `ItemList` (top-N lists: `{"items"}`)."""

from __future__ import annotations

import typing
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

if TYPE_CHECKING:
    from pandas import DataFrame

__all__ = ["ItemList", "Page", "SoundStreamModel"]


class SoundStreamModel(BaseModel):
    """Base of the response models.

    Fields the SDK does not know yet (a newer server) are kept, not dropped (`extra="allow"`):
    they are readable as attributes and appear in `model_dump()` and DataFrames.
    """

    model_config = ConfigDict(extra="allow")

    frame_columns: ClassVar[dict[str, str]] = {}
    """Fields renamed in DataFrames, so that one thing has one column name in every frame
    and in the bulk exports: ids are `artist_id`, `user_id`, `tag_id`, a tag's text `tag`, a
    play count `plays`, a tag assignment's time `tagged_at`."""

    frame_timestamps: ClassVar[frozenset[str]] = frozenset()
    """Fields in milliseconds since the epoch, `datetime64[ns, UTC]` in DataFrames."""

    def to_dict(self) -> dict[str, Any]:
        """The model as plain JSON-compatible data, with the API's field names (what
        `output_format="dict"` returned in 0.2)."""
        return self.model_dump(mode="json")


ItemT = TypeVar("ItemT", bound=BaseModel)


class ItemList(SoundStreamModel, Generic[ItemT]):
    """A short ranked list (top-N), not paginated. Iterating over it yields its items."""

    items: list[ItemT] = Field(description="The items, best first.")
    """The items, best first."""

    # Iterating over a list envelope should give its items, as openai's pages do; pydantic's own
    # `__iter__` (field name/value pairs) stays reachable through `model_dump()`.
    def __iter__(self) -> Iterator[ItemT]:  # type: ignore[override]
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> ItemT:
        return self.items[index]

    def to_dicts(self) -> list[dict[str, Any]]:
        """The items as plain JSON-compatible dicts, with the API's field names."""
        return [item.model_dump(mode="json") for item in self.items]

    def to_pandas(self) -> DataFrame:
        """The items as a DataFrame, one row per item, one column per field (needs
        `soundstream-sdk[pandas]`), named as in every frame of the SDK (see
        `SoundStreamModel.frame_columns`). The envelope's other fields (a page's `total`,
        `skip` and `limit`...) are in `df.attrs`: a page holds only its own rows."""
        from ._output import models_to_dataframe

        df = models_to_dataframe(self.items, self._item_type())
        df.attrs.update(self.model_dump(mode="json", exclude={"items"}))
        return df

    @classmethod
    def _item_type(cls) -> type[BaseModel]:
        """The model of the items, from the `items` annotation (`list[ArtistSummary]`)."""
        (item,) = typing.get_args(cls.model_fields["items"].annotation) or (BaseModel,)
        return item if isinstance(item, type) and issubclass(item, BaseModel) else BaseModel


class Page(ItemList[ItemT], Generic[ItemT]):
    """One page of a list, with the size of the whole filtered list."""

    items: list[ItemT] = Field(description="The items of this page.")
    """The items of this page."""

    total: int = Field(description="How many items the whole filtered list holds.")
    """How many items the whole filtered list holds."""

    skip: int = Field(
        description="How many items were skipped before this page (0 when the page was asked "
        "for with `after`)."
    )
    """How many items were skipped before this page (0 when the page was asked for with
    `after`)."""

    limit: int = Field(description="The page size asked for.")
    """The page size asked for."""

    next: str | None = Field(
        default=None,
        description="The cursor of the next page: pass it as `after` to continue where this "
        "page ends, at the cost of the first page however deep. `null` on the last page.",
    )
    """The cursor of the next page: pass it as `after` to continue where this page ends, at
    the cost of the first page however deep. `null` on the last page."""

    # Set by the SDK on a page asked for without a `limit`: a DataFrame of it is then likely
    # taken for the whole list, so `to_pandas()` warns when more rows exist.
    _default_limit: bool = PrivateAttr(default=False)

    def to_pandas(self) -> DataFrame:
        """The page's items as a DataFrame, with `total`, `skip`, `limit` and `next` in
        `df.attrs`; see `ItemList.to_pandas`. A page asked for without a `limit` that is not
        the whole list warns (`PartialPageWarning`): pass `limit=` (up to 500) for a page of
        your size, or use the matching `iter*` method's `.to_pandas()` for every row."""
        df = super().to_pandas()
        if self._default_limit and self.skip + len(self.items) < self.total:
            from ._output import PartialPageWarning

            warnings.warn(
                f"this DataFrame holds one page, {len(self.items):,} of {self.total:,} rows "
                "(df.attrs['total']): pass limit= (up to 500) for a page of your size, or use "
                "the iter method's .to_pandas() (e.g. client.search.iter_artists(...)"
                ".to_pandas()) for every row",
                PartialPageWarning,
                stacklevel=2,
            )
        return df

    @property
    def has_more(self) -> bool:
        """Whether items follow this page."""
        if "next" in self.model_fields_set:
            return self.next is not None
        return self.skip + len(self.items) < self.total
