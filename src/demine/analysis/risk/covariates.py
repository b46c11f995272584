"""Which columns of a cells file the model may learn from, and their values as numbers.

Every numeric column is a covariate except the label, the group, the location columns,
an unnamed index column and the columns excluded for leakage. A covariate known to be
built from the same events as the labels, or recorded after the cut-off, would let the
model read the answer; those are excluded by default, with the reason shown:

* RELand's municipality victim counts (the Registro Único de Víctimas columns, from
  ``No. Víctimas por Declaración`` to ``SIN INFORMACION``) are totals up to the file's
  compilation, long after any cut-off, and count victims of the same conflict events
  (injuries among them); they are also one value per municipality.
* Any column named like a distance or count to mine events (``mine``, ``mina``,
  ``landmine``, ``accident``, ``evento``…): the register features compute those
  honestly, before the cut-off and outside the cell.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from demine.analysis.risk.cells import CellsFile
from demine.errors import InvalidRequestError, Problem
from demine.i18n import _

#: RELand's municipality-level victim counts (Registro Único de Víctimas).
VICTIM_REGISTER_COLUMNS = (
    "No. Víctimas por Declaración",
    "No. Sujetos Atención ",
    "Acto terrorista, Atentados, Combates, Enfrentamientos, Hostigamientos",
    "Amenaza",
    "Delitos contra la Libertad y la Integridad sexual en desarrollo del conflicto Armado",
    "Desaparición forzada",
    "Desplazamiento Forzado",
    "Homicidio, Masacre",
    "Vincuación de Niños, Niñas y Adolescentes a actividades relacionadas con grupos armados",
    "Secuestro",
    "Tortura",
    "Abandono o Despojo Forzado de Tierras",
    "Perdida de Bienes Muebles o Inmuebles ",
    "Lesiones Personales Fisicas",
    "Lesiones Personales Psicologicas",
    "Confinamiento",
    "SIN INFORMACION ",
)
_EVENT_NAMED = re.compile(r"(land)?mine|\bminas?\b|accident|evento", re.IGNORECASE)
_INDEX_NAMED = re.compile(r"^(unnamed: ?\d+|index|)$", re.IGNORECASE)


@dataclass(frozen=True)
class CovariateChoice:
    """The covariates chosen and every other column with why it is not one."""

    covariates: list[str]
    excluded: dict[str, str]


def leakage_reason(column: str) -> str | None:
    """Why ``column`` is excluded by default as leaking the labels, or ``None``."""
    if column in VICTIM_REGISTER_COLUMNS:
        return _("victim register totals compiled after the cut-off, one per municipality")
    if _EVENT_NAMED.search(column):
        return _("named like a distance or count to mine events")
    return None


def choose_covariates(
    cells: CellsFile,
    *,
    label: str,
    group: str | None,
    exclude: Iterable[str] = (),
    include_leaking: bool = False,
    use_covariates: bool = True,
) -> CovariateChoice:
    """The numeric columns of ``cells`` the model may use (none without
    ``use_covariates``: register features only)."""
    asked = set(exclude)
    unknown = sorted(asked - set(cells.header))
    if unknown:
        raise InvalidRequestError(
            _("{file}: no column {columns} to exclude").format(
                file=cells.name, columns=", ".join(unknown)
            )
        )
    excluded: dict[str, str] = {}
    covariates: list[str] = []
    for column in cells.header:
        reason = _why_not(cells, column, label, group, asked, include_leaking)
        if reason is None and not use_covariates:
            reason = _("covariates not used (--no-covariates)")
        if reason is None:
            covariates.append(column)
        else:
            excluded[column] = reason
    return CovariateChoice(covariates, excluded)


def _why_not(
    cells: CellsFile,
    column: str,
    label: str,
    group: str | None,
    asked: set[str],
    include_leaking: bool,
) -> str | None:
    if column == label:
        return _("the label")
    if column == group:
        return _("the group")
    if column in cells.location_columns:
        return _("the cell's location")
    if _INDEX_NAMED.match(column.strip()):
        return _("a row index")
    if column in asked:
        return _("excluded on request")
    reason = None if include_leaking else leakage_reason(column)
    if reason is not None:
        return reason
    if not _numeric(cells.column(column)):
        return _("not numeric")
    return None


def _numeric(values: Sequence[str]) -> bool:
    try:
        return any(math.isfinite(float(value)) for value in values if value.strip())
    except ValueError:
        return False


def covariate_matrix(cells: CellsFile, columns: Sequence[str]) -> npt.NDArray[np.float64]:
    """The values of ``columns`` as numbers; an empty value is unknown (NaN)."""
    matrix = np.full((len(cells), len(columns)), np.nan)
    for position, column in enumerate(columns):
        for index, value in enumerate(cells.column(column)):
            if not value.strip():
                continue
            try:
                matrix[index, position] = float(value)
            except ValueError:
                raise InvalidRequestError(
                    str(
                        Problem(
                            cells.name,
                            index + 2,
                            column,
                            _("{value!r} is not a number").format(value=value),
                        )
                    )
                ) from None
    return matrix
