"""The API of pilot projects and adoptions: who sees what (as on /pilotprojekte/),
who may declare and correct adoptions, refused input that changes nothing, and
query budgets of the lists and details."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any, cast

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from innoclub.accounts.models import User
from innoclub.api.tokens import token_create
from innoclub.core.access import Visibility
from innoclub.network.models import FederalState
from innoclub.pilots.models import (
    Adoption,
    AdoptionIndicatorValue,
    AdoptionState,
    AdoptionStateChange,
    DocumentKind,
    FundingSource,
    IndicatorUnit,
    PilotDocument,
    PilotProject,
    PilotState,
)
from tests.conftest import login_client
from tests.factories import (
    MemberFactory,
    MunicipalityFactory,
    ProfileFactory,
    TopicFactory,
)
from tests.pilots_factories import (
    AdoptionFactory,
    IndicatorFactory,
    MilestoneFactory,
    ParticipantFactory,
    PilotFactory,
)

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "guest", "member", "adopting_member", "contact_person", "staff"]
SEES_MEMBERS_PILOTS = {"member", "adopting_member", "contact_person", "staff"}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()  # rate-limit counters live there
    yield
    cache.clear()


@pytest.fixture
def people(member, guest, staff) -> dict[str, User]:
    town = MunicipalityFactory(name="Nachnutzhausen", ags="06411000")
    adopting = MemberFactory(municipality=town, first_name="Ada", last_name="Adoptiv")
    contact = MemberFactory(first_name="Konrad", last_name="Kontakt")
    ProfileFactory(user=contact, position="Digitallotse", public_listing=False)
    return {
        "guest": guest,
        "member": member,
        "adopting_member": adopting,
        "contact_person": contact,
        "staff": staff,
    }


@pytest.fixture
def pilots(people) -> dict[str, PilotProject]:
    """A public and a members' pilot, each adopted by the adopting member's town."""
    result: dict[str, PilotProject] = {}
    for visibility in (Visibility.PUBLIC, Visibility.MEMBERS):
        pilot = cast(
            PilotProject,
            PilotFactory(
                title=f"Digitale Bauakte ({visibility})",
                slug=f"bauakte-{visibility}",
                visibility=visibility,
                contacts=[people["contact_person"]],
            ),
        )
        IndicatorFactory(pilot=pilot, name="Online-Anteil", unit=IndicatorUnit.PERCENT)
        AdoptionFactory(
            pilot=pilot,
            municipality=people["adopting_member"].municipality,
            declared_by=people["adopting_member"],
            contact=people["adopting_member"],
        )
        result[visibility] = pilot
    return result


def token_of(user: User, scope: str = "write") -> str:
    _token, plain = token_create(user=user, name="t", scope=scope, days=30)
    return plain


def call(
    method: str,
    path: str,
    user: User | None = None,
    body: Any = None,
    *,
    scope: str = "write",
) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_of(user, scope)}"} if user else {}
    data = body if isinstance(body, str) else json.dumps(body) if body is not None else None
    kwargs: dict[str, Any] = {"content_type": "application/json", **headers}
    if data is not None:
        kwargs["data"] = data
    return getattr(Client(), method)(f"/api/v1{path}", **kwargs)


def as_persona(persona: str, people: dict[str, User]) -> User | None:
    return None if persona == "anonymous" else people[persona]


def declaration(**changes: Any) -> dict[str, Any]:
    return {"state": AdoptionState.PREPARING, "started_on": "2025-06-01"} | changes


def snapshot() -> tuple[Any, ...]:
    """Everything a refused write must leave alone."""
    return (
        sorted(
            Adoption.objects.values_list("pk", "state", "started_on", "contact_id", "adaptations")
        ),
        AdoptionStateChange.objects.count(),
        sorted(AdoptionIndicatorValue.objects.values_list("indicator_id", "before", "after")),
    )


# --- Reading pilots -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_list_shows_each_persona_the_pilots_the_page_shows(people, pilots, persona):
    response = call("get", "/pilots?ordering=title", as_persona(persona, people))

    expected = ["bauakte-public"]
    if persona in SEES_MEMBERS_PILOTS:
        expected = ["bauakte-members", "bauakte-public"]
    assert response.status_code == 200
    assert [item["slug"] for item in response.json()["items"]] == expected
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_members_pilot_answers_404_to_who_may_not_see_it(people, pilots, persona):
    response = call("get", "/pilots/bauakte-members", as_persona(persona, people))

    if persona in SEES_MEMBERS_PILOTS:
        assert response.status_code == 200
        assert response.json()["title"] == "Digitale Bauakte (members)"
    else:
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
        assert "Bauakte" not in response.content.decode()


def test_the_detail_shows_what_the_page_shows(people, pilots):
    pilot = pilots[Visibility.PUBLIC]
    pilot.budget = Decimal("250000.00")
    pilot.results = "Antraege in **drei Tagen**."
    pilot.save()
    pilot.topics.add(TopicFactory(name="Digitale Verwaltung", slug="digitale-verwaltung"))
    ParticipantFactory(pilot=pilot, municipality=MunicipalityFactory(name="Partnerdorf"))
    MilestoneFactory(pilot=pilot, title="Start")
    FundingSource.objects.create(pilot=pilot, name="Land", amount=Decimal("100000"))
    FundingSource.objects.create(pilot=pilot, name="Eigenmittel", amount=Decimal("50000.50"))
    AdoptionFactory(pilot=pilot, state=AdoptionState.GIVEN_UP, given_up_on="2025-07-01")

    body = call("get", f"/pilots/{pilot.slug}", people["adopting_member"]).json()

    assert body["lead_municipality"]["ags"] == pilot.lead_municipality.ags
    assert body["state"] == PilotState.RUNNING
    assert body["starts_on"] == "2025-03-01"
    assert body["results"] == "Antraege in **drei Tagen**."
    assert body["topics"] == [
        {
            "slug": "digitale-verwaltung",
            "name": "Digitale Verwaltung",
            "url": "/themen/digitale-verwaltung/",
        }
    ]
    assert [p["municipality"]["name"] for p in body["participants"]] == ["Partnerdorf"]
    assert [m["title"] for m in body["milestones"]] == ["Start"]
    assert body["budget"] == 250000.0
    assert body["funding_total"] == 150000.5
    assert body["indicators"][0]["change"] == 46.0
    assert body["indicators"][0]["improved"] is True
    assert body["adoption_count"] == 1
    assert body["adoptions_by_state"] == {
        "umgesetzt": 0,
        "vorbereitung": 0,
        "interessiert": 1,
        "aufgegeben": 1,
    }
    own = Adoption.objects.get(pilot=pilot, municipality=people["adopting_member"].municipality)
    assert body["own_adoption"] == own.pk
    assert body["may_adopt"] is True
    assert body["may_edit"] is False
    assert body["url"] == f"/pilotprojekte/{pilot.slug}/"


@pytest.mark.parametrize(
    ("persona", "public_listing", "shown", "linked"),
    [
        ("anonymous", False, False, False),
        ("anonymous", True, True, False),
        ("guest", False, False, False),
        ("member", False, True, True),
        ("staff", False, True, True),
    ],
)
def test_contact_people_are_named_only_as_on_the_page(
    people, pilots, persona, public_listing, shown, linked
):
    person = people["contact_person"]
    person.profile.public_listing = public_listing
    person.profile.save()
    url = f"/mitglieder/{person.pk}/" if linked else ""

    body = call("get", "/pilots/bauakte-public", as_persona(persona, people)).json()

    named = [{"name": "Konrad Kontakt", "position": "Digitallotse", "url": url}]
    assert body["contacts"] == (named if shown else [])
    assert body["hidden_contacts"] == (0 if shown else 1)


def test_the_contact_person_may_edit_and_the_office_too(people, pilots):
    for persona, may_edit in [("contact_person", True), ("staff", True), ("member", False)]:
        body = call("get", "/pilots/bauakte-members", people[persona]).json()
        assert body["may_edit"] is may_edit, persona


def test_the_list_filters_like_the_page(people, pilots):
    topic = TopicFactory(slug="klima")
    bavarian = PilotFactory(
        title="Klimaschutz im Dorf",
        state=PilotState.COMPLETED,
        lead_municipality=MunicipalityFactory(state=FederalState.BY, ags="09162000"),
        topics=[topic],
    )

    def slugs(query: str) -> list[str]:
        return [item["slug"] for item in call("get", f"/pilots?{query}").json()["items"]]

    assert slugs("state=abgeschlossen") == [bavarian.slug]
    assert slugs("topic=klima") == [bavarian.slug]
    assert slugs("federal_state=09") == [bavarian.slug]
    assert slugs("q=klimaschutz") == [bavarian.slug]
    assert slugs("q=bauakte") == ["bauakte-public"]
    assert slugs("ordering=adoptions") == ["bauakte-public", bavarian.slug]


@pytest.mark.parametrize(
    "query",
    ["ordering=-created_at", "ordering=title;drop", "state=fertig", "federal_state=BY", "limit=0"],
)
def test_values_outside_the_whitelists_are_refused(pilots, query):
    response = call("get", f"/pilots?{query}")

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("path", ["/pilots/gibt-es-nicht", f"/adoptions/{2**62}"])
def test_missing_objects_answer_404(people, path):
    response = call("get", path, people["staff"])

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("path", ["/adoptions/0", f"/adoptions/{2**70}", "/adoptions/-1"])
def test_impossible_ids_are_refused_before_any_lookup(people, path):
    response = call("get", path, people["staff"])

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


# --- Reading adoptions -----------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_adoptions_are_visible_exactly_when_their_pilot_is(people, pilots, persona):
    hidden = Adoption.objects.get(pilot=pilots[Visibility.MEMBERS])

    listing = call("get", "/adoptions", as_persona(persona, people)).json()
    detail = call("get", f"/adoptions/{hidden.pk}", as_persona(persona, people))

    slugs = sorted(item["pilot"]["slug"] for item in listing["items"])
    if persona in SEES_MEMBERS_PILOTS:
        assert slugs == ["bauakte-members", "bauakte-public"]
        assert detail.status_code == 200
    else:
        assert slugs == ["bauakte-public"]
        assert detail.status_code == 404


def test_the_adoption_list_filters_by_pilot_municipality_and_state(people, pilots):
    given_up = AdoptionFactory(
        pilot=pilots[Visibility.PUBLIC], state=AdoptionState.GIVEN_UP, given_up_on="2025-07-01"
    )
    ags = people["adopting_member"].municipality.ags

    def ids(query: str) -> list[int]:
        return [item["id"] for item in call("get", f"/adoptions?{query}").json()["items"]]

    public = Adoption.objects.get(pilot=pilots[Visibility.PUBLIC], municipality__ags=ags)
    assert ids("state=aufgegeben") == [given_up.pk]
    assert ids(f"municipality={ags}") == [public.pk]
    assert ids("pilot=bauakte-public&ordering=-municipality") == sorted(
        [public.pk, given_up.pk],
        key=lambda pk: Adoption.objects.get(pk=pk).municipality.name,
        reverse=True,
    )
    assert ids("pilot=bauakte-members") == []
    assert call("get", "/adoptions?ordering=contact__email").status_code == 422


@pytest.mark.parametrize(("persona", "shown"), [("anonymous", False), ("member", True)])
def test_the_adoptions_contact_is_shown_as_on_its_page(people, pilots, persona, shown):
    adoption = Adoption.objects.get(pilot=pilots[Visibility.PUBLIC])

    body = call("get", f"/adoptions/{adoption.pk}", as_persona(persona, people)).json()

    assert body["contact"] == ({"name": "Ada Adoptiv", "url": ""} if shown else None)
    assert body["contact_hidden"] is (not shown)
    assert body["history"] == [{"state": "interessiert", "effective_on": "2025-06-01"}]
    assert body["url"] == f"/pilotprojekte/bauakte-public/nachnutzung/{adoption.pk}/"


# --- Declaring ----------------------------------------------------------------------------------

DECLARE = {
    "anonymous": 401,
    "guest": 404,
    "member": 201,
    "adopting_member": 200,
    "contact_person": 201,
    "staff": 404,
}


@pytest.mark.parametrize("visibility", [Visibility.PUBLIC, Visibility.MEMBERS])
@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_declare_an_adoption(people, pilots, persona, visibility):
    pilot = pilots[visibility]
    user = as_persona(persona, people)
    before = snapshot()

    response = call("post", f"/pilots/{pilot.slug}/adoption", user, declaration())

    assert response.status_code == DECLARE[persona]
    if response.status_code in (200, 201):
        adoption = Adoption.objects.get(pilot=pilot, municipality=user.municipality)
        assert adoption.state == AdoptionState.PREPARING
        assert response.json()["id"] == adoption.pk
        assert response.json()["municipality"]["ags"] == user.municipality.ags
    else:
        assert response["Content-Type"] == "application/problem+json"
        assert snapshot() == before


def test_a_second_declaration_updates_the_first(people, pilots):
    user = people["member"]
    first = call("post", "/pilots/bauakte-public/adoption", user, declaration())
    second = call(
        "post",
        "/pilots/bauakte-public/adoption",
        user,
        declaration(state="umgesetzt", implemented_on="2025-08-01"),
    )

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert second.json()["since"] == "2025-08-01"
    assert [h["state"] for h in second.json()["history"]] == ["vorbereitung", "umgesetzt"]


def test_a_read_token_cannot_write(people, pilots):
    before = snapshot()
    adoption = Adoption.objects.get(pilot=pilots[Visibility.PUBLIC])

    declared = call(
        "post", "/pilots/bauakte-public/adoption", people["member"], declaration(), scope="read"
    )
    changed = call(
        "patch",
        f"/adoptions/{adoption.pk}",
        people["adopting_member"],
        {"adaptations": "x"},
        scope="read",
    )

    assert (declared.status_code, changed.status_code) == (403, 403)
    assert changed["Content-Type"] == "application/problem+json"
    assert snapshot() == before


def test_a_session_write_needs_the_csrf_token(people, pilots):
    client = login_client(people["member"])
    client.handler.enforce_csrf_checks = True
    before = snapshot()

    response = client.post(
        "/api/v1/pilots/bauakte-public/adoption",
        json.dumps(declaration()),
        content_type="application/json",
    )

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert snapshot() == before


def test_indicator_values_are_stored_and_shown(people, pilots):
    pilot = pilots[Visibility.PUBLIC]
    indicator = pilot.indicators.get()

    response = call(
        "post",
        f"/pilots/{pilot.slug}/adoption",
        people["member"],
        declaration(values=[{"indicator": indicator.pk, "before": 10, "after": "55.5"}]),
    )

    assert response.status_code == 201
    assert response.json()["indicators"] == [
        {
            "indicator": indicator.pk,
            "name": "Online-Anteil",
            "unit": "prozent",
            "pilot_before": 12.0,
            "pilot_after": 58.0,
            "before": 10.0,
            "after": 55.5,
        }
    ]


# --- Refused input ----------------------------------------------------------------------------


def _tomorrow() -> str:
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


BAD_DECLARATIONS = {
    "future date": (lambda ctx: declaration(started_on=_tomorrow()), "started_on"),
    "implemented without a date": (lambda ctx: declaration(state="umgesetzt"), "implemented_on"),
    "given up without a reason": (
        lambda ctx: declaration(state="aufgegeben", given_up_on="2025-07-01"),
        "given_up_reason",
    ),
    "percent above 100": (
        lambda ctx: declaration(values=[{"indicator": ctx["indicator"], "after": 150}]),
        "indicator_{indicator}_after",
    ),
    "negative value": (
        lambda ctx: declaration(values=[{"indicator": ctx["indicator"], "before": -1}]),
        "indicator_{indicator}_before",
    ),
    "three decimals": (
        lambda ctx: declaration(values=[{"indicator": ctx["indicator"], "before": "1.234"}]),
        "indicator_{indicator}_before",
    ),
    "indicator of another pilot": (
        lambda ctx: declaration(values=[{"indicator": ctx["foreign_indicator"], "after": 1}]),
        "values",
    ),
    "indicator named twice": (
        lambda ctx: declaration(
            values=[{"indicator": ctx["indicator"], "after": 1}, {"indicator": ctx["indicator"]}]
        ),
        "values",
    ),
    "contact from elsewhere": (lambda ctx: declaration(contact=ctx["outsider"]), "contact"),
    "contact unknown": (lambda ctx: declaration(contact=999999), "contact"),
    "unknown field": (lambda ctx: declaration(municipality=ctx["outsider_place"]), "municipality"),
    "state as number": (lambda ctx: declaration(state=5), "state"),
    "unknown state": (lambda ctx: declaration(state="fertig"), "state"),
    "date as number": (lambda ctx: declaration(started_on=0), "started_on"),
    "date as nonsense": (lambda ctx: declaration(started_on="2025-02-30"), "started_on"),
    "contact as text": (lambda ctx: declaration(contact="Ada"), "contact"),
    "values not a list": (lambda ctx: declaration(values="viel"), "values"),
    "value not a number": (
        lambda ctx: declaration(values=[{"indicator": ctx["indicator"], "after": "viel"}]),
        "values.0.after",
    ),
    "missing start": (lambda ctx: {"state": "interessiert"}, "started_on"),
    "reason too long": (
        lambda ctx: declaration(
            state="aufgegeben", given_up_on="2025-07-01", given_up_reason="x" * 2001
        ),
        "given_up_reason",
    ),
}


@pytest.fixture
def bad_context(people, pilots) -> dict[str, int]:
    outsider = cast(User, MemberFactory())
    return {
        "indicator": pilots[Visibility.PUBLIC].indicators.get().pk,
        "foreign_indicator": pilots[Visibility.MEMBERS].indicators.get().pk,
        "outsider": outsider.pk,
        "outsider_place": outsider.municipality_id,
    }


@pytest.mark.parametrize("case", list(BAD_DECLARATIONS))
def test_bad_declarations_are_refused_and_change_nothing(people, pilots, bad_context, case):
    make, field = BAD_DECLARATIONS[case]
    before = snapshot()

    response = call("post", "/pilots/bauakte-public/adoption", people["member"], make(bad_context))

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert field.format(**bad_context) in [error["field"] for error in response.json()["errors"]]
    assert snapshot() == before


@pytest.mark.parametrize("case", list(BAD_DECLARATIONS))
def test_bad_corrections_are_refused_and_change_nothing(people, pilots, bad_context, case):
    make, field = BAD_DECLARATIONS[case]
    adoption = Adoption.objects.get(pilot=pilots[Visibility.PUBLIC])
    before = snapshot()

    response = call(
        "put", f"/adoptions/{adoption.pk}", people["adopting_member"], make(bad_context)
    )

    assert response.status_code == 422
    assert field.format(**bad_context) in [error["field"] for error in response.json()["errors"]]
    assert snapshot() == before


def test_a_body_that_is_not_json_is_refused(people, pilots):
    response = call("post", "/pilots/bauakte-public/adoption", people["member"], "{state:")

    assert response.status_code in (400, 422)
    assert response["Content-Type"] == "application/problem+json"
    assert not Adoption.objects.filter(municipality=people["member"].municipality).exists()


# --- Correcting ---------------------------------------------------------------------------------

UPDATE = {
    "anonymous": 401,
    "guest": 404,
    "member": 404,
    "adopting_member": 200,
    "contact_person": 404,
    "staff": 200,
}


@pytest.mark.parametrize("method", ["patch", "put"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_municipality_and_the_office_correct_an_adoption(people, pilots, persona, method):
    adoption = Adoption.objects.get(pilot=pilots[Visibility.PUBLIC])
    before = snapshot()
    body = declaration(state="umgesetzt", implemented_on="2025-08-01")

    response = call(method, f"/adoptions/{adoption.pk}", as_persona(persona, people), body)

    assert response.status_code == UPDATE[persona]
    adoption.refresh_from_db()
    if response.status_code == 200:
        assert adoption.state == AdoptionState.IMPLEMENTED
        assert response.json()["state"] == "umgesetzt"
    else:
        assert adoption.state == AdoptionState.INTERESTED
        assert snapshot() == before


def test_a_token_of_one_municipality_cannot_change_anothers_adoption(people, pilots):
    own = MemberFactory()
    theirs = Adoption.objects.get(pilot=pilots[Visibility.MEMBERS])
    before = snapshot()

    response = call("patch", f"/adoptions/{theirs.pk}", own, {"adaptations": "Unsere Sicht"})

    assert response.status_code == 404
    assert snapshot() == before


def test_patch_changes_only_what_it_names(people, pilots):
    adoption = Adoption.objects.get(pilot=pilots[Visibility.PUBLIC])
    indicator = adoption.pilot.indicators.get()
    AdoptionIndicatorValue.objects.create(adoption=adoption, indicator=indicator, before=5, after=9)

    response = call(
        "patch",
        f"/adoptions/{adoption.pk}",
        people["adopting_member"],
        {"adaptations": "Ohne Papier"},
    )

    adoption.refresh_from_db()
    assert response.status_code == 200
    assert (adoption.adaptations, adoption.state, adoption.contact) == (
        "Ohne Papier",
        AdoptionState.INTERESTED,
        people["adopting_member"],
    )
    assert response.json()["indicators"][0]["after"] == 9.0


def test_put_replaces_everything_including_values(people, pilots):
    adoption = Adoption.objects.get(pilot=pilots[Visibility.PUBLIC])
    indicator = adoption.pilot.indicators.get()
    AdoptionIndicatorValue.objects.create(adoption=adoption, indicator=indicator, before=5, after=9)

    response = call("put", f"/adoptions/{adoption.pk}", people["adopting_member"], declaration())

    adoption.refresh_from_db()
    assert response.status_code == 200
    assert (adoption.state, adoption.contact) == (AdoptionState.PREPARING, None)
    assert not adoption.values.exists()


def test_a_correction_by_the_office_keeps_the_confirmation(people, pilots):
    adoption = Adoption.objects.get(pilot=pilots[Visibility.PUBLIC])
    Adoption.objects.filter(pk=adoption.pk).update(
        verified_at=timezone.now(), verified_by=people["staff"]
    )

    call("patch", f"/adoptions/{adoption.pk}", people["staff"], {"state": "vorbereitung"})
    kept = Adoption.objects.get(pk=adoption.pk).verified_at
    call("patch", f"/adoptions/{adoption.pk}", people["adopting_member"], {"state": "interessiert"})

    assert kept is not None
    assert Adoption.objects.get(pk=adoption.pk).verified_at is None


# --- Query budgets -------------------------------------------------------------------------------


def _many_pilots(count: int) -> None:
    topics = TopicFactory.create_batch(2)
    for _ in range(count):
        pilot = PilotFactory(topics=topics)
        AdoptionFactory.create_batch(2, pilot=pilot)


@pytest.mark.parametrize("count", [1, 25])
def test_the_pilot_list_runs_a_fixed_number_of_queries(django_assert_num_queries, count):
    _many_pilots(count)

    # the version of the cached answer; the selector's count, the page's count,
    # the page, the topics
    with django_assert_num_queries(5):
        response = call("get", "/pilots?limit=100")
    # the same call again: the version only
    with django_assert_num_queries(1):
        again = call("get", "/pilots?limit=100")

    assert again.json() == response.json()
    assert len(response.json()["items"]) == count
    assert response.json()["items"][0]["adoption_count"] == 2


@pytest.mark.parametrize("count", [1, 25])
def test_the_adoption_list_runs_a_fixed_number_of_queries(people, django_assert_num_queries, count):
    _many_pilots(count)
    token = token_of(people["member"], "read")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.get("/api/v1/adoptions")  # the first call records the token's use

    # the token with its user, count, page
    with django_assert_num_queries(3):
        response = client.get("/api/v1/adoptions?limit=100")

    assert len(response.json()["items"]) == 2 * count


@pytest.mark.parametrize("count", [1, 20])
def test_the_details_run_a_fixed_number_of_queries(people, django_assert_num_queries, count):
    pilot = PilotFactory(contacts=MemberFactory.create_batch(count))
    for number in range(count):
        ParticipantFactory(pilot=pilot)
        MilestoneFactory(pilot=pilot)
        IndicatorFactory(pilot=pilot)
        AdoptionFactory(pilot=pilot)
        FundingSource.objects.create(pilot=pilot, name=f"Programm {number}", amount=1000)
        PilotDocument.objects.create(
            pilot=pilot, kind=DocumentKind.CONCEPT, title=f"Konzept {number}"
        )
    adoption = pilot.adoptions.first()
    for indicator in pilot.indicators.all():
        AdoptionIndicatorValue.objects.create(adoption=adoption, indicator=indicator, after=1)

    # pilot, contacts, topics, participants, milestones, funding, documents with their
    # versions, indicators, adoptions
    with django_assert_num_queries(10):
        pilot_response = call("get", f"/pilots/{pilot.slug}")
    # slug, pilot, adoption, history, indicators, values
    with django_assert_num_queries(6):
        adoption_response = call("get", f"/adoptions/{adoption.pk}")

    assert len(pilot_response.json()["participants"]) == count
    assert len(pilot_response.json()["documents"]) == count
    assert len(adoption_response.json()["indicators"]) == count
