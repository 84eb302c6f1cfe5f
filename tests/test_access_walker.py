"""Every URL declares who may use it (docs/architecture.md, access policy)."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

from innoclub.core.access import EXTERNAL_RULES, Rule


def walk(
    patterns: list, namespace: str = "", prefix: str = ""
) -> Iterator[tuple[str, str, object]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name or ''}", prefix + str(entry.pattern), entry.callback


def declared_rule(name: str, callback: object) -> Rule | None:
    rule = getattr(callback, "access_rule", None)
    if rule is not None:
        return rule
    for prefix, external in EXTERNAL_RULES.items():
        if name.startswith(prefix):
            return external
    return None


def test_every_url_declares_an_access_rule():
    undeclared = [
        f"{route} ({name})"
        for name, route, callback in walk(get_resolver().url_patterns)
        if declared_rule(name, callback) is None
    ]

    assert undeclared == []


def test_the_walker_sees_the_pages_we_know():
    names = {name for name, _route, _callback in walk(get_resolver().url_patterns)}

    assert {
        "core:home",
        "core:healthz",
        "core:livez",
        "accounts:login",
        "core:office_home",
        "admin:index",
    } <= names


def test_office_pages_are_declared_for_staff_only():
    rules = {
        name: declared_rule(name, callback)
        for name, route, callback in walk(get_resolver().url_patterns)
        if route.startswith("geschaeftsstelle/")
    }

    assert rules
    assert set(rules.values()) == {Rule.STAFF}
