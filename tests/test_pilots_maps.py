"""The transfer map: TopoJSON decoding, projection, markers, table, optional tiles."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from innoclub.pilots import maps
from innoclub.pilots.maps import Role

# A quantized topology as in the specification's example: a square built from
# two arcs, the second used reversed, and a transform of 0.5 units per step.
SQUARE = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.5], "translate": [10, 50]},
    "arcs": [
        [[0, 0], [2, 0], [0, 2]],  # (10,50) → (11,50) → (11,51)
        [[0, 0], [0, 2], [2, 0]],  # (10,50) → (10,51) → (11,51)
    ],
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "arcs": [[0, -2]], "id": "999"},
                {"type": "MultiPolygon", "arcs": [[[0, -2]], [[1, -1]]], "id": "998"},
            ],
        }
    },
}


MARBURG = (18, 41)  # the map cell of 8.77° E, 50.81° N
KASSEL = (22, 37)


def test_quantized_arcs_are_delta_decoded_and_transformed():
    arcs = maps.decode_arcs(SQUARE)

    assert arcs[0] == [(10.0, 50.0), (11.0, 50.0), (11.0, 51.0)]
    assert arcs[1] == [(10.0, 50.0), (10.0, 51.0), (11.0, 51.0)]


def test_a_ring_joins_its_arcs_reversing_negative_indexes_and_keeping_shared_points_once():
    arcs = maps.decode_arcs(SQUARE)

    ring = maps.ring(arcs, [0, -2])

    assert ring == [(10.0, 50.0), (11.0, 50.0), (11.0, 51.0), (10.0, 51.0), (10.0, 50.0)]


def test_polygons_and_multipolygons_become_lists_of_rings():
    polygon = maps.polygons(SQUARE, maps.country(SQUARE, "999"))
    multi = maps.polygons(SQUARE, maps.country(SQUARE, "998"))

    assert len(polygon) == 1 and len(polygon[0]) == 1
    assert len(multi) == 2
    assert multi[1][0][0] == (10.0, 50.0)


def test_an_unknown_country_is_refused():
    with pytest.raises(LookupError):
        maps.country(SQUARE, "276")


def test_germany_is_read_from_the_npm_package_and_fits_the_view_box():
    outline = maps.germany()

    assert outline.path.startswith("M")
    assert outline.path.count("Z") >= 2  # the mainland and islands in the North and Baltic Sea
    assert outline.frame.width == maps.WIDTH
    assert 500 < outline.frame.height < 700  # Germany is taller than wide
    assert maps.germany() is outline  # read once per process


def test_the_projection_puts_berlin_north_east_of_munich_and_both_inside_the_map():
    frame = maps.germany().frame

    berlin = frame.project(13.40, 52.52)
    munich = frame.project(11.58, 48.14)

    assert berlin[0] > munich[0] and berlin[1] < munich[1]
    for x, y in (berlin, munich):
        assert 0 < x < frame.width and 0 < y < frame.height


def test_every_role_has_its_own_shape_and_the_weak_ones_are_not_filled():
    paths = {role: maps.marker_path(role, 10, 10) for role in Role}
    markers = {role: maps.Marker(role, paths[role]) for role in Role}

    assert len(set(paths.values())) == len(Role)
    assert markers[Role.INTERESTED].fill == "#ffffff"
    assert markers[Role.GIVEN_UP].fill == "none"
    assert markers[Role.LEAD].fill == maps.ROLE_COLOURS[Role.LEAD]


def test_a_municipality_lies_in_the_cell_whose_centre_is_near_it():
    longitude, latitude = maps.cell_centre(MARBURG)

    assert abs(longitude - 8.77) <= 0.1 and abs(latitude - 50.81) <= 0.0625


def test_the_map_draws_one_path_per_role_with_the_strongest_on_top():
    cells = {MARBURG: Role.IMPLEMENTED, KASSEL: Role.LEAD, (18, 42): Role.GIVEN_UP}

    drawn = maps.transfer_map(cells, [Role.GIVEN_UP, Role.LEAD, Role.IMPLEMENTED, Role.PARTICIPANT])

    assert [m.role for m in drawn.markers] == [Role.GIVEN_UP, Role.IMPLEMENTED, Role.LEAD]
    assert drawn.markers[0].path.count("M") == 2  # a cross: two strokes
    assert [m.role for m in drawn.legend] == [
        Role.LEAD,
        Role.PARTICIPANT,
        Role.IMPLEMENTED,
        Role.GIVEN_UP,
    ]
    assert drawn.cells == 3
    assert drawn.tiles == []


def test_a_map_without_places_has_no_markers():
    drawn = maps.transfer_map({}, [Role.PREPARING])

    assert drawn.markers == []
    assert [m.role for m in drawn.legend] == [Role.PREPARING]


def test_without_a_tile_server_no_tiles_and_no_other_host(settings):
    settings.INNOCLUB_MAP_TILE_URL = ""

    assert maps.tile_template() == ""
    assert maps.transfer_map({MARBURG: Role.LEAD}, [Role.LEAD]).tile_host == ""


def test_a_configured_tile_server_covers_germany_with_six_tiles(settings):
    settings.INNOCLUB_MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"

    drawn = maps.transfer_map({MARBURG: Role.LEAD}, [Role.LEAD])

    assert [t.href for t in drawn.tiles] == [
        f"https://tiles.example.org/6/{x}/{y}.png" for y in (20, 21, 22) for x in (33, 34)
    ]
    assert drawn.tile_host == "tiles.example.org"
    first = drawn.tiles[0]
    assert float(first.x) <= 0 and float(first.y) <= 0  # the first tile starts at or before the map


@pytest.mark.parametrize(
    "value",
    ["http://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org/{z}/{x}.png"],
)
def test_a_malformed_tile_server_fails_loudly(settings, value):
    settings.INNOCLUB_MAP_TILE_URL = value

    with pytest.raises(ImproperlyConfigured):
        maps.tile_template()
