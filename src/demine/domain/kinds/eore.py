"""Risk education sessions (IMAS 12.10): the kind's description."""

from __future__ import annotations

from demine.domain.eore import EoreSession, check_eore_session
from demine.domain.kinds.model import DateSpan, Field, FieldType, Kind
from demine.domain.kinds.shapes import PUNCTUAL
from demine.domain.vocab import EoreMethod, EoreTargetGroup
from demine.i18n import N_

T = FieldType


def _count(name: str, help_text: str, example: str, hxl: str) -> Field:
    return Field(name, T.INTEGER, help_text, example, default=0, hxl=hxl)


EORE_SESSIONS = Kind(
    "eore-sessions",
    EoreSession,
    "eore_sessions",
    "external_id",
    N_("Risk education sessions"),
    N_("Explosive ordnance risk education: sessions held and people reached, by sex and age."),
    help=(
        N_(
            "Explosive ordnance risk education sessions (IMAS 12.10): date, place, operator, "
            "method, target group and beneficiaries by sex and age band."
        )
    ),
    fields=(
        Field(
            "external_id",
            T.TEXT,
            N_("Stable identifier"),
            "EORE-2024-0001",
            True,
            hxl="#activity+id",
            max_length=100,
        ),
        Field("held_on", T.DAY, N_("Day held (YYYY-MM-DD)"), "2024-07-02", True, hxl="#date"),
        Field(
            "district",
            T.REFERENCE,
            N_("District code or name (or from the point)"),
            "Aghdam",
            references="admin-areas",
            level="district",
            hxl="#adm2+code",
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
            "organisation",
            T.REFERENCE,
            N_("Operator: organisation code or name"),
            "ANAMA",
            True,
            references="organisations",
            hxl="#org+code",
        ),
        Field(
            "method",
            T.CODE,
            "; ".join(m.value for m in EoreMethod),
            "face_to_face",
            True,
            vocabulary=EoreMethod,
            hxl="#activity+type",
            max_length=30,
        ),
        Field(
            "target_group",
            T.CODE,
            "; ".join(g.value for g in EoreTargetGroup),
            "returnees",
            True,
            vocabulary=EoreTargetGroup,
            hxl="#beneficiary+type",
            max_length=30,
        ),
        _count("girls", N_("Girls reached (under 18)"), "12", "#reached+f+children"),
        _count("boys", N_("Boys reached (under 18)"), "15", "#reached+m+children"),
        _count("women", N_("Women reached (18 and over)"), "9", "#reached+f+adults"),
        _count("men", N_("Men reached (18 and over)"), "11", "#reached+m+adults"),
        _count(
            "persons_with_disabilities",
            N_("Persons with disabilities among them"),
            "2",
            "#reached+disabled",
        ),
    ),
    check=check_eore_session,
    workflow=True,
    soft_delete=True,
    dates=DateSpan("held_on", "held_on"),
    category="method",
    district="district_id",
    geometry=PUNCTUAL,
    geometry_help="Point of the session (optional)",
    geometry_example="POINT (46.9321 40.0114)",
    infer_district=True,
    collection="eore-sessions",
    hxl={"country": "#country+code"},
)
