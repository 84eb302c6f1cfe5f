"""Reusable documents of a pilot project (council resolution templates, tender
texts, cost overviews …): versioned, checked by content and size.

A refusal raises ``ValidationError`` keyed by the argument and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from innoclub.accounts.models import User
from innoclub.events.documentation import file_check
from innoclub.pilots.models import DocumentKind, DocumentVersion, PilotDocument, PilotProject

# Reusable documents are texts and tables, not videos: smaller than forum documentation.
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


def _checked_upload(upload: UploadedFile) -> str:
    """The content type to store, or ValidationError: at most 10 MB, type by content."""
    if (upload.size or 0) > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            {
                "upload": _(
                    "The file is larger than 10 MB. Please choose a smaller file or compress it."
                )
            }
        )
    try:
        return file_check(upload)
    except ValidationError as refusal:
        raise ValidationError({"upload": refusal.messages}) from None


def _version(
    document: PilotDocument,
    *,
    number: int,
    upload: UploadedFile,
    content_type: str,
    note: str,
    by: User,
) -> DocumentVersion:
    return DocumentVersion.objects.create(
        document=document,
        number=number,
        file=upload,
        name=(upload.name or "dokument")[:200],
        content_type=content_type,
        size=upload.size or 0,
        note=note.strip()[:300],
        uploaded_by=by,
    )


@transaction.atomic
def document_add(
    *,
    pilot: PilotProject,
    kind: str,
    title: str,
    upload: UploadedFile,
    by: User,
    description: str = "",
) -> PilotDocument:
    """Add a reusable document with its first version.

    The file is checked by its content and refused above ``MAX_DOCUMENT_BYTES``.
    Side effects: writes the file to the media storage, inserts the document
    and its version 1.
    """
    problems: dict[str, Any] = {}
    if kind not in DocumentKind.values:
        problems["kind"] = _("Please choose the kind of document.")
    if not title.strip():
        problems["title"] = _("Please give the document a title.")
    try:
        content_type = _checked_upload(upload)
    except ValidationError as refusal:
        problems.update(refusal.message_dict)
    if problems:
        raise ValidationError(problems)
    document = PilotDocument.objects.create(
        pilot=pilot, kind=kind, title=title.strip(), description=description.strip()
    )
    _version(document, number=1, upload=upload, content_type=content_type, note="", by=by)
    return document


@transaction.atomic
def document_version_add(
    *, document: PilotDocument, upload: UploadedFile, by: User, note: str = ""
) -> DocumentVersion:
    """Add the next version of a document (numbered 1, 2, 3 …).

    The document's row is locked while the number is taken, so two uploads at
    once get consecutive numbers (the unique constraint backs this up).
    Side effects: writes the file, inserts one version.
    """
    content_type = _checked_upload(upload)
    locked = PilotDocument.objects.select_for_update().get(pk=document.pk)
    latest = locked.versions.aggregate(latest=Max("number"))["latest"] or 0
    return _version(
        locked, number=latest + 1, upload=upload, content_type=content_type, note=note, by=by
    )
