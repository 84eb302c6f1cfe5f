from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalPage(models.Model):
    """A legal text (Impressum, Datenschutz, Barrierefreiheit, Kontakt) the office edits."""

    class Slug(models.TextChoices):
        IMPRESSUM = "impressum", _("Legal notice")
        DATENSCHUTZ = "datenschutz", _("Privacy policy")
        BARRIEREFREIHEIT = "barrierefreiheit", _("Accessibility statement")
        KONTAKT = "kontakt", _("Contact")

    slug = models.CharField(_("page"), max_length=32, choices=Slug.choices, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"))
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("legal page")
        verbose_name_plural = _("legal pages")
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    slug__in=["impressum", "datenschutz", "barrierefreiheit", "kontakt"]
                ),
                name="legalpage_slug_known",
            )
        ]

    def __str__(self) -> str:
        return self.title


class AccessibilityFeedback(models.Model):
    """A message sent through the feedback form of the accessibility statement."""

    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    page_url = models.CharField(_("page concerned"), max_length=500, blank=True)
    message = models.TextField(_("message"), max_length=5000)
    handled = models.BooleanField(_("handled"), default=False)

    class Meta:
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(message=""), name="feedback_message_not_empty"
            )
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.name or self.email or '-'}"


class DataVersion(models.Model):
    """A counter per kind of data that cached sections are keyed on (``core/sections.py``)."""

    name = models.CharField(_("name"), max_length=40, primary_key=True)
    version = models.BigIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self) -> str:
        return f"{self.name} {self.version}"
