"""The writes of pilot projects: creating and editing a pilot and saving its lists.
Bad input is refused with a German message and changes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innoclub.core.access import Visibility
from innoclub.pilots import services
from innoclub.pilots.models import (
    AdoptionIndicatorValue,
    FundingSource,
    Indicator,
    IndicatorUnit,
    Milestone,
    MilestoneState,
    PilotParticipant,
    PilotProject,
    PilotState,
)
from innoclub.pilots.services import FundingRow, IndicatorRow, MilestoneRow, ParticipantRow
from tests.factories import GuestFactory, MemberFactory, MunicipalityFactory, TopicFactory
from tests.pilots_factories import (
    AdoptionFactory,
    IndicatorFactory,
    MilestoneFactory,
    ParticipantFactory,
    PilotFactory,
)

pytestmark = pytest.mark.django_db


def messages_of(refusal: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return refusal.value.messages


# --- Creating and editing a pilot ----------------------------------------------------------


def test_the_office_creates_a_pilot_with_a_slug_from_its_title(staff):
    contact = MemberFactory()
    topic = TopicFactory()
    lead = MunicipalityFactory(name="Fulda")

    pilot = services.pilot_create(
        title="  Wärmeplanung für Dörfer ",
        created_by=staff,
        lead_municipality=lead,
        state=PilotState.RUNNING,
        visibility=Visibility.PUBLIC,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2026, 6, 30),
        budget=Decimal("120000"),
        topics=[topic],
        contacts=[contact],
    )

    assert pilot.slug == "waermeplanung-fuer-doerfer"
    assert pilot.title == "Wärmeplanung für Dörfer"
    assert pilot.created_by == staff
    assert list(pilot.contacts.all()) == [contact]
    assert list(pilot.topics.all()) == [topic]
    assert pilot.lead_municipality == lead


def test_a_second_pilot_of_the_same_title_gets_the_next_free_slug(staff):
    PilotFactory(slug="buergerbus")
    PilotFactory(slug="buergerbus-2")

    pilot = services.pilot_create(title="Bürgerbus", created_by=staff)

    assert pilot.slug == "buergerbus-3"


def test_a_slug_never_takes_a_fixed_address_of_the_pilot_pages(staff):
    assert services.pilot_create(title="Neu", created_by=staff).slug == "neu-pilot"
    assert services.pilot_create(title="!!!", created_by=staff).slug == "pilotprojekt"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"starts_on": datetime.date(2025, 5, 1), "ends_on": datetime.date(2025, 4, 30)},
            "ends_on",
            "Das Ende liegt vor dem Beginn. Bitte prüfen Sie die Daten.",
        ),
        ({"budget": Decimal("-1")}, "budget", "Ein Betrag kann nicht negativ sein."),
        ({"budget": Decimal("1e12")}, "budget", "Dieser Betrag ist zu groß."),
        ({"title": "   "}, "title", "Bitte geben Sie dem Pilotprojekt einen Titel."),
        ({"state": "erfunden"}, "state", "Bitte wählen Sie einen Stand."),
        (
            {"visibility": "staff"},
            "visibility",
            "Bitte wählen Sie, wer das Pilotprojekt sehen darf.",
        ),
    ],
)
def test_a_pilot_with_bad_values_is_not_created(staff, fields, field, message):
    values = {"title": "Bürgerbus", "created_by": staff, **fields}

    with pytest.raises(ValidationError) as refusal:
        services.pilot_create(**values)

    assert refusal.value.message_dict == {field: [message]}
    assert PilotProject.objects.count() == 0


def test_only_members_can_be_contact_people(staff):
    with pytest.raises(ValidationError) as refusal:
        services.pilot_create(title="Bürgerbus", created_by=staff, contacts=[GuestFactory()])

    assert refusal.value.message_dict == {
        "contacts": ["Ansprechpersonen müssen Mitglieder des Clubs sein."]
    }
    assert PilotProject.objects.count() == 0


def test_editing_keeps_the_slug_when_the_title_changes(staff):
    pilot = PilotFactory(title="Bürgerbus", slug="buergerbus")

    services.pilot_update(
        pilot=pilot,
        by=staff,
        fields={"title": "Bürgerbus auf Abruf", "state": PilotState.COMPLETED},
    )

    pilot.refresh_from_db()
    assert (pilot.title, pilot.slug, pilot.state) == (
        "Bürgerbus auf Abruf",
        "buergerbus",
        PilotState.COMPLETED,
    )


def test_a_contact_person_edits_texts_but_not_what_the_office_decides():
    contact = MemberFactory()
    pilot = PilotFactory(contacts=[contact], state=PilotState.RUNNING)

    services.pilot_update(pilot=pilot, by=contact, fields={"results": "Wartezeit halbiert."})
    with pytest.raises(PermissionDenied):
        services.pilot_update(pilot=pilot, by=contact, fields={"state": PilotState.ABORTED})
    with pytest.raises(PermissionDenied):
        services.pilot_update(pilot=pilot, by=contact, fields={}, contacts=[])

    pilot.refresh_from_db()
    assert pilot.results == "Wartezeit halbiert."
    assert pilot.state == PilotState.RUNNING
    assert list(pilot.contacts.all()) == [contact]


def test_an_edit_with_the_end_before_the_start_changes_nothing(staff):
    pilot = PilotFactory(starts_on=datetime.date(2025, 3, 1), results="alt")

    with pytest.raises(ValidationError) as refusal:
        services.pilot_update(
            pilot=pilot,
            by=staff,
            fields={"results": "neu", "ends_on": datetime.date(2025, 2, 1)},
        )

    assert "ends_on" in refusal.value.message_dict
    pilot.refresh_from_db()
    assert (pilot.results, pilot.ends_on) == ("alt", None)


def test_a_participating_municipality_cannot_become_the_lead_as_well(staff):
    pilot = PilotFactory()
    fulda = ParticipantFactory(pilot=pilot).municipality
    lead = pilot.lead_municipality

    with pytest.raises(ValidationError) as refusal:
        services.pilot_update(pilot=pilot, by=staff, fields={"lead_municipality": fulda})

    assert refusal.value.message_dict == {
        "lead_municipality": [
            "Diese Kommune steht bei den beteiligten Kommunen. Bitte entfernen Sie sie dort zuerst."
        ]
    }
    pilot.refresh_from_db()
    assert pilot.lead_municipality == lead


# --- Participants ----------------------------------------------------------------------------


def test_participants_are_replaced_by_the_new_list():
    pilot = PilotFactory()
    ParticipantFactory(pilot=pilot, role="alt")
    fulda, kassel = MunicipalityFactory(name="Fulda"), MunicipalityFactory(name="Kassel")

    services.pilot_participants_save(
        pilot=pilot,
        participants=[
            ParticipantRow(municipality=fulda, role=" Partnerkommune "),
            ParticipantRow(municipality=kassel, role="Erprobung in der Großstadt"),
        ],
    )

    assert [(p.municipality.name, p.role) for p in pilot.participants.order_by("role")] == [
        ("Kassel", "Erprobung in der Großstadt"),
        ("Fulda", "Partnerkommune"),
    ]


@pytest.mark.parametrize("problem", ["twice", "lead", "no role"])
def test_a_bad_participant_list_changes_nothing(problem):
    pilot = PilotFactory()
    kept = ParticipantFactory(pilot=pilot)
    fulda = MunicipalityFactory(name="Fulda")
    rows = {
        "twice": [ParticipantRow(fulda, "Partner"), ParticipantRow(fulda, "Nochmal")],
        "lead": [ParticipantRow(pilot.lead_municipality, "Leitung")],
        "no role": [ParticipantRow(fulda, "  ")],
    }[problem]

    with pytest.raises(ValidationError) as refusal:
        services.pilot_participants_save(pilot=pilot, participants=rows)

    assert messages_of(refusal) == [
        {
            "twice": "„Fulda“ steht zweimal in der Liste.",
            "lead": "Das ist die federführende Kommune des Pilotprojekts. "
            "Bitte nennen Sie hier die weiteren Kommunen.",
            "no role": "Bitte beschreiben Sie die Rolle der Kommune im Pilotprojekt.",
        }[problem]
    ]
    assert list(PilotParticipant.objects.all()) == [kept]


# --- Milestones and funding ----------------------------------------------------------------


def test_milestones_are_saved_with_their_state():
    pilot = PilotFactory()
    MilestoneFactory(pilot=pilot, title="alt")

    services.pilot_milestones_save(
        pilot=pilot,
        milestones=[
            MilestoneRow(
                "Ausschreibung",
                datetime.date(2025, 4, 1),
                MilestoneState.REACHED,
                datetime.date(2025, 3, 20),
            ),
            MilestoneRow("Start", datetime.date(2025, 9, 1)),
        ],
    )

    assert [(m.title, m.state, m.reached_on) for m in pilot.milestones.all()] == [
        ("Ausschreibung", MilestoneState.REACHED, datetime.date(2025, 3, 20)),
        ("Start", MilestoneState.OPEN, None),
    ]


def test_a_reached_on_date_for_an_open_milestone_is_refused_and_nothing_changes():
    pilot = PilotFactory()
    kept = MilestoneFactory(pilot=pilot)

    with pytest.raises(ValidationError) as refusal:
        services.pilot_milestones_save(
            pilot=pilot,
            milestones=[
                MilestoneRow(
                    "Start",
                    datetime.date(2025, 9, 1),
                    MilestoneState.DELAYED,
                    datetime.date(2025, 9, 3),
                )
            ],
        )

    assert messages_of(refusal) == [
        "Ein Datum „erreicht am“ gibt es nur bei einem Meilenstein, der erreicht ist."
    ]
    assert list(Milestone.objects.all()) == [kept]


def test_funding_sources_are_saved_and_a_negative_amount_refused():
    pilot = PilotFactory()

    services.pilot_funding_save(
        pilot=pilot, sources=[FundingRow("Eigenmittel", Decimal(5000)), FundingRow("Land")]
    )
    with pytest.raises(ValidationError) as refusal:
        services.pilot_funding_save(pilot=pilot, sources=[FundingRow("Bund", Decimal(-10))])

    assert messages_of(refusal) == ["Ein Betrag kann nicht negativ sein."]
    assert sorted(FundingSource.objects.values_list("name", "amount")) == [
        ("Eigenmittel", Decimal("5000.00")),
        ("Land", None),
    ]


# --- Indicators ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "value", "message"),
    [
        (IndicatorUnit.PERCENT, "140", "Ein Prozentwert liegt zwischen 0 und 100."),
        (IndicatorUnit.PERCENT, "-5", "Ein Prozentwert liegt zwischen 0 und 100."),
        (IndicatorUnit.COUNT, "-1", "Der Wert kann nicht negativ sein."),
        (IndicatorUnit.DAYS, "4000", "Für „Tage“ liegt ein Wert zwischen 0 und 3660."),
        (IndicatorUnit.EURO, "1e13", "Dieser Wert ist zu groß."),
        (IndicatorUnit.EURO, "NaN", "Bitte geben Sie eine Zahl ein."),
    ],
)
def test_an_indicator_value_outside_its_units_range_changes_nothing(unit, value, message):
    pilot = PilotFactory()
    kept = IndicatorFactory(pilot=pilot, name="Anteil online")

    with pytest.raises(ValidationError) as refusal:
        services.pilot_indicators_save(
            pilot=pilot,
            indicators=[
                IndicatorRow(
                    "Anteil online", IndicatorUnit.PERCENT, Decimal(10), Decimal(20), pk=kept.pk
                ),
                IndicatorRow("Neu", unit, after=Decimal(value)),
            ],
        )

    assert messages_of(refusal) == [message]
    assert list(Indicator.objects.values_list("name", "before", "after")) == [
        ("Anteil online", kept.before, kept.after)
    ]


def test_indicators_are_updated_in_place_so_the_adopters_values_stay():
    pilot = PilotFactory()
    online = IndicatorFactory(pilot=pilot, name="Anteil online")
    dropped = IndicatorFactory(pilot=pilot, name="Wird gestrichen")
    adoption = AdoptionFactory(pilot=pilot)
    AdoptionIndicatorValue.objects.create(adoption=adoption, indicator=online, after=Decimal(40))
    AdoptionIndicatorValue.objects.create(adoption=adoption, indicator=dropped, after=Decimal(1))

    services.pilot_indicators_save(
        pilot=pilot,
        indicators=[
            IndicatorRow(
                "Anteil online gestellter Anträge",
                IndicatorUnit.PERCENT,
                Decimal(12),
                Decimal(61),
                pk=online.pk,
            ),
            IndicatorRow(
                "Wartezeit", IndicatorUnit.DAYS, Decimal(21), Decimal(9), higher_is_better=False
            ),
        ],
    )

    assert sorted(pilot.indicators.values_list("name", "after")) == [
        ("Anteil online gestellter Anträge", Decimal("61.00")),
        ("Wartezeit", Decimal("9.00")),
    ]
    assert list(AdoptionIndicatorValue.objects.values_list("indicator_id", "after")) == [
        (online.pk, Decimal("40.00"))
    ]


def test_two_indicators_may_swap_their_names():
    pilot = PilotFactory()
    first = IndicatorFactory(pilot=pilot, name="A")
    second = IndicatorFactory(pilot=pilot, name="B")

    services.pilot_indicators_save(
        pilot=pilot,
        indicators=[
            IndicatorRow("B", IndicatorUnit.PERCENT, pk=first.pk),
            IndicatorRow("A", IndicatorUnit.PERCENT, pk=second.pk),
        ],
    )

    assert dict(pilot.indicators.values_list("pk", "name")) == {first.pk: "B", second.pk: "A"}


@pytest.mark.parametrize("problem", ["same name", "other pilot's indicator"])
def test_a_bad_indicator_list_changes_nothing(problem):
    pilot = PilotFactory()
    kept = IndicatorFactory(pilot=pilot, name="Anteil online")
    foreign = IndicatorFactory(name="Fremd")
    rows = {
        "same name": [
            IndicatorRow("Wartezeit", IndicatorUnit.DAYS),
            IndicatorRow("wartezeit ", IndicatorUnit.DAYS),
        ],
        "other pilot's indicator": [IndicatorRow("Übernommen", IndicatorUnit.COUNT, pk=foreign.pk)],
    }[problem]

    with pytest.raises(ValidationError) as refusal:
        services.pilot_indicators_save(pilot=pilot, indicators=rows)

    assert messages_of(refusal) == [
        {
            "same name": "Zwei Indikatoren heißen „wartezeit“.",
            "other pilot's indicator": "Die Indikatoren wurden inzwischen geändert. "
            "Bitte laden Sie die Seite neu.",
        }[problem]
    ]
    assert list(pilot.indicators.all()) == [kept]
    assert Indicator.objects.get(pk=foreign.pk).name == "Fremd"
