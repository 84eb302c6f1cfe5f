"""Writing the index: one object, many documents, or everything again.

Every write happens in the caller's transaction (``signals.py`` calls in from
the model signals), so the index can never disagree with committed data: if
the write rolls back, so does its index entry.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Count, F, Max, Model

from innoclub.core import sections
from innoclub.search.analysis import analyse, deletions, words
from innoclub.search.backends import IndexRow, backend
from innoclub.search.documents import SOURCES, Document, source_for_model
from innoclub.search.models import Kind, NameVariant, SearchDocument, SearchText

# The data version (core/sections.py) that every write raises: searches keep
# their facet counts until it changes (query.py, ``_counted``).
VERSION = "search"

# The body is cut here: a snippet never needs more, and it bounds the index.
MAX_BODY = 20_000
BATCH = 500

_state = threading.local()


def is_paused() -> bool:
    return getattr(_state, "paused", False)


@contextmanager
def paused() -> Iterator[None]:
    """Model signals leave the index alone inside; the caller rebuilds afterwards.

    For bulk work such as the demo seed, where indexing each save would cost
    more than one rebuild at the end.
    """
    before = is_paused()
    _state.paused = True
    try:
        yield
    finally:
        _state.paused = before


def _fields(document: Document) -> dict[str, Any]:
    return {
        "audience": str(document.audience),
        "title": document.title[:300],
        "url": document.url,
        "topics": "".join(f"|{slug}" for slug in document.topics) + "|" if document.topics else "",
        "stage": document.stage,
        "land": document.land,
        "year": document.year,
        "visible_from": document.visible_from,
        "dated": document.dated,
        "recency_day": document.dated.toordinal()
        if document.dated and document.kind == Kind.ARTICLE
        else None,
    }


def _row(document_id: int, document: Document) -> IndexRow:
    return IndexRow(
        document_id=document_id,
        title=analyse(document.title[:300]),
        summary=analyse(document.summary),
        body=analyse(document.body[:MAX_BODY]),
    )


def _add_names(documents: Iterable[Document]) -> None:
    terms = {word for document in documents for word in words(document.names) if len(word) >= 4}
    if not terms:
        return
    # A name's own row (variant = term) says its variants are there already.
    known = NameVariant.objects.filter(variant__in=terms, term=F("variant"))
    new = terms - set(known.values_list("term", flat=True))
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO search_namevariant (variant, term) VALUES (%s, %s) "
            "ON CONFLICT (variant, term) DO NOTHING",
            [(variant, term) for term in sorted(new) for variant in deletions(term) | {term}],
        )


def index_documents(documents: Sequence[Document], *, fresh: bool = False) -> int:
    """Write ``documents``, replacing earlier versions of the same objects.

    ``fresh``: the index holds none of them (a rebuild); rows are inserted
    without looking for earlier versions, which is several times faster.
    Side effects: upserts SearchDocument rows, rewrites their full-text
    entries, adds name variants, raises ``VERSION``. Returns the number written.
    """
    _write(documents, fresh=fresh)
    if documents:
        # In the caller's transaction, not in the write's own savepoint: a
        # transaction saving many objects raises the version once.
        sections.changed(VERSION)
    return len(documents)


@transaction.atomic
def _write(documents: Sequence[Document], *, fresh: bool) -> None:
    for start in range(0, len(documents), BATCH):
        batch = documents[start : start + BATCH]
        ids = _insert(batch) if fresh else _upsert(batch)
        backend().write([_row(pk, document) for pk, document in zip(ids, batch, strict=True)])
        _add_names(batch)


def _upsert(batch: Sequence[Document]) -> list[int]:
    saved = SearchDocument.objects.bulk_create(
        [
            SearchDocument(kind=document.kind, object_id=document.object_id, **_fields(document))
            for document in batch
        ],
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=list(_fields(batch[0])),
    )
    # SQLite and PostgreSQL both return the ids of upserted rows.
    ids = [row.pk for row in saved]
    SearchText.objects.bulk_create(
        [
            SearchText(document_id=pk, summary=document.summary, body=document.body[:MAX_BODY])
            for pk, document in zip(ids, batch, strict=True)
        ],
        update_conflicts=True,
        unique_fields=["document"],
        update_fields=["summary", "body"],
    )
    return ids


def _insert(batch: Sequence[Document]) -> list[int]:
    """Insert with ids chosen here: Django's bulk_create costs more than the analysis."""
    first = (SearchDocument.objects.aggregate(last=Max("id"))["last"] or 0) + 1
    ids = list(range(first, first + len(batch)))
    rows, texts = [], []
    for pk, document in zip(ids, batch, strict=True):
        values = _fields(document)
        for moment in ("dated", "visible_from"):
            values[moment] = connection.ops.adapt_datetimefield_value(values[moment])
        rows.append((pk, str(document.kind), document.object_id, *values.values()))
        texts.append((pk, document.summary, document.body[:MAX_BODY]))
    columns = ["id", "kind", "object_id", *_fields(batch[0])]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO search_searchdocument ({', '.join(columns)}) "  # noqa: S608 - our names
            f"VALUES ({', '.join(['%s'] * len(columns))})",
            rows,
        )
        cursor.executemany(
            "INSERT INTO search_searchtext (document_id, summary, body) VALUES (%s, %s, %s)", texts
        )
    return ids


def remove(kind: str, object_ids: Iterable[int]) -> None:
    rows = SearchDocument.objects.filter(kind=kind, object_id__in=list(object_ids))
    ids = list(rows.values_list("id", flat=True))
    if ids:
        backend().delete(ids)
        SearchDocument.objects.filter(id__in=ids).delete()
        sections.changed(VERSION)


def index_object(obj: Model) -> None:
    """Bring the index in line with ``obj`` as it is now (or remove it)."""
    source = source_for_model(type(obj))
    if source is None:
        return
    document = source.document(obj)
    if document is None:
        remove(source.kind, [obj.pk])
    else:
        index_documents([document])


def index_objects(objects: Iterable[Model], *, dependents: bool = True) -> None:
    """``index_object`` for many objects at once, for writes that bypass the signals.

    ``dependents``: also re-index what shows these objects (for changed ones;
    new objects have nothing yet that shows them).
    """
    documents: list[Document] = []
    for obj in objects:
        source = source_for_model(type(obj))
        document = source.document(obj) if source else None
        if document is not None:
            documents.append(document)
        elif source is not None:
            remove(source.kind, [obj.pk])
        if dependents:
            index_dependents(obj)
    index_documents(documents)


def index_dependents(instance: Model) -> None:
    """Re-index the documents of other kinds that show ``instance`` (a name, a title)."""
    for source in SOURCES.values():
        related = source.dependents.get(type(instance))
        if related is None:
            continue
        try:
            objects = list(related(instance))
        except ObjectDoesNotExist:
            # Deleted along with the object it belongs to, which goes by itself.
            continue
        for obj in objects:
            index_object(obj)


def remove_object(model: type[Model], pk: Any) -> None:
    source = source_for_model(model)
    if source is not None:
        remove(source.kind, [pk])


def _every_document(chunk: int) -> Iterator[Document]:
    for source in SOURCES.values():
        for obj in source.queryset().iterator(chunk_size=chunk):
            document = source.document(obj)
            if document is not None:
                yield document


@transaction.atomic
def rebuild(*, chunk: int = 2000) -> dict[str, int]:
    """Empty the index and index every searchable object again. Returns counts by kind."""
    load(_every_document(chunk), chunk=chunk)
    counts = SearchDocument.objects.values_list("kind").annotate(n=Count("id")).order_by("kind")
    return {kind: n for kind, n in counts}


@transaction.atomic
def load(documents: Iterable[Document], *, chunk: int = 2000) -> int:
    """Empty the index and write ``documents`` (the rebuild, and the benchmark's corpus)."""
    backend().clear()
    # Plain DELETEs: the ORM's cascade would first read every row.
    with connection.cursor() as cursor:
        for table in ("search_searchtext", "search_searchdocument", "search_namevariant"):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - our table names
    _reset_id_sequence()
    sections.changed(VERSION)
    written = 0
    with backend().bulk():
        batch: list[Document] = []
        for document in documents:
            batch.append(document)
            if len(batch) >= chunk:
                written += index_documents(batch, fresh=True)
                batch = []
        written += index_documents(batch, fresh=True)
    _reset_id_sequence()
    return written


def _reset_id_sequence() -> None:
    """PostgreSQL: ids chosen by ``_insert`` must not be handed out again."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [SearchDocument]):
            cursor.execute(sql)
