"""The public surface: the async client mirrors the sync one, every model field is documented,
and the package is typed."""

from __future__ import annotations

import ast
import importlib
import inspect
import itertools
import pkgutil
from pathlib import Path

import pytest
from pydantic import BaseModel

import soundstream
import soundstream.types
from soundstream import AsyncSoundStreamClient, SoundStreamClient
from soundstream.resources._base import AsyncAPIResource, SyncAPIResource

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


def public_methods(cls: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    }


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_the_async_client_has_the_same_methods_with_the_same_parameters(namespace: str) -> None:
    sync_cls = type(getattr(SoundStreamClient(), namespace))
    async_cls = type(getattr(AsyncSoundStreamClient(), namespace))

    assert issubclass(sync_cls, SyncAPIResource)
    assert issubclass(async_cls, AsyncAPIResource)
    sync_methods = public_methods(sync_cls)
    async_methods = public_methods(async_cls)
    assert sync_methods.keys() == async_methods.keys()
    for name, signature in sync_methods.items():
        assert list(signature.parameters.values()) == list(
            async_methods[name].parameters.values()
        ), name
        is_iterator = name.startswith("iter")
        assert inspect.iscoroutinefunction(getattr(async_cls, name)) is not is_iterator, name


def test_the_clients_have_the_same_top_level_methods() -> None:
    assert (
        public_methods(SoundStreamClient).keys() - {"close"}
        <= public_methods(AsyncSoundStreamClient).keys()
    )


def test_every_public_method_has_a_docstring() -> None:
    for namespace in NAMESPACES:
        for cls in (
            type(getattr(SoundStreamClient(), namespace)),
            type(getattr(AsyncSoundStreamClient(), namespace)),
        ):
            for name, _ in public_methods(cls).items():
                assert inspect.getdoc(getattr(cls, name)), f"{cls.__name__}.{name}"


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
