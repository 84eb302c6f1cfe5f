"""What each kind of content gives the index, and who may find it.

A *source* turns one model instance into a ``Document`` (or ``None`` when the
object must not be found at all, such as a draft article for anyone but the
office, which gets ``Audience.STAFF`` instead). Sources register themselves in
``SOURCES`` by kind; ``index.py`` and the rebuild command only talk to this
registry.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Model, QuerySet

from innoclub.search.models import Audience, Kind

if TYPE_CHECKING:
    from innoclub.core.access import AnyUser


@dataclass(frozen=True)
class Document:
    kind: Kind
    object_id: int
    audience: Audience
    title: str
    url: str
    summary: str = ""
    # Plain text (no Markdown, no HTML): it is shown as a snippet.
    body: str = ""
    # Names of people and places in the document: one typo still finds them.
    names: str = ""
    topics: tuple[str, ...] = ()
    stage: str = ""
    land: str = ""
    year: int | None = None
    dated: datetime.datetime | None = None
    # Found by its audience only from then on (a scheduled article); the office always.
    visible_from: datetime.datetime | None = None


@dataclass(frozen=True)
class Source:
    """How one kind of content is indexed.

    ``queryset``: every object to index, with what ``document`` needs
    prefetched (the rebuild walks it in chunks). ``document``: the document for
    one object, or ``None`` if nobody may find it. ``restricted_ids``: for
    documents with ``Audience.RESTRICTED``, the ids of the objects ``user``
    may see (a queryset of ids, used as a subquery); ``None`` if the kind has
    no restricted documents.
    """

    kind: Kind
    model: type[Model]
    queryset: Callable[[], QuerySet[Any]]
    document: Callable[[Any], Document | None]
    restricted_ids: Callable[[AnyUser], QuerySet[Any]] | None = None
    # Other models whose change alters this kind's documents: model -> the
    # objects of this kind to re-index for a changed instance.
    dependents: dict[type[Model], Callable[[Any], Iterable[Any]]] = field(default_factory=dict)


SOURCES: dict[Kind, Source] = {}


def register(source: Source) -> Source:
    SOURCES[source.kind] = source
    return source


def source_for_model(model: type[Model]) -> Source | None:
    for source in SOURCES.values():
        if source.model is model:
            return source
    return None
