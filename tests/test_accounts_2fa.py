"""Two-factor authentication with an authenticator app (TOTP)."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

LOGIN = "/konto/anmelden/"


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{(value + offset) % 10**6:06d}"


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="App", confirmed=True)


def test_staff_without_authenticator_must_set_it_up_before_anything_else(staff, password):
    client = Client()
    client.post(LOGIN, {"username": staff.email, "password": password})

    office = client.get("/geschaeftsstelle/")
    admin = client.get("/admin/")

    assert office["Location"] == "/konto/zwei-faktor/"
    assert admin["Location"] == "/konto/zwei-faktor/"


def test_staff_sets_up_the_authenticator_and_reaches_the_office(staff, password):
    client = Client()
    client.post(LOGIN, {"username": staff.email, "password": password})
    page = client.get("/konto/zwei-faktor/")
    device = TOTPDevice.objects.get(user=staff, confirmed=False)

    response = client.post("/konto/zwei-faktor/", {"token": code_for(device)})

    assert b"<svg" in page.content
    assert response["Location"] == "/konto/"
    assert TOTPDevice.objects.get(user=staff).confirmed
    assert client.get("/geschaeftsstelle/").status_code == 200


def test_wrong_code_during_setup_changes_nothing(staff, password):
    client = Client()
    client.post(LOGIN, {"username": staff.email, "password": password})
    client.get("/konto/zwei-faktor/")
    device = TOTPDevice.objects.get(user=staff, confirmed=False)

    response = client.post("/konto/zwei-faktor/", {"token": code_for(device, offset=1)})

    assert response.status_code == 400
    assert response.context["form"].errors["token"]
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()
    assert client.get("/geschaeftsstelle/").status_code == 302


def test_with_an_authenticator_the_login_asks_for_the_code(member, password):
    device = confirmed_device(member)
    client = Client()

    first = client.post(LOGIN, {"username": member.email, "password": password})
    before_code = client.get("/konto/")
    second = client.post("/konto/anmelden/bestaetigen/", {"token": code_for(device)})

    assert first["Location"] == "/konto/anmelden/bestaetigen/"
    assert before_code.status_code == 302
    assert second["Location"] == "/konto/"
    assert client.get("/konto/").status_code == 200


def test_wrong_code_at_login_keeps_the_person_out(member, password):
    device = confirmed_device(member)
    client = Client()
    client.post(LOGIN, {"username": member.email, "password": password})

    response = client.post("/konto/anmelden/bestaetigen/", {"token": code_for(device, offset=3)})

    assert response.status_code == 400
    assert client.get("/konto/").status_code == 302


def test_repeated_wrong_codes_are_throttled(member, password):
    device = confirmed_device(member)
    client = Client()
    client.post(LOGIN, {"username": member.email, "password": password})
    for _ in range(3):
        client.post("/konto/anmelden/bestaetigen/", {"token": code_for(device, offset=5)})

    # Even the right code waits until the throttle delay has passed.
    response = client.post("/konto/anmelden/bestaetigen/", {"token": code_for(device)})

    assert response.status_code == 400
    assert client.get("/konto/").status_code == 302


def test_second_step_without_first_step_goes_back_to_the_login(db):
    response = Client().post("/konto/anmelden/bestaetigen/", {"token": "123456"})

    assert response["Location"] == "/konto/anmelden/"


def test_password_alone_through_another_door_does_not_pass_the_second_factor(staff):
    confirmed_device(staff)
    client = Client()
    client.force_login(staff)  # as if signed in without the code

    office = client.get("/geschaeftsstelle/")
    replace = client.get("/konto/zwei-faktor/")

    assert office["Location"].startswith("/konto/anmelden/")
    assert replace["Location"].startswith("/konto/anmelden/")
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_member_may_switch_2fa_off_but_staff_may_not(member, staff_client, staff):
    confirmed_device(member)
    member_client = Client()
    member_client.force_login(member)
    session = member_client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=member).persistent_id
    session.save()

    member_client.post("/konto/zwei-faktor/ausschalten/")
    staff_client.post("/konto/zwei-faktor/ausschalten/")

    assert not TOTPDevice.objects.filter(user=member).exists()
    assert TOTPDevice.objects.filter(user=staff).exists()


def test_without_the_requirement_staff_work_without_2fa(staff, password, settings):
    settings.INNOCLUB_REQUIRE_STAFF_2FA = False
    client = Client()
    client.post(LOGIN, {"username": staff.email, "password": password})

    assert client.get("/geschaeftsstelle/").status_code == 200
