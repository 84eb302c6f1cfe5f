"""What a personal data export contains: one section per kind of data.

Every query here is scoped to the one person (``user=...``, ``authors=...``).
Rows carry only what that person is or did; other people appear nowhere — no
co-authors, no replies, no names of those who moderated, verified or decided.
The keys are German: they are the column headers people read in their
spreadsheet program. Values are plain: text, numbers, true/false, ISO dates.

Nominations: the nominator learns the name they typed (to recognise the
entry), the reason they wrote, when and how far it went. The nominee's
contact details and the office's reasoning are the nominee's and the office's
data, not the nominator's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from innoclub.accounts.models import User
from innoclub.api.models import ApiToken
from innoclub.audit.models import Action, AuditEvent
from innoclub.events.models import (
    AgendaItem,
    CalendarFeed,
    EventInvitation,
    FeedbackSubmission,
    Registration,
    Speaker,
)
from innoclub.ideas.models import (
    Comment,
    EvaluationAssignment,
    Follow,
    Idea,
    IdeaGroup,
    NotificationSetting,
    PilotInterest,
    Support,
)
from innoclub.network.models import Nomination, Profile
from innoclub.pilots.models import Adoption, PilotProject
from innoclub.workshops.models import Placement, WorkshopChoice

Row = dict[str, Any]

# The person's own sign-ins and security events; their actions as office
# staff concern other people and objects and stay in the audit log.
OWN_SECURITY_ACTIONS = (
    Action.LOGIN,
    Action.LOGIN_FAILED,
    Action.LOCKOUT,
    Action.LOGOUT,
    Action.PERSONAL_DATA_EXPORTED,
)


@dataclass(frozen=True)
class Section:
    name: str
    description: str | Promise
    rows: Callable[[User], Iterator[Row]]


def when(value: dt.datetime | dt.date | None) -> str | None:
    """ISO 8601; moments in the site's time zone with their offset."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def _name(obj: object | None) -> str | None:
    return None if obj is None else str(obj)


def _account(user: User) -> Iterator[Row]:
    feed = CalendarFeed.objects.filter(user=user).values_list("created_at", flat=True).first()
    groups = IdeaGroup.objects.filter(members=user).order_by("name").values_list("name", flat=True)
    yield {
        "e_mail": user.email,
        "vorname": user.first_name,
        "nachname": user.last_name,
        "rolle": user.get_role_display(),
        "kommune": _name(user.municipality),
        "sprache": user.get_language_display(),
        "registriert_am": when(user.date_joined),
        "letzte_anmeldung": when(user.last_login),
        "konto_aktiv": user.is_active,
        "zwei_faktor_aktiv": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "kalender_abo_seit": when(feed),
        "ideengruppen": ", ".join(groups),
    }


def _profile(user: User) -> Iterator[Row]:
    profile = Profile.objects.filter(user=user).prefetch_related("topics").first()
    if profile is None:
        return
    yield {
        "akademischer_titel": profile.academic_title,
        "funktion": profile.get_function_display(),
        "position": profile.position,
        "organisation": profile.organisation,
        "sektor": profile.get_sector_display(),
        "themen": ", ".join(sorted(topic.name for topic in profile.topics.all())),
        "kurzbiografie": profile.bio,
        "kann_helfen_bei": profile.can_help_with,
        "sucht": profile.looking_for,
        "telefon": profile.phone,
        "foto": PROFILE_PHOTO if profile.photo else None,
        "mitglied_seit": when(profile.member_since),
        "ausgetreten_am": when(profile.left_on),
        "zeigt_biografie": profile.show_bio,
        "zeigt_kann_helfen_bei": profile.show_can_help_with,
        "zeigt_sucht": profile.show_looking_for,
        "zeigt_foto": profile.show_photo,
        "zeigt_e_mail": profile.show_email,
        "zeigt_telefon": profile.show_phone,
        "im_mitgliederverzeichnis": profile.in_directory,
        "oeffentlich_genannt": profile.public_listing,
        "zuletzt_geaendert": when(profile.updated_at),
    }


def _speaker(user: User) -> Iterator[Row]:
    speaker = Speaker.objects.filter(user=user).first()
    if speaker is not None:
        yield {
            "name": speaker.name,
            "position": speaker.position,
            "organisation": speaker.organisation,
            "kurzbiografie": speaker.bio,
            "foto": SPEAKER_PHOTO if speaker.photo else None,
            "einwilligung_veroeffentlichung": when(speaker.consent_given_at),
        }


def _registrations(user: User) -> Iterator[Row]:
    for registration in Registration.objects.filter(user=user).select_related("event"):
        yield {
            "veranstaltung": registration.event.title,
            "erster_tag": when(registration.event.starts_on),
            "status": registration.get_status_display(),
            "teilnahme": registration.get_attendance_display(),
            "ernaehrung": registration.dietary_needs,
            "barrierefreiheit": registration.accessibility_needs,
            "in_teilnehmendenliste": registration.list_consent,
            "angemeldet_am": when(registration.queued_at),
            "nachgerueckt_am": when(registration.promoted_at),
            "storniert_am": when(registration.cancelled_at),
            "eingecheckt_am": when(registration.checked_in_at),
            "erinnerung_gesendet_am": when(registration.reminded_at),
        }


def _event_invitations(user: User) -> Iterator[Row]:
    for invitation in EventInvitation.objects.filter(user=user).select_related("event"):
        yield {"veranstaltung": invitation.event.title, "gesendet_am": when(invitation.sent_at)}


def _agenda(user: User) -> Iterator[Row]:
    items = AgendaItem.objects.filter(user=user).select_related("session__event")
    for item in items.order_by("session__starts_at"):
        yield {
            "veranstaltung": item.session.event.title,
            "programmpunkt": item.session.title,
            "beginn": when(item.session.starts_at),
            "gemerkt_am": when(item.created_at),
        }


def _workshop_choices(user: User) -> Iterator[Row]:
    choices = WorkshopChoice.objects.filter(registration__user=user).select_related(
        "registration__event", "session"
    )
    for choice in choices.order_by("registration__event__starts_on", "rank"):
        yield {
            "veranstaltung": choice.registration.event.title,
            "workshop": choice.session.title,
            "rang": choice.rank,
            "gewaehlt_am": when(choice.created_at),
        }


def _placements(user: User) -> Iterator[Row]:
    placements = Placement.objects.filter(registration__user=user).select_related(
        "registration__event", "session"
    )
    for placement in placements.order_by("session__starts_at"):
        yield {
            "veranstaltung": placement.registration.event.title,
            "workshop": placement.session.title,
            "beginn": when(placement.session.starts_at),
            "rang_ihres_wunsches": placement.rank,
            "zuteilung": placement.get_source_display(),
        }


def _feedback(user: User) -> Iterator[Row]:
    for submission in FeedbackSubmission.objects.filter(user=user).select_related("event"):
        yield {"veranstaltung": submission.event.title}


def _ideas(user: User) -> Iterator[Row]:
    ideas = (
        Idea.objects.filter(Q(authors=user) | Q(created_by=user))
        .distinct()
        .select_related("municipality")
        .order_by("created_at", "id")
    )
    for idea in ideas:
        yield {
            "titel": idea.title,
            "art": idea.get_kind_display(),
            "problem": idea.problem,
            "vorschlag": idea.proposal,
            "kommune": _name(idea.municipality),
            "situation": idea.context,
            "ziele": idea.goals,
            "zielgruppe": idea.audience,
            "ressourcen": idea.resources,
            "risiken": idea.risks,
            "erfolgskriterien": idea.success_criteria,
            "phase": idea.get_stage_display(),
            "sichtbar_fuer": idea.get_visibility_display(),
            "von_ihnen_angelegt": idea.created_by_id == user.pk,
            "erstellt_am": when(idea.created_at),
            "zuletzt_geaendert": when(idea.updated_at),
        }


def _comments(user: User) -> Iterator[Row]:
    comments = Comment.objects.filter(author=user).select_related("idea")
    for comment in comments.order_by("created_at", "id"):
        yield {
            "idee": comment.idea.title,
            "kommentar": comment.body,
            "antwort_auf_einen_kommentar": comment.parent_id is not None,
            "geschrieben_am": when(comment.created_at),
            "bearbeitet_am": when(comment.edited_at),
            "ausgeblendet_am": when(comment.hidden_at),
            "grund_der_ausblendung": comment.hidden_reason,
        }


def _supports(user: User) -> Iterator[Row]:
    for support in Support.objects.filter(user=user).select_related("idea").order_by("created_at"):
        yield {"idee": support.idea.title, "unterstuetzt_am": when(support.created_at)}


def _follows(user: User) -> Iterator[Row]:
    for follow in Follow.objects.filter(user=user).select_related("idea").order_by("created_at"):
        yield {"idee": follow.idea.title, "gefolgt_seit": when(follow.created_at)}


def _interests(user: User) -> Iterator[Row]:
    interests = PilotInterest.objects.filter(user=user).select_related("idea", "municipality")
    for interest in interests.order_by("created_at"):
        yield {
            "idee": interest.idea.title,
            "kommune": interest.municipality.name,
            "notiz": interest.note,
            "erklaert_am": when(interest.created_at),
        }


def _notification_settings(user: User) -> Iterator[Row]:
    setting = NotificationSetting.objects.filter(user=user).first()
    yield {
        "e_mails_zu_ideen": (
            setting.get_frequency_display()
            if setting is not None
            else NotificationSetting().get_frequency_display()
        ),
        "selbst_eingestellt": setting is not None,
    }


def _evaluations(user: User) -> Iterator[Row]:
    assignments = (
        EvaluationAssignment.objects.filter(evaluator=user)
        .select_related("idea")
        .prefetch_related("scores__criterion")
        .order_by("assigned_at")
    )
    for assignment in assignments:
        yield {
            "idee": assignment.idea.title,
            "zugewiesen_am": when(assignment.assigned_at),
            "abgegeben_am": when(assignment.submitted_at),
            "punkte": "; ".join(
                f"{score.criterion.name}: {score.value}" for score in assignment.scores.all()
            ),
            "notiz": assignment.note,
        }


def _adoptions(user: User) -> Iterator[Row]:
    adoptions = Adoption.objects.filter(declared_by=user).select_related("pilot", "municipality")
    for adoption in adoptions.order_by("created_at"):
        yield {
            "pilotprojekt": adoption.pilot.title,
            "kommune": adoption.municipality.name,
            "stand": adoption.get_state_display(),
            "begonnen_am": when(adoption.started_on),
            "umgesetzt_am": when(adoption.implemented_on),
            "aufgegeben_am": when(adoption.given_up_on),
            "grund_fuer_aufgabe": adoption.given_up_reason,
            "anpassungen": adoption.adaptations,
            "erklaert_am": when(adoption.created_at),
            "von_der_geschaeftsstelle_bestaetigt": adoption.verified_at is not None,
        }


def _contact_roles(user: User) -> Iterator[Row]:
    for title in (
        PilotProject.objects.filter(contacts=user).order_by("title").values_list("title", flat=True)
    ):
        yield {"rolle": "Ansprechperson des Pilotprojekts", "pilotprojekt": title, "kommune": None}
    adoptions = Adoption.objects.filter(contact=user).select_related("pilot", "municipality")
    for adoption in adoptions.order_by("pilot__title"):
        yield {
            "rolle": "Ansprechperson der Nachnutzung",
            "pilotprojekt": adoption.pilot.title,
            "kommune": adoption.municipality.name,
        }


def _nominations(user: User) -> Iterator[Row]:
    for nomination in Nomination.objects.filter(nominated_by=user).order_by("created_at"):
        yield {
            "vorgeschlagene_person": f"{nomination.first_name} {nomination.last_name}".strip(),
            "ihre_begruendung": nomination.reason,
            "vorgeschlagen_am": when(nomination.created_at),
            "stand": nomination.get_state_display(),
            "stand_seit": when(nomination.state_changed_at),
        }


def _api_tokens(user: User) -> Iterator[Row]:
    # Metadata only: the digest is a credential, and the token itself is never stored.
    for token in ApiToken.objects.filter(user=user).order_by("created_at"):
        yield {
            "name": token.name,
            "beginnt_mit": f"ic_{token.prefix}",
            "berechtigung": token.get_scope_display(),
            "erstellt_am": when(token.created_at),
            "gueltig_bis": when(token.expires_at),
            "zuletzt_benutzt": when(token.last_used_at),
            "widerrufen_am": when(token.revoked_at),
        }


def _security_log(user: User) -> Iterator[Row]:
    events = AuditEvent.objects.filter(actor=user, action__in=OWN_SECURITY_ACTIONS)
    for event in events.order_by("created_at", "id"):
        yield {
            "zeit": when(event.created_at),
            "ereignis": event.get_action_display(),
            "ip_adresse": event.ip_address,
        }


PROFILE_PHOTO = "dateien/profilfoto.jpg"
SPEAKER_PHOTO = "dateien/foto-referentenprofil.jpg"

SECTIONS: tuple[Section, ...] = (
    Section("konto", _("your account"), _account),
    Section("profil", _("your profile, with every field, also those you do not show"), _profile),
    Section("referentenprofil", _("your profile as a speaker, if you have one"), _speaker),
    Section(
        "anmeldungen",
        _("your registrations for events, with your needs and check-in"),
        _registrations,
    ),
    Section("einladungen", _("the invitations to events you received"), _event_invitations),
    Section("agenda", _("the sessions you marked in your personal agenda"), _agenda),
    Section("workshop_wuensche", _("your ranking of workshops"), _workshop_choices),
    Section("workshop_zuteilungen", _("the workshops you were assigned to"), _placements),
    Section(
        "umfragen", _("the events whose survey you answered (the answers are anonymous)"), _feedback
    ),
    Section("ideen", _("the ideas you wrote or co-wrote, with their texts and stage"), _ideas),
    Section("kommentare", _("the comments you wrote"), _comments),
    Section("unterstuetzungen", _("the ideas you supported"), _supports),
    Section("gefolgte_ideen", _("the ideas you follow"), _follows),
    Section(
        "pilotinteresse",
        _("your declarations that your municipality would pilot an idea"),
        _interests,
    ),
    Section("benachrichtigungen", _("your notification settings"), _notification_settings),
    Section(
        "bewertungen",
        _("the evaluations of ideas you were asked for, with your scores"),
        _evaluations,
    ),
    Section("nachnutzungen", _("the adoptions of pilot projects you declared"), _adoptions),
    Section("ansprechperson", _("where you are named as contact person"), _contact_roles),
    Section(
        "vorschlaege",
        _("the people you nominated for membership (name, your reason, state)"),
        _nominations,
    ),
    Section(
        "api_tokens",
        _("your API tokens (name, beginning, rights, dates; never the token)"),
        _api_tokens,
    ),
    Section(
        "sicherheitsprotokoll", _("your sign-ins, failed sign-ins and data exports"), _security_log
    ),
)


def personal_files(user: User) -> list[tuple[str, FieldFile]]:
    """The person's own uploaded pictures, as (name in the ZIP, stored file)."""
    files: list[tuple[str, FieldFile]] = []
    profile = Profile.objects.filter(user=user).only("photo").first()
    if profile is not None and profile.photo:
        files.append((PROFILE_PHOTO, profile.photo))
    speaker = Speaker.objects.filter(user=user).only("photo").first()
    if speaker is not None and speaker.photo:
        files.append((SPEAKER_PHOTO, speaker.photo))
    return files
