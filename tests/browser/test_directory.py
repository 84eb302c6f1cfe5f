"""A member looks for peers in the directory and keeps their own profile."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from innoclub.network.models import MunicipalityKind, Profile
from tests.browser.helpers import assert_accessible, sign_in, submit, wait_for_path
from tests.factories import MemberFactory, MunicipalityFactory, ProfileFactory, TopicFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def colleagues(member):
    heat = TopicFactory(name="Wärmeplanung", slug="waermeplanung")
    bamberg = MunicipalityFactory(
        name="Bamberg", ags="09461000", state="09", kind=MunicipalityKind.KREISFREIE_STADT
    )
    kassel = MunicipalityFactory(
        name="Kassel", ags="06611000", state="06", kind=MunicipalityKind.KREISFREIE_STADT
    )
    ProfileFactory(
        user=MemberFactory(first_name="Bernd", last_name="Bayer", municipality=bamberg)
    ).topics.add(heat)
    ProfileFactory(user=MemberFactory(first_name="Hanna", last_name="Hesse", municipality=kassel))
    ProfileFactory(user=member, in_directory=True)


def test_member_filters_the_directory_without_reloading_and_the_address_keeps_the_filter(
    page: Page, colleagues, password
) -> None:
    sign_in(page, "mitglied@example.org", password)
    wait_for_path(page, "/konto/")
    page.goto("/mitglieder/")
    assert_accessible(page)
    results = page.locator("#ergebnisse")
    expect(results).to_contain_text("Bayer")
    expect(results).to_contain_text("Hesse")
    page.evaluate("document.body.dataset.marker = 'same page'")

    page.select_option("#filter-state", "09")

    expect(results).not_to_contain_text("Hesse")
    expect(results).to_contain_text("Bayer")
    expect(page).to_have_url(re.compile(r"/mitglieder/\?.*land=09"))
    # htmx replaced the results; the page itself was not reloaded.
    assert page.evaluate("document.body.dataset.marker") == "same page"

    page.go_back()
    expect(page).to_have_url(re.compile(r"/mitglieder/$"))
    expect(page.locator("#ergebnisse")).to_contain_text("Hesse")

    # The filtered address can be shared: opened afresh it shows the same results.
    page.goto("/mitglieder/?land=09")
    assert_accessible(page)
    expect(page.locator("#filter-state")).to_have_value("09")
    expect(page.locator("#ergebnisse")).not_to_contain_text("Hesse")


def test_member_edits_the_profile_with_a_photo_and_hides_a_field(
    page: Page, colleagues, member, password, tmp_path, settings
) -> None:
    settings.MEDIA_ROOT = tmp_path
    photo = tmp_path / "portrait.png"
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 80, 40)).save(buffer, format="PNG")
    photo.write_bytes(buffer.getvalue())
    sign_in(page, "mitglied@example.org", password)
    wait_for_path(page, "/konto/")
    page.goto("/konto/profil/")

    page.locator("#id_can_help_with").fill("Wärmenetze im Altbau")
    page.locator("#id_looking_for").fill("Partner für ein Pilotprojekt")
    page.locator("#id_show_looking_for").uncheck()
    page.locator("#id_show_photo").check()
    page.locator("label", has_text="Wärmeplanung").click()
    page.locator("#id_photo_upload").set_input_files(str(photo))
    submit(page)

    wait_for_path(page, "/konto/profil/")
    assert_accessible(page)
    expect(page.locator("main [role=status]")).to_be_visible()
    profile = Profile.objects.get(user=member)
    assert profile.looking_for == "Partner für ein Pilotprojekt"
    assert not profile.show_looking_for
    assert [t.slug for t in profile.topics.all()] == ["waermeplanung"]

    page.goto(f"/mitglieder/{member.pk}/")
    assert_accessible(page)
    expect(page.locator("main")).to_contain_text("Wärmenetze im Altbau")
    photo_element = page.locator("img.profile__photo")
    expect(photo_element).to_be_visible()
    assert page.evaluate("document.querySelector('img.profile__photo').naturalWidth") == 600
