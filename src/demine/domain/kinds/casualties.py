"""Casualty kinds: accidents, their victims, victims' personal data and the casualty
totals published before records existed."""

from __future__ import annotations

from demine.domain import rules
from demine.domain.entities import Accident, CasualtyBaseline, Victim, VictimIdentifiers
from demine.domain.kinds.model import DateSpan, Field, FieldType, Kind, Sensitivity
from demine.domain.kinds.shapes import PUNCTUAL
from demine.domain.vocab import EOCategory, Outcome, Sex, VictimCategory
from demine.i18n import N_

T = FieldType


def _external_id(example: str, hxl: str) -> Field:
    return Field(
        "external_id", T.TEXT, N_("Stable identifier"), example, True, hxl=hxl, max_length=100
    )


#: The victim a record of personal data is about (identifiers, assistance).
VICTIM = Field(
    "victim",
    T.REFERENCE,
    N_("external_id of the victim"),
    "VIC-2024-0001",
    True,
    references="victims",
    hxl="#respondee+code",
)

ACCIDENTS = Kind(
    "accidents",
    Accident,
    "accidents",
    "external_id",
    N_("Accidents"),
    N_("Explosive ordnance accidents (no victim data)."),
    help=N_("Explosive ordnance accidents (victims are imported separately)."),
    fields=(
        _external_id("ACC-2024-0001", "#event+id"),
        Field(
            "district",
            T.REFERENCE,
            N_("District code or name (or from the point)"),
            "Fuzuli",
            references="admin-areas",
            level="district",
            hxl="#adm2+code",
        ),
        Field(
            "occurred_on",
            T.EVENT_DATE,
            N_("Day (YYYY-MM-DD), or YYYY-MM / YYYY when only that is known"),
            "2024-06-30",
            True,
            attribute="occurred",
            hxl="#date",
        ),
        Field(
            "settlement",
            T.REFERENCE,
            N_("Settlement code or name"),
            "",
            references="admin-areas",
            level="settlement",
            hxl="#adm3+code",
        ),
        Field(
            "device_category",
            T.CODE,
            N_("EO category, if known"),
            "AP_MINE",
            vocabulary=EOCategory,
            hxl="#item+type",
            max_length=20,
        ),
        Field(
            "device_model",
            T.TEXT,
            N_("Device model, if known"),
            "PMN-2",
            hxl="#item+model",
            max_length=100,
        ),
        Field(
            "activity_at_time",
            T.TEXT,
            N_("What the victims were doing"),
            "farming",
            max_length=200,
            hxl="#description+activity",
        ),
        Field(
            "demining_accident",
            T.BOOLEAN,
            N_("Happened during demining"),
            "false",
            hxl="#event+demining",
        ),
        Field(
            "inside_known_hazard",
            T.BOOLEAN,
            N_("Inside a known hazard area"),
            "false",
            hxl="#event+inside_hazard",
        ),
        Field(
            "source",
            T.TEXT,
            N_("Source of the report"),
            "police report",
            hxl="#meta+source",
            max_length=1000,
            free_text=True,
        ),
        Field("narrative", T.TEXT, N_("What happened"), "", free_text=True, hxl="#description"),
    ),
    check=rules.check_accident,
    workflow=True,
    soft_delete=True,
    dates=DateSpan("occurred_earliest", "occurred_latest", "date_precision"),
    category="device_category",
    district="district_id",
    geometry=PUNCTUAL,
    geometry_help="Point (optional)",
    infer_district=True,
    collection="accidents",
    hxl={"country": "#country+code"},
)

VICTIMS = Kind(
    "victims",
    Victim,
    "victims",
    "external_id",
    N_("Victims"),
    N_("People killed or injured in accidents (no personal identifiers)."),
    help=N_("People killed or injured in accidents (statistics only: no names or identifiers)."),
    fields=(
        _external_id("VIC-2024-0001", "#respondee+code"),
        Field(
            "accident",
            T.REFERENCE,
            N_("external_id of the accident"),
            "ACC-2024-0001",
            True,
            references="accidents",
            hxl="#event+id",
        ),
        Field(
            "sex",
            T.CODE,
            N_("female, male or unknown"),
            "male",
            True,
            vocabulary=Sex,
            hxl="#respondee+sex",
            max_length=10,
        ),
        Field(
            "category",
            T.CODE,
            N_("civilian, military, deminer or unknown"),
            "civilian",
            True,
            vocabulary=VictimCategory,
            hxl="#respondee+type",
            max_length=20,
        ),
        Field(
            "outcome",
            T.CODE,
            N_("killed, injured or unknown"),
            "injured",
            True,
            vocabulary=Outcome,
            hxl="#respondee+outcome",
            max_length=10,
        ),
        Field("age", T.INTEGER, N_("Age in years, if known"), "34", hxl="#respondee+age"),
        Field(
            "age_band",
            T.TEXT,
            N_("Age band if the age is not known (0-17, 18-59, 60+)"),
            "",
            hxl="#respondee+age+band",
            max_length=10,
        ),
    ),
    check=rules.check_victim,
    workflow=True,
    soft_delete=True,
    category="category",
)

VICTIM_IDENTIFIERS = Kind(
    "victim-identifiers",
    VictimIdentifiers,
    "victim_identifiers",
    "victim_id",
    N_("Victims' personal data"),
    N_("Names, documents, contacts and medical notes of victims."),
    help=N_("Personal data of victims (protected: victim-data permission, every read logged)."),
    fields=(
        VICTIM,
        Field("full_name", T.TEXT, N_("Full name"), "", max_length=300, hxl="#respondee+name"),
        Field(
            "id_number",
            T.TEXT,
            N_("Identity document number"),
            "",
            max_length=100,
            hxl="#respondee+document+code",
        ),
        Field(
            "contact", T.TEXT, N_("Telephone or other contact"), "", max_length=300, hxl="#contact"
        ),
        Field("address", T.TEXT, N_("Address"), "", max_length=500, hxl="#contact+address"),
        Field("medical_notes", T.TEXT, N_("Medical notes"), "", hxl="#description+medical"),
    ),
    sensitivity=Sensitivity.PERSONAL,
    exported_by_default=False,
)

CASUALTY_BASELINES = Kind(
    "casualty-baselines",
    CasualtyBaseline,
    "casualty_baselines",
    "external_id",
    N_("Casualty baselines"),
    N_("Published casualty totals up to a date."),
    help=N_("Published casualty totals up to a date (history that exists only as aggregates)."),
    fields=(
        _external_id("BASE-2020-11-09", "#meta+id"),
        Field("as_of", T.DAY, N_("Date the totals run to"), "2020-11-09", True, hxl="#date"),
        Field("total", T.INTEGER, N_("All victims"), "3079", True, hxl="#affected+num"),
        Field("killed", T.INTEGER, N_("Of whom killed"), "530", hxl="#affected+killed"),
        Field("injured", T.INTEGER, N_("Of whom injured"), "", hxl="#affected+injured"),
        Field(
            "children",
            T.INTEGER,
            N_("Of whom children (under 18)"),
            "330",
            hxl="#affected+children",
        ),
        Field("women", T.INTEGER, N_("Of whom women"), "30", hxl="#affected+f+adults"),
        Field("civilians", T.INTEGER, N_("Of whom civilians"), "", hxl="#affected+civilians"),
        Field(
            "source_reference",
            T.TEXT,
            N_("Where it was published"),
            "ANAMA statement",
            hxl="#meta+source",
            max_length=1000,
        ),
        Field("source_text", T.TEXT, N_("The published text"), "", hxl="#meta+source+text"),
    ),
    check=rules.check_baseline,
    sensitivity=Sensitivity.PUBLIC,
    dates=DateSpan("as_of", "as_of"),
    hxl={"country": "#country+code"},
)
