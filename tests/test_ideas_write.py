"""Writing ideas: a new idea, editing one, who may do it, bad input, files, similar ideas."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from innoclub.core.access import Visibility
from innoclub.core.markdown import render_markdown
from innoclub.ideas.models import GROUP, Idea, IdeaAttachment, Kind, Stage, StageChange
from innoclub.ideas.services import ATTACHMENT_MAX_BYTES
from tests.conftest import login_client
from tests.factories import (
    EventFactory,
    GuestFactory,
    MemberFactory,
    MunicipalityFactory,
    ProfileFactory,
    SessionFactory,
    StaffFactory,
    TopicFactory,
)
from tests.ideas_factories import IdeaFactory, IdeaGroupFactory

pytestmark = pytest.mark.django_db

NEW = "/ideen/neu/"


def edit_url(idea: Idea) -> str:
    return f"/ideen/{idea.pk}/bearbeiten/"


def idea_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Digitale Bauakte für kleine Gemeinden",
        "problem": "Bauanträge liegen wochenlang auf Papier zwischen den Ämtern.",
        "proposal": "Eine gemeinsame **digitale Bauakte** für den Landkreis.",
        "kind": Kind.TECHNICAL,
        "visibility": Visibility.MEMBERS,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def colleague():
    """A member in the directory, who can be named as co-author."""
    return ProfileFactory(
        user=MemberFactory(first_name="Clara", last_name="Kollegin"), in_directory=True
    ).user


# --- A new idea -----------------------------------------------------------------


def test_member_submits_an_idea_and_lands_on_its_page_as_its_author(member, member_client):
    energy = TopicFactory(name="Energie")

    response = member_client.post(NEW, idea_data(topics=[energy.pk], context="Eine Kleinstadt."))

    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/ideen/{idea.pk}/"
    assert messages_of(response) == [
        "Ihre Idee „Digitale Bauakte für kleine Gemeinden“ wurde eingereicht."
    ]
    assert idea.stage == Stage.IDEA
    assert list(idea.authors.all()) == [member]
    assert idea.created_by == member
    assert list(idea.topics.all()) == [energy]
    assert idea.municipality is None
    assert idea.context == "Eine Kleinstadt."
    assert list(StageChange.objects.values_list("from_stage", "to_stage", "changed_by")) == [
        ("", Stage.IDEA, member.pk)
    ]


def test_the_form_starts_with_the_authors_municipality_and_offers_active_topics_only(
    member, member_client
):
    TopicFactory(name="Energie")
    TopicFactory(name="Archiviert", is_active=False)

    response = member_client.get(NEW)
    form = response.context["form"]
    html = response.content.decode()

    assert response.status_code == 200
    assert form["municipality"].value() == member.municipality_id
    assert [topic.name for topic in form.fields["topics"].queryset] == ["Energie"]
    assert "Archiviert" not in html
    # No concept yet: its fields come once the idea is a concept.
    assert "goals" not in form.fields
    assert "Neue Idee einreichen" in html


def test_co_authors_are_chosen_among_members_in_the_directory(member, member_client, colleague):
    hidden = MemberFactory(first_name="Vera", last_name="Verborgen")
    ProfileFactory(
        user=MemberFactory(first_name="Lutz", last_name="Gegangen"),
        in_directory=True,
        member_since=datetime.date(2015, 1, 1),
        left_on=datetime.date(2020, 1, 1),
    )
    ProfileFactory(user=GuestFactory(first_name="Gina", last_name="Gast"), in_directory=True)
    ProfileFactory(user=member, in_directory=True)

    form = member_client.get(NEW).context["form"]
    offered = list(form.fields["people"].queryset)

    assert offered == [colleague]
    assert hidden not in offered

    response = member_client.post(NEW, idea_data(people=[colleague.pk]))

    idea = Idea.objects.get()
    assert response.status_code == 302
    assert set(idea.authors.all()) == {member, colleague}


def test_a_member_outside_the_directory_cannot_be_named_by_a_forged_form(member_client):
    hidden = MemberFactory()

    response = member_client.post(NEW, idea_data(people=[hidden.pk]))

    assert response.status_code == 400
    assert "people" in response.context["form"].errors
    assert not Idea.objects.exists()


def test_the_office_enters_an_idea_for_members_and_does_not_become_an_author(
    staff, staff_client, colleague
):
    outside = MemberFactory(first_name="Otto", last_name="Ohneverzeichnis")

    refused = staff_client.post(NEW, idea_data())
    response = staff_client.post(NEW, idea_data(people=[colleague.pk, outside.pk]))

    assert refused.status_code == 400
    assert refused.context["form"].errors["people"] == [
        "Bitte nennen Sie mindestens ein Mitglied als Autorin oder Autor."
    ]
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert set(idea.authors.all()) == {colleague, outside}
    assert idea.created_by == staff
    assert idea.stage_changes.get().changed_by == staff


def test_guests_may_not_write_ideas_and_anonymous_visitors_are_asked_to_sign_in(
    guest_client, anon_client
):
    assert guest_client.get(NEW).status_code == 404
    assert guest_client.post(NEW, idea_data()).status_code == 404
    response = anon_client.post(NEW, idea_data())
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/")
    assert not Idea.objects.exists()


def test_an_idea_can_name_the_forum_session_it_was_born_in(member_client):
    past = SessionFactory(
        title="Werkstatt Wärme", event__starts_on=timezone.localdate() - datetime.timedelta(days=90)
    )
    hidden = SessionFactory(
        event__starts_on=timezone.localdate() - datetime.timedelta(days=90),
        event__visibility=Visibility.STAFF,
    )
    future = SessionFactory()

    form = member_client.get(NEW, {"sitzung": past.pk}).context["form"]
    offered = [
        value
        for _group, options in form.fields["origin_session"].choices[1:]
        for value, _ in options
    ]
    refused = member_client.post(NEW, idea_data(origin_session=future.pk))
    response = member_client.post(NEW, idea_data(origin_session=past.pk))

    assert form["origin_session"].value() == str(past.pk)
    assert offered == [str(past.pk)]
    assert str(hidden.pk) not in offered
    assert refused.status_code == 400
    assert "origin_session" in refused.context["form"].errors
    assert response.status_code == 302
    assert Idea.objects.get().origin_session == past


def test_sharing_with_a_group_needs_a_group_of_ones_own(member, member_client):
    own = IdeaGroupFactory(name="Arbeitskreis Wärme", members=[member])
    other = IdeaGroupFactory(name="Fremder Kreis")

    form = member_client.get(NEW).context["form"]
    without_group = member_client.post(NEW, idea_data(visibility=GROUP))
    foreign_group = member_client.post(NEW, idea_data(visibility=GROUP, group=other.pk))
    response = member_client.post(NEW, idea_data(visibility=GROUP, group=own.pk))

    assert list(form.fields["group"].queryset) == [own]
    assert without_group.status_code == 400
    assert without_group.context["form"].errors["group"] == [
        "Bitte wählen Sie die Gruppe, mit der Sie die Idee teilen möchten."
    ]
    assert foreign_group.status_code == 400
    assert "group" in foreign_group.context["form"].errors
    assert response.status_code == 302
    assert Idea.objects.get().group == own


def test_without_groups_the_form_offers_no_group_sharing(member_client):
    form = member_client.get(NEW).context["form"]

    assert [value for value, _label in form.fields["visibility"].choices] == ["public", "members"]
    assert "group" not in form.fields
    response = member_client.post(NEW, idea_data(visibility=GROUP))
    assert response.status_code == 400
    assert not Idea.objects.exists()


def test_a_group_is_forgotten_when_the_idea_is_shared_with_members(member, member_client):
    group = IdeaGroupFactory(members=[member])

    member_client.post(NEW, idea_data(visibility=Visibility.PUBLIC, group=group.pk))

    idea = Idea.objects.get()
    assert (idea.visibility, idea.group) == (Visibility.PUBLIC, None)


# --- Bad input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "   "}, "title", "Dieses Feld ist zwingend erforderlich."),
        ({"title": "x" * 201}, "title", "höchstens 200 Zeichen"),
        ({"problem": ""}, "problem", "Dieses Feld ist zwingend erforderlich."),
        ({"problem": "p" * 5001}, "problem", "höchstens 5000 Zeichen"),
        ({"proposal": "v" * 10001}, "proposal", "höchstens 10000 Zeichen"),
        ({"context": "k" * 3001}, "context", "höchstens 3000 Zeichen"),
        ({"kind": "magisch"}, "kind", "gültige Auswahl"),
        ({"visibility": "staff"}, "visibility", "gültige Auswahl"),
        ({"topics": ["999999"]}, "topics", "gültige Auswahl"),
        ({"municipality": "999999"}, "municipality", "gültige Auswahl"),
    ],
)
def test_bad_input_is_refused_with_a_german_message_and_nothing_is_stored(
    member_client, changes, field, message
):
    response = member_client.post(NEW, idea_data(**changes))

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    html = response.content.decode()
    assert "Bitte prüfen Sie Ihre Eingaben" in html
    assert f'href="#id_{field}"' in html
    assert not Idea.objects.exists()


def test_a_failed_submit_keeps_the_text_and_shows_similar_ideas(member_client):
    IdeaFactory(title="Digitale Bauakte im Landkreis")

    response = member_client.post(NEW, idea_data(problem=""))
    html = response.content.decode()

    assert response.status_code == 400
    assert 'value="Digitale Bauakte für kleine Gemeinden"' in html
    assert "Es gibt schon ähnliche Ideen" in html
    assert "Digitale Bauakte im Landkreis" in html


XSS = [
    "<script>alert(1)</script>",
    "<svg onload=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
]


@pytest.mark.parametrize("payload", XSS)
def test_markdown_renders_every_payload_inert(payload):
    html = str(render_markdown(f"Text {payload} Ende"))

    assert "<script" not in html
    assert "<svg" not in html
    assert "onload" not in html.replace("&lt;", "")  # escaped text may mention it, as text only
    assert "onerror=" not in html.replace("&lt;", "").replace("&quot;", "")
    assert 'href="javascript:' not in html
    assert 'href="data:' not in html


@pytest.mark.parametrize("payload", XSS)
def test_payloads_in_every_text_field_are_stored_as_text_and_shown_inert(
    member, member_client, staff_client, payload
):
    fields = {
        "title": f"Titel {payload}"[:200],
        "problem": payload,
        "proposal": payload,
        "context": payload,
    }
    member_client.post(NEW, idea_data(**fields))
    idea = Idea.objects.get()
    assert idea.title == fields["title"]
    idea.stage = Stage.CONCEPT
    idea.save()
    concept = {name: payload for name in Idea.CONCEPT_FIELDS}
    response = member_client.post(edit_url(idea), idea_data(**fields, **concept))
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.goals == payload

    for page in (
        member_client.get(f"/ideen/{idea.pk}/"),
        member_client.get("/ideen/"),
        member_client.get(edit_url(idea)),
        member_client.get("/ideen/aehnliche/", {"titel": fields["title"]}),
    ):
        assert page.status_code == 200
        html = page.content.decode()
        body = html.split("<main", 1)[1] if "<main" in html else html
        assert "<script>alert" not in body
        assert "<svg onload" not in body
        assert "<img src=x" not in body
        assert '<a href="javascript:' not in body
    for name in ("problem", "proposal", "context", *Idea.CONCEPT_FIELDS):
        rendered = str(render_markdown(getattr(idea, name)))
        assert "<script" not in rendered
        assert 'href="javascript:' not in rendered
        assert 'href="data:' not in rendered


# --- Editing ---------------------------------------------------------------------------


@pytest.fixture
def own_idea(member):
    return IdeaFactory(title="Bürgerbus am Abend", authors=[member])


def test_the_author_edits_the_idea_and_lands_on_its_page(member, own_idea, member_client):
    response = member_client.get(edit_url(own_idea))
    assert response.status_code == 200
    assert response.context["form"]["title"].value() == "Bürgerbus am Abend"
    assert "Idee bearbeiten" in response.content.decode()

    saved = member_client.post(edit_url(own_idea), idea_data(title="Bürgerbus bis Mitternacht"))

    own_idea.refresh_from_db()
    assert saved.status_code == 302
    assert saved["Location"] == f"/ideen/{own_idea.pk}/"
    assert messages_of(saved) == ["Ihre Änderungen wurden gespeichert."]
    assert own_idea.title == "Bürgerbus bis Mitternacht"
    assert list(own_idea.authors.all()) == [member]
    assert own_idea.stage == Stage.IDEA


def test_co_authors_can_be_added_and_removed_while_the_editor_stays_an_author(
    member, own_idea, member_client, colleague
):
    member_client.post(edit_url(own_idea), idea_data(people=[colleague.pk]))
    assert set(own_idea.authors.all()) == {member, colleague}

    form = login_client(colleague).get(edit_url(own_idea)).context["form"]
    assert form["people"].value() == [member.pk]

    member_client.post(edit_url(own_idea), idea_data())
    assert list(own_idea.authors.all()) == [member]


def test_the_concept_fields_appear_once_the_idea_is_a_concept(member, member_client):
    idea = IdeaFactory(stage=Stage.CONCEPT, authors=[member])
    html = member_client.get(edit_url(idea)).content.decode()

    assert '<legend class="kern-label kern-label--large">Konzept</legend>' in html
    assert "Erfolgskriterien" in html

    member_client.post(
        edit_url(idea),
        idea_data(
            goals="Zehn Gemeinden nutzen die Akte.",
            audience="Bauämter",
            resources="Eine Stelle",
            risks="Datenschutz",
            success_criteria="Bearbeitungszeit halbiert",
        ),
    )

    idea.refresh_from_db()
    assert idea.goals == "Zehn Gemeinden nutzen die Akte."
    assert idea.success_criteria == "Bearbeitungszeit halbiert"
    assert idea.stage == Stage.CONCEPT


def test_a_concept_field_longer_than_allowed_is_refused(member, member_client):
    idea = IdeaFactory(stage=Stage.CONCEPT, authors=[member])

    response = member_client.post(edit_url(idea), idea_data(goals="z" * 5001))

    idea.refresh_from_db()
    assert response.status_code == 400
    assert "höchstens 5000 Zeichen" in " ".join(response.context["form"].errors["goals"])
    assert idea.goals == ""


def test_editing_keeps_an_archived_topic_the_idea_already_has(member, member_client):
    archived = TopicFactory(name="Alt", is_active=False)
    idea = IdeaFactory(authors=[member], topics=[archived])

    member_client.post(edit_url(idea), idea_data(topics=[archived.pk]))

    assert list(idea.topics.all()) == [archived]


@pytest.mark.parametrize("stage", [Stage.PILOT, Stage.TRANSFER, Stage.REJECTED])
def test_authors_no_longer_edit_once_the_office_has_taken_over(member, member_client, stage):
    idea = IdeaFactory(stage=stage, authors=[member])

    assert member_client.get(edit_url(idea)).status_code == 404
    assert member_client.post(edit_url(idea), idea_data(title="Anders")).status_code == 404
    idea.refresh_from_db()
    assert idea.title != "Anders"


@pytest.mark.parametrize("stage", [Stage.IDEA, Stage.CONCEPT, Stage.DEFERRED])
def test_authors_edit_in_the_open_stages(member, member_client, stage):
    idea = IdeaFactory(stage=stage, authors=[member])

    assert member_client.post(edit_url(idea), idea_data(title="Anders")).status_code == 302


def test_the_office_edits_any_idea_at_any_stage(staff_client, colleague):
    idea = IdeaFactory(stage=Stage.PILOT, authors=[colleague], visibility=Visibility.PUBLIC)

    response = staff_client.post(edit_url(idea), idea_data(title="Neu", people=[colleague.pk]))

    idea.refresh_from_db()
    assert response.status_code == 302
    assert idea.title == "Neu"
    assert list(idea.authors.all()) == [colleague]


@pytest.mark.parametrize("persona", ["other member", "guest", "group member"])
def test_others_cannot_edit_an_idea_and_learn_nothing_from_the_answer(persona, member):
    group_member = MemberFactory()
    group = IdeaGroupFactory(members=[group_member])
    visible = IdeaFactory(title="Sichtbar", visibility=Visibility.PUBLIC, authors=[member])
    shared = IdeaFactory(title="In der Gruppe", visibility=GROUP, group=group, authors=[member])
    people = {
        "other member": MemberFactory(),
        "guest": GuestFactory(),
        "group member": group_member,
    }
    client = login_client(people[persona])

    for idea in (visible, shared, IdeaFactory(visibility=Visibility.MEMBERS, authors=[member])):
        assert client.get(edit_url(idea)).status_code == 404
        assert client.post(edit_url(idea), idea_data(title="Übernommen")).status_code == 404
    assert client.get("/ideen/999999/bearbeiten/").status_code == 404
    assert not Idea.objects.filter(title="Übernommen").exists()


def test_anonymous_visitors_are_asked_to_sign_in_before_editing(own_idea, anon_client):
    response = anon_client.post(edit_url(own_idea), idea_data(title="Übernommen"))

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/")
    own_idea.refresh_from_db()
    assert own_idea.title == "Bürgerbus am Abend"


# --- Similar ideas --------------------------------------------------------------------


def test_similar_ideas_are_shown_while_typing_and_only_those_the_person_may_see(
    member, member_client
):
    same = IdeaFactory(title="Digitale Bauakte im Landkreis", visibility=Visibility.PUBLIC)
    hidden = IdeaFactory(
        title="Bauakte der Geschäftsstelle",
        visibility=GROUP,
        group=IdeaGroupFactory(),
    )
    IdeaFactory(title="Ganz anderes Thema")

    response = member_client.get("/ideen/aehnliche/", {"titel": "Bauakte digital"})
    html = response.content.decode()

    assert response.status_code == 200
    assert "<html" not in html
    assert "Es gibt schon ähnliche Ideen" in html
    assert f'href="/ideen/{same.pk}/" target="_blank" rel="noopener"' in html
    assert hidden.title not in html
    assert "Ganz anderes Thema" not in html
    excluded = member_client.get("/ideen/aehnliche/", {"title": "Bauakte", "ausser": same.pk})
    assert same.title not in excluded.content.decode()
    assert member_client.get("/ideen/aehnliche/", {"titel": "ab"}).content.decode().strip() == ""


def test_the_title_field_asks_for_similar_ideas_with_htmx(member_client):
    html = member_client.get(NEW).content.decode()

    assert 'data-hx-get="/ideen/aehnliche/"' in html
    assert 'data-hx-target="#aehnliche-ideen"' in html
    assert '<div id="aehnliche-ideen" class="idea-form__similar" aria-live="polite">' in html


def test_similar_ideas_are_for_people_who_write_ideas(guest_client, anon_client):
    assert guest_client.get("/ideen/aehnliche/", {"titel": "Bauakte"}).status_code == 404
    assert anon_client.get("/ideen/aehnliche/", {"titel": "Bauakte"}).status_code == 302


# --- Files -------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def upload(client, idea: Idea, name: str, content: bytes):
    return client.post(f"/ideen/{idea.pk}/dateien/", {"upload": SimpleUploadedFile(name, content)})


def test_the_author_attaches_a_file_that_everybody_who_sees_the_idea_downloads(
    media, own_idea, member_client, anon_client
):
    response = upload(member_client, own_idea, "Konzept Bürgerbus.pdf", PDF)

    attachment = IdeaAttachment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == edit_url(own_idea)
    assert messages_of(response) == ["Die Datei „Konzept Bürgerbus.pdf“ wurde hinzugefügt."]
    assert (attachment.name, attachment.content_type, attachment.size) == (
        "Konzept Bürgerbus.pdf",
        "application/pdf",
        len(PDF),
    )
    assert "Konzept Bürgerbus.pdf" in member_client.get(edit_url(own_idea)).content.decode()

    download = login_client(MemberFactory()).get(f"/ideen/{own_idea.pk}/dateien/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="konzept-burgerbus.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "private" in download["Cache-Control"]
    # A members' idea: the public does not get its files.
    assert anon_client.get(f"/ideen/{own_idea.pk}/dateien/{attachment.pk}/").status_code == 404


def test_a_file_is_only_found_under_its_own_idea(media, own_idea, member, member_client):
    upload(member_client, own_idea, "plan.pdf", PDF)
    other = IdeaFactory(visibility=Visibility.PUBLIC, authors=[member])
    attachment = IdeaAttachment.objects.get()

    assert member_client.get(f"/ideen/{other.pk}/dateien/{attachment.pk}/").status_code == 404


def test_an_oversized_file_is_refused_in_german_and_nothing_is_stored(
    media, own_idea, member_client
):
    response = upload(member_client, own_idea, "gross.pdf", PDF + b"0" * ATTACHMENT_MAX_BYTES)

    assert response.status_code == 400
    assert response.context["upload"].errors["upload"] == [
        "Die Datei ist größer als 10 MB. Bitte wählen Sie eine kleinere Datei "
        "oder verkleinern Sie sie."
    ]
    assert "Die Datei ist größer als 10 MB." in response.content.decode()
    assert not IdeaAttachment.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bericht.pdf", b"<html><script>alert(1)</script></html>"),
        ("bild.png", PDF),
        ("skript.html", b"<script>alert(1)</script>"),
        ("leer.pdf", b""),
    ],
)
def test_disguised_empty_or_unknown_files_are_refused(
    media, own_idea, member_client, name, content
):
    response = upload(member_client, own_idea, name, content)

    assert response.status_code == 400
    assert response.context["upload"].errors["upload"]
    assert not IdeaAttachment.objects.exists()
    assert stored_files(media) == []


def test_only_those_who_may_edit_attach_or_delete_files(media, own_idea, member_client):
    upload(member_client, own_idea, "plan.pdf", PDF)
    attachment = IdeaAttachment.objects.get()
    stranger = login_client(MemberFactory())
    office = login_client(StaffFactory())

    assert upload(stranger, own_idea, "fremd.pdf", PDF).status_code == 404
    delete = f"/ideen/{own_idea.pk}/dateien/{attachment.pk}/loeschen/"
    assert stranger.post(delete).status_code == 404
    assert IdeaAttachment.objects.count() == 1
    assert stranger.get(f"/ideen/{own_idea.pk}/dateien/{attachment.pk}/").status_code == 200

    response = office.post(delete)

    assert response.status_code == 302
    assert messages_of(response) == ["Die Datei „plan.pdf“ wurde gelöscht."]
    assert not IdeaAttachment.objects.exists()


def test_the_author_deletes_a_file_and_it_leaves_the_storage(
    media, own_idea, member_client, django_capture_on_commit_callbacks
):
    upload(member_client, own_idea, "plan.pdf", PDF)
    attachment = IdeaAttachment.objects.get()
    assert len(stored_files(media)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(f"/ideen/{own_idea.pk}/dateien/{attachment.pk}/loeschen/")

    assert response.status_code == 302
    assert response["Location"] == edit_url(own_idea)
    assert not IdeaAttachment.objects.exists()
    assert stored_files(media) == []


def test_the_edit_page_of_an_idea_from_a_past_forum_keeps_its_session(member, member_client):
    forum = EventFactory(starts_on=timezone.localdate() - datetime.timedelta(days=400))
    session = SessionFactory(event=forum)
    idea = IdeaFactory(authors=[member], origin_session=session, municipality=MunicipalityFactory())

    form = member_client.get(edit_url(idea)).context["form"]

    assert form["origin_session"].value() == str(session.pk)
    assert form["municipality"].value() == idea.municipality_id
    member_client.post(
        edit_url(idea),
        idea_data(origin_session=session.pk, municipality=idea.municipality_id),
    )
    idea.refresh_from_db()
    assert idea.origin_session == session
