"""Evaluators score the ideas the office asked them about; the office reads weighted
scores and the evaluators' notes, which nobody else ever sees."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from innoclub.core.access import Visibility
from innoclub.ideas import evaluation, pipeline, selectors
from innoclub.ideas.models import Criterion, EvaluationAssignment, Score
from tests.conftest import login_client
from tests.factories import GuestFactory, MemberFactory
from tests.ideas_factories import CriterionFactory, EvaluationAssignmentFactory, IdeaFactory

pytestmark = pytest.mark.django_db

NOTE = "Nur für die Geschäftsstelle: Kosten deutlich unterschätzt."


@pytest.fixture
def criteria():
    return [
        CriterionFactory(
            name="Wirkung", weight=3, position=1, description="Wie vielen Menschen hilft es?"
        ),
        CriterionFactory(name="Übertragbarkeit", weight=1, position=2),
        CriterionFactory(name="Alt", weight=5, position=3, is_active=False),
    ]


@pytest.fixture
def author():
    return MemberFactory(first_name="Anna", last_name="Autorin")


@pytest.fixture
def evaluator():
    return GuestFactory(first_name="Eva", last_name="Expertin")


@pytest.fixture
def assignment(author, evaluator):
    idea = IdeaFactory(title="Digitale Bauakte", authors=[author], visibility=Visibility.MEMBERS)
    return EvaluationAssignmentFactory(idea=idea, evaluator=evaluator)


def url(assignment: EvaluationAssignment) -> str:
    return f"/ideen/{assignment.idea_id}/bewertung/"


def scores_for(criteria: list[Criterion], *values: int) -> dict[str, str]:
    return {f"criterion_{c.pk}": str(v) for c, v in zip(criteria, values, strict=False)}


def test_the_evaluator_sees_every_criterion_in_use_as_a_scale(criteria, assignment, evaluator):
    response = login_client(evaluator).get(url(assignment))

    html = response.content.decode()
    assert response.status_code == 200
    assert "„Digitale Bauakte“ bewerten" in html
    assert f'<legend class="kern-label" id="id_criterion_{criteria[0].pk}">Wirkung</legend>' in html
    assert "Wie vielen Menschen hilft es? (Gewichtung 3)" in html
    assert html.count('type="radio"') == 10
    assert "Alt" not in html
    assert "Notiz für die Geschäftsstelle (nur dort sichtbar)" in html


def test_the_evaluator_scores_the_idea(criteria, assignment, evaluator):
    client = login_client(evaluator)

    response = client.post(url(assignment), {**scores_for(criteria, 4, 2), "note": NOTE})

    assert response.status_code == 302
    assert response["Location"] == url(assignment)
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None
    assert assignment.note == NOTE
    assert sorted(assignment.scores.values_list("criterion__name", "value")) == [
        ("Wirkung", 4),
        ("Übertragbarkeit", 2),
    ]
    again = client.get(url(assignment)).content.decode()
    assert "Vielen Dank! Ihre Bewertung ist gespeichert." in again
    assert f'id="id_criterion_{criteria[0].pk}_3" value="4" checked' in again


def test_submitting_again_replaces_the_scores(criteria, assignment, evaluator):
    client = login_client(evaluator)
    client.post(url(assignment), {**scores_for(criteria, 4, 2), "note": NOTE})

    client.post(url(assignment), {**scores_for(criteria, 1, 5), "note": ""})

    assignment.refresh_from_db()
    assert sorted(Score.objects.values_list("criterion__name", "value")) == [
        ("Wirkung", 1),
        ("Übertragbarkeit", 5),
    ]
    assert assignment.note == ""


@pytest.mark.parametrize(
    "values",
    [
        pytest.param((7, 2), id="out of range"),
        pytest.param((0, 2), id="zero"),
        pytest.param((4,), id="missing criterion"),
    ],
)
def test_bad_scores_are_refused_in_german_and_nothing_is_stored(
    criteria, assignment, evaluator, values
):
    data = scores_for(criteria, *values)
    if len(values) == 2:
        data[f"criterion_{criteria[1].pk}"] = "2"

    response = login_client(evaluator).post(url(assignment), {**data, "note": NOTE})

    html = response.content.decode()
    assert response.status_code == 400
    assert "Bitte prüfen Sie Ihre Eingaben" in html
    wrong = criteria[0] if values[0] != 4 else criteria[1]
    assert f"Bitte bewerten Sie „{wrong.name}“ mit 1 bis 5 Punkten." in html
    assert f'href="#id_criterion_{wrong.pk}_0"' in html
    assignment.refresh_from_db()
    assert assignment.submitted_at is None
    assert assignment.note == ""
    assert not Score.objects.exists()


def test_the_service_refuses_unknown_criteria_and_scores_out_of_range(criteria, assignment):
    with pytest.raises(ValidationError) as unknown:
        evaluation.evaluation_submit(
            assignment=assignment, scores={criteria[0].pk: 3, criteria[1].pk: 3, 999_999: 3}
        )
    with pytest.raises(ValidationError) as too_high:
        evaluation.evaluation_submit(
            assignment=assignment, scores={criteria[0].pk: 6, criteria[1].pk: 3}
        )

    assert unknown.value.messages == ["Bitte bewerten Sie nur die aufgeführten Kriterien."]
    assert too_high.value.messages == ["Bitte bewerten Sie „Wirkung“ mit 1 bis 5 Punkten."]
    assert not Score.objects.exists()


def test_without_criteria_there_is_nothing_to_score(assignment, evaluator):
    response = login_client(evaluator).get(url(assignment))

    assert "Die Geschäftsstelle hat noch keine Bewertungskriterien festgelegt." in (
        response.content.decode()
    )
    assert 'type="radio"' not in response.content.decode()


@pytest.mark.parametrize("persona", ["member", "guest", "staff", "author"])
def test_only_the_asked_evaluator_may_score(request, criteria, assignment, persona):
    client = login_client(request.getfixturevalue(persona))

    assert client.get(url(assignment)).status_code == 404
    assert client.post(url(assignment), scores_for(criteria, 5, 5)).status_code == 404
    assert not Score.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login(anon_client, assignment):
    response = anon_client.get(url(assignment))

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/")


def test_a_deactivated_evaluator_cannot_score(criteria, assignment, evaluator):
    client = login_client(evaluator)
    evaluator.is_active = False
    evaluator.save()

    response = client.get(url(assignment))

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/")


def test_scores_are_weighted_by_the_criteria(criteria, assignment, staff):
    """Two evaluators: Wirkung 4 and 5 (weight 3), Übertragbarkeit 2 and 1 (weight 1)."""
    idea = assignment.idea
    second = EvaluationAssignmentFactory(idea=idea)
    waiting = EvaluationAssignmentFactory(idea=idea)
    evaluation.evaluation_submit(
        assignment=assignment, scores={criteria[0].pk: 4, criteria[1].pk: 2}
    )
    evaluation.evaluation_submit(assignment=second, scores={criteria[0].pk: 5, criteria[1].pk: 1})
    assert waiting.submitted_at is None

    scores = selectors.idea_scores(idea=idea)
    [row] = pipeline.evaluation_rows(user=staff, criteria=criteria[:2])

    # (4.5 × 3 + 1.5 × 1) / 4 = 3.75
    assert (scores.submitted, scores.assigned, scores.overall) == (2, 3, 3.75)
    assert [(r.criterion, r.weight, r.average) for r in scores.rows] == [
        ("Wirkung", 3, 4.5),
        ("Übertragbarkeit", 1, 1.5),
    ]
    assert (row.submitted, row.assigned, row.averages, row.overall) == (2, 3, [4.5, 1.5], 3.75)


def test_notes_never_appear_on_the_idea_page_but_for_the_office(
    criteria, assignment, author, evaluator, member, staff
):
    evaluation.evaluation_submit(
        assignment=assignment, scores={criteria[0].pk: 4, criteria[1].pk: 2}, note=NOTE
    )
    page = f"/ideen/{assignment.idea_id}/"

    for person in (author, member, evaluator):
        html = login_client(person).get(page).content.decode()
        assert "Digitale Bauakte" in html
        assert "Kosten deutlich unterschätzt" not in html
        assert "Gewichtete Bewertung" not in html
    assert "Kosten deutlich unterschätzt" in login_client(staff).get(page).content.decode()
