"""Storing a prediction as the country's risk layer of its model (all or nothing)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from demine.analysis.risk.cells import CellsFile
from demine.analysis.risk.layer import ModelIdentity, districts_of, layer_cells
from demine.analysis.risk.prediction import Prediction
from demine.domain.entities import AdminArea
from demine.store.engine import Store
from demine.store.refs import load_admin_area_refs
from demine.store.register import load_all
from demine.store.risk_layer import StoredLayer, replace_layer


def store_prediction(
    store: Store,
    country: str,
    cells: CellsFile,
    prediction: Prediction,
    model: ModelIdentity,
    *,
    actor: str,
    today: date | None = None,
    cell_id_column: str | None = None,
) -> tuple[StoredLayer | None, StoredLayer]:
    """Replace ``country``'s stored layer of ``model`` by ``prediction``'s cells; every
    cell is checked first, and nothing is written if one is bad. The layer before (None:
    none) and after."""
    now = datetime.now(UTC)
    with store.write() as connection:
        areas = load_all(connection, AdminArea, load_admin_area_refs(connection), country)
        stored = layer_cells(
            cells,
            prediction,
            model,
            country=country,
            districts=districts_of(areas, cells),
            today=today or now.date(),
            cell_id_column=cell_id_column,
        )
        return replace_layer(connection, country, model.name, stored, actor=actor, now=now)
