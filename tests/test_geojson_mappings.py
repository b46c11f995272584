"""Shapes mapped all at once for the map's area layers are written as one by one."""

from __future__ import annotations

import json

import numpy as np
import shapely
from shapely.geometry import mapping

from demine.domain.geojson import mappings

SHAPES = [
    "POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))",
    "POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 1 2, 2 2, 2 1, 1 1), (3 3, 3 3.5, 3.5 3.5, 3 3))",
    "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((2 2, 5 2, 5 5, 2 5, 2 2), (3 3, 3 4, 4 4, 3 3)))",
    "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), EMPTY)",
    "POLYGON EMPTY",
    "MULTIPOLYGON EMPTY",
    "POLYGON Z ((0 0 1, 1 0 2, 1 1 3, 0 0 1))",
    "POINT (48.123456789 40.5)",
    "LINESTRING (0 0, 1 1, 2 0)",
    "GEOMETRYCOLLECTION (POINT (1 2), POLYGON ((0 0, 1 0, 1 1, 0 0)))",
    "POLYGON ((-20.1234567 38.7654321, -20.0000001 38.7654321, -20 39, -20.1234567 38.7654321))",
]


def _text(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


def test_every_shape_is_written_as_mapping_writes_it() -> None:
    shapes = np.array([shapely.from_wkt(text) for text in SHAPES] + [None], dtype=object)
    written = mappings(shapes)
    expected = [None if shape is None else mapping(shape) for shape in shapes]
    assert [_text(w) for w in written] == [_text(e) for e in expected]


def test_in_any_order_and_none() -> None:
    shapes = np.array([shapely.from_wkt(text) for text in reversed(SHAPES)], dtype=object)
    assert _text(mappings(shapes)) == _text([mapping(shape) for shape in shapes])
    assert mappings(np.array([], dtype=object)) == []
    assert mappings(np.array([None, None], dtype=object)) == [None, None]
