"""Profile photos: checked, re-encoded and stripped of metadata."""

from __future__ import annotations

from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
OUTPUT_SIZE = 600
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}


def photo_reencode(upload: UploadedFile) -> ContentFile[bytes]:
    """Turn an uploaded picture into a square JPEG without metadata.

    Refuses files over 5 MB, anything Pillow does not recognise as JPEG, PNG or
    WebP (whatever its name or declared type says), and decompression bombs.
    Re-encoding drops EXIF (location, camera) and any payload hidden in the file.
    """
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(_("The photo is larger than 5 MB. Please choose a smaller file."))
    try:
        with Image.open(upload) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise ValidationError(_("Please upload a photo as JPEG, PNG or WebP."))
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(
                    _("The photo has too many pixels. Please choose a smaller one.")
                )
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as opened:
            upright = ImageOps.exif_transpose(opened)
            square = ImageOps.fit(upright.convert("RGB"), (OUTPUT_SIZE, OUTPUT_SIZE))
            out = BytesIO()
            square.save(out, format="JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise ValidationError(
            _("This file is not a photo we can read. Please upload a JPEG, PNG or WebP.")
        ) from None
    return ContentFile(out.getvalue(), name="photo.jpg")
