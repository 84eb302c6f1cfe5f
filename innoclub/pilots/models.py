"""Pilot projects. The idea forge creates them when an idea reaches the Pilot
stage; the pilot projects issue adds partners, milestones, documents,
indicators and the adoption register."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from innoclub.core.access import Visibility
from innoclub.network.models import Municipality, Topic


class PilotState(models.TextChoices):
    PLANNED = "geplant", _("planned")
    RUNNING = "laufend", _("running")
    COMPLETED = "abgeschlossen", _("completed")
    ABORTED = "abgebrochen", _("aborted")


PILOT_VISIBILITIES = [
    (Visibility.PUBLIC.value, Visibility.PUBLIC.label),
    (Visibility.MEMBERS.value, Visibility.MEMBERS.label),
]


class PilotProject(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name in the address"), max_length=120, unique=True)
    summary = models.TextField(_("summary"), blank=True, help_text=_("Markdown."))
    lead_municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("lead municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_pilots",
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="pilots"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=PilotState.choices, default=PilotState.PLANNED
    )
    visibility = models.CharField(
        _("visibility"), max_length=12, choices=PILOT_VISIBILITIES, default=Visibility.MEMBERS
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("pilot project")
        verbose_name_plural = _("pilot projects")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=PilotState.values), name="pilots_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=["public", "members"]),
                name="pilots_visibility_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title
