"""Texts of the pilot demo: indicators and funding by topic, milestones, roles,
results, lessons, adaptations and reasons to give up. German, as a member would
write them; ``{land}`` is the lead municipality's Land."""

from __future__ import annotations

from typing import NamedTuple

from innoclub.pilots.models import IndicatorUnit as U


class IndicatorSeed(NamedTuple):
    """``change`` multiplies ``before`` (or, with ``absolute``, is added to it)."""

    name: str
    unit: str
    higher_is_better: bool
    before: tuple[float, float]
    change: tuple[float, float]
    note: str
    absolute: bool = False


INDICATORS: dict[str, list[IndicatorSeed]] = {
    "digitale-verwaltung": [
        IndicatorSeed("Anteil online gestellter Anträge", U.PERCENT, True, (8, 25), (18, 45), "Anträge über das Serviceportal geteilt durch alle Anträge im Quartal", absolute=True),
        IndicatorSeed("Durchschnittliche Bearbeitungszeit", U.DAYS, False, (15, 45), (0.4, 0.75), "Vom Eingang bis zum Bescheid, Mittelwert eines Quartals"),
        IndicatorSeed("Persönliche Vorsprachen pro Monat", U.COUNT, False, (800, 2500), (0.5, 0.8), "Gezogene Wartenummern im Bürgerbüro"),
    ],
    "klimaschutz": [
        IndicatorSeed("Eingesparte CO₂-Emissionen pro Jahr", U.TONNES_CO2, True, (0, 0), (40, 400), "Berechnet nach dem BISKO-Standard", absolute=True),
        IndicatorSeed("Entsiegelte Fläche in Quadratmetern", U.COUNT, True, (0, 0), (800, 5000), "Nach Abschluss der Bauarbeiten vermessen", absolute=True),
        IndicatorSeed("Hitzebedingte Rettungseinsätze im Sommer", U.COUNT, False, (30, 120), (0.6, 0.9), "Auswertung der Leitstelle, Juni bis August"),
    ],
    "waermeplanung": [
        IndicatorSeed("Ans Wärmenetz angeschlossene Haushalte", U.COUNT, True, (0, 50), (120, 600), "Hausanschlüsse laut Netzbetreiber", absolute=True),
        IndicatorSeed("Anteil erneuerbarer Wärme", U.PERCENT, True, (5, 20), (15, 40), "Am Wärmebedarf des Quartiers", absolute=True),
        IndicatorSeed("Wärmebedarf der erfassten Gebäude", U.MWH, False, (4000, 12000), (0.8, 0.92), "Witterungsbereinigt"),
    ],
    "mobilitaet": [
        IndicatorSeed("Fahrgäste pro Monat", U.COUNT, True, (300, 2000), (1.4, 2.5), "Gezählte Fahrten im Pilotgebiet"),
        IndicatorSeed("Durchschnittliche Wartezeit", U.MINUTES, False, (30, 75), (0.3, 0.6), "Von der Buchung bis zur Abfahrt"),
        IndicatorSeed("Anteil des Radverkehrs an allen Wegen", U.PERCENT, True, (8, 20), (3, 9), "Haushaltsbefragung", absolute=True),
    ],
    "buergerbeteiligung": [
        IndicatorSeed("Teilnehmende an Beteiligungsverfahren pro Jahr", U.COUNT, True, (150, 600), (1.8, 3.5), "Online und vor Ort zusammen"),
        IndicatorSeed("Anteil der Teilnehmenden unter 30 Jahren", U.PERCENT, True, (5, 15), (8, 20), "Freiwillige Angabe bei der Anmeldung", absolute=True),
        IndicatorSeed("Zufriedenheit mit der Beteiligung", U.PERCENT, True, (40, 60), (10, 25), "Anteil „zufrieden“ oder „sehr zufrieden“ in der Befragung", absolute=True),
    ],
    "fachkraefte": [
        IndicatorSeed("Unbesetzte Stellen", U.COUNT, False, (20, 80), (0.55, 0.85), "Stichtag 30. Juni"),
        IndicatorSeed("Bewerbungen je Ausschreibung", U.COUNT, True, (2, 6), (1.5, 2.5), "Mittelwert aller Ausschreibungen eines Jahres"),
        IndicatorSeed("Tage bis zur Besetzung einer Stelle", U.DAYS, False, (90, 180), (0.6, 0.85), "Von der Ausschreibung bis zum Dienstantritt"),
    ],
    "bildung": [
        IndicatorSeed("Schulen mit digitalem Lernangebot", U.PERCENT, True, (20, 45), (25, 50), "Anteil der Schulen in Trägerschaft der Kommune", absolute=True),
        IndicatorSeed("Ausgefallene Betreuungsstunden pro Monat", U.COUNT, False, (200, 700), (0.3, 0.6), "Meldungen der Kita-Leitungen"),
        IndicatorSeed("Nutzende pro Woche", U.COUNT, True, (100, 400), (1.5, 3.0), "Anmeldungen im System"),
    ],
    "gesundheit-pflege": [
        IndicatorSeed("Betreute Haushalte", U.COUNT, True, (0, 30), (80, 250), "Haushalte mit mindestens einem Besuch im Quartal", absolute=True),
        IndicatorSeed("Vermiedene Krankenhauseinweisungen pro Jahr", U.COUNT, True, (0, 0), (10, 60), "Schätzung der beteiligten Hausarztpraxen", absolute=True),
        IndicatorSeed("Wartezeit auf einen Hausbesuch", U.DAYS, False, (10, 30), (0.4, 0.7), "Von der Anfrage bis zum ersten Besuch"),
    ],
    "wirtschaft": [
        IndicatorSeed("Leerstehende Ladenlokale in der Innenstadt", U.COUNT, False, (15, 45), (0.6, 0.85), "Begehung im Frühjahr"),
        IndicatorSeed("Neu gegründete Betriebe pro Jahr", U.COUNT, True, (20, 80), (1.2, 1.6), "Gewerbeanmeldungen ohne Ummeldungen"),
        IndicatorSeed("Eingesparte Beschaffungskosten", U.EURO, True, (0, 0), (20000, 250000), "Gegenüber den Einzelpreisen der Vorjahre", absolute=True),
    ],
    "stadtentwicklung": [
        IndicatorSeed("Bearbeitungszeit eines Bauantrags", U.DAYS, False, (70, 140), (0.5, 0.8), "Vom vollständigen Antrag bis zur Genehmigung"),
        IndicatorSeed("Wieder genutzte Leerstände", U.COUNT, True, (0, 3), (8, 25), "Flächen mit Miet- oder Nutzungsvertrag", absolute=True),
        IndicatorSeed("Besucherinnen und Besucher pro Woche", U.COUNT, True, (200, 900), (1.3, 2.2), "Zählung an zwei Wochentagen"),
    ],
    "laendlicher-raum": [
        IndicatorSeed("Fahrten pro Monat im Rufbus", U.COUNT, True, (100, 400), (1.8, 3.0), "Buchungen über App und Telefon"),
        IndicatorSeed("Ehrenamtlich Engagierte", U.COUNT, True, (20, 60), (1.3, 2.0), "Aktive in der Ehrenamtsbörse"),
        IndicatorSeed("Einwohner mit Nahversorgung in 15 Minuten", U.PERCENT, True, (40, 65), (10, 25), "Erreichbarkeitsanalyse mit dem Kreis", absolute=True),
    ],
    "sicherheit": [
        IndicatorSeed("Zeit bis zur Arbeitsfähigkeit des Krisenstabs", U.MINUTES, False, (90, 240), (0.3, 0.6), "Gemessen in der jährlichen Übung"),
        IndicatorSeed("Geschulte Mitarbeitende", U.COUNT, True, (5, 30), (3.0, 6.0), "Mit Teilnahmebescheinigung"),
        IndicatorSeed("Bevölkerung, die Warnungen erreichen", U.PERCENT, True, (40, 60), (15, 30), "Befragung nach dem Warntag", absolute=True),
    ],
    "energie": [
        IndicatorSeed("Solarstrom auf kommunalen Dächern pro Jahr", U.MWH, True, (50, 300), (1.8, 4.0), "Zählerstände der Anlagen"),
        IndicatorSeed("Energiekosten kommunaler Gebäude", U.EURO, False, (400000, 1500000), (0.8, 0.92), "Jahresrechnung, preisbereinigt"),
        IndicatorSeed("Eingesparte CO₂-Emissionen pro Jahr", U.TONNES_CO2, True, (0, 0), (60, 600), "Berechnet nach dem BISKO-Standard", absolute=True),
    ],
}  # fmt: skip

# A Förderprogramm per topic; "{land}" is the lead municipality's Land.
PROGRAMS: dict[str, list[str]] = {
    "digitale-verwaltung": ["Förderprogramm Digitale Kommune (Land {land})", "Modellprojekte Smart Cities (BMWSB)"],
    "klimaschutz": ["Kommunalrichtlinie der Nationalen Klimaschutzinitiative (BMWK)", "Klimaschutzprogramm des Landes {land}"],
    "waermeplanung": ["Bundesförderung für effiziente Wärmenetze (BEW)", "Kommunalrichtlinie der Nationalen Klimaschutzinitiative (BMWK)"],
    "mobilitaet": ["Modellprojekte zur Stärkung des ÖPNV (BMDV)", "ÖPNV-Förderung des Landes {land}"],
    "buergerbeteiligung": ["Demokratie leben! (BMFSFJ)", "Stiftungsmittel der Bürgerstiftung"],
    "fachkraefte": ["Europäischer Sozialfonds Plus (ESF Plus)", "Fachkräfteprogramm des Landes {land}"],
    "bildung": ["DigitalPakt Schule", "Europäischer Sozialfonds Plus (ESF Plus)"],
    "gesundheit-pflege": ["Förderprogramm Gesundheitsregionen (Land {land})", "Innovationsfonds (G-BA)"],
    "wirtschaft": ["Zukunftsfähige Innenstädte und Zentren (BMWSB)", "Regionale Wirtschaftsförderung (GRW)"],
    "stadtentwicklung": ["Städtebauförderung – Lebendige Zentren (BMWSB)", "Modellprojekte Smart Cities (BMWSB)"],
    "laendlicher-raum": ["LEADER (EU)", "GAK – Förderung der ländlichen Entwicklung"],
    "sicherheit": ["Förderprogramm Bevölkerungsschutz (Land {land})", "Förderprogramm Digitale Kommune (Land {land})"],
    "energie": ["Kommunalrichtlinie der Nationalen Klimaschutzinitiative (BMWK)", "Klimaschutzprogramm des Landes {land}"],
}  # fmt: skip
OWN_FUNDS = "Eigenmittel"
PARTNER_FUNDS = "Beiträge der Partnerkommunen"

# Milestones in the order a pilot goes through them; (title, share of the
# pilot's span at which it is due; negative = before the start).
MILESTONES: list[tuple[str, float]] = [
    ("Ratsbeschluss zum Pilotprojekt", -0.08),
    ("Förderbescheid liegt vor", -0.02),
    ("Ausschreibung und Vergabe abgeschlossen", 0.1),
    ("Auftakt mit den Partnerkommunen", 0.15),
    ("Start der Erprobung im ersten Stadtteil", 0.3),
    ("Zwischenbewertung mit Befragung der Nutzenden", 0.55),
    ("Ausweitung auf das gesamte Gebiet", 0.75),
    ("Abschlussbericht und Übergabe in den Regelbetrieb", 1.0),
]

ROLES = [
    "Partnerkommune",
    "Erprobung im ländlichen Raum",
    "Erprobung in einer Großstadt",
    "Mitentwicklung der Software",
    "Evaluation und Vergleichsmessung",
    "Übertragung auf den Landkreis",
    "Gemeinsame Ausschreibung",
    "Fachliche Begleitung",
]

RESULTS_OPENING = [
    "Die Erprobung hat gezeigt, dass die Lösung im Alltag der Verwaltung trägt.",
    "Nach der Pilotphase ist die Lösung in den Regelbetrieb übergegangen.",
    "Die Ziele des Konzepts wurden weitgehend erreicht, bei einem Kennwert deutlich übertroffen.",
    "Das Pilotprojekt hat mehr bewirkt als erwartet – vor allem bei den Menschen, die es nutzen.",
]
RESULTS_CLOSING = [
    "Beschlussvorlage, Leistungsbeschreibung und Kostenübersicht stehen zum Nachnutzen bereit.",
    "Die Partnerkommunen führen die Lösung ebenfalls dauerhaft weiter.",
    "Der Betrieb kostet weniger als im Konzept angenommen.",
]
INTERIM = "**Zwischenstand:** Die ersten Monate der Erprobung verlaufen nach Plan; die Kennzahlen werden laufend erhoben."

LESSONS = [
    "Den Personalrat früh einbinden: Das hat uns später Monate gespart.",
    "Eine kleine Erprobung in einem Stadtteil überzeugt den Rat mehr als jedes Konzept.",
    "Die Ausschreibung funktional formulieren, nicht auf ein Produkt zugeschnitten.",
    "Nutzerinnen und Nutzer von Anfang an testen lassen – auch Ältere und Menschen mit Behinderungen.",
    "Eine feste Ansprechperson in jeder Partnerkommune ist wichtiger als ein großer Lenkungskreis.",
    "Die Kosten für den Dauerbetrieb von Anfang an einplanen, nicht erst nach dem Ende der Förderung.",
    "Ausgangswerte vor dem Start erheben: Ohne sie lässt sich der Erfolg später kaum zeigen.",
    "Die Kommunikation nach außen braucht eigene Zeit und ein eigenes Budget.",
    "Interkommunale Zusammenarbeit spart Geld, braucht aber einen klaren Vertrag.",
    "Datenschutz und Vergaberecht früh mit der Kommunalaufsicht klären.",
]
ABORT_REASONS = [
    "Der Anbieter konnte die Schnittstelle zum Fachverfahren nicht liefern; ohne sie lohnte sich der Aufwand nicht.",
    "Die Förderung wurde nicht verlängert, und der Haushalt ließ keine Eigenmittel zu.",
    "Das Land hat eine landesweite Lösung angekündigt; eine eigene Entwicklung wäre doppelte Arbeit gewesen.",
]
ABORT_LESSONS = [
    "Abhängigkeiten von einem einzigen Anbieter vor dem Start prüfen.",
    "Einen Ausstiegspunkt mit klaren Kriterien vereinbaren – das hat uns vor weiteren Kosten bewahrt.",
    "Auch ein abgebrochenes Pilotprojekt liefert Wissen: Unsere Unterlagen helfen anderen beim nächsten Versuch.",
]

ADAPTATIONS = [
    "Statt einer eigenen App nutzen wir das Serviceportal des Landes.",
    "Wir haben mit einem Stadtteil begonnen und erst nach sechs Monaten ausgeweitet.",
    "Die Beschlussvorlage haben wir fast unverändert übernommen, die Ausschreibung an unser Vergaberecht angepasst.",
    "Gemeinsam mit zwei Nachbargemeinden umgesetzt, um die Kosten zu teilen.",
    "Zusätzlich in Leichter Sprache und auf Englisch angeboten.",
    "Den Betrieb hat unser Stadtwerk übernommen.",
    "Kleinerer Umfang: zunächst nur für die Kernverwaltung.",
    "Die Ehrenamtlichen haben wir über den Seniorenbeirat gewonnen.",
]
GIVE_UP_REASONS = [
    "Der Haushalt ließ die Eigenmittel im nächsten Jahr nicht zu.",
    "Die Stelle der Projektleitung konnte nicht besetzt werden.",
    "Unser Fachverfahren hat keine passende Schnittstelle; der Hersteller plant sie erst später.",
    "Der Gemeinderat hat sich für eine landesweite Lösung entschieden.",
    "Die Förderung des Landes wurde nicht bewilligt.",
    "Nach der Kommunalwahl haben sich die Prioritäten verschoben.",
    "Der Personalrat hat der Einführung in dieser Form nicht zugestimmt.",
]
GIVE_UP_ABORTED = "Das Pilotprojekt wurde abgebrochen; wir warten ab, ob es eine neue Lösung gibt."

# (kind, title, file stem, extension) of the documents every pilot offers.
DOCUMENTS: list[tuple[str, str, str, str]] = [
    ("ratsbeschluss", "Beschlussvorlage für den Rat", "Beschlussvorlage", ".docx"),
    (
        "ausschreibung",
        "Leistungsbeschreibung für die Ausschreibung",
        "Leistungsbeschreibung",
        ".docx",
    ),
    ("kosten", "Kostenübersicht und Finanzierungsplan", "Kostenuebersicht", ".xlsx"),
    ("bericht", "Abschlussbericht", "Abschlussbericht", ".pdf"),
]
DOCUMENT_DESCRIPTIONS = {
    "ratsbeschluss": "Vorlage mit Sachverhalt, Beschlussvorschlag und finanziellen Auswirkungen – zum Anpassen an die eigene Kommune.",
    "ausschreibung": "Funktionale Leistungsbeschreibung, wie wir sie vergeben haben, mit Hinweisen zu Eignungs- und Zuschlagskriterien.",
    "kosten": "Einmalige und laufende Kosten sowie die Finanzierung nach Quellen.",
    "bericht": "Ergebnisse, Kennzahlen und was wir gelernt haben, auf wenigen Seiten.",
}
REVISION_NOTES = [
    "Nach Hinweisen der Partnerkommunen überarbeitet.",
    "Kosten auf den aktuellen Stand gebracht.",
    "Rechtliche Hinweise nach Rückmeldung der Kommunalaufsicht ergänzt.",
]
