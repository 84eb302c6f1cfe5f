from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FederalState(models.TextChoices):
    """The 16 Länder, keyed by the first two digits of the Amtlicher Gemeindeschlüssel."""

    SH = "01", "Schleswig-Holstein"
    HH = "02", "Hamburg"
    NI = "03", "Niedersachsen"
    HB = "04", "Bremen"
    NW = "05", "Nordrhein-Westfalen"
    HE = "06", "Hessen"
    RP = "07", "Rheinland-Pfalz"
    BW = "08", "Baden-Württemberg"
    BY = "09", "Bayern"
    SL = "10", "Saarland"
    BE = "11", "Berlin"
    BB = "12", "Brandenburg"
    MV = "13", "Mecklenburg-Vorpommern"
    SN = "14", "Sachsen"
    ST = "15", "Sachsen-Anhalt"
    TH = "16", "Thüringen"


class Municipality(models.Model):
    """A German municipality or district. The network issue extends this record
    (kind, Amtlicher Gemeindeschlüssel, import from the Gemeindeverzeichnis)."""

    name = models.CharField(_("name"), max_length=200)
    state = models.CharField(_("federal state"), max_length=2, choices=FederalState.choices)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    geonames_id = models.PositiveIntegerField(_("GeoNames id"), null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=FederalState.values), name="municipality_state_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=47, latitude__lte=55.5),
                name="municipality_latitude_in_germany",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=5.5, longitude__lte=15.5),
                name="municipality_longitude_in_germany",
            ),
        ]

    def __str__(self) -> str:
        return self.name
