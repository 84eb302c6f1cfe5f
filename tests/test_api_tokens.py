"""Personal API tokens: the services, the page /konto/api-tokens/, the admin,
and what a token opens (and does not open) in the API."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.utils import timezone
from ninja.errors import AuthenticationError, AuthorizationError

from innoclub.api.auth import BearerToken
from innoclub.api.forms import TokenCreateForm
from innoclub.api.models import ApiToken
from innoclub.api.tokens import (
    MAX_LIFETIME_DAYS,
    MAX_TOKENS_PER_USER,
    digest_of,
    token_create,
    token_revoke,
)
from tests.conftest import login_client
from tests.factories import MemberFactory, TopicFactory

pytestmark = pytest.mark.django_db

URL = "/konto/api-tokens/"
PLAIN_TOKEN = re.compile(r"ic_[A-Za-z0-9_-]{43}")


@pytest.fixture(autouse=True)
def _fresh_rate_counters() -> None:
    cache.clear()


def _form_key(client: Client) -> str:
    page = client.get(URL).content.decode()
    found = re.search(r'name="formular" value="([^"]+)"', page)
    assert found is not None, "the page has no form key"
    return found.group(1)


def _create(client: Client, **data: str) -> object:
    fields = {"name": "Auswertung", "scope": "read", "days": "90"} | data
    return client.post(URL, {**fields, "formular": _form_key(client)})


def _bearer(plain: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}


def _expire(token: ApiToken) -> None:
    past = timezone.now() - timedelta(days=2)
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=past - timedelta(days=30), expires_at=past
    )


# --- Services -----------------------------------------------------------------


def test_a_new_token_is_stored_only_as_its_digest(member):
    token, plain = token_create(user=member, name="  Auswertung  ", scope="read", days=30)

    assert PLAIN_TOKEN.fullmatch(plain)
    token.refresh_from_db()
    assert token.digest == digest_of(plain)
    assert token.prefix == plain[3:11]
    assert token.name == "Auswertung"
    assert token.expires_at - token.created_at == timedelta(days=30)
    stored = ApiToken.objects.values_list("name", "prefix", "digest", "scope").get()
    assert all(plain not in str(value) for value in stored)


@pytest.mark.parametrize(
    ("name", "scope", "days", "message"),
    [
        ("   ", "read", 30, "Bitte geben Sie dem Token einen Namen."),
        ("Skript", "admin", 30, "Bitte wählen Sie „Lesen“ oder „Lesen und schreiben“."),
        ("Skript", "read", 0, "Ein Token gilt 1 bis 365 Tage."),
        ("Skript", "write", MAX_LIFETIME_DAYS + 1, "Ein Token gilt 1 bis 365 Tage."),
    ],
)
def test_token_create_refuses_bad_input(member, name, scope, days, message):
    with pytest.raises(ValidationError) as refused:
        token_create(user=member, name=name, scope=scope, days=days)

    assert refused.value.messages == [message]
    assert ApiToken.objects.count() == 0


def test_a_twenty_first_active_token_is_refused_until_one_is_revoked(member):
    tokens = [
        token_create(user=member, name=f"T{n}", scope="read", days=30)[0]
        for n in range(MAX_TOKENS_PER_USER)
    ]

    with pytest.raises(ValidationError) as refused:
        token_create(user=member, name="Zu viel", scope="read", days=30)
    assert refused.value.messages == [
        "Sie haben bereits 20 aktive Tokens. Bitte widerrufen Sie zuerst einen."
    ]

    # Revoked and expired tokens no longer count.
    token_revoke(token=tokens[0])
    _expire(tokens[1])
    token_create(user=member, name="Neu 1", scope="read", days=30)
    token_create(user=member, name="Neu 2", scope="read", days=30)
    assert ApiToken.objects.filter(user=member).count() == MAX_TOKENS_PER_USER + 2


def test_the_limit_counts_each_account_for_itself(member, guest):
    for n in range(MAX_TOKENS_PER_USER):
        token_create(user=member, name=f"T{n}", scope="read", days=30)

    token, _plain = token_create(user=guest, name="Gast", scope="read", days=30)

    assert token.user == guest


def test_revoking_twice_keeps_the_first_moment(member):
    token, _plain = token_create(user=member, name="Skript", scope="read", days=30)

    token_revoke(token=token)
    first = ApiToken.objects.get().revoked_at
    token_revoke(token=ApiToken.objects.get())

    assert first is not None
    assert ApiToken.objects.get().revoked_at == first


def test_the_form_texts_name_the_real_lifetime_limit():
    # The form's messages spell the limit out; they must follow the service's.
    assert TokenCreateForm.base_fields["days"].max_value == MAX_LIFETIME_DAYS == 365


# --- The page --------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login(anon_client):
    response = anon_client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == "/konto/anmelden/?next=/konto/api-tokens/"
    assert anon_client.post(URL, {"name": "x", "scope": "read", "days": "9"}).status_code == 302
    assert ApiToken.objects.count() == 0


def test_the_page_without_tokens_invites_to_create_one(member_client):
    response = member_client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Sie haben noch keine API-Tokens." in page
    assert 'value="90"' in page
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("persona", ["member", "guest", "staff"])
def test_every_account_creates_a_token_and_sees_it_once(request, persona):
    user = request.getfixturevalue(persona)
    client = login_client(user)

    response = _create(client, name="Auswertung", scope="write", days="30")

    assert response.status_code == 200
    page = response.content.decode()
    shown = PLAIN_TOKEN.findall(page)
    assert len(shown) == 1
    token = ApiToken.objects.get(user=user)
    assert digest_of(shown[0]) == token.digest
    assert (token.name, token.scope) == ("Auswertung", "write")
    assert token.expires_at - token.created_at == timedelta(days=30)
    assert "Kopieren Sie den Token jetzt" in page
    assert "no-store" in response["Cache-Control"]

    # A reload of the page does not show it again; the list shows only its prefix.
    again = client.get(URL).content.decode()
    assert PLAIN_TOKEN.findall(again) == []
    assert f"ic_{token.prefix}…" in again
    assert client.session.get("api_token_form_keys") is not None
    assert shown[0] not in str(dict(client.session.items()))


def test_sending_the_same_form_again_creates_no_second_token(member_client):
    key = _form_key(member_client)
    data = {"name": "Auswertung", "scope": "read", "days": "90", "formular": key}

    first = member_client.post(URL, data)
    second = member_client.post(URL, data, follow=True)

    assert first.status_code == 200
    assert second.redirect_chain == [(URL, 302)]
    assert ApiToken.objects.count() == 1
    page = second.content.decode()
    assert PLAIN_TOKEN.findall(page) == []
    assert "Dieses Formular wurde bereits gesendet." in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Bitte geben Sie dem Token einen Namen."),
        ({"name": "   "}, "Bitte geben Sie dem Token einen Namen."),
        ({"name": "x" * 81}, "Der Name darf höchstens 80 Zeichen lang sein."),
        ({"scope": "admin"}, "Bitte wählen Sie „Lesen“ oder „Lesen und schreiben“."),
        ({"scope": ""}, "Bitte wählen Sie „Lesen“ oder „Lesen und schreiben“."),
        ({"days": "0"}, "Bitte geben Sie eine Zahl von 1 bis 365 Tagen an."),
        ({"days": "366"}, "Bitte geben Sie eine Zahl von 1 bis 365 Tagen an."),
        ({"days": "neunzig"}, "Bitte geben Sie eine Zahl von 1 bis 365 Tagen an."),
        ({"days": ""}, "Bitte geben Sie eine Zahl von 1 bis 365 Tagen an."),
    ],
)
def test_bad_input_is_refused_in_german_and_changes_nothing(member_client, data, message):
    response = _create(member_client, **data)

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Fehler: API-Tokens" in page
    assert PLAIN_TOKEN.findall(page) == []
    assert ApiToken.objects.count() == 0


def test_the_page_refuses_a_twenty_first_token(member, member_client):
    for n in range(MAX_TOKENS_PER_USER):
        token_create(user=member, name=f"T{n}", scope="read", days=30)

    response = _create(member_client, name="Noch einer")

    assert response.status_code == 400
    page = response.content.decode()
    assert "Sie haben bereits 20 aktive Tokens. Bitte widerrufen Sie zuerst einen." in page
    assert PLAIN_TOKEN.findall(page) == []
    assert ApiToken.objects.count() == MAX_TOKENS_PER_USER


def test_the_list_shows_each_tokens_state(member, member_client):
    active, _ = token_create(user=member, name="Läuft", scope="write", days=30)
    expired, _ = token_create(user=member, name="Alt", scope="read", days=30)
    _expire(expired)
    revoked, _ = token_create(user=member, name="Weg", scope="read", days=30)
    token_revoke(token=revoked)
    ApiToken.objects.filter(pk=active.pk).update(last_used_at=timezone.now())

    page = member_client.get(URL).content.decode()

    cards = re.findall(r'<li class="result-card token-card token-card--(\w+)">', page)
    assert sorted(cards) == ["active", "expired", "revoked"]
    assert page.count("/widerrufen/") == 1  # only the active token can be revoked
    assert f"/konto/api-tokens/{active.pk}/widerrufen/" in page
    assert "Lesen und schreiben" in page
    assert "nie" in page  # the unused tokens


def test_the_list_shows_only_own_tokens(member, guest, member_client):
    token_create(user=guest, name="Gast-Skript", scope="read", days=30)

    page = member_client.get(URL).content.decode()

    assert "Gast-Skript" not in page


@pytest.mark.parametrize("count", [1, 6])
def test_the_page_has_a_fixed_query_budget(member, member_client, count, django_assert_num_queries):
    for n in range(count):
        token_create(user=member, name=f"T{n}", scope="read", days=30)
    member_client.get(URL)  # the session's form keys exist from here on

    # Session and user, the tokens, and saving the session with the new form key
    # (an UPDATE in its own savepoint).
    with django_assert_num_queries(6):
        assert member_client.get(URL).status_code == 200


def test_a_member_revokes_a_token(member, member_client):
    token, plain = token_create(user=member, name="Skript", scope="read", days=30)

    response = member_client.post(f"{URL}{token.pk}/widerrufen/", follow=True)

    assert response.redirect_chain == [(URL, 302)]
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "Der Token „Skript“ ist widerrufen." in response.content.decode()
    assert Client().get("/api/v1/topics", **_bearer(plain)).status_code == 401


def test_another_accounts_token_answers_404_and_stays_active(guest, member_client):
    token, plain = token_create(user=guest, name="Gast-Skript", scope="read", days=30)

    response = member_client.post(f"{URL}{token.pk}/widerrufen/")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert Client().get("/api/v1/topics", **_bearer(plain)).status_code == 200


def test_revoking_needs_a_post(member, member_client, anon_client):
    token, _plain = token_create(user=member, name="Skript", scope="read", days=30)

    assert member_client.get(f"{URL}{token.pk}/widerrufen/").status_code == 405
    assert anon_client.post(f"{URL}{token.pk}/widerrufen/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_account_page_links_to_the_tokens(member_client):
    page = member_client.get("/konto/").content.decode()

    assert f'href="{URL}"' in page
    assert 'href="/api/v1/docs/"' in page


# --- The admin ------------------------------------------------------------------


def test_the_office_sees_tokens_without_their_digest_and_revokes_them(member, staff_client):
    token, _plain = token_create(user=member, name="Skript", scope="read", days=30)

    listing = staff_client.get("/admin/api/apitoken/")
    change = staff_client.get(f"/admin/api/apitoken/{token.pk}/change/")

    assert listing.status_code == 200
    assert change.status_code == 200
    assert "Skript" in listing.content.decode()
    for response in (listing, change):
        assert token.digest not in response.content.decode()
    assert staff_client.get("/admin/api/apitoken/add/").status_code == 403
    # Name, scope and dates are read-only: only the revocation is a field of the form.
    assert 'name="name"' not in change.content.decode()
    assert 'name="revoked_at_0"' in change.content.decode()

    staff_client.post(
        "/admin/api/apitoken/", {"action": "revoke", "_selected_action": [str(token.pk)]}
    )
    token.refresh_from_db()
    assert token.revoked_at is not None


# --- Tokens in the API ---------------------------------------------------------------


def test_a_valid_token_reads_the_api(member, anon_client):
    TopicFactory(name="Digitale Verwaltung")
    _token, plain = token_create(user=member, name="Skript", scope="read", days=30)

    response = anon_client.get("/api/v1/topics", **_bearer(plain))

    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert response.json()["items"][0]["name"] == "Digitale Verwaltung"


def _unknown(token: ApiToken, plain: str) -> str:
    return plain[:-4] + "AAAA" if not plain.endswith("AAAA") else plain[:-4] + "BBBB"


def _expired(token: ApiToken, plain: str) -> str:
    _expire(token)
    return plain


def _revoked(token: ApiToken, plain: str) -> str:
    token_revoke(token=token)
    return plain


def _owner_deactivated(token: ApiToken, plain: str) -> str:
    token.user.is_active = False
    token.user.save(update_fields=["is_active"])
    return plain


def _not_ours(token: ApiToken, plain: str) -> str:
    return "ghp_" + plain[3:]


@pytest.mark.parametrize(
    "spoil", [_unknown, _expired, _revoked, _owner_deactivated, _not_ours], ids=lambda f: f.__name__
)
def test_an_unusable_token_is_refused_with_401_even_on_public_data(member, anon_client, spoil):
    token, plain = token_create(user=member, name="Skript", scope="read", days=30)

    response = anon_client.get(
        "/api/v1/topics", HTTP_ACCEPT_LANGUAGE="en", **_bearer(spoil(token, plain))
    )

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'Bearer realm="innoclub"'
    body = response.json()
    assert (body["status"], body["title"]) == (401, "Authentication required")


def test_the_401_is_explained_in_german(member, anon_client):
    token, plain = token_create(user=member, name="Skript", scope="read", days=30)
    token_revoke(token=token)

    response = anon_client.get("/api/v1/topics", HTTP_ACCEPT_LANGUAGE="de", **_bearer(plain))

    assert response.status_code == 401
    assert response.json()["title"] == "Anmeldung erforderlich"
    assert response.json()["detail"] == "Der API-Token ist unbekannt, abgelaufen oder widerrufen."


def _authenticate(write: bool, plain: str) -> tuple[object, object]:
    request = RequestFactory().get("/api/v1/ideas", HTTP_AUTHORIZATION=f"Bearer {plain}")
    request.user = AnonymousUser()
    return BearerToken(write=write)(request), request.user


def test_a_read_token_may_not_write_but_a_write_token_may(member):
    _read, read_plain = token_create(user=member, name="Lesen", scope="read", days=30)
    _write, write_plain = token_create(user=member, name="Schreiben", scope="write", days=30)

    with pytest.raises(AuthorizationError):
        _authenticate(True, read_plain)
    assert _authenticate(False, read_plain) == (member, member)
    assert _authenticate(True, write_plain) == (member, member)
    with pytest.raises(AuthenticationError):
        _authenticate(False, "ic_" + "x" * 43)


def test_a_read_token_gets_403_on_a_write_operation(member, anon_client):
    """Through the API itself, on the first write operation (submitting an idea)."""
    _token, plain = token_create(user=member, name="Lesen", scope="read", days=30)

    response = anon_client.post(
        "/api/v1/ideas",
        {"title": "Ein Titel"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **_bearer(plain),
    )

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Not allowed"


def test_last_use_is_recorded_at_most_once_a_minute(member, anon_client):
    token, plain = token_create(user=member, name="Skript", scope="read", days=30)
    assert token.last_used_at is None

    anon_client.get("/api/v1/topics", **_bearer(plain))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None

    recent = timezone.now() - timedelta(seconds=30)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)
    anon_client.get("/api/v1/topics", **_bearer(plain))
    token.refresh_from_db()
    assert token.last_used_at == recent

    old = timezone.now() - timedelta(seconds=61)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=old)
    anon_client.get("/api/v1/topics", **_bearer(plain))
    token.refresh_from_db()
    assert token.last_used_at > recent


def test_a_token_reaches_no_more_than_its_account(guest, anon_client):
    """A guest's token does not open the members' directory, as the page does not."""
    MemberFactory()
    _token, plain = token_create(user=guest, name="Gast", scope="read", days=30)

    page = login_client(guest).get("/mitglieder/")
    api = anon_client.get("/api/v1/members", **_bearer(plain))

    assert page.status_code == 404
    assert api.status_code in (403, 404)
    assert api["Content-Type"] == "application/problem+json"
