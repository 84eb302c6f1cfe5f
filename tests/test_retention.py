"""Retention: ``manage.py purge_personal_data`` deletes special data some days
after the event, superseded invitation links and expired data exports."""

from __future__ import annotations

import datetime
import io
import secrets
from typing import cast

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from innoclub.accounts.models import DataExport, ExportStatus, User
from innoclub.accounts.retention import personal_data_purge
from innoclub.audit.models import Action, AuditEvent
from innoclub.events.models import Event, Registration
from innoclub.network.models import Invitation, Nomination, NominationState
from tests.factories import EventFactory, NominationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

NEEDS = ("vegetarisch", "Induktionsschleife")


def _event_ended(days_ago: int) -> Event:
    last_day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return cast(
        Event, EventFactory(starts_on=last_day - datetime.timedelta(days=1), ends_on=last_day)
    )


def _registration(event: Event) -> Registration:
    return cast(
        Registration,
        RegistrationFactory(event=event, dietary_needs=NEEDS[0], accessibility_needs=NEEDS[1]),
    )


def _needs(registration: Registration) -> tuple[str, str]:
    registration.refresh_from_db()
    return (registration.dietary_needs, registration.accessibility_needs)


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


# --- Special data -----------------------------------------------------------


def test_special_data_goes_thirty_days_after_the_event_and_not_before():
    old = _registration(_event_ended(31))
    only_dietary = RegistrationFactory(event=_event_ended(45), dietary_needs="glutenfrei")
    recent = _registration(_event_ended(30))
    upcoming = _registration(EventFactory())

    output = _run()

    assert _needs(old) == ("", "")
    assert _needs(only_dietary) == ("", "")
    assert _needs(recent) == NEEDS
    assert _needs(upcoming) == NEEDS
    assert "Special data of 2 registration(s) deleted" in output
    # The registration itself (attendance) stays.
    assert Registration.objects.filter(pk=old.pk).exists()


def test_the_period_follows_the_setting(settings):
    settings.INNOCLUB_RETENTION_DAYS = 7
    old = _registration(_event_ended(8))
    recent = _registration(_event_ended(7))

    personal_data_purge()

    assert _needs(old) == ("", "")
    assert _needs(recent) == NEEDS


def test_a_dry_run_counts_and_changes_nothing():
    old = _registration(_event_ended(40))
    _nomination, [superseded, _latest] = _nomination_with_invitations(
        (60, "revoked"), (50, "expired")
    )

    output = _run("--dry-run")

    assert "Special data of 1 registration(s) would be deleted" in output
    assert "1 unusable invitation link(s) would be deleted" in output
    assert _needs(old) == NEEDS
    assert Invitation.objects.filter(pk=superseded.pk).exists()


def test_running_twice_deletes_nothing_the_second_time():
    _registration(_event_ended(40))
    _nomination_with_invitations((60, "revoked"), (50, "expired"))

    first = personal_data_purge()
    second = personal_data_purge()

    assert (first.special_data, first.invitations) == (1, 1)
    assert second == type(second)(special_data=0, invitations=0, exports=0, audit_entries=0)


# --- Invitation links ---------------------------------------------------------


def _nomination_with_invitations(
    *specs: tuple[int, str],
) -> tuple[Nomination, list[Invitation]]:
    """A nomination with one invitation per (days ago it was sent, its end:
    "revoked", "accepted", "expired" or "open"), oldest first."""
    nomination = cast(Nomination, NominationFactory(state=NominationState.INVITED))
    now = timezone.now()
    invitations = []
    for days_ago, end in specs:
        sent = now - datetime.timedelta(days=days_ago)
        invitation = Invitation.objects.create(
            nomination=nomination,
            email=nomination.email,
            token_hash=secrets.token_hex(32),
            expires_at=sent + datetime.timedelta(days=14)
            if end != "open"
            else now + datetime.timedelta(days=1),
            revoked_at=sent + datetime.timedelta(days=1) if end == "revoked" else None,
            accepted_at=sent + datetime.timedelta(days=1) if end == "accepted" else None,
        )
        Invitation.objects.filter(pk=invitation.pk).update(created_at=sent)
        invitations.append(invitation)
    return nomination, invitations


def test_superseded_unusable_invitations_go_after_the_period():
    _nomination, [_old_revoked, _old_expired, latest] = _nomination_with_invitations(
        (90, "revoked"), (70, "expired"), (50, "accepted")
    )

    result = personal_data_purge()

    assert result.invitations == 2
    assert list(Invitation.objects.values_list("pk", flat=True)) == [latest.pk]


def test_the_last_invitation_of_a_nomination_stays_as_its_history():
    nomination, [only] = _nomination_with_invitations((90, "expired"))

    personal_data_purge()

    assert list(nomination.invitations.all()) == [only]


def test_recent_and_open_invitations_stay():
    _nomination, invitations = _nomination_with_invitations(
        (20, "revoked"), (10, "revoked"), (1, "open")
    )

    personal_data_purge()

    assert Invitation.objects.count() == len(invitations)


# --- Data exports (written last: the export belongs to another part) ---------


def test_expired_data_exports_are_deleted_with_their_files(
    member: User, django_capture_on_commit_callbacks
):
    created = timezone.now() - datetime.timedelta(days=10)
    name = default_storage.save("datenexporte/alt.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18))
    expired = DataExport.objects.create(
        user=member,
        created_at=created,
        status=ExportStatus.READY,
        file_name=name,
        size=22,
        finished_at=created,
        expires_at=created + datetime.timedelta(days=7),
        token_digest=secrets.token_hex(32),
    )

    with django_capture_on_commit_callbacks(execute=True):
        dry = _run("--dry-run")
    assert "1 expired personal data export(s) would be deleted" in dry
    assert DataExport.objects.filter(pk=expired.pk).exists()
    assert default_storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        output = _run()

    assert "1 expired personal data export(s) deleted" in output
    assert not DataExport.objects.filter(pk=expired.pk).exists()
    assert not default_storage.exists(name)


# --- The audit log ------------------------------------------------------------------


def _entry(days_ago: int, label: str) -> AuditEvent:
    return AuditEvent.objects.create(
        action=Action.LOGIN,
        actor_label=label,
        created_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def test_audit_entries_go_after_their_retention_period_and_the_purge_is_recorded(settings):
    settings.INNOCLUB_AUDIT_RETENTION_DAYS = 180
    _entry(200, "alt@example.org")
    _entry(170, "juenger@example.org")

    dry = _run("--dry-run")
    assert "Audit log entries older than 180 days would be deleted: 1." in dry
    assert AuditEvent.objects.count() == 2

    output = _run()

    assert "Audit log entries older than 180 days deleted: 1." in output
    assert sorted(AuditEvent.objects.values_list("actor_label", flat=True)) == [
        "",
        "juenger@example.org",
    ]
    purge = AuditEvent.objects.get(action=Action.DELETION)
    assert purge.details == {"count": 1, "retention_days": 180}
    assert _run().endswith("deleted: 0.\n")  # nothing left to delete, nothing recorded
    assert AuditEvent.objects.filter(action=Action.DELETION).count() == 1


@pytest.mark.parametrize(("days_ago", "deleted"), [(89, False), (91, True)])
def test_the_database_deletes_only_entries_older_than_ninety_days(days_ago, deleted):
    entry = _entry(days_ago, "wer@example.org")

    if deleted:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [entry.pk])
    else:
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [entry.pk])

    assert AuditEvent.objects.filter(pk=entry.pk).exists() is not deleted


def test_an_old_entry_still_cannot_be_changed():
    entry = _entry(400, "wer@example.org")

    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(pk=entry.pk).update(actor_label="verändert")

    assert AuditEvent.objects.get(pk=entry.pk).actor_label == "wer@example.org"
