from __future__ import annotations

import re
import uuid
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
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


class MunicipalityKind(models.TextChoices):
    GEMEINDE = "gemeinde", "Gemeinde"
    STADT = "stadt", "Stadt"
    KREISFREIE_STADT = "kreisfreie_stadt", "Kreisfreie Stadt"
    LANDKREIS = "landkreis", "Landkreis"
    GEMEINDEVERBAND = "gemeindeverband", "Gemeindeverband"


class SizeClass(models.TextChoices):
    """Population classes used in filters and statistics (lower bound inclusive)."""

    XS = "xs", _("under 5,000")
    S = "s", _("5,000 to 20,000")
    M = "m", _("20,000 to 100,000")
    L = "l", _("100,000 to 500,000")
    XL = "xl", _("500,000 and more")


SIZE_CLASS_BOUNDS: dict[str, tuple[int, int | None]] = {
    SizeClass.XS: (0, 5_000),
    SizeClass.S: (5_000, 20_000),
    SizeClass.M: (20_000, 100_000),
    SizeClass.L: (100_000, 500_000),
    SizeClass.XL: (500_000, None),
}

_AGS_PATTERN = re.compile(r"^\d{5}(\d{3})?$")


def validate_ags(ags: str, kind: str) -> None:
    """Check an Amtlicher Gemeindeschlüssel: digits, a Land 01–16, 5 digits for a
    Landkreis and 8 for everything else. Raises ValidationError with a German text."""
    from django.utils.translation import gettext as _t

    if not _AGS_PATTERN.match(ags):
        raise ValidationError(
            _t("The Amtlicher Gemeindeschlüssel consists of 8 digits (5 for a Landkreis)."),
            code="ags_format",
        )
    if not 1 <= int(ags[:2]) <= 16:
        raise ValidationError(
            _t("The first two digits of the key must name a federal state (01 to 16)."),
            code="ags_state",
        )
    expected = 5 if kind == MunicipalityKind.LANDKREIS else 8
    if len(ags) != expected:
        raise ValidationError(
            _t("A Landkreis has a 5-digit key, every other municipality an 8-digit key."),
            code="ags_length",
        )


class Municipality(models.Model):
    """A German municipality or district, identified by its official key (AGS)."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=MunicipalityKind.choices, default=MunicipalityKind.STADT
    )
    ags = models.CharField(_("Amtlicher Gemeindeschlüssel"), max_length=8, unique=True)
    state = models.CharField(_("federal state"), max_length=2, choices=FederalState.choices)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    geonames_id = models.PositiveIntegerField(_("GeoNames id"), null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        indexes = [models.Index(fields=["state", "kind"]), models.Index(fields=["population"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=FederalState.values), name="municipality_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=MunicipalityKind.values), name="municipality_kind_valid"
            ),
            # The key begins with the code of the Land it lies in.
            models.CheckConstraint(
                condition=Q(ags__startswith=F("state")), name="municipality_ags_in_state"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=47, latitude__lte=55.5),
                name="municipality_latitude_in_germany",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=5.5, longitude__lte=15.5),
                name="municipality_longitude_in_germany",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        validate_ags(self.ags, self.kind)
        if self.ags[:2] != self.state:
            raise ValidationError({"state": _("The federal state does not match the key.")})

    @property
    def size_class(self) -> str | None:
        if self.population is None:
            return None
        for size, (low, high) in SIZE_CLASS_BOUNDS.items():
            if self.population >= low and (high is None or self.population < high):
                return size
        return None

    def get_size_class_display(self) -> str:
        size = self.size_class
        return str(SizeClass(size).label) if size else ""


class Topic(models.Model):
    """A Themenschwerpunkt, curated by the office."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("short name in the address"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Archived topics keep their pages but are not offered for new entries."),
    )

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Function(models.TextChoices):
    """Function of a member in their municipality."""

    BUERGERMEISTER = "buergermeister", "Bürgermeister:in"
    OBERBUERGERMEISTER = "oberbuergermeister", "Oberbürgermeister:in"
    LANDRAT = "landrat", "Landrat/Landrätin"
    BEIGEORDNETE = "beigeordnete", "Beigeordnete:r"
    DEZERNENT = "dezernent", "Dezernent:in"
    AMTSLEITUNG = "amtsleitung", "Amtsleitung"
    CDO = "cdo", "Chief Digital Officer (CDO)"
    OTHER = "other", _("other function")


class Sector(models.TextChoices):
    """Where an external partner comes from."""

    WISSENSCHAFT = "wissenschaft", _("Science")
    WIRTSCHAFT = "wirtschaft", _("Business")
    ZIVILGESELLSCHAFT = "zivilgesellschaft", _("Civil society")
    VERWALTUNG = "verwaltung", _("Administration")


def _photo_path(instance: Profile, filename: str) -> str:
    # A random name: the file says nothing about its owner. Photos are served
    # only through the profile-photo view, which checks who may see them.
    return f"profile_photos/{uuid.uuid4().hex}.jpg"


class Profile(models.Model):
    """What a member or external partner tells the network about themselves.

    Name, function, municipality or organisation and topics are always visible
    to other members; each optional field has its own switch. Nobody appears in
    a public list without ``public_listing``.
    """

    # What the owner edits, in the groups the profile form shows.
    ABOUT_FIELDS: ClassVar[tuple[str, ...]] = (
        "academic_title",
        "function",
        "position",
        "organisation",
        "sector",
    )
    SHARED_FIELDS: ClassVar[tuple[str, ...]] = ("bio", "can_help_with", "looking_for", "phone")
    VISIBILITY_FIELDS: ClassVar[tuple[str, ...]] = (
        "in_directory",
        "show_bio",
        "show_can_help_with",
        "show_looking_for",
        "show_photo",
        "show_email",
        "show_phone",
        "public_listing",
    )
    EDITABLE_FIELDS: ClassVar[tuple[str, ...]] = ABOUT_FIELDS + SHARED_FIELDS + VISIBILITY_FIELDS

    OPTIONAL_FIELDS: ClassVar[tuple[str, ...]] = (
        "bio",
        "can_help_with",
        "looking_for",
        "photo",
        "email",
        "phone",
    )

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    academic_title = models.CharField(_("academic title"), max_length=40, blank=True)
    function = models.CharField(_("function"), max_length=24, choices=Function.choices, blank=True)
    position = models.CharField(
        _("position"),
        max_length=160,
        blank=True,
        help_text=_("For example “Leiterin Stabsstelle Digitalisierung”."),
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=24, choices=Sector.choices, blank=True)
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics of expertise"), blank=True, related_name="profiles"
    )
    bio = models.TextField(_("short biography"), max_length=2000, blank=True)
    can_help_with = models.TextField(_("I can help with …"), max_length=1000, blank=True)
    looking_for = models.TextField(_("I am looking for …"), max_length=1000, blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    photo = models.ImageField(_("photo"), upload_to=_photo_path, blank=True)
    member_since = models.DateField(_("member since"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    show_bio = models.BooleanField(_("show my biography to members"), default=True)
    show_can_help_with = models.BooleanField(
        _("show what I can help with to members"), default=True
    )
    show_looking_for = models.BooleanField(_("show what I am looking for to members"), default=True)
    show_photo = models.BooleanField(_("show my photo to members"), default=True)
    show_email = models.BooleanField(_("show my e-mail address to members"), default=False)
    show_phone = models.BooleanField(_("show my telephone number to members"), default=False)
    in_directory = models.BooleanField(
        _("appear in the members' directory"),
        default=False,
        help_text=_("Other members can find you in the directory."),
    )
    public_listing = models.BooleanField(
        _("may be named on public pages"),
        default=False,
        help_text=_("For example as a contact person of a public pilot project."),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        indexes = [models.Index(fields=["function"]), models.Index(fields=["sector"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(function="") | Q(function__in=Function.values),
                name="profile_function_valid",
            ),
            models.CheckConstraint(
                condition=Q(sector="") | Q(sector__in=Sector.values), name="profile_sector_valid"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(member_since__isnull=True)
                | Q(left_on__gte=F("member_since")),
                name="profile_left_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    def shows(self, field: str) -> bool:
        """Whether the owner shares this optional field with other members."""
        return bool(getattr(self, f"show_{field}"))


class NominationState(models.TextChoices):
    NOMINATED = "nominated", _("nominated")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    INVITED = "invited", _("invited")
    JOINED = "joined", _("joined")


class Nomination(models.Model):
    """A member proposes a person for membership; the office decides and invites."""

    State = NominationState

    OPEN_STATES: ClassVar[tuple[str, ...]] = (State.NOMINATED, State.ACCEPTED, State.INVITED)

    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominated by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="nominations_made",
    )
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    function = models.CharField(_("function"), max_length=24, choices=Function.choices, blank=True)
    position = models.CharField(_("position"), max_length=160, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"))
    reason = models.TextField(_("why this person?"), max_length=3000)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.NOMINATED
    )
    created_at = models.DateTimeField(_("nominated on"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    joined_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nomination",
    )
    state_changed_at = models.DateTimeField(_("state since"), auto_now_add=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=NominationState.values), name="nomination_state_valid"
            ),
            # One open nomination per address, also under simultaneous submissions.
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(state__in=["nominated", "accepted", "invited"]),
                name="nomination_one_open_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Invitation(models.Model):
    """A single-use invitation link for one address. Only a hash of the token is stored."""

    nomination = models.ForeignKey(
        Nomination,
        verbose_name=_("nomination"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail address"))
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("sent on"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("valid until"))
    accepted_at = models.DateTimeField(_("accepted on"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked on"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            # At most one usable invitation per nomination.
            models.UniqueConstraint(
                fields=["nomination"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_nomination",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_not_accepted_and_revoked",
            ),
        ]

    def __str__(self) -> str:
        return self.email
