"""A session's documentation: its texts and files, checked before anything is stored.

A file is accepted by what it contains, not by its name: the first bytes
(and, for office formats, the parts inside the ZIP container) must say the
same type as the extension. Anything else, or anything larger than
``MAX_BYTES``, is refused with a German message and nothing is written.
"""

from __future__ import annotations

import zipfile
from pathlib import PurePath
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from django.utils.text import slugify
from django.utils.translation import gettext as _

from innoclub.accounts.models import User
from innoclub.events.models import Session, SessionFile

MAX_BYTES = 25 * 1024 * 1024

# Extension → the content type we store and send; nothing outside this list.
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
EXTENSION_FOR_TYPE = {
    content_type: extension for extension, content_type in reversed(list(CONTENT_TYPES.items()))
}

# The part each Office Open XML format must contain.
_OOXML_PARTS = {
    ".docx": "word/document.xml",
    ".xlsx": "xl/workbook.xml",
    ".pptx": "ppt/presentation.xml",
}


def _zip_kind(upload: IO[bytes]) -> str | None:
    """The office format inside a ZIP container, by its parts; None if it is none of ours."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                # OpenDocument names its type in the first, uncompressed entry.
                mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                for extension in (".odt", ".odp"):
                    if mimetype == CONTENT_TYPES[extension]:
                        return extension
                return None
            if "[Content_Types].xml" not in names:
                return None
            for extension, part in _OOXML_PARTS.items():
                if part in names:
                    return extension
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError):
        return None
    return None


def sniff(upload: IO[bytes]) -> str | None:
    """The extension the content really has (".pdf", ".docx", …), or None."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind: str | None = None
    if head.startswith(b"%PDF-"):
        kind = ".pdf"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = ".png"
    elif head.startswith(b"\xff\xd8\xff"):
        kind = ".jpg"
    elif head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(upload)
    upload.seek(0)
    return kind


def file_check(upload: UploadedFile) -> str:
    """Return the content type to store, or raise ValidationError with a German message."""
    size = upload.size or 0
    if size > MAX_BYTES:
        raise ValidationError(
            _("The file is larger than 25 MB. Please choose a smaller file or compress it.")
        )
    if size == 0:
        raise ValidationError(_("The file is empty."))
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in CONTENT_TYPES:
        raise ValidationError(
            _(
                "Files of this type cannot be uploaded. "
                "Allowed are PDF, PowerPoint, Word, Excel, OpenDocument, PNG and JPEG."
            )
        )
    kind = sniff(upload)
    expected = ".jpg" if extension == ".jpeg" else extension
    if kind != expected:
        raise ValidationError(
            _(
                "The content of the file does not match its name ending “%(extension)s”. "
                "Please upload the original file."
            )
            % {"extension": extension}
        )
    return CONTENT_TYPES[extension]


def session_documentation_update(*, session: Session, summary: str, results: str) -> Session:
    """Save a session's summary and results.

    Does not go through ``services.session_save``: the documentation changes
    neither time nor place, so calendars and agenda holders are not told.
    Side effects: updates the session row.
    """
    session.summary = summary.strip()
    session.results = results.strip()
    session.save(update_fields=["summary", "results", "updated_at"])
    return session


def session_file_add(
    *, session: Session, title: str, upload: UploadedFile, uploaded_by: User
) -> SessionFile:
    """Store a checked file under a random name.

    Raises ValidationError (German) and stores nothing when the file is refused.
    Side effects: writes the file to the media storage and inserts one row.
    """
    content_type = file_check(upload)
    return SessionFile.objects.create(
        session=session,
        title=title.strip(),
        file=upload,
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=uploaded_by,
    )


def session_file_delete(*, session_file: SessionFile) -> None:
    """Delete a documentation file: the row now, the stored file after commit.

    Side effects: deletes one row and, once committed, the file in the media storage.
    """
    storage, name = session_file.file.storage, session_file.file.name
    session_file.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def download_response(file: FieldFile, *, name: str, content_type: str) -> FileResponse:
    """A stored, checked file as a download (session files, idea attachments).

    Always an attachment, with the type sniffed at upload, never sniffed again
    by the browser and sandboxed should it ever be opened. 404 when the type is
    not one of ours or the file is gone.
    """
    extension = EXTENSION_FOR_TYPE.get(content_type)
    if extension is None:
        raise Http404
    stem = slugify(name)[:80] or "datei"
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=f"{stem}{extension}", content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    patch_cache_control(response, private=True)
    return response
