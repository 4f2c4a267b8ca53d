"""The public surface: the async client mirrors the sync one, every model field is documented,
and the package is typed."""

from __future__ import annotations

import ast
import importlib
import inspect
import itertools
import pkgutil
import typing
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from typing_extensions import assert_type

import soundstream
import soundstream.types
from soundstream import AsyncSoundStreamClient, Page, SoundStreamClient
from soundstream._pagination import AsyncPageIterator
from soundstream.resources._base import AsyncAPIResource, SyncAPIResource, _APIResource
from soundstream.types import UserArtist, UserSummary

from .mock_api import MockAPI, json_response, page

NAMESPACES = [
    "artists",
    "users",
    "tags",
    "listens",
    "tag_assignments",
    "friendships",
    "search",
    "analytics",
    "recommendations",
]


def public_methods(obj: object) -> dict[str, inspect.Signature]:
    """The public methods of a client or a namespace, as its users call them (bound: the
    resource methods are descriptors that only become functions on an instance)."""
    return {
        name: inspect.signature(member)
        for name, member in inspect.getmembers(obj, callable)
        if not name.startswith("_") and not inspect.isclass(member)
    }


def namespaces(namespace: str) -> tuple[object, object]:
    return getattr(SoundStreamClient(), namespace), getattr(AsyncSoundStreamClient(), namespace)


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_the_async_client_has_the_same_methods_with_the_same_parameters(namespace: str) -> None:
    sync, async_ = namespaces(namespace)

    assert isinstance(sync, SyncAPIResource)
    assert isinstance(async_, AsyncAPIResource)
    sync_methods = public_methods(sync)
    async_methods = public_methods(async_)
    assert sync_methods, namespace
    assert sync_methods.keys() == async_methods.keys()
    for name, signature in sync_methods.items():
        assert signature.parameters == async_methods[name].parameters, name
        is_iterator = name.startswith("iter")
        async_method = getattr(async_, name)
        assert inspect.iscoroutinefunction(async_method) is not is_iterator, name
        assert not inspect.iscoroutinefunction(getattr(sync, name)), name


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_both_clients_serve_one_definition_of_each_method(namespace: str) -> None:
    sync, async_ = namespaces(namespace)
    # The two namespace classes share one base that defines the methods (`UserCalls`...) and
    # add none of their own, so a method cannot be changed on one client and not the other.
    common = set(type(sync).__mro__) & set(type(async_).__mro__)
    (shared,) = common - {object, typing.Generic, _APIResource}
    for cls in (type(sync), type(async_)):
        own = {name for name in vars(cls) if not name.startswith("_")}
        assert own == set(), f"{cls.__name__} defines {own} itself"
    for name in public_methods(sync):
        assert name in vars(shared), f"{shared.__name__}.{name}"
        assert getattr(sync, name).__wrapped__ is getattr(async_, name).__wrapped__, name


def test_type_checkers_see_each_clients_own_return_type() -> None:
    # Checked by mypy --strict (scripts/check), which fails on a wrong `assert_type`: the
    # shared definitions must read as values on the blocking client and as coroutines (or
    # async iterators) on the asyncio one.
    api = MockAPI(json_response(200, page([])))

    result = api.client().users.list()
    pending = api.async_client().users.list()
    walk = api.async_client().users.iter_artists(2)

    assert_type(result, Page[UserSummary])
    coroutine = assert_type(pending, Coroutine[Any, Any, Page[UserSummary]])
    assert_type(walk, AsyncPageIterator[UserArtist])
    coroutine.close()
    assert isinstance(result, Page)


def test_help_shows_what_each_client_returns() -> None:
    sync, async_ = namespaces("users")

    assert inspect.signature(sync.list).return_annotation == "Page[UserSummary]"  # type: ignore[attr-defined]
    assert (
        inspect.signature(async_.list).return_annotation  # type: ignore[attr-defined]
        == "Coroutine[Any, Any, Page[UserSummary]]"
    )
    assert (
        inspect.signature(async_.iter_tags).return_annotation  # type: ignore[attr-defined]
        == "AsyncPageIterator[TagCount]"
    )
    assert "self" not in inspect.signature(sync.list).parameters  # type: ignore[attr-defined]


def test_the_clients_have_the_same_top_level_methods() -> None:
    assert (
        public_methods(SoundStreamClient()).keys() - {"close"}
        <= public_methods(AsyncSoundStreamClient()).keys()
    )


def test_every_public_method_has_a_docstring() -> None:
    for namespace in NAMESPACES:
        for resource in namespaces(namespace):
            for name in public_methods(resource):
                assert inspect.getdoc(getattr(resource, name)), f"{namespace}.{name}"


def model_classes() -> list[type[BaseModel]]:
    classes = []
    for name in soundstream.types.__all__:
        obj = getattr(soundstream.types, name)
        if (
            isinstance(obj, type)
            and issubclass(obj, BaseModel)
            and obj.__module__.startswith("soundstream")
        ):
            classes.append(obj)
    return classes


def attribute_docstrings(cls: type) -> dict[str, str]:
    """`name: type = ...` followed by a string literal, in the class body."""
    tree = ast.parse(inspect.getsource(cls))
    body = tree.body[0].body  # type: ignore[attr-defined]
    docs = {}
    for node, after in itertools.pairwise(body):
        is_field = isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
        is_doc = (
            isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        )
        if is_field and is_doc:
            docs[node.target.id] = after.value.value
    return docs


@pytest.mark.parametrize("model", model_classes(), ids=lambda m: m.__name__)
def test_every_model_field_has_a_description_and_the_same_docstring(model: type[BaseModel]) -> None:
    docs = attribute_docstrings(model)
    for name, info in model.model_fields.items():
        if name not in model.__annotations__:
            continue  # inherited: checked on its own class
        assert info.description, f"{model.__name__}.{name} has no description"
        assert name in docs, f"{model.__name__}.{name} has no docstring"
        assert " ".join(docs[name].split()).startswith(" ".join(info.description.split())), (
            f"{model.__name__}.{name}"
        )
    assert model.__doc__


def test_the_package_is_typed() -> None:
    assert (Path(soundstream.__file__).parent / "py.typed").is_file()


def test_every_module_imports_and_says_what_it_owns() -> None:
    for module_info in pkgutil.walk_packages(soundstream.__path__, "soundstream."):
        module = importlib.import_module(module_info.name)
        assert module.__doc__, module_info.name


def test_the_version_is_in_one_place() -> None:
    from soundstream._version import __version__

    assert soundstream.__version__ == __version__
