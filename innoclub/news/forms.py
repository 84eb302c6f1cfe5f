from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innoclub.network.forms import ActiveTopicsField
from innoclub.news.files import article_image_reencode, pdf_check
from innoclub.news.models import ALT_TEXT_REQUIRED, Article, Publication


class ArticleForm(forms.ModelForm[Article]):
    """What the office writes; the state changes through ``PublishForm``."""

    topics = ActiveTopicsField(label=_("Topics"))
    image_upload = forms.FileField(
        label=_("Image"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 8 MB. We remove its metadata."),
    )
    remove_image = forms.BooleanField(label=_("Remove the image"), required=False)

    class Meta:
        model = Article
        fields = ["title", "teaser", "body", "image_alt", "topics"]
        widgets = {
            "teaser": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 16}),
        }
        help_texts = {
            "image_alt": _("Required with an image: what the picture shows, in one sentence."),
        }

    image: ContentFile[bytes] | None = None

    def clean_image_upload(self) -> Any:
        upload = self.cleaned_data.get("image_upload")
        if upload:
            self.image = article_image_reencode(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        keeps_image = bool(self.instance.image) and not data.get("remove_image")
        has_image = self.image is not None or keeps_image
        if has_image and not (data.get("image_alt") or "").strip():
            self.add_error(
                "image_alt", ValidationError(ALT_TEXT_REQUIRED, code="alt_text_required")
            )
        return data


class PublishForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Publish on"),
        required=False,
        help_text=_("Leave empty to publish now. A date in the future schedules the article."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"],
    )

    def clean_publish_at(self) -> Any:
        return self.cleaned_data.get("publish_at") or timezone.now()


class PublicationAdminForm(forms.ModelForm[Publication]):
    """The admin's form: the cover is re-encoded, the file must be a PDF."""

    # The model's validator refuses every scheme but http(s) with a clear message.
    link = forms.URLField(label=_("link"), required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Publication
        fields = [
            "kind",
            "title",
            "slug",
            "authors",
            "year",
            "container_title",
            "publisher",
            "abstract",
            "cover",
            "cover_alt",
            "link",
            "file",
            "topics",
            "articles",
        ]

    def clean_cover(self) -> Any:
        cover = self.cleaned_data.get("cover")
        if isinstance(cover, UploadedFile):
            return article_image_reencode(cover)
        return cover

    def clean_file(self) -> Any:
        file = self.cleaned_data.get("file")
        if isinstance(file, UploadedFile):
            pdf_check(file)
        return file
