"""The authorities and operators that ANAMA's bulletins name, for the demo register.

State bodies and the two NGOs carry their real names. The commercial operators are
invented for the demo (their names end in "(demo)") so that synthetic figures are
never attributed to a real company.
"""

from __future__ import annotations

from demine.domain.entities import Organisation
from demine.domain.vocab import ActivityKind, OrganisationKind

COUNTRY = "AZ"

ANAMA = "ANAMA"
MOD_ENGINEERS = "MOD-ENG"
MES = "MES"
MES_SPECIAL_RISK = "MES-SRRS"
BORDER_SERVICE = "SBS"
IRELI = "IRELI"
AZCBL = "AZCBL"

ORGANISATIONS: tuple[Organisation, ...] = (
    Organisation(
        ANAMA,
        "Mine Action Agency of the Republic of Azerbaijan (ANAMA)",
        OrganisationKind.NATIONAL_AGENCY,
        COUNTRY,
    ),
    Organisation(
        MOD_ENGINEERS,
        "Ministry of Defence, engineering units",
        OrganisationKind.MINISTRY,
        COUNTRY,
    ),
    Organisation(
        MES, "Ministry of Emergency Situations", OrganisationKind.EMERGENCY_SERVICE, COUNTRY
    ),
    Organisation(
        MES_SPECIAL_RISK,
        "Special Risk Rescue Service of the Ministry of Emergency Situations",
        OrganisationKind.EMERGENCY_SERVICE,
        COUNTRY,
    ),
    Organisation(BORDER_SERVICE, "State Border Service", OrganisationKind.BORDER_SERVICE, COUNTRY),
    Organisation(
        "DEMO-AZDC", "Azerbaijan Demining Company (demo)", OrganisationKind.COMMERCIAL, COUNTRY
    ),
    Organisation(
        "DEMO-SAFEPOINT", "Safe Point Demining (demo)", OrganisationKind.COMMERCIAL, COUNTRY
    ),
    Organisation("DEMO-QAYA", "Qaya Mine Clearance (demo)", OrganisationKind.COMMERCIAL, COUNTRY),
    Organisation("DEMO-ALPHA", "Alpha Demining (demo)", OrganisationKind.COMMERCIAL, COUNTRY),
    Organisation("DEMO-SARHAD", "Sarhad Demining (demo)", OrganisationKind.COMMERCIAL, COUNTRY),
    Organisation(IRELI, "Ireli Public Union", OrganisationKind.NGO, COUNTRY),
    Organisation(AZCBL, "Azerbaijan Campaign to Ban Landmines", OrganisationKind.NGO, COUNTRY),
)

COMMERCIAL_CODES: tuple[str, ...] = tuple(
    o.code for o in ORGANISATIONS if o.kind is OrganisationKind.COMMERCIAL
)

#: Who does which kind of work, with relative weights: ANAMA's own teams do most of
#: it; MES teams take battle-area clearance and spot tasks; NGOs do survey only.
OPERATOR_WEIGHTS: dict[ActivityKind, tuple[tuple[str, float], ...]] = {
    ActivityKind.CLEARANCE: (
        (ANAMA, 40.0),
        (MOD_ENGINEERS, 12.0),
        (BORDER_SERVICE, 4.0),
        *((code, 8.0) for code in COMMERCIAL_CODES),
    ),
    ActivityKind.BATTLE_AREA_CLEARANCE: (
        (ANAMA, 20.0),
        (MES, 15.0),
        (MES_SPECIAL_RISK, 15.0),
        (MOD_ENGINEERS, 10.0),
    ),
    ActivityKind.TECHNICAL_SURVEY: (
        (ANAMA, 30.0),
        *((code, 6.0) for code in COMMERCIAL_CODES),
    ),
    ActivityKind.NON_TECHNICAL_SURVEY: ((ANAMA, 30.0), (IRELI, 8.0), (AZCBL, 6.0)),
    ActivityKind.EOD_SPOT_TASK: ((MES_SPECIAL_RISK, 20.0), (ANAMA, 10.0)),
}


def demo_organisations() -> tuple[Organisation, ...]:
    """Every organisation of the demo register."""
    return ORGANISATIONS
