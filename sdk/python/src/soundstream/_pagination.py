"""Auto-pagination: iterators that walk every page of a `skip`/`limit` list and yield its items."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TypeVar

from pydantic import BaseModel

from ._constants import MAX_PAGE_SIZE
from ._models import Page

__all__ = ["aiterate_pages", "check_page_size", "iterate_pages"]

ItemT = TypeVar("ItemT", bound=BaseModel)


def check_page_size(page_size: int) -> int:
    """`page_size`, or `ValueError` when the API would reject it (before any request)."""
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValueError(f"page_size must be between 1 and {MAX_PAGE_SIZE}, not {page_size}")
    return page_size


def iterate_pages(
    fetch: Callable[[int, int], Page[ItemT]], *, page_size: int, skip: int = 0
) -> Iterator[ItemT]:
    """Every item from `skip` on, fetching `page_size` items per request with `fetch(skip,
    limit)`. It stops at the first empty page or once `total` items are passed, so a list that
    shrinks while it is walked ends cleanly; one that grows may show an item twice or miss one,
    as any offset pagination does."""
    # Checked here, not at the first next(): a bad page size fails where the call is written.
    check_page_size(page_size)
    return _walk(fetch, page_size, skip)


def _walk(fetch: Callable[[int, int], Page[ItemT]], page_size: int, skip: int) -> Iterator[ItemT]:
    while True:
        page = fetch(skip, page_size)
        yield from page.items
        skip += len(page.items)
        if not page.items or skip >= page.total:
            return


def aiterate_pages(
    fetch: Callable[[int, int], Awaitable[Page[ItemT]]], *, page_size: int, skip: int = 0
) -> AsyncIterator[ItemT]:
    """The asyncio twin of `iterate_pages`: `async for item in ...`."""
    check_page_size(page_size)
    return _awalk(fetch, page_size, skip)


async def _awalk(
    fetch: Callable[[int, int], Awaitable[Page[ItemT]]], page_size: int, skip: int
) -> AsyncIterator[ItemT]:
    while True:
        page = await fetch(skip, page_size)
        for item in page.items:
            yield item
        skip += len(page.items)
        if not page.items or skip >= page.total:
            return
