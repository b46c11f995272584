"""Minefield records handed over, their declared rows and their points
(security-sensitive: never public)."""

from __future__ import annotations

from demine.domain import rules
from demine.domain.kinds.model import DateSpan, Field, FieldType, Kind, Sensitivity
from demine.domain.kinds.shapes import LINEAR, POLYGONAL, PUNCTUAL
from demine.domain.records import MinefieldPoint, MinefieldRecord, MinefieldRow
from demine.domain.repair import repair_polygonal
from demine.domain.vocab import EOCategory, RecordPointType, RecordStatus, RecordType
from demine.i18n import N_

T = FieldType


def _record(help_text: str = N_("The record's external_id")) -> Field:
    return Field(
        "record",
        T.REFERENCE,
        help_text,
        "AZ-MFR-2024-001",
        True,
        references="minefield-records",
        hxl="#meta+record+id",
    )


MINEFIELD_RECORDS = Kind(
    "minefield-records",
    MinefieldRecord,
    "minefield_records",
    "external_id",
    N_("Minefield records"),
    N_("Records handed over: declared coverage (security-sensitive, never public)."),
    help=(
        N_(
            "Minefield maps and forms handed over, with the coverage and mines they declare "
            "(security-sensitive: not for publication)."
        )
    ),
    fields=(
        Field(
            "external_id",
            T.TEXT,
            N_("Stable identifier"),
            "AZ-MFR-2024-001",
            True,
            max_length=100,
            hxl="#meta+record+id",
        ),
        Field(
            "district",
            T.REFERENCE,
            N_("Main district (or from the coverage)"),
            "Aghdam",
            references="admin-areas",
            level="district",
            hxl="#adm2+code",
        ),
        Field(
            "source",
            T.TEXT,
            N_("Who handed it over"),
            "handed over via mediator",
            True,
            max_length=300,
            hxl="#meta+source",
        ),
        Field("received_on", T.DAY, N_("Date received"), "2024-02-14", True, hxl="#date+reported"),
        Field(
            "record_type",
            T.CODE,
            N_("map or form"),
            "map",
            True,
            vocabulary=RecordType,
            max_length=20,
            hxl="#meta+record+type",
        ),
        Field(
            "status",
            T.CODE,
            "; ".join(s.value for s in RecordStatus) + " (default received)",
            "received",
            vocabulary=RecordStatus,
            default=RecordStatus.RECEIVED,
            max_length=30,
            hxl="#status",
        ),
        Field(
            "declared_ap_mines",
            T.INTEGER,
            N_("Anti-personnel mines declared"),
            "12",
            hxl="#indicator+num+mines_ap+declared",
        ),
        Field(
            "declared_at_mines",
            T.INTEGER,
            N_("Anti-tank mines declared"),
            "40",
            hxl="#indicator+num+mines_at+declared",
        ),
        Field(
            "declared_other_devices",
            T.INTEGER,
            N_("Other devices declared"),
            "0",
            hxl="#indicator+num+other_devices+declared",
        ),
        Field(
            "declared_models",
            T.MODEL_COUNTS,
            N_("Declared models and counts, MODEL:COUNT separated by ;"),
            "TM-62M:40;PMN-2:12",
            default=(),
            max_length=1000,
            hxl="#item+model+list",
        ),
        Field(
            "stated_uncertainty_m",
            T.DECIMAL,
            N_("Positional uncertainty stated (m)"),
            "50",
            hxl="#indicator+num+uncertainty_m",
        ),
        Field(
            "notes",
            T.TEXT,
            N_("Notes"),
            "two sheets; scale 1:10 000",
            free_text=True,
            hxl="#description",
        ),
    ),
    check=rules.check_minefield_record,
    sensitivity=Sensitivity.SECURITY,
    dates=DateSpan("received_on", "received_on"),
    category="record_type",
    district="district_id",
    geometry=POLYGONAL,
    geometry_help="Polygon or MultiPolygon of the declared coverage (required)",
    infer_district=True,
    repair=repair_polygonal,
    collection="minefield-records",
)

MINEFIELD_ROWS = Kind(
    "minefield-rows",
    MinefieldRow,
    "minefield_rows",
    "external_id",
    N_("Minefield record rows"),
    N_("Declared rows of mines of the handed-over records."),
    help=N_("Rows of mines as a minefield record declares them (security-sensitive)."),
    fields=(
        Field(
            "external_id",
            T.TEXT,
            N_("Stable identifier"),
            "AZ-MFR-2024-001-R1",
            True,
            max_length=100,
            hxl="#meta+id",
        ),
        _record(),
        Field(
            "category",
            T.CODE,
            N_("AP_MINE, AT_MINE, IED or OTHER"),
            "AT_MINE",
            True,
            vocabulary=EOCategory,
            max_length=20,
            hxl="#item+type",
        ),
        Field(
            "model", T.TEXT, N_("Device model laid"), "TM-62M", max_length=100, hxl="#item+model"
        ),
        Field(
            "declared_count",
            T.INTEGER,
            N_("Devices declared in the row"),
            "20",
            hxl="#indicator+num+declared",
        ),
    ),
    check=rules.check_minefield_row,
    sensitivity=Sensitivity.SECURITY,
    category="category",
    geometry=LINEAR,
    geometry_help="LineString or MultiLineString of the row (required)",
    collection="minefield-rows",
)

MINEFIELD_POINTS = Kind(
    "minefield-points",
    MinefieldPoint,
    "minefield_points",
    "external_id",
    N_("Minefield record points"),
    N_("Reference, turning and landmark points of the handed-over records."),
    help=N_("Reference, turning and landmark points of minefield records (security-sensitive)."),
    fields=(
        Field(
            "external_id",
            T.TEXT,
            N_("Stable identifier"),
            "AZ-MFR-2024-001-P1",
            True,
            max_length=100,
            hxl="#meta+id",
        ),
        _record(),
        Field(
            "point_type",
            T.CODE,
            N_("reference, turning or landmark"),
            "reference",
            True,
            vocabulary=RecordPointType,
            max_length=20,
            hxl="#geo+type",
        ),
        Field(
            "description",
            T.TEXT,
            N_("What marks it"),
            "concrete post at the road bend",
            hxl="#description",
        ),
    ),
    check=rules.check_minefield_point,
    sensitivity=Sensitivity.SECURITY,
    category="point_type",
    geometry=PUNCTUAL,
    geometry_help="Point (required)",
    collection="minefield-points",
)
