"""Risk cells: the predictive risk layer stored in the register (security-sensitive:
never public; machine-made, written whole by ``demine risk predict --store``)."""

from __future__ import annotations

from demine.domain.kinds.model import DateSpan, Field, FieldType, Kind, Sensitivity
from demine.domain.kinds.shapes import POLYGONAL
from demine.domain.risk_cells import FACTORS, RiskCell, RiskScorer, check_risk_cell
from demine.i18n import N_

T = FieldType


def _factors() -> tuple[Field, ...]:
    fields: list[Field] = []
    examples = (("any_event_distance_km", "-0.8123"), ("hazard_within_5km", "0.4410"))
    for rank in range(1, FACTORS + 1):
        name, contribution = examples[rank - 1] if rank <= len(examples) else ("", "")
        fields += [
            Field(
                f"factor_{rank}",
                T.TEXT,
                N_("A feature that pushed the risk most (1 strongest)"),
                name,
                max_length=100,
                hxl=f"#indicator+factor+rank{rank}",
            ),
            Field(
                f"factor_{rank}_contribution",
                T.DECIMAL,
                N_("Its SHAP contribution, in log-odds (positive raises the risk)"),
                contribution,
                hxl=f"#indicator+factor+rank{rank}+contribution",
            ),
        ]
    return tuple(fields)


RISK_CELLS = Kind(
    "risk-cells",
    RiskCell,
    "risk_cells",
    "external_id",
    N_("Risk cells"),
    N_(
        "The predictive risk layer: each cell's probability of holding mines and why "
        "(security-sensitive, never public)."
    ),
    help=N_(
        "Cells scored by a risk model, written whole by 'demine risk predict --store' "
        "(not imported record by record)."
    ),
    fields=(
        Field(
            "external_id",
            T.TEXT,
            N_("Stable identifier: country/model/cell"),
            "CO/risk-model/17",
            True,
            max_length=200,
            hxl="#meta+id",
        ),
        Field(
            "cell",
            T.TEXT,
            N_("The cell's id in the cells file"),
            "17",
            True,
            max_length=100,
            hxl="#loc+id",
        ),
        Field(
            "district",
            T.REFERENCE,
            N_("District (from the cell's centre)"),
            "",
            references="admin-areas",
            level="district",
            hxl="#adm2+code",
        ),
        Field(
            "model",
            T.TEXT,
            N_("The model's name"),
            "risk-model",
            True,
            max_length=200,
            hxl="#meta+model",
        ),
        Field(
            "model_sha256",
            T.TEXT,
            N_("SHA-256 of the model file"),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            True,
            max_length=64,
            hxl="#meta+model+sha256",
        ),
        Field(
            "scorer",
            T.CODE,
            "; ".join(s.value for s in RiskScorer),
            "full",
            True,
            vocabulary=RiskScorer,
            max_length=20,
            hxl="#meta+scorer",
        ),
        Field(
            "events_before",
            T.DAY,
            N_("The model's cut-off: only events surely before it were measured"),
            "2010-01-01",
            True,
            hxl="#date+cutoff",
        ),
        Field(
            "predicted_on",
            T.DAY,
            N_("Day the layer was computed"),
            "2024-03-01",
            True,
            hxl="#date+predicted",
        ),
        Field(
            "risk",
            T.DECIMAL,
            N_("Probability that the cell holds mines (0-1)"),
            "0.42",
            True,
            hxl="#indicator+risk",
        ),
        *_factors(),
    ),
    check=check_risk_cell,
    sensitivity=Sensitivity.SECURITY,
    machine_made=True,
    dates=DateSpan("predicted_on", "predicted_on"),
    district="district_id",
    geometry=POLYGONAL,
    geometry_help="Polygon of the cell (its square; required)",
    geometry_example="POLYGON ((-75.01 6.0, -75.0 6.0, -75.0 6.01, -75.01 6.01, -75.01 6.0))",
    collection="risk-cells",
    exported_by_default=False,
    hxl={"country": "#country+code"},
)
