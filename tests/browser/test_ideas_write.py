"""A member writes an idea and finds ideas in the list; every page passes the page check."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from innoclub.core.access import Visibility
from innoclub.ideas.models import Idea, Kind, Stage
from tests.browser.helpers import assert_accessible, sign_in, submit, wait_for_path
from tests.factories import (
    MemberFactory,
    MunicipalityFactory,
    ProfileFactory,
    SessionFactory,
    TopicFactory,
)
from tests.ideas_factories import IdeaFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def forge(member):
    """A few ideas in different stages, a forum session, and a colleague in the directory."""
    energy = TopicFactory(name="Energie", slug="energie")
    forum = SessionFactory(
        title="Werkstatt Verwaltung digital",
        event__title="22. Deutschlandforum",
        event__slug="deutschlandforum-22",
        event__starts_on=timezone.localdate() - datetime.timedelta(days=120),
    )
    colleague = ProfileFactory(
        user=MemberFactory(
            first_name="Clara",
            last_name="Kollegin",
            municipality=MunicipalityFactory(name="Fulda", ags="06631009"),
        ),
        in_directory=True,
    ).user
    IdeaFactory(
        title="Digitale Bauakte im Landkreis",
        visibility=Visibility.PUBLIC,
        stage=Stage.CONCEPT,
        topics=[energy],
        origin_session=forum,
        authors=[colleague],
        support_count=5,
    )
    IdeaFactory(
        title="Nachbarschaftshilfe per App",
        visibility=Visibility.PUBLIC,
        kind=Kind.SOCIAL,
        authors=[colleague],
    )
    IdeaFactory(title="Wärmenetz aus Abwasser", stage=Stage.PILOT, topics=[energy])
    return {"colleague": colleague, "session": forum}


def test_member_writes_an_idea_seeing_similar_ones_while_typing(
    page: Page, member, password, forge
) -> None:
    sign_in(page, "mitglied@example.org", password)
    wait_for_path(page, "/konto/")
    page.goto("/ideen/")
    assert_accessible(page)

    page.get_by_role("link", name="Neue Idee einreichen").click()
    wait_for_path(page, "/ideen/neu/")
    assert_accessible(page)
    page.get_by_label("Titel").fill("Bauakte digital für kleine Gemeinden")
    hint = page.locator("#aehnliche-ideen")
    expect(hint).to_contain_text("Es gibt schon ähnliche Ideen")
    expect(hint.get_by_role("link", name="Digitale Bauakte im Landkreis")).to_be_visible()
    expect(hint).not_to_contain_text("Nachbarschaftshilfe")

    # Sent without a proposal: the form comes back with the text kept and the error named.
    page.get_by_label("Welches Problem löst die Idee?").fill(
        "Bauanträge liegen wochenlang auf Papier zwischen den Ämtern."
    )
    submit(page)
    assert_accessible(page, status=400)
    expect(page.locator("#fehler")).to_contain_text("Was schlagen Sie vor?")
    expect(page.get_by_label("Titel")).to_have_value("Bauakte digital für kleine Gemeinden")

    page.get_by_label("Was schlagen Sie vor?").fill("Eine gemeinsame **digitale Bauakte**.")
    page.get_by_label("Sozial").check()
    page.get_by_label("Energie").check()
    page.get_by_label("Clara Kollegin – Fulda").check()
    page.get_by_label("Entstanden in einer Forumssitzung").select_option(
        label="Werkstatt Verwaltung digital"
    )
    submit(page)

    idea = Idea.objects.get(title="Bauakte digital für kleine Gemeinden")
    wait_for_path(page, f"/ideen/{idea.pk}/")
    assert {person.last_name for person in idea.authors.all()} == {"Berger", "Kollegin"}
    assert idea.kind == Kind.SOCIAL
    assert idea.origin_session == forge["session"]
    assert [topic.slug for topic in idea.topics.all()] == ["energie"]
    expect(page.locator(".site-messages")).to_contain_text(
        "Ihre Idee „Bauakte digital für kleine Gemeinden“ wurde eingereicht."
    )
    # The idea's page itself is checked by its own tests (tests/browser/test_ideas_detail.py).
    expect(page.locator("h1")).to_contain_text("Bauakte digital für kleine Gemeinden")


def test_member_filters_the_ideas_without_reloading_and_the_address_keeps_the_filter(
    page: Page, member, password, forge
) -> None:
    sign_in(page, "mitglied@example.org", password)
    wait_for_path(page, "/konto/")
    page.goto("/ideen/")
    results = page.locator("#ergebnisse")
    expect(results).to_contain_text("3 Ideen gefunden")
    page.evaluate("document.body.dataset.marker = 'same page'")

    page.get_by_label("Phase", exact=True).select_option("konzept")

    expect(results).to_contain_text("1 Idee gefunden")
    expect(results).to_contain_text("Digitale Bauakte im Landkreis")
    expect(page).to_have_url(re.compile(r"/ideen/\?.*phase=konzept"))
    assert page.evaluate("document.body.dataset.marker") == "same page"

    page.get_by_label("Sortieren nach").select_option("unterstuetzung")
    expect(page).to_have_url(re.compile(r"phase=konzept.*sortierung=unterstuetzung"))

    # Back again: the address, the filter form and the results agree.
    page.go_back()
    expect(page).to_have_url(re.compile(r"phase=konzept.*sortierung=neueste"))
    expect(page.locator("#filter-sort")).to_have_value("neueste")
    expect(page.locator("#filter-stage")).to_have_value("konzept")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/ideen/$"))
    expect(page.locator("#filter-stage")).to_have_value("")
    expect(results).to_contain_text("3 Ideen gefunden")

    # The filtered address can be shared: opened afresh it shows the same results.
    page.goto("/ideen/?thema=energie&phase=pilot")
    assert_accessible(page)
    expect(page.locator("#filter-topic")).to_have_value("energie")
    expect(results).to_contain_text("Wärmenetz aus Abwasser")
    expect(results).not_to_contain_text("Nachbarschaftshilfe")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_public_list_of_ideas_on_desktop_and_phone(
    open_page: Callable[..., Page], viewport: str, forge
) -> None:
    page = open_page(viewport)
    page.goto("/ideen/")
    assert_accessible(page)
    results = page.locator("#ergebnisse")
    expect(results).to_contain_text("2 Ideen gefunden")
    expect(results).to_contain_text("Digitale Bauakte im Landkreis")
    expect(results).not_to_contain_text("Wärmenetz aus Abwasser")
    expect(results).not_to_contain_text("Kollegin")
    expect(page.get_by_role("link", name="Neue Idee einreichen")).to_have_count(0)

    page.goto("/ideen/?phase=transfer")
    assert_accessible(page)
    expect(results).to_contain_text("Keine Idee passt zu diesen Filtern.")


def test_author_edits_a_concept_and_attaches_a_file(
    page: Page, member, password, forge, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    IdeaFactory(title="Bürgerbus am Abend", stage=Stage.CONCEPT, authors=[member])
    idea = Idea.objects.get(title="Bürgerbus am Abend")
    pdf = tmp_path / "konzept.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    sign_in(page, "mitglied@example.org", password)
    wait_for_path(page, "/konto/")

    page.goto(f"/ideen/{idea.pk}/bearbeiten/")
    assert_accessible(page)
    page.get_by_label("Datei", exact=True).set_input_files(str(pdf))
    submit(page, "form[action$='/dateien/'] button[type=submit]")
    wait_for_path(page, f"/ideen/{idea.pk}/bearbeiten/")
    expect(page.locator(".site-messages")).to_contain_text("„konzept.pdf“ wurde hinzugefügt.")
    expect(page.get_by_role("link", name="konzept.pdf")).to_be_visible()
    assert_accessible(page)

    page.locator("#id_goals").fill("Zehn Dörfer ans Netz")
    page.get_by_label("Erfolgskriterien").fill("200 Fahrgäste im Monat")
    submit(page, "#idee-formular button[type=submit]")
    wait_for_path(page, f"/ideen/{idea.pk}/")
    idea.refresh_from_db()
    assert (idea.goals, idea.success_criteria) == ("Zehn Dörfer ans Netz", "200 Fahrgäste im Monat")
