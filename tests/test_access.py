"""Who may open what: the access matrix of the foundation's pages."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from innoclub.core.access import Visibility, is_member, is_staff, may_see, visible_levels
from innoclub.core.models import LegalPage
from tests.factories import GuestFactory, MemberFactory, StaffFactory

PAGES = {
    # url: (anonymous, guest, member, staff) -> expected status
    "/": (200, 200, 200, 200),
    "/impressum/": (200, 200, 200, 200),
    "/healthz": (200, 200, 200, 200),
    "/livez": (200, 200, 200, 200),
    "/konto/": (302, 200, 200, 200),
    "/konto/zwei-faktor/": (302, 200, 200, 200),
    "/geschaeftsstelle/": (302, 404, 404, 200),
    "/geschaeftsstelle/rechtstexte/impressum/": (302, 404, 404, 200),
    "/admin/": (302, 302, 302, 200),
}


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_access_matrix(url, anon_client, guest_client, member_client, staff_client):
    clients = (anon_client, guest_client, member_client, staff_client)

    statuses = tuple(client.get(url).status_code for client in clients)

    assert statuses == PAGES[url]


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_the_login_with_the_page_to_return_to(anon_client):
    response = anon_client.get("/geschaeftsstelle/")

    assert response.status_code == 302
    assert response["Location"] == "/konto/anmelden/?next=/geschaeftsstelle/"


@pytest.mark.django_db
def test_member_cannot_post_to_office_pages(member_client):
    response = member_client.post(
        "/geschaeftsstelle/rechtstexte/impressum/", {"title": "Gekapert", "body": "x"}
    )

    assert response.status_code == 404
    assert not LegalPage.objects.filter(title="Gekapert").exists()


@pytest.mark.django_db
def test_visibility_levels_per_persona():
    member, guest, staff = MemberFactory(), GuestFactory(), StaffFactory()
    inactive = MemberFactory(is_active=False)

    assert visible_levels(AnonymousUser()) == {"public"}
    assert visible_levels(guest) == {"public"}
    assert visible_levels(inactive) == {"public"}
    assert visible_levels(member) == {"public", "members"}
    assert visible_levels(staff) == {"public", "members", "participants", "staff"}
    assert (is_member(member), is_member(guest), is_member(staff)) == (True, False, True)
    assert (is_staff(member), is_staff(guest), is_staff(staff)) == (False, False, True)


@pytest.mark.django_db
def test_may_see_follows_the_visibility_of_the_object():
    class Note:
        def __init__(self, visibility: str) -> None:
            self.visibility = visibility

    member = MemberFactory()

    assert may_see(AnonymousUser(), Note(Visibility.PUBLIC))
    assert not may_see(AnonymousUser(), Note(Visibility.MEMBERS))
    assert may_see(member, Note(Visibility.MEMBERS))
    assert not may_see(member, Note(Visibility.STAFF))
