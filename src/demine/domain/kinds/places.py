"""Reference kinds: administrative areas and organisations."""

from __future__ import annotations

from demine.domain import rules
from demine.domain.entities import AdminArea, Organisation
from demine.domain.kinds.model import Field, FieldType, Kind, Sensitivity
from demine.domain.kinds.shapes import POLYGONAL
from demine.domain.vocab import AdminLevel, OrganisationKind
from demine.i18n import N_

T = FieldType


def _check_area(area: AdminArea, context: rules.RuleContext) -> list[rules.FieldProblem]:
    return rules.check_geometry("geometry", area.geometry, context, POLYGONAL)


#: The credit the built-in district boundaries' licence (CC BY-SA 3.0) asks for wherever
#: a map of them is shown (see ingest/gazetteers/BOUNDARIES.md).
BOUNDARY_CREDIT = N_("District boundaries: geoBoundaries (www.geoboundaries.org), CC BY-SA 3.0")

ADMIN_AREAS = Kind(
    "admin-areas",
    AdminArea,
    "admin_areas",
    "code",
    N_("Districts"),
    N_("Administrative districts (shapes may be approximate: see geometry_approximate)."),
    help=N_("Country, districts and settlements, with spellings and reporting order."),
    fields=(
        Field(
            "code",
            T.TEXT,
            N_("Stable code, e.g. AZ-TAR"),
            "AZ-TAR",
            True,
            hxl="#adm2+code",
            max_length=60,
        ),
        Field(
            "name", T.TEXT, N_("Canonical name"), "Tartar", True, hxl="#adm2+name", max_length=200
        ),
        Field(
            "level",
            T.CODE,
            N_("country, district or settlement"),
            "district",
            True,
            vocabulary=AdminLevel,
            max_length=20,
            hxl="#meta+level",
        ),
        Field(
            "parent",
            T.REFERENCE,
            N_("Code of the enclosing area"),
            "AZ",
            attribute="parent_code",
            references="admin-areas",
            hxl="#meta+parent+code",
        ),
        Field(
            "aliases",
            T.TEXT_LIST,
            N_("Other spellings, separated by ;"),
            "Terter;Tərtər",
            default=(),
            stored=False,
            hxl="#adm2+name+alias+list",
        ),
        Field(
            "reporting_order",
            T.INTEGER,
            N_("Position in bulletins (1 = first)"),
            "1",
            hxl="#meta+reporting_order",
        ),
        Field(
            "geometry_approximate",
            T.BOOLEAN,
            N_("true if the shape is only approximate"),
            "true",
            default=False,
            hxl="#geo+approximate",
        ),
        Field(
            "name_az",
            T.TEXT,
            "Name in Azerbaijani",
            "Tərtər",
            max_length=200,
            hxl="#adm2+name+i_az",
        ),
        Field(
            "name_ru", T.TEXT, "Name in Russian", "Тертер", max_length=200, hxl="#adm2+name+i_ru"
        ),
        # Other systems' codes, exported beside Demine's own so that a file joins
        # theirs. HXL marks where each code comes from with a ``+v_`` vocabulary
        # attribute (``#adm2+code+v_pcode`` is how OCHA tags p-codes).
        Field(
            "iso_code",
            T.TEXT,
            N_("ISO 3166-2 code, e.g. AZ-TAR (empty where ISO has none)"),
            "AZ-TAR",
            hxl="#adm2+code+v_iso3166_2",
            max_length=10,
        ),
        Field(
            "boundary_id",
            T.TEXT,
            N_("geoBoundaries shapeID of the source boundary (; between several)"),
            "AZE-ADM2-54616110B56216693",
            hxl="#adm2+code+v_geoboundaries",
            max_length=200,
        ),
        Field(
            "pcode",
            T.TEXT,
            N_("OCHA COD p-code (empty where none is published)"),
            "",
            hxl="#adm2+code+v_pcode",
            max_length=30,
        ),
    ),
    check=_check_area,
    sensitivity=Sensitivity.PUBLIC,
    category="level",
    geometry=POLYGONAL,
    geometry_help="Polygon or MultiPolygon (optional)",
    collection="districts",
    collection_where=("level", "district"),
    hxl={"country": "#country+code"},
)

ORGANISATIONS = Kind(
    "organisations",
    Organisation,
    "organisations",
    "code",
    N_("Organisations"),
    N_("National agency, ministry units, emergency and border services, companies, NGOs."),
    help=N_("National agency, ministry units, emergency and border services, companies, NGOs."),
    fields=(
        Field(
            "code",
            T.TEXT,
            N_("Stable code or acronym"),
            "ANAMA",
            True,
            hxl="#org+code",
            max_length=60,
        ),
        Field(
            "name",
            T.TEXT,
            N_("Full name"),
            "Mine Action Agency",
            True,
            hxl="#org+name",
            max_length=300,
        ),
        Field(
            "kind",
            T.CODE,
            "; ".join(k.value for k in OrganisationKind),
            "national_agency",
            True,
            vocabulary=OrganisationKind,
            hxl="#org+type",
            max_length=40,
        ),
    ),
    sensitivity=Sensitivity.PUBLIC,
    category="kind",
)
