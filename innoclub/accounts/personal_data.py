"""A person's copy of their data (GDPR Art. 15 and 20): request, build, download, purge.

The person asks on their account page; a background task writes a ZIP with
one JSON and one CSV file per kind of data (``personal_data_sections``), their
pictures and a German README, under ``MEDIA_ROOT/datenexporte/`` with a random
name, and e-mails them the link. The link carries a random token of which
only the SHA-256 is stored. It works only in the owner's logged-in session
(a leaked or forwarded link is useless, and link scanners in mail systems
cannot use it up), only until ``expires_at`` (``INNOCLUB_EXPORT_DAYS``) and
only once: the download claims the row with a conditional UPDATE, so of two
simultaneous downloads one gets the file and the other 410 Gone. The file is
deleted as soon as it is handed over, or when it expires.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import logging
import os
import secrets
import shutil
import zipfile
from datetime import datetime, timedelta
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django_tasks import task

from innoclub.accounts.models import DataExport, ExportStatus, User
from innoclub.accounts.personal_data_sections import SECTIONS, Section, personal_files
from innoclub.audit.models import Action
from innoclub.audit.services import audit_record
from innoclub.core.csv import safe_cell
from innoclub.core.emails import email_send

logger = logging.getLogger(__name__)

EXPORT_DIR = "datenexporte"
# One request an hour: building the file reads every table about the person.
REQUEST_INTERVAL = timedelta(hours=1)
# A request still pending after this long lost its worker; it no longer blocks a new one.
STALE_AFTER = timedelta(hours=6)


class ExportGone(Exception):
    """The export was downloaded already, has expired, failed or is not ready."""

    def __init__(self, export: DataExport) -> None:
        super().__init__(export.pk)
        self.export = export


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def data_export_latest(*, user: User) -> DataExport | None:
    """The person's most recent export, for the account page (one query)."""
    return DataExport.objects.filter(user=user).order_by("-created_at", "-id").first()


def data_export_request(
    *, user: User, request: HttpRequest | None = None
) -> tuple[DataExport, str]:
    """Ask for a copy of ``user``'s data; returns the export and its download token,
    which is never stored and is needed for the link.

    Raises ``ValidationError`` (German) while another export is being built or
    within an hour of the last request. Side effects: locks the user's row
    (two clicks at once are serialised), deletes the person's earlier exports
    and their files, inserts the pending row, writes an audit entry and, after
    commit, enqueues ``data_export_build``.
    """
    now = timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        mine = DataExport.objects.filter(user=user)
        mine.filter(status=ExportStatus.PENDING, created_at__lte=now - STALE_AFTER).update(
            status=ExportStatus.FAILED, finished_at=now
        )
        if mine.filter(status=ExportStatus.PENDING).exists():
            raise ValidationError(
                _(
                    "Your data is already being put together. We will send you an e-mail "
                    "as soon as the file is ready."
                ),
                code="pending",
            )
        last = (
            mine.exclude(status=ExportStatus.FAILED)
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if last is not None and now - last < REQUEST_INTERVAL:
            again = timezone.localtime(last + REQUEST_INTERVAL)
            raise ValidationError(
                _("You can request your data once an hour. Please try again from %(time)s.")
                % {"time": time_format(again, "H:i")},
                code="too_soon",
            )
        _delete_exports(mine)
        plain = secrets.token_urlsafe(32)
        export = DataExport.objects.create(user=user, created_at=now, token_digest=digest_of(plain))
        audit_record(
            action=Action.PERSONAL_DATA_EXPORTED,
            actor=user,
            obj=export,
            request=request,
            details={"step": "requested"},
            object_label=user.email,
        )
        transaction.on_commit(lambda: data_export_build.enqueue(export_id=export.pk, token=plain))
    return export, plain


@task(queue_name="default")
def data_export_build(*, export_id: int, token: str) -> None:
    """Write the ZIP of a pending export and tell its owner by e-mail.

    Side effects: one file under ``MEDIA_ROOT/datenexporte/``; the row becomes
    ready (with size and expiry) or, should writing fail, failed and the
    partial file is removed. An export deleted or superseded meanwhile is left
    alone and its file removed.
    """
    export = (
        DataExport.objects.select_related("user__municipality")
        .filter(pk=export_id, status=ExportStatus.PENDING)
        .first()
    )
    if export is None:
        return
    user = export.user
    name = f"{EXPORT_DIR}/{secrets.token_hex(16)}.zip"
    path = default_storage.path(name)
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        with translation.override("de"):
            _write_zip(path, user)
        os.chmod(path, 0o600)
        size = os.path.getsize(path)
    except Exception:
        logger.exception("Personal data export %s could not be written", export_id)
        with contextlib.suppress(OSError):
            os.remove(path)
        DataExport.objects.filter(pk=export_id, status=ExportStatus.PENDING).update(
            status=ExportStatus.FAILED, finished_at=timezone.now()
        )
        return
    now = timezone.now()
    expires = now + timedelta(days=settings.INNOCLUB_EXPORT_DAYS)
    with transaction.atomic():
        ready = DataExport.objects.filter(pk=export_id, status=ExportStatus.PENDING).update(
            status=ExportStatus.READY,
            file_name=name,
            size=size,
            finished_at=now,
            expires_at=expires,
        )
        if not ready:
            transaction.on_commit(lambda: default_storage.delete(name))
            return
        with translation.override(user.language):
            subject = _("Your data is ready for download")
        email_send(
            to=[user.email],
            subject=subject,
            template="accounts/email/data_export_ready",
            context={
                "user": user,
                "link": settings.SITE_URL + reverse("accounts:data_export_download", args=[token]),
                "expires_at": expires,
            },
            language=user.language,
        )


def _write_zip(path: str, user: User) -> None:
    """Stream every section into the archive on disk, row by row."""
    counts: dict[str, int] = {}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for section in SECTIONS:
            counts[section.name] = _write_json(archive, section, user)
            _write_csv(archive, section, user)
        pictures = []
        for arcname, stored in personal_files(user):
            try:
                with stored.open("rb") as source, archive.open(arcname, "w") as target:
                    shutil.copyfileobj(source, target)
            except FileNotFoundError:
                continue  # a picture lost on disk must not cost the person the rest
            pictures.append(arcname)
        readme = render_to_string(
            "accounts/data_export_readme.txt",
            {
                "user": user,
                "created_at": timezone.localtime(),
                "sections": [(section, counts[section.name]) for section in SECTIONS],
                "pictures": pictures,
                "office_email": settings.INNOCLUB_OFFICE_EMAIL,
            },
        )
        archive.writestr("README.txt", readme.replace("\n", "\r\n"))


def _write_json(archive: zipfile.ZipFile, section: Section, user: User) -> int:
    count = 0
    with (
        archive.open(f"json/{section.name}.json", "w") as raw,
        io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as out,
    ):
        out.write("[")
        for row in section.rows(user):
            out.write(",\n  " if count else "\n  ")
            out.write(json.dumps(row, ensure_ascii=False))
            count += 1
        out.write("\n]\n" if count else "]\n")
    return count


def _csv_value(value: Any) -> str:
    if value is True:
        return "ja"
    if value is False:
        return "nein"
    return safe_cell(value)


def _write_csv(archive: zipfile.ZipFile, section: Section, user: User) -> None:
    """Semicolons and a byte-order mark, as German spreadsheet programs expect;
    every cell through ``safe_cell`` so that no text becomes a formula."""
    with (
        archive.open(f"csv/{section.name}.csv", "w") as raw,
        io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as out,
    ):
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        header = False
        for row in section.rows(user):
            if not header:
                writer.writerow([safe_cell(key) for key in row])
                header = True
            writer.writerow([_csv_value(value) for value in row.values()])


def data_export_claim(
    *, user: User, token: str, request: HttpRequest | None = None
) -> tuple[DataExport, IO[bytes]]:
    """Hand over the file of ``user``'s export with ``token``, once.

    Returns the export and the opened file. Raises ``DataExport.DoesNotExist``
    when the token is not one of ``user``'s exports, ``ExportGone`` when it was
    downloaded, has expired, failed or is not ready yet. Side effects: the row
    is claimed with a conditional UPDATE (of two simultaneous downloads only
    one wins), the file is deleted from disk once opened (the open handle
    still reads it), an audit entry is written; an expired file is deleted.
    """
    export = None
    if 0 < len(token) <= 100:
        export = DataExport.objects.filter(user=user, token_digest=digest_of(token)).first()
    if export is None:
        raise DataExport.DoesNotExist
    now = timezone.now()
    if not export.is_downloadable(now):
        if export.file_name and export.expires_at is not None and export.expires_at <= now:
            _delete_file(export)
        raise ExportGone(export)
    try:
        handle = default_storage.open(export.file_name, "rb")
    except FileNotFoundError:
        raise ExportGone(export) from None
    name = export.file_name
    with transaction.atomic():
        claimed = DataExport.objects.filter(
            pk=export.pk,
            status=ExportStatus.READY,
            downloaded_at=None,
            expires_at__gt=now,
        ).update(downloaded_at=now, file_name="")
        if not claimed:
            handle.close()
            export.refresh_from_db()  # so the answer says why: taken a moment ago
            raise ExportGone(export)
        audit_record(
            action=Action.PERSONAL_DATA_EXPORTED,
            actor=user,
            obj=export,
            request=request,
            details={"step": "downloaded", "size": export.size},
            object_label=user.email,
        )
    default_storage.delete(name)
    export.downloaded_at, export.file_name = now, ""
    return export, handle


def data_export_purge_expired(*, now: datetime | None = None) -> int:
    """Delete what no longer serves anyone; returns the number of exports deleted.

    Side effects: deletes the files of downloaded exports (normally gone
    already), the rows and files of expired exports, and failed or abandoned
    requests older than ``INNOCLUB_EXPORT_DAYS``. A downloaded export's row
    stays until it would have expired, so that a replayed link still answers
    410 Gone rather than 404.
    """
    now = now or timezone.now()
    for export in DataExport.objects.filter(downloaded_at__isnull=False).exclude(file_name=""):
        _delete_file(export)
    stale = now - timedelta(days=settings.INNOCLUB_EXPORT_DAYS)
    return _delete_exports(
        DataExport.objects.filter(
            Q(expires_at__lte=now)
            | Q(status__in=[ExportStatus.FAILED, ExportStatus.PENDING], created_at__lte=stale)
        )
    )


def _delete_file(export: DataExport) -> None:
    name = export.file_name
    DataExport.objects.filter(pk=export.pk).update(file_name="")
    export.file_name = ""
    transaction.on_commit(lambda: default_storage.delete(name))


def _delete_exports(exports: QuerySet[DataExport]) -> int:
    names = [name for name in exports.values_list("file_name", flat=True) if name]
    deleted, _per_model = exports.delete()
    for name in names:
        transaction.on_commit(lambda name=name: default_storage.delete(name))  # type: ignore[misc]
    return deleted
