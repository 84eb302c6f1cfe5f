"""Uploaded images and PDFs of news and publications, checked before they are stored.

Images are re-encoded as network.photos does for profile photos (Pillow opens
the file whatever its name says, refuses decompression bombs, drops metadata),
but keep their aspect ratio: a news picture is not a square portrait.
"""

from __future__ import annotations

from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_MAX_BYTES = 8 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000
IMAGE_MAX_WIDTH = 1600
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
PDF_MAX_BYTES = 20 * 1024 * 1024


def image_reencode(upload: UploadedFile) -> ContentFile[bytes]:
    """Turn an uploaded picture into a JPEG at most 1600 pixels wide, without metadata.

    Raises ValidationError (German message) for files over 8 MB, anything that
    is not a JPEG, PNG or WebP by its content, and decompression bombs.
    """
    if upload.size is not None and upload.size > IMAGE_MAX_BYTES:
        raise ValidationError(_("The image is larger than 8 MB. Please choose a smaller file."))
    try:
        with Image.open(upload) as probe:
            if probe.format not in IMAGE_FORMATS:
                raise ValidationError(_("Please upload an image as JPEG, PNG or WebP."))
            if probe.width * probe.height > IMAGE_MAX_PIXELS:
                raise ValidationError(
                    _("The image has too many pixels. Please choose a smaller one.")
                )
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as opened:
            upright = ImageOps.exif_transpose(opened).convert("RGB")
            if upright.width > IMAGE_MAX_WIDTH:
                height = round(upright.height * IMAGE_MAX_WIDTH / upright.width)
                upright = upright.resize((IMAGE_MAX_WIDTH, max(height, 1)))
            out = BytesIO()
            upright.save(out, format="JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise ValidationError(
            _("This file is not an image we can read. Please upload a JPEG, PNG or WebP.")
        ) from None
    return ContentFile(out.getvalue(), name="bild.jpg")


def pdf_check(upload: UploadedFile) -> None:
    """Refuse anything but a PDF of at most 20 MB (by its content, not its name)."""
    if upload.size is not None and upload.size > PDF_MAX_BYTES:
        raise ValidationError(_("The file is larger than 20 MB. Please choose a smaller file."))
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if not upload.name or not upload.name.lower().endswith(".pdf") or b"%PDF-" not in head:
        raise ValidationError(_("Please upload the publication as a PDF file."))
