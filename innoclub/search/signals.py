"""Keep the index in step with every write, in the same transaction.

The one place in the project where signals do work, on purpose: the index
must follow every path that changes content — services, the Django admin,
demo seeds — and a signal is the only hook they all pass. The handlers hold
no business logic; they ask the source for the object's document and write it
(``index.py``). Writes that bypass signals (``QuerySet.update``,
``bulk_create``) call ``index.index_object`` themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from innoclub.search import index
from innoclub.search.documents import SOURCES, source_for_model

# Saves that touch only these fields change no document: a login writes last_login.
QUIET_FIELDS = frozenset({"last_login", "password"})


def _quiet(raw: bool, update_fields: Iterable[str] | None) -> bool:
    return raw or index.is_paused() or bool(update_fields and set(update_fields) <= QUIET_FIELDS)


def _saved(
    sender: type[Model],
    instance: Model,
    raw: bool = False,
    update_fields: Iterable[str] | None = None,
    **kwargs: Any,
) -> None:
    if not _quiet(raw, update_fields):
        index.index_object(instance)


def _deleted(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if not index.is_paused():
        index.remove_object(sender, instance.pk)


def _dependent_changed(
    sender: type[Model],
    instance: Model,
    raw: bool = False,
    update_fields: Iterable[str] | None = None,
    **kwargs: Any,
) -> None:
    """A related row was saved or deleted: re-index the documents that show it."""
    if not _quiet(raw, update_fields):
        index.index_dependents(instance)


def _relation_changed(sender: type[Model], instance: Model, action: str, **kwargs: Any) -> None:
    if action not in {"post_add", "post_remove", "post_clear"} or index.is_paused():
        return
    if source_for_model(type(instance)) is not None:
        index.index_object(instance)
    else:
        # Changed from the other side (topic.ideas.add(...)): re-index those objects.
        model, pks = kwargs.get("model"), kwargs.get("pk_set") or ()
        source = source_for_model(model) if model is not None else None
        if source is not None:
            # The source's queryset prefetches what its documents need.
            index.index_objects(source.queryset().filter(pk__in=pks), dependents=False)


def connect() -> None:
    from innoclub.search import sources  # noqa: F401 - registers the sources

    for source in SOURCES.values():
        uid = f"search-{source.kind}"
        post_save.connect(_saved, sender=source.model, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=source.model, dispatch_uid=uid)
        for field in source.model._meta.many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                _relation_changed, sender=through, dispatch_uid=f"{uid}-{field.name}"
            )
        for dependent in source.dependents:
            dependent_uid = f"search-dep-{dependent._meta.label}"
            post_save.connect(_dependent_changed, sender=dependent, dispatch_uid=dependent_uid)
            post_delete.connect(_dependent_changed, sender=dependent, dispatch_uid=dependent_uid)


connect()
