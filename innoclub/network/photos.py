"""Profile photos: square, re-encoded, without metadata (see ``core.images``)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile

from innoclub.core.images import image_reencode

OUTPUT_SIZE = 600


def photo_reencode(upload: UploadedFile) -> ContentFile[bytes]:
    """A square JPEG of 600 pixels from an upload of at most 5 MB."""
    return image_reencode(upload, max_megabytes=5, square=OUTPUT_SIZE, name="photo.jpg")
