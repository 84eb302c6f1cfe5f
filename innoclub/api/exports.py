"""The office's exports: one table per kind of record, as CSV and as XLSX.

A ``Table`` is a header and rows of typed values (texts, numbers, dates,
times). ``csv_response`` writes it as the project's German CSV
(``core/csv.py``: semicolons, BOM, formula cells neutralised), dates as
YYYY-MM-DD and times as Berlin wall-clock time; ``xlsx_response`` writes a
workbook with typed cells (``core/xlsx.py``). The directory's export
(``network/views/people.py``) and an event's registrations
(``events/views/office_registration.py``) build their rows here too, so a
person reads the same columns wherever they download them.

Every query reads through the selectors for the office's user, streams with
``iterator`` and prefetches per chunk: a fixed number of queries up to
``CHUNK`` rows, two or three more per further ``CHUNK``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innoclub.accounts.models import User
from innoclub.api.opendata import with_adoption_counts
from innoclub.core.csv import csv_download
from innoclub.core.xlsx import xlsx_download
from innoclub.events.models import Event, Registration, RegistrationStatus
from innoclub.events.selectors import events_visible
from innoclub.ideas.models import Idea
from innoclub.ideas.selectors import ideas_visible
from innoclub.network.models import Profile, Topic
from innoclub.network.selectors import DirectoryFilters, directory_export
from innoclub.pilots.models import Adoption, PilotProject
from innoclub.pilots.selectors import pilots_visible

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from innoclub.core.access import AnyUser

CHUNK = 2000
CSV, XLSX = "csv", "xlsx"
FORMATS = (CSV, XLSX)


@dataclass(frozen=True)
class Table:
    header: Sequence[str]
    rows: Iterable[Sequence[object]]


def csv_text(value: object) -> object:
    """A typed value as the text of a German CSV cell."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    return value


def csv_response(filename: str, table: Table) -> HttpResponse:
    rows = ([csv_text(value) for value in row] for row in table.rows)
    return csv_download(filename, table.header, rows)


def xlsx_response(filename: str, table: Table) -> HttpResponse:
    return xlsx_download(filename, table.header, table.rows)


def response(filename: str, fmt: str, table: Table) -> HttpResponse:
    """``filename`` without its ending; ``fmt`` is ``csv`` or ``xlsx``."""
    if fmt == XLSX:
        return xlsx_response(f"{filename}.xlsx", table)
    return csv_response(f"{filename}.csv", table)


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _names(people: Iterable[User]) -> str:
    return ", ".join(person.get_full_name() or person.email for person in people)


def _address(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


# --- Members ---------------------------------------------------------------------


def member_table(profiles: Iterable[Profile]) -> Table:
    """The directory's columns; ``profiles`` with their user, municipality and topics."""
    header = [
        _("Last name"),
        _("First name"),
        _("Academic title"),
        _("Role"),
        _("Function"),
        _("Position"),
        _("Municipality"),
        _("Federal state"),
        _("Organisation"),
        _("Sector"),
        _("Topics"),
        _("E-mail address"),
        _("Member since"),
        _("In the directory"),
    ]
    rows = (
        (
            profile.user.last_name,
            profile.user.first_name,
            profile.academic_title,
            profile.user.get_role_display(),
            profile.get_function_display(),
            profile.position,
            profile.user.municipality.name if profile.user.municipality else "",
            profile.user.municipality.get_state_display() if profile.user.municipality else "",
            profile.organisation,
            profile.get_sector_display(),
            ", ".join(topic.name for topic in profile.topics.all()),
            profile.user.email,
            profile.member_since,
            _yes_no(profile.in_directory),
        )
        for profile in profiles
    )
    return Table(header, rows)


def members(user: AnyUser) -> Table:
    """Everybody in the directory, as the office sees it (two queries)."""
    profiles = directory_export(viewer=user, filters=DirectoryFilters())
    return member_table(profiles.iterator(chunk_size=CHUNK))


# --- Registrations ---------------------------------------------------------------


def registrations_of(event: Event | None) -> QuerySet[Registration]:
    """Confirmed and waiting registrations (not cancelled) of ``event``, or of every event."""
    rows = (
        Registration.objects.exclude(status=RegistrationStatus.CANCELLED)
        .select_related("user", "user__municipality")
        .order_by("status", "user__last_name", "user__first_name", "id")
    )
    if event is not None:
        return rows.filter(event=event)
    return rows.select_related("event").order_by(
        "-event__starts_on", "event_id", "status", "user__last_name", "user__first_name", "id"
    )


def registration_table(registrations: Iterable[Registration], *, with_event: bool = False) -> Table:
    """People with their needs, for the venue and the catering; ``with_event``
    puts the event's title and first day in front (select ``event`` then)."""
    header = [
        _("Last name"),
        _("First name"),
        _("E-mail address"),
        _("Municipality"),
        _("Status"),
        _("Participation"),
        _("Dietary requirements"),
        _("Accessibility requirements"),
        _("In the list of participants"),
        _("Registered"),
    ]
    if with_event:
        header = [_("Event"), _("First day"), *header]

    def row(registration: Registration) -> list[object]:
        cells: list[object] = [
            registration.user.last_name,
            registration.user.first_name,
            registration.user.email,
            registration.user.municipality.name if registration.user.municipality else "",
            registration.get_status_display(),
            registration.get_attendance_display(),
            registration.dietary_needs,
            registration.accessibility_needs,
            _yes_no(registration.list_consent),
            registration.queued_at,
        ]
        if with_event:
            return [registration.event.title, registration.event.starts_on, *cells]
        return cells

    return Table(header, (row(registration) for registration in registrations))


def registrations(user: AnyUser, event: Event | None = None) -> Table:
    """One query; ``event`` must be one ``user`` may see."""
    rows = registrations_of(event)
    if event is None:
        rows = rows.filter(event__in=events_visible(user))
    return registration_table(rows.iterator(chunk_size=CHUNK), with_event=event is None)


# --- Ideas -----------------------------------------------------------------------


def ideas(user: AnyUser) -> Table:
    """Every idea the office sees, newest first (three queries)."""
    rows = (
        ideas_visible(user)
        .select_related("municipality", "group", "origin_session__event", "pilot")
        .prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("name")),
            Prefetch("authors", queryset=User.objects.order_by("last_name", "first_name", "pk")),
        )
        .order_by("-created_at", "-id")
    )
    header = [
        _("Number"),
        _("Title"),
        _("Stage"),
        _("In this stage since"),
        _("Kind"),
        _("Visible to"),
        _("Topics"),
        _("Authors"),
        _("Municipality"),
        _("Born in the forum session"),
        _("Pilot project"),
        _("Supporters"),
        _("Comments"),
        _("Created"),
        _("Address"),
    ]

    def row(idea: Idea) -> list[object]:
        session = idea.origin_session
        return [
            idea.pk,
            idea.title,
            idea.get_stage_display(),
            idea.stage_changed_at,
            idea.get_kind_display(),
            idea.group.name if idea.group else idea.get_visibility_display(),
            ", ".join(topic.name for topic in idea.topics.all()),
            _names(idea.authors.all()),
            idea.municipality.name if idea.municipality else "",
            f"{session.title} ({session.event.title})" if session else "",
            idea.pilot.title if idea.pilot else "",
            idea.support_count,
            idea.comment_count,
            idea.created_at,
            _address(reverse("ideas:detail", args=[idea.pk])),
        ]

    return Table(header, (row(idea) for idea in rows.iterator(chunk_size=CHUNK)))


# --- Pilot projects and adoptions ------------------------------------------------


def pilots(user: AnyUser) -> Table:
    """Every pilot the office sees with its adoptions by state (three queries)."""
    rows = (
        with_adoption_counts(pilots_visible(user))
        .select_related("lead_municipality")
        .prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("name")),
            Prefetch("contacts", queryset=User.objects.order_by("last_name", "first_name", "pk")),
        )
        .order_by("title", "id")
    )
    header = [
        _("Title"),
        _("State"),
        _("Visible to"),
        _("Lead municipality"),
        _("Amtlicher Gemeindeschlüssel"),
        _("Federal state"),
        _("Start"),
        _("End"),
        _("Budget in euros"),
        _("Topics"),
        _("Contact people"),
        _("Adoptions (not given up)"),
        _("interested"),
        _("in preparation"),
        _("implemented"),
        _("given up"),
        _("Last changed"),
        _("Address"),
    ]

    def row(pilot: PilotProject) -> list[object]:
        lead = pilot.lead_municipality
        return [
            pilot.title,
            pilot.get_state_display(),
            pilot.get_visibility_display(),
            lead.name if lead else "",
            lead.ags if lead else "",
            lead.get_state_display() if lead else "",
            pilot.starts_on,
            pilot.ends_on,
            pilot.budget,
            ", ".join(topic.name for topic in pilot.topics.all()),
            _names(pilot.contacts.all()),
            pilot.adoptions_active,  # type: ignore[attr-defined]
            pilot.adoptions_interested,  # type: ignore[attr-defined]
            pilot.adoptions_preparing,  # type: ignore[attr-defined]
            pilot.adoptions_implemented,  # type: ignore[attr-defined]
            pilot.adoptions_given_up,  # type: ignore[attr-defined]
            pilot.updated_at,
            _address(reverse("pilots:detail", args=[pilot.slug])),
        ]

    return Table(header, (row(pilot) for pilot in rows.iterator(chunk_size=CHUNK)))


def adoptions_of(user: AnyUser) -> QuerySet[Adoption]:
    return Adoption.objects.filter(pilot__in=pilots_visible(user))


def adoptions(user: AnyUser) -> Table:
    """Every adoption of a pilot the office sees, with its contact person (one query)."""
    rows = (
        adoptions_of(user)
        .select_related("pilot", "municipality", "contact")
        .order_by("pilot__title", "pilot_id", "municipality__name", "id")
    )
    header = [
        _("Pilot project"),
        _("Municipality"),
        _("Amtlicher Gemeindeschlüssel"),
        _("Federal state"),
        _("State"),
        _("Started on"),
        _("Implemented on"),
        _("Given up on"),
        _("Why it was given up"),
        _("Confirmed by the club office on"),
        _("Contact person"),
        _("E-mail address of the contact person"),
        _("Declared on"),
        _("Last changed"),
        _("Address"),
    ]

    def row(adoption: Adoption) -> list[object]:
        contact = adoption.contact
        return [
            adoption.pilot.title,
            adoption.municipality.name,
            adoption.municipality.ags,
            adoption.municipality.get_state_display(),
            adoption.get_state_display(),
            adoption.started_on,
            adoption.implemented_on,
            adoption.given_up_on,
            adoption.given_up_reason,
            adoption.verified_at,
            (contact.get_full_name() or contact.email) if contact else "",
            contact.email if contact else "",
            adoption.created_at,
            adoption.updated_at,
            _address(reverse("pilots:adoption", args=[adoption.pilot.slug, adoption.pk])),
        ]

    return Table(header, (row(adoption) for adoption in rows.iterator(chunk_size=CHUNK)))


# --- What the exports page offers ------------------------------------------------


@dataclass(frozen=True)
class Export:
    slug: str
    title: Promise
    description: Promise
    table: Callable[[AnyUser], Table]
    count: Callable[[AnyUser], int]


EXPORTS: dict[str, Export] = {
    export.slug: export
    for export in (
        Export(
            slug="mitglieder",
            title=gettext_lazy("Members and partners"),
            description=gettext_lazy(
                "Everybody in the directory, also those who do not appear there for other "
                "members: function, municipality or organisation, topics, e-mail address."
            ),
            table=members,
            count=lambda user: directory_export(viewer=user, filters=DirectoryFilters()).count(),
        ),
        Export(
            slug="anmeldungen",
            title=gettext_lazy("Registrations"),
            description=gettext_lazy(
                "Confirmed and waiting registrations of every forum (not the cancelled ones), "
                "with dietary and accessibility requirements. One forum: see below."
            ),
            table=registrations,
            count=lambda user: (
                registrations_of(None).filter(event__in=events_visible(user)).count()
            ),
        ),
        Export(
            slug="ideen",
            title=gettext_lazy("Ideas"),
            description=gettext_lazy(
                "Every idea of the idea forge with stage, visibility, authors, origin, "
                "support and comments."
            ),
            table=ideas,
            count=lambda user: ideas_visible(user).count(),
        ),
        Export(
            slug="pilotprojekte",
            title=gettext_lazy("Pilot projects"),
            description=gettext_lazy(
                "Every pilot project with lead municipality, dates, budget, contact people "
                "and its adoptions by state."
            ),
            table=pilots,
            count=lambda user: pilots_visible(user).count(),
        ),
        Export(
            slug="nachnutzungen",
            title=gettext_lazy("Adoptions"),
            description=gettext_lazy(
                "Every adoption with municipality, state, dates, the reason for giving up, "
                "confirmation and contact person."
            ),
            table=adoptions,
            count=lambda user: adoptions_of(user).count(),
        ),
    )
}


def export_filename(slug: str, event: Event | None = None) -> str:
    """``innoclub-<slug>[-<event>]-<today>``, without the ending."""
    parts = ["innoclub", slug, *([event.slug] if event else []), timezone.localdate().isoformat()]
    return "-".join(parts)
