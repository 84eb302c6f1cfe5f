"""Uploaded images and PDFs of news and publications, checked before they are stored.

Images are re-encoded by ``core.images`` like profile photos, but keep their
aspect ratio: a news picture is not a square portrait.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from innoclub.core.images import image_reencode

IMAGE_MAX_WIDTH = 1600
PDF_MAX_BYTES = 20 * 1024 * 1024


def article_image_reencode(upload: UploadedFile) -> ContentFile[bytes]:
    """A news picture keeps its aspect ratio, at most 1600 pixels wide, 8 MB uploaded."""
    return image_reencode(upload, max_megabytes=8, max_width=IMAGE_MAX_WIDTH)


def pdf_check(upload: UploadedFile) -> None:
    """Refuse anything but a PDF of at most 20 MB (by its content, not its name)."""
    if upload.size is not None and upload.size > PDF_MAX_BYTES:
        raise ValidationError(_("The file is larger than 20 MB. Please choose a smaller file."))
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if not upload.name or not upload.name.lower().endswith(".pdf") or b"%PDF-" not in head:
        raise ValidationError(_("Please upload the publication as a PDF file."))
