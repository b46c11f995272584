"""Storing the predictive risk layer: a country's layer of one model, replaced whole.

``demine risk predict --store`` computes every cell, then :func:`replace_layer` deletes
the cells the country's layer of that model held and inserts the new ones, in the
caller's transaction: all or nothing. The layer is machine-made, so its cells are not
reviewed one by one; the audit log keeps who replaced it, when, and what the layer was
before and after (model file digest, cut-off, day computed, number of cells).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, select

from demine.domain.risk_cells import RiskCell
from demine.store import audit, schema
from demine.store.bulk import insert_rows
from demine.store.mapping import mapping_for
from demine.store.refs import load_admin_area_refs

#: The audit log's action for a layer replaced (or stored the first time).
REPLACE_LAYER = "replace_risk_layer"


@dataclass(frozen=True)
class StoredLayer:
    """What a country's stored layer of one model was computed from, and its size."""

    model: str
    model_sha256: str
    scorer: str
    events_before: date
    predicted_on: date
    cells: int

    def as_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "model_sha256": self.model_sha256,
            "scorer": self.scorer,
            "events_before": self.events_before.isoformat(),
            "predicted_on": self.predicted_on.isoformat(),
            "cells": self.cells,
        }


def stored_layers(
    connection: Connection, country: str, model: str | None = None
) -> list[StoredLayer]:
    """The country's stored layers (of ``model`` only, when given), by model name."""
    table = schema.risk_cells
    statement = (
        select(
            table.c.model,
            table.c.model_sha256,
            table.c.scorer,
            table.c.events_before,
            table.c.predicted_on,
            func.count(),
        )
        .where(table.c.country == country)
        .group_by(
            table.c.model,
            table.c.model_sha256,
            table.c.scorer,
            table.c.events_before,
            table.c.predicted_on,
        )
        .order_by(table.c.model)
    )
    if model is not None:
        statement = statement.where(table.c.model == model)
    return [StoredLayer(*row) for row in connection.execute(statement)]


def replace_layer(
    connection: Connection,
    country: str,
    model: str,
    cells: Sequence[RiskCell],
    *,
    actor: str,
    now: datetime,
) -> tuple[StoredLayer | None, StoredLayer]:
    """Replace ``country``'s stored layer of ``model`` by ``cells`` (checked already),
    and log it; the layer before (None: there was none) and after."""
    if not cells or any(c.country != country or c.model != model for c in cells):
        raise ValueError("a layer is one model's non-empty cells of one country")
    table = schema.risk_cells
    before = stored_layers(connection, country, model)
    connection.execute(delete(table).where(table.c.country == country, table.c.model == model))
    mapping = mapping_for(RiskCell)
    refs = load_admin_area_refs(connection)
    insert_rows(connection, table, [mapping.to_row(c, refs) | {"updated_at": now} for c in cells])
    (after,) = stored_layers(connection, country, model)
    # A layer is only ever written whole: what it was before is one prediction, or none.
    previous = before[0] if before else None
    audit.record(
        connection,
        actor=actor,
        action=REPLACE_LAYER,
        table_name=table.name,
        key=f"{country}/{model}",
        before=None if previous is None else previous.as_json(),
        after=after.as_json(),
        at=now,
    )
    return previous, after


def layer_centres(
    connection: Connection, country: str, model: str
) -> list[tuple[float, float, float]]:
    """``(lon, lat, risk)`` of each stored cell of ``country``'s layer of ``model`` (its
    centre: the middle of its square), in the order the cells were stored."""
    table = schema.risk_cells
    statement = (
        select(
            (table.c.min_x + table.c.max_x) / 2,
            (table.c.min_y + table.c.max_y) / 2,
            table.c.risk,
        )
        .where(table.c.country == country, table.c.model == model)
        .order_by(table.c.id)
    )
    return [(float(x), float(y), float(risk)) for x, y, risk in connection.execute(statement)]
