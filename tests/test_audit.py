"""The audit log: security events and staff actions are recorded when they
happen, nobody can change or delete an entry, and the office searches it on
/geschaeftsstelle/protokoll/."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import timezone

from innoclub.accounts.models import Role, User
from innoclub.audit.models import Action, AuditEvent
from innoclub.audit.services import audit_record
from innoclub.events.models import RegistrationStatus
from innoclub.ideas.models import Stage
from innoclub.network.models import Topic
from tests.factories import EventFactory, MemberFactory, RegistrationFactory, TopicFactory
from tests.ideas_factories import IdeaFactory

pytestmark = pytest.mark.django_db

LOG = "/geschaeftsstelle/protokoll/"
LOGIN = "/konto/anmelden/"
ADDRESS = "198.51.100.23"


def entries(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def record(action: str = Action.EXPORT, *, when: datetime.datetime | None = None, **fields):
    """An entry as the application writes it, backdated where a test needs it.

    The triggers refuse UPDATE, so the time is chosen before the INSERT."""
    values = {"action": action, "actor_label": "", "object_label": "", **fields}
    if when is not None:
        values["created_at"] = when
    return AuditEvent.objects.create(**values)


# --- Security events ---------------------------------------------------------------


def test_a_login_is_recorded_with_the_person_and_the_address(member, password):
    client = Client(REMOTE_ADDR=ADDRESS)

    client.post(LOGIN, {"username": member.email, "password": password})

    [login] = entries(Action.LOGIN)
    assert (login.actor_id, login.actor_label, login.ip_address) == (
        member.pk,
        "mitglied@example.org",
        ADDRESS,
    )


def test_a_failed_login_records_the_address_tried_but_never_the_password(member):
    client = Client(REMOTE_ADDR=ADDRESS)

    client.post(LOGIN, {"username": "Mitglied@Example.org", "password": "falsch-falsch-1"})

    [failed] = entries(Action.LOGIN_FAILED)
    assert failed.actor_id is None
    assert failed.object_label == "mitglied@example.org"
    assert failed.details == {"email": "mitglied@example.org"}
    assert failed.ip_address == ADDRESS
    assert "falsch" not in str(failed.details) + failed.object_label + failed.actor_label
    assert entries(Action.LOGIN) == []


def test_a_lockout_is_recorded_once_after_the_limit_of_failures(member, password):
    client = Client(REMOTE_ADDR=ADDRESS)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": member.email, "password": "falsch-falsch-1"})

    locked = client.post(LOGIN, {"username": member.email, "password": password})

    assert locked.status_code == 429
    [lockout] = entries(Action.LOCKOUT)
    assert (lockout.object_label, lockout.ip_address) == (member.email, ADDRESS)
    assert lockout.details["failures"] == settings.AXES_FAILURE_LIMIT
    assert len(entries(Action.LOGIN_FAILED)) == settings.AXES_FAILURE_LIMIT + 1
    assert entries(Action.LOGIN) == []


def test_a_logout_is_recorded(member, password):
    client = Client(REMOTE_ADDR=ADDRESS)
    client.post(LOGIN, {"username": member.email, "password": password})

    client.post("/konto/abmelden/")

    [logout] = entries(Action.LOGOUT)
    assert (logout.actor_id, logout.ip_address) == (member.pk, ADDRESS)


def test_logging_out_without_a_login_records_nothing(anon_client):
    anon_client.post("/konto/abmelden/")

    assert entries(Action.LOGOUT) == []


# --- Staff actions -----------------------------------------------------------------


def admin_user_form(user: User, **changes: str) -> dict[str, str]:
    joined = timezone.localtime(user.date_joined)
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "municipality": "",
        "language": user.language,
        "role": user.role,
        "is_active": "on",
        "date_joined_0": joined.strftime("%d.%m.%Y"),
        "date_joined_1": joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
        "_save": "Sichern",
    }
    data.update(changes)
    return data


def test_a_role_change_in_the_admin_is_recorded(staff_client, staff, member):
    response = staff_client.post(
        f"/admin/accounts/user/{member.pk}/change/", admin_user_form(member, role=Role.STAFF)
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.role == Role.STAFF
    [change] = entries(Action.ROLE_CHANGED)
    assert (change.actor_id, change.object_type, change.object_id) == (
        staff.pk,
        "accounts.User",
        str(member.pk),
    )
    assert change.details == {"from": "member", "to": "staff"}
    assert change.ip_address == "127.0.0.1"
    [admin_change] = entries(Action.ADMIN_CHANGE)
    assert admin_change.object_label == str(member)
    assert "Rolle" in admin_change.details["change"]


def test_saving_a_user_in_the_admin_without_a_new_role_records_no_role_change(staff_client, member):
    response = staff_client.post(
        f"/admin/accounts/user/{member.pk}/change/", admin_user_form(member, first_name="Tom")
    )

    assert response.status_code == 302
    assert entries(Action.ROLE_CHANGED) == []
    assert len(entries(Action.ADMIN_CHANGE)) == 1


def test_a_stage_change_by_the_office_is_recorded(staff_client, staff):
    idea = IdeaFactory(title="Digitale Bauakte")

    response = staff_client.post(
        f"/ideen/{idea.pk}/phase/", {"to_stage": "konzept", "rationale": "Bitte ausarbeiten."}
    )

    assert response.status_code == 302
    [change] = entries(Action.STAGE_CHANGED)
    assert (change.actor_id, change.object_label, change.object_id) == (
        staff.pk,
        "Digitale Bauakte",
        str(idea.pk),
    )
    assert change.details == {"from": Stage.IDEA, "to": Stage.CONCEPT}


def test_a_refused_stage_change_records_nothing(staff_client):
    idea = IdeaFactory()

    staff_client.post(f"/ideen/{idea.pk}/phase/", {"to_stage": "transfer", "rationale": "Los."})

    assert entries(Action.STAGE_CHANGED) == []


def test_registrations_changed_by_the_office_are_recorded(staff_client, staff):
    event = EventFactory(title="Deutschlandforum 2027", capacity=1)
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(
        event=event, status=RegistrationStatus.WAITLISTED, user__email="wartend@example.org"
    )
    base = f"/geschaeftsstelle/foren/{event.slug}/anmeldungen/{waiting.pk}"

    staff_client.post(f"{base}/bestaetigen/")
    staff_client.post(f"{base}/stornieren/")

    confirmed, cancelled = entries(Action.REGISTRATION_OVERRIDDEN)
    assert confirmed.details["change"] == "confirmed"
    assert confirmed.details["status"] == RegistrationStatus.CONFIRMED
    assert cancelled.details["change"] == "cancelled"
    assert cancelled.details["status"] == RegistrationStatus.CANCELLED
    assert {confirmed.actor_id, cancelled.actor_id} == {staff.pk}
    assert cancelled.object_label == "wartend@example.org – Deutschlandforum 2027"
    assert cancelled.object_id == str(waiting.pk)


def test_a_refused_registration_change_records_nothing(staff_client):
    registration = RegistrationFactory()

    staff_client.post(
        f"/geschaeftsstelle/foren/{registration.event.slug}/anmeldungen/"
        f"{registration.pk}/bestaetigen/"
    )

    assert entries(Action.REGISTRATION_OVERRIDDEN) == []


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("/geschaeftsstelle/exporte/ideen.csv", "Ideen"),
        ("/geschaeftsstelle/exporte/mitglieder.xlsx", "Mitglieder und Partner"),
        ("/geschaeftsstelle/statistik/bundeslaender.csv", "Statistik zum Wachstum"),
        ("/mitglieder/export.csv", "Mitgliederverzeichnis"),
    ],
)
def test_each_staff_export_download_is_recorded_with_its_name(staff_client, staff, url, label):
    response = staff_client.get(url)

    assert response.status_code == 200
    [export] = entries(Action.EXPORT)
    assert (export.actor_id, export.object_label) == (staff.pk, label)
    assert export.details["file"].rsplit(".", 1)[-1] == url.rsplit(".", 1)[-1]


def test_the_registrations_of_one_forum_as_csv_are_recorded(staff_client):
    event = EventFactory(title="Deutschlandforum 2027")

    staff_client.get(f"/geschaeftsstelle/foren/{event.slug}/anmeldungen/export.csv")

    [export] = entries(Action.EXPORT)
    assert export.object_label == "Anmeldungen – Deutschlandforum 2027"
    assert export.details == {"file": f"anmeldungen-{event.slug}.csv"}


def test_a_deletion_in_the_admin_is_recorded(staff_client, staff):
    topic = TopicFactory(name="Wärmeplanung")

    response = staff_client.post(f"/admin/network/topic/{topic.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Topic.objects.filter(pk=topic.pk).exists()
    [deletion] = entries(Action.DELETION)
    assert (deletion.actor_id, deletion.object_type, deletion.object_id) == (
        staff.pk,
        "network.Topic",
        str(topic.pk),
    )
    assert deletion.object_label == "Wärmeplanung"
    assert deletion.ip_address == "127.0.0.1"


def test_deleting_several_at_once_in_the_admin_records_each(staff_client):
    topics = [TopicFactory(name="Wärmeplanung"), TopicFactory(name="Bürgerbeteiligung")]

    response = staff_client.post(
        "/admin/network/topic/",
        {
            "action": "delete_selected",
            "_selected_action": [str(topic.pk) for topic in topics],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert sorted(entry.object_label for entry in entries(Action.DELETION)) == [
        "Bürgerbeteiligung",
        "Wärmeplanung",
    ]


def test_deleting_an_account_keeps_its_entries_and_who_it_was(staff_client, password):
    person = MemberFactory(email="geht@example.org")
    Client().post(LOGIN, {"username": person.email, "password": password})

    response = staff_client.post(f"/admin/accounts/user/{person.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=person.pk).exists()
    [login] = AuditEvent.objects.filter(action=Action.LOGIN, actor_id=person.pk)
    assert login.actor_label == "geht@example.org"


# --- Append-only -------------------------------------------------------------------


def test_the_orm_cannot_change_or_delete_an_entry(staff):
    entry = audit_record(action=Action.EXPORT, actor=staff, object_label="Ideen")

    entry.object_label = "etwas anderes"
    attempts = [
        entry.save,
        entry.delete,
        lambda: AuditEvent.objects.filter(pk=entry.pk).update(object_label="verändert"),
        lambda: AuditEvent.objects.all().delete(),
    ]
    for attempt in attempts:
        with pytest.raises(IntegrityError), transaction.atomic():
            attempt()

    assert AuditEvent.objects.get().object_label == "Ideen"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET object_label = 'verändert'",
        "DELETE FROM audit_auditevent",
    ],
)
def test_raw_sql_cannot_change_or_delete_an_entry(staff, sql):
    audit_record(action=Action.EXPORT, actor=staff, object_label="Ideen")

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)

    assert AuditEvent.objects.get().object_label == "Ideen"


def test_the_admin_shows_entries_but_offers_no_add_change_or_delete(staff_client, staff):
    entry = audit_record(action=Action.EXPORT, actor=staff, object_label="Ideen")
    base = "/admin/audit/auditevent/"

    listing = staff_client.get(base + "?q=Ideen")
    detail = staff_client.get(f"{base}{entry.pk}/change/")

    assert listing.status_code == detail.status_code == 200
    assert "Ideen" in listing.content.decode()
    assert not listing.context["has_add_permission"]
    assert listing.context["cl"].model_admin.get_actions(listing.wsgi_request) == {}
    assert not detail.context["has_change_permission"]
    assert not detail.context["has_delete_permission"]
    assert staff_client.get(base + "add/").status_code == 403
    assert staff_client.post(f"{base}{entry.pk}/change/", {"object_label": "x"}).status_code == 403
    assert staff_client.post(f"{base}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.get(pk=entry.pk).object_label == "Ideen"


# --- The office's page -------------------------------------------------------------


def test_only_the_office_may_open_the_log(anon_client, member_client, guest_client, staff_client):
    for url in (LOG, LOG + "export.csv"):
        assert anon_client.get(url)["Location"].startswith("/konto/anmelden/?next=")
        assert member_client.get(url).status_code == 404
        assert guest_client.get(url).status_code == 404
    assert staff_client.get(LOG).status_code == 200


def test_the_office_start_page_links_to_the_log(staff_client):
    assert f'href="{LOG}"' in staff_client.get("/geschaeftsstelle/").content.decode()


def test_the_log_shows_entries_newest_first_in_german(staff_client):
    now = timezone.now()
    record(Action.LOCKOUT, when=now - datetime.timedelta(hours=2), object_label="alt@example.org")
    record(
        Action.ROLE_CHANGED,
        when=now - datetime.timedelta(hours=1),
        actor_label="office@example.org",
        object_type="accounts.User",
        object_label="Thomas Berger",
        ip_address="203.0.113.5",
        details={"from": "member", "to": "staff"},
    )

    page = staff_client.get(LOG).content.decode()

    assert page.index("Thomas Berger") < page.index("alt@example.org")
    assert "Rolle geändert" in page
    assert "Mitglied → Geschäftsstelle" in page
    assert "203.0.113.5" in page


def shown(response) -> list[str]:
    """The objects of the entries on the page (the office's own login has none)."""
    return [row.event.object_label for row in response.context["rows"] if row.event.object_label]


def test_the_search_finds_person_object_and_address(staff_client):
    record(actor_label="katrin@example.org", object_label="Ideen")
    record(actor_label="jonas@example.org", object_label="Mitglieder", ip_address="203.0.113.9")
    record(actor_label="jonas@example.org", object_label="Pilotprojekte")

    assert shown(staff_client.get(LOG, {"q": "KATRIN"})) == ["Ideen"]
    assert shown(staff_client.get(LOG, {"q": "mitglieder"})) == ["Mitglieder"]
    assert shown(staff_client.get(LOG, {"q": "203.0.113"})) == ["Mitglieder"]
    assert shown(staff_client.get(LOG, {"q": "jonas pilot"})) == ["Pilotprojekte"]


def test_the_log_filters_by_action_and_by_days(staff_client):
    today = timezone.localtime()
    record(Action.LOGIN, object_label="heute")
    record(Action.EXPORT, object_label="heute exportiert")
    record(Action.LOGIN, when=today - datetime.timedelta(days=3), object_label="vor drei Tagen")
    record(Action.LOGIN, when=today - datetime.timedelta(days=10), object_label="vor zehn Tagen")
    day = today - datetime.timedelta(days=3)

    assert shown(staff_client.get(LOG, {"aktion": "export"})) == ["heute exportiert"]
    assert shown(staff_client.get(LOG, {"aktion": "login", "von": day.date().isoformat()})) == [
        "heute",
        "vor drei Tagen",
    ]
    assert shown(staff_client.get(LOG, {"bis": day.date().isoformat()})) == [
        "vor drei Tagen",
        "vor zehn Tagen",
    ]


def test_the_log_comes_in_pages_of_fifty(staff_client):
    now = timezone.now()
    for number in range(55):
        record(when=now - datetime.timedelta(minutes=number), object_label=f"Export {number}")

    first = staff_client.get(LOG, {"q": "Export"})
    second = staff_client.get(LOG, {"q": "Export", "seite": "2"})

    assert len(first.context["rows"]) == 50
    assert shown(second) == [f"Export {number}" for number in range(50, 55)]
    assert "Seite 1 von 2" in first.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"von": "31.02.2026"}, "Bitte geben Sie ein Datum ein"),
        ({"bis": "gestern"}, "Bitte geben Sie ein Datum ein"),
        ({"von": "2026-03-10", "bis": "2026-03-01"}, "Das Ende liegt vor dem Anfang."),
        ({"aktion": "hacking"}, "Bitte wählen Sie eine der aufgeführten Aktionen."),
    ],
)
def test_bad_filters_get_a_german_message_not_an_error(staff_client, query, message):
    record(object_label="Ideen")

    response = staff_client.get(LOG, query)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert shown(response) == ["Ideen"]


def test_a_long_search_is_refused_politely(staff_client):
    response = staff_client.get(LOG, {"q": "x" * 500})

    assert response.status_code == 400
    assert "höchstens 100 Zeichen" in response.content.decode()


@pytest.mark.parametrize("items", [1, 60])
def test_log_query_budget(staff_client, django_assert_num_queries, items):
    for number in range(items):
        record(
            Action.ROLE_CHANGED,
            actor_label="office@example.org",
            object_type="accounts.User",
            object_label=f"Person {number}",
            details={"from": "member", "to": "staff"},
        )
    staff_client.get(LOG)  # the session's first read

    # session, user, OTP device; the count and the page of entries
    with django_assert_num_queries(5):
        response = staff_client.get(LOG, {"q": "Person"})

    assert response.status_code == 200


def test_the_csv_download_holds_the_filtered_entries_safely_and_is_itself_recorded(
    staff_client, staff
):
    record(Action.LOGIN_FAILED, object_label="=HYPERLINK(1)")
    record(Action.EXPORT, object_label="Ideen", details={"file": "innoclub-ideen.csv"})

    response = staff_client.get(LOG + "export.csv", {"aktion": "login_failed"})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="innoclub-protokoll-')
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Zeit;Aktion;Von;Objekt;IP-Adresse;Details"
    assert len(lines) == 2
    assert ";'=HYPERLINK(1);" in lines[1]
    assert "Ideen" not in response.content.decode()
    export = AuditEvent.objects.filter(action=Action.EXPORT, actor=staff).get()
    assert export.object_label == "Protokoll"
    assert export.details["filters"] == "aktion=login_failed"


def test_the_csv_download_with_a_bad_filter_gets_the_page_with_the_message(staff_client):
    response = staff_client.get(LOG + "export.csv", {"von": "morgen"})

    assert response.status_code == 400
    assert "Bitte geben Sie ein Datum ein" in response.content.decode()
    assert entries(Action.EXPORT) == []
