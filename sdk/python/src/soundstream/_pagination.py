"""Auto-pagination: iterators that walk every page of a list and yield its items, and turn what
is left of the walk into one DataFrame (`.to_pandas()`). The first page is asked for with
`skip`; every later one with the cursor the page before gave (`after=next`), so the thousandth
page costs the server what the first does, and a list that changes while it is walked neither
repeats nor skips an item."""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel
from typing_extensions import Self

from ._constants import MAX_PAGE_SIZE
from ._models import Page
from ._progress import Progress, progress_bar

if TYPE_CHECKING:
    from pandas import DataFrame

__all__ = [
    "AsyncPageIterator",
    "PageIterator",
    "aiterate_pages",
    "check_page_size",
    "iterate_pages",
]

ItemT = TypeVar("ItemT", bound=BaseModel)


def check_page_size(page_size: int) -> int:
    """`page_size`, or `ValueError` when the API would reject it (before any request)."""
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValueError(f"page_size must be between 1 and {MAX_PAGE_SIZE}, not {page_size}")
    return page_size


class _Walk(Generic[ItemT]):
    """What both iterators share: where the walk is, and the pages' item model."""

    def __init__(self, page_size: int, skip: int) -> None:
        self._page_size = check_page_size(page_size)
        self._skip = skip
        self._after: str | None = None
        self._buffer: deque[ItemT] = deque()
        self._done = False
        self._item_type: type[BaseModel] | None = None
        self.total: int | None = None
        """How many items the whole list holds, once the first page arrived."""

    def _take(self, page: Page[ItemT], bar: Progress | None = None, before: int = 0) -> None:
        """Buffer a page's items; with a `bar`, tell it how many rows to expect (the list's
        size less the `before` items already consumed when the bar started)."""
        self._item_type = type(page)._item_type()
        self.total = page.total
        self._buffer.extend(page.items)
        self._skip += len(page.items)
        self._after = page.next
        # A server that sends cursors says where the list ends (`next` is null on the last
        # page); one that does not is walked by offset until an empty page or `total` items.
        if "next" in page.model_fields_set:
            self._done = page.next is None or not page.items
        elif not page.items or self._skip >= page.total:
            self._done = True
        if bar is not None:
            bar.set_total(max(page.total - before, 0))

    def _drain(self, items: list[ItemT], bar: Progress) -> bool:
        """Move the buffered items to `items`, counting them on `bar`; whether the walk is
        over."""
        if self._buffer:
            bar.update(len(self._buffer))
            items.extend(self._buffer)
            self._buffer.clear()
        return self._done

    def _position(self) -> tuple[int | None, str | None]:
        """The next page's `skip` and `after`: the cursor once a page gave one."""
        return (None, self._after) if self._after is not None else (self._skip, None)

    def _frame(self, items: list[ItemT]) -> DataFrame:
        from ._output import models_to_dataframe

        model = self._item_type or (type(items[0]) if items else BaseModel)
        df = models_to_dataframe(items, model)
        df.attrs["total"] = self.total if self.total is not None else len(items)
        return df

    def _bar(self, progress: bool) -> Progress:
        return progress_bar(progress, description="rows", unit="rows")

    def _consumed(self) -> int:
        """Items of the list before the next one this walk yields (skipped or iterated)."""
        return self._skip - len(self._buffer)


class PageIterator(_Walk[ItemT], Iterator[ItemT]):
    """Every item of a list, fetched a page at a time as the iteration goes (`for x in ...`).

    `.to_pandas()` reads the items not yet iterated into one DataFrame."""

    def __init__(
        self,
        fetch: Callable[[int | None, str | None, int], Page[ItemT]],
        *,
        page_size: int,
        skip: int = 0,
    ) -> None:
        super().__init__(page_size, skip)
        self._fetch = fetch

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> ItemT:
        while not self._buffer:
            if self._done:
                raise StopIteration
            self._take(self._fetch(*self._position(), self._page_size))
        return self._buffer.popleft()

    def to_list(self) -> list[ItemT]:
        """The items not yet iterated, as a list (fetching every page left)."""
        return list(self)

    def to_dicts(self) -> list[dict[str, Any]]:
        """The items not yet iterated, as plain dicts with the API's field names."""
        return [item.model_dump(mode="json") for item in self]

    def to_pandas(self, *, progress: bool = False) -> DataFrame:
        """The items not yet iterated as one DataFrame (every page left, fetched now), typed
        and named as a page's `to_pandas()`; `df.attrs["total"]` is the list's size. With
        `progress=True`, a tqdm bar counts the rows (`soundstream-sdk[progress]`)."""
        items: list[ItemT] = []
        before = self._consumed()
        with self._bar(progress) as bar:
            while not self._drain(items, bar):
                self._take(self._fetch(*self._position(), self._page_size), bar, before)
        return self._frame(items)


class AsyncPageIterator(_Walk[ItemT], AsyncIterator[ItemT]):
    """The asyncio twin of `PageIterator`: `async for x in ...`, `await ....to_pandas()`."""

    def __init__(
        self,
        fetch: Callable[[int | None, str | None, int], Awaitable[Page[ItemT]]],
        *,
        page_size: int,
        skip: int = 0,
    ) -> None:
        super().__init__(page_size, skip)
        self._fetch = fetch

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> ItemT:
        while not self._buffer:
            if self._done:
                raise StopAsyncIteration
            self._take(await self._fetch(*self._position(), self._page_size))
        return self._buffer.popleft()

    async def to_list(self) -> list[ItemT]:
        """The items not yet iterated, as a list (fetching every page left)."""
        return [item async for item in self]

    async def to_dicts(self) -> list[dict[str, Any]]:
        """The items not yet iterated, as plain dicts with the API's field names."""
        return [item.model_dump(mode="json") async for item in self]

    async def to_pandas(self, *, progress: bool = False) -> DataFrame:
        """The items not yet iterated as one DataFrame; see `PageIterator.to_pandas`."""
        items: list[ItemT] = []
        before = self._consumed()
        with self._bar(progress) as bar:
            while not self._drain(items, bar):
                self._take(await self._fetch(*self._position(), self._page_size), bar, before)
        return self._frame(items)


def iterate_pages(
    fetch: Callable[[int | None, str | None, int], Page[ItemT]], *, page_size: int, skip: int = 0
) -> PageIterator[ItemT]:
    """Every item from `skip` on, fetching `page_size` items per request with `fetch(skip,
    after, limit)` (`skip` for the first page, the previous page's cursor for the others); a bad
    page size fails here, where the call is written, not at the first item."""
    return PageIterator(fetch, page_size=page_size, skip=skip)


def aiterate_pages(
    fetch: Callable[[int | None, str | None, int], Awaitable[Page[ItemT]]],
    *,
    page_size: int,
    skip: int = 0,
) -> AsyncPageIterator[ItemT]:
    """The asyncio twin of `iterate_pages`: `async for item in ...`."""
    return AsyncPageIterator(fetch, page_size=page_size, skip=skip)
