"""A small stored risk layer for tests that need one (machine-made cells, as
``demine risk predict --store`` writes them), near the sample register's hazards."""

from __future__ import annotations

from datetime import UTC, date, datetime

from shapely.geometry import box

from demine.domain.risk_cells import RiskCell, RiskScorer, risk_cell_key
from demine.store.engine import Store
from demine.store.risk_layer import replace_layer

MODEL = "test-model"
#: (cell id, west, south, risk): squares of about 1 km near Aghdam's sample records.
CELLS = (("1", 46.94, 40.0, 0.82), ("2", 46.952, 40.0, 0.31), ("3", 46.964, 40.0, 0.05))
SIDE = 0.0117


def risk_cells(country: str = "AZ", model: str = MODEL) -> list[RiskCell]:
    return [
        RiskCell(
            external_id=risk_cell_key(country, model, cell),
            country=country,
            cell=cell,
            model=model,
            model_sha256="0" * 64,
            scorer=RiskScorer.REGISTER_ONLY,
            events_before=date(2024, 1, 1),
            predicted_on=date(2024, 6, 1),
            risk=risk,
            factor_1="any_event_distance_km",
            factor_1_contribution=-0.5,
            geometry=box(west, south, west + SIDE, south + SIDE * 0.77),
        )
        for cell, west, south, risk in CELLS
    ]


def store_risk_layer(store: Store, country: str = "AZ") -> None:
    with store.write() as connection:
        replace_layer(
            connection,
            country,
            MODEL,
            risk_cells(country),
            actor="tests",
            now=datetime(2024, 6, 1, tzinfo=UTC),
        )
