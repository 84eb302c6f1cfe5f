"""Erasure of an account (GDPR Art. 17): the member's own page, the office's page
on request, and the service that erases personal data and keeps contributions."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.core.files.base import ContentFile
from django.db import models
from django.db.models import ForeignObjectRel
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from innoclub.accounts.erasure import ErasureError, account_erase, account_erase_refusal
from innoclub.accounts.models import Role, User
from innoclub.api.tokens import token_create
from innoclub.audit.models import Action, AuditEvent
from innoclub.events.models import (
    AgendaItem,
    CalendarFeed,
    EventInvitation,
    Registration,
    RegistrationStatus,
)
from innoclub.ideas.models import Notification, NotificationKind, NotificationSetting
from innoclub.network.models import Invitation, Nomination, NominationState, Profile
from innoclub.network.statistics import year_figures
from innoclub.workshops.models import WorkshopChoice
from tests.conftest import login_client
from tests.factories import (
    EventFactory,
    MemberFactory,
    NominationFactory,
    ProfileFactory,
    RegistrationFactory,
    SessionFactory,
    SpeakerFactory,
    StaffFactory,
)
from tests.ideas_factories import (
    CommentFactory,
    EvaluationAssignmentFactory,
    FollowFactory,
    IdeaFactory,
    IdeaGroupFactory,
    PilotInterestFactory,
    SupportFactory,
)
from tests.pilots_factories import AdoptionFactory, PilotFactory
from tests.search_helpers import found

ERASE = "/konto/loeschen/"
FORMER = "ehemaliges Mitglied"

# What may still point at an erased account: contributions and history that
# others build on, each emptied of personal text (checked below). Anything
# else pointing at the user is a leak.
KEPT = {
    "events.Registration",  # past attendance, without special data
    "events.FeedbackSubmission",  # only that the person answered
    "ideas.Idea",  # created_by
    "ideas.Idea_authors",
    "ideas.StageChange",
    "ideas.Comment",
    "ideas.Support",
    "ideas.PilotInterest",
    "ideas.EvaluationAssignment",
    "pilots.Adoption",  # declared_by
    "pilots.AdoptionStateChange",
    "network.Nomination",  # the nomination that brought the person in, emptied
    "network.Profile",  # emptied but for the membership's dates (growth statistics)
    "audit.AuditEvent",
}


def _photo() -> ContentFile:
    return ContentFile(b"\xff\xd8\xff\xe0 not really a jpeg", name="foto.jpg")


@pytest.fixture
def everywhere(member):
    """The member with data in every corner of the platform."""
    profile = ProfileFactory(user=member, phone="06221 12345", public_listing=True)
    profile.photo.save("foto.jpg", _photo())
    TOTPDevice.objects.create(user=member, name="Authenticator-App", confirmed=True)
    _token, plain = token_create(user=member, name="Skript", scope="read", days=30)
    CalendarFeed.objects.create(user=member)

    soon = EventFactory(capacity=1)
    registration = RegistrationFactory(
        event=soon, user=member, dietary_needs="vegan", accessibility_needs="Rollstuhl"
    )
    waiting = RegistrationFactory(
        event=soon, user=MemberFactory(), status=RegistrationStatus.WAITLISTED
    )
    workshop = SessionFactory(event=soon)
    WorkshopChoice.objects.create(registration=registration, session=workshop, rank=1)
    AgendaItem.objects.create(user=member, session=workshop)
    EventInvitation.objects.create(event=soon, user=member)
    past = EventFactory(
        starts_on=timezone.localdate() - datetime.timedelta(days=60),
        ends_on=timezone.localdate() - datetime.timedelta(days=59),
    )
    attended = RegistrationFactory(
        event=past, user=member, dietary_needs="laktosefrei", list_consent=True
    )
    speaker = SpeakerFactory(user=member, name="Thomas Berger", bio="Bürgermeister seit 2010.")
    speaker.photo.save("sprecher.jpg", _photo())

    idea = IdeaFactory(authors=[member], title="Bürgerbus auf Abruf")
    comment = CommentFactory(idea=IdeaFactory(), author=member, body="Gute Sache!")
    SupportFactory(idea=comment.idea, user=member)
    FollowFactory(idea=comment.idea, user=member)
    PilotInterestFactory(idea=comment.idea, user=member)
    EvaluationAssignmentFactory(idea=comment.idea, evaluator=member, note="überzeugend")
    Notification.objects.create(recipient=member, idea=comment.idea, kind=NotificationKind.COMMENT)
    NotificationSetting.objects.create(user=member)
    group = IdeaGroupFactory(members=[member])
    pilot = PilotFactory(contacts=[member])
    adoption = AdoptionFactory(municipality=member.municipality, declared_by=member, contact=member)
    nomination = NominationFactory(
        first_name="Thomas",
        last_name="Berger",
        email=member.email,
        joined_user=member,
        state=NominationState.JOINED,
    )
    Invitation.objects.create(
        nomination=nomination,
        email=member.email,
        token_hash="a" * 64,
        expires_at=timezone.now() + datetime.timedelta(days=1),
        accepted_at=timezone.now(),
    )
    AccessAttempt.objects.create(
        username=member.email,
        ip_address="192.0.2.1",
        user_agent="Test",
        http_accept="*/*",
        path_info="/konto/anmelden/",
        get_data="",
        post_data="",
        failures_since_start=1,
    )
    return {
        "profile": profile,
        "photo": Path(profile.photo.path),
        "token": plain,
        "registration": registration,
        "waiting": waiting,
        "attended": attended,
        "speaker": speaker,
        "speaker_photo": Path(speaker.photo.path),
        "idea": idea,
        "comment": comment,
        "group": group,
        "pilot": pilot,
        "adoption": adoption,
        "nomination": nomination,
    }


def _erase_by_self(client: Client, capture: Any, **data: str) -> Any:
    form = {"password": "", "confirm": "on", **data}
    with capture(execute=True):
        return client.post(ERASE, form)


def _rows_pointing_at(user: User) -> dict[str, int]:
    """Every row of every model that refers to ``user`` (foreign keys, one to
    ones and the through tables of many to manys, also those without a
    reverse name), by model label."""
    counts: dict[str, int] = {}
    for relation in User._meta.get_fields(include_hidden=True):
        if not isinstance(relation, ForeignObjectRel) or relation.field.many_to_many:
            continue  # a many to many is counted through its through table
        model = relation.related_model
        number = model._default_manager.filter(**{relation.field.name: user}).count()
        if number:
            counts[model._meta.label] = counts.get(model._meta.label, 0) + number
    return counts


# --- The service -----------------------------------------------------------


@pytest.mark.django_db
def test_erasing_a_member_with_data_everywhere_leaves_no_personal_data(
    member, everywhere, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=member, by=member)

    member.refresh_from_db()
    assert member.first_name == ""
    assert member.last_name == ""
    assert member.email == f"geloescht-{member.pk}@invalid"
    assert not member.has_usable_password()
    assert member.is_active is False
    assert member.municipality is None
    assert member.language == "de"
    assert member.erased_at is not None
    assert member.get_full_name() == FORMER
    assert str(member) == FORMER

    # Nothing but the kept contributions points at the account any more.
    assert set(_rows_pointing_at(member)) <= KEPT
    # The profile keeps only the membership's dates, ended today (growth statistics).
    profile = Profile.objects.get(user=member)
    assert [getattr(profile, name) for name in Profile.EDITABLE_FIELDS] == [
        "" if name in Profile.ABOUT_FIELDS + Profile.SHARED_FIELDS else False
        for name in Profile.EDITABLE_FIELDS
    ]
    assert not profile.photo
    assert list(profile.topics.all()) == []
    assert profile.left_on == timezone.localdate()
    assert not everywhere["photo"].exists()
    assert not everywhere["speaker_photo"].exists()
    assert not TOTPDevice.objects.filter(user=member).exists()
    assert not AccessAttempt.objects.filter(username="mitglied@example.org").exists()
    assert list(everywhere["group"].members.all()) == []
    assert list(everywhere["pilot"].contacts.all()) == []

    # The kept rows carry no personal text.
    assert list(
        Registration.objects.filter(user=member).values_list(
            "dietary_needs", "accessibility_needs", "list_consent"
        )
    ) == [("", "", False), ("", "", False)]
    nomination = Nomination.objects.get(pk=everywhere["nomination"].pk)
    assert (nomination.first_name, nomination.last_name, nomination.email, nomination.reason) == (
        "",
        "",
        member.email,
        "",
    )
    assert list(nomination.invitations.values_list("email", flat=True)) == [member.email]
    speaker = everywhere["speaker"]
    speaker.refresh_from_db()
    assert (speaker.user, speaker.name, speaker.bio, speaker.organisation, speaker.photo) == (
        None,
        FORMER,
        "",
        "",
        "",
    )
    adoption = everywhere["adoption"]
    adoption.refresh_from_db()
    assert (adoption.declared_by, adoption.contact) == (member, None)

    # Contributions stay.
    assert list(everywhere["idea"].authors.all()) == [member]
    comment = everywhere["comment"]
    comment.refresh_from_db()
    assert comment.body == "Gute Sache!"
    assert comment.idea.supports.filter(user=member).exists()

    # Nowhere in the database is the old address or the name left.
    assert not _any_text_contains("mitglied@example.org")
    # The search's vocabulary of name spellings (search.NameVariant) keeps the
    # bare word, tied to no document or person, until the next rebuild.
    assert not _any_text_contains("Berger", exclude={"search.NameVariant"})

    [message] = [message for message in mailoutbox if message.to == ["mitglied@example.org"]]
    assert message.subject == "Ihr innoclub-Konto wurde gelöscht"
    assert "ehemaliges Mitglied" in message.body


def _any_text_contains(needle: str, *, exclude: set[str] | None = None) -> list[str]:
    """Models (other than the excluded) with a text column containing ``needle``."""
    from django.apps import apps

    hits = []
    for model in apps.get_models():
        if model._meta.label in (exclude or set()) or not model._meta.managed:
            continue
        text_fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, (models.CharField, models.TextField))
        ]
        if not text_fields:
            continue
        condition = models.Q()
        for name in text_fields:
            condition |= models.Q(**{f"{name}__icontains": needle})
        if model._default_manager.filter(condition).exists():
            hits.append(model._meta.label)
    return hits


@pytest.mark.django_db
def test_upcoming_registrations_are_cancelled_and_the_waitlist_moves_up(
    member, everywhere, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=member, by=member)

    registration = Registration.objects.get(pk=everywhere["registration"].pk)
    assert registration.status == RegistrationStatus.CANCELLED
    assert not WorkshopChoice.objects.filter(registration=registration).exists()
    waiting = Registration.objects.get(pk=everywhere["waiting"].pk)
    assert waiting.status == RegistrationStatus.CONFIRMED
    registration.event.refresh_from_db()
    assert registration.event.seats_taken == 1
    # The past attendance stays, as it was.
    attended = Registration.objects.get(pk=everywhere["attended"].pk)
    assert attended.status == RegistrationStatus.CONFIRMED
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        ["mitglied@example.org", waiting.user.email]
    )


@pytest.mark.django_db
def test_the_audit_log_records_the_erasure_without_name_or_address(member, everywhere, staff):
    account_erase(user=member, by=staff)

    event = AuditEvent.objects.get(action=Action.ACCOUNT_ERASED)
    assert (event.actor, event.object_id, event.object_label) == (
        staff,
        str(member.pk),
        f"Konto {member.pk}",
    )
    assert "mitglied@example.org" not in repr(
        AuditEvent.objects.filter(action=Action.ACCOUNT_ERASED).values().get()
    )
    assert "Berger" not in event.object_label


@pytest.mark.django_db
def test_a_self_erasure_logs_the_placeholder_as_actor(member):
    account_erase(user=member, by=member)

    event = AuditEvent.objects.get(action=Action.ACCOUNT_ERASED)
    assert event.actor_label == f"geloescht-{member.pk}@invalid"


@pytest.mark.django_db
def test_an_account_is_erased_only_once(member):
    account_erase(user=member, by=member)
    member.refresh_from_db()

    with pytest.raises(ErasureError):
        account_erase(user=member, by=member)
    assert AuditEvent.objects.filter(action=Action.ACCOUNT_ERASED).count() == 1


@pytest.mark.django_db
def test_the_last_office_account_cannot_be_erased(staff):
    assert account_erase_refusal(user=staff, by=staff) == (
        "Das letzte Konto der Geschäftsstelle kann nicht gelöscht werden."
    )
    with pytest.raises(ErasureError):
        account_erase(user=staff, by=staff)
    staff.refresh_from_db()
    assert staff.erased_at is None


@pytest.mark.django_db
def test_a_member_cannot_erase_someone_else(member):
    other = MemberFactory()
    with pytest.raises(ErasureError):
        account_erase(user=other, by=member)
    other.refresh_from_db()
    assert other.is_active is True


# --- What others see afterwards ---------------------------------------------


@pytest.mark.django_db
def test_contributions_are_shown_as_former_member(member, everywhere):
    reader = login_client(MemberFactory())
    account_erase(user=member, by=member)

    idea_page = reader.get(f"/ideen/{everywhere['idea'].pk}/").content.decode()
    assert FORMER in idea_page
    assert "Berger" not in idea_page
    comment_page = reader.get(f"/ideen/{everywhere['comment'].idea.pk}/").content.decode()
    assert FORMER in comment_page
    ideas_list = reader.get("/ideen/").content.decode()
    assert "Thomas Berger" not in ideas_list
    pilot_page = reader.get(f"/pilotprojekte/{everywhere['pilot'].slug}/").content.decode()
    assert "Berger" not in pilot_page


@pytest.mark.django_db
def test_the_person_disappears_from_directory_profile_search_and_api(member, everywhere, staff):
    reader = login_client(MemberFactory())
    office = login_client(staff)
    # ("Berger" also finds the forums in Heidelberg, by the end of the word.)
    assert {("member", everywhere["profile"].pk), ("idea", everywhere["idea"].pk)} <= set(
        found("Berger", staff)
    )

    account_erase(user=member, by=member)

    assert reader.get(f"/mitglieder/{member.pk}/").status_code == 404
    assert office.get(f"/mitglieder/{member.pk}/").status_code == 404
    assert "Berger" not in office.get("/mitglieder/").content.decode()
    assert [kind for kind, _id in found("Berger", staff) if kind != "event"] == []
    assert found("Bürgerbus", staff) != []  # the idea stays findable, without the name
    members = office.get("/api/v1/members").json()
    assert member.pk not in [item["id"] for item in members["items"]]
    assert office.get(f"/api/v1/members/{member.pk}").status_code == 404


# --- The member's own page --------------------------------------------------


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login(anon_client):
    response = anon_client.get(ERASE)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/")


@pytest.mark.django_db
def test_the_page_explains_what_happens_and_lists_the_forums_cancelled(
    member, member_client, everywhere
):
    page = member_client.get(ERASE).content.decode()
    assert "Konto löschen" in page
    assert everywhere["registration"].event.title in page
    assert FORMER in page


@pytest.mark.django_db
def test_the_account_page_links_to_the_deletion(member_client):
    assert ERASE in member_client.get("/konto/").content.decode()


@pytest.mark.django_db
def test_a_member_deletes_their_account_and_every_session_ends(
    member, everywhere, password, django_capture_on_commit_callbacks, mailoutbox
):
    client = login_client(member)
    other_device = login_client(member)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {everywhere['token']}"}
    assert other_device.get("/konto/").status_code == 200
    assert Client().get("/api/v1/members", **bearer).status_code == 200

    response = _erase_by_self(client, django_capture_on_commit_callbacks, password=password)

    assert response.status_code == 302
    assert response["Location"] == "/konto/geloescht/"
    assert "gelöscht" in client.get("/konto/geloescht/").content.decode()
    assert client.get("/konto/").status_code == 302
    assert other_device.get("/konto/").status_code == 302
    assert Client().get("/api/v1/members", **bearer).status_code == 401
    member.refresh_from_db()
    assert member.erased_at is not None
    assert [message.to for message in mailoutbox].count(["mitglied@example.org"]) == 1
    assert AuditEvent.objects.filter(action=Action.ACCOUNT_ERASED, actor=member).count() == 1


@pytest.mark.django_db
def test_sessions_die_without_the_session_table_too(member, password, settings):
    """With a session store that cannot be listed, the new (unusable) password
    still ends every session at its next request."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    other_device = login_client(member)
    assert other_device.get("/konto/").status_code == 200

    account_erase(user=member, by=member)

    assert other_device.get("/konto/").status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"password": "falsch-falsch-falsch"}, "password", "Das Passwort ist nicht richtig."),
        ({"password": ""}, "password", "Bitte geben Sie Ihr aktuelles Passwort ein."),
        (
            {"confirm": ""},
            "confirm",
            "Bitte bestätigen Sie, dass Sie Ihr Konto löschen möchten.",
        ),
    ],
)
def test_bad_input_is_refused_in_german_and_changes_nothing(
    member,
    member_client,
    everywhere,
    password,
    django_capture_on_commit_callbacks,
    mailoutbox,
    data,
    field,
    message,
):
    form = {"password": password, **data}
    response = _erase_by_self(member_client, django_capture_on_commit_callbacks, **form)

    assert response.status_code == 400
    assert message in response.content.decode()
    member.refresh_from_db()
    assert (member.erased_at, member.is_active, member.email) == (
        None,
        True,
        "mitglied@example.org",
    )
    assert Profile.objects.filter(user=member).exists()
    assert member_client.get("/konto/").status_code == 200
    assert mailoutbox == []
    assert not AuditEvent.objects.filter(action=Action.ACCOUNT_ERASED).exists()


@pytest.mark.django_db
def test_repeated_wrong_passwords_lock_out_without_an_error(
    member, member_client, django_capture_on_commit_callbacks, settings
):
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        response = _erase_by_self(
            member_client, django_capture_on_commit_callbacks, password="falsch-falsch-falsch"
        )
        assert response.status_code in (400, 429)
    assert response.status_code == 429
    member.refresh_from_db()
    assert member.erased_at is None


@pytest.mark.django_db
def test_the_last_office_account_cannot_delete_itself(staff, staff_client, password):
    page = staff_client.get(ERASE).content.decode()
    assert "Das letzte Konto der Geschäftsstelle kann nicht gelöscht werden." in page

    response = staff_client.post(ERASE, {"password": password, "confirm": "on"})

    assert response.status_code == 400
    staff.refresh_from_db()
    assert staff.erased_at is None


@pytest.mark.django_db
def test_an_office_account_deletes_itself_when_another_remains(staff, staff_client, password):
    StaffFactory()
    response = staff_client.post(ERASE, {"password": password, "confirm": "on"})

    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.erased_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("registrations", [1, 3])
def test_the_page_reads_a_fixed_number_of_queries(
    member, member_client, registrations, django_assert_num_queries
):
    for _number in range(registrations):
        RegistrationFactory(user=member)
    # session, user, registrations; the session's renewal (savepoint, update, release)
    with django_assert_num_queries(6):
        assert member_client.get(ERASE).status_code == 200


# --- The office's page ------------------------------------------------------


def _office_url(person: User) -> str:
    return f"/geschaeftsstelle/konten/{person.pk}/loeschen/"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anon_client", "member_client", "guest_client"])
def test_only_the_office_opens_the_office_page(request, persona):
    client = request.getfixturevalue(persona)
    person = MemberFactory()
    response = client.get(_office_url(person))
    assert response.status_code in (302, 404)
    if persona == "anon_client":
        assert response["Location"].startswith("/konto/anmelden/")
    response = client.post(_office_url(person), {"email": person.email})
    assert response.status_code in (302, 403, 404)
    person.refresh_from_db()
    assert person.erased_at is None


@pytest.mark.django_db
def test_the_office_deletes_an_account_on_request(
    staff, staff_client, everywhere, member, django_capture_on_commit_callbacks, mailoutbox
):
    page = staff_client.get(_office_url(member)).content.decode()
    assert "mitglied@example.org" in page
    member_session = login_client(member)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(_office_url(member), {"email": " Mitglied@Example.org "})

    assert response.status_code == 302
    assert response["Location"] == "/geschaeftsstelle/"
    member.refresh_from_db()
    assert member.erased_at is not None
    assert member_session.get("/konto/").status_code == 302
    assert "mitglied@example.org" in [message.to[0] for message in mailoutbox]
    assert AuditEvent.objects.get(action=Action.ACCOUNT_ERASED).actor == staff
    # An erased account has no office page any more.
    assert staff_client.get(_office_url(member)).status_code == 404


@pytest.mark.django_db
def test_the_office_must_type_the_right_address(staff_client, member):
    response = staff_client.post(_office_url(member), {"email": "jemand@example.org"})

    assert response.status_code == 400
    assert "Das ist nicht die E-Mail-Adresse des Kontos." in response.content.decode()
    member.refresh_from_db()
    assert member.erased_at is None


@pytest.mark.django_db
def test_the_office_cannot_delete_itself_there(staff, staff_client):
    StaffFactory()
    response = staff_client.post(_office_url(staff), {"email": staff.email})

    assert response.status_code == 400
    assert "Ihr eigenes Konto" in response.content.decode()
    staff.refresh_from_db()
    assert staff.erased_at is None


@pytest.mark.django_db
def test_the_office_deletes_another_office_account_but_never_the_last(staff, staff_client):
    colleague = StaffFactory(role=Role.STAFF)
    assert staff_client.post(_office_url(colleague), {"email": colleague.email}).status_code == 302
    colleague.refresh_from_db()
    assert colleague.erased_at is not None
    # Now ``staff`` is the last office account; nobody may delete it.
    assert account_erase_refusal(user=staff, by=staff) is not None


@pytest.mark.django_db
def test_the_profile_links_the_office_to_the_deletion(staff_client, member_client):
    person = ProfileFactory().user
    assert _office_url(person) in staff_client.get(f"/mitglieder/{person.pk}/").content.decode()
    assert (
        _office_url(person) not in member_client.get(f"/mitglieder/{person.pk}/").content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("registrations", [0, 3])
def test_the_office_page_reads_a_fixed_number_of_queries(
    staff_client, registrations, django_assert_num_queries
):
    person = MemberFactory()
    for _number in range(registrations):
        RegistrationFactory(user=person)
    # session, user, OTP device, the person with their municipality; the
    # session's renewal (savepoint, update, release)
    with django_assert_num_queries(7):
        assert staff_client.get(_office_url(person)).status_code == 200


@pytest.mark.django_db
def test_the_growth_statistics_keep_an_erased_member_as_having_left_today(member):
    ProfileFactory(user=member, member_since=datetime.date(2019, 3, 1))
    before = {figures.year: figures for figures in year_figures()}

    account_erase(user=member, by=member)

    after = {figures.year: figures for figures in year_figures()}
    this_year = timezone.localdate().year
    assert after[2019].joined == before[2019].joined == 1
    assert [after[year].members for year in range(2019, this_year)] == [
        before[year].members for year in range(2019, this_year)
    ]
    assert after[this_year].left == before[this_year].left + 1
    assert after[this_year].members == before[this_year].members - 1
