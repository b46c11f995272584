"""The register's lists a field form offers: districts, settlements, organisations,
hazards still being worked, device models, and the country's bounding box."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from demine.domain.entities import AdminArea, Organisation
from demine.domain.records import model_key
from demine.domain.vocab import AdminLevel, HazardStatus
from demine.store.reader import RegisterReader
from demine.store.refs import load_area_refs
from demine.store.register import load_all

#: West, south, east, north in decimal degrees.
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    #: The enclosing district's code (settlements), else None.
    district: str | None = None
    #: Its name by language, where it differs from ``name``.
    names: tuple[tuple[str, str], ...] = ()

    def name_in(self, language: str) -> str:
        return dict(self.names).get(language, self.name)


@dataclass(frozen=True)
class HazardChoice:
    external_id: str
    name: str | None
    district: str | None


@dataclass(frozen=True)
class FieldLists:
    """What a country's field forms let people pick, read from the live register."""

    districts: tuple[Place, ...]
    settlements: tuple[Place, ...]
    #: Organisations' codes and names.
    organisations: tuple[tuple[str, str], ...]
    #: Hazard areas open or being worked (a closed one is not worked any more).
    hazards: tuple[HazardChoice, ...]
    #: Device models the register knows, as (category, model), most often named first.
    models: tuple[tuple[str, str], ...]
    #: The country's bounding box (from its areas' shapes), or None without shapes.
    bounds: Box | None


def field_lists(reader: RegisterReader) -> FieldLists:
    """The lists of the reader's country (only approved, undeleted records count)."""
    country = reader.country or ""
    connection = reader.connection
    refs = load_area_refs(connection)
    areas = load_all(connection, AdminArea, refs, country)
    by_level = {
        level: sorted((a for a in areas if a.level is level), key=_order) for level in AdminLevel
    }
    return FieldLists(
        districts=tuple(
            Place(a.code, a.name, names=_names(a)) for a in by_level[AdminLevel.DISTRICT]
        ),
        settlements=tuple(
            Place(a.code, a.name, a.parent_code, _names(a)) for a in by_level[AdminLevel.SETTLEMENT]
        ),
        organisations=tuple(
            (o.code, o.name)
            for o in sorted(load_all(connection, Organisation, refs), key=lambda o: o.code)
        ),
        hazards=_hazards(reader, refs.areas.key_by_id),
        models=_models(reader),
        bounds=_bounds(areas),
    )


def _names(area: AdminArea) -> tuple[tuple[str, str], ...]:
    """The area's name in each language Demine speaks, where the register has one.

    The register keeps one name per area until issue 16's names per language
    (``AdminArea.name_in``) are merged: then this reads them.
    """
    return ()


def _order(area: AdminArea) -> tuple[int, str]:
    return (area.reporting_order or 1_000_000, area.name)


def _hazards(reader: RegisterReader, district_codes: dict[int, str]) -> tuple[HazardChoice, ...]:
    table = reader.table("hazards")
    statement = reader.select(
        "hazards", table.c.external_id, table.c.name, table.c.district_id
    ).where(table.c.status != HazardStatus.CLOSED.value)
    rows = reader.connection.execute(statement.order_by(table.c.external_id))
    return tuple(
        HazardChoice(key, name, district_codes.get(district_id)) for key, name, district_id in rows
    )


def _models(reader: RegisterReader) -> tuple[tuple[str, str], ...]:
    """Models named by finds, minefield records' rows and accidents, one spelling each
    (the most frequent), by category."""
    counts: Counter[tuple[str, str]] = Counter()
    for kind, category, model in (
        ("finds", "category", "model"),
        ("minefield-rows", "category", "model"),
        ("accidents", "device_category", "device_model"),
    ):
        for found_category, found_model, count in reader.grouped(kind, (category, model)):
            if found_category and found_model and found_model.strip():
                counts[(str(found_category), found_model.strip())] += int(count)
    spelling: dict[tuple[str, str], tuple[str, int]] = {}
    for (category, model), count in counts.most_common():
        spelling.setdefault((category, model_key(model)), (model, count))
    ranked = sorted(spelling.items(), key=lambda item: (item[0][0], -item[1][1], item[1][0]))
    return tuple((category, model) for (category, _key), (model, _count) in ranked)


def _bounds(areas: list[AdminArea]) -> Box | None:
    country = [a.geometry for a in areas if a.level is AdminLevel.COUNTRY and a.geometry]
    shapes = country or [a.geometry for a in areas if a.geometry is not None]
    if not shapes:
        return None
    boxes = [shape.bounds for shape in shapes]
    return (
        float(min(b[0] for b in boxes)),
        float(min(b[1] for b in boxes)),
        float(max(b[2] for b in boxes)),
        float(max(b[3] for b in boxes)),
    )
