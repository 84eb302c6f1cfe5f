"""Growth statistics for the club office: the figures, who may see them, the CSV files."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone

from innoclub.network import statistics
from innoclub.network.models import FederalState, Function, Sector
from innoclub.network.statistics import Category, YearFigures
from innoclub.network.views.statistics import Table, csv_response, members_chart
from tests.factories import (
    GuestFactory,
    MemberFactory,
    MunicipalityFactory,
    ProfileFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db

PAGE = "/geschaeftsstelle/statistik/"
CSV = "/geschaeftsstelle/statistik/mitglieder-pro-jahr.csv"
CSV_TABLES = [
    "mitglieder-pro-jahr",
    "eintritte-und-austritte",
    "bundeslaender",
    "kommunengroesse",
    "partner-nach-bereich",
    "funktionen",
]


def joined(year: int, left: int | None = None, **profile) -> None:
    """A member who joined in ``year`` and, if given, left in ``left``."""
    ProfileFactory(
        member_since=datetime.date(year, 5, 1),
        left_on=datetime.date(left, 9, 30) if left else None,
        **profile,
    )


def counts(distribution: statistics.Distribution) -> dict[str, int]:
    return {c.label: c.count for c in distribution.categories}


def parse_csv(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


# --- Figures ----------------------------------------------------------------


def test_members_per_year_count_joins_and_leaves_up_to_each_year_end():
    joined(2019)
    joined(2020, left=2022)
    joined(2022)
    joined(2022, left=2022)  # joined and left within one year: never counted at a year end

    years = statistics.year_figures(today=datetime.date(2024, 3, 1))

    assert years == [
        YearFigures(year=2019, members=1, joined=1, left=0),
        YearFigures(year=2020, members=2, joined=1, left=0),
        YearFigures(year=2021, members=2, joined=0, left=0),
        YearFigures(year=2022, members=2, joined=2, left=2),
        YearFigures(year=2023, members=2, joined=0, left=0),
        YearFigures(year=2024, members=2, joined=0, left=0),
    ]


def test_only_members_with_a_date_of_joining_count_in_the_years():
    joined(2021)
    ProfileFactory(member_since=None)
    ProfileFactory(user=GuestFactory(), member_since=datetime.date(2018, 1, 1))
    ProfileFactory(user=StaffFactory(), member_since=datetime.date(2018, 1, 1))

    years = statistics.year_figures(today=datetime.date(2021, 12, 31))

    assert years == [YearFigures(year=2021, members=1, joined=1, left=0)]


def test_without_members_there_are_no_years():
    assert statistics.year_figures() == []


def test_current_members_by_federal_state_list_every_land_largest_first():
    bavaria = MunicipalityFactory(state=FederalState.BY, ags="09162000")
    for _n in range(2):
        joined(2020, user=MemberFactory(municipality=bavaria))
    joined(2021)  # the factory's municipality lies in Hessen
    joined(2021, user=MemberFactory(municipality=None))
    joined(2019, left=2023, user=MemberFactory(municipality=bavaria))
    joined(2019, user=MemberFactory(municipality=bavaria, is_active=False))

    states = statistics.members_by_state()

    assert states.total == 4
    assert [(c.label, c.count) for c in states.categories[:2]] == [
        ("Bayern", 2),
        ("Hessen", 1),
    ]
    assert len(states.categories) == 17  # 16 Länder and "not specified"
    assert states.categories[-1] == Category("", "nicht angegeben", 1)
    assert states.largest == [states.categories[0]]


def test_current_members_by_size_class_follow_the_population_bounds():
    for population in [4_999, 5_000, 19_999, 100_000, 500_000, None]:
        joined(2020, user=MemberFactory(municipality=MunicipalityFactory(population=population)))

    sizes = statistics.members_by_size_class()

    assert [(c.key, c.count) for c in sizes.categories] == [
        ("xs", 1),
        ("s", 2),
        ("m", 0),
        ("l", 1),
        ("xl", 1),
        ("", 1),
    ]
    assert [c.key for c in sizes.largest] == ["s"]


def test_current_members_by_function():
    joined(2020, function=Function.LANDRAT)
    joined(2020, function=Function.LANDRAT)
    joined(2020, function=Function.CDO)
    joined(2020, function="")

    functions = counts(statistics.members_by_function())

    assert functions["Landrat/Landrätin"] == 2
    assert functions["Chief Digital Officer (CDO)"] == 1
    assert functions["Bürgermeister:in"] == 0
    assert functions["nicht angegeben"] == 1


def test_external_partners_by_sector_count_active_guests_only():
    for sector in [Sector.WISSENSCHAFT, Sector.WISSENSCHAFT, Sector.WIRTSCHAFT]:
        ProfileFactory(user=GuestFactory(), sector=sector, member_since=None)
    GuestFactory()  # a speaker without a profile: sector unknown
    ProfileFactory(user=GuestFactory(is_active=False), sector=Sector.WIRTSCHAFT)
    ProfileFactory(user=GuestFactory(), sector=Sector.VERWALTUNG, left_on=datetime.date(2024, 1, 1))
    joined(2020, sector=Sector.ZIVILGESELLSCHAFT)  # a member, not a partner

    sectors = statistics.partners_by_sector()

    assert [(c.key, c.count) for c in sectors.categories] == [
        (Sector.WISSENSCHAFT, 2),
        (Sector.WIRTSCHAFT, 1),
        *sorted(
            [(Sector.VERWALTUNG, 0), (Sector.ZIVILGESELLSCHAFT, 0)],
            key=lambda pair: str(Sector(pair[0]).label),
        ),
        ("", 1),
    ]


def test_a_member_who_left_counts_in_the_years_before_but_not_now():
    joined(2018, left=2021)
    joined(2019)

    years = statistics.year_figures(today=datetime.date(2022, 6, 1))

    assert [y.members for y in years] == [1, 2, 2, 1, 1]
    assert statistics.members_by_state().total == 1
    assert statistics.members_by_function().total == 1


def test_the_members_chart_names_first_and_last_value_and_keeps_year_labels_apart():
    years = [YearFigures(year, 35 + 3 * (year - 2003), 3, 0) for year in range(2003, 2027)]

    chart = members_chart(years)

    values = [label.text for label in chart.labels if label.kind == "value"]
    assert values == ["35", "104"]
    assert [label.text for label in chart.labels if label.kind == "year"] == [
        "2003",
        "2010",
        "2015",
        "2020",
        "2026",
    ]
    assert len([shape for shape in chart.shapes if shape.kind == "bar"]) == 24


# --- The page -----------------------------------------------------------------


def test_the_page_shows_each_chart_with_its_table_and_key_message(staff_client):
    this_year = timezone.localdate().year
    joined(this_year - 2)
    joined(this_year - 2, left=this_year - 1)
    joined(this_year)

    response = staff_client.get(PAGE)

    assert response.status_code == 200
    panels = {panel.slug: panel for panel in response.context["panels"]}
    assert list(panels) == [
        "mitglieder-pro-jahr",
        "eintritte-und-austritte",
        "bundeslaender",
        "kommunengroesse",
        "funktionen",
        "partner-nach-bereich",
    ]
    assert panels["mitglieder-pro-jahr"].table.rows == [
        (str(this_year - 2), [2]),
        (str(this_year - 1), [1]),
        (str(this_year), [2]),
    ]
    assert panels["eintritte-und-austritte"].table.totals == [3, 1]
    assert response.context["figures"] == {"members": 2, "joined": 1, "states": 1, "partners": 0}
    html = response.content.decode()
    assert html.count('role="img"') == 5  # no partners yet: that panel says so instead
    assert 'aria-labelledby="mitglieder-pro-jahr-title mitglieder-pro-jahr-desc"' in html
    assert f'<desc id="mitglieder-pro-jahr-desc">{panels["mitglieder-pro-jahr"].message}' in html
    assert html.count("<caption") == 5
    assert 'href="/geschaeftsstelle/statistik/bundeslaender.csv"' in html
    assert "style=" not in html
    assert "<style" not in html


def test_the_page_without_any_members_explains_instead_of_drawing(staff_client):
    response = staff_client.get(PAGE)

    assert response.status_code == 200
    assert 'role="img"' not in response.content.decode()
    assert response.context["figures"] == {"members": 0, "joined": 0, "states": 0, "partners": 0}


# --- Access ----------------------------------------------------------------------


@pytest.mark.parametrize("url", [PAGE, CSV])
def test_visitors_are_sent_to_the_login(anon_client, url):
    response = anon_client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/konto/anmelden/?next={url}"


@pytest.mark.parametrize("persona", ["member_client", "guest_client"])
@pytest.mark.parametrize("url", [PAGE, CSV])
def test_members_and_guests_do_not_find_the_statistics(request, persona, url):
    response = request.getfixturevalue(persona).get(url)

    assert response.status_code == 404


@pytest.mark.parametrize("url", [PAGE, CSV])
def test_the_club_office_sees_the_statistics(staff_client, url):
    assert staff_client.get(url).status_code == 200


def test_the_statistics_only_answer_get(staff_client):
    assert staff_client.post(PAGE).status_code == 405


# --- CSV files ---------------------------------------------------------------------


def test_the_members_csv_parses_back_with_the_numbers_of_the_table(staff_client):
    joined(2020)
    joined(2020, left=2021)

    response = staff_client.get(CSV, HTTP_ACCEPT_LANGUAGE="en")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate()
    assert response["Content-Disposition"] == (
        f'attachment; filename="innoclub-mitglieder-pro-jahr-{today.isoformat()}.csv"'
    )
    rows = parse_csv(response.content)
    assert rows[0] == ["Year", "Members"]
    assert rows[1:4] == [["2020", "2"], ["2021", "1"], ["2022", "1"]]
    assert rows[-1] == [str(today.year), "1"]


def test_the_federal_state_csv_lists_every_land(staff_client):
    joined(2020)

    rows = parse_csv(staff_client.get("/geschaeftsstelle/statistik/bundeslaender.csv").content)

    assert len(rows) == 1 + 16
    assert rows[1] == ["Hessen", "1"]
    assert ["Bayern", "0"] in rows


@pytest.mark.parametrize("table", CSV_TABLES)
def test_every_table_is_offered_as_csv(staff_client, table):
    joined(2020)

    response = staff_client.get(f"/geschaeftsstelle/statistik/{table}.csv")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; ")
    assert len(parse_csv(response.content)) >= 2


def test_tables_outside_the_list_are_not_served(staff_client):
    assert staff_client.get("/geschaeftsstelle/statistik/benutzer.csv").status_code == 404


def test_csv_cells_that_look_like_formulas_are_neutralised():
    table = Table(
        slug="probe",
        caption="Probe",
        headers=["=Name", "Anzahl"],
        rows=[
            ('=HYPERLINK("http://example.org";"klick")', [1]),
            ("+49 30 123", [2]),
            ("-5", [3]),
            ("@SUM(A1)", [4]),
            ("\tTab", [5]),
            ("Bayern; Hessen", [6]),
        ],
    )

    rows = parse_csv(csv_response(table, "probe.csv").content)

    assert rows == [
        ["'=Name", "Anzahl"],
        ['\'=HYPERLINK("http://example.org";"klick")', "1"],
        ["'+49 30 123", "2"],
        ["'-5", "3"],
        ["'@SUM(A1)", "4"],
        ["'\tTab", "5"],
        ["Bayern; Hessen", "6"],
    ]


# --- Query budget --------------------------------------------------------------------


def many_members(count: int) -> None:
    bavaria = MunicipalityFactory(state=FederalState.BY, ags="09162000", population=1_500_000)
    functions = list(Function)
    for n in range(count):
        municipality = bavaria if n % 2 else MunicipalityFactory(population=3_000 * (n + 1))
        year = 2003 + n % 20
        joined(
            year,
            left=year + n % 5 if n % 7 == 6 else None,
            user=MemberFactory(municipality=municipality),
            function=functions[n % len(functions)],
        )
        if n % 3 == 0:
            ProfileFactory(user=GuestFactory(), sector=list(Sector)[n % 4], member_since=None)


# session, user and OTP device; the first request of a login also stores the
# session clocks (a savepoint, an update, its release); then one query each for
# joins, leaves, Länder, size classes, functions and sectors.
PAGE_QUERIES = 12
CSV_QUERIES = 8


@pytest.mark.parametrize("members", [1, 40])
def test_statistics_page_query_budget(staff_client, django_assert_max_num_queries, members):
    many_members(members)

    with django_assert_max_num_queries(PAGE_QUERIES):
        response = staff_client.get(PAGE)

    assert response.context["figures"]["members"] == statistics.members_by_state().total
    assert response.context["figures"]["members"] > 0


@pytest.mark.parametrize("members", [1, 40])
@pytest.mark.parametrize("table", CSV_TABLES)
def test_csv_query_budget(staff_client, django_assert_max_num_queries, members, table):
    many_members(members)

    # as the page, but only the one query of this table (two for the years),
    # and the audit log's entry of the download
    with django_assert_max_num_queries(CSV_QUERIES + 1):
        response = staff_client.get(f"/geschaeftsstelle/statistik/{table}.csv")

    assert response.status_code == 200
