"""The office writes, previews and publishes news; nobody else may."""

from __future__ import annotations

import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from innoclub.news.models import Article, ArticleState
from tests.factories import ArticleFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def png(width: int = 40, height: int = 20) -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGB", (width, height), "navy").save(out, format="PNG")
    return SimpleUploadedFile("foto.png", out.getvalue(), content_type="image/png")


def article_data(**changes):
    data = {
        "title": "Wärmeplan-Pilot findet Nachahmer",
        "teaser": "Elf weitere Kommunen übernehmen das Vorgehen.",
        "body": "## Ergebnis\n\nEs funktioniert.",
        "image_alt": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "url",
    [
        "/geschaeftsstelle/aktuelles/",
        "/geschaeftsstelle/aktuelles/neu/",
        "/geschaeftsstelle/aktuelles/{pk}/",
    ],
)
@pytest.mark.parametrize("persona", ["member_client", "guest_client"])
def test_members_and_guests_get_404_on_office_pages(request, persona, url):
    article = ArticleFactory(published_at=None)
    client = request.getfixturevalue(persona)

    assert client.get(url.format(pk=article.pk)).status_code == 404
    assert (
        client.post(f"/geschaeftsstelle/aktuelles/{article.pk}/veroeffentlichen/").status_code
        == 404
    )
    article.refresh_from_db()
    assert article.published_at is None


def test_anonymous_visitors_are_sent_to_the_login(anon_client):
    response = anon_client.get("/geschaeftsstelle/aktuelles/neu/")

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/")


def test_staff_write_a_draft_then_publish_it(staff_client, staff, anon_client):
    topic = TopicFactory(name="Wärmeplanung", slug="waermeplanung")

    response = staff_client.post(
        "/geschaeftsstelle/aktuelles/neu/", article_data(topics=[topic.pk])
    )

    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/geschaeftsstelle/aktuelles/{article.pk}/"
    assert article.slug == "waermeplan-pilot-findet-nachahmer"
    assert article.state is ArticleState.DRAFT
    assert article.author == staff
    assert list(article.topics.all()) == [topic]
    assert anon_client.get(f"/aktuelles/{article.slug}/").status_code == 404

    response = staff_client.post(f"/geschaeftsstelle/aktuelles/{article.pk}/veroeffentlichen/")

    article.refresh_from_db()
    assert response.status_code == 302
    assert article.state is ArticleState.PUBLISHED
    assert anon_client.get(f"/aktuelles/{article.slug}/").status_code == 200


def test_staff_schedule_an_article(staff_client, anon_client):
    article = ArticleFactory(published_at=None, slug="geplant")
    later = timezone.localtime() + datetime.timedelta(days=3)

    staff_client.post(
        f"/geschaeftsstelle/aktuelles/{article.pk}/veroeffentlichen/",
        {"publish_at": later.strftime("%Y-%m-%dT%H:%M")},
    )

    article.refresh_from_db()
    assert article.state is ArticleState.SCHEDULED
    assert anon_client.get("/aktuelles/geplant/").status_code == 404


def test_staff_take_an_article_back_to_draft(staff_client, anon_client):
    article = ArticleFactory(slug="zurueck")

    staff_client.post(f"/geschaeftsstelle/aktuelles/{article.pk}/zurueckziehen/")

    article.refresh_from_db()
    assert article.published_at is None
    assert anon_client.get("/aktuelles/zurueck/").status_code == 404


def test_an_image_without_alternative_text_is_refused_and_nothing_is_stored(staff_client, tmp_path):
    response = staff_client.post(
        "/geschaeftsstelle/aktuelles/neu/", article_data(image_upload=png())
    )

    assert response.status_code == 400
    errors = response.context["form"].errors.as_data()["image_alt"]
    assert [error.code for error in errors] == ["alt_text_required"]
    assert 'href="#id_image_alt"' in response.content.decode()
    assert Article.objects.count() == 0
    assert list(tmp_path.rglob("*.jpg")) == []


def test_removing_the_alt_text_of_an_existing_image_is_refused(staff_client):
    staff_client.post(
        "/geschaeftsstelle/aktuelles/neu/", article_data(image_upload=png(), image_alt="Ein Bild")
    )
    article = Article.objects.get()

    response = staff_client.post(
        f"/geschaeftsstelle/aktuelles/{article.pk}/", article_data(title="Neu", image_alt="")
    )

    article.refresh_from_db()
    assert response.status_code == 400
    assert article.title == "Wärmeplan-Pilot findet Nachahmer"
    assert article.image_alt == "Ein Bild"


def test_an_uploaded_image_is_re_encoded_as_jpeg_and_shown_with_its_alt_text(
    staff_client, anon_client
):
    staff_client.post(
        "/geschaeftsstelle/aktuelles/neu/",
        article_data(image_upload=png(3200, 1600), image_alt="Ein Wärmenetz im Bau"),
    )
    article = Article.objects.get()
    staff_client.post(f"/geschaeftsstelle/aktuelles/{article.pk}/veroeffentlichen/")

    html = anon_client.get(f"/aktuelles/{article.slug}/").content.decode()
    image = anon_client.get(f"/aktuelles/{article.slug}/bild/")

    assert article.image.name.startswith("aktuelles/") and article.image.name.endswith(".jpg")
    assert f'src="/aktuelles/{article.slug}/bild/" alt="Ein Wärmenetz im Bau"' in html
    assert image["Content-Type"] == "image/jpeg"
    with Image.open(BytesIO(b"".join(image.streaming_content))) as stored:
        assert (stored.format, stored.size) == ("JPEG", (1600, 800))


def test_a_file_that_is_not_an_image_is_refused(staff_client):
    fake = SimpleUploadedFile("bild.png", b"<svg onload=alert(1)>", content_type="image/png")

    response = staff_client.post(
        "/geschaeftsstelle/aktuelles/neu/", article_data(image_upload=fake, image_alt="x")
    )

    assert response.status_code == 400
    assert "image_upload" in response.context["form"].errors
    assert Article.objects.count() == 0


def test_the_office_list_shows_every_article_with_its_state(staff_client):
    ArticleFactory(title="Entwurf A", published_at=None)
    ArticleFactory(title="Geplant B", published_at=timezone.now() + datetime.timedelta(days=1))
    ArticleFactory(title="Öffentlich C")

    articles = staff_client.get("/geschaeftsstelle/aktuelles/").context["articles"]

    assert [(a.title, a.state) for a in articles] == [
        ("Entwurf A", ArticleState.DRAFT),
        ("Geplant B", ArticleState.SCHEDULED),
        ("Öffentlich C", ArticleState.PUBLISHED),
    ]
