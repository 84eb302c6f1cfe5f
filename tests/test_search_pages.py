"""The search page at /suche/ and the suggestions under the header's box: what they
show, how facets and pages narrow the list, htmx, bad input, and query budgets.

Documents are written straight into the index, so each test states what it
finds; the language cases and the sources have their own tests.
"""

from __future__ import annotations

import datetime
import re
from itertools import count

import pytest
from django.db import connection
from django.utils import timezone

from innoclub.search import query as search_query
from innoclub.search.documents import Document
from innoclub.search.index import index_documents
from innoclub.search.models import Audience, Kind, SearchDocument
from tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

SEARCH = "/suche/"
# PostgreSQL: the planner told to read matches through the index, and set back
# (the tests run inside a transaction; a request's search has one of its own).
PLANNING = 2 if connection.vendor == "postgresql" else 0
SUGGEST = "/suche/vorschlaege/"
EMPTY_QUERY = "Bitte geben Sie einen Suchbegriff ein."
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "ergebnisse"}

_ids = count(1)


def put(
    title: str, *, kind: Kind = Kind.IDEA, audience: Audience = Audience.PUBLIC, **extra
) -> int:
    object_id = next(_ids)
    index_documents(
        [
            Document(
                kind=kind,
                object_id=object_id,
                audience=audience,
                title=title,
                url=f"/{kind}/{object_id}/",
                **extra,
            )
        ]
    )
    return object_id


def text_of(response) -> str:
    """The page's text without tags, its spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def titles(response) -> list[str]:
    return [re.sub(r"</?mark>", "", hit.title) for hit in response.context["results"].hits]


def facet(response, name: str) -> dict[str, tuple[int, bool]]:
    """A facet's values as shown: value -> (count, selected)."""
    return {
        link.value.value: (link.value.count, link.value.selected)
        for group in response.context["facet_groups"]
        if group.name == name
        for link in group.links
    }


@pytest.fixture
def schools() -> None:
    """Three public documents about schools of three kinds, and one about something else."""
    TopicFactory(name="Bildung und Schule", slug="bildung")
    put(
        "Schulen als Orte des Ankommens",
        summary="Ein Workshop über Schule und Integration.",
        topics=("bildung",),
        land="09",
        year=2024,
    )
    put("Energiesparen in Schulen", kind=Kind.PILOT, stage="laufend", land="05", year=2025)
    put(
        "Neue Schule in Fulda eröffnet",
        kind=Kind.ARTICLE,
        topics=("bildung",),
        dated=timezone.make_aware(datetime.datetime(2025, 3, 14, 10, 0)),
        year=2025,
    )
    put("Radwege im ländlichen Raum", kind=Kind.PILOT)


# --- The page -------------------------------------------------------------------


def test_the_page_lists_hits_of_every_kind_with_badges_highlights_and_dates(client, schools):
    response = client.get(SEARCH, {"q": "Schulen"})

    assert response.status_code == 200
    text = text_of(response)
    assert "3 Treffer für „Schulen“" in text
    assert sorted(titles(response)) == [
        "Energiesparen in Schulen",
        "Neue Schule in Fulda eröffnet",
        "Schulen als Orte des Ankommens",
    ]
    html = response.content.decode()
    assert '<a class="kern-link" href="/pilot/' in html
    assert "<mark>Schulen</mark>" in html
    assert '<span class="kern-label">Pilotprojekt</span>' in html
    assert '<time datetime="2025-03-14T10:00:00+01:00">14. März 2025</time>' in html
    assert "Radwege" not in text


def test_title_and_heading_carry_the_query_and_search_engines_are_kept_out(client, schools):
    response = client.get(SEARCH, {"q": "Schulen"})

    html = response.content.decode()
    assert "<title>Suche nach „Schulen“ – innoclub</title>" in html
    assert re.search(r"<h1[^>]*>Suche nach „Schulen“</h1>", html)
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"] == "noindex"


def test_facets_count_the_hits_per_kind_topic_stage_land_and_year(client, schools):
    response = client.get(SEARCH, {"q": "Schulen"})

    assert facet(response, "kind") == {
        "idea": (1, False),
        "pilot": (1, False),
        "article": (1, False),
    }
    assert facet(response, "topic") == {"bildung": (2, False)}
    assert facet(response, "stage") == {"laufend": (1, False)}
    assert facet(response, "land") == {"09": (1, False), "05": (1, False)}
    assert facet(response, "year") == {"2025": (2, False), "2024": (1, False)}
    text = text_of(response)
    assert "Bildung und Schule 2 Ergebnisse" in text
    assert "Bayern 1 Ergebnisse" in text


def test_a_facet_narrows_the_list_is_marked_and_can_be_removed(client, schools):
    response = client.get(SEARCH, {"q": "Schulen", "art": "pilot"})

    assert titles(response) == ["Energiesparen in Schulen"]
    assert "1 Treffer für „Schulen“" in text_of(response)
    assert facet(response, "kind")["pilot"] == (1, True)
    html = response.content.decode()
    # The selected value links to the list without it; so does the chip above the hits.
    assert html.count('href="?q=Schulen" aria-current="true"') == 1
    assert 'class="search-active__filter" href="?q=Schulen"' in html
    assert "Filter entfernen: Art: Pilotprojekt" in text_of(response)


def test_filters_combine(client, schools):
    by_topic = client.get(SEARCH, {"q": "Schule", "thema": "bildung", "jahr": "2025"})
    by_land = client.get(SEARCH, {"q": "Schule", "land": "09"})

    assert titles(by_topic) == ["Neue Schule in Fulda eröffnet"]
    assert titles(by_land) == ["Schulen als Orte des Ankommens"]


def test_facet_links_keep_the_query_and_the_other_filters_and_start_at_page_one(client, schools):
    response = client.get(SEARCH, {"q": "Schulen", "jahr": "2025", "seite": "1"})

    hrefs = {
        link.value.value: link.href for g in response.context["facet_groups"] for link in g.links
    }
    assert hrefs["pilot"] == "?q=Schulen&art=pilot&jahr=2025"
    assert hrefs["2025"] == "?q=Schulen"


def test_htmx_asks_for_the_results_region_only_with_its_facets(client, schools):
    response = client.get(SEARCH, {"q": "Schulen", "art": "idea"}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="filter"' in html
    assert 'data-hx-target="#ergebnisse"' in html
    assert titles(response) == ["Schulen als Orte des Ankommens"]
    assert "HX-Request" in response["Vary"]


def test_without_javascript_every_facet_and_page_link_is_a_plain_link(client, schools):
    response = client.get(SEARCH, {"q": "Schulen"})

    html = response.content.decode()
    for match in re.finditer(
        r'<a class="search-facet[^"]*" href="([^"]+)"[^>]* data-hx-get="([^"]+)"', html
    ):
        assert match.group(1) == match.group(2)
    assert 'class="search-facet"' in html


def test_hits_come_in_pages_of_twenty(client):
    for number in range(23):
        put(f"Klimaschutz Nummer {number}")

    first = client.get(SEARCH, {"q": "Klimaschutz"})
    second = client.get(SEARCH, {"q": "Klimaschutz", "seite": "2"})

    assert len(titles(first)) == 20
    assert len(titles(second)) == 3
    assert set(titles(first)).isdisjoint(titles(second))
    assert "Seite 1 von 2" in text_of(first)
    assert 'href="?q=Klimaschutz&amp;seite=2" rel="next"' in first.content.decode()
    assert '<ol class="result-cards search-hits" start="21">' in second.content.decode()
    assert "Seite 2 von 2" in text_of(second)


def test_a_page_beyond_the_end_shows_the_last_page(client):
    for number in range(23):
        put(f"Klimaschutz Nummer {number}")

    response = client.get(SEARCH, {"q": "Klimaschutz", "seite": "99"})

    assert response.status_code == 200
    assert len(titles(response)) == 3
    assert "Seite 2 von 2" in text_of(response)


def test_the_search_box_in_the_header_keeps_the_query_on_the_search_page(client, schools):
    response = client.get(SEARCH, {"q": "Schulen"})

    html = response.content.decode()
    header = html[html.index("<header") : html.index("</header>")]
    assert 'id="suche-kopf" name="q" maxlength="200" autocomplete="off" value="Schulen"' in header


def test_members_only_documents_are_found_by_members_only(client, member_client, schools):
    put("Interne Notiz über Schulen", audience=Audience.MEMBERS)

    assert "Interne Notiz über Schulen" not in titles(client.get(SEARCH, {"q": "Schulen"}))
    assert "Interne Notiz über Schulen" in titles(member_client.get(SEARCH, {"q": "Schulen"}))


# --- Nothing found, nothing to search for -----------------------------------------


def test_nothing_found_suggests_other_words_and_the_spelling(client, schools):
    response = client.get(SEARCH, {"q": "Zeppelinhangar"})

    text = text_of(response)
    assert response.status_code == 200
    assert "Zu „Zeppelinhangar“ haben wir nichts gefunden." in text
    assert "Prüfen Sie die Schreibweise." in text
    assert "Verwenden Sie weniger oder andere Wörter" in text
    assert "Mitglieder melden sich an" in text
    assert "Entfernen Sie die Filter" not in text


def test_when_no_hit_has_every_word_the_page_says_it_shows_hits_with_some(client):
    put("Radwege im Landkreis")
    put("Landkreis baut Brücke")

    response = client.get(SEARCH, {"q": "Radwege Brücke"})

    assert sorted(titles(response)) == ["Landkreis baut Brücke", "Radwege im Landkreis"]
    assert "Kein Treffer enthält alle Ihre Wörter" in text_of(response)
    assert "Kein Treffer enthält" not in text_of(client.get(SEARCH, {"q": "Radwege"}))


def test_nothing_found_with_filters_offers_to_remove_them(client, schools):
    response = client.get(SEARCH, {"q": "Radwege", "art": "idea"})

    text = text_of(response)
    assert "Zu „Radwege“ haben wir mit den gewählten Filtern nichts gefunden." in text
    assert '<a class="kern-link" href="?q=Radwege">Entfernen Sie die Filter</a>' in (
        response.content.decode()
    )


@pytest.mark.parametrize("query", ["", "   ", "-- ::", "\x00", "*"])
def test_an_empty_query_asks_for_a_search_term(client, schools, query):
    response = client.get(SEARCH, {"q": query})

    assert response.status_code == 200
    assert EMPTY_QUERY in text_of(response)
    assert titles(response) == []


def test_the_page_without_any_parameter_asks_for_a_search_term(client, schools):
    response = client.get(SEARCH)

    assert response.status_code == 200
    assert EMPTY_QUERY in text_of(response)
    assert "<title>Suche – innoclub</title>" in response.content.decode()


# --- Bad input: never an error page, nothing changes ---------------------------------

BAD_QUERIES = {
    "long": {"q": "Schule " * 1500},
    "control characters": {"q": "Schu\x01len\x1b[31m\x7f"},
    "NUL byte": {"q": "Schu\x00len"},
    "search syntax": {"q": '"Schulen" AND (Kita OR NEAR(a b)) -x* : ^ ~'},
    "SQL": {"q": "Schulen'; DROP TABLE search_searchdocument; --"},
    "unknown kind": {"q": "Schulen", "art": "rakete"},
    "unknown land": {"q": "Schulen", "land": "99"},
    "odd topic": {"q": "Schulen", "thema": "<script>alert(1)</script>"},
    "odd stage": {"q": "Schulen", "phase": "x" * 300},
    "year not a number": {"q": "Schulen", "jahr": "zweitausend"},
    "year far away": {"q": "Schulen", "jahr": "99999999999999999999"},
    "page not a number": {"q": "Schulen", "seite": "zwei"},
    "negative page": {"q": "Schulen", "seite": "-3"},
    "huge page": {"q": "Schulen", "seite": "9" * 40},
    "unicode digits": {"q": "Schulen", "seite": "٣", "jahr": "٢٠٢٥"},
    "repeated": {"q": ["Zeppelin", "Schulen"], "art": ["rakete", "pilot"], "seite": ["1", "x"]},
}


@pytest.mark.parametrize("params", BAD_QUERIES.values(), ids=BAD_QUERIES.keys())
def test_bad_input_answers_a_normal_page_and_changes_nothing(client, schools, params):
    before = list(SearchDocument.objects.order_by("id").values_list("id", "title", "url"))

    response = client.get(SEARCH, params)
    htmx = client.get(SEARCH, params, **HTMX)
    suggestions = client.get(SUGGEST, {"q": params["q"]})

    assert (response.status_code, htmx.status_code, suggestions.status_code) == (200, 200, 200)
    assert list(SearchDocument.objects.order_by("id").values_list("id", "title", "url")) == before
    text = text_of(response)
    assert "Treffer für" in text or "haben wir nichts gefunden" in text or EMPTY_QUERY in text


def test_control_characters_and_nul_bytes_are_read_as_spaces(client, schools):
    response = client.get(SEARCH, {"q": "Energiesparen\x00\x07Schulen"})

    assert response.context["query"] == "Energiesparen Schulen"
    assert titles(response)[0] == "Energiesparen in Schulen"


def test_a_very_long_query_is_cut_and_still_searched(client, schools):
    response = client.get(SEARCH, {"q": "Schulen " + "x" * 10_000})

    assert len(response.context["query"]) == 200
    assert response.status_code == 200


def test_invalid_filters_are_ignored_not_applied(client, schools):
    response = client.get(SEARCH, {"q": "Schulen", "art": "rakete", "land": "99", "jahr": "abc"})

    assert len(titles(response)) == 3
    assert response.context["active_filters"] == []


def test_repeated_parameters_take_the_last_value(client, schools):
    response = client.get(SEARCH, {"q": ["Radwege", "Schulen"], "art": ["idea", "pilot"]})

    assert titles(response) == ["Energiesparen in Schulen"]


# --- Suggestions as you type -----------------------------------------------------------


def test_suggestions_complete_the_last_word_and_link_to_each_hit(client, schools):
    response = client.get(SUGGEST, {"q": "Energiesp"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert '<a class="site-search__option" href="/pilot/' in html
    assert "Pilotprojekt" in html
    assert "<mark>Energiesparen</mark>" in html
    assert 'href="/suche/?q=Energiesp">Alle Treffer für „Energiesp“</a>' in html
    assert response["X-Robots-Tag"] == "noindex"


def test_at_most_six_suggestions(client):
    for number in range(9):
        put(f"Wärmeplanung Teil {number}")

    html = client.get(SUGGEST, {"q": "Wärmepl"}).content.decode()

    assert html.count('class="site-search__option" href="/idea/') == 6
    assert "6 Vorschläge" in html


def test_no_suggestion_says_so_and_an_empty_box_gets_nothing(client, schools):
    none = client.get(SUGGEST, {"q": "Zeppelinh"})
    empty = client.get(SUGGEST, {"q": " "})

    assert "Keine Vorschläge." in text_of(none)
    assert empty.status_code == 200
    assert empty.content.decode().strip() == ""


def test_suggestions_hide_what_the_visitor_may_not_see(client, member_client):
    put("Wärmeplanung intern", audience=Audience.MEMBERS)

    assert "Wärmeplanung" not in client.get(SUGGEST, {"q": "Wärme"}).content.decode()
    assert "Wärmeplanung" in member_client.get(SUGGEST, {"q": "Wärme"}).content.decode()


# --- The header box on every page ------------------------------------------------------


def test_the_start_page_has_the_search_box_with_suggestions(client):
    response = client.get("/")

    html = response.content.decode()
    header = html[html.index("<header") : html.index("</header>")]
    assert '<form class="site-search" role="search" method="get" action="/suche/"' in header
    assert '<label class="kern-sr-only" for="suche-kopf">Suche</label>' in header
    assert 'type="search" id="suche-kopf" name="q"' in header
    assert 'data-hx-get="/suche/vorschlaege/"' in header
    assert 'data-hx-trigger="input changed delay:200ms, search"' in header
    assert 'id="suchvorschlaege" aria-live="polite"' in header
    assert 'value="' not in header.split('id="suche-kopf"')[1].split(">")[0]


# --- Query budgets ---------------------------------------------------------------------


def _many(number: int) -> None:
    TopicFactory(name="Klimaschutz", slug="klimaschutz")
    for index in range(number):
        put(
            f"Klimaschutz in der Kommune {index}",
            kind=[Kind.IDEA, Kind.PILOT, Kind.ARTICLE][index % 3],
            topics=("klimaschutz",),
            land=["09", "05"][index % 2],
            year=2020 + index % 4,
            stage="laufend",
        )


@pytest.mark.parametrize("number", [1, 30])
def test_search_page_query_budget(client, django_assert_max_num_queries, number):
    _many(number)

    # names one typo away, the index version, the scheduled documents, facet
    # counts, topic names, the hits (the head part, and the rest when the head
    # does not fill the page), their texts for snippets
    with django_assert_max_num_queries(8 + PLANNING):
        response = client.get(SEARCH, {"q": "Klimaschutz"})

    assert response.context["results"].total == number


@pytest.mark.parametrize("number", [1, 30])
def test_search_page_query_budget_when_counted_before(
    client, django_assert_max_num_queries, monkeypatch, number
):
    monkeypatch.setattr(search_query, "KEEP_COUNTS_AFTER", 0)  # keep even this quick count
    _many(number)
    client.get(SEARCH, {"q": "Klimaschutz"})

    # names one typo away, the index version; the hits in one or two parts, their texts
    with django_assert_max_num_queries(5 + PLANNING):
        response = client.get(SEARCH, {"q": "Klimaschutz", "seite": "2"})

    assert response.context["results"].total == number


@pytest.mark.parametrize("number", [1, 30])
def test_search_page_query_budget_for_a_member(
    member_client, django_assert_max_num_queries, monkeypatch, number
):
    monkeypatch.setattr(search_query, "KEEP_COUNTS_AFTER", 0)  # keep even this quick search
    _many(number)
    member_client.get("/")  # the first request of a login stores the session clock

    # session, user; the index version with the versions of the person's own
    # data, once per version the scheduled documents; names one typo away,
    # facet counts, topic names, the hits in one or two parts, their texts
    with django_assert_max_num_queries(10 + PLANNING):
        member_client.get(SEARCH, {"q": "Klimaschutz"})
    # kept for the person: session, user, the versions
    with django_assert_max_num_queries(3):
        member_client.get(SEARCH, {"q": "Klimaschutz"})


@pytest.mark.parametrize("number", [1, 30])
def test_suggestions_query_budget(client, django_assert_max_num_queries, number):
    _many(number)

    # the first six hits: the head part, and the rest when it has fewer than six
    with django_assert_max_num_queries(2 + PLANNING):
        response = client.get(SUGGEST, {"q": "Klimasch"})

    assert response.status_code == 200
