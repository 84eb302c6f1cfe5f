"""The transfer map: Germany's outline with the municipalities of pilots on it.

Drawn on the server as inline SVG, with no JavaScript and no request to any
other host. The outline comes from Natural Earth through the npm package
``world-atlas`` (TopoJSON, decoded here); it is read and projected once per
process. Municipalities are placed with the spherical Web Mercator projection:
over Germany's eight degrees of latitude it keeps shapes true, and it is the
projection of map tiles, so an operator's tile server
(``INNOCLUB_MAP_TILE_URL``) lines up under the outline without reprojection.

Every marker kind has its own shape as well as its colour, so the map reads
without colour; a table beside it carries the same data.
"""

from __future__ import annotations

import enum
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, wraps
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

GERMANY = "276"  # ISO 3166-1 numeric, the id of the country in world-atlas
WIDTH = 440.0  # of the viewBox; the SVG scales to its container
PADDING = 8.0
TILE_ZOOM = 6  # six 256-pixel tiles cover Germany at about the map's size
TILE_SIZE = 256


def atlas_path() -> Path:
    return Path(settings.BASE_DIR) / "node_modules" / "world-atlas" / "countries-50m.json"


# --- TopoJSON -------------------------------------------------------------------
# The format: https://github.com/topojson/topojson-specification. Arcs are lists
# of positions; in a quantized topology (one with a "transform") each position
# after the first is the difference to the previous one, and integer positions
# become coordinates by multiplying with "scale" and adding "translate". A
# negative arc index ~i means arc i reversed. Consecutive arcs of a ring share
# their end point, which is kept once.

Position = tuple[float, float]
Ring = list[Position]


def decode_arcs(topology: dict[str, Any]) -> list[list[Position]]:
    """Every arc of ``topology`` as longitude/latitude positions."""
    transform = topology.get("transform")
    if transform is None:
        return [[(p[0], p[1]) for p in arc] for arc in topology["arcs"]]
    (kx, ky), (tx, ty) = transform["scale"], transform["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        positions = []
        for dx, dy, *_rest in arc:
            x += dx
            y += dy
            positions.append((x * kx + tx, y * ky + ty))
        arcs.append(positions)
    return arcs


def ring(arcs: list[list[Position]], indexes: list[int]) -> Ring:
    """Stitch one linear ring from arc indexes."""
    points: Ring = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def polygons(topology: dict[str, Any], geometry: dict[str, Any]) -> list[list[Ring]]:
    """The polygons (each an exterior ring and its holes) of a Polygon or MultiPolygon."""
    arcs = decode_arcs(topology)
    if geometry["type"] == "Polygon":
        parts = [geometry["arcs"]]
    elif geometry["type"] == "MultiPolygon":
        parts = geometry["arcs"]
    else:
        raise ValueError(f"Not an area: {geometry['type']}")
    return [[ring(arcs, indexes) for indexes in polygon] for polygon in parts]


def country(topology: dict[str, Any], country_id: str) -> dict[str, Any]:
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("id") == country_id:
            return dict(geometry)
    raise LookupError(f"Country {country_id} is not in the atlas")


# --- Projection ---------------------------------------------------------------


def mercator(longitude: float, latitude: float) -> Position:
    """Web Mercator as fractions of the world's width: (0, 0) is 180° W, 85° N."""
    u = (longitude + 180.0) / 360.0
    phi = math.radians(latitude)
    v = (1.0 - math.log(math.tan(math.pi / 4 + phi / 2)) / math.pi) / 2.0
    return u, v


@dataclass(frozen=True)
class Frame:
    """Where a Mercator rectangle lands in the SVG's viewBox."""

    left: float
    top: float
    scale: float
    width: float
    height: float

    def project(self, longitude: float, latitude: float) -> Position:
        u, v = mercator(longitude, latitude)
        return (u - self.left) * self.scale, (v - self.top) * self.scale


@dataclass(frozen=True)
class Outline:
    frame: Frame
    path: str  # the SVG path data of Germany


@cache
def germany() -> Outline:
    """Germany's outline, projected and fitted to the viewBox (read once per process)."""
    with atlas_path().open(encoding="utf-8") as atlas:
        topology = json.load(atlas)
    shapes = polygons(topology, country(topology, GERMANY))
    points = [mercator(*p) for polygon in shapes for rings in polygon for p in rings]
    left, right = min(u for u, _v in points), max(u for u, _v in points)
    top, bottom = min(v for _u, v in points), max(v for _u, v in points)
    scale = (WIDTH - 2 * PADDING) / (right - left)
    frame = Frame(
        left=left - PADDING / scale,
        top=top - PADDING / scale,
        scale=scale,
        width=WIDTH,
        height=round((bottom - top) * scale + 2 * PADDING, 1),
    )
    commands = []
    for polygon in shapes:
        for rings in polygon:
            xy = [frame.project(*p) for p in rings]
            commands.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in xy) + "Z")
    return Outline(frame=frame, path="".join(commands))


# --- Markers ------------------------------------------------------------------


class Role(enum.Enum):
    """What a municipality is to a pilot, in the order markers are drawn (last on top)."""

    GIVEN_UP = "aufgegeben"
    INTERESTED = "interessiert"
    PREPARING = "vorbereitung"
    IMPLEMENTED = "umgesetzt"
    PARTICIPANT = "partner"
    LEAD = "lead"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS: dict[Role, Promise] = {
    Role.LEAD: _("lead municipality"),
    Role.PARTICIPANT: _("participating municipality"),
    Role.IMPLEMENTED: _("adoption: implemented"),
    Role.PREPARING: _("adoption: in preparation"),
    Role.INTERESTED: _("adoption: interested"),
    Role.GIVEN_UP: _("adoption: given up"),
}
# Presentation attributes, so the map reads before any stylesheet applies;
# transfer.css overrides them for dark mode and forced colours.
ROLE_COLOURS: dict[Role, str] = {
    Role.LEAD: "#5b1a7a",
    Role.PARTICIPANT: "#00676b",
    Role.IMPLEMENTED: "#16305f",
    Role.PREPARING: "#2f62c8",
    Role.INTERESTED: "#2f62c8",
    Role.GIVEN_UP: "#b3140c",
}


def marker_path(role: Role, x: float, y: float, size: float = 7.0) -> str:
    """The path data of ``role``'s symbol centred on (x, y)."""
    s = size
    if role is Role.LEAD:
        h = s * 0.85
        return f"M{x - h:.1f},{y - h:.1f}h{2 * h:.1f}v{2 * h:.1f}h{-2 * h:.1f}Z"
    if role is Role.PARTICIPANT:
        return f"M{x:.1f},{y - s:.1f}L{x + s:.1f},{y:.1f}L{x:.1f},{y + s:.1f}L{x - s:.1f},{y:.1f}Z"
    if role is Role.PREPARING:
        return f"M{x:.1f},{y - s:.1f}L{x + s:.1f},{y + s * 0.8:.1f}L{x - s:.1f},{y + s * 0.8:.1f}Z"
    if role is Role.GIVEN_UP:
        c = s * 0.7
        return (
            f"M{x - c:.1f},{y - c:.1f}L{x + c:.1f},{y + c:.1f}"
            f"M{x + c:.1f},{y - c:.1f}L{x - c:.1f},{y + c:.1f}"
        )
    r = s * (0.8 if role is Role.IMPLEMENTED else 0.7)
    return f"M{x - r:.1f},{y:.1f}a{r:.1f},{r:.1f} 0 1 0 {2 * r:.1f},0a{r:.1f},{r:.1f} 0 1 0 {-2 * r:.1f},0Z"


@dataclass(frozen=True)
class Marker:
    role: Role
    path: str

    @property
    def kind(self) -> str:
        return self.role.value

    @property
    def colour(self) -> str:
        return ROLE_COLOURS[self.role]

    @property
    def fill(self) -> str:
        if self.role is Role.GIVEN_UP:
            return "none"
        return "#ffffff" if self.role is Role.INTERESTED else self.colour

    @property
    def stroke(self) -> str:
        """Filled symbols get a white rim, so that neighbours stay apart."""
        return self.colour if self.role in (Role.INTERESTED, Role.GIVEN_UP) else "#ffffff"

    @property
    def stroke_width(self) -> str:
        return "1.5" if self.stroke == "#ffffff" else "2.5"


# --- Cells -------------------------------------------------------------------
# However many municipalities a map shows, it draws at most one marker per cell
# of a grid about a marker wide: closer markers would cover each other anyway,
# and the page stays the same size with ten or ten thousand places. The grid
# runs in degrees so that the database can group by it (``cell_of``); a cell is
# 0.2° of longitude by 0.125° of latitude, about 10 by 9 units of the viewBox.
CELL_WEST = 5.0
CELL_NORTH = 56.0
CELLS_PER_LONGITUDE = 5
CELLS_PER_LATITUDE = 8

Cell = tuple[int, int]


def cell_centre(cell: Cell) -> Position:
    """The longitude and latitude of the middle of ``cell``."""
    column, row = cell
    return (
        CELL_WEST + (column + 0.5) / CELLS_PER_LONGITUDE,
        CELL_NORTH - (row + 0.5) / CELLS_PER_LATITUDE,
    )


@dataclass(frozen=True)
class Tile:
    href: str
    x: str
    y: str
    size: str


@dataclass(frozen=True)
class TransferMap:
    width: float
    height: float
    outline: str
    markers: list[Marker]  # one path per role, all its cells; weakest first
    legend: list[Marker]  # one per role on the map, drawn at the legend's origin
    cells: int  # markers drawn
    tiles: list[Tile]
    tile_host: str

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:.0f} {self.height:.0f}"


def transfer_map(cells: dict[Cell, Role], roles: Iterable[Role]) -> TransferMap:
    """The map of ``cells`` (each with the strongest role in it), with a legend of ``roles``.

    The marks of one role are drawn as one path, the strongest role last, on top.
    """
    outline = germany()
    frame = outline.frame
    by_role: dict[Role, list[str]] = {}
    for cell, role in sorted(cells.items()):
        x, y = frame.project(*cell_centre(cell))
        by_role.setdefault(role, []).append(marker_path(role, x, y))
    order = list(Role)
    template = tile_template()
    return TransferMap(
        width=frame.width,
        height=frame.height,
        outline=outline.path,
        markers=[Marker(role, "".join(by_role[role])) for role in order if role in by_role],
        legend=[
            Marker(role, marker_path(role, 9, 9))
            for role in sorted(set(roles), key=lambda r: -order.index(r))
        ],
        cells=len(cells),
        tiles=tiles(frame, template) if template else [],
        tile_host=(urlsplit(template).hostname or "") if template else "",
    )


# --- Optional tile background -------------------------------------------------


def tile_template() -> str:
    """The operator's tile URL with ``{z}``, ``{x}`` and ``{y}``, or "" (no tiles)."""
    template: str = settings.INNOCLUB_MAP_TILE_URL
    if not template:
        return ""
    parts = urlsplit(template)
    if parts.scheme != "https" or not parts.hostname:
        raise ImproperlyConfigured(
            f"INNOCLUB_MAP_TILE_URL={template!r} must be an https:// address."
        )
    if any(f"{{{name}}}" not in template for name in "zxy"):
        raise ImproperlyConfigured(
            f"INNOCLUB_MAP_TILE_URL={template!r} must contain {{z}}, {{x}} and {{y}}."
        )
    return template


def tiles(frame: Frame, template: str) -> list[Tile]:
    """The tiles at ``TILE_ZOOM`` that cover the frame, placed in viewBox units."""
    count = 2**TILE_ZOOM
    size = frame.scale / count
    first_x, first_y = math.floor(frame.left * count), math.floor(frame.top * count)
    last_x = math.floor((frame.left + frame.width / frame.scale) * count)
    last_y = math.floor((frame.top + frame.height / frame.scale) * count)
    return [
        Tile(
            href=template.replace("{z}", str(TILE_ZOOM))
            .replace("{x}", str(tx))
            .replace("{y}", str(ty)),
            x=f"{(tx / count - frame.left) * frame.scale:.1f}",
            y=f"{(ty / count - frame.top) * frame.scale:.1f}",
            size=f"{size:.1f}",
        )
        for ty in range(first_y, last_y + 1)
        for tx in range(first_x, last_x + 1)
    ]


View = Callable[..., HttpResponseBase]


def allow_map_tiles(view: View) -> View:
    """Let a page with a map load the operator's tiles (Content Security Policy).

    Without a configured tile server the policy stays as strict as everywhere.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        template = tile_template()
        if template:
            parts = urlsplit(template)
            # django-csp reads this attribute (what its csp_update decorator sets).
            response._csp_update = {"img-src": [f"{parts.scheme}://{parts.netloc}"]}  # type: ignore[attr-defined]
        return response

    return wrapped


tile_template()  # a malformed setting stops start-up rather than a page
