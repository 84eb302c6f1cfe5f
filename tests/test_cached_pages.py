"""Parts of pages rendered once and read from the cache (core/sections.py):
the idea list's results, the discussion's threads, the directory's results,
the pilot's adoption register and the start page's key figures. Each shows a
change on the next request, and never shows one viewer what another sees."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.signals import user_logged_in
from django.test import Client, RequestFactory
from django.utils import timezone

from innoclub.core import sections
from innoclub.core.access import Visibility
from innoclub.events import services as event_services
from innoclub.ideas import engagement
from innoclub.ideas.models import GROUP, Comment
from innoclub.pilots import services as pilot_services
from innoclub.search import query as search_query
from tests.conftest import login_client
from tests.factories import (
    MemberFactory,
    ProfileFactory,
    RegistrationFactory,
    SessionFactory,
    StaffFactory,
    TopicFactory,
)
from tests.ideas_factories import CommentFactory, IdeaFactory, IdeaGroupFactory
from tests.pilots_factories import AdoptionFactory, MilestoneFactory, PilotFactory
from tests.test_search_pages import put

pytestmark = pytest.mark.django_db


# --- The idea list ---------------------------------------------------------------------


def test_a_new_supporter_and_comment_show_on_the_cached_card_at_once(anon_client, member):
    idea = IdeaFactory(title="Dorfladen mit Selbstbedienung", visibility=Visibility.PUBLIC)
    assert "0 Unterstützungen" in anon_client.get("/ideen/").content.decode()

    engagement.support_add(idea=idea, user=member)
    engagement.comment_create(idea=idea, author=member, body="Machen wir auch.")

    html = anon_client.get("/ideen/").content.decode()
    assert "1 Unterstützung<" in html
    assert "1 Kommentar<" in html


def test_an_idea_made_public_appears_in_the_visitors_cached_list(anon_client):
    idea = IdeaFactory(title="Bürgerbus am Wochenende", visibility=Visibility.MEMBERS)
    assert "Bürgerbus" not in anon_client.get("/ideen/").content.decode()

    idea.visibility = Visibility.PUBLIC
    idea.save()

    assert "Bürgerbus" in anon_client.get("/ideen/").content.decode()


def test_the_cached_list_of_one_member_is_never_shown_to_another(member_client):
    insider = MemberFactory()
    group = IdeaGroupFactory(members=[insider])
    IdeaFactory(title="Geheime Gruppenidee", visibility=GROUP, group=group, authors=[insider])

    assert "Geheime Gruppenidee" in login_client(insider).get("/ideen/").content.decode()
    # The same address, rendered and cached for the insider a moment ago.
    assert "Geheime Gruppenidee" not in member_client.get("/ideen/").content.decode()


def test_a_renamed_author_shows_on_the_cached_card(member_client):
    author = MemberFactory(first_name="Jana", last_name="Vogt")
    IdeaFactory(authors=[author])
    assert "Jana Vogt" in member_client.get("/ideen/").content.decode()

    author.last_name = "Vogt-Berger"
    author.save()

    assert "Jana Vogt-Berger" in member_client.get("/ideen/").content.decode()


def test_the_pagination_keeps_the_addresss_other_parameters(anon_client):
    for n in range(21):
        IdeaFactory(title=f"Öffentliche Idee {n}", visibility=Visibility.PUBLIC)

    first = anon_client.get("/ideen/", {"sortierung": "unterstuetzung"}).content.decode()
    plain = anon_client.get("/ideen/").content.decode()

    assert "sortierung=unterstuetzung&amp;seite=2" in first
    assert "sortierung" not in plain.split('class="pagination"')[1]


# --- The discussion ----------------------------------------------------------------------


def test_a_new_comment_shows_in_the_cached_discussion(anon_client):
    idea = IdeaFactory(visibility=Visibility.PUBLIC)
    CommentFactory(idea=idea, body="Erster Beitrag")
    url = f"/ideen/{idea.pk}/"
    assert "Erster Beitrag" in anon_client.get(url).content.decode()

    engagement.comment_create(idea=idea, author=MemberFactory(), body="Zweiter Beitrag")

    assert "Zweiter Beitrag" in anon_client.get(url).content.decode()


def test_the_edit_link_goes_away_when_the_edit_window_closes(member_client, member):
    idea = IdeaFactory(visibility=Visibility.PUBLIC)
    comment = engagement.comment_create(idea=idea, author=member, body="Noch zu korrigieren")
    url = f"/ideen/{idea.pk}/"
    edit = f"/ideen/{idea.pk}/kommentare/{comment.pk}/bearbeiten/"
    assert edit in member_client.get(url).content.decode()
    assert edit in member_client.get(url).content.decode()

    # Time passes; no data changes.
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - engagement.COMMENT_EDIT_WINDOW - datetime.timedelta(minutes=1)
    )

    assert edit not in member_client.get(url).content.decode()


def test_the_offices_buttons_are_never_read_from_the_cache(anon_client, staff_client):
    idea = IdeaFactory(visibility=Visibility.PUBLIC)
    CommentFactory(idea=idea)
    url = f"/ideen/{idea.pk}/"
    anon_client.get(url)

    html = staff_client.get(url).content.decode()

    assert "/ausblenden/" in html
    assert "/ausblenden/" not in anon_client.get(url).content.decode()


def test_the_visitors_cached_idea_page_shows_a_new_interest_at_once(anon_client):
    idea = IdeaFactory(visibility=Visibility.PUBLIC)
    member = MemberFactory(municipality__name="Bad Beispielheim")
    url = f"/ideen/{idea.pk}/"
    assert "Bad Beispielheim" not in anon_client.get(url).content.decode()

    engagement.interest_declare(idea=idea, user=member, note="Wir wären dabei.")

    assert "Bad Beispielheim" in anon_client.get(url).content.decode()


def test_members_never_get_the_visitors_cached_idea_page(anon_client, member_client):
    idea = IdeaFactory(visibility=Visibility.PUBLIC)
    url = f"/ideen/{idea.pk}/"
    visitor = anon_client.get(url).content.decode()
    assert f"/ideen/{idea.pk}/unterstuetzen/" not in visitor

    html = member_client.get(url).content.decode()

    assert f'action="/ideen/{idea.pk}/unterstuetzen/"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_a_members_kept_idea_page_follows_their_support_and_following(member_client, member):
    idea = IdeaFactory(visibility=Visibility.MEMBERS)
    url = f"/ideen/{idea.pk}/"
    first = member_client.get(url).content.decode()
    assert "Ich unterstütze<" in first
    assert "Idee folgen<" in first
    assert _tokenless(member_client.get(url).content.decode()) == _tokenless(first)

    engagement.follow_add(idea=idea, user=member)
    assert "Sie folgen dieser Idee" in member_client.get(url).content.decode()

    engagement.support_add(idea=idea, user=member)
    assert "Sie unterstützen diese Idee." in member_client.get(url).content.decode()


def test_a_members_kept_idea_page_is_never_shown_to_another_member(member_client, member):
    idea = IdeaFactory(visibility=Visibility.MEMBERS)
    url = f"/ideen/{idea.pk}/"
    engagement.support_add(idea=idea, user=member)
    assert "Sie unterstützen diese Idee." in member_client.get(url).content.decode()

    # The same address, rendered and kept for the supporter a moment ago.
    other = login_client(MemberFactory()).get(url).content.decode()

    assert "Sie unterstützen diese Idee." not in other
    assert "Ich unterstütze<" in other


def test_the_forms_of_a_kept_idea_page_carry_each_sessions_own_token(member):
    idea = IdeaFactory(visibility=Visibility.MEMBERS)
    url = f"/ideen/{idea.pk}/"
    laptop, phone = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    laptop.force_login(member)
    phone.force_login(member)
    laptop.get(url)  # rendered and kept with the laptop's session

    page = phone.get(url).content.decode()
    assert sections.TOKEN_MARK not in page

    response = phone.post(
        f"/ideen/{idea.pk}/unterstuetzen/",
        {"aktion": "hinzufuegen", "csrfmiddlewaretoken": _token(page)},
    )
    assert response.status_code in (200, 302)
    assert idea.supports.filter(user=member).exists()


def test_a_kept_idea_page_is_refused_once_the_viewer_may_no_longer_see_it(anon_client):
    insider = MemberFactory()
    group = IdeaGroupFactory(members=[insider])
    idea = IdeaFactory(visibility=Visibility.PUBLIC)
    url = f"/ideen/{idea.pk}/"
    insider_client = login_client(insider)
    assert anon_client.get(url).status_code == 200
    assert insider_client.get(url).status_code == 200

    idea.visibility, idea.group = GROUP, group
    idea.save()
    assert anon_client.get(url).status_code == 404
    assert insider_client.get(url).status_code == 200

    group.members.remove(insider)
    assert insider_client.get(url).status_code == 404


def _tokenless(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


# --- A forum's program ------------------------------------------------------------------


def test_a_participants_kept_program_follows_their_agenda(member):
    session = SessionFactory(title="Werkstatt Wärmeplanung")
    RegistrationFactory(event=session.event, user=member)
    client = login_client(member)
    url = f"/foren/{session.event.slug}/"
    assert "In meine Agenda<" in client.get(url).content.decode()

    event_services.agenda_toggle(user=member, session=session)

    html = client.get(url).content.decode()
    assert "In Ihrer Agenda" in html
    # Another participant, whose agenda is empty, gets the program without it.
    other = MemberFactory()
    RegistrationFactory(event=session.event, user=other)
    assert "In Ihrer Agenda" not in login_client(other).get(url).content.decode()


def test_the_agenda_buttons_of_a_kept_program_carry_the_sessions_own_token(member):
    session = SessionFactory()
    RegistrationFactory(event=session.event, user=member)
    url = f"/foren/{session.event.slug}/"
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(member)
    second.force_login(member)
    first.get(url)  # rendered and kept with the first session's token

    page = second.get(url).content.decode()
    response = second.post(
        f"/foren/{session.event.slug}/programm/{session.slug}/agenda/",
        {"csrfmiddlewaretoken": _token(page)},
    )

    assert response.status_code == 302
    assert session.agenda_items.filter(user=member).exists()


# --- The directory -----------------------------------------------------------------------


def test_a_changed_profile_shows_in_the_cached_directory(member_client):
    profile = ProfileFactory(user__first_name="Lena", user__last_name="Schulz")
    assert "Lena Schulz" in member_client.get("/mitglieder/").content.decode()

    profile.academic_title = "Dr."
    profile.save()

    assert "Dr. Lena Schulz" in member_client.get("/mitglieder/").content.decode()


def test_the_kept_directory_filter_offers_a_new_topic_and_keeps_the_query(member_client):
    assert "Wasserstoff" not in member_client.get("/mitglieder/").content.decode()

    TopicFactory(name="Wasserstoff", slug="wasserstoff")

    assert '<option value="wasserstoff">Wasserstoff</option>' in (
        member_client.get("/mitglieder/").content.decode()
    )
    searched = member_client.get("/mitglieder/", {"q": "Vogt"}).content.decode()
    assert 'name="q" value="Vogt"' in searched


def test_the_offices_view_of_the_directory_is_not_shown_to_members(staff_client, member_client):
    ProfileFactory(user__last_name="Verborgen", in_directory=False)
    ProfileFactory(user__last_name="Sichtbar")

    assert "Verborgen" in staff_client.get("/mitglieder/").content.decode()
    html = member_client.get("/mitglieder/").content.decode()
    assert "Sichtbar" in html
    assert "Verborgen" not in html


def test_a_sign_in_does_not_make_the_cached_sections_stale(member):
    before = sections.version("people")

    user_logged_in.send(sender=type(member), request=RequestFactory().get("/"), user=member)

    assert sections.version("people") == before


# --- The pilot's adoption register and the start page --------------------------------


def test_a_new_adoption_shows_in_the_cached_register(anon_client):
    pilot = PilotFactory(visibility=Visibility.PUBLIC)
    url = f"/pilotprojekte/{pilot.slug}/"
    assert "Noch keine Kommune hat erklärt" in anon_client.get(url).content.decode()

    AdoptionFactory(pilot=pilot, municipality__name="Kleinstadt am See")

    assert "Kleinstadt am See" in anon_client.get(url).content.decode()


def test_the_register_marks_the_viewers_own_municipality_only_for_them(anon_client):
    pilot = PilotFactory(visibility=Visibility.PUBLIC)
    adoption = AdoptionFactory(pilot=pilot)
    url = f"/pilotprojekte/{pilot.slug}/"
    neighbour = login_client(adoption.declared_by)

    assert "adoptions__row--own" in neighbour.get(url).content.decode()
    assert "adoptions__row--own" not in anon_client.get(url).content.decode()
    assert "adoptions__row--own" not in login_client(StaffFactory()).get(url).content.decode()


def test_the_start_page_counts_a_new_member_at_once(anon_client):
    MemberFactory()
    first = anon_client.get("/").context["figures"]["members"]

    MemberFactory()

    assert anon_client.get("/").context["figures"]["members"] == first + 1


# --- The API's lists ---------------------------------------------------------------------


def test_the_cached_api_list_shows_a_change_at_once(anon_client):
    idea = IdeaFactory(title="Solarkataster", visibility=Visibility.PUBLIC)
    first = anon_client.get("/api/v1/ideas").json()
    assert [item["support_count"] for item in first["items"]] == [0]

    engagement.support_add(idea=idea, user=MemberFactory())

    again = anon_client.get("/api/v1/ideas")
    assert again["Content-Type"] == "application/json; charset=utf-8"
    assert [item["support_count"] for item in again.json()["items"]] == [1]


def test_the_cached_api_list_follows_the_language_and_the_address(anon_client):
    for n in range(3):
        IdeaFactory(title=f"Idee {n}", visibility=Visibility.PUBLIC)

    german = anon_client.get("/api/v1/ideas?limit=2", HTTP_ACCEPT_LANGUAGE="de").json()
    english = anon_client.get("/api/v1/ideas?limit=2", HTTP_ACCEPT_LANGUAGE="en").json()
    other_host = anon_client.get("/api/v1/ideas?limit=2", HTTP_HOST="127.0.0.1").json()

    assert german["items"][0]["stage_label"] == "Idee"
    assert english["items"][0]["stage_label"] == "Idea"
    assert german["next"].startswith("http://testserver/")
    assert other_host["next"].startswith("http://127.0.0.1/")


def test_the_cached_api_list_of_a_member_is_not_given_to_visitors(member):
    IdeaFactory(title="Nur für Mitglieder", visibility=Visibility.MEMBERS)
    signed_in = login_client(member)

    assert signed_in.get("/api/v1/ideas").json()["count"] == 1
    assert login_client(MemberFactory()).get("/api/v1/ideas").json()["count"] == 1
    assert Client().get("/api/v1/ideas").json()["count"] == 0


# --- The pilot's page ---------------------------------------------------------------------


def test_the_cached_pilot_page_shows_new_milestones_and_funding(anon_client):
    pilot = PilotFactory(visibility=Visibility.PUBLIC)
    url = f"/pilotprojekte/{pilot.slug}/"
    first = anon_client.get(url).content.decode()
    assert "Ausschreibung veröffentlicht" not in first

    # Both replace their rows with bulk_create, which sends no signal.
    pilot_services.pilot_milestones_save(
        pilot=pilot,
        milestones=[
            pilot_services.MilestoneRow("Ausschreibung veröffentlicht", datetime.date(2026, 3, 1))
        ],
    )
    pilot_services.pilot_funding_save(
        pilot=pilot, sources=[pilot_services.FundingRow("Förderprogramm Landfunk")]
    )

    html = anon_client.get(url).content.decode()
    assert "Ausschreibung veröffentlicht" in html
    assert "Förderprogramm Landfunk" in html


def test_the_cached_pilot_page_names_a_renamed_contact(member_client):
    contact = MemberFactory(first_name="Ole", last_name="Hansen")
    ProfileFactory(user=contact)
    pilot = PilotFactory(visibility=Visibility.PUBLIC, contacts=[contact])
    url = f"/pilotprojekte/{pilot.slug}/"
    assert "Ole Hansen" in member_client.get(url).content.decode()

    contact.last_name = "Hansen-Meyer"
    contact.save()

    assert "Ole Hansen-Meyer" in member_client.get(url).content.decode()


def test_the_cached_pilot_page_shows_an_idea_of_its_chain_once_it_is_public(anon_client):
    pilot = PilotFactory(visibility=Visibility.PUBLIC)
    idea = IdeaFactory(title="Ursprung des Piloten", visibility=Visibility.MEMBERS, pilot=pilot)
    url = f"/pilotprojekte/{pilot.slug}/"
    assert "Ursprung des Piloten" not in anon_client.get(url).content.decode()

    idea.visibility = Visibility.PUBLIC
    idea.save()

    assert "Ursprung des Piloten" in anon_client.get(url).content.decode()


def test_several_versions_are_read_in_one_query_and_each_change_shows(
    django_assert_num_queries,
):
    with django_assert_num_queries(1):
        before = sections.versions(("pilots", "pilot-pages"))

    MilestoneFactory()  # a part of a pilot's page only (and its new pilot)

    after = sections.versions(("pilots", "pilot-pages"))
    assert after != before
    assert after.split("-")[1] != before.split("-")[1]


# --- The search page ----------------------------------------------------------------------


def test_a_kept_search_page_shows_a_new_document_at_once(anon_client, monkeypatch):
    monkeypatch.setattr(search_query, "KEEP_COUNTS_AFTER", 0)  # keep even this quick search
    put("Wärmepumpe im Rathaus")
    first = anon_client.get("/suche/", {"q": "Wärmepumpe"})
    assert first.context["results"].kept_as
    assert "Wärmepumpe</mark> im Freibad" not in first.content.decode()

    put("Wärmepumpe im Freibad")

    assert (
        "Wärmepumpe</mark> im Freibad"
        in anon_client.get("/suche/", {"q": "Wärmepumpe"}).content.decode()
    )


def test_a_kept_search_page_is_kept_for_its_audience_only(anon_client, member_client, monkeypatch):
    monkeypatch.setattr(search_query, "KEEP_COUNTS_AFTER", 0)
    put("Wärmepumpe im Rathaus")
    hint = "Members sign in to search them as well"  # where nothing matches
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}

    visitor = anon_client.get("/suche/", {"q": "Solarpark"}, **english)
    member = member_client.get("/suche/", {"q": "Solarpark"}, **english)

    assert visitor.context["results"].kept_as
    assert hint in visitor.content.decode()
    assert hint not in member.content.decode()
