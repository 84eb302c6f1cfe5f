"""Recruitment of new members: nomination → review → invitation → onboarding."""

from __future__ import annotations

import datetime
import hashlib
import re
import threading
from collections.abc import Callable
from io import BytesIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from PIL import Image

from innoclub.accounts.models import Role, User
from innoclub.network import recruitment as services
from innoclub.network.models import Invitation, Nomination, NominationState, Profile
from tests.conftest import login_client
from tests.factories import (
    PASSWORD,
    MemberFactory,
    MunicipalityFactory,
    NominationFactory,
    StaffFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

NOMINATE = "/mitglieder/vorschlagen/"
MY_NOMINATIONS = "/mitglieder/vorschlaege/"
PIPELINE = "/geschaeftsstelle/aufnahme/"
NEW_PASSWORD = "Rathaus-Fahrrad-Kompass-2031"
LINK = re.compile(r"(https?://[^/\s\"]+)/einladung/([A-Za-z0-9_-]+)/")


def already_nominated_message() -> str:
    return gettext(
        "This person has already been nominated and the club office is looking at the "
        "nomination. There is nothing more you need to do."
    )


def review_url(nomination: Nomination) -> str:
    return f"/geschaeftsstelle/aufnahme/{nomination.pk}/"


def nomination_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "first_name": "Jana",
        "last_name": "Neumann",
        "function": "buergermeister",
        "position": "",
        "municipality": MunicipalityFactory.create().pk,
        "organisation": "",
        "email": "jana.neumann@example.org",
        "reason": "Hat in ihrer Stadt die digitale Bauakte eingeführt.",
    }
    data.update(overrides)
    return data


def invite(nomination: Nomination, staff: User, capture: Callable) -> str:
    """Accept (if needed) and invite through the services; return the token from the e-mail."""
    if nomination.state == NominationState.NOMINATED:
        nomination = services.nomination_accept(nomination=nomination, decided_by=staff)
    with capture(execute=True):
        services.invitation_send(nomination=nomination, sent_by=staff)
    return token_from_mail(mail.outbox[-1])


def token_from_mail(message: mail.EmailMessage) -> str:
    found = LINK.search(str(message.body))
    assert found is not None, message.body
    return found.group(2)


def onboarding_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "first_name": "Jana",
        "last_name": "Neumann",
        "email": "jana.neumann@example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "academic_title": "Dr.",
        "function": "buergermeister",
        "position": "Bürgermeisterin",
        "bio": "Seit 2020 im Amt.",
        "in_directory": "on",
        "show_bio": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def invited(staff, django_capture_on_commit_callbacks):
    """A nomination of Jana Neumann, accepted and invited; with the token from the e-mail."""
    nomination = NominationFactory(email="jana.neumann@example.org", last_name="Neumann")
    token = invite(nomination, staff, django_capture_on_commit_callbacks)
    nomination.refresh_from_db()
    return nomination, token


def nothing_joined(nomination: Nomination) -> bool:
    nomination.refresh_from_db()
    return (
        nomination.state == NominationState.INVITED
        and nomination.joined_user is None
        and not User.objects.filter(email=nomination.email).exists()
        and not Invitation.objects.filter(nomination=nomination, accepted_at__isnull=False).exists()
    )


# --- Nominating -------------------------------------------------------------------


def test_member_nominates_a_person_and_follows_the_nomination(member_client, member):
    response = member_client.post(NOMINATE, nomination_data(email="Jana.Neumann@Example.org"))

    assert response.status_code == 302
    assert response["Location"] == MY_NOMINATIONS
    nomination = Nomination.objects.get()
    assert nomination.nominated_by == member
    assert nomination.email == "jana.neumann@example.org"
    assert nomination.state == NominationState.NOMINATED
    page = member_client.get(MY_NOMINATIONS)
    assert list(page.context["nominations"]) == [nomination]
    assert "Jana Neumann" in page.content.decode()


def test_nomination_needs_a_function_or_position_and_a_municipality_or_organisation(
    member_client,
):
    response = member_client.post(
        NOMINATE, nomination_data(function="", position="", municipality="", organisation="")
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["function"] == [
        gettext("Please choose a function or describe the position of the person.")
    ]
    assert errors["municipality"] == [
        gettext("Please choose a municipality or name the organisation.")
    ]
    assert Nomination.objects.count() == 0


def test_a_position_and_an_organisation_are_enough(member_client):
    response = member_client.post(
        NOMINATE,
        nomination_data(
            function="",
            position="Leiterin Digitallabor",
            municipality="",
            organisation="Uni Kassel",
        ),
    )

    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert (nomination.position, nomination.organisation, nomination.municipality) == (
        "Leiterin Digitallabor",
        "Uni Kassel",
        None,
    )


@pytest.mark.parametrize("typed", ["mitglied@example.org", "Mitglied@Example.ORG"])
def test_nominating_someone_with_an_account_is_refused(member_client, typed):
    MemberFactory(email="andere@example.org")

    response = member_client.post(NOMINATE, nomination_data(email=typed))

    assert response.status_code == 400
    assert response.context["form"].errors["email"] == [
        gettext(
            "This person already has an account on innoclub, so there is no need to nominate them."
        )
    ]
    assert Nomination.objects.count() == 0


@pytest.mark.parametrize(
    "state", [NominationState.NOMINATED, NominationState.ACCEPTED, NominationState.INVITED]
)
def test_nominating_someone_already_in_an_open_nomination_is_refused(member_client, state):
    NominationFactory(email="jana.neumann@example.org", state=state)

    response = member_client.post(NOMINATE, nomination_data(email="JANA.Neumann@example.org"))

    assert response.status_code == 400
    assert response.context["form"].errors["email"] == [already_nominated_message()]
    assert Nomination.objects.count() == 1


def test_after_a_decline_the_person_can_be_nominated_again(member_client):
    NominationFactory(email="jana.neumann@example.org", state=NominationState.DECLINED)

    response = member_client.post(NOMINATE, nomination_data())

    assert response.status_code == 302
    assert Nomination.objects.filter(state=NominationState.NOMINATED).count() == 1


def test_nomination_service_refuses_duplicates_with_a_message(member):
    NominationFactory(email="jana.neumann@example.org")

    with pytest.raises(services.RecruitmentError) as refused:
        services.nomination_create(
            nominated_by=member,
            first_name="Jana",
            last_name="Neumann",
            email="Jana.Neumann@example.org",
            reason="Gute Ideen.",
            function="buergermeister",
        )

    assert refused.value.code == "already_nominated"
    assert Nomination.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_simultaneous_double_submit_stores_one_nomination() -> None:
    member = MemberFactory.create()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit() -> None:
        try:
            barrier.wait()
            services.nomination_create(
                nominated_by=member,
                first_name="Jana",
                last_name="Neumann",
                email="jana.neumann@example.org",
                reason="Gute Ideen.",
                function="buergermeister",
            )
            outcomes.append("stored")
        except services.RecruitmentError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["already_nominated", "stored"]
    assert Nomination.objects.count() == 1


# --- Who may do what -------------------------------------------------------------------


def _setup(action, staff):
    """Method, URL, data, the nomination concerned and its state after a successful request."""
    nominated = NominationFactory()
    if action == "nominate_form":
        return "get", NOMINATE, {}, None, ""
    if action == "nominate":
        return "post", NOMINATE, nomination_data(), None, ""
    if action == "own_list":
        return "get", MY_NOMINATIONS, {}, None, ""
    if action == "pipeline":
        return "get", PIPELINE, {}, None, ""
    if action == "review":
        return "get", review_url(nominated), {}, nominated, NominationState.NOMINATED
    if action == "accept":
        return "post", review_url(nominated) + "annehmen/", {}, nominated, "accepted"
    if action == "decline":
        data = {"reason": "Passt nicht."}
        return "post", review_url(nominated) + "ablehnen/", data, nominated, "declined"
    accepted = services.nomination_accept(nomination=nominated, decided_by=staff)
    if action == "send":
        return "post", review_url(accepted) + "einladung-senden/", {}, accepted, "invited"
    invited = services.invitation_send(nomination=accepted, sent_by=staff)
    nomination = invited.nomination
    if action == "resend":
        url = review_url(nomination) + "einladung-erneut-senden/"
        return "post", url, {}, nomination, "invited"
    assert action == "revoke"
    return "post", review_url(nomination) + "einladung-zurueckziehen/", {}, nomination, "accepted"


MATRIX = {
    # action: (anonymous, guest, member, staff) -> expected status
    "nominate_form": (302, 404, 200, 200),
    "nominate": (302, 404, 302, 302),
    "own_list": (302, 404, 200, 200),
    "pipeline": (302, 404, 404, 200),
    "review": (302, 404, 404, 200),
    "accept": (302, 404, 404, 302),
    "decline": (302, 404, 404, 302),
    "send": (302, 404, 404, 302),
    "resend": (302, 404, 404, 302),
    "revoke": (302, 404, 404, 302),
}
PERSONAS = ("anon", "guest", "member", "staff")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", MATRIX)
def test_access_matrix(request, persona, action, staff):
    method, url, data, nomination, state_after = _setup(action, staff)
    state_before = nomination.state if nomination else ""
    invitations_before = Invitation.objects.count()
    client = request.getfixturevalue(f"{persona}_client")

    response = getattr(client, method)(url, data)

    expected = MATRIX[action][PERSONAS.index(persona)]
    assert response.status_code == expected
    if persona == "anon":
        assert response["Location"].startswith("/konto/anmelden/?next=")
    allowed = expected in (200, 302) and persona != "anon"
    if nomination is not None:
        nomination.refresh_from_db()
        assert nomination.state == (state_after if allowed else state_before)
    if action == "nominate":
        assert Nomination.objects.filter(email="jana.neumann@example.org").exists() == allowed
    if action in ("send", "resend") and not allowed:
        assert Invitation.objects.count() == invitations_before


def test_a_member_sees_only_their_own_nominations(member_client, member):
    own = NominationFactory(nominated_by=member)
    someone_elses = NominationFactory(first_name="Geheim")

    response = member_client.get(MY_NOMINATIONS)

    assert list(response.context["nominations"]) == [own]
    assert "Geheim" not in response.content.decode()
    assert member_client.get(review_url(someone_elses)).status_code == 404
    # Nothing in the address lets a member ask for another member's list.
    assert member_client.get(MY_NOMINATIONS, {"von": someone_elses.nominated_by.pk}).context[
        "nominations"
    ] == [own]


# --- The office decides ------------------------------------------------------------------


def test_office_accepts_a_nomination(staff_client, staff):
    nomination = NominationFactory()

    response = staff_client.post(review_url(nomination) + "annehmen/")

    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.state == NominationState.ACCEPTED
    assert nomination.decided_by == staff
    assert nomination.decided_at is not None


def test_declining_needs_a_reason(staff_client):
    nomination = NominationFactory()

    response = staff_client.post(review_url(nomination) + "ablehnen/", {"reason": "  "})

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "reason": [
            gettext("Please give a reason for declining. The nominating member will see it.")
        ]
    }
    nomination.refresh_from_db()
    assert nomination.state == NominationState.NOMINATED
    assert nomination.decided_at is None


def test_the_decline_service_refuses_an_empty_reason(staff):
    nomination = NominationFactory()

    with pytest.raises(services.RecruitmentError) as refused:
        services.nomination_decline(nomination=nomination, decided_by=staff, reason=" ")

    assert refused.value.code == "reason_missing"
    nomination.refresh_from_db()
    assert nomination.state == NominationState.NOMINATED


def test_the_nominating_member_sees_the_decline_and_its_reason(staff_client, member_client, member):
    nomination = NominationFactory(nominated_by=member)

    staff_client.post(
        review_url(nomination) + "ablehnen/",
        {"reason": "Die Kommune ist bereits durch Herrn Kaya vertreten."},
    )

    page = member_client.get(MY_NOMINATIONS).content.decode()
    nomination.refresh_from_db()
    assert nomination.state == NominationState.DECLINED
    assert "Die Kommune ist bereits durch Herrn Kaya vertreten." in page


def test_a_second_decision_is_refused_with_a_message(staff_client, staff):
    nomination = NominationFactory()
    services.nomination_accept(nomination=nomination, decided_by=staff)

    response = staff_client.post(review_url(nomination) + "annehmen/", follow=True)

    messages = [str(m) for m in response.context["messages"]]
    assert messages == [gettext("This nomination has already been decided.")]


def test_decided_nominations_are_not_decided_again(staff):
    nomination = NominationFactory(state=NominationState.INVITED)

    with pytest.raises(services.RecruitmentError):
        services.nomination_decline(nomination=nomination, decided_by=staff, reason="Doch nicht.")

    nomination.refresh_from_db()
    assert nomination.state == NominationState.INVITED


# --- The invitation ---------------------------------------------------------------------------


def test_the_invitation_link_is_built_from_the_site_url_not_the_host_header(
    staff_client, staff, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://innoclub.example"
    settings.ALLOWED_HOSTS = ["innoclub.example", "evil.example", "testserver"]
    nomination = services.nomination_accept(nomination=NominationFactory(), decided_by=staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            review_url(nomination) + "einladung-senden/", HTTP_HOST="evil.example"
        )

    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [nomination.email]
    found = LINK.search(str(message.body))
    assert found is not None
    assert found.group(1) == "https://innoclub.example"
    assert "evil.example" not in message.body
    html = str(message.alternatives[0][0])
    assert "evil.example" not in html
    assert f"https://innoclub.example/einladung/{found.group(2)}/" in html


def test_the_token_is_stored_only_as_its_hash(invited):
    nomination, token = invited

    invitation = Invitation.objects.get(nomination=nomination)
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert len(token) >= 43
    stored = [str(value) for value in Invitation.objects.values_list().get()]
    assert all(token not in value for value in stored)
    assert invitation.email == nomination.email
    assert nomination.state == NominationState.INVITED


def test_the_invitation_expires_after_the_configured_days(
    staff, settings, django_capture_on_commit_callbacks
):
    settings.INNOCLUB_INVITATION_DAYS = 3
    before = timezone.now()

    invite(NominationFactory(), staff, django_capture_on_commit_callbacks)

    invitation = Invitation.objects.get()
    assert before + datetime.timedelta(days=3) <= invitation.expires_at
    assert invitation.expires_at <= timezone.now() + datetime.timedelta(days=3)


def test_two_clicks_on_send_create_one_invitation(
    staff_client, staff, django_capture_on_commit_callbacks
):
    nomination = services.nomination_accept(nomination=NominationFactory(), decided_by=staff)
    url = review_url(nomination) + "einladung-senden/"

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url)
        second = staff_client.post(url, follow=True)

    assert Invitation.objects.filter(nomination=nomination).count() == 1
    assert len(mail.outbox) == 1
    # The first answer's message is shown together with the second's.
    assert [str(m) for m in second.context["messages"]][-1] == gettext(
        "The invitation has already been sent."
    )


def test_only_accepted_nominations_are_invited(staff):
    nomination = NominationFactory()

    with pytest.raises(services.RecruitmentError):
        services.invitation_send(nomination=nomination, sent_by=staff)

    assert Invitation.objects.count() == 0


def test_resending_invalidates_the_old_link(
    invited, staff_client, anon_client, django_capture_on_commit_callbacks
):
    nomination, old_token = invited

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(review_url(nomination) + "einladung-erneut-senden/")

    new_token = token_from_mail(mail.outbox[-1])
    assert new_token != old_token
    assert anon_client.get(f"/einladung/{old_token}/").status_code == 410
    assert anon_client.get(f"/einladung/{new_token}/").status_code == 200
    assert Invitation.objects.filter(nomination=nomination, revoked_at__isnull=True).count() == 1
    nomination.refresh_from_db()
    assert nomination.state == NominationState.INVITED


def test_revoking_stops_the_link_and_the_office_can_invite_again(
    invited, staff_client, anon_client
):
    nomination, token = invited

    staff_client.post(review_url(nomination) + "einladung-zurueckziehen/")

    response = anon_client.get(f"/einladung/{token}/")
    assert response.status_code == 410
    assert response.context["error"].code == "revoked"
    nomination.refresh_from_db()
    assert nomination.state == NominationState.ACCEPTED
    assert Invitation.objects.get(nomination=nomination).revoked_at is not None


@pytest.mark.django_db(transaction=True)
def test_two_staff_sending_at_once_create_one_open_invitation() -> None:
    staff = StaffFactory.create()
    nomination = services.nomination_accept(nomination=NominationFactory.create(), decided_by=staff)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def send() -> None:
        try:
            barrier.wait()
            services.invitation_send(nomination=nomination, sent_by=staff)
            outcomes.append("sent")
        except services.RecruitmentError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["sent", "state"]
    assert Invitation.objects.filter(nomination=nomination).count() == 1


# --- Accepting the invitation ---------------------------------------------------------------


def test_the_invitee_sees_who_invited_them_and_the_address_read_only(invited, anon_client):
    nomination, token = invited

    response = anon_client.get(f"/einladung/{token}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert nomination.nominated_by.get_full_name() in page
    assert re.search(
        r'<input type="email" name="email" value="jana.neumann@example.org"[^>]*readonly', page
    )
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_invitee_becomes_a_member_and_lands_signed_in_on_the_account_page(invited, anon_client):
    nomination, token = invited
    topic = TopicFactory(name="Digitale Verwaltung")

    response = anon_client.post(
        f"/einladung/{token}/", onboarding_data(topics=[topic.pk]), follow=True
    )

    assert response.redirect_chain == [("/konto/", 302)]
    user = User.objects.get(email="jana.neumann@example.org")
    assert response.context["user"] == user
    assert user.role == Role.MEMBER
    assert user.check_password(NEW_PASSWORD)
    assert user.municipality == nomination.municipality
    profile = Profile.objects.get(user=user)
    assert profile.member_since == timezone.localdate()
    assert profile.in_directory is True
    assert profile.academic_title == "Dr."
    assert list(profile.topics.all()) == [topic]
    nomination.refresh_from_db()
    assert nomination.state == NominationState.JOINED
    assert nomination.joined_user == user
    assert Invitation.objects.get(nomination=nomination).accepted_at is not None
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1
    assert "Jana Neumann" in messages[0]


def test_the_nominating_member_sees_that_the_person_joined(invited, anon_client):
    nomination, token = invited
    anon_client.post(f"/einladung/{token}/", onboarding_data())

    page = login_client(nomination.nominated_by).get(MY_NOMINATIONS)

    assert [n.state for n in page.context["nominations"]] == [NominationState.JOINED]


def test_the_onboarding_keeps_a_photo_reencoded(invited, anon_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _nomination, token = invited
    picture = BytesIO()
    Image.new("RGB", (800, 600), "navy").save(picture, format="PNG")
    upload = SimpleUploadedFile("portrait.png", picture.getvalue(), content_type="image/png")

    response = anon_client.post(f"/einladung/{token}/", onboarding_data(photo_upload=upload))

    assert response.status_code == 302
    profile = Profile.objects.get(user__email="jana.neumann@example.org")
    with Image.open(profile.photo.path) as stored:
        assert (stored.format, stored.size) == ("JPEG", (600, 600))


def test_a_used_link_cannot_be_used_again(invited, anon_client):
    nomination, token = invited
    anon_client.post(f"/einladung/{token}/", onboarding_data())

    again = Client().post(
        f"/einladung/{token}/", onboarding_data(password1="Anderes-Passwort-2031")
    )

    assert again.status_code == 410
    assert again.context["error"].message == gettext(
        "This invitation has already been used. Please sign in with your e-mail address."
    )
    assert User.objects.filter(email=nomination.email).count() == 1
    assert User.objects.get(email=nomination.email).check_password(NEW_PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_a_link_used_twice_at_the_same_moment_creates_one_account() -> None:
    staff = StaffFactory.create()
    nomination = services.nomination_accept(nomination=NominationFactory.create(), decided_by=staff)
    services.invitation_send(nomination=nomination, sent_by=staff)
    # The e-mail went out after commit; take the token from it.
    token = token_from_mail(mail.outbox[-1])
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(password: str) -> None:
        try:
            barrier.wait()
            services.invitation_accept(
                token=token,
                first_name="Jana",
                last_name="Neumann",
                password=password,
                profile_fields={},
                topics=[],
            )
            outcomes.append("joined")
        except services.InvitationUnusable as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(p,)) for p in (NEW_PASSWORD, PASSWORD)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["joined", "used"]
    assert User.objects.filter(email=nomination.email).count() == 1
    assert Profile.objects.filter(user__email=nomination.email).count() == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_link_is_not_found_and_changes_nothing(invited, anon_client, method):
    nomination, token = invited
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")

    response = getattr(anon_client, method)(f"/einladung/{tampered}/", onboarding_data())

    assert response.status_code == 404
    assert response.context["error"].code == "unknown"
    assert nothing_joined(nomination)


def test_an_unknown_link_is_not_found(anon_client):
    response = anon_client.get("/einladung/gibt-es-nicht/")

    assert response.status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_expired_link_is_refused_and_changes_nothing(invited, anon_client, method):
    nomination, token = invited
    Invitation.objects.filter(nomination=nomination).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    response = getattr(anon_client, method)(f"/einladung/{token}/", onboarding_data())

    assert response.status_code == 410
    assert response.context["error"].message in response.content.decode()
    assert response.context["error"].code == "expired"
    assert nothing_joined(nomination)


def test_a_revoked_link_is_refused_on_submit_and_changes_nothing(invited, anon_client, staff):
    nomination, token = invited
    page = anon_client.get(f"/einladung/{token}/")
    services.invitation_revoke(nomination=nomination, revoked_by=staff)

    response = anon_client.post(f"/einladung/{token}/", onboarding_data())

    assert page.status_code == 200
    assert response.status_code == 410
    assert not User.objects.filter(email=nomination.email).exists()
    nomination.refresh_from_db()
    assert nomination.state == NominationState.ACCEPTED


def test_another_email_address_in_the_form_is_refused_and_changes_nothing(invited, anon_client):
    nomination, token = invited

    response = anon_client.post(
        f"/einladung/{token}/", onboarding_data(email="angreifer@example.org")
    )

    assert response.status_code == 400
    assert list(response.context["account_form"].errors) == ["email"]
    assert "jana.neumann@example.org" in str(response.context["account_form"].errors["email"])
    assert not User.objects.filter(email="angreifer@example.org").exists()
    assert nothing_joined(nomination)


def test_the_same_address_in_other_letters_is_accepted(invited, anon_client):
    nomination, token = invited

    response = anon_client.post(
        f"/einladung/{token}/", onboarding_data(email="Jana.Neumann@Example.org")
    )

    assert response.status_code == 302
    assert User.objects.get(email="jana.neumann@example.org").nomination == nomination


@pytest.mark.parametrize(
    "password", ["kurz-1", "password1234", "123456789012345", "jana.neumann.example"]
)
def test_a_weak_password_is_refused_and_the_entries_are_kept(invited, anon_client, password):
    nomination, token = invited

    response = anon_client.post(
        f"/einladung/{token}/",
        onboarding_data(password1=password, password2=password, bio="Bauakte digital seit 2021."),
    )

    assert response.status_code == 400
    assert list(response.context["account_form"].errors) == ["password1"]
    page = response.content.decode()
    assert "Bauakte digital seit 2021." in page
    assert 'value="Bürgermeisterin"' in page
    assert nothing_joined(nomination)


def test_different_passwords_are_refused(invited, anon_client):
    nomination, token = invited

    response = anon_client.post(
        f"/einladung/{token}/", onboarding_data(password2=NEW_PASSWORD + "x")
    )

    assert response.status_code == 400
    assert list(response.context["account_form"].errors) == ["password2"]
    assert nothing_joined(nomination)


def test_an_account_created_meanwhile_stops_the_invitation(invited, anon_client):
    nomination, token = invited
    MemberFactory(email=nomination.email)

    response = anon_client.post(f"/einladung/{token}/", onboarding_data())

    assert response.status_code == 410
    assert Profile.objects.filter(user__email=nomination.email).count() == 0
    nomination.refresh_from_db()
    assert nomination.state == NominationState.INVITED


def test_a_signed_in_visitor_is_asked_to_sign_out_first(invited, member_client, member):
    nomination, token = invited

    response = member_client.get(f"/einladung/{token}/")

    assert response.status_code == 200
    assert "account_form" not in response.context
    assert member.email in response.content.decode()
    assert nothing_joined(nomination)
    # The button signs out and comes back to the invitation.
    signed_out = member_client.post("/konto/abmelden/", {"next": f"/einladung/{token}/"})
    assert signed_out["Location"] == f"/einladung/{token}/"
    assert "account_form" in member_client.get(signed_out["Location"]).context


def test_the_new_member_signs_in_with_the_chosen_password(invited, anon_client):
    _nomination, token = invited
    anon_client.post(f"/einladung/{token}/", onboarding_data())

    client = Client()
    response = client.post(
        "/konto/anmelden/", {"username": "jana.neumann@example.org", "password": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/konto/"


# --- The pipeline --------------------------------------------------------------------------


def test_the_pipeline_groups_by_state_and_marks_long_waiting_nominations(staff_client, staff):
    waiting = NominationFactory(first_name="Lange", last_name="Wartend")
    Nomination.objects.filter(pk=waiting.pk).update(
        state_changed_at=timezone.now() - datetime.timedelta(days=15)
    )
    fresh = NominationFactory(first_name="Ganz", last_name="Frisch")
    declined = NominationFactory(state=NominationState.DECLINED)
    Nomination.objects.filter(pk=declined.pk).update(
        state_changed_at=timezone.now() - datetime.timedelta(days=40)
    )

    response = staff_client.get(PIPELINE)

    stages = {stage.state: stage for stage in response.context["stages"]}
    assert list(stages) == ["nominated", "accepted", "invited", "joined", "declined"]
    assert [(i.nomination, i.days, i.overdue) for i in stages["nominated"].items] == [
        (waiting, 15, True),
        (fresh, 0, False),
    ]
    assert [(i.nomination, i.overdue) for i in stages["declined"].items] == [(declined, False)]
    assert response.context["overdue"] == 1
    page = response.content.decode()
    assert ngettext("since %(days)s day", "since %(days)s days", 15) % {"days": 15} in page
    assert gettext("since today") in page


@pytest.mark.parametrize("count", [1, 8])
def test_pipeline_query_budget(staff_client, staff, django_assert_max_num_queries, count):
    for n in range(count):
        nomination = NominationFactory()
        if n % 2:
            services.invitation_send(
                nomination=services.nomination_accept(nomination=nomination, decided_by=staff),
                sent_by=staff,
            )

    # session, user, OTP device, nominations, open invitations; the first request
    # of a login also stores the session clocks (a savepoint, an update, its release).
    with django_assert_max_num_queries(8):
        response = staff_client.get(PIPELINE)

    assert sum(len(stage.items) for stage in response.context["stages"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_review_page_query_budget(staff_client, staff, django_assert_max_num_queries, count):
    nomination = services.nomination_accept(nomination=NominationFactory(), decided_by=staff)
    for _ in range(count):
        if nomination.state == NominationState.INVITED:
            services.invitation_resend(nomination=nomination, sent_by=staff)
        else:
            services.invitation_send(nomination=nomination, sent_by=staff)
        nomination.refresh_from_db()

    # session, user, OTP device, nomination, its invitations; session clocks as above.
    with django_assert_max_num_queries(8):
        response = staff_client.get(review_url(nomination))

    assert len(response.context["review"].invitations) == count


@pytest.mark.parametrize("count", [1, 5])
def test_own_nominations_query_budget(member_client, member, django_assert_max_num_queries, count):
    NominationFactory.create_batch(count, nominated_by=member)

    # session, user, nominations; session clocks as above.
    with django_assert_max_num_queries(6):
        response = member_client.get(MY_NOMINATIONS)

    assert len(response.context["nominations"]) == count
