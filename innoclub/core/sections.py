"""Sections of pages that are the same for everyone of an audience, computed
once and then read from the cache until their data changes.

A section is cached under a key that holds the version of the data it is
computed from. A version has two parts:

- a counter in the database (``DataVersion``), raised after every commit that
  changed the data, so every worker on every server sees the change at once;
- a counter in this process, raised at the change itself, inside the
  transaction, so this process never shows an old section after its own
  change, even before the commit (and in tests, which never commit).

A section with forms is kept with a placeholder for the CSRF token, which
belongs to one browser session (``render_kept``); ``with_token`` puts in the
token of each request that reads it.

Reading the version is one query of a single row. The cache is Django's
default cache (Redis with ``REDIS_URL``, else each process's memory); an entry
also expires after ``SECTION_SECONDS`` in any case.

Only data whose every change goes through the ORM may be versioned this way:
``watch()`` listens to saves, deletes and many-to-many changes. Bulk updates
(``QuerySet.update()``, ``bulk_create``) send no signals; code that uses them
on watched models calls ``changed_for(Model)`` itself.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from innoclub.core.models import DataVersion

SECTION_SECONDS = 3600
T = TypeVar("T")

_local: defaultdict[str, int] = defaultdict(int)
# The names that ``watch()`` keeps up to date, by the model whose writes raise them.
_watchers: defaultdict[type[models.Model], set[str]] = defaultdict(set)


def changed(name: str) -> None:
    """The data called ``name`` changed: sections computed from it are stale.

    Side effects: raises this process's counter at once; after the commit, one
    UPDATE of the stored version, once per transaction however many rows it
    saved.
    """
    _local[name] += 1
    if _raise_pending(name):
        return
    raise_after_commit = partial(_raise_stored, name)
    transaction.on_commit(raise_after_commit)


def changed_all() -> None:
    """Every watched data changed: after bulk writes of many models (seeding)
    that sent no signals."""
    for name in sorted(set().union(*_watchers.values())):
        changed(name)


def changed_for(*written: type[models.Model]) -> None:
    """Rows of these models were written without signals (``update()``,
    ``bulk_create``): every data that ``watch()`` keeps on them changed."""
    for name in sorted(set().union(*(_watchers[model] for model in written))):
        changed(name)


def _raise_pending(name: str) -> bool:
    """Whether this transaction already raises ``name`` when it commits. A
    callback counts only if it was queued at the current savepoint or one
    around it: one queued in a savepoint that was released may still be rolled
    back with its parent while this change stays."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return False
    active = set(connection.savepoint_ids)
    return any(
        isinstance(func, partial)
        and func.func is _raise_stored
        and func.args == (name,)
        and savepoints <= active
        for savepoints, func, _robust in connection.run_on_commit
    )


def _raise_stored(name: str) -> None:
    # After the commit, in its own statement: holds no lock beyond itself.
    if DataVersion.objects.filter(name=name).update(version=F("version") + 1):
        return
    try:
        with transaction.atomic():
            DataVersion.objects.create(name=name, version=1)
    except IntegrityError:  # created at the same moment elsewhere
        DataVersion.objects.filter(name=name).update(version=F("version") + 1)


def version(name: str) -> str:
    """The current version of the data ``name`` (one query)."""
    stored = DataVersion.objects.filter(name=name).values_list("version", flat=True).first()
    return f"{stored or 0}.{_local[name]}"


def versions(names: Sequence[str]) -> str:
    """The current versions of the data ``names`` together (one query)."""
    return "-".join(each_version(names))


def each_version(names: Sequence[str]) -> tuple[str, ...]:
    """The current version of each of the data ``names`` (one query)."""
    if len(names) == 1:
        return (version(names[0]),)
    stored = dict(DataVersion.objects.filter(name__in=names).values_list("name", "version"))
    return tuple(f"{stored.get(name, 0)}.{_local[name]}" for name in names)


def audience(user: Any) -> str:
    """The part of a cache key that names whose view a section shows:
    "anonymous" for visitors, who all see the same, else the person, whose
    role, groups and own contributions can change what they see."""
    return f"user-{user.pk}" if user.is_authenticated else "anonymous"


def digest(text: str) -> str:
    """A short part of a key for text of any length, such as an address."""
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def cached(name: str | Sequence[str], key: Iterable[Any], compute: Callable[[], T]) -> T:
    """``compute()``, or what it returned before for the same ``key``, language
    and version of ``name`` (or of each of several names). ``key`` must name
    everything the section depends on besides the data: the audience,
    filters, today's date."""
    names = (name,) if isinstance(name, str) else tuple(name)
    parts = ":".join(str(part) for part in key)
    cache_key = f"section:{'+'.join(names)}:{versions(names)}:{get_language()}:{parts}"
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, value, SECTION_SECONDS)
    return value


# A kept section's forms carry this in place of the CSRF token, which belongs to
# one browser session; ``with_token`` puts the token of each request in.
TOKEN_MARK = "kept-section-csrf-token"  # noqa: S105 - a placeholder, no secret


def render_kept(template: str, context: dict[str, Any], request: HttpRequest) -> SafeString:
    """``template`` rendered to be kept: with ``TOKEN_MARK`` for the CSRF token."""
    return render_to_string(template, {**context, "csrf_token": TOKEN_MARK}, request=request)


def with_token(request: HttpRequest, html: str) -> SafeString:
    """A kept section with the CSRF token of ``request`` in its forms."""
    if TOKEN_MARK in html:
        html = html.replace(TOKEN_MARK, get_token(request))
    return mark_safe(html)  # noqa: S308 - rendered by our templates, the token is [a-zA-Z0-9]


# Saves that change nothing a section shows: the sign-in stamps the time of
# the last login on the person (``update_last_login``).
UNSHOWN_FIELDS = frozenset({"last_login"})


def watch(name: str, *watched: type[models.Model]) -> None:
    """Count every save and delete of these models, and every change of their
    many-to-many relations, as a change of ``name`` (a save of only
    ``UNSHOWN_FIELDS`` excepted)."""

    def on_change(update_fields: frozenset[str] | None = None, **kwargs: Any) -> None:
        if update_fields and update_fields <= UNSHOWN_FIELDS:
            return
        changed(name)

    for model in watched:
        _watchers[model].add(name)
        uid = f"sections:{name}:{model._meta.label}"
        post_save.connect(on_change, sender=model, weak=False, dispatch_uid=f"{uid}:save")
        post_delete.connect(on_change, sender=model, weak=False, dispatch_uid=f"{uid}:delete")
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                on_change, sender=through, weak=False, dispatch_uid=f"{uid}:{field.name}"
            )
