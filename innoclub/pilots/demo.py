"""Demo pilot projects, seeded idempotently by ``seed_demo`` after the ideas.

The idea demo creates a pilot project for every idea that reached the Pilot
stage (about 30, in every state); this fills them in: dates, partners and
contact people, milestones, budget and funding, indicators, results and
lessons, reusable documents with real files, and about 200 adoptions across
all Länder with their history (``demo_plan.py``, ``demo_adoptions.py``).

Rows are written in bulk, not through the services (they notify and would
take long); what the services keep consistent is kept here too: the history
of every adoption ends in its state, dates follow each other, files pass
``file_check``. A pilot counts as filled in once it has milestones or
adoptions; a second run leaves those alone and creates nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.utils import timezone

from innoclub.accounts.models import Role, User
from innoclub.core.access import Visibility
from innoclub.core.demo_dates import set_dates
from innoclub.ideas.models import Idea, Stage
from innoclub.network.models import Municipality
from innoclub.pilots.demo_adoptions import AdoptionPlan, AdoptionPlanner
from innoclub.pilots.demo_plan import IndicatorPlan, PilotPlan, PilotPlanner, Source, berlin
from innoclub.pilots.models import (
    Adoption,
    AdoptionIndicatorValue,
    AdoptionStateChange,
    DocumentVersion,
    FundingSource,
    Indicator,
    Milestone,
    PilotDocument,
    PilotParticipant,
    PilotProject,
    PilotState,
)

LEFT_PILOT = (Stage.TRANSFER, Stage.DEFERRED, Stage.REJECTED)


def seed_pilots(*, demo_member: User, staff: User) -> tuple[int, int]:
    """Fill in the demo pilot projects; returns (pilots filled in, adoptions created).

    Side effects: updates the pilots' dates, budget, results and lessons;
    inserts their contact people, participants, milestones, funding sources,
    indicators, documents with versions (files written to the media storage),
    adoptions with their history and indicator values. Pilots filled in before
    are left alone.
    """
    today = timezone.localdate()
    sources = _sources(demo_member)
    if not sources:
        return 0, 0
    done = {*Milestone.objects.values_list("pilot_id", flat=True)}
    done |= {*Adoption.objects.values_list("pilot_id", flat=True)}
    places = list(Municipality.objects.order_by("ags"))
    members = _members()
    planner = PilotPlanner(
        places=places, members=members, demo_member=demo_member, staff=staff, today=today
    )
    plans = [planner.plan(source) for source in sources]
    _demo_member_is_a_contact(plans, demo_member, places)
    adoptions = AdoptionPlanner(
        places=places, members=members, demo_member=demo_member, staff=staff, today=today
    ).plan(plans)
    todo = [plan for plan in plans if plan.pilot.pk not in done]
    if not todo:
        return 0, 0
    todo_ids = {plan.pilot.pk for plan in todo}
    indicators = _write_pilots(todo, staff)
    written = [a for a in adoptions if a.plan.pilot.pk in todo_ids]
    _write_adoptions(written, indicators, staff)
    return len(todo), len(written)


def _sources(demo_member: User) -> list[Source]:
    pilots = list(
        PilotProject.objects.filter(lead_municipality__isnull=False)
        .select_related("lead_municipality")
        .order_by("slug")
    )
    topics: dict[int, list[str]] = {}
    for pilot_id, slug in (
        PilotProject.topics.through.objects.filter(pilotproject__in=pilots)
        .order_by("id")
        .values_list("pilotproject_id", "topic__slug")
    ):
        topics.setdefault(pilot_id, []).append(slug)
    left: dict[int, datetime.date] = {}
    for pilot_id, stage, at in Idea.objects.filter(pilot__in=pilots).values_list(
        "pilot_id", "stage", "stage_changed_at"
    ):
        if stage in LEFT_PILOT:
            day = timezone.localdate(at)
            left[pilot_id] = max(left.get(pilot_id, day), day)
    own = set(
        Idea.authors.through.objects.filter(
            user=demo_member, idea__pilot__isnull=False
        ).values_list("idea__pilot_id", flat=True)
    )
    return [
        Source(
            pilot=pilot,
            lead=pilot.lead_municipality,  # type: ignore[arg-type]
            topics=topics.get(pilot.pk, []),
            created=timezone.localdate(pilot.created_at),
            left_pilot_stage=left.get(pilot.pk),
            own=pilot.pk in own,
        )
        for pilot in pilots
    ]


def _members() -> dict[int, list[User]]:
    """Active members by municipality: the people who can be contacts."""
    members: dict[int, list[User]] = {}
    for user in User.objects.filter(
        role=Role.MEMBER,
        is_active=True,
        municipality__isnull=False,
        profile__left_on__isnull=True,
    ).order_by("email"):
        members.setdefault(user.municipality_id, []).append(user)  # type: ignore[arg-type]
    return members


def _demo_member_is_a_contact(
    plans: list[PilotPlan], demo_member: User, places: list[Municipality]
) -> None:
    """So that the demo shows editing a pilot: if the demo member wrote none of
    the pilots' ideas, they and their municipality join a public running pilot."""
    if any(demo_member in plan.contacts for plan in plans):
        return
    running = [
        p
        for p in plans
        if p.pilot.state == PilotState.RUNNING and p.pilot.visibility == Visibility.PUBLIC
    ]
    home = next((m for m in places if m.pk == demo_member.municipality_id), None)
    if not running or home is None:
        return
    plan = running[0]
    plan.contacts.insert(0, demo_member)
    if home.pk not in plan.partner_ids:
        plan.participants.append((home, "Partnerkommune"))


def _write_pilots(plans: list[PilotPlan], staff: User) -> dict[int, Indicator]:
    """The pilots' own rows; returns the indicator rows by the id of their plan."""
    for plan in plans:
        pilot = plan.pilot
        pilot.starts_on, pilot.ends_on, pilot.budget = plan.starts_on, plan.ends_on, plan.budget
        pilot.results, pilot.lessons_learned = plan.results, plan.lessons
    PilotProject.objects.bulk_update(
        [plan.pilot for plan in plans],
        ["starts_on", "ends_on", "budget", "results", "lessons_learned"],
    )
    PilotProject.contacts.through.objects.bulk_create(
        PilotProject.contacts.through(pilotproject_id=plan.pilot.pk, user_id=user_id)
        for plan in plans
        for user_id in dict.fromkeys(user.pk for user in plan.contacts)
    )
    PilotParticipant.objects.bulk_create(
        PilotParticipant(pilot=plan.pilot, municipality=place, role=role)
        for plan in plans
        for place, role in plan.participants
    )
    Milestone.objects.bulk_create(
        Milestone(pilot=plan.pilot, title=title, due_on=due, state=state, reached_on=reached)
        for plan in plans
        for title, due, state, reached in plan.milestones
    )
    FundingSource.objects.bulk_create(
        FundingSource(pilot=plan.pilot, name=name, amount=amount)
        for plan in plans
        for name, amount in plan.funding
    )
    indicators: dict[int, Indicator] = {}
    rows = []
    for plan in plans:
        for item in plan.indicators:
            row = _indicator_row(plan, item)
            indicators[id(item)] = row
            rows.append(row)
    Indicator.objects.bulk_create(rows)
    _write_documents(plans, staff)
    return indicators


def _indicator_row(plan: PilotPlan, item: IndicatorPlan) -> Indicator:
    seed = item.seed
    return Indicator(
        pilot=plan.pilot,
        name=seed.name,
        unit=seed.unit,
        higher_is_better=seed.higher_is_better,
        before=item.before,
        after=item.after,
        note=seed.note,
    )


def _write_documents(plans: list[PilotPlan], staff: User) -> None:
    documents = [
        (
            PilotDocument(
                pilot=plan.pilot, kind=doc.kind, title=doc.title, description=doc.description
            ),
            doc,
            plan,
        )
        for plan in plans
        for doc in plan.documents
    ]
    PilotDocument.objects.bulk_create([row for row, _doc, _plan in documents])
    set_dates(
        PilotDocument, "created_at", [(row, doc.versions[0].at) for row, doc, _p in documents]
    )
    versions = []
    for row, doc, plan in documents:
        uploader = plan.contacts[0] if plan.contacts else staff
        for version in doc.versions:
            file_row = DocumentVersion(
                document=row,
                number=version.number,
                name=version.name,
                content_type=_content_type(version.name),
                size=len(version.content),
                note=version.note,
                uploaded_by=uploader,
            )
            file_row.file.save(version.name, ContentFile(version.content), save=False)
            versions.append((file_row, version.at))
    DocumentVersion.objects.bulk_create([row for row, _at in versions])
    set_dates(DocumentVersion, "uploaded_at", versions)


def _content_type(name: str) -> str:
    from innoclub.events.documentation import CONTENT_TYPES

    return CONTENT_TYPES[name[name.rindex(".") :]]


def _write_adoptions(
    adoptions: list[AdoptionPlan], indicators: dict[int, Indicator], staff: User
) -> None:
    rows = [
        Adoption(
            pilot=a.plan.pilot,
            municipality=a.municipality,
            state=a.state,
            started_on=a.steps[0][1],
            implemented_on=a.on("umgesetzt") if a.state == "umgesetzt" else None,
            given_up_on=a.on("aufgegeben"),
            given_up_reason=a.reason,
            contact=a.contact,
            adaptations=a.adaptations,
            declared_by=a.declared_by,
            verified_by=staff if a.verified_at else None,
            verified_at=a.verified_at,
        )
        for a in adoptions
    ]
    Adoption.objects.bulk_create(rows)
    pairs = list(zip(adoptions, rows, strict=True))
    set_dates(Adoption, "created_at", [(row, berlin(a.steps[0][1], 9)) for a, row in pairs])
    set_dates(Adoption, "updated_at", [(row, berlin(a.steps[-1][1], 9)) for a, row in pairs])
    history = [
        (
            AdoptionStateChange(
                adoption=row, state=state, effective_on=on, changed_by=a.declared_by
            ),
            berlin(on, 10),
        )
        for a, row in pairs
        for state, on in a.steps
    ]
    AdoptionStateChange.objects.bulk_create([change for change, _at in history])
    set_dates(AdoptionStateChange, "changed_at", history)
    AdoptionIndicatorValue.objects.bulk_create(_values(pairs, indicators))


def _values(
    pairs: list[tuple[AdoptionPlan, Adoption]], indicators: dict[int, Indicator]
) -> Iterable[AdoptionIndicatorValue]:
    for adoption, row in pairs:
        for item, before, after in adoption.values:
            yield AdoptionIndicatorValue(
                adoption=row, indicator=indicators[id(item)], before=before, after=after
            )
