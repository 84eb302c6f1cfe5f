"""Pages run a fixed number of queries, whatever the amount of data."""

from __future__ import annotations

import pytest

from innoclub.core.models import AccessibilityFeedback
from tests.factories import ArticleFactory, EventFactory, MemberFactory, PublicationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("members", [1, 3])
def test_start_page_query_budget(anon_client, django_assert_max_num_queries, members):
    MemberFactory.create_batch(members)
    ArticleFactory.create_batch(members * 2)
    PublicationFactory.create_batch(members)

    EventFactory.create_batch(members)

    # the key figures (their version, then, on the first request, members and
    # municipalities); publications; the three latest articles; the next forum;
    # the pilots that spread (the version of the cached ones, then, on the
    # first request, counting them)
    with django_assert_max_num_queries(8):
        anon_client.get("/")
    with django_assert_max_num_queries(5):
        response = anon_client.get("/")
    assert response.context["figures"]["members"] == members


@pytest.mark.parametrize("items", [1, 3])
def test_office_page_query_budget(staff_client, django_assert_max_num_queries, items):
    for n in range(items):
        AccessibilityFeedback.objects.create(message=f"Rückmeldung {n}")

    staff_client.get("/geschaeftsstelle/")  # the first request of a login stores the session clock

    # session, user, OTP device, legal pages, feedback
    with django_assert_max_num_queries(5):
        response = staff_client.get("/geschaeftsstelle/")

    assert len(response.context["feedback"]) == items


def test_legal_page_query_budget(anon_client, django_assert_num_queries):
    with django_assert_num_queries(1):
        anon_client.get("/impressum/")
