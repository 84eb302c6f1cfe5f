"""Demo news and publications (invented, German), seeded idempotently by ``seed_demo``."""

from __future__ import annotations

import datetime
from typing import NotRequired, TypedDict
from zoneinfo import ZoneInfo

from innoclub.accounts.models import User
from innoclub.network.models import Topic
from innoclub.news import services
from innoclub.news.models import Article, Publication, PublicationKind

BERLIN = ZoneInfo("Europe/Berlin")

# (date, title, teaser, body, topic slugs)
ARTICLES: list[tuple[datetime.date, str, str, str, list[str]]] = [
    (datetime.date(2019, 6, 14), "Deutschlandforum 2019: Die Verwaltung als Ermöglicherin",
     "Zwei Tage lang diskutierten 60 kommunale Führungskräfte in Potsdam, wie Verwaltungen vom Verhindern zum Ermöglichen kommen.",
     "Unter dem Leitgedanken **„Die Verwaltung als Ermöglicherin“** trafen sich die Mitglieder des Innovators Club in Potsdam.\n\n## Was wir mitnehmen\n\n- Experimentierklauseln helfen, wenn sie mutig genutzt werden.\n- Gute Ideen scheitern selten am Recht, oft an der Zuständigkeit.\n- Wer Fehler zulässt, bekommt mehr Vorschläge aus der eigenen Belegschaft.\n\nDie Ergebnisse der Workshops fließen in die Ideenschmiede ein.",
     ["digitale-verwaltung", "fachkraefte"]),
    (datetime.date(2019, 11, 5), "Zwölf neue Mitglieder im Innovators Club",
     "Bürgermeisterinnen, Landräte und Dezernenten aus neun Ländern verstärken den Club.",
     "Zum Jahresende begrüßt der Innovators Club zwölf neue Mitglieder. Neu dabei sind unter anderem Verantwortliche aus Sachsen, Schleswig-Holstein und dem Saarland.\n\nNeue Köpfe bringen neue Fragen mit – genau das ist gewollt.",
     []),
    (datetime.date(2020, 4, 2), "Krisenstab digital: Erfahrungen aus den ersten Wochen",
     "Wie Kommunen ihre Krisenstäbe in wenigen Tagen ins Netz verlegt haben – ein Austausch unter Mitgliedern.",
     "Die Pandemie hat die Zusammenarbeit im Club über Nacht ins Digitale verlegt. In einer Videorunde berichteten zehn Mitglieder, wie ihre Krisenstäbe arbeiten.\n\n> „Wir haben in drei Tagen geschafft, was sonst drei Jahre gedauert hätte.“\n\nDie gesammelten Hinweise stehen den Mitgliedern im Mitgliederbereich zur Verfügung.",
     ["sicherheit", "digitale-verwaltung"]),
    (datetime.date(2020, 10, 8), "Erstes Deutschlandforum im Netz",
     "Das Deutschlandforum 2020 fand vollständig online statt – mit mehr Teilnehmenden als je zuvor.",
     "Unter dem Leitgedanken **„Nähe auf Distanz“** fand das Deutschlandforum erstmals digital statt. Workshops liefen in kleinen Räumen, die Diskussionen waren lebhafter als befürchtet.\n\nVieles aus diesem Jahr bleibt: Das Forum ist seitdem hybrid.",
     ["digitale-verwaltung"]),
    (datetime.date(2021, 3, 18), "Pilotprojekt „Dorfladen 2.0“ startet in drei Gemeinden",
     "Ein rund um die Uhr geöffneter Dorfladen mit digitalem Zugang: Drei Mitgliedskommunen erproben das Konzept aus der Ideenschmiede.",
     "Die Idee entstand im Workshop „Daseinsvorsorge auf dem Land“ beim Deutschlandforum 2020. Drei Gemeinden erproben nun den **Dorfladen 2.0**: tagsüber mit Personal, abends und am Wochenende mit digitalem Zugang.\n\nDer Club begleitet die Pilotphase und wertet die Erfahrungen aus.",
     ["laendlicher-raum", "wirtschaft"]),
    (datetime.date(2021, 9, 23), "Deutschlandforum 2021: Klimaschutz vor Ort",
     "Hybrid in Leipzig und im Netz: Das 18. Deutschlandforum stand im Zeichen der kommunalen Klimapolitik.",
     "Was können Städte und Gemeinden selbst tun, wenn es um Klimaschutz und Klimaanpassung geht? Diese Frage zog sich durch Vorträge, Workshops und Diskussionen.\n\n## Drei Ergebnisse\n\n1. Hitzeaktionspläne brauchen die Gesundheitsämter von Anfang an.\n2. Starkregenkarten gehören öffentlich ins Netz.\n3. Klimaschutz ist Chefsache – oder er findet nicht statt.",
     ["klimaschutz"]),
    (datetime.date(2022, 2, 10), "Dorfladen 2.0: Bilanz nach einem Jahr",
     "Umsatz stabil, Öffnungszeiten verdreifacht: Die drei Pilotgemeinden ziehen eine positive Bilanz.",
     "Ein Jahr nach dem Start haben die Pilotgemeinden ihre Erfahrungen zusammengetragen. Die Öffnungszeiten haben sich verdreifacht, der Umsatz ist stabil, und vor allem ältere Menschen nutzen den Laden.\n\nZwei weitere Gemeinden haben angekündigt, das Konzept zu übernehmen.",
     ["laendlicher-raum"]),
    (datetime.date(2022, 6, 30), "Bürgerräte in der Kommune: Leitfaden aus dem Club",
     "Mitglieder haben ihre Erfahrungen mit losbasierten Bürgerräten in einem Leitfaden zusammengefasst.",
     "Fünf Kommunen haben in den vergangenen zwei Jahren Bürgerräte einberufen. Ihre Erfahrungen – von der Auslosung bis zur Antwort des Rats – sind jetzt in einem Leitfaden nachzulesen.\n\nDer Leitfaden steht unter [Publikationen](/publikationen/) zum Download bereit.",
     ["buergerbeteiligung"]),
    (datetime.date(2022, 9, 29), "Deutschlandforum 2022: Fachkräfte gewinnen, Fachkräfte halten",
     "Wie wird die Verwaltung zur attraktiven Arbeitgeberin? Das 19. Deutschlandforum suchte Antworten.",
     "Die Verwaltung steht vor einer Ruhestandswelle. Beim 19. Deutschlandforum diskutierten Mitglieder mit Gästen aus Wissenschaft und Wirtschaft über neue Arbeitsmodelle, duale Studiengänge und den Quereinstieg.\n\nAus den Workshops gingen vier neue Ideen für die Ideenschmiede hervor.",
     ["fachkraefte"]),
    (datetime.date(2023, 1, 19), "Fünfzehn neue Mitglieder zum Jahresbeginn",
     "Der Club wächst weiter und zählt jetzt mehr als 100 Mitglieder.",
     "Mit fünfzehn Neuaufnahmen zum Jahresbeginn hat der Innovators Club die Marke von 100 Mitgliedern überschritten. Begonnen hatte er einst mit 35 kommunalen Führungskräften.",
     []),
    (datetime.date(2023, 4, 27), "Kommunale Wärmeplanung: Kleine Kommunen gehen voran",
     "Ein Pilot aus der Ideenschmiede zeigt, wie auch Gemeinden ohne eigene Stadtwerke einen Wärmeplan aufstellen.",
     "Drei Gemeinden unter 10.000 Einwohnern haben gemeinsam einen Wärmeplan erarbeitet – mit einem geteilten Planungsbüro und einem gemeinsamen Datenmodell.\n\nDas Vorgehen ist so beschrieben, dass andere Kommunen es übernehmen können.",
     ["waermeplanung", "energie", "laendlicher-raum"]),
    (datetime.date(2023, 9, 21), "Deutschlandforum 2023: Mut zur Lücke",
     "Das 20. Deutschlandforum fragte, was Kommunen weglassen können, um Neues zu ermöglichen.",
     "Nicht jede Aufgabe muss so erledigt werden wie vor zwanzig Jahren. Unter dem Leitgedanken **„Mut zur Lücke“** ging es um Aufgabenkritik, Priorisierung und den Abschied von liebgewonnenen Verfahren.\n\nEin Höhepunkt war die Diskussion mit Vertreterinnen der kommunalen Spitzenverbände.",
     ["digitale-verwaltung", "fachkraefte"]),
    (datetime.date(2023, 12, 7), "Wärmeplan-Pilot findet Nachahmer",
     "Elf weitere Kommunen übernehmen das gemeinsame Vorgehen bei der Wärmeplanung.",
     "Was als Pilot dreier Gemeinden begann, verbreitet sich: Elf weitere Kommunen in vier Ländern übernehmen das geteilte Planungsbüro und das Datenmodell.\n\nGenau so soll es sein – was funktioniert, kommt in die Fläche.",
     ["waermeplanung", "energie"]),
    (datetime.date(2024, 3, 14), "Beitrag im Sammelband „Kommunale Innovationen“",
     "Der Leiter des Innovators Club beschreibt im Sammelband „Kommunale Innovationen“, wie der Club arbeitet.",
     "Im Sammelband **„Kommunale Innovationen“** ist der Beitrag „Der Innovators Club – ein Werkstattbericht“ erschienen. Er beschreibt die Arbeitsweise des Clubs, seine Themenschwerpunkte, unterstützte Pilotprojekte und wie die Pandemie die Zusammenarbeit verändert hat.",
     ["digitale-verwaltung"]),
    (datetime.date(2024, 6, 6), "On-Demand-Bus: Pilot im Landkreis übertrifft Erwartungen",
     "Der Rufbus ohne festen Fahrplan fährt seit einem Jahr – die Fahrgastzahlen haben sich verdoppelt.",
     "Im Pilotlandkreis fährt der On-Demand-Bus seit einem Jahr. Gebucht wird per App oder Telefon; die Fahrgastzahlen auf dem Land haben sich verdoppelt.\n\nDie Erfahrungen werden beim nächsten Deutschlandforum vorgestellt.",
     ["mobilitaet", "laendlicher-raum"]),
    (datetime.date(2024, 10, 10), "Deutschlandforum 2024: Vertrauen in Demokratie vor Ort",
     "Wie Kommunen Vertrauen zurückgewinnen: das Deutschlandforum 2024 in Erfurt.",
     "Kommunen sind der Ort, an dem Menschen Staat erleben. Beim Deutschlandforum 2024 ging es um Beteiligung, Transparenz und den Umgang mit Anfeindungen gegen Amtsträgerinnen und Amtsträger.",
     ["buergerbeteiligung", "sicherheit"]),
    (datetime.date(2025, 2, 20), "Hitzeschutz: Trinkbrunnen-Programm in 20 Städten",
     "Aus einer Idee beim Deutschlandforum ist ein Programm geworden, das inzwischen 20 Städte umsetzen.",
     "Öffentliche Trinkbrunnen, kühle Orte und ein Hitzetelefon: Das Hitzeschutzpaket aus der Ideenschmiede wird inzwischen in 20 Städten umgesetzt.",
     ["klimaschutz", "gesundheit-pflege"]),
    (datetime.date(2025, 5, 15), "Neue Mitglieder aus Ostdeutschland",
     "Acht Bürgermeisterinnen und Bürgermeister aus Sachsen, Thüringen und Brandenburg sind neu im Club.",
     "Der Club begrüßt acht neue Mitglieder aus Ostdeutschland. Sie bringen Erfahrungen mit Strukturwandel und interkommunaler Zusammenarbeit mit.",
     ["laendlicher-raum"]),
    (datetime.date(2025, 9, 25), "Deutschlandforum 2025: Künstliche Intelligenz in der Verwaltung",
     "Wo hilft KI den Menschen im Rathaus, wo nicht? Ein Bericht vom Deutschlandforum 2025.",
     "Vom Posteingang bis zur Bauakte: Beim Deutschlandforum 2025 stellten Mitglieder vor, wo sie KI bereits einsetzen – und wo sie bewusst darauf verzichten.\n\n## Leitfragen\n\n- Welche Daten darf ein System sehen?\n- Wer entscheidet am Ende?\n- Wie erklären wir Bürgerinnen und Bürgern, was passiert?",
     ["digitale-verwaltung"]),
    (datetime.date(2026, 3, 12), "Digitale Bauakte: Vom Pilot zum Standard",
     "Die digitale Bauakte aus einem Pilot von 2022 ist heute in 34 Kommunen im Einsatz.",
     "Was als Pilot in zwei Städten begann, ist zum Standard geworden: 34 Kommunen arbeiten inzwischen mit der digitalen Bauakte. Bauanträge werden im Schnitt fünf Wochen schneller beschieden.",
     ["digitale-verwaltung", "stadtentwicklung"]),
    (datetime.date(2026, 6, 18), "Innenstädte beleben: Workshop mit dem Handel",
     "Mitglieder und Vertreter des Einzelhandels haben gemeinsam Ideen für lebendige Ortskerne entwickelt.",
     "Leerstand, Onlinehandel, Mobilität: In einem Workshop haben Mitglieder mit Händlerinnen und Händlern Ideen für lebendige Innenstädte entwickelt. Zwei davon gehen als Konzept in die Ideenschmiede.",
     ["wirtschaft", "stadtentwicklung"]),
]  # fmt: skip

DRAFT = (
    "Vorschau auf das Deutschlandforum 2027",
    "Das nächste Deutschlandforum steht unter einem neuen Leitgedanken – die Vorbereitung läuft.",
    "Dieser Entwurf ist nur für die Geschäftsstelle sichtbar.",
)


class PublicationSpec(TypedDict):
    kind: PublicationKind
    title: str
    authors: str
    year: int
    abstract: str
    topics: list[str]
    article: str
    container_title: NotRequired[str]
    publisher: NotRequired[str]


PUBLICATIONS: list[PublicationSpec] = [
    {
        "kind": PublicationKind.CHAPTER,
        "title": "Der Innovators Club – ein Werkstattbericht",
        "authors": "Alexander Handschuh",
        "year": 2024,
        "container_title": "Kommunale Innovationen",
        "abstract": "Der Sammelband schließt an das Buch „Die Kraft zur Innovation in der Verwaltung“ von Hermann Hill an und versammelt Praxisbeispiele aus Städten, Gemeinden und Landkreisen. Der Beitrag legt die Arbeitsschritte und die Zusammensetzung des Innovators Club offen: vom Start mit 35 kommunalen Führungskräften bis zu mehr als 100 Mitgliedern, die Deutschlandforen als Herzstück, die thematischen Schwerpunkte, unterstützte Pilotprojekte und wie die Coronapandemie die Zusammenarbeit verändert hat.",
        "topics": ["digitale-verwaltung"],
        "article": "Beitrag im Sammelband „Kommunale Innovationen“",
    },
    {
        "kind": PublicationKind.REPORT,
        "title": "Bürgerräte in der Kommune. Ein Leitfaden aus der Praxis",
        "authors": "Innovators Club (Hrsg.)",
        "year": 2022,
        "abstract": "Fünf Kommunen berichten von ihren Bürgerräten: Auslosung, Moderation, Empfehlungen und die Antwort des Rats.",
        "topics": ["buergerbeteiligung"],
        "article": "Bürgerräte in der Kommune: Leitfaden aus dem Club",
    },
    {
        "kind": PublicationKind.DOCUMENTATION,
        "title": "Dokumentation Deutschlandforum 2023: Mut zur Lücke",
        "authors": "Geschäftsstelle des Innovators Club",
        "year": 2023,
        "abstract": "Vorträge, Workshop-Ergebnisse und Stimmen aus dem 20. Deutschlandforum.",
        "topics": ["fachkraefte"],
        "article": "Deutschlandforum 2023: Mut zur Lücke",
    },
    {
        "kind": PublicationKind.REPORT,
        "title": "Gemeinsam zum Wärmeplan. Erfahrungen kleiner Kommunen",
        "authors": "Innovators Club (Hrsg.)",
        "year": 2024,
        "abstract": "Wie Gemeinden ohne eigene Stadtwerke mit einem geteilten Planungsbüro einen Wärmeplan aufstellen – und was andere davon übernehmen können.",
        "topics": ["waermeplanung", "energie"],
        "article": "Wärmeplan-Pilot findet Nachahmer",
    },
    {
        "kind": PublicationKind.DOCUMENTATION,
        "title": "Dorfladen 2.0 – Auswertung der Pilotphase",
        "authors": "Geschäftsstelle des Innovators Club",
        "year": 2022,
        "abstract": "Öffnungszeiten, Umsatz, Nutzung: die Auswertung des Pilotprojekts in drei Gemeinden.",
        "topics": ["laendlicher-raum"],
        "article": "Dorfladen 2.0: Bilanz nach einem Jahr",
    },
]


def seed_news(*, author: User) -> tuple[int, int]:
    """Articles (one a draft) and publications that do not exist yet. Returns what was created."""
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    existing = set(Article.objects.values_list("title", flat=True))
    articles = 0
    for day, title, teaser, body, slugs in ARTICLES:
        if title in existing:
            continue
        article = services.article_create(
            author=author,
            title=title,
            teaser=teaser,
            body=body,
            topics=[topics[s] for s in slugs if s in topics],
        )
        at = datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=BERLIN)
        services.article_publish(article=article, at=at)
        articles += 1
    title, teaser, body = DRAFT
    if title not in existing:
        services.article_create(author=author, title=title, teaser=teaser, body=body)
        articles += 1
    existing_publications = set(Publication.objects.values_list("title", flat=True))
    publications = 0
    for spec in PUBLICATIONS:
        if spec["title"] in existing_publications:
            continue
        services.publication_create(
            kind=spec["kind"],
            title=spec["title"],
            authors=spec["authors"],
            year=spec["year"],
            container_title=spec.get("container_title", ""),
            publisher=spec.get("publisher", ""),
            abstract=spec["abstract"],
            topics=[topics[s] for s in spec["topics"] if s in topics],
            articles=Article.objects.filter(title=spec["article"]),
        )
        publications += 1
    return articles, publications
