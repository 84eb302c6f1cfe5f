"""Password reset by e-mail and password change."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

# E-mails leave after commit, so these tests commit like the real site does.
pytestmark = pytest.mark.django_db(transaction=True)

RESET = "/konto/passwort-vergessen/"
NEW_PASSWORD = "Neues-Passwort-fuer-2027"


def reset_link() -> str:
    (message,) = mail.outbox
    found = re.search(r"https?://\S+/konto/passwort-neu/\S+/", str(message.body))
    assert found is not None, message.body
    return found.group(0)


def test_reset_link_is_built_from_the_site_url_not_the_host_header(member, settings):
    settings.SITE_URL = "https://innoclub.example"
    settings.ALLOWED_HOSTS = ["innoclub.example", "evil.example"]

    Client().post(RESET, {"email": member.email}, HTTP_HOST="evil.example")

    link = reset_link()
    assert link.startswith("https://innoclub.example/konto/passwort-neu/")
    assert "evil.example" not in mail.outbox[0].body
    assert "evil.example" not in mail.outbox[0].alternatives[0][0]


def test_reset_for_unknown_address_looks_the_same_and_sends_nothing(member):
    known = Client().post(RESET, {"email": member.email})
    unknown = Client().post(RESET, {"email": "niemand@example.org"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/konto/passwort-vergessen/gesendet/"
    assert [m.to for m in mail.outbox] == [[member.email]]


def test_reset_link_sets_a_new_password_once(member):
    Client().post(RESET, {"email": member.email})
    client = Client()
    link = re.sub(r"^https?://[^/]+", "", reset_link())

    form_page = client.get(link, follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    again = Client().get(link, follow=True)

    assert done["Location"] == "/konto/passwort-neu/fertig/"
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert again.context["validlink"] is False


def test_short_or_common_passwords_are_refused(member_client, member, password):
    for weak in ("kurz-1", "password1234"):
        response = member_client.post(
            "/konto/passwort-aendern/",
            {"old_password": password, "new_password1": weak, "new_password2": weak},
        )
        assert response.status_code == 400
        assert response.context["form"].errors["new_password2"]

    member.refresh_from_db()
    assert member.check_password(password)


def test_password_change_keeps_the_member_signed_in(member_client, member, password):
    response = member_client.post(
        "/konto/passwort-aendern/",
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response["Location"] == "/konto/passwort-aendern/fertig/"
    assert member_client.get("/konto/").status_code == 200
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
