"""The office's exports under /geschaeftsstelle/exporte/: who may download them, that each
file parses back as CSV and as XLSX with the right rows, that no cell can start a formula,
and that each export runs a fixed number of queries."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from typing import cast

import pytest
from django.core.cache import cache
from django.utils import timezone
from openpyxl import load_workbook

from innoclub.core.access import Visibility
from innoclub.core.xlsx import xlsx_value
from innoclub.events.models import RegistrationStatus
from innoclub.ideas.models import Stage
from innoclub.network.models import Profile, Topic
from innoclub.pilots.models import AdoptionState
from tests.factories import (
    EventFactory,
    GuestFactory,
    MemberFactory,
    MunicipalityFactory,
    ProfileFactory,
    RegistrationFactory,
    SessionFactory,
    TopicFactory,
)
from tests.ideas_factories import IdeaFactory, IdeaGroupFactory, SupportFactory
from tests.pilots_factories import AdoptionFactory, PilotFactory

pytestmark = pytest.mark.django_db

PAGE = "/geschaeftsstelle/exporte/"
SLUGS = ["mitglieder", "anmeldungen", "ideen", "pilotprojekte", "nachnutzungen"]
FILES = [f"{PAGE}{slug}.{fmt}" for slug in SLUGS for fmt in ("csv", "xlsx")]
FORMULAS = ["=cmd|' /C calc'!A0", "+1", "-1", "@SUM(1)"]
NEUTRALISED = ["'=cmd|' /C calc'!A0", "'+1", "'-1", "'@SUM(1)"]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return load_workbook(io.BytesIO(response.content)).active


def xlsx_rows(response) -> list[list[object]]:
    return [[cell.value for cell in row] for row in workbook(response).iter_rows()]


def column(rows: list[list[object]], name: str) -> list[object]:
    index = rows[0].index(name)
    return [row[index] for row in rows[1:]]


# --- Who may download ---------------------------------------------------------------


@pytest.mark.parametrize("url", [PAGE, *FILES])
def test_only_the_office_gets_the_exports(anon_client, member_client, guest_client, url):
    anonymous = anon_client.get(url)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/konto/anmelden/?next=")
    assert member_client.get(url).status_code == 404
    assert guest_client.get(url).status_code == 404


@pytest.mark.parametrize("url", FILES)
def test_the_office_downloads_each_export_as_an_attachment(staff_client, url):
    response = staff_client.get(url)

    today = timezone.localdate().isoformat()
    name = url.rsplit("/", 1)[1].replace(".", f"-{today}.")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="innoclub-{name}"'


def test_the_page_lists_every_export_with_its_rows(staff_client):
    ProfileFactory.create_batch(2)
    forum = EventFactory(title="23. Deutschlandforum", slug="forum-23")
    RegistrationFactory(event=forum)

    response = staff_client.get(PAGE)

    page = response.content.decode()
    assert response.status_code == 200
    assert [(row["export"].slug, row["count"]) for row in response.context["rows"]] == [
        ("mitglieder", 2),
        ("anmeldungen", 1),
        ("ideen", 0),
        ("pilotprojekte", 0),
        ("nachnutzungen", 0),
    ]
    for url in FILES:
        assert f'href="{url}"' in page
    assert '<option value="forum-23">' in page


# --- Members ----------------------------------------------------------------------------


def test_members_export_has_the_directory_columns(staff_client):
    place = MunicipalityFactory(name="Marburg")
    ProfileFactory(
        user=MemberFactory(
            first_name="Jana", last_name="Albers", email="jana@example.org", municipality=place
        ),
        position="Oberbürgermeisterin",
        member_since=datetime.date(2019, 5, 1),
    ).topics.set([TopicFactory(name="Klima")])
    ProfileFactory(user=GuestFactory(last_name="Zeller"), in_directory=False, member_since=None)

    as_csv = csv_rows(staff_client.get(f"{PAGE}mitglieder.csv"))
    as_xlsx = xlsx_rows(staff_client.get(f"{PAGE}mitglieder.xlsx"))

    assert as_csv[0] == as_xlsx[0]
    assert as_csv[0][:3] == ["Nachname", "Vorname", "Akademischer Titel"]
    assert column(as_csv, "Nachname") == ["Albers", "Zeller"]
    assert as_csv[1][:2] + as_csv[1][5:8] + as_csv[1][10:] == [
        "Albers",
        "Jana",
        "Oberbürgermeisterin",
        "Marburg",
        "Hessen",
        "Klima",
        "jana@example.org",
        "2019-05-01",
        "ja",
    ]
    assert column(as_xlsx, "Mitglied seit") == [datetime.datetime(2019, 5, 1), None]
    assert column(as_csv, "Im Verzeichnis") == ["ja", "nein"]


def test_members_export_is_the_directory_export(staff_client):
    """The directory's own CSV and the exports page give the same rows."""
    ProfileFactory.create_batch(3)

    directory = csv_rows(staff_client.get("/mitglieder/export.csv"))

    assert csv_rows(staff_client.get(f"{PAGE}mitglieder.csv")) == directory


# --- Formula cells ---------------------------------------------------------------------------


def test_formula_cells_are_neutralised_in_csv_and_xlsx(staff_client):
    for text in FORMULAS:
        ProfileFactory(user=MemberFactory(last_name=text, first_name=text), position=text)

    as_csv = csv_rows(staff_client.get(f"{PAGE}mitglieder.csv"))
    sheet = workbook(staff_client.get(f"{PAGE}mitglieder.xlsx"))

    assert sorted(column(as_csv, "Nachname")) == sorted(NEUTRALISED)
    assert sorted(column(as_csv, "Position")) == sorted(NEUTRALISED)
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row[:2]]
    assert sorted(cell.value for cell in cells) == sorted(NEUTRALISED * 2)
    assert {cell.data_type for cell in cells} == {"s"}


def test_numbers_and_dates_stay_typed_cells_while_texts_are_neutralised(staff_client):
    idea = IdeaFactory(title="-1", visibility=Visibility.PUBLIC)
    SupportFactory.create_batch(2, idea=idea)

    rows = xlsx_rows(staff_client.get(f"{PAGE}ideen.xlsx"))

    assert column(rows, "Titel") == ["'-1"]
    assert column(rows, "Unterstützende") == [2]
    assert column(rows, "Nummer") == [idea.pk]
    assert isinstance(column(rows, "Erstellt")[0], datetime.datetime)


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("\tgeheim", "'\tgeheim"),
        ("\rgeheim", "'\rgeheim"),
        ("a\x00b\x1fc", "abc"),
        (-1, -1),
        (Decimal("-2.50"), Decimal("-2.50")),
        (None, None),
        (True, True),
        (datetime.date(2025, 1, 2), datetime.date(2025, 1, 2)),
        (
            datetime.datetime(2025, 1, 2, 9, 30, tzinfo=datetime.UTC),
            datetime.datetime(2025, 1, 2, 10, 30),
        ),
        ("x" * 40_000, "x" * 32_767),
    ],
)
def test_xlsx_cell_values(value, cell):
    assert xlsx_value(value) == cell


def test_xlsx_has_a_bold_frozen_header_and_column_widths(staff_client):
    ProfileFactory(user=MemberFactory(email="eine.sehr.lange.adresse@musterstadt.example.org"))

    sheet = workbook(staff_client.get(f"{PAGE}mitglieder.xlsx"))

    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert not any(cell.font.bold for cell in sheet[2])
    assert (
        sheet.column_dimensions["L"].width
        == len("eine.sehr.lange.adresse@musterstadt.example.org") + 2
    )
    assert sheet.column_dimensions["A"].width >= len("Nachname")


# --- Registrations ------------------------------------------------------------------------------


@pytest.fixture
def forums():
    earlier = EventFactory(title="22. Deutschlandforum", starts_on=datetime.date(2025, 5, 8))
    later = EventFactory(title="23. Deutschlandforum", starts_on=datetime.date(2026, 5, 7))
    RegistrationFactory(
        event=earlier,
        user=MemberFactory(last_name="Albers", first_name="Jana", email="jana@example.org"),
        dietary_needs="vegan",
        queued_at=datetime.datetime(2025, 3, 1, 8, 15, tzinfo=datetime.UTC),
    )
    RegistrationFactory(event=later, user=MemberFactory(last_name="Berg"))
    RegistrationFactory(
        event=later,
        user=MemberFactory(last_name="Storniert"),
        status=RegistrationStatus.CANCELLED,
        cancelled_at=timezone.now(),
    )
    return {"earlier": earlier, "later": later}


def test_registrations_of_every_forum_name_their_forum(staff_client, forums):
    as_csv = csv_rows(staff_client.get(f"{PAGE}anmeldungen.csv"))
    as_xlsx = xlsx_rows(staff_client.get(f"{PAGE}anmeldungen.xlsx"))

    assert as_csv[0][:4] == ["Veranstaltung", "Erster Tag", "Nachname", "Vorname"]
    assert [row[:3] for row in as_csv[1:]] == [
        ["23. Deutschlandforum", "2026-05-07", "Berg"],
        ["22. Deutschlandforum", "2025-05-08", "Albers"],
    ]
    assert as_csv[2][-1] == "01.03.2025 09:15"  # Berlin time
    assert column(as_xlsx, "Erster Tag") == [
        datetime.datetime(2026, 5, 7),
        datetime.datetime(2025, 5, 8),
    ]
    assert column(as_xlsx, "Angemeldet")[1] == datetime.datetime(2025, 3, 1, 9, 15)


def test_registrations_of_one_forum(staff_client, forums):
    slug = forums["earlier"].slug

    response = staff_client.get(f"{PAGE}anmeldungen.xlsx?forum={slug}")

    rows = xlsx_rows(response)
    assert rows[0][:3] == ["Nachname", "Vorname", "E-Mail-Adresse"]
    assert [row[:3] + row[6:7] for row in rows[1:]] == [
        ["Albers", "Jana", "jana@example.org", "vegan"]
    ]
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="innoclub-anmeldungen-{slug}-{today}.xlsx"'
    )


def test_the_forum_page_and_the_exports_page_give_the_same_registrations(staff_client, forums):
    slug = forums["earlier"].slug

    forum_file = csv_rows(
        staff_client.get(f"/geschaeftsstelle/foren/{slug}/anmeldungen/export.csv")
    )

    assert csv_rows(staff_client.get(f"{PAGE}anmeldungen.csv?forum={slug}")) == forum_file
    assert forum_file[1][-1] == "01.03.2025 09:15"


def test_an_unknown_forum_answers_404(staff_client, forums):
    assert staff_client.get(f"{PAGE}anmeldungen.csv?forum=gibt-es-nicht").status_code == 404


# --- Ideas, pilots, adoptions ---------------------------------------------------------------------


def test_ideas_export_holds_every_idea_the_office_sees(staff_client):
    author = MemberFactory(first_name="Jana", last_name="Albers")
    IdeaFactory(title="Öffentlich", visibility=Visibility.PUBLIC, authors=[author])
    IdeaFactory(title="Nur Mitglieder", stage=Stage.CONCEPT)
    IdeaFactory(
        title="Im Arbeitskreis",
        visibility="group",
        group=IdeaGroupFactory(name="AK Wärme"),
        origin_session=SessionFactory(title="Wärme im Quartier", event__title="Forum 22"),
    )

    rows = csv_rows(staff_client.get(f"{PAGE}ideen.csv"))

    by_title = {row[1]: row for row in rows[1:]}
    assert sorted(by_title) == ["Im Arbeitskreis", "Nur Mitglieder", "Öffentlich"]
    assert by_title["Öffentlich"][rows[0].index("Autorinnen und Autoren")] == "Jana Albers"
    assert by_title["Nur Mitglieder"][rows[0].index("Phase")] == "Konzept"
    assert by_title["Im Arbeitskreis"][rows[0].index("Sichtbar für")] == "AK Wärme"
    assert by_title["Im Arbeitskreis"][rows[0].index("Entstanden in der Forumssitzung")] == (
        "Wärme im Quartier (Forum 22)"
    )


def test_pilots_export_holds_members_only_pilots_with_budget_and_counts(staff_client):
    pilot = PilotFactory(title="Intern", visibility=Visibility.MEMBERS, budget=Decimal("125000.50"))
    AdoptionFactory(pilot=pilot, state=AdoptionState.IMPLEMENTED)
    AdoptionFactory(pilot=pilot, state=AdoptionState.GIVEN_UP)

    as_csv = csv_rows(staff_client.get(f"{PAGE}pilotprojekte.csv"))
    as_xlsx = xlsx_rows(staff_client.get(f"{PAGE}pilotprojekte.xlsx"))

    assert column(as_csv, "Titel") == ["Intern"]
    assert column(as_csv, "Budget in Euro") == ["125000,50"]
    assert column(as_xlsx, "Budget in Euro") == [125000.5]
    assert column(as_xlsx, "Nachnutzungen (nicht aufgegeben)") == [1]
    assert column(as_xlsx, "umgesetzt") == [1]
    assert column(as_xlsx, "aufgegeben") == [1]
    assert column(as_xlsx, "Start") == [datetime.datetime(2025, 3, 1)]


def test_adoptions_export_names_the_contact_person(staff_client):
    contact = MemberFactory(first_name="Gesine", last_name="Berg", email="gesine@example.org")
    adoption = AdoptionFactory(
        municipality=MunicipalityFactory(name="Gießen", ags="06531005"),
        contact=contact,
        state=AdoptionState.GIVEN_UP,
        given_up_on=datetime.date(2025, 9, 1),
        given_up_reason="=Kein Personal",
    )

    rows = xlsx_rows(staff_client.get(f"{PAGE}nachnutzungen.xlsx"))

    assert rows[1][:5] == [adoption.pilot.title, "Gießen", "06531005", "Hessen", "aufgegeben"]
    assert column(rows, "Ansprechperson") == ["Gesine Berg"]
    assert column(rows, "E-Mail-Adresse der Ansprechperson") == ["gesine@example.org"]
    assert column(rows, "Warum aufgegeben wurde") == ["'=Kein Personal"]
    assert column(rows, "Aufgegeben am") == [datetime.datetime(2025, 9, 1)]


# --- Query budgets ----------------------------------------------------------------------------


def a_club(count: int) -> None:
    """``count`` of everything every export reads, with the relations they show."""
    topic = cast(Topic, TopicFactory())
    event = EventFactory(slug="forum")
    for _ in range(count):
        member = MemberFactory()
        cast(Profile, ProfileFactory(user=member)).topics.set([topic])
        RegistrationFactory(event=event, user=member)
        IdeaFactory(topics=[topic], authors=[member], origin_session=SessionFactory(event=event))
        pilot = PilotFactory(topics=[topic], contacts=[member])
        AdoptionFactory(pilot=pilot, contact=member)


# Every request of a signed-in office account reads its session, user and OTP device.
SIGNED_IN = 3


@pytest.mark.parametrize("count", [1, 4])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("mitglieder", 2),  # profiles with user and municipality; topics
        ("anmeldungen", 1),  # registrations with event, user and municipality
        ("anmeldungen?forum=forum", 2),  # the forum; its registrations
        ("ideen", 3),  # ideas with their relations; topics; authors
        ("pilotprojekte", 3),  # pilots with lead and counts; topics; contact people
        ("nachnutzungen", 1),  # adoptions with pilot, municipality and contact person
    ],
)
def test_export_query_budget(staff_client, django_assert_num_queries, count, fmt, path, queries):
    a_club(count)
    slug, _, query = path.partition("?")
    url = f"{PAGE}{slug}.{fmt}" + (f"?{query}" if query else "")
    staff_client.get(PAGE)  # the first request of a login stores the session clock

    with django_assert_num_queries(SIGNED_IN + queries + 1):  # + the audit log's entry
        response = staff_client.get(url)

    assert response.status_code == 200
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    assert len(rows) == 1 + count


@pytest.mark.parametrize("count", [1, 4])
def test_page_query_budget(staff_client, django_assert_num_queries, count):
    a_club(count)
    staff_client.get(PAGE)

    # a count per export; the forums with their registrations
    with django_assert_num_queries(SIGNED_IN + 5 + 1):
        response = staff_client.get(PAGE)

    assert [row["count"] for row in response.context["rows"]] == [count] * 5


def test_staff_accounts_are_not_in_the_members_export(staff_client, staff):
    ProfileFactory()

    rows = csv_rows(staff_client.get(f"{PAGE}mitglieder.csv"))

    assert staff.email not in {cell for row in rows for cell in row}
    assert len(rows) == 2
