"""The search understands German: the same cases on SQLite and on PostgreSQL.

Documents are written straight into the index (``index_documents``), so each
test states exactly the texts it searches; the sources have their own tests.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from innoclub.search import analysis
from innoclub.search.analysis import analyse, ending, query_words, stem, within_one_edit, words
from innoclub.search.documents import Document
from innoclub.search.index import index_documents
from innoclub.search.models import Audience, Kind
from innoclub.search.query import Filters, search, suggest
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

ANONYMOUS = AnonymousUser()


def put(*titles: str, body: str = "", summary: str = "", kind: Kind = Kind.IDEA, **extra) -> None:
    start = 1000 + len(_written)
    documents = []
    for offset, title in enumerate(titles):
        documents.append(
            Document(
                kind=kind,
                object_id=start + offset,
                audience=Audience.PUBLIC,
                title=title,
                url=f"/x/{start + offset}/",
                summary=summary,
                body=body,
                **extra,
            )
        )
        _written.append(title)
    index_documents(documents)


_written: list[str] = []


@pytest.fixture(autouse=True)
def _fresh() -> None:
    _written.clear()


def titles(query: str, **filters) -> list[str]:
    results = search(query, user=ANONYMOUS, filters=Filters(**filters))
    return [hit.title.replace("<mark>", "").replace("</mark>", "") for hit in results.hits]


# --- Analysis --------------------------------------------------------------


def test_words_fold_case_umlauts_sharp_s_and_accents():
    assert words("Straße Bürger ÖPNV Café") == ["strasse", "buerger", "oepnv", "cafe"]


def test_gender_marks_disappear_before_stemming():
    forms = ["Bürger:innen", "Bürger*innen", "BürgerInnen", "Bürger_innen", "Bürger/-innen"]
    assert {analyse(form).stems for form in forms} == {analyse("Bürger").stems}
    assert analyse("Bürgerinnen").stems == analyse("Bürger").stems


def test_words_are_split_alike_in_plain_ascii_and_in_other_scripts():
    # ASCII text takes a quicker way (bytes translated) than text with other
    # letters (a regular expression): both split at everything but a-z and 0-9.
    assert words("5G-Netz, Tempo30/Zone; e.V. & Co.KG") == [
        "5g", "netz", "tempo30", "zone", "e", "v", "co", "kg"
    ]  # fmt: skip
    assert words("5G-Netz in Αθήνα, Tempo30") == ["5g", "netz", "in", "tempo30"]
    long = "Donaudampfschifffahrtsgesellschaftskapitaensmuetzenhalter"
    assert words(f"{long} kurz") == [long.lower()[:40], "kurz"]
    assert words(f"{long} Ärger") == [long.lower()[:40], "aerger"]
    # Only a capital I after a small letter marks a gender form.
    assert words("LehrerInnen in der Innenstadt") == ["lehrer", "in", "der", "innenstadt"]


def test_analysis_is_the_same_with_its_word_caches_emptied():
    text = "Die Wärmepumpen der Bürger:innen im Rathaus; Wärmepumpe"
    first = analyse(text)
    analysis._forget()
    assert analyse(text) == first
    assert first.ends.split() == [ending(stem(word)) for word in words(text) if len(word) >= 6]


def test_query_words_are_plain_terms_whatever_the_syntax():
    found = [word.word for word in query_words('"Schule" AND (Kita OR NEAR) -x* : ; DROP')]
    assert found == ["schule", "and", "kita", "or", "near", "x", "drop"]


def test_one_edit_covers_change_insertion_deletion_and_swap():
    assert within_one_edit("heidelbreg", "heidelberg")
    assert within_one_edit("schmitt", "schmidt")
    assert within_one_edit("mayr", "mayer")
    assert within_one_edit("freiburgg", "freiburg")
    assert not within_one_edit("meier", "mayer")


# --- Inflections, umlauts, ß -------------------------------------------------


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("Schulen", "Digitale Schule am Marktplatz"),
        ("digitalen", "Ein digital gestütztes Bürgeramt"),
        ("Kommune", "Was Kommunen voneinander lernen"),
        ("Buergerbeteiligung", "Bürgerbeteiligung im Quartier"),
        ("Bürgerbeteiligung", "Buergerbeteiligung im Quartier"),
        ("Strasse", "Sanierung der Straße"),
        ("straße", "Strassen und Wege"),
        ("OEPNV", "ÖPNV auf dem Land"),
    ],
)
def test_inflections_umlauts_and_sharp_s_find_each_other(query, text):
    put(text, "Ganz anderes Thema")
    assert titles(query) == [text]


@pytest.mark.parametrize("query", ["Bürger:innen", "Bürger*innen", "BürgerInnen", "Bürger"])
def test_gender_forms_find_each_other(query):
    texts = [
        "Dialog mit Bürger:innen",
        "Sprechstunde für Bürger*innen",
        "Umfrage unter BürgerInnen",
        "Bürger fragen, der Rat antwortet",
    ]
    put(*texts, "Haushaltsplan 2027")
    assert sorted(titles(query)) == sorted(texts)


# --- Compounds ----------------------------------------------------------------


def test_a_part_finds_the_compound_below_the_exact_match():
    put("Wärmepumpe im Rathaus", "Pumpe für das Freibad", "Radwege im Kreis")
    assert titles("Pumpe") == ["Pumpe für das Freibad", "Wärmepumpe im Rathaus"]


def test_konzept_finds_klimaschutzkonzept():
    put("Klimaschutzkonzept des Landkreises", "Konzept für Kitas", "Wasserwerk")
    assert titles("Konzept") == ["Konzept für Kitas", "Klimaschutzkonzept des Landkreises"]


def test_a_compound_finds_its_parts_written_apart_below_the_compound():
    put("Ein Konzept für den Klimaschutz", "Klimaschutzkonzept 2030", "Konzept für Radwege")
    assert titles("Klimaschutzkonzept") == [
        "Klimaschutzkonzept 2030",
        "Ein Konzept für den Klimaschutz",
    ]


def test_a_part_finds_the_compound_it_begins_below_the_exact_match():
    put("Dorfladengenossenschaft sucht Mitglieder", "Der Dorfladen als Treffpunkt", "Radwege")
    assert titles("Dorfladen") == [
        "Der Dorfladen als Treffpunkt",
        "Dorfladengenossenschaft sucht Mitglieder",
    ]


def test_a_short_word_does_not_find_longer_words_it_begins_while_it_finds_itself():
    # "Schule" and "Schulung" share the beginning "schul", not their meaning.
    put("Neue Schule am Markt", "Schulung für die Verwaltung")
    assert titles("Schule") == ["Neue Schule am Markt"]


def test_the_beginning_of_a_word_finds_it():
    put("Digitalisierung der Verwaltung", "Haushalt")
    assert titles("Digitalis") == ["Digitalisierung der Verwaltung"]


# --- Typos in names --------------------------------------------------------------


def test_one_typo_in_a_place_name_still_finds_it():
    put("Heidelberg", kind=Kind.MUNICIPALITY, names="Heidelberg")
    put("Hamburg", kind=Kind.MUNICIPALITY, names="Hamburg")
    assert titles("Heidelbreg") == ["Heidelberg"]
    assert titles("Hamburk") == ["Hamburg"]


def test_one_typo_in_a_person_name_still_finds_them_but_the_exact_name_first():
    put("Anna Schmidt", kind=Kind.MEMBER, names="Anna Schmidt")
    put("Jonas Schmitt", kind=Kind.MEMBER, names="Jonas Schmitt")
    assert titles("Schmidt") == ["Anna Schmidt", "Jonas Schmitt"]


def test_a_compound_part_ranks_above_a_name_one_typo_away():
    """A word ("Weide"), not a misspelt name ("Heide"): the town's news come after the
    pasture, however often they name it."""
    put("Heide feiert Heide", kind=Kind.ARTICLE, names="Heide", summary="Heide in Holstein")
    put("Blühstreifen", body="Am Rand des Friedhofs entsteht eine Bienenweide.")
    assert titles("Weide") == ["Blühstreifen", "Heide feiert Heide"]


def test_two_typos_do_not_find_a_name():
    put("Heidelberg", kind=Kind.MUNICIPALITY, names="Heidelberg")
    assert titles("Hiedelbreg") == []


# --- Ranking -----------------------------------------------------------------


def test_title_outranks_summary_outranks_body():
    put("Wasserstoff im Nahverkehr")
    put("Neue Busse", summary="Der Landkreis testet Wasserstoff.")
    put("Bericht", body="Am Rande ging es auch um Wasserstoff und viele andere Themen.")
    assert titles("Wasserstoff") == ["Wasserstoff im Nahverkehr", "Neue Busse", "Bericht"]


def test_exact_word_outranks_a_stemmed_match():
    put("Schule ohne Schulden")
    put("Schulen ohne Schulden")
    assert titles("Schulen")[0] == "Schulen ohne Schulden"
    assert titles("Schule")[0] == "Schule ohne Schulden"


def test_newer_news_rank_higher():
    now = datetime.datetime.now(tz=datetime.UTC)
    put("Fahrradstraße eröffnet", kind=Kind.ARTICLE, dated=now - datetime.timedelta(days=600))
    put("Fahrradstraße verlängert", kind=Kind.ARTICLE, dated=now - datetime.timedelta(days=3))
    assert titles("Fahrradstraße") == ["Fahrradstraße verlängert", "Fahrradstraße eröffnet"]


def test_every_word_of_the_query_must_match():
    put("Radwege im Landkreis", "Radwege in der Stadt", "Landkreis baut Brücke")
    assert titles("Radwege Landkreis") == ["Radwege im Landkreis"]


# --- Snippets, facets, pages ----------------------------------------------------


def test_snippet_marks_the_matching_words_and_escapes_the_text():
    body = "Vorher ein langer Text. " * 10 + "Hier <b>geht</b> es um Wärmepumpen im Bestand."
    put("Sanierung", body=body)
    [hit] = search("Pumpe", user=ANONYMOUS).hits
    assert "<mark>Wärmepumpen</mark>" in hit.snippet
    assert "&lt;b&gt;geht&lt;/b&gt;" in hit.snippet
    assert hit.snippet.startswith("… ")


def test_facets_count_every_match_and_filters_narrow():
    put("Glasfaser für Schulen", kind=Kind.IDEA, land="08", year=2025, topics=("digitales",))
    put("Glasfaser im Gewerbegebiet", kind=Kind.PILOT, land="08", year=2026, stage="laufend")
    put("Glasfaser und Funk", kind=Kind.ARTICLE, land="09", year=2026)
    results = search("Glasfaser", user=ANONYMOUS)
    assert results.total == 3
    kinds = {facet.value: facet.count for facet in results.facets["kind"]}
    assert kinds == {"idea": 1, "pilot": 1, "article": 1}
    assert {facet.value: facet.count for facet in results.facets["land"]} == {"08": 2, "09": 1}
    assert titles("Glasfaser", land="08", year=2026) == ["Glasfaser im Gewerbegebiet"]
    narrowed = search("Glasfaser", user=ANONYMOUS, filters=Filters(kind="pilot"))
    assert narrowed.total == 1
    # The kind facet still offers the other kinds, counted without its own filter.
    assert {facet.value: facet.count for facet in narrowed.facets["kind"]} == kinds


def test_pages_hold_twenty_results_and_a_page_beyond_the_end_shows_the_last():
    put(*[f"Spielplatz Nummer {n}" for n in range(45)])
    first = search("Spielplatz", user=ANONYMOUS)
    assert (first.total, first.pages, len(first.hits)) == (45, 3, 20)
    last = search("Spielplatz", user=ANONYMOUS, page=99)
    assert (last.page, len(last.hits)) == (3, 5)


def test_suggestions_complete_the_last_word():
    put("Straßenbeleuchtung mit LED", "Stadtwerke")
    assert [hit.title for hit in suggest("Straßenbel", user=ANONYMOUS)] == [
        "<mark>Straßenbeleuchtung</mark> mit LED"
    ]


# --- Bad input ------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        '"Schule',
        "Schule*",
        "-Schule",
        "title:Schule",
        "(Schule",
        "Schule)",
        "NEAR(Schule Kita)",
        "Schule AND",
        "OR Schule",
        "Schule' OR 1=1 --",
        "Schule'; DROP TABLE search_searchdocument; --",
        "Schule\x00\x07\x1b[31m",
        "{title}: Schule ^ + ~ ! & | <-> :*",
    ],
)
def test_search_syntax_and_sql_are_just_text(query):
    put("Schule am See")
    assert titles(query) == ["Schule am See"]
    # The index is intact: a second search works.
    assert titles("See") == ["Schule am See"]


def test_when_no_document_has_every_word_the_results_have_some_of_them():
    put("Radwege im Landkreis", "Landkreis baut Brücke", "Spielplatz")
    results = search("Radwege Brücke", user=ANONYMOUS)
    assert results.any_word
    assert results.total == 2


@pytest.mark.parametrize("query", ["", "   ", "\x00", "*", "\"'()", "-", ":", "a"])
def test_a_query_without_words_asks_for_one(query):
    put("Schule am See")
    results = search(query, user=ANONYMOUS)
    assert results.too_short
    assert results.hits == []


def test_a_ten_thousand_character_query_is_searched_not_refused():
    put("Schule am See")
    results = search("Schule " + "x" * 10_000, user=ANONYMOUS)
    assert (results.total, results.any_word) == (1, True)
    assert search("Schule " * 2000, user=ANONYMOUS).total == 1


def test_numbers_have_no_typos():
    town = MunicipalityFactory(name="Musterstadt 5621")

    assert search("0621", user=AnonymousUser()).hits == []
    assert [hit.url for hit in search("5621", user=AnonymousUser()).hits] == [
        f"/kommunen/{town.ags}/"
    ]
