"""Writing the index: one object, many documents, or everything again.

Every write happens in the caller's transaction (``signals.py`` calls in from
the model signals), so the index can never disagree with committed data: if
the write rolls back, so does its index entry.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Count, F, Model

from innoclub.core import sections
from innoclub.search.analysis import Analysed, analyse_many, deletions
from innoclub.search.backends import IndexRow, backend
from innoclub.search.documents import SOURCES, Document, source_for_model
from innoclub.search.models import Kind, NameVariant, SearchDocument, SearchText

# The data version (core/sections.py) that every write raises: searches keep
# their facet counts until it changes (query.py, ``_counted``).
VERSION = "search"

# The body is cut here: a snippet never needs more, and it bounds the index.
MAX_BODY = 20_000
BATCH = 500
# Chunks a rebuild analyses ahead of the one it writes, each in a process of its own.
AHEAD = 2

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


def _texts(document: Document) -> tuple[str, str, str, str]:
    """What ``analyse_many`` reads of a document: title, summary, text (cut
    as the index keeps them) and names."""
    return document.title[:300], document.summary, document.body[:MAX_BODY], document.names


def _variants(terms: Iterable[str]) -> list[tuple[str, str]]:
    """Rows of the name variants: each name one letter shorter, each way, and itself."""
    return [(variant, term) for term in sorted(terms) for variant in deletions(term) | {term}]


def _add_variants(rows: Sequence[tuple[str, str]]) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO search_namevariant (variant, term) VALUES (%s, %s) "
            "ON CONFLICT (variant, term) DO NOTHING",
            rows,
        )


def _add_names(terms: set[str]) -> None:
    if not terms:
        return
    # A name's own row (variant = term) says its variants are there already.
    known = NameVariant.objects.filter(variant__in=terms, term=F("variant"))
    _add_variants(_variants(terms - set(known.values_list("term", flat=True))))


def index_documents(documents: Sequence[Document]) -> int:
    """Write ``documents``, replacing earlier versions of the same objects.

    Side effects: upserts SearchDocument rows, rewrites their full-text
    entries, adds name variants, raises ``VERSION``. Returns the number written.
    """
    _write(documents)
    if documents:
        # In the caller's transaction, not in the write's own savepoint: a
        # transaction saving many objects raises the version once.
        sections.changed(VERSION)
    return len(documents)


@transaction.atomic
def _write(documents: Sequence[Document]) -> None:
    for start in range(0, len(documents), BATCH):
        batch = documents[start : start + BATCH]
        ids = _upsert(batch)
        analysed, names = analyse_many([_texts(document) for document in batch], backend().prepare)
        backend().write([IndexRow(pk, *found) for pk, found in zip(ids, analysed, strict=True)])
        _add_names(names)


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


def _insert(batch: Sequence[Document], rows: Sequence[IndexRow]) -> None:
    """Insert new documents with the ids of ``rows``, each backend its fastest
    way (``insert``): Django's bulk_create costs more than the analysis."""
    documents, texts = [], []
    for row, document in zip(rows, batch, strict=True):
        fields = _fields(document)
        for moment in ("dated", "visible_from"):
            fields[moment] = connection.ops.adapt_datetimefield_value(fields[moment])
        documents.append(
            (row.document_id, str(document.kind), document.object_id, *fields.values())
        )
        texts.append((row.document_id, document.summary, document.body[:MAX_BODY]))
    backend().insert(["id", "kind", "object_id", *_fields(batch[0])], documents, texts, rows)


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
    """Empty the index and write ``documents`` (the rebuild, and the benchmark's corpus).

    The analysis, half of the work, runs beside the rest (``_Analyst``), up
    to ``AHEAD`` chunks ahead: while they are analysed, this process reads
    the next one from the sources and writes the one before them.
    """
    backend().clear()
    backend().empty(("search_searchtext", "search_searchdocument", "search_namevariant"))
    _reset_id_sequence()
    sections.changed(VERSION)
    written = 0
    with backend().bulk(), _Analyst() as analyst:
        pending: deque[tuple[list[Document], Future[_Analysis]]] = deque()
        for batch in _chunks(documents, chunk):
            pending.append((batch, analyst.submit(batch)))
            if len(pending) > AHEAD:
                written += analyst.add(*pending.popleft(), first=written + 1)
        while pending:
            written += analyst.add(*pending.popleft(), first=written + 1)
    _reset_id_sequence()
    sections.changed(VERSION)
    return written


def _chunks(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for document in documents:
        batch.append(document)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


_Analysis = tuple[list[Analysed], set[str]]


class _Analyst:
    """A load's analysis: the first chunk here, every further one in one of
    ``AHEAD`` processes of its own, so that it runs on another core while
    this process reads and writes. (A thread would not: each query lets go of Python's
    lock and then waits for the analysing thread to hand it back, which made
    the writes several times slower.) Small loads, as in most tests and the
    demo, never start the processes.

    The index was emptied: the names it holds are those this load wrote, so
    the analyst remembers them instead of asking the database.
    """

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.pool: ProcessPoolExecutor | None = None
        self.started = False

    def __enter__(self) -> _Analyst:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def submit(self, documents: list[Document]) -> Future[_Analysis]:
        texts = [_texts(document) for document in documents]
        if not self.started:
            self.started = True
            done: Future[_Analysis] = Future()
            done.set_result(analyse_many(texts, backend().prepare))
            return done
        if self.pool is None:
            # A fresh interpreter that imports the analysis alone: a fork
            # would share this process's database connection.
            self.pool = ProcessPoolExecutor(AHEAD, mp_context=multiprocessing.get_context("spawn"))
        return self.pool.submit(analyse_many, texts, backend().prepare)

    def add(self, documents: list[Document], analysis: Future[_Analysis], *, first: int) -> int:
        """Insert an analysed chunk of new documents with ids from ``first`` on."""
        terms, names = analysis.result()
        rows = [IndexRow(first + number, *found) for number, found in enumerate(terms)]
        _insert(documents, rows)
        new = names - self.names
        self.names |= new
        _add_variants(_variants(new))
        return len(rows)


def _reset_id_sequence() -> None:
    """PostgreSQL: ids a load counted itself (``_Analyst.add``) must not be handed out again."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [SearchDocument]):
            cursor.execute(sql)
