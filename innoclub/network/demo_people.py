"""Invented people for the demo network: members, partners, topics and nominations.

Deterministic (a fixed random seed), idempotent (keyed by e-mail and slug).
All names are invented; the municipalities are real (demo_places).
"""

from __future__ import annotations

import datetime
import hashlib
import random

from django.utils import timezone

from innoclub.accounts.models import Role, User
from innoclub.network.models import (
    Function,
    Invitation,
    Municipality,
    MunicipalityKind,
    Nomination,
    NominationState,
    Profile,
    Sector,
    Topic,
)

FOUNDING_YEAR = 2004
FOUNDING_MEMBERS = 35
LATER_MEMBERS = 100
LEAVERS = 16

TOPICS = [
    ("digitale-verwaltung", "Digitale Verwaltung", "Online-Dienste, digitale Akten und Register, Once-Only und die Umsetzung des OZG in Städten, Gemeinden und Kreisen."),
    ("klimaschutz", "Klimaschutz und Klimaanpassung", "Klimaschutzkonzepte, Hitzeschutz, Starkregenvorsorge und die klimaneutrale Verwaltung."),
    ("waermeplanung", "Kommunale Wärmeplanung", "Wärmepläne, Wärmenetze und Wärmepumpen: wie Kommunen die Wärmewende planen und umsetzen."),
    ("mobilitaet", "Mobilität", "Nahverkehr auf dem Land, Radverkehr, On-Demand-Angebote und die Verkehrswende in der Stadt."),
    ("buergerbeteiligung", "Bürgerbeteiligung", "Beteiligungsformate online und vor Ort, Bürgerräte und Jugendbeteiligung."),
    ("fachkraefte", "Fachkräfte und Personal", "Nachwuchs gewinnen, neue Arbeitsmodelle und eine Verwaltung als attraktive Arbeitgeberin."),
    ("bildung", "Bildung und Schule", "Schulbau, digitale Schulen, Ganztag und kommunale Bildungslandschaften."),
    ("gesundheit-pflege", "Gesundheit und Pflege", "Ärztliche Versorgung auf dem Land, Pflege im Quartier und Gesundheitsregionen."),
    ("wirtschaft", "Wirtschaftsförderung", "Gründungen, Gewerbeflächen, Innenstädte und die Zusammenarbeit mit der regionalen Wirtschaft."),
    ("stadtentwicklung", "Stadtentwicklung und Wohnen", "Bezahlbarer Wohnraum, Quartiersentwicklung und lebendige Ortskerne."),
    ("laendlicher-raum", "Ländlicher Raum", "Daseinsvorsorge, Dorfläden, Coworking und interkommunale Zusammenarbeit auf dem Land."),
    ("sicherheit", "Sicherheit und Bevölkerungsschutz", "Krisenstäbe, Warnung der Bevölkerung, Cybersicherheit und Katastrophenschutz."),
    ("energie", "Energie", "Erneuerbare Energien, Bürgerenergie, Stadtwerke und kommunale Energiegesellschaften."),
]  # fmt: skip

FEMALE = ["Anna", "Katrin", "Sabine", "Julia", "Claudia", "Stefanie", "Petra", "Nicole", "Andrea", "Susanne", "Birgit", "Martina", "Sandra", "Christina", "Melanie", "Kerstin", "Anja", "Daniela", "Heike", "Silke", "Laura", "Miriam", "Franziska", "Ulrike", "Jana"]  # fmt: skip
MALE = ["Thomas", "Michael", "Andreas", "Stefan", "Frank", "Markus", "Christian", "Matthias", "Jürgen", "Peter", "Jan", "Tobias", "Alexander", "Martin", "Sebastian", "Uwe", "Holger", "Dirk", "Ralf", "Florian", "Oliver", "Bernd", "Jens", "Carsten", "Daniel"]  # fmt: skip
SURNAMES = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Braun", "Hofmann", "Zimmermann", "Hartmann", "Krüger", "Lange", "Werner", "Krause", "Lehmann", "Köhler", "Maier", "Herrmann", "König", "Walter", "Peters", "Möller", "Kaiser", "Fuchs", "Scholz", "Jung", "Hahn", "Vogel", "Friedrich", "Günther", "Keller", "Roth", "Beck", "Lorenz", "Baumann", "Franke", "Albrecht", "Ludwig", "Winter", "Simon", "Böhm", "Kraus", "Schuster", "Vogt", "Jäger", "Otto", "Sommer", "Groß", "Seidel", "Heinrich", "Brandt", "Haas", "Schreiber", "Graf", "Dietrich", "Ziegler", "Kuhn", "Pohl", "Engel", "Horn", "Busch", "Bergmann", "Thomas", "Voigt", "Sauer", "Arnold", "Wolff", "Pfeiffer", "Özdemir", "Yılmaz", "Kowalski", "Nowak", "Demir"]  # fmt: skip

HELP = [
    "Einführung der E-Akte in der gesamten Verwaltung",
    "Bürgerbeteiligung mit Bürgerräten",
    "Kommunale Wärmeplanung mit kleinen Teams",
    "On-Demand-Verkehr im ländlichen Raum",
    "Fördermittel für Digitalisierungsprojekte",
    "Interkommunale Zusammenarbeit bei IT-Diensten",
    "Hitzeaktionspläne und Trinkbrunnen",
    "Nachwuchsgewinnung über duale Studiengänge",
    "Belebung der Innenstadt nach dem Handelsrückgang",
    "Aufbau eines kommunalen Krisenstabs",
]
LOOKING = [
    "Erfahrungen mit Wärmenetzen in Altbauquartieren",
    "Partner für ein gemeinsames Pilotprojekt zur KI in der Sachbearbeitung",
    "Beispiele für digitale Bürgerbeteiligung, die wirklich genutzt wird",
    "Kommunen, die Carsharing auf dem Land betreiben",
    "Ideen gegen den Fachkräftemangel in Kitas",
    "Austausch zu Photovoltaik auf kommunalen Dächern",
    "Kontakte zur Wissenschaft für eine Evaluation",
]

PARTNERS = [
    ("gast@demo.innoclub.de", "Miriam", "Yilmaz", "Dr.", "Professorin für Verwaltungsinformatik", "Hochschule für öffentliche Verwaltung (Demo)", Sector.WISSENSCHAFT),
    ("partner1@demo.innoclub.de", "Henrik", "Sörensen", "Prof. Dr.", "Leiter Forschungsgruppe Stadtdaten", "Institut für Stadt- und Regionalforschung (Demo)", Sector.WISSENSCHAFT),
    ("partner2@demo.innoclub.de", "Aylin", "Kaya", "Dr.", "Wissenschaftliche Mitarbeiterin", "Forschungsinstitut Kommunalfinanzen (Demo)", Sector.WISSENSCHAFT),
    ("partner3@demo.innoclub.de", "Johannes", "Brenner", "", "Bereichsleiter Öffentlicher Sektor", "Softwarehaus Nord GmbH (Demo)", Sector.WIRTSCHAFT),
    ("partner4@demo.innoclub.de", "Lena", "Hartwig", "", "Geschäftsführerin", "Stadtwerke-Kooperation Süd (Demo)", Sector.WIRTSCHAFT),
    ("partner5@demo.innoclub.de", "Marco", "Rossi", "", "Partner", "Beratung für Verwaltungsmodernisierung (Demo)", Sector.WIRTSCHAFT),
    ("partner6@demo.innoclub.de", "Greta", "Lindqvist", "", "Vorständin", "Stiftung Digitale Teilhabe (Demo)", Sector.ZIVILGESELLSCHAFT),
    ("partner7@demo.innoclub.de", "Samuel", "Okafor", "", "Projektleiter Engagement", "Bürgerstiftung Ehrenamt (Demo)", Sector.ZIVILGESELLSCHAFT),
    ("partner8@demo.innoclub.de", "Ines", "Wagenknecht", "", "Referentin", "Landesnetzwerk Bürgerbeteiligung (Demo)", Sector.ZIVILGESELLSCHAFT),
    ("partner9@demo.innoclub.de", "Paul", "Ehrlich", "Dr.", "Referatsleiter Digitale Kommune", "Landesministerium des Innern (Demo)", Sector.VERWALTUNG),
    ("partner10@demo.innoclub.de", "Rebecca", "Nguyen", "", "Leiterin Kommunalberatung", "Kommunaler Spitzenverband (Demo)", Sector.VERWALTUNG),
    ("partner11@demo.innoclub.de", "Konstantin", "Weiß", "", "Abteilungsleiter", "IT-Dienstleister der Kommunen (Demo)", Sector.VERWALTUNG),
]  # fmt: skip


def _function_for(kind: str, rng: random.Random) -> tuple[str, str]:
    if kind == MunicipalityKind.LANDKREIS:
        options = [Function.LANDRAT] * 6 + [Function.DEZERNENT, Function.CDO, Function.AMTSLEITUNG]
    elif kind == MunicipalityKind.KREISFREIE_STADT:
        options = [Function.OBERBUERGERMEISTER] * 5 + [
            Function.BEIGEORDNETE,
            Function.DEZERNENT,
            Function.CDO,
            Function.AMTSLEITUNG,
        ]
    else:
        options = [Function.BUERGERMEISTER] * 6 + [
            Function.BEIGEORDNETE,
            Function.CDO,
            Function.AMTSLEITUNG,
        ]
    function = rng.choice(options)
    position = {
        Function.DEZERNENT: "Dezernent:in für Digitales und Organisation",
        Function.CDO: "Chief Digital Officer",
        Function.AMTSLEITUNG: "Leitung des Amts für Digitalisierung",
        Function.BEIGEORDNETE: "Erste:r Beigeordnete:r",
    }.get(function, "")
    return function, position


def _date(rng: random.Random, year: int, today: datetime.date) -> datetime.date:
    day = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
    return min(day, today)


def seed_topics() -> list[Topic]:
    topics = []
    for slug, name, description in TOPICS:
        topic, _created = Topic.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )
        topics.append(topic)
    return topics


def seed_people(*, demo_member: User, demo_guest: User) -> int:
    """Members with profiles across all Länder, partners, and nominations. Returns people created."""
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    today = timezone.localdate()
    topics = seed_topics()
    places = list(Municipality.objects.order_by("ags"))
    by_state: dict[str, list[Municipality]] = {}
    for place in places:
        by_state.setdefault(place.state, []).append(place)
    # Two members in every Land first, then anywhere.
    homes = [rng.choice(by_state[state]) for state in sorted(by_state) for _ in range(2)]
    total = FOUNDING_MEMBERS + LATER_MEMBERS
    homes += [rng.choice(places) for _ in range(total - len(homes))]
    rng.shuffle(homes)
    years = [FOUNDING_YEAR] * FOUNDING_MEMBERS
    # Slow growth at first, faster in recent years.
    weights = [
        1 + (year - FOUNDING_YEAR) ** 1.3 / 6 for year in range(FOUNDING_YEAR + 1, today.year + 1)
    ]
    years += rng.choices(range(FOUNDING_YEAR + 1, today.year + 1), weights=weights, k=LATER_MEMBERS)
    years.sort()
    leavers = set(
        rng.sample([i for i, year in enumerate(years) if year <= today.year - 4], LEAVERS)
    )

    created = 0
    used_names: set[tuple[str, str]] = set()
    for index, (year, home) in enumerate(zip(years, homes, strict=True)):
        first = rng.choice(FEMALE if index % 2 else MALE)
        last = rng.choice(SURNAMES)
        while (first, last) in used_names:
            last = rng.choice(SURNAMES)
        used_names.add((first, last))
        email = f"{_ascii(first)}.{_ascii(last)}@demo.innoclub.de"
        left = index in leavers
        function, position = _function_for(home.kind, rng)
        joined = _date(rng, year, today)
        # Every random value is drawn before the existence check, so that a
        # second run draws the same sequence and recognises everybody.
        fields = {
            "academic_title": rng.choice(["", "", "", "", "Dr."]),
            "function": function,
            "position": position,
            "bio": f"{rng.choice(['Seit', 'Im Amt seit', 'Tätig in der Verwaltung seit'])} {max(joined.year - rng.randint(0, 8), 1995)}. "
            f"Vorher {rng.choice(['Kämmerin/Kämmerer', 'Leitung des Hauptamts', 'Referent:in im Landesministerium', 'Projektleitung in der Wirtschaft'])}.",
            "can_help_with": rng.choice(HELP),
            "looking_for": rng.choice(LOOKING),
            "member_since": joined,
            "left_on": _date(rng, rng.randint(year + 3, today.year - 1), today) if left else None,
            "show_email": rng.random() < 0.6,
            "show_bio": rng.random() < 0.9,
            "show_looking_for": rng.random() < 0.85,
            "in_directory": rng.random() < 0.93,
            "public_listing": rng.random() < 0.4,
        }
        expertise = rng.sample(topics, rng.randint(1, 3))
        if User.objects.filter(email=email).exists():
            continue
        user = User.objects.create_user(
            email=email,
            password=None,
            first_name=first,
            last_name=last,
            role=Role.MEMBER,
            municipality=home,
            is_active=not left,
        )
        profile = Profile.objects.create(user=user, **fields)
        profile.topics.set(expertise)
        created += 1

    created += _seed_partners(topics, rng, today, demo_guest)
    _seed_demo_member(demo_member, topics)
    _seed_nominations(rng, places)
    return created


def _seed_demo_member(user: User, topics: list[Topic]) -> None:
    if hasattr(user, "profile"):
        return
    profile = Profile.objects.create(
        user=user,
        function=Function.DEZERNENT,
        position="Dezernent für Digitales und Bürgerdienste",
        bio="Verwaltungswirt, seit 2016 Dezernent. Vorher Leiter des Bürgeramts.",
        can_help_with="Digitale Bürgerdienste und die Einführung der E-Akte",
        looking_for="Erfahrungen mit KI-Assistenz in der Sachbearbeitung",
        member_since=datetime.date(2017, 3, 1),
        show_email=True,
        in_directory=True,
        public_listing=True,
    )
    profile.topics.set(
        [t for t in topics if t.slug in {"digitale-verwaltung", "buergerbeteiligung"}]
    )


def _seed_partners(
    topics: list[Topic], rng: random.Random, today: datetime.date, demo_guest: User
) -> int:
    created = 0
    for email, first, last, title, position, organisation, sector in PARTNERS:
        help_with = rng.choice(HELP)
        since = _date(rng, rng.randint(2012, today.year), today)
        public = rng.random() < 0.5
        expertise = rng.sample(topics, 2)
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=None, first_name=first, last_name=last, role=Role.GUEST
            )
            created += 1
        if hasattr(user, "profile"):
            continue
        if user == demo_guest:
            user.first_name, user.last_name = first, last
            user.save(update_fields=["first_name", "last_name"])
        profile = Profile.objects.create(
            user=user,
            academic_title=title,
            position=position,
            organisation=organisation,
            sector=sector,
            bio="Bringt die Sicht von außen in den Club und begleitet Pilotprojekte.",
            can_help_with=help_with,
            member_since=since,
            in_directory=True,
            public_listing=public,
        )
        profile.topics.set(expertise)
    return created


NOMINEES = [
    ("Sophie", "Brandl", NominationState.NOMINATED, 3),
    ("Mehmet", "Aydın", NominationState.NOMINATED, 11),
    ("Karin", "Voß", NominationState.NOMINATED, 23),
    ("Lukas", "Hoffmeister", NominationState.ACCEPTED, 6),
    ("Elena", "Petrova", NominationState.ACCEPTED, 19),
    ("Wolfgang", "Steiner", NominationState.DECLINED, 40),
    ("Nadine", "Kühn", NominationState.DECLINED, 75),
    ("Felix", "Grünwald", NominationState.INVITED, 4),
    ("Ayşe", "Çelik", NominationState.INVITED, 17),
    ("Hannah", "Lindner", NominationState.JOINED, 30),
    ("Robert", "Schäfer", NominationState.JOINED, 90),
]


def _seed_nominations(rng: random.Random, places: list[Municipality]) -> None:
    nominators = list(User.objects.filter(role=Role.MEMBER, is_active=True).order_by("pk")[:30])
    staff = User.objects.filter(role=Role.STAFF).order_by("pk").first()
    now = timezone.now()
    for first, last, state, age_days in NOMINEES:
        email = f"{_ascii(first)}.{_ascii(last)}@beispiel-kommune.de"
        home = rng.choice(places)
        function, position = _function_for(home.kind, rng)
        nominator = rng.choice(nominators)
        help_text = rng.choice(HELP).lower()
        secret = rng.random()
        if Nomination.objects.filter(email=email).exists():
            continue
        created_at = now - datetime.timedelta(days=age_days)
        nomination = Nomination.objects.create(
            nominated_by=nominator,
            first_name=first,
            last_name=last,
            function=function,
            position=position,
            municipality=home,
            email=email,
            reason=f"{first} {last} hat in {home.name} {help_text} vorangebracht und würde den Club bereichern.",
            state=state,
        )
        decided = state != NominationState.NOMINATED
        extra: dict[str, object] = {"created_at": created_at, "state_changed_at": created_at}
        if decided:
            extra.update(
                decided_by=staff,
                decided_at=created_at + datetime.timedelta(days=2),
                state_changed_at=created_at + datetime.timedelta(days=2),
                decision_reason=(
                    "Die Kommune ist bereits durch zwei Mitglieder vertreten; wir kommen im nächsten Jahr darauf zurück."
                    if state == NominationState.DECLINED
                    else ""
                ),
            )
        Nomination.objects.filter(pk=nomination.pk).update(**extra)
        if state == NominationState.INVITED:
            Invitation.objects.create(
                nomination=nomination,
                email=email,
                # A token nobody knows: the demo shows an open invitation, nobody can use it.
                token_hash=hashlib.sha256(f"demo-{email}-{secret}".encode()).hexdigest(),
                created_by=staff,
                expires_at=now + datetime.timedelta(days=14 - age_days),
            )
        if state == NominationState.JOINED:
            user = User.objects.create_user(
                email=email,
                password=None,
                first_name=first,
                last_name=last,
                role=Role.MEMBER,
                municipality=home,
            )
            Profile.objects.create(
                user=user,
                function=function,
                position=position,
                member_since=(created_at + datetime.timedelta(days=10)).date(),
                in_directory=True,
            )
            Nomination.objects.filter(pk=nomination.pk).update(joined_user=user)


def _ascii(name: str) -> str:
    table = str.maketrans(
        {
            "ä": "ae",
            "ö": "oe",
            "ü": "ue",
            "ß": "ss",
            "ı": "i",
            "ş": "s",
            "ç": "c",
            "ğ": "g",
            " ": "-",
        }
    )
    return name.lower().translate(table)
