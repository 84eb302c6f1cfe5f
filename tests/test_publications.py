"""Publications: the public list and detail, the PDF download, and what the admin refuses."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from innoclub.news import files
from innoclub.news.models import Publication
from tests.factories import ArticleFactory, PublicationFactory, TopicFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def admin_data(**changes):
    data = {
        "kind": "chapter",
        "title": "Der Innovators Club – ein Werkstattbericht",
        "slug": "werkstattbericht",
        "authors": "Alexander Handschuh",
        "year": "2024",
        "container_title": "Kommunale Innovationen",
        "publisher": "",
        "abstract": "",
        "cover_alt": "",
        "link": "",
    }
    data.update(changes)
    return data


def test_the_list_shows_publications_with_their_citation(anon_client):
    PublicationFactory(title="Der Innovators Club – ein Werkstattbericht", year=2024)
    PublicationFactory(title="Bürgerräte in der Kommune", kind="report", year=2022)

    response = anon_client.get("/publikationen/")
    html = response.content.decode()

    assert [p.title for p in response.context["publications"]] == [
        "Der Innovators Club – ein Werkstattbericht",
        "Bürgerräte in der Kommune",
    ]
    assert "Alexander Handschuh (2024)" in html
    assert "Kommunale Innovationen" in html


def test_the_detail_page_links_topics_and_only_published_articles(anon_client):
    topic = TopicFactory(name="Digitale Verwaltung", slug="digitale-verwaltung")
    publication = PublicationFactory(slug="werkstattbericht", link="https://example.org/buch")
    publication.topics.add(topic)
    publication.articles.add(
        ArticleFactory(title="Beitrag erschienen"),
        ArticleFactory(title="Entwurf", published_at=None),
    )

    html = anon_client.get("/publikationen/werkstattbericht/").content.decode()

    assert 'href="/themen/digitale-verwaltung/"' in html
    assert "Beitrag erschienen" in html
    assert "Entwurf" not in html
    assert 'href="https://example.org/buch" rel="noopener"' in html


def test_the_pdf_is_served_as_a_download_with_safe_headers(anon_client):
    publication = PublicationFactory(slug="leitfaden")
    publication.file.save("x.pdf", ContentFile(PDF))

    response = anon_client.get("/publikationen/leitfaden/datei/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="leitfaden.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_a_publication_without_file_has_no_download(anon_client):
    PublicationFactory(slug="ohne")

    assert anon_client.get("/publikationen/ohne/datei/").status_code == 404
    assert anon_client.get("/publikationen/fehlt/").status_code == 404


def test_the_office_adds_a_publication_with_a_pdf_in_the_admin(staff_client):
    response = staff_client.post(
        "/admin/news/publication/add/",
        admin_data(file=SimpleUploadedFile("bericht.pdf", PDF, content_type="application/pdf")),
    )

    publication = Publication.objects.get()
    assert response.status_code == 302
    assert publication.file.name.startswith("publikationen/dateien/")
    assert publication.file.name.endswith(".pdf")


@pytest.mark.parametrize(
    "link",
    ["javascript:alert(1)", "ftp://example.org/x.pdf", "data:text/html,hallo", "mailto:a@b.de"],
)
def test_a_link_with_another_scheme_than_http_is_refused(staff_client, link):
    response = staff_client.post("/admin/news/publication/add/", admin_data(link=link))

    assert response.status_code == 200
    assert "link" in response.context["adminform"].form.errors
    assert Publication.objects.count() == 0


def test_a_file_that_is_not_a_pdf_is_refused(staff_client):
    fake = SimpleUploadedFile(
        "bericht.pdf", b"<html><script>alert(1)</script>", content_type="application/pdf"
    )

    response = staff_client.post("/admin/news/publication/add/", admin_data(file=fake))

    assert response.status_code == 200
    assert "file" in response.context["adminform"].form.errors
    assert Publication.objects.count() == 0


def test_an_oversized_pdf_is_refused(staff_client, monkeypatch):
    monkeypatch.setattr(files, "PDF_MAX_BYTES", len(PDF) - 1)
    upload = SimpleUploadedFile("bericht.pdf", PDF, content_type="application/pdf")

    response = staff_client.post("/admin/news/publication/add/", admin_data(file=upload))

    assert response.status_code == 200
    assert "file" in response.context["adminform"].form.errors
    assert Publication.objects.count() == 0


def test_a_cover_needs_alternative_text_and_is_re_encoded(staff_client):
    def cover():
        out = BytesIO()
        Image.new("RGB", (30, 40), "teal").save(out, format="PNG")
        return SimpleUploadedFile("cover.png", out.getvalue(), content_type="image/png")

    refused = staff_client.post("/admin/news/publication/add/", admin_data(cover=cover()))
    accepted = staff_client.post(
        "/admin/news/publication/add/", admin_data(cover=cover(), cover_alt="Buchumschlag in Blau")
    )

    assert refused.status_code == 200
    assert accepted.status_code == 302
    assert Publication.objects.get().cover.name.endswith(".jpg")
