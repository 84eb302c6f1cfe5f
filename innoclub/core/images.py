"""Uploaded pictures, checked and re-encoded before anything is stored.

Pillow opens the file whatever its name or declared type says; anything that
is not a JPEG, PNG or WebP by its content is refused, and so are decompression
bombs. Re-encoding as JPEG drops EXIF (location, camera) and any payload
hidden in the file.
"""

from __future__ import annotations

from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PIXELS = 40_000_000
FORMATS = {"JPEG", "PNG", "WEBP"}


def image_reencode(
    upload: UploadedFile,
    *,
    max_megabytes: int,
    square: int | None = None,
    max_width: int | None = None,
    name: str = "bild.jpg",
) -> ContentFile[bytes]:
    """A JPEG without metadata: cut to a ``square`` of that many pixels, or
    scaled down to at most ``max_width``. Raises ValidationError (German)."""
    if upload.size is not None and upload.size > max_megabytes * 1024 * 1024:
        raise ValidationError(
            _("The image is larger than %(size)s MB. Please choose a smaller file.")
            % {"size": max_megabytes}
        )
    try:
        with Image.open(upload) as probe:
            if probe.format not in FORMATS:
                raise ValidationError(_("Please upload an image as JPEG, PNG or WebP."))
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(
                    _("The image has too many pixels. Please choose a smaller one.")
                )
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as opened:
            picture = ImageOps.exif_transpose(opened).convert("RGB")
            if square is not None:
                picture = ImageOps.fit(picture, (square, square))
            elif max_width is not None and picture.width > max_width:
                height = round(picture.height * max_width / picture.width)
                picture = picture.resize((max_width, max(height, 1)))
            out = BytesIO()
            picture.save(out, format="JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise ValidationError(
            _("This file is not an image we can read. Please upload a JPEG, PNG or WebP.")
        ) from None
    return ContentFile(out.getvalue(), name=name)


def image_response(file: FieldFile, *, public: bool, store: bool = True) -> FileResponse:
    """Serve a stored (re-encoded JPEG) image from our own view, never as a public file.

    ``public`` lets shared caches keep it for an hour; otherwise only the
    browser may, and with ``store=False`` not even that (previews of drafts).
    The sandboxing CSP keeps the response inert should it ever be opened as a page.
    """
    response = FileResponse(file.open("rb"), content_type="image/jpeg")
    if not store:
        patch_cache_control(response, private=True, no_store=True)
    elif public:
        patch_cache_control(response, public=True, max_age=3600)
    else:
        patch_cache_control(response, private=True, max_age=3600)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
