"""The spread of pilots: the curve replayed from history, reach, the transfer overview,
the section on the pilot page and the office's overview."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from innoclub.core.access import Visibility
from innoclub.network.models import FederalState, MunicipalityKind
from innoclub.pilots import spread, transfer
from innoclub.pilots.maps import Role
from innoclub.pilots.models import AdoptionState, AdoptionStateChange, PilotProject
from innoclub.pilots.transfer_charts import diffusion_curve, period_ends
from tests.factories import MunicipalityFactory, TopicFactory
from tests.pilots_factories import AdoptionFactory, ParticipantFactory, PilotFactory

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = timezone.localdate()


def days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def move(adoption, state: str, on: datetime.date) -> None:
    """A later state of an adoption, as the adoption services record it."""
    AdoptionStateChange.objects.create(adoption=adoption, state=state, effective_on=on)
    adoption.state = state
    if state == AdoptionState.IMPLEMENTED:
        adoption.implemented_on = on
    if state == AdoptionState.GIVEN_UP:
        adoption.given_up_on = on
    adoption.save()


# --- The curve ------------------------------------------------------------------


def curve_of(events, *, today):
    """The curve of one pilot whose adoptions went through ``events``
    (adoption number, day, state), recorded in this order."""
    pilot = PilotFactory()
    adoptions = {}
    for number, day, state in events:
        if number not in adoptions:
            adoptions[number] = AdoptionFactory(pilot=pilot, started_on=day, state=state)
        else:
            AdoptionStateChange.objects.create(
                adoption=adoptions[number], state=state, effective_on=day
            )
    pilots = PilotProject.objects.filter(pk=pilot.pk)
    return diffusion_curve(spread.state_spans(pilots, today=today), today=today)


def test_an_adoption_counts_in_the_state_it_had_at_the_end_of_each_month():
    events = [
        (1, D(2025, 3, 10), AdoptionState.INTERESTED),
        (2, D(2025, 4, 2), AdoptionState.PREPARING),
        (1, D(2025, 5, 20), AdoptionState.IMPLEMENTED),
        (2, D(2025, 6, 1), AdoptionState.GIVEN_UP),
    ]

    curve = curve_of(events, today=D(2025, 6, 15))
    periods = curve.periods

    assert curve.period_name == "Monat"
    rows = [(p.end, p.interested, p.preparing, p.implemented, p.given_up) for p in periods]
    assert rows == [
        (D(2025, 3, 31), 1, 0, 0, 0),
        (D(2025, 4, 30), 1, 1, 0, 0),
        (D(2025, 5, 31), 0, 1, 1, 0),
        (D(2025, 6, 15), 0, 0, 1, 1),  # the current month ends today
    ]
    assert [p.active for p in periods] == [1, 2, 2, 1]


def test_two_changes_on_one_day_count_in_the_order_they_were_recorded():
    events = [(1, D(2025, 3, 10), AdoptionState.INTERESTED), (1, D(2025, 3, 10), "umgesetzt")]

    periods = curve_of(events, today=D(2025, 3, 31)).periods

    assert periods[0].implemented == 1 and periods[0].interested == 0


def test_long_histories_are_counted_in_quarters_and_then_in_years():
    quarters_name, quarters = period_ends(D(2022, 2, 1), D(2025, 5, 5))
    years_name, years = period_ends(D(2015, 2, 1), D(2025, 5, 5))

    assert quarters_name == "Quartal"
    assert [p.short for p in quarters[:2]] == ["Q1/22", "Q2/22"]
    assert quarters[0].label == "1. Quartal 2022"
    assert quarters[-1].end == D(2025, 5, 5)
    assert len(quarters) == 14
    assert years_name == "Jahr"
    assert [p.label for p in years] == [str(y) for y in range(2015, 2026)]


def test_changes_in_the_future_do_not_count_yet():
    events = [
        (1, D(2025, 3, 10), AdoptionState.INTERESTED),
        (1, D(2025, 9, 1), AdoptionState.IMPLEMENTED),
    ]

    curve = curve_of(events, today=D(2025, 4, 30))

    assert [p.interested for p in curve.periods] == [1, 1]
    assert [p.implemented for p in curve.periods] == [0, 0]
    assert curve.message == (
        "Am 30. April 2025: 1 Nachnutzung (0 umgesetzt, 0 in Vorbereitung, 1 interessiert)."
    )


def test_without_adoptions_there_is_no_chart_but_a_sentence():
    curve = diffusion_curve([], today=TODAY)

    assert curve.chart is None
    assert curve.message == "Bisher ist keine Nachnutzung verzeichnet."


def test_the_chart_stacks_the_states_and_hangs_given_up_below_the_axis():
    events = [
        (1, D(2025, 3, 1), AdoptionState.IMPLEMENTED),
        (2, D(2025, 3, 1), AdoptionState.PREPARING),
        (3, D(2025, 3, 1), AdoptionState.GIVEN_UP),
    ]

    curve = curve_of(events, today=D(2025, 3, 31))

    kinds = [shape.kind for shape in curve.chart.shapes]
    assert kinds == ["umgesetzt", "vorbereitung", "aufgegeben"]
    implemented, preparing, given_up = curve.chart.shapes
    assert float(preparing.y) < float(implemented.y)  # stacked on top
    assert float(given_up.y) == float(implemented.y) + float(implemented.height)  # below the axis
    assert curve.chart.shapes[0].fill == "#16305f"


# --- Reach and the pilot's section -----------------------------------------------


def test_reach_counts_lead_participants_and_adopters_that_have_not_given_up_once_each():
    lead = MunicipalityFactory(
        name="Ulm", ags="08421000", state=FederalState.BW, population=126_000
    )
    pilot = PilotFactory(lead_municipality=lead)
    ParticipantFactory(pilot=pilot, municipality=MunicipalityFactory(population=10_000))
    AdoptionFactory(
        pilot=pilot,
        municipality=MunicipalityFactory(
            name="Passau", ags="09262000", state=FederalState.BY, population=None
        ),
        state=AdoptionState.PREPARING,
    )
    AdoptionFactory(
        pilot=pilot,
        municipality=MunicipalityFactory(ags="13003000", state=FederalState.MV, population=9_000),
        state=AdoptionState.GIVEN_UP,
        given_up_on=D(2025, 7, 1),
        given_up_reason="Kein Personal.",
    )

    section = transfer.transfer_for_pilot(pilot, None)["transfer"]

    assert section.reach == transfer.Reach(
        municipalities=3,
        inhabitants=136_000,
        without_population=1,
        states=["Baden-Württemberg", "Bayern", "Hessen"],
    )
    assert section.table.roles == [Role.LEAD, Role.PARTICIPANT, Role.PREPARING, Role.GIVEN_UP]
    assert section.table.municipalities == 4
    # the largest first, those of unknown size last
    assert [p.role for p in section.table.largest] == [
        Role.LEAD,
        Role.PARTICIPANT,
        Role.GIVEN_UP,
        Role.PREPARING,
    ]
    assert (section.table.largest[0].name, section.table.largest[-1].name) == ("Ulm", "Passau")
    assert section.table.totals.total == 4


def test_an_adoption_counts_in_its_current_state_from_the_month_it_entered_it():
    pilot = PilotFactory()
    adoption = AdoptionFactory(pilot=pilot, started_on=D(2025, 2, 1))
    move(adoption, AdoptionState.IMPLEMENTED, D(2025, 8, 15))

    curve = transfer.transfer_section(
        PilotProject.objects.filter(pk=pilot.pk), today=D(2025, 9, 1)
    ).curve

    assert [(p.end.month, p.interested, p.implemented) for p in curve.periods[-3:]] == [
        (7, 1, 0),
        (8, 0, 1),
        (9, 0, 1),
    ]


@pytest.mark.parametrize("adoptions", [1, 4])
def test_the_pilots_section_reads_twelve_queries_then_one(django_assert_num_queries, adoptions):
    pilot = PilotFactory()
    ParticipantFactory.create_batch(adoptions, pilot=pilot)
    for adoption in AdoptionFactory.create_batch(adoptions, pilot=pilot):
        move(adoption, AdoptionState.PREPARING, D(2025, 9, 1))

    # the version of the cached section (core/sections.py); reach; entries by state
    # (3); the largest places and their roles (1 + 3); the curve; the map's cells (3)
    with django_assert_num_queries(1 + 12):
        section = transfer.transfer_for_pilot(pilot, None)["transfer"]
    with django_assert_num_queries(1):
        again = transfer.transfer_for_pilot(pilot, None)["transfer"]

    assert section.reach.municipalities == again.reach.municipalities == 1 + 2 * adoptions


def test_the_pilot_page_shows_the_map_the_curve_and_the_reach(anon_client):
    pilot = PilotFactory(title="Digitale Bauakte", slug="digitale-bauakte")
    AdoptionFactory(pilot=pilot, municipality=MunicipalityFactory(name="Gießen"))

    response = anon_client.get("/pilotprojekte/digitale-bauakte/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="verbreitung"' in html
    assert 'class="transfer-map__svg"' in html
    assert "Wo „Digitale Bauakte“ genutzt wird" in html
    assert "Nachnutzung: interessiert" in html
    assert response.context["transfer"].reach.municipalities == 2


# --- /transfer/ -----------------------------------------------------------------


def test_the_public_sees_the_spread_of_public_pilots_only(anon_client):
    public = PilotFactory(title="Offenes Rathaus")
    hidden = PilotFactory(title="Internes Projekt", visibility=Visibility.MEMBERS)
    AdoptionFactory(pilot=public, municipality=MunicipalityFactory(name="Bad Hersfeld"))
    AdoptionFactory(pilot=hidden, municipality=MunicipalityFactory(name="Geheimstadt"))

    response = anon_client.get("/transfer/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Bad Hersfeld" in html
    assert "Geheimstadt" not in html
    assert "Internes Projekt" not in html
    assert response.context["shown"] == 1


def test_members_see_members_pilots_and_the_way_to_the_finder(member_client):
    pilot = PilotFactory(title="Internes Projekt", visibility=Visibility.MEMBERS)
    AdoptionFactory(pilot=pilot, municipality=MunicipalityFactory(name="Geheimstadt"))

    html = member_client.get("/transfer/").content.decode()

    assert "Geheimstadt" in html
    assert "/transfer/wer-hat-das-schon-gemacht/" in html


def test_the_overview_narrows_to_one_pilot_or_one_topic(anon_client):
    mobility = TopicFactory(name="Mobilität", slug="mobilitaet")
    bus = PilotFactory(title="Rufbus", slug="rufbus", topics=[mobility])
    files = PilotFactory(title="E-Akte", slug="e-akte")
    AdoptionFactory(pilot=bus, municipality=MunicipalityFactory(name="Alsfeld"))
    AdoptionFactory(pilot=files, municipality=MunicipalityFactory(name="Lauterbach"))

    by_pilot = anon_client.get("/transfer/?pilot=e-akte")
    by_topic = anon_client.get("/transfer/?thema=mobilitaet")

    assert [
        p.name for p in by_pilot.context["section"].table.largest if p.role is Role.INTERESTED
    ] == ["Lauterbach"]
    assert [
        p.name for p in by_topic.context["section"].table.largest if p.role is Role.INTERESTED
    ] == ["Alsfeld"]
    assert by_pilot.context["chosen_pilot_title"] == "E-Akte"
    assert 'name="pilot" value="e-akte"' in by_pilot.content.decode()  # kept with a topic
    assert by_topic.context["chosen_topic"] == "mobilitaet"


def test_an_unknown_pilot_or_topic_is_said_and_everything_is_shown(anon_client):
    PilotFactory(slug="rufbus")
    PilotFactory(slug="e-akte", visibility=Visibility.MEMBERS)

    response = anon_client.get("/transfer/?pilot=e-akte&thema=gibt-es-nicht")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Das gewählte Pilotprojekt kennen wir nicht; alle werden gezeigt." in html
    assert "Kein Pilotprojekt hat das gewählte Thema; alle Themen werden gezeigt." in html
    assert response.context["shown"] == 1


def test_the_pilots_spreading_the_most_come_first(anon_client):
    slow = PilotFactory(title="Langsam")
    fast = PilotFactory(title="Schnell")
    AdoptionFactory(pilot=slow, started_on=days_ago(800))
    AdoptionFactory(pilot=slow, started_on=days_ago(700))
    AdoptionFactory.create_batch(2, pilot=fast, started_on=days_ago(30))
    PilotFactory(title="Ohne Nachnutzung")

    top = anon_client.get("/transfer/").context["top"]

    assert [(f.pilot.title, f.new_adoptions, f.active) for f in top] == [
        ("Schnell", 2, 2),
        ("Langsam", 0, 2),
    ]


@pytest.mark.parametrize("pilots", [1, 4])
def test_the_overview_runs_a_fixed_number_of_queries(
    member_client, django_assert_num_queries, pilots
):
    topic = TopicFactory()
    for pilot in PilotFactory.create_batch(pilots, topics=[topic]):
        ParticipantFactory(pilot=pilot)
        for adoption in AdoptionFactory.create_batch(pilots, pilot=pilot):
            move(adoption, AdoptionState.IMPLEMENTED, D(2025, 10, 1))
    member_client.get("/transfer/")  # the first request of a login stores the session clock

    # session, user; the version of the cached topics; the version of the figures,
    # which are not cached for this topic yet: the number of pilots, the section
    # (twelve), the top five
    with django_assert_num_queries(2 + 1 + 1 + 1 + 12 + 1):
        response = member_client.get(f"/transfer/?thema={topic.slug}")
    # Again: everything from the cache (core/sections.py), whatever the number of pilots.
    with django_assert_num_queries(2 + 1 + 1):
        again = member_client.get(f"/transfer/?thema={topic.slug}")

    assert response.context["section"].reach.municipalities == pilots * (2 + pilots)
    # The figures as rendered the first time (the rest of the page holds a new CSRF token).
    assert figures(again) == figures(response)


def figures(response) -> str:
    return response.content.decode().split('id="reichweite"')[1].split("</main>")[0]


def test_the_overview_of_many_municipalities_lists_the_largest_and_counts_all(anon_client):
    pilot = PilotFactory(title="Rufbus")
    sizes = range(1_000, 1_000 + 1_000 * (spread.LARGEST + 5), 1_000)
    for population in sizes:
        AdoptionFactory(pilot=pilot, municipality=MunicipalityFactory(population=population))

    response = anon_client.get("/transfer/")

    table = response.context["section"].table
    html = response.content.decode()
    assert len(table.largest) == spread.LARGEST
    assert (
        table.largest[0].name
        == MunicipalityFactory._meta.model.objects.order_by("-population")[0].name
    )
    assert table.municipalities == spread.LARGEST + 6  # with the lead
    assert table.totals.total == spread.LARGEST + 6
    assert html.count('scope="row"><a class="kern-link" href="/kommunen/') == spread.LARGEST
    assert 'href="/offene-daten/"' in html


# --- The office's overview -------------------------------------------------------


def test_the_office_overview_is_for_the_office_only(anon_client, member_client, guest_client):
    assert anon_client.get("/geschaeftsstelle/transfer/").status_code == 302
    assert member_client.get("/geschaeftsstelle/transfer/").status_code == 404
    assert guest_client.get("/geschaeftsstelle/transfer/").status_code == 404


def test_trends_follow_their_definitions():
    """Spreading: three adoptions started within twelve months. Stalling: running
    for over twelve months without a start or change in them. Else neither."""
    spreading = PilotFactory(title="spreading", starts_on=days_ago(900))
    AdoptionFactory.create_batch(3, pilot=spreading, started_on=days_ago(30))
    stalling = PilotFactory(title="stalling", starts_on=days_ago(900))
    move(
        AdoptionFactory(pilot=stalling, started_on=days_ago(800)),
        AdoptionState.PREPARING,
        days_ago(400),
    )
    PilotFactory(title="never adopted", starts_on=days_ago(400))
    PilotFactory(title="young", starts_on=days_ago(100))
    moving = PilotFactory(title="moving", starts_on=days_ago(900))
    move(
        AdoptionFactory(pilot=moving, started_on=days_ago(800)),
        AdoptionState.PREPARING,
        days_ago(20),
    )

    trends = {
        pilot.title: transfer.figures_of(pilot).trend
        for pilot in transfer.with_figures(PilotProject.objects.all(), today=TODAY)
    }

    assert trends == {
        "spreading": transfer.Trend.SPREADING,
        "stalling": transfer.Trend.STALLING,
        "never adopted": transfer.Trend.STALLING,
        "young": transfer.Trend.NEITHER,
        "moving": transfer.Trend.NEITHER,
    }


def test_the_office_sees_which_pilots_spread_and_which_stall(staff_client):
    fast = PilotFactory(title="Schnell", starts_on=days_ago(500))
    AdoptionFactory.create_batch(3, pilot=fast, started_on=days_ago(60))
    stuck = PilotFactory(title="Stockend", starts_on=days_ago(900))
    old = AdoptionFactory(pilot=stuck, started_on=days_ago(800))
    move(old, AdoptionState.PREPARING, days_ago(500))
    revived = PilotFactory(title="Wieder belebt", starts_on=days_ago(900))
    change = AdoptionFactory(pilot=revived, started_on=days_ago(800))
    move(change, AdoptionState.IMPLEMENTED, days_ago(10))

    response = staff_client.get("/geschaeftsstelle/transfer/")

    rows = [
        (f.pilot.title, f.trend.value, f.new_adoptions, f.last_activity)
        for f in response.context["overview"].figures
    ]
    assert rows == [
        ("Schnell", "spreading", 3, days_ago(60)),
        ("Stockend", "stalling", 0, days_ago(500)),
        ("Wieder belebt", "neither", 0, days_ago(10)),
    ]
    html = response.content.decode()
    assert "verbreitet sich" in html and "stockt" in html
    assert "mindestens 3 neue Nachnutzungen" in html


def test_the_office_reads_why_adoptions_were_given_up_and_what_to_verify(staff_client, staff):
    pilot = PilotFactory(title="Rufbus", slug="rufbus")
    given_up = AdoptionFactory(
        pilot=pilot, municipality=MunicipalityFactory(name="Schotten"), started_on=D(2024, 1, 1)
    )
    move(given_up, AdoptionState.GIVEN_UP, D(2025, 2, 1))
    given_up.given_up_reason = "Der Kreistag hat die Mittel gestrichen."
    given_up.save()
    open_one = AdoptionFactory(pilot=pilot, municipality=MunicipalityFactory(name="Nidda"))
    AdoptionFactory(
        pilot=pilot,
        municipality=MunicipalityFactory(name="Büdingen"),
        verified_by=staff,
        verified_at=timezone.now(),
    )

    response = staff_client.get("/geschaeftsstelle/transfer/")

    overview = response.context["overview"]
    assert [a.municipality.name for a in overview.given_up] == ["Schotten"]
    assert [a.municipality.name for a in overview.unverified] == ["Nidda"]
    html = response.content.decode()
    assert "Der Kreistag hat die Mittel gestrichen." in html
    assert f'href="/pilotprojekte/rufbus/nachnutzung/{open_one.pk}/"' in html


@pytest.mark.parametrize("pilots", [1, 4])
def test_the_office_overview_runs_a_fixed_number_of_queries(
    staff_client, django_assert_num_queries, pilots
):
    for pilot in PilotFactory.create_batch(pilots):
        for adoption in AdoptionFactory.create_batch(pilots, pilot=pilot):
            move(adoption, AdoptionState.GIVEN_UP, D(2025, 10, 1))
        AdoptionFactory(pilot=pilot, municipality=MunicipalityFactory(kind=MunicipalityKind.STADT))
    staff_client.get("/geschaeftsstelle/transfer/")

    # session, user, OTP device; the page of pilots and their number; spreading and
    # stalling; given-up adoptions and their number; unverified ones and their number
    with django_assert_num_queries(3 + 2 + 2 + 2 + 2):
        response = staff_client.get("/geschaeftsstelle/transfer/")

    assert len(response.context["overview"].given_up) == pilots * pilots


# --- An operator's tile server ----------------------------------------------------


def img_sources(response) -> list[str]:
    directives = [d.split() for d in response["Content-Security-Policy"].split(";")]
    return next(d[1:] for d in directives if d and d[0] == "img-src")


def test_by_default_the_map_asks_no_other_host(anon_client):
    PilotFactory()

    response = anon_client.get("/transfer/")

    assert "<image" not in response.content.decode()
    assert img_sources(response) == ["'self'", "data:"]


def test_a_configured_tile_server_is_drawn_under_the_map_and_allowed(anon_client, settings):
    settings.INNOCLUB_MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    PilotFactory()

    response = anon_client.get("/transfer/")

    html = response.content.decode()
    assert '<image href="https://tiles.example.org/6/33/20.png"' in html
    assert "Kartenhintergrund: tiles.example.org" in html
    assert img_sources(response) == ["'self'", "data:", "https://tiles.example.org"]


def test_the_office_sees_the_30_oldest_adoptions_to_verify_and_a_link_to_all(staff_client):
    pilot = PilotFactory()
    AdoptionFactory.create_batch(31, pilot=pilot)

    html = staff_client.get("/geschaeftsstelle/transfer/").content.decode()

    assert html.count("prüfen</a></th>") == 30
    link = "/admin/pilots/adoption/?verified_at__isempty=1"
    assert f'href="{link}">Alle 31 zu prüfenden Nachnutzungen in der Verwaltung</a>' in html
    listed = staff_client.get(link).content.decode()
    assert "31 Nachnutzungen" in listed
