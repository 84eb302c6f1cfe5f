"""Check-in at the door and the participant's QR code."""

from __future__ import annotations

import pytest
from django.utils import timezone

from innoclub.events import services
from innoclub.events.models import Attendance, RegistrationStatus
from innoclub.events.services import RegistrationError
from tests.factories import (
    EventFactory,
    MemberFactory,
    ProfileFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return EventFactory(slug="forum", title="23. Deutschlandforum")


def checkin_url(event) -> str:
    return f"/geschaeftsstelle/foren/{event.slug}/check-in/"


# --- The service ---------------------------------------------------------------


def test_checking_in_twice_keeps_the_first_time(event):
    registration = RegistrationFactory(event=event)
    first = services.registration_check_in(registration=registration)
    second = services.registration_check_in(registration=registration)

    assert second.checked_in_at == first.checked_in_at


def test_waitlisted_person_cannot_be_checked_in(event):
    registration = RegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED)

    with pytest.raises(RegistrationError):
        services.registration_check_in(registration=registration)

    registration.refresh_from_db()
    assert registration.checked_in_at is None


# --- The page --------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["member_client", "guest_client"])
def test_check_in_page_is_for_the_office_only(request, persona, event):
    client = request.getfixturevalue(persona)
    registration = RegistrationFactory(event=event)

    assert client.get(checkin_url(event)).status_code == 404
    assert client.post(f"{checkin_url(event)}{registration.pk}/").status_code == 404
    assert client.get(f"{checkin_url(event)}code/{registration.code}/").status_code == 404
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_check_in_page_sends_anonymous_visitors_to_the_login(anon_client, event):
    response = anon_client.get(checkin_url(event))

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/")


def test_check_in_page_lists_on_site_participants_with_counts(staff_client, event):
    berger = RegistrationFactory(event=event, user=MemberFactory(last_name="Berger"))
    RegistrationFactory(
        event=event, user=MemberFactory(last_name="Albers"), checked_in_at=timezone.now()
    )
    RegistrationFactory(
        event=event, user=MemberFactory(last_name="Online"), attendance=Attendance.ONLINE
    )
    RegistrationFactory(
        event=event, user=MemberFactory(last_name="Storniert"), status=RegistrationStatus.CANCELLED
    )

    response = staff_client.get(checkin_url(event))

    assert response.status_code == 200
    names = [r.user.last_name for r in response.context["registrations"]]
    assert names == ["Albers", "Berger"]
    assert response.context["counts"].checked_in == 1
    assert response.context["counts"].expected == 2
    assert f'id="anmeldung-{berger.pk}"' in response.content.decode()


def test_search_finds_by_name_and_by_scanned_code(staff_client, event):
    berger = RegistrationFactory(
        event=event, user=MemberFactory(first_name="Thomas", last_name="Berger")
    )
    RegistrationFactory(event=event, user=MemberFactory(last_name="Albers"))

    by_name = staff_client.get(checkin_url(event), {"q": "thomas berg"})
    scanned = f"http://127.0.0.1:8000/geschaeftsstelle/foren/forum/check-in/code/{berger.code}/"
    by_code = staff_client.get(checkin_url(event), {"q": scanned})

    assert by_name.context["registrations"] == [berger]
    assert by_code.context["registrations"] == [berger]


def test_htmx_search_answers_with_the_results_only(staff_client, event):
    RegistrationFactory(event=event, user=MemberFactory(last_name="Berger"))

    response = staff_client.get(checkin_url(event), {"q": "Berger"}, HTTP_HX_REQUEST="true")

    content = response.content.decode()
    assert "<html" not in content
    assert "Berger" in content
    assert response["Vary"].count("HX-Request") == 1


def test_one_tap_checks_in_and_htmx_swaps_row_and_counts(staff_client, event):
    registration = RegistrationFactory(event=event)

    response = staff_client.post(
        f"{checkin_url(event)}{registration.pk}/", {"action": "in"}, HTTP_HX_REQUEST="true"
    )

    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    content = response.content.decode()
    assert content.startswith(
        f'<li class="checkin-row checkin-row--in" id="anmeldung-{registration.pk}"'
    )
    assert 'id="checkin-counts" data-hx-swap-oob="innerHTML"' in content
    assert '<span class="checkin__number">1</span>' in content


def test_undo_takes_the_check_in_back_without_javascript(staff_client, event):
    registration = RegistrationFactory(event=event, checked_in_at=timezone.now())

    response = staff_client.post(
        f"{checkin_url(event)}{registration.pk}/", {"action": "undo", "q": "Muster"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{checkin_url(event)}?q=Muster"
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_checking_in_a_waitlisted_person_is_refused_with_a_message(staff_client, event):
    registration = RegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED)

    response = staff_client.post(
        f"{checkin_url(event)}{registration.pk}/", {"action": "in"}, follow=True
    )

    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_registration_of_another_event_answers_404(staff_client, event):
    other = RegistrationFactory(event=EventFactory())

    assert staff_client.post(f"{checkin_url(event)}{other.pk}/").status_code == 404
    assert staff_client.get(f"{checkin_url(event)}code/{other.code}/").status_code == 404
    other.refresh_from_db()
    assert other.checked_in_at is None


def test_scanned_code_opens_the_persons_row(staff_client, event):
    registration = RegistrationFactory(event=event)
    RegistrationFactory(event=event)

    response = staff_client.get(f"{checkin_url(event)}code/{registration.code}/")

    assert response.status_code == 200
    assert response.context["registrations"] == [registration]


def test_scanned_code_of_a_cancelled_registration_says_so(staff_client, event):
    registration = RegistrationFactory(event=event, status=RegistrationStatus.CANCELLED)

    response = staff_client.get(f"{checkin_url(event)}code/{registration.code}/")

    assert response.context["registrations"] == []
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_check_in_list_query_budget(staff_client, event, django_assert_num_queries):
    RegistrationFactory(event=event)
    staff_client.get(checkin_url(event))  # the first request stores the session's clock
    # Session, user, second factor, event, the list, the counts.
    with django_assert_num_queries(6):
        staff_client.get(checkin_url(event))
    for _ in range(6):
        ProfileFactory(user=RegistrationFactory(event=event).user)
    with django_assert_num_queries(6):
        staff_client.get(checkin_url(event))


# --- QR code ----------------------------------------------------------------------


def test_participant_sees_own_qr_code(member, member_client, event):
    RegistrationFactory(event=event, user=member)

    response = member_client.get("/foren/forum/anmeldung/qr.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"<?xml")
    assert b"<svg" in response.content


@pytest.mark.parametrize(
    "status", [RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED, None]
)
def test_no_qr_code_without_a_confirmed_registration(member, member_client, event, status):
    if status is not None:
        RegistrationFactory(event=event, user=member, status=status)
    RegistrationFactory(event=event)  # somebody else's

    assert member_client.get("/foren/forum/anmeldung/qr.svg").status_code == 404


def test_qr_code_holds_the_check_in_address(member, event):
    from innoclub.events.onsite import checkin_url as qr_target

    registration = RegistrationFactory(event=event, user=member)

    assert qr_target(registration, event) == (
        f"http://127.0.0.1:8000/geschaeftsstelle/foren/forum/check-in/code/{registration.code}/"
    )
