"""Minefield records handed over by the side that laid the mines, and what they declare.

A record (a map or a form) declares a covered area, how many mines of which types lie
in it, the rows they were laid in and the points the rows are measured from. Records are
evidence to be verified against what clearance finds, not facts: see
``docs/records-verification.md``.

Record details and geometry are security-sensitive: they must not be published. Who may
read them is decided by the access rules of the layer that serves them, not here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from demine.domain.custom_values import Extensible
from demine.domain.vocab import EOCategory, RecordPointType, RecordStatus, RecordType

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry


class DeclaredType(StrEnum):
    """The kinds of device a record counts; the values are the JSON keys used for them."""

    AP = "ap_mines"
    AT = "at_mines"
    OTHER = "other_devices"


#: Categories laid in minefields, by the declared count they are compared with. UXO,
#: abandoned ordnance and submunitions are battlefield debris that no record declares.
LAID_CATEGORIES: dict[EOCategory, DeclaredType] = {
    EOCategory.AP_MINE: DeclaredType.AP,
    EOCategory.AT_MINE: DeclaredType.AT,
    EOCategory.IED: DeclaredType.OTHER,
    EOCategory.OTHER: DeclaredType.OTHER,
}


def declared_type_of(category: EOCategory | None) -> DeclaredType | None:
    """The declared count a found device of ``category`` is compared with, if any."""
    return None if category is None else LAID_CATEGORIES.get(category)


@dataclass(frozen=True)
class DeclaredModel:
    """A device model and how many of it a record declares (``TM-62M:40``)."""

    model: str
    count: int


_MODEL_ITEM = re.compile(r"^\s*(?P<model>[^:;]*?)\s*[:=]\s*(?P<count>-?\d+)\s*$")


def parse_declared_models(text: str) -> tuple[DeclaredModel, ...]:
    """``"TM-62M:40;PMN-2:12"`` as declared models; raises ``ValueError`` when unreadable."""
    models: list[DeclaredModel] = []
    for item in (part for part in text.replace(",", ";").split(";") if part.strip()):
        match = _MODEL_ITEM.match(item)
        if match is None or not match["model"]:
            raise ValueError(f"'{item.strip()}' is not MODEL:COUNT (e.g. TM-62M:40;PMN-2:12)")
        models.append(DeclaredModel(match["model"], int(match["count"])))
    return tuple(models)


def format_declared_models(models: tuple[DeclaredModel, ...]) -> str | None:
    """Declared models as files and the database hold them, ``None`` when there are none."""
    return ";".join(f"{m.model}:{m.count}" for m in models) or None


def model_key(model: str) -> str:
    """A model name compared without case, spaces or punctuation (``TM 62M`` = ``tm-62m``)."""
    return re.sub(r"[^a-z0-9]", "", model.casefold())


@dataclass(frozen=True)
class MinefieldRecord(Extensible):
    """A minefield map or form as handed over, with the coverage it declares.

    ``district`` is the main district; the others a record crosses are found from its
    geometry when needed. ``stated_uncertainty_m`` is the positional error the record
    itself admits (or that its drawing method implies).
    """

    external_id: str
    country: str
    district: str
    source: str
    received_on: date
    record_type: RecordType
    status: RecordStatus
    declared_ap_mines: int | None = None
    declared_at_mines: int | None = None
    declared_other_devices: int | None = None
    declared_models: tuple[DeclaredModel, ...] = ()
    stated_uncertainty_m: float | None = None
    notes: str | None = None
    geometry: BaseGeometry | None = None

    def declared(self) -> dict[DeclaredType, int]:
        """Declared devices by type (an unstated count is taken as none)."""
        return {
            DeclaredType.AP: self.declared_ap_mines or 0,
            DeclaredType.AT: self.declared_at_mines or 0,
            DeclaredType.OTHER: self.declared_other_devices or 0,
        }


@dataclass(frozen=True)
class MinefieldRow(Extensible):
    """A row of mines as a record declares it: a line, the device laid and how many."""

    external_id: str
    record: str
    category: EOCategory
    model: str | None = None
    declared_count: int | None = None
    geometry: BaseGeometry | None = None


@dataclass(frozen=True)
class MinefieldPoint(Extensible):
    """A reference, turning or landmark point from which a record's rows are measured."""

    external_id: str
    record: str
    point_type: RecordPointType
    description: str | None = None
    geometry: BaseGeometry | None = None


@dataclass(frozen=True)
class RecordAttachment:
    """A scanned page or photo of a record, kept with its checksum."""

    record: str
    file_name: str
    media_type: str
    size: int
    sha256: str
