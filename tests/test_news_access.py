"""Who sees which article: drafts and scheduled ones exist only for the office (preview)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return ArticleFactory(title="Geheimer Entwurf", slug="entwurf", published_at=None)


@pytest.fixture
def scheduled():
    return ArticleFactory(
        title="Kommt noch",
        slug="kommt-noch",
        published_at=timezone.now() + datetime.timedelta(hours=2),
    )


@pytest.fixture
def published():
    return ArticleFactory(title="Schon draußen", slug="schon-draussen")


@pytest.mark.parametrize("persona", ["anon_client", "member_client", "guest_client"])
@pytest.mark.parametrize("slug", ["entwurf", "kommt-noch"])
def test_drafts_and_scheduled_articles_answer_404_to_everyone_but_the_office(
    request, draft, scheduled, persona, slug
):
    client = request.getfixturevalue(persona)

    assert client.get(f"/aktuelles/{slug}/").status_code == 404
    assert client.get(f"/aktuelles/{slug}/bild/").status_code == 404


@pytest.mark.parametrize("persona", ["anon_client", "member_client", "staff_client"])
def test_a_published_article_is_public(request, published, persona):
    response = request.getfixturevalue(persona).get("/aktuelles/schon-draussen/")

    assert response.status_code == 200
    assert "preview-banner" not in response.content.decode()


def test_the_office_sees_a_draft_with_a_preview_banner(staff_client, draft):
    response = staff_client.get("/aktuelles/entwurf/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="kern-alert kern-alert--warning preview-banner" role="status"' in html
    assert '<meta name="robots" content="noindex">' in html
    assert "no-store" in response["Cache-Control"]


def test_the_office_sees_a_scheduled_article_as_preview(staff_client, scheduled):
    response = staff_client.get("/aktuelles/kommt-noch/")

    assert response.status_code == 200
    assert response.context["preview"] is True


def test_a_scheduled_article_appears_once_its_time_has_come(anon_client, scheduled):
    assert anon_client.get("/aktuelles/kommt-noch/").status_code == 404

    scheduled.published_at = timezone.now() - datetime.timedelta(seconds=1)
    scheduled.save()

    assert anon_client.get("/aktuelles/kommt-noch/").status_code == 200


def test_lists_show_only_published_articles(anon_client, staff_client, draft, scheduled, published):
    for client in (anon_client, staff_client):
        titles = [a.title for a in client.get("/aktuelles/").context["page"].object_list]
        assert titles == ["Schon draußen"]
    assert [a.title for a in anon_client.get("/").context["latest_news"]] == ["Schon draußen"]
