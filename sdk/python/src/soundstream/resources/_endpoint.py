"""Each API call written once, for both clients.

A resource's methods are defined once, on a class that the blocking and the asyncio namespace
share (`users.py`: `class Users(SyncAPIResource, UserCalls)` and `class AsyncUsers(
AsyncAPIResource, UserCalls)`), as functions that *describe* the call: a `Call` (the request,
and how to read its answer) or a `Walk` (how to ask for each page of a list). The decorators
`endpoint` and `paginated` make each one a descriptor that, read from a blocking namespace,
gives a method that sends the request and returns the result, and read from an asyncio
namespace, a coroutine function that does the same (or an iterator of the matching kind). So
the two clients are the same code and cannot drift; an overloaded `__get__` tells type
checkers each side's return type.

This module also keeps the `output_format=` keyword of 0.2 working for a deprecation period:
it is no longer in the methods' signatures (results carry `.to_pandas()`, `.to_dict()`,
`.to_dicts()` instead), but passing it still works, with a `DeprecationWarning`.
"""

from __future__ import annotations

import functools
import inspect
import typing
import warnings
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Any, Concatenate, Generic, ParamSpec, Protocol, TypeVar, overload

from pydantic import BaseModel

from .._base_client import RequestOptions
from .._models import ItemList, Page
from .._output import validate
from .._pagination import AsyncPageIterator, PageIterator, aiterate_pages, iterate_pages
from .._types import Paging
from ._base import AsyncAPIResource, SyncAPIResource

__all__ = [
    "Call",
    "Endpoint",
    "Paginated",
    "Walk",
    "endpoint",
    "paginated",
    "walk",
]

P = ParamSpec("P")
T = TypeVar("T")
ModelT = TypeVar("ModelT", bound=BaseModel)
ItemT = TypeVar("ItemT", bound=BaseModel)

_OUTPUT_FORMATS = ("pydantic", "dict", "pandas")
_REPLACEMENTS = {
    "pydantic": "drop output_format (a typed result is the default)",
    "dict": "call .to_dict() on the result (or .to_dicts() for its items)",
    "pandas": "call .to_pandas() on the result",
}


@dataclass(frozen=True)
class Call(Generic[T]):
    """One request and how to read its answer."""

    options: RequestOptions
    """Method, path, query and body."""
    parse: Callable[[Any], T]
    """The decoded JSON body to the result (a validated model, or `None` for a 204)."""

    @staticmethod
    def read(
        path: str, into: type[ModelT], params: Mapping[str, Any] | None = None
    ) -> Call[ModelT]:
        """A GET whose answer is one `into`."""
        return Call(RequestOptions("GET", path, params), functools.partial(validate, into))

    @staticmethod
    def read_page(
        path: str, item: type[ModelT], paging: Paging, params: Mapping[str, Any] | None = None
    ) -> Call[Page[ModelT]]:
        """A GET of one page of `item`s, filtered by `params`. A page asked for without a `limit`
        remembers it, so that its `to_pandas()` can warn that a DataFrame of it is not the whole
        list."""
        implicit = paging.get("limit") is None
        params = {**(params or {}), **paging}

        def parse(data: Any) -> Page[ModelT]:
            page: Page[ModelT] = validate(Page[item], data)  # type: ignore[valid-type]
            page._default_limit = implicit
            return page

        return Call(RequestOptions("GET", path, params), parse)

    @staticmethod
    def read_items(
        path: str, item: type[ModelT], params: Mapping[str, Any]
    ) -> Call[ItemList[ModelT]]:
        """A GET of a top-N list (`{"items"}`) of `item`s."""
        envelope: type[ItemList[ModelT]] = ItemList[item]  # type: ignore[valid-type]
        return Call.read(path, envelope, params)

    @staticmethod
    def write(method: str, path: str, body: Any, into: type[ModelT]) -> Call[ModelT]:
        """A POST, PUT or PATCH of a JSON `body` whose answer is one `into`."""
        return Call(RequestOptions(method, path, json=body), functools.partial(validate, into))

    @staticmethod
    def remove(path: str) -> Call[None]:
        """A DELETE (the answer is a 204)."""
        return Call(RequestOptions("DELETE", path), lambda _: None)


@dataclass(frozen=True)
class Walk(Generic[ItemT]):
    """A list walked page by page: the call for a page at (`skip`, `after`, `limit`)."""

    fetch: Callable[[int | None, str | None, int], Call[Page[ItemT]]]
    page_size: int


def walk(
    list_call: Endpoint[..., Page[ItemT]], resource: object, page_size: int, **filters: Any
) -> Walk[ItemT]:
    """The walk of the list `list_call` serves, with the same `filters` on every page."""
    return Walk(
        lambda skip, after, limit: list_call.call(
            resource, skip=skip, after=after, limit=limit, **filters
        ),
        page_size,
    )


def _pop_output_format(kwargs: dict[str, Any], allowed: bool) -> str | None:
    """The deprecated `output_format` keyword, removed from `kwargs` (checked, with a
    `DeprecationWarning` naming what replaces it), or `None` when it was not passed."""
    if not allowed or "output_format" not in kwargs:
        return None
    output_format = kwargs.pop("output_format")
    if output_format not in _OUTPUT_FORMATS:
        raise ValueError(
            f"output_format must be one of {', '.join(map(repr, _OUTPUT_FORMATS))}, "
            f"not {output_format!r}"
        )
    warnings.warn(
        f"output_format= is deprecated and will be removed in soundstream-sdk 0.4: "
        f"{_REPLACEMENTS[output_format]}",
        DeprecationWarning,
        stacklevel=3,
    )
    return typing.cast("str", output_format)


def _finish(call: Call[T], data: Any, output_format: str | None) -> Any:
    """The result of `call` from its decoded answer, in the deprecated `output_format` when
    one was given: `dict` is the JSON as it came (unvalidated, as in 0.2)."""
    if output_format == "dict":
        return data
    result = call.parse(data)
    if output_format == "pandas":
        return typing.cast("Any", result).to_pandas()
    return result


def _dress(
    method: Callable[..., Any], build: Callable[..., Any], resource: object, returns: str
) -> None:
    """Give a bound method the name, docstring and signature of its definition, without
    `self` and with what this client returns (`returns`, a template for the type inside the
    definition's `Call[...]` or `Walk[...]`), so that `help()` and `inspect.signature` show
    the real parameters and result."""
    functools.update_wrapper(method, build)
    signature = inspect.signature(build)
    annotation = signature.return_annotation
    shown: Any = inspect.Signature.empty
    if isinstance(annotation, str) and annotation.startswith(("Call[", "Walk[")):
        shown = returns.format(annotation[len("Call[") : -1])
    method.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=list(signature.parameters.values())[1:], return_annotation=shown
    )
    method.__qualname__ = f"{type(resource).__name__}.{build.__name__}"


class _Binds(Protocol):
    _returns: tuple[str, str]

    def _sync_method(self, resource: SyncAPIResource) -> Callable[..., Any]: ...
    def _async_method(self, resource: AsyncAPIResource) -> Callable[..., Any]: ...


def _bind(descriptor: _Binds, build: Callable[..., Any], resource: object) -> Callable[..., Any]:
    """The method `descriptor` gives on `resource`: its blocking or its asyncio form."""
    sync_returns, async_returns = descriptor._returns
    if isinstance(resource, AsyncAPIResource):
        method = descriptor._async_method(resource)
        _dress(method, build, resource, async_returns)
    elif isinstance(resource, SyncAPIResource):
        method = descriptor._sync_method(resource)
        _dress(method, build, resource, sync_returns)
    else:
        raise TypeError(f"{type(resource).__name__} is neither a sync nor an async resource")
    return method


class Endpoint(Generic[P, T]):
    """A method defined once as a `Call` builder, served by both clients (see the module)."""

    _returns = ("{}", "Coroutine[Any, Any, {}]")

    def __init__(
        self, build: Callable[Concatenate[Any, P], Call[T]], *, output_format: bool
    ) -> None:
        self._build = build
        self._output_format = output_format
        self.__doc__ = build.__doc__

    def call(self, resource: object, *args: P.args, **kwargs: P.kwargs) -> Call[T]:
        """The request this method sends for these arguments (without sending it)."""
        return self._build(resource, *args, **kwargs)

    @overload
    def __get__(self, resource: None, owner: type[Any]) -> Endpoint[P, T]: ...
    @overload
    def __get__(self, resource: SyncAPIResource, owner: type[Any]) -> Callable[P, T]: ...
    @overload
    def __get__(
        self, resource: AsyncAPIResource, owner: type[Any]
    ) -> Callable[P, Coroutine[Any, Any, T]]: ...
    def __get__(self, resource: object, owner: type[Any]) -> Any:
        return self if resource is None else _bind(self, self._build, resource)

    def _sync_method(self, resource: SyncAPIResource) -> Callable[..., Any]:
        def method(*args: Any, **kwargs: Any) -> Any:
            output_format = _pop_output_format(kwargs, self._output_format)
            call = self._build(resource, *args, **kwargs)
            return _finish(call, resource._client._request(call.options), output_format)

        return method

    def _async_method(self, resource: AsyncAPIResource) -> Callable[..., Any]:
        async def method(*args: Any, **kwargs: Any) -> Any:
            output_format = _pop_output_format(kwargs, self._output_format)
            call = self._build(resource, *args, **kwargs)
            return _finish(call, await resource._client._request(call.options), output_format)

        return method


class Paginated(Generic[P, ItemT]):
    """An `iter*` method defined once as a `Walk` builder: a `PageIterator` on the blocking
    client, an `AsyncPageIterator` on the asyncio one (a plain function on both: the walk
    starts at the first item asked for)."""

    _returns = ("PageIterator[{}]", "AsyncPageIterator[{}]")

    def __init__(self, build: Callable[Concatenate[Any, P], Walk[ItemT]]) -> None:
        self._build = build
        self.__doc__ = build.__doc__

    @overload
    def __get__(self, resource: None, owner: type[Any]) -> Paginated[P, ItemT]: ...
    @overload
    def __get__(
        self, resource: SyncAPIResource, owner: type[Any]
    ) -> Callable[P, PageIterator[ItemT]]: ...
    @overload
    def __get__(
        self, resource: AsyncAPIResource, owner: type[Any]
    ) -> Callable[P, AsyncPageIterator[ItemT]]: ...
    def __get__(self, resource: object, owner: type[Any]) -> Any:
        return self if resource is None else _bind(self, self._build, resource)

    def _sync_method(self, resource: SyncAPIResource) -> Callable[..., PageIterator[ItemT]]:
        request = resource._client._request

        def method(*args: Any, **kwargs: Any) -> PageIterator[ItemT]:
            pages = self._build(resource, *args, **kwargs)

            def fetch(skip: int | None, after: str | None, limit: int) -> Page[ItemT]:
                call = pages.fetch(skip, after, limit)
                return call.parse(request(call.options))

            return iterate_pages(fetch, page_size=pages.page_size)

        return method

    def _async_method(self, resource: AsyncAPIResource) -> Callable[..., AsyncPageIterator[ItemT]]:
        request = resource._client._request

        def method(*args: Any, **kwargs: Any) -> AsyncPageIterator[ItemT]:
            pages = self._build(resource, *args, **kwargs)

            async def fetch(skip: int | None, after: str | None, limit: int) -> Page[ItemT]:
                call = pages.fetch(skip, after, limit)
                return call.parse(await request(call.options))

            return aiterate_pages(fetch, page_size=pages.page_size)

        return method


def endpoint(
    *, output_format: bool = False
) -> Callable[[Callable[Concatenate[Any, P], Call[T]]], Endpoint[P, T]]:
    """Make a `Call` builder a method of both clients. `output_format=True` for the calls that
    took the (deprecated) `output_format=` keyword in 0.2: their results have `to_pandas()`."""

    def decorate(build: Callable[Concatenate[Any, P], Call[T]]) -> Endpoint[P, T]:
        return Endpoint(build, output_format=output_format)

    return decorate


def paginated(build: Callable[Concatenate[Any, P], Walk[ItemT]]) -> Paginated[P, ItemT]:
    """Make a `Walk` builder an `iter*` method of both clients."""
    return Paginated(build)
