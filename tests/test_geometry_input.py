"""Geometry the way field staff give it: coordinates typed in decimal degrees, degrees-
minutes-seconds, UTM or MGRS (one position a line), GPX and KML files from GPS devices,
read to exact coordinates; every problem names its line; a polygon that crosses itself
is refused, on the page's endpoint and when a record is saved.

The GPX and KML files are written here, in the shape Garmin devices and Google Earth
export them (GPX 1.1 with waypoints and a track; KML 2.2 placemarks; a KMZ archive)."""

from __future__ import annotations

import io
import zipfile

import pytest
from shapely.geometry import LineString, Point, Polygon
from tests.web_fixtures import web_on

from demine.errors import ImportRejected
from demine.ingest.coordinates import Shape, parse_position, read_coordinates, read_odk_geometry
from demine.ingest.geometry_input import geodesic_area_m2, typed_geometry, uploaded_geometry
from demine.ingest.gps_files import read_gps_file
from demine.store.engine import Store

LAT = 40 + 20 / 60 + 31 / 3600  # 40°20'31"N
LON = 46 + 55 / 60 + 55 / 3600  # 46°55'55"E


@pytest.mark.parametrize(
    "line",
    [
        "40°20'31\"N 46°55'55\"E",
        "40°20′31″N, 46°55′55″E",  # primes as typed on a phone
        "40° 20' 31\" N  46° 55' 55\" E",
        "N40°20'31\" E46°55'55\"",
        "N 40 20 31 E 46 55 55",
        "40 20 31 N 46 55 55 E",
        "40:20:31N 46:55:55E",
        "46°55'55\"E 40°20'31\"N",  # longitude first, said by its letter
        "40°20'31'' N 46°55'55'' E",  # two single quotes for seconds
        "40°20'31\" 46°55'55\"",  # no letters: latitude first
        "40 20 31 46 55 55",
    ],
)
def test_degrees_minutes_seconds(line: str) -> None:
    lon, lat = parse_position(line)
    assert lat == pytest.approx(LAT, abs=1e-12)
    assert lon == pytest.approx(LON, abs=1e-12)


@pytest.mark.parametrize(
    ("line", "lon", "lat"),
    [
        ("40.341944 46.931944", 46.931944, 40.341944),
        ("40.341944, 46.931944", 46.931944, 40.341944),
        ("40,341944 46,931944", 46.931944, 40.341944),  # decimal commas
        ("40,341944; 46,931944", 46.931944, 40.341944),
        ("40.341944°N 46.931944°E", 46.931944, 40.341944),
        ("N40.341944 E46.931944", 46.931944, 40.341944),
        ("-33.45 -70.66", -70.66, -33.45),
        ("33°27'S 70°39.6'W", -70.66, -33.45),  # degrees and decimal minutes
        ("40°20.5'N 46°55.9'E", 46 + 55.9 / 60, 40 + 20.5 / 60),
    ],
)
def test_decimal_degrees_and_minutes(line: str, lon: float, lat: float) -> None:
    assert parse_position(line) == (pytest.approx(lon, abs=1e-12), pytest.approx(lat, abs=1e-12))


def test_utm_on_the_central_meridian_at_the_equator_is_exact() -> None:
    # Zone 38's central meridian is 45°E; the equator is northing 0 in the north.
    assert parse_position("38N 500000 0") == (pytest.approx(45.0, abs=1e-9), pytest.approx(0.0))
    assert parse_position("38 north 500000mE 0mN") == parse_position("38N 500000 0")


def test_utm_and_mgrs_of_the_same_place_agree() -> None:
    # pyproj (PROJ) reads UTM, the mgrs library (GeoTrans) MGRS: two implementations.
    # MGRS gives the centre of its 1 m square, so they agree to half a metre.
    utm = parse_position("38T 578000 4466000")
    for reference in ("38TNK7800066000", "38T NK 78000 66000", "38tnk 78000 66000"):
        mgrs = parse_position(reference)
        assert mgrs[0] == pytest.approx(utm[0] + 0.5 / 85_000, abs=2e-6)
        assert mgrs[1] == pytest.approx(utm[1] + 0.5 / 111_000, abs=2e-6)
    assert utm == (pytest.approx(45.9183569, abs=1e-7), pytest.approx(40.3409039, abs=1e-7))
    # Zone 39 (eastern Azerbaijan, near Baku): GeoTrans names PROJ's point by the same
    # metres, and reads its own reference back to it.
    import mgrs

    lon, lat = parse_position("39T 412000 4470000")
    assert mgrs.MGRS().toMGRS(lat, lon) == "39TVE1200070000"
    back = parse_position("39TVE1200070000")
    assert back == (pytest.approx(lon, abs=2e-5), pytest.approx(lat, abs=2e-5))


def test_mgrs_of_null_island() -> None:
    lon, lat = parse_position("31NAA6602100000")
    assert lon == pytest.approx(0.0, abs=1e-5) and lat == pytest.approx(0.0, abs=1e-5)
    # A 1 km reference is the centre of its square kilometre.
    lon_km, lat_km = parse_position("38TNK7866")
    assert parse_position("38T 578500 4466500") == (
        pytest.approx(lon_km, abs=1e-9),
        pytest.approx(lat_km, abs=1e-9),
    )


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("40°61'N 46°E", "minutes and seconds run from 0 to 59 (got 61)"),
        ("95 46", "latitude 95 is beyond 90°"),
        ("40.1", "cannot tell where the latitude ends and the longitude begins"),
        ("40.1N 46.2N", "give one latitude (N or S) and one longitude (E or W)"),
        ("38 578000 4466000", "say the UTM zone's latitude band (38T) or hemisphere (38 north)"),
        ("61N 578000 4466000", "UTM zones run from 1 to 60 (got 61)"),
        (
            "38TNK780006600",
            "an MGRS reference has as many easting digits as northing digits (up to 5 each)",
        ),
        ("forty north", "unexpected text 'FORTY'"),
    ],
)
def test_a_bad_line_says_what_is_wrong(line: str, reason: str) -> None:
    with pytest.raises(ImportRejected) as refused:
        read_coordinates(f"40.1 46.9\n{line}\n")
    [problem] = refused.value.problems
    assert (problem.row, problem.field, problem.reason) == (2, "coordinates", f"line 2: {reason}")


def test_lines_make_a_point_a_line_or_a_polygon() -> None:
    assert read_coordinates("40.1 46.9") == Point(46.9, 40.1)
    assert read_coordinates("40.1 46.9\n40.2 46.9") == LineString([(46.9, 40.1), (46.9, 40.2)])
    ring = "40.1 46.9\n40.1 46.91\n40.11 46.91\n"
    square = Polygon([(46.9, 40.1), (46.91, 40.1), (46.91, 40.11)])
    assert read_coordinates(ring, Shape.POLYGON).equals(square)
    assert read_coordinates(ring + "40.1 46.9\n").equals(square)  # closed: a polygon
    assert read_coordinates("POINT (46.9 40.1)") == Point(46.9, 40.1)  # WKT as it is
    with pytest.raises(ImportRejected) as refused:
        read_coordinates("POLYGON ((46.9 40.1, 46.91 40.11, 46.91 40.1, 46.9 40.11, 46.9 40.1))")
    assert refused.value.problems[0].reason.startswith(
        "the polygon crosses itself near latitude 40.10500, longitude 46.90500"
    )
    for wkt, reason in [
        ("POLYGON EMPTY", "the WKT holds no position that can be used"),
        ("POINT (40.1 146.9)", "the WKT has positions off the globe (longitude first)"),
    ]:
        with pytest.raises(ImportRejected) as refused:
            read_coordinates(wkt)
        assert refused.value.problems[0].reason == reason
    with pytest.raises(ImportRejected, match="problem"):
        read_coordinates("40.1 46.9\n40.2 46.9", Shape.POINT)


def test_a_typed_polygon_that_crosses_itself_names_the_sides() -> None:
    bow_tie = "40.1 46.9\n40.1 46.91\n\n40.11 46.9\n40.11 46.91\n"
    with pytest.raises(ImportRejected) as refused:
        read_coordinates(bow_tie, Shape.POLYGON)
    [problem] = refused.value.problems
    assert problem.reason == (
        "line 2: the polygon crosses itself: the side from line 2 to line 4 crosses the side "
        "from line 5 to line 1"
    )


def test_the_area_is_geodesic() -> None:
    # A 0.01° × 0.01° cell at 40°N: 1,110.35 m (meridian radius of curvature M × 0.01°)
    # by 853.88 m (N cos φ × 0.01°) on the WGS 84 ellipsoid, at its middle latitude.
    given = typed_geometry("40 46\n40 46.01\n40.01 46.01\n40.01 46\n40 46")
    assert given.to_json()["area_m2"] == pytest.approx(1110.347 * 853.876, rel=1e-5)
    assert geodesic_area_m2(given.geometry) == pytest.approx(given.to_json()["area_m2"], abs=0.1)


GPX = """<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="eTrex 32x" xmlns="http://www.topografix.com/GPX/1/1">
  <wpt lat="40.341944" lon="46.931944"><ele>412.3</ele><name>TP1</name></wpt>
  <wpt lat="40.342500" lon="46.931944"><name>TP2</name></wpt>
  <wpt lat="40.342500" lon="46.933000"><name>TP3</name></wpt>
  <trk><name>ACT walk</name><trkseg>
    <trkpt lat="40.341944" lon="46.931944"><ele>412</ele></trkpt>
    <trkpt lat="40.342500" lon="46.931944"/>
    <trkpt lat="40.342500" lon="46.933000"/>
    <trkpt lat="40.341944" lon="46.931944"/>
  </trkseg></trk>
</gpx>"""

KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>Worked area</name>
  <Placemark><name>Cleared 12 July</name><Polygon><outerBoundaryIs><LinearRing><coordinates>
    46.931944,40.341944,0 46.931944,40.3425,0 46.933,40.3425,0 46.931944,40.341944,0
  </coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
  <Placemark><name>Marker</name><Point><coordinates>46.9325,40.342,0</coordinates></Point>
  </Placemark>
</Document></kml>"""

SECOND_TRACK = (
    "<trk><name>second</name><trkseg><trkpt lat='40' lon='46'/><trkpt lat='40.1' lon='46'/>"
    "</trkseg></trk></gpx>"
)
TRIANGLE = Polygon([(46.931944, 40.341944), (46.931944, 40.3425), (46.933, 40.3425)])


def test_a_gpx_track_is_taken_before_its_waypoints() -> None:
    track = read_gps_file("walk.gpx", GPX.encode())
    assert track.equals(TRIANGLE)
    assert track.exterior.coords[0] == (46.931944, 40.341944)
    # Asked for a point, the waypoints are read; there are three, so it is refused.
    with pytest.raises(ImportRejected, match="problem") as refused:
        read_gps_file("walk.gpx", GPX.encode(), Shape.POINT)
    assert refused.value.problems[0].row == 2
    # Waypoints alone, asked for a polygon: the corners in the order marked.
    waypoints = GPX.split("<trk>")[0] + "</gpx>"
    assert read_gps_file("corners.gpx", waypoints.encode(), Shape.POLYGON).equals(TRIANGLE)


def test_kml_and_kmz_polygons() -> None:
    assert read_gps_file("area.kml", KML.encode()).equals(TRIANGLE)
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("doc.kml", KML)
    assert read_gps_file("area.kmz", packed.getvalue()).equals(TRIANGLE)
    point = KML.replace("Polygon>", "Unused>")
    assert read_gps_file("marker.kml", point.encode(), Shape.POINT) == Point(46.9325, 40.342)
    given = uploaded_geometry("area.kml", KML.encode()).to_json()
    assert given["type"] == "Polygon" and given["area_m2"] == pytest.approx(
        geodesic_area_m2(TRIANGLE), abs=0.1
    )


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        (
            "two.gpx",
            GPX.replace("</gpx>", SECOND_TRACK),
            "the file holds 2 shapes (ACT walk, second); keep only the one wanted",
        ),
        (
            "bomb.kml",
            '<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaa">]><kml>&a;</kml>',
            "the file declares entities or a DTD; refused",
        ),
        ("broken.kml", "<kml><Placemark>", "the file is not readable XML"),
        (
            "bad.kml",
            KML.replace("46.9325,40.342,0", "46.9325;40.342"),
            "coordinates '46.9325;40.342' are not longitude,latitude[,altitude]",
        ),
        ("empty.gpx", '<gpx version="1.1" creator="x"></gpx>', "the file holds no point"),
        ("notes.txt", "40.1 46.9", "a GPS file is GPX, KML or KMZ"),
        ("fake.kmz", "PK not a zip", "the KMZ file is not a readable ZIP archive"),
    ],
)
def test_a_bad_gps_file_is_refused_clearly(name: str, content: str, reason: str) -> None:
    with pytest.raises(ImportRejected) as refused:
        read_gps_file(name, content.encode())
    [problem] = refused.value.problems
    assert problem.file == name and problem.reason.startswith(reason)


def test_a_gps_polygon_that_crosses_itself_names_its_points() -> None:
    # Corners in the order south-west, north-east, north-west, south-east: a bow tie.
    ring = "46.93,40.34,0 46.94,40.35,0 46.93,40.35,0 46.94,40.34,0 46.93,40.34,0"
    bow_tie = KML.replace(KML[KML.index("46.931944,40.341944,0") : KML.index("\n  </coord")], ring)
    with pytest.raises(ImportRejected) as refused:
        read_gps_file("tie.kml", bow_tie.encode())
    assert refused.value.problems[0].reason == (
        "point 1: the polygon crosses itself: the side from point 1 to point 2 crosses the "
        "side from point 3 to point 4"
    )


# ---- The entry page's endpoints, and saving through the REST API ----


def test_the_endpoints_read_typed_coordinates_and_gps_files(store: Store) -> None:
    web = web_on(store)
    typed = web.client.post(
        "/api/geometry/typed",
        json={"text": "40°20'31\"N 46°55'55\"E\n40 20 51 N 46 55 55 E\n40 20 51 N 46 56 33 E",
              "shape": "polygon"},
        headers=web.as_("dora"),
    )  # fmt: skip
    assert typed.status_code == 200, typed.text
    answer = typed.json()
    assert answer["type"] == "Polygon" and answer["positions"] == 4
    assert answer["wkt"].startswith("POLYGON ((46.9319444 40.3419444, 46.9319444 40.3475,")
    assert answer["area_m2"] == pytest.approx(0.5 * 617.6 * 901.2, rel=0.01)
    wrong = web.client.post(
        "/api/geometry/typed", json={"text": "40 46\nabc"}, headers=web.as_("dora")
    )
    assert wrong.status_code == 422
    assert wrong.json()["problems"] == [
        {"field": "coordinates", "reason": "line 2: unexpected text 'ABC'"}
    ]
    uploaded = web.client.post(
        "/api/geometry/file",
        files={"file": ("walk.gpx", GPX.encode(), "application/gpx+xml")},
        data={"shape": "polygon"},
        headers=web.as_("dora"),
    )
    assert uploaded.status_code == 200 and uploaded.json()["type"] == "Polygon"
    # A viewer enters nothing, so reads nothing here either.
    viewer = web.client.post("/api/geometry/typed", json={"text": "40 46"}, headers=web.as_("vera"))
    assert viewer.status_code == 403


def test_saving_a_polygon_that_crosses_itself_is_refused_with_its_place(store: Store) -> None:
    web = web_on(store)
    activity = {
        "external_id": "ACT-TIE-1", "kind": "clearance", "organisation": "ANAMA",
        "district": "Tartar", "start_date": "2024-07-01", "end_date": "2024-07-05",
        "wkt": "POLYGON ((46.9 40.1, 46.91 40.11, 46.91 40.1, 46.9 40.11, 46.9 40.1))",
    }  # fmt: skip
    refused = web.client.post("/api/activities", json=activity, headers=web.as_("dora"))
    assert refused.status_code == 422
    [problem] = refused.json()["problems"]
    assert problem["field"] == "geometry"
    assert problem["reason"] == (
        "the polygon crosses itself near latitude 40.10500, longitude 46.90500: "
        "redraw it so that no side crosses another"
    )
    assert web.client.get("/api/activities/ACT-TIE-1", headers=web.as_("dora")).status_code == 404


def test_the_entry_page_offers_the_map_for_kinds_with_geometry_only(store: Store) -> None:
    web = web_on(store)
    page = web.client.get("/entry", headers=web.as_("dora")).text
    assert 'data-types="Polygon MultiPolygon"' in page and 'id="entry-map"' in page
    for script in ("vendor/leaflet/leaflet.js", "vendor/leaflet-geoman/leaflet-geoman.min.js",
                   "demine-geometry.js"):  # fmt: skip
        assert f'<script src="/static/{script}"></script>' in page
        assert web.client.get(f"/static/{script}").status_code == 200
    assert "Enter this area as the area cleared" in page
    accidents = web.client.get("/entry?kind=accidents", headers=web.as_("dora")).text
    assert 'data-types="Point"' in accidents and "area cleared" not in accidents
    ruled = web.client.get("/entry?kind=quality-inspections", headers=web.as_("dora")).text
    assert 'id="entry-map"' not in ruled and "leaflet-geoman" not in ruled


def test_odk_geopoint_geotrace_and_geoshape_answers() -> None:
    # As ODK Collect writes them: "lat lon altitude accuracy", points separated by ";".
    assert read_odk_geometry("40.341944 46.931944 412.5 4.0") == Point(46.931944, 40.341944)
    trace = read_odk_geometry("40.1 46.9 0 0;40.2 46.9 0 0")
    assert trace == LineString([(46.9, 40.1), (46.9, 40.2)])
    shape = read_odk_geometry(
        "40.341944 46.931944 0 0; 40.3425 46.931944 0 0; 40.3425 46.933 0 0; "
        "40.341944 46.931944 0 0"
    )
    assert shape.equals(TRIANGLE)
    with pytest.raises(ImportRejected) as refused:
        read_odk_geometry("40.1 46.9 0 0;forty 46.9")
    [problem] = refused.value.problems
    assert (problem.row, problem.reason) == (
        2,
        "point 2: 'forty 46.9' is not 'latitude longitude [altitude [accuracy]]'",
    )
