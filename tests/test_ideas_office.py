"""The club office works with ideas: moves them, moderates comments, asks evaluators,
reads the pipeline board with its funnel and the overview of evaluations. Nobody
else may."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from innoclub.ideas import pipeline
from innoclub.ideas.models import (
    Comment,
    EvaluationAssignment,
    Idea,
    Notification,
    NotificationKind,
    Score,
    Stage,
    StageChange,
)
from innoclub.ideas.services import idea_move_to_stage
from innoclub.pilots.models import PilotProject
from tests.conftest import login_client
from tests.factories import GuestFactory, MemberFactory, StaffFactory
from tests.ideas_factories import (
    CommentFactory,
    CriterionFactory,
    EvaluationAssignmentFactory,
    IdeaFactory,
)

pytestmark = pytest.mark.django_db

READY = {"goals": "Wartezeiten halbieren.", "success_criteria": "Unter 7 Tagen."}


@pytest.fixture
def author():
    return MemberFactory(email="autorin@example.org", first_name="Anna", last_name="Autorin")


@pytest.fixture
def idea(author):
    return IdeaFactory(title="Digitale Bauakte", authors=[author])


@pytest.fixture
def comment(idea):
    return CommentFactory(idea=idea, body="Das ist Werbung für meine Firma.")


def office_requests(idea: Idea, comment: Comment) -> list[tuple[str, str, dict]]:
    base = f"/ideen/{idea.pk}"
    return [
        ("get", "/geschaeftsstelle/ideen/", {}),
        ("get", "/geschaeftsstelle/ideen/bewertung/", {}),
        ("get", f"{base}/phase/", {}),
        ("post", f"{base}/phase/", {"to_stage": "konzept", "rationale": "Weiter."}),
        ("get", f"{base}/kommentare/{comment.pk}/ausblenden/", {}),
        ("post", f"{base}/kommentare/{comment.pk}/ausblenden/", {"reason": "Werbung."}),
        ("post", f"{base}/kommentare/{comment.pk}/wiederherstellen/", {}),
        ("post", f"{base}/gutachtende/", {"evaluator": str(idea.created_by_id)}),
    ]


def nothing_changed(idea: Idea, comment: Comment) -> bool:
    idea.refresh_from_db()
    comment.refresh_from_db()
    return (
        idea.stage == Stage.IDEA
        and StageChange.objects.filter(idea=idea).count() == 1
        and not comment.is_hidden
        and not EvaluationAssignment.objects.exists()
    )


# --- Access ---------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_everywhere(anon_client, idea, comment):
    for method, url, data in office_requests(idea, comment):
        response = getattr(anon_client, method)(url, data)

        assert response.status_code == 302, url
        assert response["Location"].startswith("/konto/anmelden/?next="), url
    assert nothing_changed(idea, comment)


@pytest.mark.parametrize("persona", ["member", "guest", "author"])
def test_members_guests_and_authors_get_404_on_every_office_page_and_action(
    request, persona, idea, comment
):
    client = login_client(request.getfixturevalue(persona))

    for method, url, data in office_requests(idea, comment):
        assert getattr(client, method)(url, data).status_code == 404, url
    assert nothing_changed(idea, comment)


def test_the_office_opens_every_page(staff_client, idea, comment):
    for url in [
        "/geschaeftsstelle/ideen/",
        "/geschaeftsstelle/ideen/bewertung/",
        f"/ideen/{idea.pk}/phase/",
        f"/ideen/{idea.pk}/kommentare/{comment.pk}/ausblenden/",
    ]:
        response = staff_client.get(url)

        assert response.status_code == 200, url
        assert "Digitale Bauakte" in response.content.decode(), url


# --- Moving ------------------------------------------------------------------------


def test_the_office_moves_an_idea_with_a_reason_the_authors_read(staff_client, staff, idea, author):
    response = staff_client.post(
        f"/ideen/{idea.pk}/phase/",
        {"to_stage": "konzept", "rationale": "Bitte Ziele und Zielgruppe ausarbeiten."},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/ideen/{idea.pk}/#verlauf"
    idea.refresh_from_db()
    assert idea.stage == Stage.CONCEPT
    change = StageChange.objects.filter(idea=idea).last()
    assert (change.from_stage, change.to_stage, change.changed_by) == ("idee", "konzept", staff)
    assert change.rationale == "Bitte Ziele und Zielgruppe ausarbeiten."
    assert Notification.objects.filter(
        recipient=author, kind=NotificationKind.STAGE, stage_change=change
    ).exists()
    page = staff_client.get(response["Location"]).content.decode()
    assert "Bitte Ziele und Zielgruppe ausarbeiten." in page


def test_a_move_from_the_board_returns_to_the_board(staff_client, idea):
    form = staff_client.get(f"/ideen/{idea.pk}/phase/?nach=konzept&weiter=pipeline")
    html = form.content.decode()
    assert '<option value="konzept" selected>Konzept</option>' in html
    assert '<input type="hidden" name="weiter" value="pipeline">' in html

    response = staff_client.post(
        f"/ideen/{idea.pk}/phase/",
        {"to_stage": "konzept", "rationale": "Reif für ein Konzept.", "weiter": "pipeline"},
    )

    assert response["Location"] == "/geschaeftsstelle/ideen/"
    idea.refresh_from_db()
    assert idea.stage == Stage.CONCEPT


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"to_stage": "transfer", "rationale": "Sofort in die Fläche."},
            "Eine Idee in der Phase „Idee“ kann nicht in die Phase „Transfer“ wechseln.",
        ),
        (
            {"to_stage": "gibt-es-nicht", "rationale": "Test."},
            "Diese Phase gibt es nicht.",
        ),
        (
            {"to_stage": "konzept", "rationale": "  "},
            "Bitte begründen Sie diesen Schritt für die Autorinnen und Autoren.",
        ),
        ({"rationale": "Ohne Ziel."}, "Bitte wählen Sie die neue Phase."),
    ],
)
def test_a_refused_move_says_why_in_german_and_changes_nothing(
    staff_client, idea, comment, data, message
):
    response = staff_client.post(f"/ideen/{idea.pk}/phase/", data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert nothing_changed(idea, comment)


def test_the_pilot_step_is_refused_while_the_concept_lacks_goals(staff_client, staff, idea):
    idea_move_to_stage(idea=idea, to_stage=Stage.CONCEPT, rationale="Konzept.", by=staff)

    form = staff_client.get(f"/ideen/{idea.pk}/phase/?nach=pilot").content.decode()
    response = staff_client.post(
        f"/ideen/{idea.pk}/phase/",
        {"to_stage": "pilot", "rationale": "Pilot!", "pilot_choice": "neu"},
    )

    assert "Vor dem Pilot braucht das Konzept noch: Ziele, Erfolgskriterien." in form
    assert response.status_code == 400
    assert "Vor dem Pilot braucht das Konzept noch: Ziele, Erfolgskriterien." in (
        response.content.decode()
    )
    idea.refresh_from_db()
    assert idea.stage == Stage.CONCEPT
    assert PilotProject.objects.count() == 0


def test_the_office_creates_a_named_pilot_project_when_moving_to_pilot(staff_client, staff):
    idea = IdeaFactory(title="Digitale Bauakte", **READY)
    idea_move_to_stage(idea=idea, to_stage=Stage.CONCEPT, rationale="Konzept.", by=staff)

    staff_client.post(
        f"/ideen/{idea.pk}/phase/",
        {
            "to_stage": "pilot",
            "rationale": "Drei Kommunen machen mit.",
            "pilot_choice": "neu",
            "pilot_title": "Bauakte Nordhessen",
        },
    )

    idea.refresh_from_db()
    assert idea.stage == Stage.PILOT
    assert idea.pilot.title == "Bauakte Nordhessen"
    assert list(idea.pilot.ideas.all()) == [idea]


def test_the_office_links_an_existing_pilot_project(staff_client, staff):
    running = PilotProject.objects.create(title="Bauakte digital", slug="bauakte-digital")
    idea = IdeaFactory(**READY)
    idea_move_to_stage(idea=idea, to_stage=Stage.CONCEPT, rationale="Konzept.", by=staff)

    missing = staff_client.post(
        f"/ideen/{idea.pk}/phase/",
        {"to_stage": "pilot", "rationale": "Passt.", "pilot_choice": "vorhanden"},
    )
    staff_client.post(
        f"/ideen/{idea.pk}/phase/",
        {
            "to_stage": "pilot",
            "rationale": "Passt.",
            "pilot_choice": "vorhanden",
            "pilot": str(running.pk),
        },
    )

    assert missing.status_code == 400
    assert "Bitte wählen Sie das Pilotprojekt, das verknüpft werden soll." in (
        missing.content.decode()
    )
    idea.refresh_from_db()
    assert idea.pilot == running
    assert PilotProject.objects.count() == 1


# --- Moderation --------------------------------------------------------------------------


def test_the_office_hides_a_comment_with_a_reason_the_author_is_told(staff_client, idea, comment):
    response = staff_client.post(
        f"/ideen/{idea.pk}/kommentare/{comment.pk}/ausblenden/",
        {"reason": "Werbung ist hier nicht erlaubt."},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/ideen/{idea.pk}/#kommentar-{comment.pk}"
    comment.refresh_from_db()
    idea.refresh_from_db()
    assert comment.is_hidden
    assert comment.hidden_reason == "Werbung ist hier nicht erlaubt."
    assert idea.comment_count == 0
    assert Notification.objects.filter(
        recipient=comment.author, kind=NotificationKind.HIDDEN, comment=comment
    ).exists()


def test_hiding_without_a_reason_is_refused(staff_client, idea, comment):
    response = staff_client.post(
        f"/ideen/{idea.pk}/kommentare/{comment.pk}/ausblenden/", {"reason": ""}
    )

    assert response.status_code == 400
    assert "Bitte nennen Sie der Verfasserin oder dem Verfasser einen Grund." in (
        response.content.decode()
    )
    comment.refresh_from_db()
    assert not comment.is_hidden


def test_the_office_shows_a_hidden_comment_again(staff_client, staff, idea, comment):
    staff_client.post(
        f"/ideen/{idea.pk}/kommentare/{comment.pk}/ausblenden/", {"reason": "Versehen."}
    )

    response = staff_client.post(f"/ideen/{idea.pk}/kommentare/{comment.pk}/wiederherstellen/")

    assert response.status_code == 302
    comment.refresh_from_db()
    idea.refresh_from_db()
    assert not comment.is_hidden
    assert idea.comment_count == 1


def test_a_comment_of_another_idea_answers_404(staff_client, comment):
    other = IdeaFactory()

    url = f"/ideen/{other.pk}/kommentare/{comment.pk}/ausblenden/"

    assert staff_client.get(url).status_code == 404


# --- Evaluators ------------------------------------------------------------------------


def test_the_office_asks_members_and_guests_to_evaluate(staff_client, idea):
    expert = GuestFactory(first_name="Eva", last_name="Expertin")
    colleague = MemberFactory()

    for person in (expert, colleague, expert):
        response = staff_client.post(f"/ideen/{idea.pk}/gutachtende/", {"evaluator": person.pk})
        assert response["Location"] == f"/ideen/{idea.pk}/#gutachtende"

    assert set(EvaluationAssignment.objects.values_list("evaluator", flat=True)) == {
        expert.pk,
        colleague.pk,
    }
    assert (
        Notification.objects.filter(
            recipient=expert, kind=NotificationKind.EVALUATION, idea=idea
        ).count()
        == 1
    )


def test_a_deactivated_account_cannot_be_asked(staff_client, idea):
    former = MemberFactory(is_active=False)

    response = staff_client.post(
        f"/ideen/{idea.pk}/gutachtende/", {"evaluator": former.pk}, follow=True
    )

    assert "Bitte wählen Sie die Person aus, die Sie fragen möchten." in response.content.decode()
    assert not EvaluationAssignment.objects.exists()


def test_the_office_withdraws_a_request_to_evaluate(staff_client, idea):
    assignment = EvaluationAssignmentFactory(idea=idea)
    elsewhere = EvaluationAssignmentFactory()

    wrong_idea = staff_client.post(f"/ideen/{idea.pk}/gutachtende/", {"remove": elsewhere.pk})
    response = staff_client.post(f"/ideen/{idea.pk}/gutachtende/", {"remove": assignment.pk})

    assert wrong_idea.status_code == 404
    assert response.status_code == 302
    assert list(EvaluationAssignment.objects.all()) == [elsewhere]


# --- The pipeline board -------------------------------------------------------------------


def test_the_board_shows_a_column_per_stage_with_cards(staff_client, staff):
    waiting = IdeaFactory(title="Wartet lange")
    Idea.objects.filter(pk=waiting.pk).update(
        stage_changed_at=timezone.now() - datetime.timedelta(days=12), support_count=4
    )
    CommentFactory(idea=waiting)
    EvaluationAssignmentFactory(idea=waiting)
    concept = IdeaFactory(title="Schon im Konzept")
    idea_move_to_stage(idea=concept, to_stage=Stage.CONCEPT, rationale="Ja.", by=staff)
    IdeaFactory(title="Zurückgestellt", stage=Stage.DEFERRED)

    response = staff_client.get("/geschaeftsstelle/ideen/")

    columns = {
        c.stage: c for c in [*response.context["main_columns"], *response.context["aside_columns"]]
    }
    assert [c.stage for c in response.context["main_columns"]] == list(pipeline.PIPELINE)
    assert [c.stage for c in response.context["aside_columns"]] == ["zurueckgestellt", "abgelehnt"]
    assert [card.idea.title for card in columns["idee"].cards] == ["Wartet lange"]
    card = columns["idee"].cards[0]
    assert (card.days, card.assigned, card.submitted) == (12, 1, 0)
    assert [stage for stage, _label in card.moves] == ["konzept", "zurueckgestellt", "abgelehnt"]
    assert columns["konzept"].count == 1
    assert columns["zurueckgestellt"].count == 1
    html = response.content.decode()
    assert "seit 12 Tagen" in html
    assert "4 Unterstützende" in html
    assert "1 Kommentar" in html
    assert "0 von 1 Bewertung abgegeben" in html
    assert f'action="/ideen/{waiting.pk}/phase/"' in html


def test_a_full_column_links_to_all_its_ideas(staff_client, monkeypatch):
    monkeypatch.setattr(pipeline, "CARD_LIMIT", 2)
    IdeaFactory.create_batch(3)

    response = staff_client.get("/geschaeftsstelle/ideen/")

    column = response.context["main_columns"][0]
    assert (len(column.cards), column.count) == (2, 3)
    assert 'href="/ideen/?phase=idee"' in response.content.decode()


def created_in(year, stages, staff):
    """An idea written in ``year`` that went along ``stages`` (after Idee)."""
    idea = IdeaFactory(**READY)
    Idea.objects.filter(pk=idea.pk).update(
        created_at=datetime.datetime(year, 6, 1, 12, tzinfo=datetime.UTC)
    )
    for stage in stages:
        idea_move_to_stage(idea=idea, to_stage=stage, rationale="Schritt.", by=staff)
    return idea


def test_the_funnel_counts_how_far_the_ideas_of_each_year_got(staff_client, staff):
    created_in(2023, [], staff)
    created_in(2023, ["konzept"], staff)
    created_in(2023, ["konzept", "pilot", "transfer"], staff)
    created_in(2023, ["konzept", "pilot", "zurueckgestellt"], staff)  # was in the pilot
    created_in(2024, ["konzept", "idee"], staff)  # taken back: still reached Konzept
    created_in(2024, ["abgelehnt"], staff)

    assert pipeline.funnel_years(user=staff) == [
        pipeline.FunnelYear(2023, (4, 3, 2, 1)),
        pipeline.FunnelYear(2024, (2, 1, 0, 0)),
    ]

    everything = staff_client.get("/geschaeftsstelle/ideen/").context["funnel"]
    only_2024 = staff_client.get("/geschaeftsstelle/ideen/?jahr=2024").context["funnel"]
    unknown_year = staff_client.get("/geschaeftsstelle/ideen/?jahr=1999").context["funnel"]

    assert everything.total == (6, 4, 2, 1)
    assert everything.shares == [100, 67, 33, 17]
    assert everything.message == (
        "Von 6 Ideen erreichten 4 das Konzept, 2 den Pilot und 1 den Transfer."
    )
    assert (only_2024.year, only_2024.total) == (2024, (2, 1, 0, 0))
    assert unknown_year.year is None


def test_the_funnel_is_an_svg_with_its_table(staff_client, staff):
    created_in(2024, ["konzept"], staff)

    html = staff_client.get("/geschaeftsstelle/ideen/").content.decode()

    assert '<svg class="chart" role="img"' in html
    assert "style=" not in html
    assert "<script>" not in html
    assert "Ideen, die die Phasen erreicht haben, nach dem Jahr ihrer Einreichung" in html


@pytest.mark.parametrize("ideas", [1, 12])
def test_board_query_budget(staff_client, staff, django_assert_max_num_queries, ideas):
    for n in range(ideas):
        idea = IdeaFactory(**READY)
        CommentFactory(idea=idea)
        EvaluationAssignmentFactory(idea=idea)
        if n % 2:
            idea_move_to_stage(idea=idea, to_stage=Stage.CONCEPT, rationale="Ja.", by=staff)
    staff_client.get("/geschaeftsstelle/ideen/")  # the first request stores the session clock

    # session, user, OTP device; counts per stage, the cards, their evaluations; the funnel
    with django_assert_max_num_queries(7):
        response = staff_client.get("/geschaeftsstelle/ideen/")

    assert sum(column.count for column in response.context["main_columns"]) == ideas


# --- The evaluation overview ---------------------------------------------------------------


@pytest.fixture
def evaluated(staff):
    """Three ideas: one scored high, one scored low, one not scored yet."""
    impact = CriterionFactory(name="Wirkung", weight=3, position=1)
    effort = CriterionFactory(name="Aufwand", weight=1, position=2)
    high = IdeaFactory(title="Starke Idee")
    low = IdeaFactory(title="Schwache Idee")
    open_ = IdeaFactory(title="Offene Idee")
    for idea, values in [(high, [(5, 3), (4, 5)]), (low, [(2, 1)])]:
        for impact_value, effort_value in values:
            assignment = EvaluationAssignmentFactory(
                idea=idea, evaluator=MemberFactory(), submitted_at=timezone.now()
            )
            Score.objects.create(assignment=assignment, criterion=impact, value=impact_value)
            Score.objects.create(assignment=assignment, criterion=effort, value=effort_value)
    EvaluationAssignmentFactory(idea=open_)
    EvaluationAssignmentFactory(idea=high)  # asked, not yet submitted
    return high, low, open_


def test_the_overview_lists_ideas_by_weighted_score(staff_client, evaluated):
    response = staff_client.get("/geschaeftsstelle/ideen/bewertung/")

    rows = response.context["page"].object_list
    assert [row.idea.title for row in rows] == ["Starke Idee", "Schwache Idee", "Offene Idee"]
    high = rows[0]
    # Wirkung 4.5 (weight 3), Aufwand 4.0 (weight 1): (13.5 + 4) / 4
    assert (high.submitted, high.assigned, high.averages, high.overall) == (2, 3, [4.5, 4.0], 4.38)
    assert (rows[1].overall, rows[2].overall) == (1.75, None)
    html = response.content.decode()
    assert "<strong>Wirkung</strong> – Gewichtung 3" in html
    assert 'href="/admin/ideas/criterion/"' in html


def test_the_overview_filters_ideas_not_yet_evaluated(staff_client, evaluated, staff):
    IdeaFactory(title="Niemand gefragt")
    _high, low, _open = evaluated
    idea_move_to_stage(idea=low, to_stage=Stage.CONCEPT, rationale="Ja.", by=staff)

    open_only = staff_client.get("/geschaeftsstelle/ideen/bewertung/?offen=1")
    in_concept = staff_client.get("/geschaeftsstelle/ideen/bewertung/?phase=konzept")

    assert {row.idea.title for row in open_only.context["page"].object_list} == {
        "Offene Idee",
        "Niemand gefragt",
    }
    assert [row.idea.title for row in in_concept.context["page"].object_list] == ["Schwache Idee"]


@pytest.mark.parametrize("ideas", [1, 12])
def test_evaluation_overview_query_budget(staff_client, django_assert_max_num_queries, ideas):
    criteria = [CriterionFactory(name=f"Kriterium {n}") for n in range(3)]
    for _n in range(ideas):
        assignment = EvaluationAssignmentFactory(submitted_at=timezone.now())
        for criterion in criteria:
            Score.objects.create(assignment=assignment, criterion=criterion, value=3)
    staff_client.get("/geschaeftsstelle/ideen/bewertung/")

    # session, user, OTP device; criteria, ideas with their counts, the averages
    with django_assert_max_num_queries(6):
        response = staff_client.get("/geschaeftsstelle/ideen/bewertung/")

    assert response.context["count"] == ideas


# --- The panel on the idea's page ---------------------------------------------------------


def test_the_idea_page_shows_the_office_panel_to_staff_only(
    staff_client, member_client, idea, evaluated
):
    high, _low, _open = evaluated
    EvaluationAssignment.objects.filter(idea=high, submitted_at__isnull=False).update(
        note="Vertraulich: Kosten unterschätzt."
    )
    high.visibility = "public"
    high.save()

    office = staff_client.get(f"/ideen/{high.pk}/").content.decode()
    member = member_client.get(f"/ideen/{high.pk}/").content.decode()

    assert "Für die Geschäftsstelle" in office
    assert "Begründung (für die Autor:innen sichtbar)" in office
    assert "Gewichtete Bewertung: 4,38 von 5" in office
    assert "Vertraulich: Kosten unterschätzt." in office
    assert "Für die Geschäftsstelle" not in member
    assert "Vertraulich" not in member


def test_the_office_panel_is_offered_to_people_of_every_role(staff_client, idea):
    guest = GuestFactory(first_name="Gesa", last_name="Gast")
    StaffFactory(first_name="Olaf", last_name="Office")
    MemberFactory(first_name="Inga", last_name="Inaktiv", is_active=False)

    html = staff_client.get(f"/ideen/{idea.pk}/").content.decode()

    assert f'<option value="{guest.pk}">Gesa Gast (Gast)</option>' in html
    assert "Olaf Office (Geschäftsstelle)" in html
    assert "Inaktiv" not in html


def test_every_office_page_needs_a_second_factor(idea):
    staff = StaffFactory()
    client = Client()
    client.force_login(staff)

    response = client.get("/geschaeftsstelle/ideen/")

    assert response.status_code == 302
    assert "/konto/" in response["Location"]


def test_an_idea_in_transfer_cannot_move_further(staff_client, staff):
    idea = IdeaFactory(stage=Stage.TRANSFER)

    page = staff_client.get(f"/ideen/{idea.pk}/phase/").content.decode()
    response = staff_client.post(
        f"/ideen/{idea.pk}/phase/", {"to_stage": "pilot", "rationale": "Zurück?"}
    )

    assert "Transfer ist die letzte Phase" in page
    assert "Eine Idee in der Phase „Transfer“ kann nicht in die Phase „Pilot“ wechseln." in (
        response.content.decode()
    )
