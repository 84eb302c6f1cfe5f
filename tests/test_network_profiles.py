"""Profiles: who sees which field, editing, photos."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from innoclub.network.models import Profile
from tests.conftest import login_client
from tests.factories import GuestFactory, MemberFactory, ProfileFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reserved():
    """A member who shares little with other members."""
    return ProfileFactory(
        user=MemberFactory(first_name="Ruth", last_name="Reserviert", email="ruth@example.org"),
        bio="Privates über mich",
        can_help_with="Hilfe bei Vergaben",
        looking_for="Suche Partner für Glasfaser",
        phone="0171 1234567",
        show_bio=False,
        show_looking_for=False,
        show_email=False,
        show_phone=False,
    )


def test_other_members_see_only_the_shared_fields(member_client, reserved):
    html = member_client.get(f"/mitglieder/{reserved.user_id}/").content.decode()

    assert "Ruth Reserviert" in html
    assert "Hilfe bei Vergaben" in html
    assert "Privates über mich" not in html
    assert "Suche Partner für Glasfaser" not in html
    assert "ruth@example.org" not in html
    assert "0171 1234567" not in html


def test_the_owner_and_the_office_see_every_field(reserved, staff_client):
    own = login_client(reserved.user).get(f"/mitglieder/{reserved.user_id}/").content.decode()
    office = staff_client.get(f"/mitglieder/{reserved.user_id}/").content.decode()

    for html in (own, office):
        assert "Privates über mich" in html
        assert "ruth@example.org" in html
        assert "0171 1234567" in html


def test_people_outside_the_directory_are_unknown_to_other_members(member_client, staff_client):
    hidden = ProfileFactory(in_directory=False)

    assert member_client.get(f"/mitglieder/{hidden.user_id}/").status_code == 404
    assert staff_client.get(f"/mitglieder/{hidden.user_id}/").status_code == 200


@pytest.mark.parametrize(
    ("client_name", "status"),
    [("anon_client", 302), ("guest_client", 404), ("member_client", 200), ("staff_client", 200)],
)
def test_profiles_are_for_members_only(request, reserved, client_name, status):
    client = request.getfixturevalue(client_name)

    assert client.get(f"/mitglieder/{reserved.user_id}/").status_code == status


def test_unknown_and_former_members_answer_404(member_client):
    former = ProfileFactory(user=MemberFactory(is_active=False))

    assert member_client.get(f"/mitglieder/{former.user_id}/").status_code == 404
    assert member_client.get("/mitglieder/999999/").status_code == 404


def test_profile_page_query_budget(member_client, reserved, django_assert_max_num_queries):
    reserved.topics.add(TopicFactory(), TopicFactory())
    member_client.get("/konto/")

    with django_assert_max_num_queries(4):  # session, user, profile with municipality, topics
        member_client.get(f"/mitglieder/{reserved.user_id}/")


def form_data(**changes):
    data = {
        "academic_title": "Dr.",
        "function": "buergermeister",
        "position": "",
        "bio": "Neu im Amt.",
        "can_help_with": "Glasfaserausbau",
        "looking_for": "",
        "phone": "",
        "show_bio": "on",
        "show_can_help_with": "on",
        "in_directory": "on",
    }
    data.update(changes)
    return data


def png_bytes(size=(800, 600), with_exif=True) -> bytes:
    image = Image.new("RGB", size, (20, 120, 200))
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Kamera mit Standort"
    image.save(out, format="PNG", exif=exif.tobytes() if with_exif else b"")
    return out.getvalue()


def test_member_edits_their_profile_and_chooses_topics(member_client, member):
    topic = TopicFactory(name="Mobilität", slug="mobilitaet")

    response = member_client.post("/konto/profil/", form_data(topics=[topic.pk]))

    assert response.status_code == 302
    profile = Profile.objects.get(user=member)
    assert (profile.academic_title, profile.bio, profile.show_looking_for) == (
        "Dr.",
        "Neu im Amt.",
        False,
    )
    assert list(profile.topics.all()) == [topic]


def test_photo_is_re_encoded_square_without_metadata(member_client, member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("ich.png", png_bytes(), content_type="image/png")

    member_client.post("/konto/profil/", {**form_data(), "photo_upload": upload})

    profile = Profile.objects.get(user=member)
    with Image.open(profile.photo.path) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (600, 600)
        assert dict(stored.getexif()) == {}


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("ich.jpg", b"<?php echo 'no photo'; ?>", "image/jpeg"),
        (
            "ich.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "image/svg+xml",
        ),
        ("gross.png", png_bytes() + b"\0" * (5 * 1024 * 1024 + 1), "image/png"),
    ],
)
def test_bad_photos_are_refused_and_nothing_changes(
    member_client, member, settings, tmp_path, name, content, content_type
):
    settings.MEDIA_ROOT = tmp_path
    ProfileFactory(user=member, bio="Alt")

    response = member_client.post(
        "/konto/profil/",
        {
            **form_data(bio="Neu"),
            "photo_upload": SimpleUploadedFile(name, content, content_type=content_type),
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors["photo_upload"]
    profile = Profile.objects.get(user=member)
    assert (profile.bio, profile.photo.name) == ("Alt", "")
    assert list(tmp_path.iterdir()) == []


def test_member_removes_their_photo(member_client, member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    member_client.post(
        "/konto/profil/",
        {**form_data(), "photo_upload": SimpleUploadedFile("a.png", png_bytes(), "image/png")},
    )

    member_client.post("/konto/profil/", {**form_data(), "remove_photo": "on"})

    assert Profile.objects.get(user=member).photo.name == ""


def test_partners_name_their_organisation_and_sector_not_a_function(db):
    partner = GuestFactory()
    client = login_client(partner)

    form = client.get("/konto/profil/").context["form"]
    client.post(
        "/konto/profil/",
        {**form_data(), "organisation": "Hochschule Kehl", "sector": "wissenschaft"},
    )

    assert "function" not in form.fields
    assert {"organisation", "sector"} <= set(form.fields)
    profile = Profile.objects.get(user=partner)
    assert (profile.organisation, profile.sector, profile.function) == (
        "Hochschule Kehl",
        "wissenschaft",
        "",
    )


def test_profile_edit_needs_a_login(anon_client):
    assert anon_client.get("/konto/profil/").status_code == 302


def test_member_cannot_smuggle_fields_into_the_profile(member_client, member):
    member_client.post("/konto/profil/", {**form_data(), "member_since": "1990-01-01", "user": "1"})

    profile = Profile.objects.get(user=member)
    assert profile.member_since is None
    assert profile.user == member


def test_photos_are_served_only_to_those_who_may_see_them(
    member, settings, tmp_path, staff_client, anon_client, guest_client
):
    settings.MEDIA_ROOT = tmp_path
    owner = login_client(member)
    owner.post(
        "/konto/profil/",
        {
            **form_data(show_photo="on"),
            "photo_upload": SimpleUploadedFile("a.png", png_bytes(), "image/png"),
        },
    )
    other_member = login_client(MemberFactory())
    url = f"/mitglieder/{member.pk}/foto/"

    shown = other_member.get(url)
    Profile.objects.filter(user=member).update(show_photo=False)
    hidden = other_member.get(url)

    assert shown.status_code == 200
    assert shown["Content-Type"] == "image/jpeg"
    assert shown["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in shown["Content-Security-Policy"]
    assert hidden.status_code == 404
    assert owner.get(url).status_code == 200
    assert staff_client.get(url).status_code == 200
    assert guest_client.get(url).status_code == 404
    assert anon_client.get(url).status_code == 302
    assert "/medien/" not in other_member.get(f"/mitglieder/{member.pk}/").content.decode()
