"""Workshop allocation: participants rank an event's workshops, the office
computes a fair, provably optimal assignment, adjusts it and publishes it.

Models hold fields and constraints. The workflow (rank, preview, move, lock,
publish, place late registrants) lives in ``services.py``; the mathematics
in ``solver.py``, which knows nothing of Django.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from innoclub.events.models import Event, Registration, Session


class WorkshopAllocation(models.Model):
    """The allocation of one event's workshops: its rules, its last preview and
    whether it has been published.

    ``preview`` keeps the figures of the last run (rank distribution, worst
    rank, who could not be placed and why, the same figures for first come,
    first served) so the office page shows them without solving again.
    """

    event = models.OneToOneField(
        Event,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="workshop_allocation",
    )
    ranking_deadline = models.DateTimeField(
        _("deadline for workshop wishes"),
        help_text=_("Until then registered participants rank the workshops."),
    )
    choices = models.PositiveSmallIntegerField(
        _("choices"),
        default=3,
        help_text=_(
            "How many workshops a person ranks: per time slot, or for the whole event "
            "when workshops repeat in several slots."
        ),
    )
    cancel_below_minimum = models.BooleanField(
        _("cancel workshops below their minimum"),
        default=False,
        help_text=_("Their participants are placed elsewhere."),
    )
    seed = models.PositiveIntegerField(
        _("seed"), default=0, help_text=_("Breaks ties between equally good allocations.")
    )
    preview = models.JSONField(_("figures of the last run"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("workshop allocation")
        verbose_name_plural = _("workshop allocations")
        constraints = [
            models.CheckConstraint(
                condition=Q(choices__gte=1) & Q(choices__lte=12),
                name="workshops_allocation_choices_range",
                violation_error_message=_("Between 1 and 12 choices."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.event)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class WorkshopChoice(models.Model):
    """One ranked wish: ``rank`` 1 is the person's first choice.

    ``session`` is the workshop's first session when it repeats; ranks are
    unique per time slot, or per event when workshops repeat (checked by the
    service, which knows the slots).
    """

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="workshop_choices",
    )
    session = models.ForeignKey(
        Session,
        verbose_name=_("workshop"),
        on_delete=models.CASCADE,
        related_name="workshop_choices",
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("workshop wish")
        verbose_name_plural = _("workshop wishes")
        ordering = ["registration", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"], name="workshops_choice_once_per_workshop"
            ),
            models.CheckConstraint(condition=Q(rank__gte=1), name="workshops_choice_rank_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.registration} – {self.rank}. {self.session}"


class PlacementSource(models.TextChoices):
    SOLVER = "solver", _("Allocation")
    SPEAKER = "speaker", _("Speaker or moderator")
    OFFICE = "office", _("Moved by the office")
    LATE = "late", _("Placed later")


class Placement(models.Model):
    """A participant's seat in one workshop session.

    ``rank`` is the rank the person gave the workshop: empty outside their
    wishes (or a speaker's own session), 0 when they gave no wishes for the
    time slot, so any seat suits them. ``locked`` placements survive a
    re-run of the allocation.
    """

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="workshop_placements",
    )
    session = models.ForeignKey(
        Session,
        verbose_name=_("workshop session"),
        on_delete=models.CASCADE,
        related_name="workshop_placements",
    )
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=PlacementSource.choices)
    locked = models.BooleanField(_("locked"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("workshop placement")
        verbose_name_plural = _("workshop placements")
        ordering = ["session__starts_at", "registration"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"], name="workshops_placement_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration} – {self.session}"
