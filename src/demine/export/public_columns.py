"""The columns of the public aggregates, described once: name, type, HXL hashtag, level.

``demine export --public`` writes two tables: one row per district
(``public-aggregates.csv``) and the national row (``public-aggregates-national.csv``), each
in the CSV and in the JSON document (``districts`` and ``national``). Both tables, their
HXL hashtag rows and the documentation follow from :data:`PUBLIC_COLUMNS`.

A count the disclosure rule (:mod:`demine.domain.disclosure`) may hide is *hideable*: its
cell is a number, or empty (JSON: ``null``) when hidden, and the ``<name>_status`` column
beside it says why (:class:`CellStatus`), so a spreadsheet or pandas reads every count
column as numbers. Districts are admin level 2 (rayons), tagged ``#adm2``; the country,
not a subnational area, is ``#country``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from demine.domain.disclosure import WITHHELD, Cell, hidden
from demine.domain.kinds.exchange import ColumnType


class Level(StrEnum):
    """The table a row belongs to."""

    DISTRICT = "district"
    NATIONAL = "national"


class CellStatus(StrEnum):
    """Why a hideable count's cell is empty (an exact count has no status)."""

    #: A small count, or a zero hidden to protect one: 0 to threshold - 1.
    SUPPRESSED = "suppressed"
    #: Hidden to protect another count: the threshold or more.
    WITHHELD = "withheld"


BOTH = frozenset(Level)
NATIONAL_ONLY = frozenset({Level.NATIONAL})
DISTRICT_ONLY = frozenset({Level.DISTRICT})
#: The status column of a hideable column is named ``<column><STATUS_SUFFIX>``.
STATUS_SUFFIX = "_status"


@dataclass(frozen=True)
class PublicColumn:
    """One column of the public aggregates."""

    name: str
    type: ColumnType
    hxl: str
    levels: frozenset[Level] = BOTH
    #: The disclosure rule may hide it: a status column follows it.
    hideable: bool = False

    @property
    def status_column(self) -> str:
        return f"{self.name}{STATUS_SUFFIX}"

    @property
    def status_hxl(self) -> str:
        return f"#meta+status+{self.name}"


def _count(name: str, hxl: str, levels: frozenset[Level] = BOTH) -> PublicColumn:
    return PublicColumn(name, ColumnType.INTEGER, hxl, levels, hideable=True)


def _exact(name: str, hxl: str, column_type: ColumnType = ColumnType.INTEGER) -> PublicColumn:
    return PublicColumn(name, column_type, hxl)


_T, _D = ColumnType.TEXT, ColumnType.DECIMAL
#: Every column, in order. Casualty counts and people reached are hideable; devices,
#: hectares and sessions describe no person and are exact.
PUBLIC_COLUMNS = (
    PublicColumn("country_code", _T, "#country+code"),
    PublicColumn("district_code", _T, "#adm2+code", DISTRICT_ONLY),
    PublicColumn("district", _T, "#adm2+name", DISTRICT_ONLY),
    PublicColumn("period_start", ColumnType.DATE, "#date+start"),
    PublicColumn("period_end", ColumnType.DATE, "#date+end"),
    PublicColumn("suppression_threshold", ColumnType.INTEGER, "#meta+suppression_threshold"),
    _count("victims", "#affected+ind"),
    _count("killed", "#affected+killed"),
    _count("injured", "#affected+injured"),
    _count("unknown_outcome", "#affected+outcome_unknown"),
    # The casualty report's national figures; no output breaks them down by district.
    _count("children", "#affected+children", NATIONAL_ONLY),
    _count("women", "#affected+f+adults", NATIONAL_ONLY),
    _count("civilians", "#affected+civilians", NATIONAL_ONLY),
    _count("accidents", "#indicator+num+accidents"),
    _count("accidents_inside_known_hazard", "#indicator+num+accidents+inside_hazard"),
    _count("accidents_outside_known_hazard", "#indicator+num+accidents+outside_hazard"),
    _count("accidents_location_unknown", "#indicator+num+accidents+location_unknown"),
    _exact("ap_mines", "#indicator+num+mines_ap"),
    _exact("at_mines", "#indicator+num+mines_at"),
    _exact("uxo", "#indicator+num+uxo"),
    _exact("other_devices", "#indicator+num+other_devices"),
    _exact("hectares_cleared", "#indicator+num+area_cleared_ha", _D),
    _exact("hectares_reduced", "#indicator+num+area_reduced_ha", _D),
    _exact("hectares_cancelled", "#indicator+num+area_cancelled_ha", _D),
    _exact("eore_sessions", "#indicator+num+eore_sessions"),
    _count("eore_girls", "#reached+f+children+eore"),
    _count("eore_boys", "#reached+m+children+eore"),
    _count("eore_women", "#reached+f+adults+eore"),
    _count("eore_men", "#reached+m+adults+eore"),
    _count("eore_beneficiaries", "#reached+ind+eore"),
    _count("eore_persons_with_disabilities", "#reached+disabled+eore"),
)


def columns_of(level: Level) -> tuple[PublicColumn, ...]:
    """The columns of the ``level`` table."""
    return tuple(column for column in PUBLIC_COLUMNS if level in column.levels)


def header(level: Level) -> list[str]:
    """The column names of the ``level`` table, each hideable one followed by its status."""
    names: list[str] = []
    for column in columns_of(level):
        names.append(column.name)
        if column.hideable:
            names.append(column.status_column)
    return names


def hashtags(level: Level) -> list[str]:
    """The HXL hashtag row of the ``level`` table (one tag under each name of :func:`header`)."""
    tags: list[str] = []
    for column in columns_of(level):
        tags.append(column.hxl)
        if column.hideable:
            tags.append(column.status_hxl)
    return tags


def split_cell(cell: Cell, threshold: int) -> tuple[int | None, CellStatus | None]:
    """A published cell as a number and a status: ``(7, None)``, ``(None, SUPPRESSED)``."""
    if isinstance(cell, int):
        return cell, None
    if cell == WITHHELD:
        return None, CellStatus.WITHHELD
    if cell == hidden(threshold):
        return None, CellStatus.SUPPRESSED
    raise ValueError(f"not a published cell: {cell!r}")


def table_row(level: Level, values: dict[str, Any], threshold: int) -> dict[str, Any]:
    """The row of ``level`` from ``values`` (hideable ones as published cells), with the
    status columns filled; hidden counts are None."""
    row: dict[str, Any] = {}
    for column in columns_of(level):
        value = values[column.name]
        if column.hideable:
            number, status = split_cell(value, threshold)
            row[column.name] = number
            row[column.status_column] = None if status is None else status.value
        else:
            row[column.name] = value
    return row
