"""The pilot demo: about 30 pilots in every state, filled in, and about 200 adoptions
in every Land whose history replays to their state."""

from __future__ import annotations

import io
import itertools
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Model, Q, Sum
from django.test import override_settings
from django.utils import timezone

from innoclub.accounts.models import Role, User
from innoclub.core.access import Visibility
from innoclub.events.documentation import file_check
from innoclub.network.models import FederalState
from innoclub.pilots.models import (
    UNIT_RANGES,
    Adoption,
    AdoptionIndicatorValue,
    AdoptionState,
    AdoptionStateChange,
    DocumentVersion,
    FundingSource,
    Indicator,
    Milestone,
    MilestoneState,
    PilotDocument,
    PilotParticipant,
    PilotProject,
    PilotState,
)

pytestmark = pytest.mark.django_db

ME = "mitglied@demo.innoclub.de"
# The steps an adoption may take; "aufgegeben" may follow any step but the last.
NEXT = {
    AdoptionState.INTERESTED: {AdoptionState.PREPARING, AdoptionState.GIVEN_UP},
    AdoptionState.PREPARING: {AdoptionState.IMPLEMENTED, AdoptionState.GIVEN_UP},
}


@pytest.fixture(scope="module")
def seeded(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """Seed once for the module inside a transaction rolled back at its end; the
    documents' files go to a temporary media directory."""
    media = tmp_path_factory.mktemp("media")
    with (
        override_settings(MEDIA_ROOT=media),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        call_command("seed_demo", "--force", stdout=io.StringIO())
        yield media
        transaction.set_rollback(True)


def _row_counts() -> list[int]:
    models: list[type[Model]] = [PilotProject, PilotParticipant, Milestone, FundingSource]
    models += [Indicator, PilotDocument, DocumentVersion, Adoption, AdoptionStateChange]
    models += [AdoptionIndicatorValue, PilotProject.contacts.through]
    return [model._default_manager.count() for model in models]


def test_about_30_pilots_in_every_state_are_filled_in(seeded: Path) -> None:
    pilots = PilotProject.objects.annotate(
        partners=Count("participants", distinct=True),
        milestone_count=Count("milestones", distinct=True),
        indicator_count=Count("indicators", distinct=True),
    )
    funded = dict(
        FundingSource.objects.values("pilot")
        .annotate(total=Sum("amount"))
        .values_list("pilot", "total")
    )
    today = timezone.localdate()

    assert 28 <= pilots.count() <= 36
    assert set(pilots.values_list("state", flat=True)) == set(PilotState.values)
    for pilot in pilots:
        assert pilot.starts_on is not None and pilot.ends_on is not None
        assert pilot.starts_on < pilot.ends_on
        assert 1 <= pilot.partners <= 4
        assert 4 <= pilot.milestone_count <= 6
        assert 2 <= pilot.indicator_count <= 3
        assert pilot.budget is not None and funded[pilot.pk] == pilot.budget
        if pilot.state == PilotState.PLANNED:
            assert pilot.starts_on > today
        else:
            assert pilot.starts_on < today
        if pilot.state in (PilotState.COMPLETED, PilotState.ABORTED):
            assert pilot.ends_on < today
            assert pilot.results != "" and pilot.lessons_learned != ""
        if pilot.state == PilotState.RUNNING:
            assert pilot.ends_on > today
    assert FundingSource.objects.filter(name="Eigenmittel").exists()
    assert FundingSource.objects.filter(name="Modellprojekte Smart Cities (BMWSB)").exists()
    assert FundingSource.objects.filter(name__startswith="Förderprogramm Digitale Kommune (Land ")


def test_contact_people_are_members_of_the_pilots_municipalities(seeded: Path) -> None:
    for pilot in PilotProject.objects.prefetch_related("contacts", "participants"):
        places = {
            pilot.lead_municipality_id,
            *(p.municipality_id for p in pilot.participants.all()),
        }
        contacts = list(pilot.contacts.all())
        assert contacts, pilot.title
        assert {c.role for c in contacts} == {Role.MEMBER}
        assert {c.municipality_id for c in contacts} <= places
        assert pilot.lead_municipality_id not in {
            p.municipality_id for p in pilot.participants.all()
        }


def test_milestones_are_reached_in_the_past_and_open_in_the_future(seeded: Path) -> None:
    today = timezone.localdate()
    milestones = Milestone.objects.select_related("pilot")

    assert set(milestones.values_list("state", flat=True)) == set(MilestoneState.values)
    for milestone in milestones:
        if milestone.state == MilestoneState.REACHED:
            assert milestone.reached_on is not None and milestone.reached_on <= today
        if milestone.state == MilestoneState.OPEN:
            assert milestone.due_on > today
        if milestone.pilot.state == PilotState.COMPLETED:
            assert milestone.state in (MilestoneState.REACHED, MilestoneState.DROPPED)


def test_indicators_have_values_in_their_units_range(seeded: Path) -> None:
    values = [
        *Indicator.objects.values_list("unit", "before", "after"),
        *AdoptionIndicatorValue.objects.values_list("indicator__unit", "before", "after"),
    ]
    completed = Indicator.objects.filter(pilot__state=PilotState.COMPLETED)

    for unit, *numbers in values:
        low, high = UNIT_RANGES[unit]
        for value in numbers:
            assert value is None or (low <= value and (high is None or value <= high))
    assert not completed.filter(Q(before=None) | Q(after=None)).exists()
    assert len({unit for unit, *_n in values}) >= 5


def test_about_200_adoptions_spread_over_every_land(seeded: Path) -> None:
    adoptions = Adoption.objects.select_related("municipality", "pilot")
    per_pilot = Counter(a.pilot_id for a in adoptions)

    assert 180 <= adoptions.count() <= 220
    assert {a.municipality.state for a in adoptions} == set(FederalState.values)
    assert set(adoptions.values_list("state", flat=True)) == set(AdoptionState.values)
    assert max(per_pilot.values()) >= 15  # spreading fast
    assert sum(1 for n in per_pilot.values() if n <= 3) >= 5  # stalling
    assert not adoptions.filter(pilot__state=PilotState.PLANNED).exists()
    for adoption in adoptions:
        assert adoption.municipality_id != adoption.pilot.lead_municipality_id
    assert not Adoption.objects.filter(pilot__participants__municipality=F("municipality")).exists()
    assert adoptions.filter(verified_at__isnull=False, verified_by__role=Role.STAFF).count() >= 10
    assert AdoptionIndicatorValue.objects.count() >= 20
    assert not adoptions.filter(state=AdoptionState.GIVEN_UP, given_up_reason="").exists()


def test_every_history_replays_to_the_adoptions_state(seeded: Path) -> None:
    today = timezone.localdate()
    histories: dict[int, list[AdoptionStateChange]] = {}
    for change in AdoptionStateChange.objects.order_by("effective_on", "id"):
        histories.setdefault(change.adoption_id, []).append(change)

    for adoption in Adoption.objects.all():
        history = histories[adoption.pk]
        assert history[0].state == AdoptionState.INTERESTED
        assert history[0].effective_on == adoption.started_on
        for before, after in itertools.pairwise(history):
            assert after.state in NEXT[before.state]  # type: ignore[index]
            assert before.effective_on <= after.effective_on
        assert history[-1].state == adoption.state
        assert history[-1].effective_on <= today
        steps = {change.state: change.effective_on for change in history}
        assert adoption.implemented_on == (
            steps[AdoptionState.IMPLEMENTED]
            if adoption.state == AdoptionState.IMPLEMENTED
            else None
        )
        assert adoption.given_up_on == steps.get(AdoptionState.GIVEN_UP)
        assert adoption.created_at.date() == adoption.started_on


def test_documents_are_real_files_that_pass_the_upload_check(seeded: Path) -> None:
    versions = DocumentVersion.objects.select_related("document")
    kinds = set(PilotDocument.objects.values_list("kind", flat=True))

    assert {"ratsbeschluss", "ausschreibung", "kosten", "bericht"} <= kinds
    assert versions.filter(number=2).exists()
    for version in versions:
        data = (seeded / str(version.file.name)).read_bytes()
        assert len(data) == version.size
        assert file_check(SimpleUploadedFile(version.name, data)) == version.content_type
    assert set(versions.values_list("content_type", flat=True)) == {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }


def test_the_demo_member_edits_a_pilot_adopted_one_and_can_adopt_another(seeded: Path) -> None:
    me = User.objects.get(email=ME)
    home = me.municipality
    adopted = Adoption.objects.filter(municipality=home)
    public_running = PilotProject.objects.filter(
        visibility=Visibility.PUBLIC, state=PilotState.RUNNING
    )
    open_to_adopt = (
        public_running.exclude(lead_municipality=home)
        .exclude(participants__municipality=home)
        .exclude(adoptions__municipality=home)
    )

    assert PilotProject.objects.filter(contacts=me).exists()
    assert adopted.filter(state=AdoptionState.IMPLEMENTED, pilot__visibility=Visibility.PUBLIC)
    assert adopted.filter(contact=me, declared_by=me).count() == adopted.count() >= 1
    assert open_to_adopt.exists()
    assert mail.outbox == []


def test_seeding_again_creates_nothing_new(seeded: Path) -> None:
    before = _row_counts()
    out = io.StringIO()

    with override_settings(MEDIA_ROOT=seeded):
        call_command("seed_demo", "--force", stdout=out)

    assert _row_counts() == before
    assert "Pilot projects: 0 filled in, 0 adoptions created." in out.getvalue()
