"""Start page, legal pages and the accessibility feedback form."""

from __future__ import annotations

import pytest
from django.core import mail

from innoclub.core.legal_texts import DEFAULTS
from innoclub.core.models import AccessibilityFeedback, LegalPage
from tests.factories import GuestFactory, MemberFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


def test_start_page_counts_members_and_their_municipalities(anon_client):
    town = MunicipalityFactory()
    MemberFactory.create_batch(3, municipality=town)
    MemberFactory(municipality=MunicipalityFactory())
    MemberFactory(is_active=False)
    GuestFactory()

    figures = anon_client.get("/").context["figures"]

    assert figures == {"members": 4, "municipalities": 2}


def test_start_page_is_german_by_default(anon_client):
    response = anon_client.get("/")

    assert response["Content-Language"] == "de"
    assert '<html lang="de">' in response.content.decode()


def test_english_is_chosen_with_a_link_and_kept(anon_client):
    response = anon_client.get("/sprache/?sprache=en&weiter=/impressum/")
    page = anon_client.get("/impressum/")

    assert response["Location"] == "/impressum/"
    assert page["Content-Language"] == "en"


def test_language_switch_never_redirects_to_another_site(anon_client):
    response = anon_client.get("/sprache/?sprache=en&weiter=https://evil.example/")

    assert response["Location"] == "/"


@pytest.mark.parametrize("slug", ["impressum", "datenschutz", "kontakt", "barrierefreiheit"])
def test_legal_pages_show_their_text(anon_client, slug):
    title, _body = DEFAULTS[slug]

    response = anon_client.get(f"/{slug}/")

    assert response.status_code == 200
    assert title in response.content.decode()


def test_a_legal_page_nobody_stored_shows_its_default_text(anon_client):
    LegalPage.objects.filter(slug="datenschutz").delete()

    response = anon_client.get("/datenschutz/")

    assert response.status_code == 200
    assert "Welche Daten wir verarbeiten" in response.content.decode()


def test_privacy_policy_names_every_cookie_we_set(anon_client):
    text = anon_client.get("/datenschutz/").content.decode()

    for cookie in ("innoclub_session", "innoclub_csrf", "innoclub_language"):
        assert cookie in text


@pytest.mark.django_db(transaction=True)
def test_feedback_is_stored_and_mailed_to_the_office(anon_client, settings):
    settings.INNOCLUB_OFFICE_EMAIL = "office@innoclub.example"

    response = anon_client.post(
        "/barrierefreiheit/",
        {
            "message": "Das PDF auf der Startseite ist nicht barrierefrei.",
            "page_url": "/",
            "name": "Jana Schulz",
            "email": "jana@example.org",
        },
    )

    assert response["Location"] == "/barrierefreiheit/danke/"
    feedback = AccessibilityFeedback.objects.get()
    assert feedback.name == "Jana Schulz"
    (message,) = mail.outbox
    assert message.to == ["office@innoclub.example"]
    assert message.reply_to == ["jana@example.org"]
    assert "Das PDF auf der Startseite" in str(message.body)


@pytest.mark.parametrize(
    "data",
    [
        {"message": ""},
        {"message": "   "},
        {"message": "x" * 5001},
        {"message": "Hallo", "email": "keine-adresse"},
    ],
)
def test_bad_feedback_is_refused_with_a_message_and_nothing_stored(anon_client, data):
    response = anon_client.post("/barrierefreiheit/", data, HTTP_ACCEPT_LANGUAGE="de")

    assert response.status_code == 400
    assert response.context["form"].errors
    assert 'role="alert"' in response.content.decode()
    assert AccessibilityFeedback.objects.count() == 0
    assert mail.outbox == []


def test_staff_edit_a_legal_page_and_the_public_sees_it(staff_client, staff, anon_client):
    response = staff_client.post(
        "/geschaeftsstelle/rechtstexte/impressum/",
        {"title": "Impressum des Clubs", "body": "## Anschrift\n\nMarktplatz 1, 12345 Musterstadt"},
    )

    assert response["Location"] == "/geschaeftsstelle/"
    page = anon_client.get("/impressum/").content.decode()
    assert "Impressum des Clubs" in page
    assert "<h2>Anschrift</h2>" in page
    assert LegalPage.objects.get(slug="impressum").updated_by == staff


def test_an_empty_title_is_refused_and_the_text_stays(staff_client):
    before = LegalPage.objects.update_or_create(
        slug="impressum", defaults={"title": "Impressum", "body": "Alt"}
    )[0]

    response = staff_client.post(
        "/geschaeftsstelle/rechtstexte/impressum/", {"title": "", "body": "neu"}
    )

    assert response.status_code == 400
    after = LegalPage.objects.get(slug="impressum")
    assert (after.title, after.body) == (before.title, before.body)


def test_unknown_legal_page_is_404_for_staff(staff_client):
    assert staff_client.get("/geschaeftsstelle/rechtstexte/agb/").status_code == 404


def test_staff_mark_feedback_as_handled(staff_client):
    feedback = AccessibilityFeedback.objects.create(message="Kontrast zu schwach")

    staff_client.post(f"/geschaeftsstelle/rueckmeldungen/{feedback.pk}/erledigt/")

    feedback.refresh_from_db()
    assert feedback.handled


def test_legal_text_markdown_cannot_smuggle_script(staff_client, anon_client):
    staff_client.post(
        "/geschaeftsstelle/rechtstexte/kontakt/",
        {
            "title": "Kontakt",
            "body": "<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)> [ok](https://example.org)",
        },
    )

    page = anon_client.get("/kontakt/").content.decode()

    assert "<script>alert" not in page
    assert "javascript:" not in page
    assert "onerror" not in page
    assert '<a href="https://example.org" rel="nofollow noopener">ok</a>' in page
