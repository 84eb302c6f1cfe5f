"""The adoption register's services: declaring, updating, history, refusals, verification,
simultaneous declarations, and the section on the pilot page with its query budget."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone

from innoclub.pilots.adoption_selectors import REGISTER_PAGE_SIZE, adoption_section
from innoclub.pilots.adoptions import (
    adoption_declare,
    adoption_unverify,
    adoption_update,
    adoption_verify,
)
from innoclub.pilots.models import (
    Adoption,
    AdoptionIndicatorValue,
    AdoptionState,
    AdoptionStateChange,
    IndicatorUnit,
)
from tests.factories import GuestFactory, MemberFactory, MunicipalityFactory, StaffFactory
from tests.pilots_factories import AdoptionFactory, IndicatorFactory, PilotFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def _snapshot() -> tuple[list[tuple], list[tuple], list[tuple]]:
    """Everything the register holds, to show that a refusal changed nothing."""
    return (
        list(Adoption.objects.order_by("pk").values_list()),
        list(AdoptionStateChange.objects.order_by("pk").values_list()),
        list(AdoptionIndicatorValue.objects.order_by("pk").values_list()),
    )


def _history(adoption: Adoption) -> list[tuple[str, datetime.date]]:
    return list(
        adoption.history.order_by("effective_on", "id").values_list("state", "effective_on")
    )


# --- Declaring ------------------------------------------------------------------


def test_a_member_declares_an_adoption_for_their_municipality(member):
    pilot = PilotFactory()
    indicator = IndicatorFactory(pilot=pilot)
    colleague = MemberFactory(municipality=member.municipality)

    adoption = adoption_declare(
        pilot=pilot,
        by=member,
        state=AdoptionState.INTERESTED,
        started_on=D(2025, 5, 2),
        contact=colleague,
        adaptations="Nur für das Bürgeramt.",
        values={indicator: (Decimal("10.5"), None)},
    )

    assert adoption.municipality == member.municipality
    assert adoption.declared_by == member
    assert adoption.contact == colleague
    assert adoption.adaptations == "Nur für das Bürgeramt."
    assert _history(adoption) == [("interessiert", D(2025, 5, 2))]
    value = adoption.values.get()
    assert (value.indicator, value.before, value.after) == (indicator, Decimal("10.50"), None)


def test_a_second_declaration_updates_the_adoption_instead_of_adding_one(member):
    pilot = PilotFactory()
    first = adoption_declare(
        pilot=pilot, by=member, state=AdoptionState.INTERESTED, started_on=D(2025, 1, 10)
    )
    colleague = MemberFactory(municipality=member.municipality)

    second = adoption_declare(
        pilot=pilot,
        by=colleague,
        state=AdoptionState.IMPLEMENTED,
        started_on=D(2025, 1, 10),
        implemented_on=D(2025, 6, 30),
    )

    assert second.pk == first.pk
    assert Adoption.objects.filter(pilot=pilot).count() == 1
    assert Adoption.objects.get().state == AdoptionState.IMPLEMENTED
    assert Adoption.objects.get().declared_by == member
    assert _history(second) == [
        ("interessiert", D(2025, 1, 10)),
        ("umgesetzt", D(2025, 6, 30)),
    ]


def test_every_state_change_is_kept_with_the_date_it_took_effect(member):
    pilot = PilotFactory()
    kwargs = {"pilot": pilot, "by": member, "started_on": D(2024, 3, 1)}
    adoption_declare(state=AdoptionState.INTERESTED, **kwargs)
    adoption_declare(state=AdoptionState.PREPARING, **kwargs)
    adoption_declare(state=AdoptionState.IMPLEMENTED, implemented_on=D(2024, 9, 1), **kwargs)
    adoption = adoption_declare(
        state=AdoptionState.GIVEN_UP,
        implemented_on=D(2024, 9, 1),
        given_up_on=D(2025, 2, 1),
        given_up_reason="Der Haushalt wurde gesperrt.",
        **kwargs,
    )

    assert _history(adoption) == [
        ("interessiert", D(2024, 3, 1)),
        ("vorbereitung", D(2024, 3, 1)),
        ("umgesetzt", D(2024, 9, 1)),
        ("aufgegeben", D(2025, 2, 1)),
    ]
    assert adoption.given_up_reason == "Der Haushalt wurde gesperrt."
    assert adoption.implemented_on == D(2024, 9, 1)


def test_a_declaration_in_the_same_state_adds_no_history_but_corrects_its_date(member):
    pilot = PilotFactory()
    kwargs = {"pilot": pilot, "by": member, "started_on": D(2024, 3, 1)}
    adoption_declare(state=AdoptionState.IMPLEMENTED, implemented_on=D(2024, 9, 1), **kwargs)
    adoption_declare(
        state=AdoptionState.IMPLEMENTED,
        implemented_on=D(2024, 9, 1),
        adaptations="Mit eigener Software.",
        **kwargs,
    )
    adoption = adoption_declare(
        state=AdoptionState.IMPLEMENTED, implemented_on=D(2024, 10, 15), **kwargs
    )

    assert _history(adoption) == [("umgesetzt", D(2024, 10, 15))]


def test_dates_that_do_not_belong_to_the_state_are_dropped(member):
    adoption = adoption_declare(
        pilot=PilotFactory(),
        by=member,
        state=AdoptionState.PREPARING,
        started_on=D(2025, 1, 1),
        implemented_on=D(2025, 2, 1),
        given_up_on=D(2025, 3, 1),
        given_up_reason="Vergessen zu löschen",
    )

    assert (adoption.implemented_on, adoption.given_up_on, adoption.given_up_reason) == (
        None,
        None,
        "",
    )


def test_blank_values_remove_an_indicator_and_unnamed_indicators_keep_theirs(member):
    pilot = PilotFactory()
    share = IndicatorFactory(pilot=pilot)
    days = IndicatorFactory(pilot=pilot, unit=IndicatorUnit.DAYS, before=20, after=5)
    kwargs = {
        "pilot": pilot,
        "by": member,
        "state": AdoptionState.INTERESTED,
        "started_on": D(2025, 1, 1),
    }
    adoption_declare(
        values={share: (Decimal(10), Decimal(30)), days: (Decimal(14), None)}, **kwargs
    )

    adoption = adoption_declare(values={share: (None, None)}, **kwargs)

    assert list(adoption.values.values_list("indicator", "before", "after")) == [
        (days.pk, Decimal("14.00"), None)
    ]


def test_a_new_adoption_is_told_to_the_pilots_contact_people(
    member, django_capture_on_commit_callbacks
):
    contact = MemberFactory(email="ansprechpartnerin@example.org")
    pilot = PilotFactory(title="Digitale Bauakte", contacts=[contact, member])

    with django_capture_on_commit_callbacks(execute=True):
        adoption_declare(
            pilot=pilot, by=member, state=AdoptionState.INTERESTED, started_on=D(2025, 1, 1)
        )
    with django_capture_on_commit_callbacks(execute=True):
        adoption_declare(
            pilot=pilot, by=member, state=AdoptionState.PREPARING, started_on=D(2025, 1, 1)
        )

    assert [message.to for message in mail.outbox] == [["ansprechpartnerin@example.org"]]
    assert mail.outbox[0].subject == f"{member.municipality.name} nutzt „Digitale Bauakte“ nach"


# --- Refusals change nothing ----------------------------------------------------


def _declare(member, pilot, **changes):
    arguments = {
        "pilot": pilot,
        "by": member,
        "state": AdoptionState.IMPLEMENTED,
        "started_on": D(2025, 1, 1),
        "implemented_on": D(2025, 4, 1),
        **changes,
    }
    return adoption_declare(**arguments)


def _refusal(member, pilot, **changes) -> dict[str, list[str]]:
    before = _snapshot()
    with pytest.raises(ValidationError) as refused:
        _declare(member, pilot, **changes)
    assert _snapshot() == before
    return refused.value.message_dict


@pytest.fixture
def declared(member):
    """A pilot with two indicators that the member's municipality already implemented."""
    pilot = PilotFactory()
    share = IndicatorFactory(pilot=pilot, name="Anteil online")
    days = IndicatorFactory(pilot=pilot, name="Bearbeitungsdauer", unit=IndicatorUnit.DAYS)
    _declare(member, pilot, values={share: (Decimal(20), Decimal(60))})
    return pilot, share, days


def test_a_percentage_above_100_is_refused_and_changes_nothing(member, declared):
    pilot, share, _days = declared

    errors = _refusal(
        member, pilot, adaptations="Neu", values={share: (Decimal(20), Decimal("100.5"))}
    )

    assert errors == {f"indicator_{share.pk}_after": ["Ein Prozentwert liegt zwischen 0 und 100."]}


def test_negative_and_overlong_values_are_refused(member, declared):
    pilot, share, days = declared

    errors = _refusal(
        member,
        pilot,
        values={share: (Decimal(-1), None), days: (Decimal("3661"), Decimal("1.234"))},
    )

    assert set(errors) == {
        f"indicator_{share.pk}_before",
        f"indicator_{days.pk}_before",
        f"indicator_{days.pk}_after",
    }
    assert errors[f"indicator_{days.pk}_after"] == [
        "Bitte geben Sie höchstens zwei Nachkommastellen an."
    ]


def test_an_indicator_of_another_pilot_is_refused(member, declared):
    pilot, _share, _days = declared
    foreign = IndicatorFactory()

    errors = _refusal(member, pilot, values={foreign: (Decimal(1), Decimal(2))})

    assert errors == {"values": ["Ein Indikator gehört nicht zu diesem Pilotprojekt."]}


def test_dates_in_the_future_or_before_the_start_are_refused(member, declared):
    pilot, _share, _days = declared
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    assert _refusal(member, pilot, started_on=tomorrow, implemented_on=None) == {
        "started_on": ["Das Datum kann nicht in der Zukunft liegen."],
        "implemented_on": ["Bitte geben Sie an, wann die Lösung umgesetzt wurde."],
    }
    assert _refusal(member, pilot, implemented_on=D(2024, 12, 31)) == {
        "implemented_on": ["Das Datum kann nicht vor dem Beginn liegen."]
    }
    assert _refusal(member, pilot, implemented_on=tomorrow) == {
        "implemented_on": ["Das Datum kann nicht in der Zukunft liegen."]
    }


def test_giving_up_needs_a_date_and_a_reason(member, declared):
    pilot, _share, _days = declared

    errors = _refusal(member, pilot, state=AdoptionState.GIVEN_UP, given_up_reason="  ")

    assert set(errors) == {"given_up_on", "given_up_reason"}


def test_an_unknown_state_is_refused(member, declared):
    pilot, _share, _days = declared

    assert _refusal(member, pilot, state="erledigt") == {"state": ["Bitte wählen Sie einen Stand."]}


def test_a_contact_from_another_municipality_is_refused(member, declared):
    pilot, _share, _days = declared

    errors = _refusal(member, pilot, contact=MemberFactory())

    assert errors == {"contact": ["Die Ansprechperson muss ein Mitglied aus der Kommune sein."]}


def test_a_member_cannot_declare_for_another_municipality(member, declared):
    pilot, _share, _days = declared

    with pytest.raises(ValidationError) as refused:
        _declare(member, pilot, municipality_id=MunicipalityFactory().pk)

    assert refused.value.messages == [
        "Sie können eine Nachnutzung nur für Ihre eigene Kommune erklären."
    ]
    assert Adoption.objects.count() == 1


@pytest.mark.parametrize(
    "person",
    [
        lambda: GuestFactory(),
        lambda: StaffFactory(),
        lambda: MemberFactory(municipality=None),
        lambda: MemberFactory(is_active=False),
    ],
    ids=["guest", "staff", "member-without-municipality", "inactive-member"],
)
def test_only_members_with_a_municipality_declare(person):
    before = _snapshot()

    with pytest.raises(ValidationError):
        adoption_declare(
            pilot=PilotFactory(),
            by=person(),
            state=AdoptionState.INTERESTED,
            started_on=D(2025, 1, 1),
        )

    assert _snapshot() == before


# --- Correction and verification -------------------------------------------------


def test_staff_correct_an_adoption_and_keep_its_verification(staff):
    adoption = AdoptionFactory(verified_by=staff, verified_at=timezone.now())

    updated = adoption_update(
        adoption=adoption,
        by=staff,
        state=AdoptionState.PREPARING,
        started_on=adoption.started_on,
    )

    assert updated.state == AdoptionState.PREPARING
    assert updated.verified_by == staff
    assert _history(updated) == [
        ("interessiert", D(2025, 6, 1)),
        ("vorbereitung", D(2025, 6, 1)),
    ]


def test_a_state_change_by_the_municipality_withdraws_the_verification(member, staff):
    adoption = AdoptionFactory(municipality=member.municipality)
    adoption_verify(adoption=adoption, by=staff)

    adoption_declare(
        pilot=adoption.pilot,
        by=member,
        state=AdoptionState.INTERESTED,
        started_on=adoption.started_on,
        adaptations="Nur ein Nachtrag",
    )
    assert Adoption.objects.get().verified_by == staff

    adoption_declare(
        pilot=adoption.pilot,
        by=member,
        state=AdoptionState.PREPARING,
        started_on=adoption.started_on,
    )
    assert (Adoption.objects.get().verified_by, Adoption.objects.get().verified_at) == (None, None)


def test_members_of_another_municipality_cannot_correct_an_adoption(member):
    adoption = AdoptionFactory()
    before = _snapshot()

    with pytest.raises(ValidationError):
        adoption_update(
            adoption=adoption, by=member, state=AdoptionState.GIVEN_UP, started_on=D(2025, 1, 1)
        )

    assert _snapshot() == before


def test_only_staff_verify_and_unverify(member, staff):
    adoption = AdoptionFactory(municipality=member.municipality)

    with pytest.raises(ValidationError):
        adoption_verify(adoption=adoption, by=member)
    verified = adoption_verify(adoption=adoption, by=staff)
    assert verified.verified_by == staff and verified.verified_at is not None

    with pytest.raises(ValidationError):
        adoption_unverify(adoption=adoption, by=member)
    unverified = adoption_unverify(adoption=adoption, by=staff)
    assert (unverified.verified_by, unverified.verified_at) == (None, None)


# --- The section on the pilot page --------------------------------------------------


def test_the_section_counts_per_state_and_lists_the_best_progress_first(member):
    pilot = PilotFactory()
    AdoptionFactory(pilot=pilot, municipality__name="Aachen")
    AdoptionFactory(
        pilot=pilot,
        municipality__name="Bonn",
        state=AdoptionState.IMPLEMENTED,
        implemented_on=D(2025, 8, 1),
    )
    own = AdoptionFactory(
        pilot=pilot, municipality=member.municipality, state=AdoptionState.PREPARING
    )
    AdoptionFactory(municipality__name="Anderswo")  # another pilot

    section = adoption_section(pilot, member)

    assert [row.adoption.municipality.name for row in section["adoption_rows"]] == [
        "Bonn",
        member.municipality.name,
        "Aachen",
    ]
    assert section["adoption_rows"][0].since == D(2025, 8, 1)
    assert [(item.state, item.count) for item in section["adoption_counts"]] == [
        ("umgesetzt", 1),
        ("vorbereitung", 1),
        ("interessiert", 1),
        ("aufgegeben", 0),
    ]
    assert section["adoption_total"] == 3
    assert section["own_adoption"] == own
    assert section["may_adopt"] is True


@pytest.mark.parametrize("count", [1, 30])
def test_the_section_runs_two_queries_whatever_the_number_of_adoptions(
    member, django_assert_num_queries, count
):
    pilot = PilotFactory()
    for _n in range(count):
        AdoptionFactory(pilot=pilot)
    AdoptionFactory(pilot=pilot, municipality=member.municipality)

    # the counts by state with the member's own adoption; the page's rows
    with django_assert_num_queries(2):
        section = adoption_section(pilot, member)
        names = [row.adoption.municipality.name for row in section["adoption_rows"]]

    assert len(names) == count + 1
    assert section["own_adoption"].municipality == member.municipality


# --- Simultaneous declarations --------------------------------------------------------

THREADS = 6


@pytest.mark.django_db(transaction=True)
def test_simultaneous_first_declarations_of_one_municipality_make_one_adoption():
    pilot = PilotFactory()
    colleagues = MemberFactory.create_batch(THREADS, municipality=MunicipalityFactory())
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def declare(person) -> None:
        try:
            barrier.wait()
            adoption_declare(
                pilot=pilot, by=person, state=AdoptionState.PREPARING, started_on=D(2025, 1, 1)
            )
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=declare, args=(person,)) for person in colleagues]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    adoption = Adoption.objects.get(pilot=pilot)
    assert _history(adoption) == [("vorbereitung", D(2025, 1, 1))]


def test_a_long_register_shows_its_first_page_and_leads_to_the_next(anon_client):
    pilot = PilotFactory(slug="rufbus")
    AdoptionFactory.create_batch(REGISTER_PAGE_SIZE + 3, pilot=pilot, state=AdoptionState.PREPARING)
    AdoptionFactory(pilot=pilot, state=AdoptionState.IMPLEMENTED, municipality__name="Zwickau")

    first = anon_client.get("/pilotprojekte/rufbus/")
    second = anon_client.get("/pilotprojekte/rufbus/?seite=2")

    html = first.content.decode()
    assert len(list(first.context["adoption_rows"])) == REGISTER_PAGE_SIZE
    assert first.context["adoption_rows"][0].adoption.municipality.name == "Zwickau"
    assert [(c.state, c.count) for c in first.context["adoption_counts"]] == [
        ("umgesetzt", 1),
        ("vorbereitung", REGISTER_PAGE_SIZE + 3),
        ("interessiert", 0),
        ("aufgegeben", 0),
    ]
    assert 'href="?seite=2#nachnutzung"' in html
    assert len(list(second.context["adoption_rows"])) == 4
    assert 'href="?seite=1#nachnutzung"' in second.content.decode()
