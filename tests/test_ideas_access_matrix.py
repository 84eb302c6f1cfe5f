"""The permission matrix of the idea forge, as adhocracy+ writes it: every persona
against every action, on a members' idea and on a public one. "Allowed" means the
action took effect; "refused" means nothing changed and the answer was a 404 (or,
for anonymous visitors of a page that needs a login, the login page)."""

from __future__ import annotations

import pytest
from django.test import Client

from innoclub.core.access import Visibility
from innoclub.ideas.models import Comment, Idea, Stage, Support
from tests.conftest import login_client
from tests.factories import GuestFactory, MemberFactory
from tests.ideas_factories import CriterionFactory, EvaluationAssignmentFactory, IdeaFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "guest", "member", "author", "evaluator", "staff"]
ACTIONS = ["view", "edit", "comment", "support", "move", "evaluate"]

# A members' idea: the evaluator is an external expert (a guest) the office asked.
MEMBERS_IDEA = {
    "view": {"member", "author", "evaluator", "staff"},
    "edit": {"author", "staff"},
    "comment": {"member", "author", "evaluator", "staff"},
    "support": {"member", "author"},
    "move": {"staff"},
    "evaluate": {"evaluator"},
}
# A public idea: everybody reads it; guests may join the discussion but not support.
PUBLIC_IDEA = {
    **MEMBERS_IDEA,
    "view": set(PERSONAS),
    "comment": {"guest", "member", "author", "evaluator", "staff"},
}


@pytest.fixture
def setting(guest, member, staff):
    author = MemberFactory(first_name="Anna", last_name="Autorin")
    evaluator = GuestFactory(first_name="Eva", last_name="Expertin")
    CriterionFactory(name="Wirkung", weight=3)
    clients = {
        "anonymous": Client(),
        "guest": login_client(guest),
        "member": login_client(member),
        "author": login_client(author),
        "evaluator": login_client(evaluator),
        "staff": login_client(staff),
    }
    return clients, author, evaluator


def _idea(visibility: str, author, evaluator):
    idea = IdeaFactory(title="Bürgerbus auf Abruf", visibility=visibility, authors=[author])
    EvaluationAssignmentFactory(idea=idea, evaluator=evaluator)
    return idea


def _act(client: Client, action: str, idea: Idea):
    base = f"/ideen/{idea.pk}/"
    if action == "view":
        return client.get(base)
    if action == "edit":
        return client.get(f"{base}bearbeiten/")
    if action == "comment":
        return client.post(f"{base}kommentare/", {"body": "Das haben wir 2024 erprobt."})
    if action == "support":
        return client.post(f"{base}unterstuetzen/")
    if action == "move":
        return client.post(
            f"{base}phase/", {"to_stage": Stage.CONCEPT, "rationale": "Gute Resonanz im Forum."}
        )
    return client.get(f"{base}bewertung/")


def _took_effect(action: str, idea: Idea, response) -> bool:
    if action == "comment":
        return Comment.objects.filter(idea=idea).exists()
    if action == "support":
        return Support.objects.filter(idea=idea).exists()
    if action == "move":
        return Idea.objects.get(pk=idea.pk).stage == Stage.CONCEPT
    return response.status_code == 200


def _refused_properly(persona: str, response) -> bool:
    if response.status_code == 404:
        return True
    # Pages behind a login send anonymous visitors to it.
    return (
        persona == "anonymous"
        and response.status_code == 302
        and response["Location"].startswith("/konto/anmelden/")
    )


@pytest.mark.parametrize("visibility", [Visibility.MEMBERS, Visibility.PUBLIC])
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix(setting, persona, action, visibility):
    clients, author, evaluator = setting
    idea = _idea(visibility, author, evaluator)
    allowed = (MEMBERS_IDEA if visibility == Visibility.MEMBERS else PUBLIC_IDEA)[action]

    response = _act(clients[persona], action, idea)

    if persona in allowed:
        assert _took_effect(action, idea, response), response.status_code
        assert response.status_code in (200, 302)
    else:
        assert not _took_effect(action, idea, response)
        assert _refused_properly(persona, response), (
            response.status_code,
            response.get("Location"),
        )


def test_an_author_cannot_edit_once_the_idea_is_a_pilot(setting):
    clients, author, evaluator = setting
    idea = _idea(Visibility.MEMBERS, author, evaluator)
    Idea.objects.filter(pk=idea.pk).update(stage=Stage.PILOT)

    response = clients["author"].post(
        f"/ideen/{idea.pk}/bearbeiten/",
        {"title": "Umbenannt", "problem": "x", "proposal": "y", "kind": "technisch"},
    )

    assert response.status_code == 404
    assert Idea.objects.get(pk=idea.pk).title == "Bürgerbus auf Abruf"
