"""Data tables for the events demo: the 22 past Deutschlandforen, the 23rd, the
smaller formats and the external speakers.

Everything here is invented except the places: the cities and venues are
real. The Leitgedanken of 2019 to 2025 match the demo news articles.
"""

from __future__ import annotations

import datetime
from typing import TypedDict

from innoclub.events.models import EventMode


class ForumSpec(TypedDict):
    number: int
    starts_on: datetime.date
    mode: EventMode
    city: str
    venue: str
    address: str
    leitgedanke: str
    topics: list[str]
    intro: str
    keynote: str
    talks: list[str]
    workshops: list[str]
    panel: str


def _d(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, day)


_ON = EventMode.ONSITE
_HY = EventMode.HYBRID
_OL = EventMode.ONLINE

FORUMS: list[ForumSpec] = [
    {"number": 1, "starts_on": _d(2004, 10, 14), "mode": _ON, "city": "Berlin",
     "venue": "Berliner Rathaus", "address": "Rathausstraße 15, 10178 Berlin",
     "leitgedanke": "Neue Köpfe, neue Wege: Innovation beginnt im Rathaus",
     "topics": ["digitale-verwaltung", "fachkraefte"],
     "intro": "35 kommunale Führungskräfte gründen den Innovators Club und fragen, was eine Verwaltung innovativ macht.",
     "keynote": "Warum Kommunen die besseren Innovatoren sind",
     "talks": ["Das Neue Steuerungsmodell – eine Zwischenbilanz", "Innovation ohne Budget: Beispiele aus drei Rathäusern"],
     "workshops": ["Wie finden wir gute Ideen in der eigenen Belegschaft?", "Was wir voneinander lernen wollen"],
     "panel": "Brauchen Kommunen einen eigenen Innovationsclub?"},
    {"number": 2, "starts_on": _d(2005, 9, 22), "mode": _ON, "city": "Bonn",
     "venue": "World Conference Center Bonn", "address": "Platz der Vereinten Nationen 2, 53113 Bonn",
     "leitgedanke": "Bürgerkommune: Verwaltung auf Augenhöhe",
     "topics": ["buergerbeteiligung"],
     "intro": "Wie wird aus der Verwaltung für die Bürgerinnen und Bürger eine Verwaltung mit ihnen?",
     "keynote": "Von Kunden zu Mitgestaltern: das Leitbild der Bürgerkommune",
     "talks": ["Bürgerhaushalte in der Praxis", "Ehrenamt braucht Hauptamt"],
     "workshops": ["Beteiligung, die nicht enttäuscht", "Beschwerden als Verbesserungsvorschläge nutzen", "Bürgerbüros als erste Adresse"],
     "panel": "Wie viel Beteiligung verträgt die repräsentative Demokratie?"},
    {"number": 3, "starts_on": _d(2006, 9, 21), "mode": _ON, "city": "Hamburg",
     "venue": "Hamburger Rathaus", "address": "Rathausmarkt 1, 20095 Hamburg",
     "leitgedanke": "Demografie als Chance: Kommunen im Wandel",
     "topics": ["stadtentwicklung", "gesundheit-pflege"],
     "intro": "Weniger, älter, bunter: Der demografische Wandel verändert jede Kommune – aber nicht jede gleich.",
     "keynote": "Schrumpfen gestalten statt verwalten",
     "talks": ["Generationengerechte Quartiere", "Schulstandorte in Zeiten sinkender Geburtenzahlen"],
     "workshops": ["Wohnen im Alter mitten im Ort", "Junge Familien gewinnen", "Infrastruktur rückbauen, ohne Lebensqualität zu verlieren"],
     "panel": "Stadt und Land im demografischen Wandel: Konkurrenz oder Partnerschaft?"},
    {"number": 4, "starts_on": _d(2007, 9, 20), "mode": _ON, "city": "Freiburg im Breisgau",
     "venue": "Konzerthaus Freiburg", "address": "Konrad-Adenauer-Platz 1, 79098 Freiburg im Breisgau",
     "leitgedanke": "Nachhaltigkeit beginnt vor Ort",
     "topics": ["klimaschutz", "energie"],
     "intro": "Lokale Agenda, Passivhaus, Stadtbahn: Was Kommunen für die Nachhaltigkeit selbst in der Hand haben.",
     "keynote": "Die nachhaltige Stadt – Vision und Alltag",
     "talks": ["Energiesparen in kommunalen Gebäuden", "Nachhaltige Beschaffung ohne Mehrkosten"],
     "workshops": ["Ein Klimaschutzkonzept in zwölf Monaten", "Stadtwerke als Motor der Energiewende"],
     "panel": "Ökologie und Haushalt: ein Widerspruch?"},
    {"number": 5, "starts_on": _d(2008, 9, 25), "mode": _ON, "city": "Dresden",
     "venue": "Internationales Congress Center Dresden", "address": "Ostra-Ufer 2, 01067 Dresden",
     "leitgedanke": "Von der Behörde zur Dienstleisterin: E-Government in der Fläche",
     "topics": ["digitale-verwaltung"],
     "intro": "Online-Formulare gibt es viele, durchgängig digitale Verfahren wenige. Das Forum sucht den Weg in die Fläche.",
     "keynote": "E-Government: Was die Menschen wirklich brauchen",
     "talks": ["Die einheitliche Behördennummer", "Interkommunale Rechenzentren"],
     "workshops": ["Medienbruchfreie Verfahren vom Antrag bis zum Bescheid", "Digitale Angebote für kleine Gemeinden", "Datenschutz als Gestaltungsaufgabe"],
     "panel": "Wer bezahlt die digitale Verwaltung?"},
    {"number": 6, "starts_on": _d(2009, 9, 24), "mode": _ON, "city": "Nürnberg",
     "venue": "Historischer Rathaussaal Nürnberg", "address": "Rathausplatz 2, 90403 Nürnberg",
     "leitgedanke": "Handeln in der Krise: Kommunalfinanzen neu denken",
     "topics": ["wirtschaft"],
     "intro": "Die Finanzkrise ist in den Kämmereien angekommen. Wie bleiben Kommunen handlungsfähig?",
     "keynote": "Die Krise als Anlass für Reformen",
     "talks": ["Doppik: Was die neue Haushaltsführung zeigt", "Konjunkturprogramme klug einsetzen"],
     "workshops": ["Aufgabenkritik mit den Beschäftigten", "Interkommunale Zusammenarbeit als Sparmodell", "Wirtschaftsförderung in schwierigen Zeiten"],
     "panel": "Schutzschirm oder Selbstverantwortung?"},
    {"number": 7, "starts_on": _d(2010, 9, 23), "mode": _ON, "city": "Mannheim",
     "venue": "Congress Center Rosengarten", "address": "Rosengartenplatz 2, 68161 Mannheim",
     "leitgedanke": "Wissen teilen: Netzwerke als Innovationsmotor",
     "topics": ["digitale-verwaltung", "fachkraefte"],
     "intro": "Kaum eine Kommune muss ein Problem als erste lösen. Das Forum fragt, wie Wissen zwischen Rathäusern wandert.",
     "keynote": "Warum gute Lösungen nicht von selbst wandern",
     "talks": ["Wissensmanagement in der Stadtverwaltung", "Voneinander lernen: Städtepartnerschaften neu gedacht"],
     "workshops": ["Wissen sichern, bevor die Babyboomer gehen", "Kollegiale Beratung unter Bürgermeister:innen"],
     "panel": "Konkurrenz der Standorte oder Gemeinschaft der Kommunen?"},
    {"number": 8, "starts_on": _d(2011, 9, 22), "mode": _ON, "city": "Kassel",
     "venue": "Kongress Palais Kassel – Stadthalle", "address": "Holger-Börner-Platz 1, 34119 Kassel",
     "leitgedanke": "Energiewende von unten",
     "topics": ["energie", "klimaschutz"],
     "intro": "Nach dem Beschluss zum Atomausstieg fragen die Mitglieder, welche Rolle Städte und Gemeinden in der Energiewende spielen.",
     "keynote": "Die Energiewende wird in den Kommunen entschieden",
     "talks": ["Bürgerenergiegenossenschaften", "Rekommunalisierung der Netze"],
     "workshops": ["Windkraft mit der Bevölkerung planen", "Photovoltaik auf allen kommunalen Dächern", "Energieeffizienz im Bestand"],
     "panel": "Wem gehört die Energiewende?"},
    {"number": 9, "starts_on": _d(2012, 9, 20), "mode": _ON, "city": "Bremen",
     "venue": "Bremer Rathaus", "address": "Am Markt 21, 28195 Bremen",
     "leitgedanke": "Offene Daten, offene Verwaltung",
     "topics": ["digitale-verwaltung", "buergerbeteiligung"],
     "intro": "Verwaltungsdaten gehören der Öffentlichkeit. Das Forum zeigt, was aus offenen Daten entstehen kann.",
     "keynote": "Open Government: Transparenz als Haltung",
     "talks": ["Das erste kommunale Open-Data-Portal", "Ratsinformationssysteme für alle"],
     "workshops": ["Welche Daten zuerst? Eine Priorisierung", "Civic Tech: Zusammenarbeit mit Ehrenamtlichen", "Transparenz und Datenschutz zusammen denken"],
     "panel": "Wie viel Offenheit hält eine Verwaltung aus?"},
    {"number": 10, "starts_on": _d(2013, 9, 19), "mode": _ON, "city": "Rostock",
     "venue": "Rathaus Rostock", "address": "Neuer Markt 1, 18055 Rostock",
     "leitgedanke": "Ländliche Räume stärken: Daseinsvorsorge neu organisieren",
     "topics": ["laendlicher-raum", "gesundheit-pflege", "mobilitaet"],
     "intro": "Arztpraxis, Bus, Schule, Laden: Was braucht ein Dorf, und wer organisiert es?",
     "keynote": "Gleichwertige Lebensverhältnisse – ein Versprechen auf dem Prüfstand",
     "talks": ["Medizinische Versorgungszentren in kommunaler Hand", "Mobile Bürgerdienste"],
     "workshops": ["Dorfgemeinschaftshäuser als Mehrfunktionsorte", "Bürgerbusse und Mitfahrbänke", "Hausärzt:innen für das Land gewinnen"],
     "panel": "Das zehnte Forum: Was der Club in zehn Jahren bewegt hat"},
    {"number": 11, "starts_on": _d(2014, 9, 25), "mode": _ON, "city": "Stuttgart",
     "venue": "Rathaus Stuttgart", "address": "Marktplatz 1, 70173 Stuttgart",
     "leitgedanke": "Mobilität der Zukunft: vernetzt, bezahlbar, klimafreundlich",
     "topics": ["mobilitaet", "klimaschutz"],
     "intro": "Stau in der Stadt, Funkloch auf dem Land: Mobilität entscheidet über Lebensqualität.",
     "keynote": "Die Verkehrswende beginnt an der Haustür",
     "talks": ["Elektromobilität im kommunalen Fuhrpark", "Radverkehr als System"],
     "workshops": ["Mobilitätsstationen planen", "Parkraum neu verteilen", "Nahverkehr auf Bestellung"],
     "panel": "Das Auto in der Stadt von morgen"},
    {"number": 12, "starts_on": _d(2015, 9, 24), "mode": _ON, "city": "Münster",
     "venue": "Rathaus Münster, Festsaal", "address": "Prinzipalmarkt 10, 48143 Münster",
     "leitgedanke": "Ankommen und Teilhaben: Kommunen als Integrationsmotor",
     "topics": ["buergerbeteiligung", "bildung", "stadtentwicklung"],
     "intro": "Tausende Menschen suchen Schutz, und die Kommunen organisieren das Ankommen – oft über Nacht.",
     "keynote": "Integration geschieht vor Ort",
     "talks": ["Unterbringung in wenigen Tagen: ein Erfahrungsbericht", "Ehrenamtliche koordinieren"],
     "workshops": ["Sprachkurse und Arbeitsmarkt verbinden", "Wohnraum statt Sammelunterkunft", "Schulen als Orte des Ankommens", "Verwaltung in einfacher Sprache"],
     "panel": "Was Kommunen von Bund und Ländern jetzt brauchen"},
    {"number": 13, "starts_on": _d(2016, 9, 22), "mode": _ON, "city": "Heidelberg",
     "venue": "Stadthalle Heidelberg", "address": "Neckarstaden 24, 69117 Heidelberg",
     "leitgedanke": "Kommune als Plattform",
     "topics": ["digitale-verwaltung", "wirtschaft"],
     "intro": "Die Kommune muss nicht alles selbst anbieten – aber sie kann den Rahmen schaffen, in dem andere Gutes tun.",
     "keynote": "Die Plattformkommune: Ermöglichen statt Erledigen",
     "talks": ["Offene Schnittstellen für kommunale Dienste", "Stadtwerke als Datenplattform"],
     "workshops": ["Wer betreibt die Plattform?", "Lokale Wirtschaft digital sichtbar machen", "Beteiligungsplattformen, die genutzt werden"],
     "panel": "Plattformen der Kommunen oder Plattformen der Konzerne?"},
    {"number": 14, "starts_on": _d(2017, 9, 21), "mode": _ON, "city": "Magdeburg",
     "venue": "Altes Rathaus Magdeburg", "address": "Alter Markt 6, 39104 Magdeburg",
     "leitgedanke": "Digitale Daseinsvorsorge: Smart City für alle",
     "topics": ["digitale-verwaltung", "laendlicher-raum"],
     "intro": "Breitband, WLAN, digitale Dienste: Gehört die digitale Infrastruktur zur Daseinsvorsorge?",
     "keynote": "Smart City ohne Technikverliebtheit",
     "talks": ["Glasfaser für jedes Dorf", "Digitale Teilhabe älterer Menschen"],
     "workshops": ["Sensorik im Stadtraum: Nutzen und Grenzen", "Digitallotsen im Ehrenamt", "Smarte Dörfer"],
     "panel": "Wer darf die Daten der Stadt nutzen?"},
    {"number": 15, "starts_on": _d(2018, 9, 20), "mode": _ON, "city": "Darmstadt",
     "venue": "darmstadtium", "address": "Schloßgraben 1, 64283 Darmstadt",
     "leitgedanke": "Experimentierräume: Lernen aus Pilotprojekten",
     "topics": ["digitale-verwaltung", "stadtentwicklung"],
     "intro": "Pilotprojekte gibt es viele, übertragbare Ergebnisse wenige. Das Forum fragt, wie Experimente zu Erkenntnissen werden.",
     "keynote": "Scheitern erlaubt: eine Kultur des Ausprobierens",
     "talks": ["Reallabore im Stadtraum", "Experimentierklauseln im Landesrecht"],
     "workshops": ["Einen Pilot richtig evaluieren", "Vom Pilot in den Regelbetrieb", "Fehler offen besprechen"],
     "panel": "Warum Pilotprojekte so oft Piloten bleiben"},
    {"number": 16, "starts_on": _d(2019, 6, 6), "mode": _ON, "city": "Potsdam",
     "venue": "Rathaus Potsdam", "address": "Friedrich-Ebert-Straße 79–81, 14469 Potsdam",
     "leitgedanke": "Die Verwaltung als Ermöglicherin",
     "topics": ["digitale-verwaltung", "fachkraefte"],
     "intro": "Vom Verhindern zum Ermöglichen: Was eine Verwaltung braucht, um Vorhaben möglich zu machen.",
     "keynote": "Ja, wenn – statt Nein, weil",
     "talks": ["Experimentierklauseln mutig nutzen", "Ideenmanagement für alle Beschäftigten"],
     "workshops": ["Zuständigkeiten klären, bevor sie bremsen", "Fehlerkultur in der Führung", "Genehmigungen in Wochen statt Monaten"],
     "panel": "Was hindert uns am Ermöglichen?"},
    {"number": 17, "starts_on": _d(2020, 10, 1), "mode": _OL, "city": "",
     "venue": "", "address": "",
     "leitgedanke": "Nähe auf Distanz",
     "topics": ["digitale-verwaltung", "sicherheit", "laendlicher-raum"],
     "intro": "Das erste Deutschlandforum im Netz: Wie bleiben Verwaltung und Bürgerschaft sich nah, wenn man sich nicht treffen kann?",
     "keynote": "Führen auf Abstand",
     "talks": ["Krisenstäbe im Netz", "Homeoffice in der Verwaltung: eine erste Bilanz"],
     "workshops": ["Daseinsvorsorge auf dem Land", "Digitale Ratssitzungen", "Online-Beteiligung in der Pandemie", "Einsamkeit in der Krise"],
     "panel": "Was von der Krise bleiben soll"},
    {"number": 18, "starts_on": _d(2021, 9, 16), "mode": _HY, "city": "Leipzig",
     "venue": "Kongresshalle am Zoo Leipzig", "address": "Pfaffendorfer Straße 31, 04105 Leipzig",
     "leitgedanke": "Klimaschutz vor Ort",
     "topics": ["klimaschutz", "energie", "gesundheit-pflege"],
     "intro": "Was können Städte und Gemeinden selbst tun, wenn es um Klimaschutz und Klimaanpassung geht?",
     "keynote": "Klimaschutz ist Chefsache",
     "talks": ["Hitzeaktionspläne gemeinsam mit dem Gesundheitsamt", "Starkregenkarten für alle"],
     "workshops": ["Die klimaneutrale Verwaltung bis 2035", "Schwammstadt im Bestand", "Kühle Orte und Trinkbrunnen"],
     "panel": "Klimaschutz und Haushaltsrecht"},
    {"number": 19, "starts_on": _d(2022, 9, 22), "mode": _HY, "city": "Hannover",
     "venue": "Neues Rathaus Hannover", "address": "Trammplatz 2, 30159 Hannover",
     "leitgedanke": "Fachkräfte gewinnen, Fachkräfte halten",
     "topics": ["fachkraefte"],
     "intro": "Die Verwaltung steht vor einer Ruhestandswelle. Wie wird sie zur attraktiven Arbeitgeberin?",
     "keynote": "Die Verwaltung als Arbeitgeberin mit Sinn",
     "talks": ["Duale Studiengänge in Kooperation", "Quereinstieg ohne Hürden"],
     "workshops": ["Arbeitgebermarke für kleine Kommunen", "Mobiles Arbeiten dauerhaft gestalten", "Führung in Teilzeit", "Onboarding, das bindet"],
     "panel": "Tarifrecht als Bremse?"},
    {"number": 20, "starts_on": _d(2023, 9, 14), "mode": _HY, "city": "Kiel",
     "venue": "Kieler Rathaus", "address": "Fleethörn 9, 24103 Kiel",
     "leitgedanke": "Mut zur Lücke",
     "topics": ["digitale-verwaltung", "fachkraefte"],
     "intro": "Nicht jede Aufgabe muss so erledigt werden wie vor zwanzig Jahren. Was können Kommunen weglassen, um Neues zu ermöglichen?",
     "keynote": "Aufgabenkritik als Befreiung",
     "talks": ["Standards absenken, ohne Vertrauen zu verlieren", "Was wir nicht mehr tun – Beispiele aus fünf Kommunen"],
     "workshops": ["Priorisieren mit dem Rat", "Verfahren verschlanken", "Abschied von liebgewonnenen Berichten"],
     "panel": "Mut zur Lücke – mit den kommunalen Spitzenverbänden"},
    {"number": 21, "starts_on": _d(2024, 10, 1), "mode": _HY, "city": "Erfurt",
     "venue": "Rathaus Erfurt, Festsaal", "address": "Fischmarkt 1, 99084 Erfurt",
     "leitgedanke": "Vertrauen in Demokratie vor Ort",
     "topics": ["buergerbeteiligung", "sicherheit"],
     "intro": "Kommunen sind der Ort, an dem Menschen den Staat erleben. Wie gewinnen sie Vertrauen zurück?",
     "keynote": "Demokratie beginnt im Rathaus",
     "talks": ["Schutz für Amtsträger:innen vor Anfeindungen", "Transparente Entscheidungen erklären"],
     "workshops": ["Bürgerräte auslosen und ernst nehmen", "Jugendbeteiligung mit Wirkung", "Umgang mit Hass im Netz"],
     "panel": "Was hält unsere Gemeinwesen zusammen?"},
    {"number": 22, "starts_on": _d(2025, 9, 18), "mode": _HY, "city": "Karlsruhe",
     "venue": "Kongresszentrum Karlsruhe", "address": "Festplatz 9, 76137 Karlsruhe",
     "leitgedanke": "Künstliche Intelligenz in der Verwaltung",
     "topics": ["digitale-verwaltung", "fachkraefte"],
     "intro": "Vom Posteingang bis zur Bauakte: Wo hilft KI den Menschen im Rathaus, wo nicht?",
     "keynote": "Der Mensch entscheidet: KI mit Augenmaß",
     "talks": ["KI im Posteingang: ein Jahr Erfahrung", "Rechtliche Leitplanken für KI in Kommunen"],
     "workshops": ["Welche Daten darf ein System sehen?", "KI-Assistenz in der Sachbearbeitung", "Bürgerinnen und Bürgern erklären, was passiert", "Beschaffung von KI-Diensten"],
     "panel": "Wer trägt die Verantwortung, wenn die Maschine irrt?"},
]  # fmt: skip

# The 23rd Deutschlandforum, open for registration.
NEXT_FORUM: ForumSpec = {
    "number": 23, "starts_on": _d(2027, 3, 18), "mode": _HY, "city": "Frankfurt am Main",
    "venue": "Kongresshaus Kap Europa", "address": "Osloer Straße 5, 60327 Frankfurt am Main",
    "leitgedanke": "In die Fläche: Wie gute Ideen wandern",
    "topics": ["digitale-verwaltung", "waermeplanung", "mobilitaet", "laendlicher-raum"],
    "intro": "Viele Kommunen haben eine Lösung gefunden – aber nur wenige andere übernehmen sie. Das 23. Deutschlandforum fragt, wie gute Ideen von einer Kommune in viele wandern.",
    "keynote": "Kopieren ausdrücklich erwünscht",
    "talks": ["Vom Pilot zum Standard: die digitale Bauakte in 34 Kommunen", "Was Übernahmen scheitern lässt – und was hilft"],
    "workshops": ["Wärmeplanung gemeinsam mit den Nachbarn", "On-Demand-Verkehr übertragen", "Verträge und Vergabe für die Nachnutzung", "Dorfladen 2.0 in der Fläche"],
    "panel": "Wer bezahlt die Verbreitung guter Lösungen?",
}  # fmt: skip

# Second-day workshops of the 23rd, which has a full two-day program.
NEXT_FORUM_DAY2_WORKSHOPS = [
    "Open Source in der Verwaltung: gemeinsam entwickeln, gemeinsam pflegen",
    "Transfer messen: Woran erkennen wir Verbreitung?",
    "Neue Köpfe im Club: Mentoring unter Mitgliedern",
]

# Rooms of the workshops, by the number of parallel workshops.
WORKSHOP_ROOMS = ["Raum Elbe", "Raum Rhein", "Raum Main", "Raum Donau"]

# (slug, name, position, organisation, bio) — bio "" means no consent to publish.
EXTERNAL_SPEAKERS: list[tuple[str, str, str, str, str]] = [
    ("prof-dr-helga-brandstetter", "Prof. Dr. Helga Brandstetter", "Professorin für Verwaltungswissenschaft", "Universität der Verwaltung (Demo)",
     "Forscht seit zwanzig Jahren zu Verwaltungsreformen und begleitet Kommunen bei der Aufgabenkritik."),
    ("dr-felix-ammann", "Dr. Felix Ammann", "Leiter des Zentrums für Stadtforschung", "Institut für Urbanistik (Demo)",
     "Stadtforscher mit Schwerpunkt Quartiersentwicklung und demografischer Wandel."),
    ("nora-lindemann", "Nora Lindemann", "Gründerin", "Civic-Tech-Werkstatt (Demo)",
     "Baut mit Ehrenamtlichen digitale Werkzeuge für Verwaltungen und Vereine."),
    ("dr-yusuf-arslan", "Dr. Yusuf Arslan", "Referent für Integration", "Landesintegrationsrat (Demo)", ""),
    ("birte-claussen", "Birte Claußen", "Geschäftsführerin", "Energiegenossenschaft Nordsee (Demo)",
     "Hat mehr als dreißig Bürgerwindparks mit Gemeinden und Anwohner:innen geplant."),
    ("prof-dr-tobias-reinhardt", "Prof. Dr. Tobias Reinhardt", "Professor für Verkehrsplanung", "Technische Hochschule Süd (Demo)",
     "Untersucht, wie Nahverkehr auf Bestellung im ländlichen Raum wirtschaftlich wird."),
    ("sigrid-vollmer", "Sigrid Vollmer", "Datenschutzbeauftragte", "Zweckverband Kommunale Datenverarbeitung (Demo)", ""),
    ("dr-clara-weinberg", "Dr. Clara Weinberg", "Ärztin und Gesundheitsplanerin", "Gesundheitsregion Mitte (Demo)",
     "Entwickelt Versorgungsmodelle für Regionen ohne Hausarztpraxis."),
    ("malte-iversen", "Malte Iversen", "Journalist", "Freier Autor (Demo)", ""),
    ("prof-dr-anke-sommerfeld", "Prof. Dr. Anke Sommerfeld", "Professorin für Klimafolgenforschung", "Forschungszentrum Klima und Stadt (Demo)",
     "Berät Städte zu Hitzeschutz, Starkregen und grüner Infrastruktur."),
    ("jonas-petersen", "Jonas Petersen", "Leiter Digitale Transformation", "Stadtwerke-Verbund (Demo)",
     "Verantwortet offene Datenplattformen für mehrere Stadtwerke."),
    ("dr-leonie-franke", "Dr. Leonie Franke", "Arbeitspsychologin", "Institut für Arbeit im öffentlichen Dienst (Demo)", ""),
    ("hakan-oezturk", "Hakan Öztürk", "Vorstand", "Verein Jugend gestaltet (Demo)",
     "Bringt Jugendliche mit Räten und Verwaltungen an einen Tisch."),
    ("dr-eva-maria-koenigsfeld", "Dr. Eva-Maria Königsfeld", "Referatsleiterin KI-Governance", "Bundesministerium (Demo)",
     "Arbeitet an Leitlinien für den verantwortungsvollen Einsatz von KI in Behörden."),
    ("ruben-castillo", "Ruben Castillo", "Softwarearchitekt", "Open-Source-Stiftung für Verwaltungssoftware (Demo)", ""),
    ("prof-dr-ingrid-haslinger", "Prof. Dr. Ingrid Haslinger", "Professorin für öffentliches Recht", "Hochschule für Verwaltung (Demo)",
     "Kommentiert Experimentierklauseln und das Recht der digitalen Verwaltung."),
]  # fmt: skip

# Documentation texts for workshops; each names one result the workshop produced.
WORKSHOP_SUMMARIES = [
    "Die Teilnehmer:innen haben Erfahrungen aus ihren Kommunen verglichen und die drei häufigsten Hindernisse gesammelt: fehlende Zuständigkeit, knappe Zeit und Sorge vor Fehlern.",
    "Nach kurzen Impulsen aus zwei Kommunen hat die Gruppe an Fallbeispielen gearbeitet und festgehalten, was sich übertragen lässt.",
    "Der Workshop begann mit einer Bestandsaufnahme: Wer hat schon etwas ausprobiert, was hat funktioniert, was nicht?",
]
WORKSHOP_RESULTS = [
    "- Ein gemeinsamer Leitfaden wird bis zum Frühjahr entworfen.\n- Zwei Kommunen bieten Hospitationen an.\n- Die Idee geht in die Ideenschmiede.",
    "- Kleine Schritte schlagen große Konzepte.\n- Der Rat muss früh eingebunden werden.\n- Eine Mustervorlage wird im Mitgliederbereich geteilt.",
    "- Drei Kommunen starten einen gemeinsamen Pilot.\n- Die Geschäftsstelle sammelt Ansprechpersonen.\n- Im nächsten Werkstattgespräch wird berichtet.",
]

FEEDBACK_COMMENTS = [
    "Sehr gute Mischung aus Praxis und Wissenschaft.",
    "Die Workshops hätten etwas länger sein dürfen.",
    "Endlich einmal offen über Fehler gesprochen – danke!",
    "Das Podium war das Highlight.",
    "Mehr Zeit für den Austausch zwischen den Sessions wäre schön.",
    "Ich nehme zwei konkrete Ideen mit nach Hause.",
    "",
    "",
]

# Online Werkstattgespräche: (number, date, start hour, title, leitgedanke, topics)
WERKSTATT: list[tuple[int, datetime.date, int, str, str, list[str]]] = [
    (1, _d(2020, 5, 14), 16, "Krisenstab digital", "Was wir in den ersten Wochen der Pandemie gelernt haben", ["sicherheit", "digitale-verwaltung"]),
    (2, _d(2021, 2, 11), 16, "Dorfladen 2.0", "Ein Pilot aus der Ideenschmiede stellt sich vor", ["laendlicher-raum", "wirtschaft"]),
    (3, _d(2022, 11, 17), 16, "Bürgerräte in der Kommune", "Erfahrungen aus fünf Kommunen", ["buergerbeteiligung"]),
    (4, _d(2023, 11, 9), 16, "Wärmeplanung in kleinen Gemeinden", "Ein geteiltes Planungsbüro für drei Gemeinden", ["waermeplanung", "energie"]),
    (5, _d(2024, 11, 21), 16, "On-Demand-Bus auf dem Land", "Ein Jahr Rufbus ohne Fahrplan", ["mobilitaet", "laendlicher-raum"]),
    (6, _d(2025, 11, 13), 16, "KI im Posteingang", "Was die Pilotkommunen nach einem Jahr berichten", ["digitale-verwaltung"]),
    (7, _d(2026, 4, 23), 16, "Digitale Bauakte", "Vom Pilot zum Standard in 34 Kommunen", ["digitale-verwaltung", "stadtentwicklung"]),
    (8, _d(2026, 12, 10), 16, "Hitzeschutz vorbereiten", "Was Kommunen schon im Winter für den nächsten Sommer tun können", ["klimaschutz", "gesundheit-pflege"]),
]  # fmt: skip


class RegionalSpec(TypedDict):
    slug: str
    starts_on: datetime.date
    city: str
    venue: str
    address: str
    leitgedanke: str
    topics: list[str]


REGIONAL: list[RegionalSpec] = [
    {"slug": "regionaltreffen-sued-2025", "starts_on": _d(2025, 5, 22), "city": "Augsburg",
     "venue": "Rathaus Augsburg, Goldener Saal", "address": "Rathausplatz 2, 86150 Augsburg",
     "leitgedanke": "Innenstädte beleben", "topics": ["wirtschaft", "stadtentwicklung"]},
    {"slug": "regionaltreffen-sued-2027", "starts_on": _d(2027, 2, 4), "city": "Ulm",
     "venue": "Stadthaus Ulm", "address": "Münsterplatz 50, 89073 Ulm",
     "leitgedanke": "Kommunale Wärmeplanung im Verbund", "topics": ["waermeplanung", "energie"]},
]  # fmt: skip
