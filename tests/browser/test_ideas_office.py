"""The club office moves ideas on the pipeline board without dragging anything,
reads the funnel and the evaluations; an evaluator scores an idea."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from innoclub.ideas.models import Idea, Stage, StageChange
from innoclub.ideas.services import idea_move_to_stage
from tests.browser.helpers import (
    assert_accessible,
    sign_in,
    sign_in_as_office,
    submit,
    wait_for_path,
)
from tests.factories import GuestFactory
from tests.ideas_factories import (
    CommentFactory,
    CriterionFactory,
    EvaluationAssignmentFactory,
    IdeaFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BOARD = "/geschaeftsstelle/ideen/"
READY = {"goals": "Wartezeiten halbieren.", "success_criteria": "Unter 7 Tagen."}


def a_forge(staff):
    """Ideas in every stage over two years; returns the one the office moves."""
    moved = IdeaFactory(title="Digitale Bauakte")
    CommentFactory(idea=moved)
    EvaluationAssignmentFactory(idea=moved)
    for title, stages in [
        ("Mängelmelder für alle", ["konzept"]),
        ("Gemeinsame Wärmeplanung", ["konzept", "pilot"]),
        ("Bürgerbudget digital", ["konzept", "pilot", "transfer"]),
        ("Drohnen für den Bauhof", ["zurueckgestellt"]),
    ]:
        idea = IdeaFactory(title=title, **READY)
        for stage in stages:
            idea_move_to_stage(idea=idea, to_stage=stage, rationale="Weiter so.", by=staff)
    last_year = timezone.now() - datetime.timedelta(days=400)
    Idea.objects.filter(title__in=["Bürgerbudget digital", "Drohnen für den Bauhof"]).update(
        created_at=last_year
    )
    return moved


def test_the_office_moves_an_idea_on_the_board_without_dragging(
    page: Page, staff, staff_device, password
) -> None:
    idea = a_forge(staff)
    sign_in_as_office(page, password, staff_device)
    page.goto("/geschaeftsstelle/")
    page.get_by_role("link", name="Ideen (Pipeline)").click()
    wait_for_path(page, BOARD)
    assert_accessible(page)

    card = page.locator(".pipeline-card", has_text="Digitale Bauakte")
    expect(card).to_contain_text("1 Kommentar")
    expect(card).to_contain_text("0 von 1 Bewertung abgegeben")
    expect(page.get_by_role("img", name="Trichter der Phasen")).to_be_visible()
    expect(page.locator("#trichter table tbody tr")).to_have_count(2)

    card.get_by_label("Nächste Phase").select_option(label="Konzept")
    submit(page, f"form[action='/ideen/{idea.pk}/phase/'] button")
    wait_for_path(page, f"/ideen/{idea.pk}/phase/?weiter=pipeline&nach=konzept")
    assert_accessible(page)
    expect(page.get_by_label("Neue Phase")).to_have_value("konzept")

    # Without a reason the step is refused, with the error summary on top.
    submit(page)
    assert_accessible(page, status=400)
    expect(page.locator("#fehler")).to_contain_text("Bitte begründen Sie diesen Schritt")

    page.get_by_label("Begründung (für die Autor:innen sichtbar)").fill(
        "Die Idee ist reif für ein Konzept: bitte Ziele und Zielgruppe ergänzen."
    )
    submit(page)
    wait_for_path(page, BOARD)
    expect(page.locator("main [role=status]")).to_contain_text(
        "„Digitale Bauakte“ ist jetzt in der Phase „Konzept“."
    )
    concept = page.locator(".pipeline__column", has=page.locator("#spalte-konzept"))
    expect(concept.locator(".pipeline-card", has_text="Digitale Bauakte")).to_be_visible()
    assert StageChange.objects.filter(idea=idea, to_stage=Stage.CONCEPT).count() == 1

    concept.get_by_role("link", name="Digitale Bauakte").click()
    wait_for_path(page, f"/ideen/{idea.pk}/")
    assert_accessible(page)
    expect(page.locator("#verlauf")).to_contain_text("bitte Ziele und Zielgruppe ergänzen")
    expect(page.locator("#geschaeftsstelle")).to_contain_text("Für die Geschäftsstelle")


def test_the_board_stacks_its_columns_on_a_phone(
    open_page: Callable[..., Page], staff, staff_device, password
) -> None:
    a_forge(staff)
    page = open_page("phone")
    sign_in_as_office(page, password, staff_device)
    page.goto(BOARD)
    assert_accessible(page)

    columns = page.locator(".pipeline").first.locator(".pipeline__column")
    expect(columns).to_have_count(4)
    first, second = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
    assert first is not None and second is not None
    assert first["x"] == second["x"]
    assert second["y"] >= first["y"] + first["height"]

    # The office's panel on the idea's page fits the phone too.
    columns.nth(0).get_by_role("link", name="Digitale Bauakte").click()
    wait_for_path(page, f"/ideen/{Idea.objects.get(title='Digitale Bauakte').pk}/")
    assert_accessible(page)
    expect(page.locator("#geschaeftsstelle")).to_be_visible()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_office_reads_the_evaluations(
    open_page: Callable[..., Page], viewport: str, staff, staff_device, password
) -> None:
    CriterionFactory(name="Wirkung", weight=3, position=1)
    CriterionFactory(name="Übertragbarkeit", weight=1, position=2)
    EvaluationAssignmentFactory(idea=IdeaFactory(title="Noch offen"))
    IdeaFactory(title="Niemand gefragt")
    page = open_page(viewport)
    sign_in_as_office(page, password, staff_device)
    page.goto("/geschaeftsstelle/ideen/bewertung/")
    assert_accessible(page)

    expect(page.locator("main table tbody tr")).to_have_count(2)
    page.get_by_label("Nur noch nicht bewertete").check()
    page.get_by_label("Phase").select_option(label="Idee")
    submit(page, "main form.office-filters button")
    wait_for_path(
        page, "/geschaeftsstelle/ideen/bewertung/?phase=idee&sortierung=bewertung&offen=1"
    )
    assert_accessible(page)
    expect(page.locator("main table tbody tr")).to_have_count(2)
    expect(page.get_by_role("link", name="Kriterien in der Verwaltung bearbeiten")).to_be_visible()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_an_evaluator_scores_an_idea(open_page, viewport, password):
    impact = CriterionFactory(name="Wirkung", weight=3, position=1, description="Wem hilft es?")
    CriterionFactory(name="Übertragbarkeit", weight=1, position=2)
    evaluator = GuestFactory(email="expertin@example.org")
    assignment = EvaluationAssignmentFactory(
        idea=IdeaFactory(title="Digitale Bauakte"), evaluator=evaluator
    )
    page = open_page(viewport)
    sign_in(page, "expertin@example.org", password)
    wait_for_path(page, "/konto/")
    page.goto(f"/ideen/{assignment.idea_id}/bewertung/")
    assert_accessible(page)

    page.get_by_role("group", name="Wirkung").get_by_label("4").check()
    submit(page)
    assert_accessible(page, status=400)
    expect(page.locator("#fehler")).to_contain_text(
        "Bitte bewerten Sie „Übertragbarkeit“ mit 1 bis 5 Punkten."
    )
    expect(page.get_by_role("group", name="Wirkung").get_by_label("4")).to_be_checked()

    page.get_by_role("group", name="Übertragbarkeit").get_by_label("5 – stark").check()
    page.get_by_label("Notiz für die Geschäftsstelle (nur dort sichtbar)").fill(
        "Die Kosten sind knapp kalkuliert."
    )
    submit(page)
    wait_for_path(page, f"/ideen/{assignment.idea_id}/bewertung/")
    assert_accessible(page)
    expect(page.locator("main [role=status]").first).to_contain_text("Vielen Dank!")
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None
    assert dict(assignment.scores.values_list("criterion_id", "value"))[impact.pk] == 4


def test_the_office_hides_a_comment_with_a_reason(page, staff, staff_device, password):
    comment = CommentFactory(body="Kaufen Sie unsere Software!")
    sign_in_as_office(page, password, staff_device)
    page.goto(f"/ideen/{comment.idea_id}/kommentare/{comment.pk}/ausblenden/")
    assert_accessible(page)

    page.get_by_label("Begründung").fill("Werbung ist in der Diskussion nicht erlaubt.")
    submit(page)
    wait_for_path(page, f"/ideen/{comment.idea_id}/#kommentar-{comment.pk}")
    comment.refresh_from_db()
    assert comment.hidden_reason == "Werbung ist in der Diskussion nicht erlaubt."
