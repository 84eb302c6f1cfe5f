"""The administration of the idea forge: criteria are edited in the list, ideas
never change their stage or counters there, comments are moderated on the site."""

from __future__ import annotations

import pytest

from innoclub.ideas.models import Idea
from innoclub.pilots.models import PilotProject
from tests.factories import MemberFactory
from tests.ideas_factories import CommentFactory, CriterionFactory, IdeaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return MemberFactory(first_name="Anna", last_name="Autorin")


@pytest.fixture
def idea(author):
    return IdeaFactory(title="Digitale Bauakte", authors=[author])


@pytest.fixture
def comment(idea):
    return CommentFactory(idea=idea, body="Das ist Werbung für meine Firma.")


def test_the_admin_edits_criteria_in_the_list(staff_client):
    criterion = CriterionFactory(name="Wirkung", weight=1)

    page = staff_client.get("/admin/ideas/criterion/")
    response = staff_client.post(
        "/admin/ideas/criterion/",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(criterion.pk),
            "form-0-weight": "4",
            "form-0-position": "2",
            "form-0-is_active": "on",
            "_save": "Sichern",
        },
    )

    assert 'name="form-0-weight"' in page.content.decode()
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert (criterion.weight, criterion.position) == (4, 2)


def test_the_admin_never_changes_an_ideas_stage_or_counters(staff_client, idea, author):
    Idea.objects.filter(pk=idea.pk).update(support_count=3)
    url = f"/admin/ideas/idea/{idea.pk}/change/"

    page = staff_client.get(url).content.decode()
    response = staff_client.post(
        url,
        {
            "title": "Digitale Bauakte (neu)",
            "problem": idea.problem,
            "proposal": idea.proposal,
            "kind": idea.kind,
            "authors": [author.pk],
            "visibility": "members",
            "stage": "transfer",
            "support_count": "99",
        },
    )

    assert "Die Phase ändert sich nur über das Formular auf der Seite der Idee" in page
    assert f'href="/ideen/{idea.pk}/phase/"' in page
    assert 'name="stage"' not in page
    assert response.status_code == 302
    idea.refresh_from_db()
    assert (idea.title, idea.stage, idea.support_count) == ("Digitale Bauakte (neu)", "idee", 3)


def test_the_admin_refuses_group_sharing_without_a_group(staff_client, idea, author):
    response = staff_client.post(
        f"/admin/ideas/idea/{idea.pk}/change/",
        {
            "title": idea.title,
            "problem": idea.problem,
            "proposal": idea.proposal,
            "kind": idea.kind,
            "authors": [author.pk],
            "visibility": "group",
        },
    )

    assert response.status_code == 200
    assert "Bitte wählen Sie die Gruppe, mit der Sie die Idee teilen möchten." in (
        response.content.decode()
    )
    idea.refresh_from_db()
    assert idea.visibility == "members"


def test_the_admin_lists_comments_for_moderation_and_pilots(staff_client, comment):
    PilotProject.objects.create(title="Bauakte digital", slug="bauakte-digital")

    comments = staff_client.get("/admin/ideas/comment/").content.decode()
    pilots = staff_client.get("/admin/pilots/pilotproject/").content.decode()

    assert "Das ist Werbung für meine Firma." in comments
    assert f'href="/ideen/{comment.idea_id}/kommentare/{comment.pk}/ausblenden/"' in comments
    assert "Bauakte digital" in pilots
    assert staff_client.get("/admin/ideas/comment/add/").status_code == 403
