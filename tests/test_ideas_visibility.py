"""Who sees which idea: public, members, a named group; authors, evaluators and the
office always. Lists, counts and single pages all start from ``ideas_visible``."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from innoclub.core.access import Visibility
from innoclub.ideas import selectors
from innoclub.ideas.models import GROUP
from tests.factories import GuestFactory, MemberFactory
from tests.ideas_factories import EvaluationAssignmentFactory, IdeaFactory, IdeaGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(member, guest, staff):
    author = MemberFactory(first_name="Anna", last_name="Autorin")
    group_member = MemberFactory(first_name="Gero", last_name="Gruppe")
    evaluator = GuestFactory(first_name="Eva", last_name="Expertin")
    group = IdeaGroupFactory(name="Arbeitskreis Wärme", members=[group_member])
    ideas = {
        "public": IdeaFactory(title="Öffentlich", visibility=Visibility.PUBLIC, authors=[author]),
        "members": IdeaFactory(title="Mitglieder", visibility=Visibility.MEMBERS, authors=[author]),
        "group": IdeaFactory(title="Gruppe", visibility=GROUP, group=group, authors=[author]),
    }
    EvaluationAssignmentFactory(idea=ideas["group"], evaluator=evaluator)
    people = {
        "anonymous": AnonymousUser(),
        "guest": guest,
        "member": member,
        "group member": group_member,
        "author": author,
        "evaluator": evaluator,
        "staff": staff,
    }
    return people, ideas


EXPECTED = {
    "anonymous": {"public"},
    "guest": {"public"},
    "member": {"public", "members"},
    "group member": {"public", "members", "group"},
    "author": {"public", "members", "group"},
    "evaluator": {"public", "group"},
    "staff": {"public", "members", "group"},
}


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_each_persona_sees_exactly_the_ideas_shared_with_them(world, persona):
    people, ideas = world
    user = people[persona]

    visible = set(selectors.ideas_visible(user).values_list("title", flat=True))

    assert visible == {ideas[key].title for key in EXPECTED[persona]}
    for key, idea in ideas.items():
        if key in EXPECTED[persona]:
            assert selectors.idea_for_viewer(user=user, pk=idea.pk) == idea
        else:
            with pytest.raises(Http404):
                selectors.idea_for_viewer(user=user, pk=idea.pk)


def test_a_deactivated_member_sees_only_public_ideas(world):
    people, _ideas = world
    author = people["author"]
    author.is_active = False
    author.save(update_fields=["is_active"])

    visible = set(selectors.ideas_visible(author).values_list("title", flat=True))

    assert visible == {"Öffentlich"}


def test_an_idea_with_several_authors_and_evaluators_is_listed_once(world):
    people, ideas = world
    idea = ideas["members"]
    idea.authors.add(people["member"], people["group member"])
    EvaluationAssignmentFactory(idea=idea, evaluator=people["member"])

    titles = list(selectors.ideas_visible(people["member"]).values_list("title", flat=True))

    assert sorted(titles) == ["Mitglieder", "Öffentlich"]
