"""Every API operation names who may call it, and the gate holds for each.

The per-resource files (test_api_events.py, test_api_ideas.py, …) check what
each caller sees and may change; this file walks all operations of the API,
so that an operation added later cannot forget its gate.
"""

from __future__ import annotations

import re
from typing import get_args

import pytest
from django.core.cache import cache
from django.test import Client
from pydantic import BaseModel

from innoclub.api.api import api
from innoclub.api.auth import PUBLIC, SIGNED_IN, WRITE, BearerToken, Session, anonymous
from innoclub.api.tokens import token_create, token_revoke
from tests.conftest import login_client

pytestmark = pytest.mark.django_db


def _operations() -> list[tuple[str, str, list]]:
    found = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    url = "/api/v1/" + (prefix + path).strip("/")
                    found.append((method, url, list(operation.auth_callbacks)))
    return found


OPERATIONS = _operations()


def _kind(callbacks: list) -> str:
    if any(callback is anonymous for callback in callbacks):
        return "public"
    if any(isinstance(callback, BearerToken) and callback.write for callback in callbacks):
        return "write"
    return "signed_in"


def _concrete(url: str) -> str:
    # Authentication runs before path parameters are read, so any value will do.
    return re.sub(r"\{[^}]+\}", "1", url)


def _ids(operations: list[tuple[str, str, list]]) -> list[str]:
    return [f"{method} {url}" for method, url, _callbacks in operations]


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()


def test_the_walk_finds_every_resource_of_the_api():
    urls = {url for _method, url, _callbacks in OPERATIONS}

    for resource in (
        "events",
        "sessions",
        "speakers",
        "topics",
        "municipalities",
        "members",
        "ideas",
        "pilots",
        "adoptions",
        "news",
        "publications",
        "registrations",
    ):
        assert any(url.startswith(f"/api/v1/{resource}") for url in urls), resource


@pytest.mark.parametrize(("method", "url", "callbacks"), OPERATIONS, ids=_ids(OPERATIONS))
def test_each_operation_uses_one_of_the_three_gates(method, url, callbacks):
    assert callbacks in (PUBLIC, SIGNED_IN, WRITE)
    # Reading needs no write scope; changing needs it.
    assert (_kind(callbacks) == "write") == (method != "GET")
    assert all(isinstance(cb, BearerToken | Session) or cb is anonymous for cb in callbacks)


SIGNED_IN_OPERATIONS = [op for op in OPERATIONS if _kind(op[2]) != "public"]
WRITE_OPERATIONS = [op for op in OPERATIONS if _kind(op[2]) == "write"]


@pytest.mark.parametrize(
    ("method", "url", "callbacks"), SIGNED_IN_OPERATIONS, ids=_ids(SIGNED_IN_OPERATIONS)
)
def test_anonymous_callers_are_asked_to_authenticate(method, url, callbacks):
    response = Client().generic(method, _concrete(url), "{}", content_type="application/json")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'Bearer realm="innoclub"'


@pytest.mark.parametrize(
    ("method", "url", "callbacks"), SIGNED_IN_OPERATIONS, ids=_ids(SIGNED_IN_OPERATIONS)
)
def test_a_revoked_token_opens_nothing(method, url, callbacks, member):
    token, plain = token_create(user=member, name="alt", scope="write", days=30)
    token_revoke(token=token)

    response = Client().generic(
        method,
        _concrete(url),
        "{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {plain}",
    )

    assert response.status_code == 401


@pytest.mark.parametrize(
    ("method", "url", "callbacks"), WRITE_OPERATIONS, ids=_ids(WRITE_OPERATIONS)
)
def test_a_read_token_cannot_write(method, url, callbacks, member):
    _token, plain = token_create(user=member, name="lesen", scope="read", days=30)

    response = Client().generic(
        method,
        _concrete(url),
        "{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {plain}",
    )

    assert response.status_code == 403
    assert response.json()["detail"] == "Dieser Token darf nur lesen."


@pytest.mark.parametrize(
    ("method", "url", "callbacks"), WRITE_OPERATIONS, ids=_ids(WRITE_OPERATIONS)
)
def test_a_session_write_without_the_csrf_token_is_refused(method, url, callbacks, member):
    client = login_client(member)
    client.handler.enforce_csrf_checks = True

    response = client.generic(method, _concrete(url), "{}", content_type="application/json")

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def _models_in(annotation: object, seen: set[type]) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        for field in annotation.model_fields.values():
            _models_in(field.annotation, seen)
        return
    for argument in get_args(annotation):
        _models_in(argument, seen)


def test_no_two_schemas_share_a_name():
    """The OpenAPI document names schemas by class name; a second class of the
    same name would silently replace the first in the published schema."""
    seen: set[type] = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.response_models.values():
                    _models_in(model, seen)
                for model in operation.models:
                    _models_in(model, seen)
    # Our schemas only; django-ninja names its own wrappers per operation.
    names = [model.__name__ for model in seen if model.__module__.startswith("innoclub")]

    assert len(names) > 40
    assert sorted(name for name in set(names) if names.count(name) > 1) == []
