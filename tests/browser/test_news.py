"""News in the browser: the start page with news, an article, publications, and the
office's way from a draft through the preview to the published article."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image
from playwright.sync_api import FilePayload, Page, expect

from innoclub.network.models import Topic
from innoclub.news import services
from tests.browser.helpers import assert_accessible, sign_in, submit, totp_token, wait_for_path
from tests.factories import ArticleFactory, PublicationFactory, TopicFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def jpeg() -> ContentFile[bytes]:
    out = BytesIO()
    Image.new("RGB", (800, 400), "steelblue").save(out, format="JPEG")
    return ContentFile(out.getvalue(), name="bild.jpg")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_start_page_with_the_latest_news(
    open_page: Callable[..., Page], viewport: str, member
) -> None:
    for n in range(4):
        ArticleFactory(title=f"Meldung Nummer {n}")
    PublicationFactory()
    page = open_page(viewport)
    page.goto("/")
    assert_accessible(page)

    expect(page.locator("#news-title + .news-list .news-item")).to_have_count(3)
    page.locator("#news-title + .news-list a").first.click()
    assert_accessible(page)
    expect(page.locator("h1")).to_have_text("Meldung Nummer 3")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_an_article_with_image_and_topics(
    open_page: Callable[..., Page], viewport: str, staff
) -> None:
    topic = Topic.objects.create(name="Kommunale Wärmeplanung", slug="waermeplanung")
    article = services.article_create(
        author=staff,
        title="Wärmeplan-Pilot findet Nachahmer",
        teaser="Elf weitere Kommunen übernehmen das Vorgehen.",
        body="## Ergebnis\n\nEs **funktioniert**.\n\n- eins\n- zwei\n\n[Mehr](https://example.org)",
        topics=[topic],
        image=jpeg(),
        image_alt="Ein Wärmenetz im Bau",
    )
    services.article_publish(article=article)
    PublicationFactory(title="Gemeinsam zum Wärmeplan").articles.add(article)  # type: ignore[attr-defined]

    page = open_page(viewport)
    page.goto(f"/aktuelles/{article.slug}/")
    assert_accessible(page)

    image = page.get_by_role("img", name="Ein Wärmenetz im Bau")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.naturalWidth") == 800
    expect(page.get_by_role("link", name="Kommunale Wärmeplanung", exact=True)).to_have_attribute(
        "href", "/themen/waermeplanung/"
    )
    page.get_by_role("link", name="Gemeinsam zum Wärmeplan").click()
    assert_accessible(page)
    page.goto("/aktuelles/")
    assert_accessible(page)
    page.goto("/publikationen/")
    assert_accessible(page)


def test_the_office_writes_previews_and_publishes_an_article(
    open_page: Callable[..., Page], staff, staff_device: TOTPDevice, password: str
) -> None:
    page = open_page()
    TopicFactory(name="Mobilität", slug="mobilitaet")
    sign_in(page, "office@example.org", password)
    wait_for_path(page, "/konto/anmelden/bestaetigen/")
    page.locator("#id_token").fill(totp_token(staff_device))
    submit(page)
    wait_for_path(page, "/konto/")

    page.goto("/geschaeftsstelle/aktuelles/neu/")
    assert_accessible(page)
    page.locator("#id_title").fill("Rufbus im Landkreis: Fahrgastzahlen verdoppelt")
    page.locator("#id_teaser").fill("Der Pilot übertrifft die Erwartungen.")
    page.locator("#id_body").fill("Seit einem Jahr fährt der **Rufbus**.")
    page.get_by_label("Mobilität").check()
    # An image without alternative text is refused, with the error linked to the field.
    page.locator("#id_image_upload").set_input_files(
        files=[FilePayload(name="bus.jpg", mimeType="image/jpeg", buffer=jpeg().read())]
    )
    submit(page)
    assert_accessible(page, status=400)
    expect(page.locator("#id_image_alt")).to_have_attribute("aria-invalid", "true")
    page.locator("#id_image_upload").set_input_files(
        files=[FilePayload(name="bus.jpg", mimeType="image/jpeg", buffer=jpeg().read())]
    )
    page.locator("#id_image_alt").fill("Ein Rufbus an einer Haltestelle im Dorf")
    submit(page)
    assert_accessible(page)

    page.locator("main a[href^='/aktuelles/rufbus']").first.click()
    wait_for_path(page, "/aktuelles/rufbus-im-landkreis-fahrgastzahlen-verdoppelt/")
    assert_accessible(page)
    expect(page.locator(".preview-banner")).to_be_visible()
    page.locator(".preview-banner a").click()

    submit(page, "form[action$='/veroeffentlichen/'] button[type=submit]")
    wait_for_path(page, "/geschaeftsstelle/aktuelles/")
    assert_accessible(page)
    expect(page.locator("tbody tr").first).to_contain_text("Rufbus im Landkreis")

    visitor = open_page("phone")
    visitor.goto("/aktuelles/rufbus-im-landkreis-fahrgastzahlen-verdoppelt/")
    assert_accessible(visitor)
    expect(visitor.locator(".preview-banner")).to_have_count(0)
    expect(
        visitor.get_by_role("img", name="Ein Rufbus an einer Haltestelle im Dorf")
    ).to_be_visible()
