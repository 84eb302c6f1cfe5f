"""Pilot projects and the register of municipalities that adopt them.

A pilot is created from an idea in the Pilot stage (``ideas.Idea.pilot``) or
by the office. Its partners, milestones, funding, reusable documents and
indicators describe it; adoptions (``adoptions.py``) record who took it up.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
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
    contacts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact people"),
        blank=True,
        related_name="pilot_contacts",
        help_text=_("Members who answer questions about the pilot and may edit it."),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=PilotState.choices, default=PilotState.PLANNED
    )
    visibility = models.CharField(
        _("visibility"), max_length=12, choices=PILOT_VISIBILITIES, default=Visibility.MEMBERS
    )
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget in euros"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    results = models.TextField(_("results"), blank=True, help_text=_("Markdown."))
    lessons_learned = models.TextField(_("what we learned"), blank=True, help_text=_("Markdown."))
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
        indexes = [models.Index(fields=["visibility", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=PilotState.values), name="pilots_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=["public", "members"]),
                name="pilots_visibility_valid",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="pilots_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="pilots_budget_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PilotParticipant(models.Model):
    """A municipality that takes part in the pilot besides the lead."""

    pilot = models.ForeignKey(
        PilotProject,
        verbose_name=_("pilot project"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="pilot_participations",
    )
    role = models.CharField(
        _("role"),
        max_length=120,
        help_text=_("For example “Partnerkommune” or “Erprobung im ländlichen Raum”."),
    )

    class Meta:
        verbose_name = _("participating municipality")
        verbose_name_plural = _("participating municipalities")
        ordering = ["municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["pilot", "municipality"], name="pilot_participant_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} ({self.role})"


class MilestoneState(models.TextChoices):
    OPEN = "offen", _("open")
    REACHED = "erreicht", _("reached")
    DELAYED = "verzoegert", _("delayed")
    DROPPED = "entfallen", _("dropped")


class Milestone(models.Model):
    pilot = models.ForeignKey(
        PilotProject,
        verbose_name=_("pilot project"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("planned for"))
    reached_on = models.DateField(_("reached on"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=MilestoneState.choices, default=MilestoneState.OPEN
    )

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=MilestoneState.values), name="milestone_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(reached_on__isnull=True) | Q(state="erreicht"),
                name="milestone_reached_date_only_when_reached",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class FundingSource(models.Model):
    """Where the money comes from, e.g. a Förderprogramm of a ministry."""

    pilot = models.ForeignKey(
        PilotProject,
        verbose_name=_("pilot project"),
        on_delete=models.CASCADE,
        related_name="funding_sources",
    )
    name = models.CharField(
        _("funding source"),
        max_length=200,
        help_text=_("For example “Modellprojekte Smart Cities (BMWSB)” or “Eigenmittel”."),
    )
    amount = models.DecimalField(
        _("amount in euros"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        ordering = ["-amount", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="funding_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DocumentKind(models.TextChoices):
    RESOLUTION = "ratsbeschluss", _("Council resolution template")
    TENDER = "ausschreibung", _("Tender text")
    COSTS = "kosten", _("Cost overview")
    CONCEPT = "konzept", _("Concept")
    REPORT = "bericht", _("Report")
    OTHER = "sonstiges", _("Other")


class PilotDocument(models.Model):
    """A reusable document; its file lives in versions, the newest is served."""

    pilot = models.ForeignKey(
        PilotProject,
        verbose_name=_("pilot project"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["kind", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DocumentKind.values), name="pilot_document_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


def _document_path(instance: DocumentVersion, filename: str) -> str:
    # The stored name is not the uploaded one: downloads send the original name.
    return f"pilots/{instance.document.pilot_id}/{instance.document_id}/v{instance.number}"


class DocumentVersion(models.Model):
    document = models.ForeignKey(
        PilotDocument,
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=_document_path)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveIntegerField(_("size in bytes"))
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.number})"


class IndicatorUnit(models.TextChoices):
    """Units with their plausible range, so values compare across municipalities."""

    PERCENT = "prozent", _("percent")
    COUNT = "anzahl", _("number")
    EURO = "euro", _("euros")
    DAYS = "tage", _("days")
    MINUTES = "minuten", _("minutes")
    TONNES_CO2 = "t_co2", _("tonnes of CO₂")
    MWH = "mwh", _("megawatt hours")


# Inclusive lower and upper bounds per unit; None means unbounded.
UNIT_RANGES: dict[str, tuple[Decimal, Decimal | None]] = {
    IndicatorUnit.PERCENT: (Decimal(0), Decimal(100)),
    IndicatorUnit.COUNT: (Decimal(0), None),
    IndicatorUnit.EURO: (Decimal(0), None),
    IndicatorUnit.DAYS: (Decimal(0), Decimal(3660)),
    IndicatorUnit.MINUTES: (Decimal(0), Decimal(100000)),
    IndicatorUnit.TONNES_CO2: (Decimal(0), None),
    IndicatorUnit.MWH: (Decimal(0), None),
}


class Indicator(models.Model):
    """A measurable outcome with its value before and after the pilot."""

    pilot = models.ForeignKey(
        PilotProject,
        verbose_name=_("pilot project"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=12, choices=IndicatorUnit.choices)
    higher_is_better = models.BooleanField(_("higher values are better"), default=True)
    before = models.DecimalField(
        _("before"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    after = models.DecimalField(_("after"), max_digits=14, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("how it is measured"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__in=IndicatorUnit.values), name="indicator_unit_valid"
            ),
            models.CheckConstraint(
                condition=(Q(before__isnull=True) | Q(before__gte=0))
                & (Q(after__isnull=True) | Q(after__gte=0)),
                name="indicator_values_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(unit="prozent")
                | (
                    (Q(before__isnull=True) | Q(before__lte=100))
                    & (Q(after__isnull=True) | Q(after__lte=100))
                ),
                name="indicator_percent_at_most_100",
            ),
            models.UniqueConstraint(fields=["pilot", "name"], name="indicator_name_once"),
        ]

    def __str__(self) -> str:
        return self.name


# --- Adoption register (Nachnutzung) -------------------------------------------


class AdoptionState(models.TextChoices):
    INTERESTED = "interessiert", _("interested")
    PREPARING = "vorbereitung", _("in preparation")
    IMPLEMENTED = "umgesetzt", _("implemented")
    GIVEN_UP = "aufgegeben", _("given up")


class Adoption(models.Model):
    """A municipality takes up a pilot's solution: one row per municipality and pilot."""

    pilot = models.ForeignKey(
        PilotProject,
        verbose_name=_("pilot project"),
        on_delete=models.CASCADE,
        related_name="adoptions",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="adoptions",
    )
    state = models.CharField(
        _("state"), max_length=16, choices=AdoptionState.choices, default=AdoptionState.INTERESTED
    )
    started_on = models.DateField(_("started on"))
    implemented_on = models.DateField(_("implemented on"), null=True, blank=True)
    given_up_on = models.DateField(_("given up on"), null=True, blank=True)
    given_up_reason = models.TextField(_("why it was given up"), max_length=2000, blank=True)
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adoption_contacts",
    )
    adaptations = models.TextField(
        _("what we adapted"),
        max_length=5000,
        blank=True,
        help_text=_("What did your municipality do differently from the pilot?"),
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declared by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="adoptions_declared",
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified on"), null=True, blank=True)
    created_at = models.DateTimeField(_("declared on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        ordering = ["-started_on", "id"]
        indexes = [models.Index(fields=["pilot", "state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["pilot", "municipality"], name="adoption_once_per_municipality"
            ),
            models.CheckConstraint(
                condition=Q(state__in=AdoptionState.values), name="adoption_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(implemented_on__isnull=True) | Q(implemented_on__gte=F("started_on")),
                name="adoption_implemented_after_start",
            ),
            models.CheckConstraint(
                condition=Q(given_up_on__isnull=True) | Q(given_up_on__gte=F("started_on")),
                name="adoption_given_up_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} – {self.pilot}"


class AdoptionStateChange(models.Model):
    """Every state an adoption went through, so the spread can be replayed."""

    adoption = models.ForeignKey(
        Adoption, verbose_name=_("adoption"), on_delete=models.CASCADE, related_name="history"
    )
    state = models.CharField(_("state"), max_length=16, choices=AdoptionState.choices)
    effective_on = models.DateField(_("since"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("adoption state change")
        verbose_name_plural = _("adoption state changes")
        ordering = ["effective_on", "id"]
        indexes = [models.Index(fields=["effective_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=AdoptionState.values),
                name="adoption_change_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.adoption}: {self.state}"


class AdoptionIndicatorValue(models.Model):
    """The adopting municipality's own values for one of the pilot's indicators."""

    adoption = models.ForeignKey(
        Adoption, verbose_name=_("adoption"), on_delete=models.CASCADE, related_name="values"
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="adoption_values",
    )
    before = models.DecimalField(
        _("before"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    after = models.DecimalField(_("after"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["adoption", "indicator"], name="adoption_value_once"),
            models.CheckConstraint(
                condition=(Q(before__isnull=True) | Q(before__gte=0))
                & (Q(after__isnull=True) | Q(after__gte=0)),
                name="adoption_values_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.before} → {self.after}"
