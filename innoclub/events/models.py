"""Events: the Deutschlandforum series and smaller formats, their program,
speakers, invitations, registrations, documentation and feedback.

Models hold fields and constraints. Workflows (register, cancel, promote,
check in) live in ``services.py``; reads in ``selectors.py``.
"""

from __future__ import annotations

import datetime
import secrets
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from innoclub.core.access import Visibility
from innoclub.network.models import Topic

# Slugs that name fixed pages under /foren/ and therefore cannot name an event.
RESERVED_EVENT_SLUGS = frozenset({"referierende", "kalender", "archiv"})


def _random_name(folder: str, filename: str) -> str:
    # Random names: an upload's own name says nothing and guesses nothing.
    return f"{folder}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


def speaker_photo_path(instance: Speaker, filename: str) -> str:
    return _random_name("referierende", filename)


def session_file_path(instance: SessionFile, filename: str) -> str:
    return _random_name("dokumentation", filename)


def new_token() -> str:
    return secrets.token_urlsafe(32)


class EventSeries(models.Model):
    """A recurring format whose events are numbered, such as the Deutschlandforum."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("short name in the address"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("event series")
        verbose_name_plural = _("event series")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EventMode(models.TextChoices):
    ONSITE = "onsite", _("On site")
    HYBRID = "hybrid", _("Hybrid")
    ONLINE = "online", _("Online")


class EventState(models.TextChoices):
    PLANNING = "planning", _("In planning")
    INVITED = "invited", _("Invitations sent")
    OPEN = "open", _("Registration open")
    FULL = "full", _("Fully booked")
    CLOSED = "closed", _("Closed")


class Event(models.Model):
    """One event: a Deutschlandforum, a Werkstattgespräch, a Regionaltreffen.

    ``seats_taken`` counts confirmed on-site registrations. Only the services
    change it, inside a transaction that holds the event's row lock; the
    check constraint makes overbooking impossible even for a faulty caller.
    """

    series = models.ForeignKey(
        EventSeries,
        verbose_name=_("series"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    number = models.PositiveSmallIntegerField(
        _("number in the series"),
        null=True,
        blank=True,
        help_text=_("For example 23 for the 23rd Deutschlandforum."),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name in the address"), max_length=120, unique=True)
    leitgedanke = models.CharField(_("guiding theme"), max_length=300, blank=True)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Markdown: ## for a heading, *italic*, **bold**, [link](https://…)."),
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    mode = models.CharField(
        _("format"), max_length=10, choices=EventMode.choices, default=EventMode.ONSITE
    )
    state = models.CharField(
        _("state"), max_length=10, choices=EventState.choices, default=EventState.PLANNING
    )
    visibility = models.CharField(
        _("visible to"), max_length=12, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.CharField(_("address of the venue"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    online_url = models.URLField(
        _("stream or meeting link"),
        blank=True,
        help_text=_("Shown only to registered participants."),
    )
    capacity = models.PositiveIntegerField(
        _("places on site"),
        null=True,
        blank=True,
        help_text=_("Empty: no limit. When all places are taken, registrations join the waitlist."),
    )
    seats_taken = models.PositiveIntegerField(_("places taken"), default=0, editable=False)
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="events"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="events_event_ends_after_start",
                violation_error_message=_("The last day cannot lie before the first day."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(seats_taken__lte=F("capacity")),
                name="events_event_no_overbooking",
                violation_error_message=_("More places are taken than the event has."),
            ),
            models.UniqueConstraint(
                fields=["series", "number"],
                name="events_event_unique_number_in_series",
                violation_error_message=_("This series already has an event with this number."),
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="events_event_slug_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_multi_day(self) -> bool:
        return self.ends_on > self.starts_on

    @property
    def has_onsite_part(self) -> bool:
        return self.mode != EventMode.ONLINE

    @property
    def has_online_part(self) -> bool:
        return self.mode != EventMode.ONSITE

    @property
    def seats_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.seats_taken, 0)

    def days(self) -> list[datetime.date]:
        count = (self.ends_on - self.starts_on).days + 1
        return [self.starts_on + datetime.timedelta(days=offset) for offset in range(count)]


class SessionKind(models.TextChoices):
    TALK = "talk", _("Talk")
    KEYNOTE = "keynote", _("Keynote")
    WORKSHOP = "workshop", _("Workshop")
    PANEL = "panel", _("Discussion / panel")
    BREAK = "break", _("Break / networking")


class Session(models.Model):
    """One item of an event's program.

    ``sequence`` is the iCalendar SEQUENCE: raised by the services whenever
    the time, room or title changes, so calendar programs update the entry.
    """

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="sessions"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SessionKind.choices)
    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("short name in the address"), max_length=120)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Markdown: ## for a heading, *italic*, **bold**, [link](https://…)."),
    )
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    room = models.CharField(_("room"), max_length=120, blank=True)
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("For workshops. Empty: no limit.")
    )
    minimum_participants = models.PositiveIntegerField(
        _("minimum participants"),
        null=True,
        blank=True,
        help_text=_("For workshops: below this the workshop allocation may cancel it."),
    )
    repeat_of = models.ForeignKey(
        "self",
        verbose_name=_("repeat of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="repeats",
        help_text=_(
            "For a workshop offered again in another time slot: the first session. "
            "Participants rank the workshop once and attend it at most once."
        ),
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="sessions"
    )
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("Documentation after the event. Markdown.")
    )
    results = models.TextField(
        _("results"), blank=True, help_text=_("Documentation after the event. Markdown.")
    )
    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "room", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="events_session_ends_after_start",
                violation_error_message=_("A session must end after it starts."),
            ),
            models.UniqueConstraint(
                fields=["event", "slug"],
                name="events_session_unique_slug",
                violation_error_message=_("This event already has a session with this short name."),
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="events_session_slug_not_empty"),
            models.CheckConstraint(
                condition=~Q(repeat_of=F("id")), name="events_session_not_repeat_of_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        repeated = self.repeat_of
        if repeated is None:
            return
        if repeated.event_id != self.event_id or repeated.repeat_of_id is not None:
            raise ValidationError(
                {"repeat_of": _("Choose the first session of a workshop of the same event.")}
            )
        if self.kind != SessionKind.WORKSHOP or repeated.kind != SessionKind.WORKSHOP:
            raise ValidationError({"repeat_of": _("Only workshops are repeated.")})
        if repeated.starts_at == self.starts_at:
            raise ValidationError(
                {"repeat_of": _("A repeat runs in another time slot than the first session.")}
            )

    @property
    def workshop_id(self) -> int:
        """The workshop a session offers: its own id, or the first session's if it repeats one."""
        return self.repeat_of_id or self.pk

    @property
    def is_break(self) -> bool:
        return self.kind == SessionKind.BREAK


class Speaker(models.Model):
    """A person who speaks at or moderates sessions: a member, a guest with an
    account, or an external person without one.

    Bio and photo are shown only once ``consent_given_at`` is set.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="speaker",
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in the address"), max_length=120, unique=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    bio = models.TextField(_("short biography"), blank=True)
    photo = models.ImageField(_("photo"), upload_to=speaker_photo_path, blank=True)
    consent_given_at = models.DateTimeField(
        _("consent to publication"),
        null=True,
        blank=True,
        help_text=_("Bio and photo are published only after the speaker has agreed."),
    )

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(slug=""), name="events_speaker_slug_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_consented(self) -> bool:
        return self.consent_given_at is not None


class SpeakerRole(models.TextChoices):
    SPEAKER = "speaker", _("Speaker")
    MODERATOR = "moderator", _("Moderator")


class SessionSpeaker(models.Model):
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="appearances"
    )
    speaker = models.ForeignKey(
        Speaker, verbose_name=_("speaker"), on_delete=models.PROTECT, related_name="appearances"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=SpeakerRole.choices, default=SpeakerRole.SPEAKER
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("speaker of a session")
        verbose_name_plural = _("speakers of sessions")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "speaker"],
                name="events_sessionspeaker_unique",
                violation_error_message=_("This person is already listed for the session."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.speaker} – {self.session}"


class EventInvitation(models.Model):
    """An invitation of one account to one event, sent by e-mail."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="invitations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited person"),
        on_delete=models.CASCADE,
        related_name="event_invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation to an event")
        verbose_name_plural = _("invitations to events")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                name="events_invitation_unique",
                violation_error_message=_("This person has already been invited."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.event}"


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waitlist")
    CANCELLED = "cancelled", _("Cancelled")


class Attendance(models.TextChoices):
    ONSITE = "onsite", _("On site")
    ONLINE = "online", _("Online")


class Registration(models.Model):
    """One person's registration for one event.

    There is at most one per person and event; registering again returns it.
    The waitlist is ordered by ``queued_at`` (then id): the moment the
    registration joined, taken while the event's row lock was held.
    ``dietary_needs`` and ``accessibility_needs`` are special data, used for
    this event only.
    """

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    attendance = models.CharField(
        _("participation"), max_length=8, choices=Attendance.choices, default=Attendance.ONSITE
    )
    dietary_needs = models.CharField(_("dietary requirements"), max_length=300, blank=True)
    accessibility_needs = models.CharField(
        _("accessibility requirements"), max_length=500, blank=True
    )
    list_consent = models.BooleanField(_("appear in the list of participants"), default=False)
    code = models.UUIDField(_("check-in code"), default=uuid.uuid4, unique=True, editable=False)
    queued_at = models.DateTimeField(_("registered"))
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("moved up from the waitlist"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["queued_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                name="events_registration_one_per_person",
                violation_error_message=_("This person is already registered for the event."),
            ),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(attendance="onsite"),
                name="events_registration_waitlist_only_on_site",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status", "queued_at"], name="events_reg_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.event}"

    @property
    def is_active(self) -> bool:
        return self.status != RegistrationStatus.CANCELLED


class AgendaItem(models.Model):
    """A session a participant marked for their personal agenda."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="agenda_items",
    )
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("agenda entry")
        verbose_name_plural = _("agenda entries")
        constraints = [
            models.UniqueConstraint(fields=["user", "session"], name="events_agenda_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.session}"


class CalendarFeed(models.Model):
    """The secret address of a person's calendar feed; revoking replaces the token."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)


class SessionFile(models.Model):
    """A file of a session's documentation, such as slides. Served as a download."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="files"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=session_file_path)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("documentation file")
        verbose_name_plural = _("documentation files")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


class FeedbackSubmission(models.Model):
    """That a person has answered an event's survey; kept apart from the answers
    so that the answers cannot be traced back to the person."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("survey submission")
        verbose_name_plural = _("survey submissions")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="events_feedback_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.event}"


class FeedbackResponse(models.Model):
    """One anonymous answer to an event's survey. No person, no time of day, and
    a random key, so that the order of the rows cannot be matched to the order
    of the submissions."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="feedback"
    )
    overall = models.PositiveSmallIntegerField(
        _("overall rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True, max_length=4000)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__gte=1, overall__lte=5), name="events_feedback_overall_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event}: {self.overall}"


class SessionRating(models.Model):
    response = models.ForeignKey(FeedbackResponse, on_delete=models.CASCADE, related_name="ratings")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="ratings")
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "session"], name="events_rating_unique"),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="events_rating_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.rating}"
