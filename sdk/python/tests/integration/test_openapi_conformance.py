"""The SDK against the server's own `/openapi.json`: every route it calls exists with that
method, and its models have exactly the fields of the response schemas, nested ones included.

A failure here means the API changed: update the models in `soundstream/types/` (and
`tests/calls.py`) to match.
"""

from __future__ import annotations

import types
import typing
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from ..calls import CALLS, PENDING_PATHS, Call
from .conftest import Server

JSON = dict[str, Any]


@pytest.fixture(scope="module")
def spec(server: Server) -> JSON:
    document: JSON = httpx.get(f"{server.base_url}/openapi.json", timeout=30).json()
    return document


def resolve_ref(spec: JSON, schema: JSON) -> JSON:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def properties(spec: JSON, schema: JSON) -> dict[str, JSON] | None:
    """The properties of an object schema (a union's variants merged); None if not an object."""
    schema = resolve_ref(spec, schema)
    if schema.get("type") == "array":
        return properties(spec, schema.get("items", {}))
    variants = schema.get("oneOf") or schema.get("anyOf")
    if variants:
        merged: dict[str, JSON] = {}
        for variant in variants:
            merged.update(properties(spec, variant) or {})
        return merged or None
    props: dict[str, JSON] | None = schema.get("properties")
    return props


def nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model inside `Model`, `Model | None`, `list[Model]`..., if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = nested_model(arg)
            if found is not None:
                return found
    return None


def compare(spec: JSON, schema: JSON, model: type[BaseModel], where: str) -> list[str]:
    """Every difference between the schema's fields and the model's, recursively."""
    props = properties(spec, schema)
    assert props is not None, f"{where}: the response schema is not an object"
    fields = {info.alias or name: info for name, info in model.model_fields.items()}
    problems = [
        f"{where}.{name}: in the API, not in {model.__name__}"
        for name in props.keys() - fields.keys()
    ]
    problems += [
        f"{where}.{name}: in {model.__name__}, not in the API"
        for name in fields.keys() - props.keys()
    ]
    for name in props.keys() & fields.keys():
        inner = nested_model(fields[name].annotation)
        if inner is not None and properties(spec, props[name]) is not None:
            problems += compare(spec, props[name], inner, f"{where}.{name}")
    return problems


def success_schema(operation: JSON) -> JSON | None:
    for status in sorted(operation["responses"]):
        if status.startswith("2"):
            content = operation["responses"][status].get("content", {})
            if "application/json" in content:
                schema: JSON = content["application/json"]["schema"]
                return schema
    return None


@pytest.mark.parametrize("call", CALLS, ids=repr)
def test_the_route_exists_and_the_model_has_every_field(call: Call, spec: JSON) -> None:
    if call.path not in spec["paths"] and call.path in PENDING_PATHS:
        pytest.skip(f"{call.method} {call.path} is not in the server's openapi.json yet")
    assert call.path in spec["paths"], f"{call.path} is not in the API"
    operation = spec["paths"][call.path].get(call.method.lower())
    assert operation is not None, f"{call.method} {call.path} is not in the API"

    schema = success_schema(operation)
    if call.model is None:
        assert schema is None, f"{call.method} {call.path} now answers with a body"
        return
    assert schema is not None, f"{call.method} {call.path} answers with no JSON body"
    assert compare(spec, schema, call.model, call.path) == []


def test_every_route_of_the_api_has_an_sdk_method(spec: JSON) -> None:
    called = {(call.method, call.path) for call in CALLS}
    published = {
        (method.upper(), path)
        for path, operations in spec["paths"].items()
        if path.startswith(("/v1/", "/health/"))
        for method in operations
    }

    assert published - called == set()
