"""Login, logout, lockout and session lifetime."""

from __future__ import annotations

import time

import pytest
from axes.models import AccessAttempt
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/konto/anmelden/"


def test_member_logs_in_with_email_in_any_case_and_lands_on_the_account(member, password):
    client = Client()

    response = client.post(LOGIN, {"username": "MITGLIED@Example.org", "password": password})

    assert response.status_code == 302
    assert response["Location"] == "/konto/"
    assert client.get("/konto/").context["user"] == member


def test_wrong_password_and_unknown_address_get_the_same_answer(member):
    client = Client()

    wrong_password = client.post(LOGIN, {"username": member.email, "password": "falsch-falsch-1"})
    unknown = client.post(LOGIN, {"username": "niemand@example.org", "password": "falsch-falsch-1"})

    assert wrong_password.status_code == unknown.status_code == 400
    assert wrong_password.context["form"].errors == unknown.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_login_follows_next_only_to_our_own_site(member, password):
    inside = Client().post(
        LOGIN + "?next=/impressum/", {"username": member.email, "password": password}
    )
    outside = Client().post(
        LOGIN + "?next=https://evil.example/", {"username": member.email, "password": password}
    )

    assert inside["Location"] == "/impressum/"
    assert outside["Location"] == "/konto/"


def test_fifth_wrong_password_locks_the_account_for_this_address(member, password):
    client = Client()
    for _ in range(5):
        client.post(LOGIN, {"username": member.email, "password": "falsch-falsch-1"})

    locked = client.post(LOGIN, {"username": member.email, "password": password})

    assert locked.status_code == 429
    assert "accounts/lockout.html" in [t.name for t in locked.templates]
    assert "_auth_user_id" not in client.session


def test_forged_x_forwarded_for_does_not_reset_the_lockout(member, password):
    for attempt in range(5):
        Client().post(
            LOGIN,
            {"username": member.email, "password": "falsch-falsch-1"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}",
        )

    locked = Client().post(
        LOGIN,
        {"username": member.email, "password": password},
        HTTP_X_FORWARDED_FOR="198.51.100.77",
    )

    assert locked.status_code == 429
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"


def test_lockout_of_an_unknown_address_looks_like_any_other(db):
    client = Client()
    for _ in range(5):
        client.post(LOGIN, {"username": "niemand@example.org", "password": "falsch-falsch-1"})

    response = client.post(
        LOGIN, {"username": "niemand@example.org", "password": "falsch-falsch-1"}
    )

    assert response.status_code == 429


def test_logout_needs_post_and_ends_the_session(member_client):
    assert member_client.get("/konto/abmelden/").status_code == 405

    response = member_client.post("/konto/abmelden/")

    assert response.status_code == 302
    assert member_client.get("/konto/").status_code == 302


def test_idle_session_ends_after_the_configured_time(member_client, settings):
    assert member_client.get("/konto/").status_code == 200
    session = member_client.session
    session["innoclub_seen_at"] = time.time() - settings.SESSION_IDLE_TIMEOUT.total_seconds() - 5
    session.save()

    response = member_client.get("/konto/")

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/")
    assert "_auth_user_id" not in member_client.session


def test_session_ends_after_its_absolute_lifetime_even_when_active(member_client, settings):
    assert member_client.get("/konto/").status_code == 200
    session = member_client.session
    session["innoclub_auth_at"] = (
        time.time() - settings.SESSION_ABSOLUTE_LIFETIME.total_seconds() - 5
    )
    session.save()

    response = member_client.get("/konto/")

    assert response.status_code == 302
    assert "_auth_user_id" not in member_client.session


def test_active_session_stays(member_client):
    for _ in range(3):
        assert member_client.get("/konto/").status_code == 200


def test_admin_login_is_our_login(anon_client, member_client):
    assert (
        anon_client.get("/admin/login/?next=/admin/")["Location"] == "/konto/anmelden/?next=/admin/"
    )
    assert member_client.get("/admin/login/?next=/admin/").status_code == 404


def test_passwords_are_stored_with_argon2():
    from innoclub import settings as configured

    assert configured.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
