"""What the geometry checks read: each live record's key, geometry and district code."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import null, select
from sqlalchemy.orm import aliased

from demine.domain.kinds import KINDS, Kind
from demine.store.reader import RegisterReader

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

#: One record's shape: (key, geometry, district code or None).
ShapeRow = tuple[str, "BaseGeometry", str | None]


def record_shapes(reader: RegisterReader, kind: Kind) -> list[ShapeRow]:
    """The key, geometry and district code of every live record of ``kind`` (of the
    reader's country) that has a geometry, in key order."""
    table = reader.table(kind)
    key = table.c[kind.key]
    if kind.district is None:
        query = reader.select(kind, key, table.c.geometry, null())
    else:
        districts = aliased(reader.table(KINDS["admin-areas"]), name="district_area")
        query = (
            select(key, table.c.geometry, districts.c.code)
            .select_from(table)
            .outerjoin(districts, districts.c.id == table.c[kind.district])
            .where(*reader.scope(table))
        )
    query = query.where(table.c.geometry.is_not(None)).order_by(key)
    return [(str(row[0]), row[1], row[2]) for row in reader.connection.execute(query)]
